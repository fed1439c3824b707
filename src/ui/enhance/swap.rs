//! Swapping fresh server HTML into the page: only the regions (`data-region`) that
//! changed, and never at the cost of what someone is typing, the files they picked, or the
//! field they are in.
mod carry;
mod place;

use super::dom::{document, window};
use carry::{carry_forms, carry_kept, carry_notices, Focus};
pub use place::{form_at, place_of};
use std::cell::{Cell, RefCell};
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    Document, DomParser, Element, RequestCredentials, RequestInit, Response, SupportedType,
};

/// A page answer from the server: where it ended up, its status, its HTML.
pub struct Answer {
    pub url: String,
    pub status: u16,
    /// The post was answered with a redirect (a page to show) rather than a page of its own.
    pub redirected: bool,
    pub html: String,
}

/// `GET`s or `POST`s like a form without JavaScript would (`Accept: text/html`, cookies,
/// redirects followed). `Err` means the request never got an answer (offline).
pub async fn request(url: &str, init: &RequestInit) -> Result<Answer, ()> {
    init.set_credentials(RequestCredentials::SameOrigin);
    let headers = web_sys::Headers::new().map_err(|_| ())?;
    let _ = headers.set("Accept", "text/html");
    init.set_headers(&headers);
    let promise = window().fetch_with_str_and_init(url, init);
    let res: Response = JsFuture::from(promise)
        .await
        .map_err(|_| ())?
        .dyn_into()
        .map_err(|_| ())?;
    let html = match res.text() {
        Ok(p) => JsFuture::from(p).await.ok().and_then(|v| v.as_string()),
        Err(_) => None,
    };
    Ok(Answer {
        url: res.url(),
        status: res.status(),
        redirected: res.redirected(),
        html: html.unwrap_or_default(),
    })
}

pub fn parse(html: &str) -> Option<Document> {
    DomParser::new()
        .ok()?
        .parse_from_string(html, SupportedType::TextHtml)
        .ok()
}

/// Regions a refresh should swap: `None` for all of them.
type Wanted = Option<Vec<String>>;

thread_local! {
    static REFRESHING: Cell<bool> = const { Cell::new(false) };
    /// What the next run must swap, if anything was asked for while one ran.
    static NEXT: RefCell<Option<Wanted>> = const { RefCell::new(None) };
}

fn want(more: Wanted) {
    NEXT.with(|n| {
        let mut n = n.borrow_mut();
        *n = Some(match (n.take(), more) {
            (None, w) => w,
            (Some(None), _) | (_, None) => None,
            (Some(Some(mut a)), Some(b)) => {
                a.extend(b.into_iter().filter(|r| !a.contains(r)).collect::<Vec<_>>());
                Some(a)
            }
        });
    });
}

/// Fetches this page again and swaps in every part that changed.
pub fn refresh() {
    refresh_regions(&[]);
}

/// Fetches this page again and swaps in these regions (all of them when empty). Calls that
/// arrive while one runs are folded into one more run after it, so a burst of events costs
/// two fetches.
pub fn refresh_regions(regions: &[&str]) {
    want((!regions.is_empty()).then(|| regions.iter().map(|r| r.to_string()).collect()));
    if REFRESHING.with(|r| r.replace(true)) {
        return;
    }
    leptos::task::spawn_local(async {
        while let Some(wanted) = NEXT.with(|n| n.borrow_mut().take()) {
            let url = window().location().href().unwrap_or_default();
            let init = RequestInit::new();
            init.set_method("GET");
            if let Ok(answer) = request(&url, &init).await {
                if answer.status < 400 {
                    if let Some(doc) = parse(&answer.html) {
                        apply_only(&doc, wanted.as_deref(), Notices::Keep);
                    }
                }
            }
        }
        REFRESHING.with(|r| r.set(false));
    });
}

/// Puts the new document's regions in place of the page's; every form keeps its input.
pub fn apply(new_doc: &Document) {
    apply_only(new_doc, None, Notices::FromAnswer);
}

/// What becomes of a "Sent" / "Saved" notice already on the page when a region is swapped.
#[derive(Clone, Copy, PartialEq)]
enum Notices {
    /// The answer to the person's own post decides (it shows the notice for what it did).
    FromAnswer,
    /// A live refresh fetches the page's own address, which has no notice flag; often the
    /// event is the person's own post, so its refresh can land just after the post's
    /// answer and would wipe the confirmation they were just shown.
    Keep,
}

/// [`apply`], limited to the regions named in `only` (when the page has them).
fn apply_only(new_doc: &Document, only: Option<&[String]>, notices: Notices) {
    let doc = document();
    let names = |d: &Document| -> Vec<String> {
        let list = d.query_selector_all("[data-region]").ok();
        (0..list.as_ref().map_or(0, |l| l.length()))
            .filter_map(|i| list.as_ref()?.item(i)?.dyn_into::<Element>().ok())
            .filter_map(|e| e.get_attribute("data-region"))
            .collect()
    };
    let (old, new) = (names(&doc), names(new_doc));
    let pairs: Vec<(Element, Element)> = if !new.is_empty() && old == new {
        new.iter()
            .filter(|n| only.is_none_or(|o| o.contains(n)))
            .filter_map(|n| {
                let sel = format!("[data-region=\"{n}\"]");
                Some((
                    doc.query_selector(&sel).ok()??,
                    new_doc.query_selector(&sel).ok()??,
                ))
            })
            .collect()
    } else {
        // The page's layout changed (a card appeared or went): take the whole of it.
        match (doc.query_selector("main"), new_doc.query_selector("main")) {
            (Ok(Some(a)), Ok(Some(b))) => vec![(a, b)],
            _ => return,
        }
    };
    for (old, new) in pairs {
        if old.outer_html() == new.outer_html() {
            continue;
        }
        let Ok(node) = doc.import_node_with_deep(&new, true) else {
            continue;
        };
        let Ok(new) = node.dyn_into::<Element>() else {
            continue;
        };
        let focus = Focus::take(&old);
        carry_forms(&old, &new);
        carry_kept(&old, &new);
        if notices == Notices::Keep {
            carry_notices(&old, &new);
        }
        let _ = old.replace_with_with_node_1(&new);
        if let Some(f) = focus {
            f.restore(&new);
        }
    }
    let title = new_doc.title();
    if !title.is_empty() {
        doc.set_title(&title);
    }
}

/// A page that answers a post directly (no redirect): shown in place of this page's
/// content, as the browser would show it without JavaScript.
pub fn show_page(new_doc: &Document) {
    let doc = document();
    if let (Ok(Some(old)), Ok(Some(new))) =
        (doc.query_selector("main"), new_doc.query_selector("main"))
    {
        if let Ok(node) = doc.import_node_with_deep(&new, true) {
            let _ = old.replace_with_with_node_1(&node);
        }
    }
    doc.set_title(&new_doc.title());
    window().scroll_to_with_x_and_y(0.0, 0.0);
}
