//! Swapping fresh server HTML into the page: only the regions (`data-region`) that
//! changed, and never at the cost of what someone is typing, the files they picked, or the
//! field they are in.
use super::dom::{attr, document, window};
use std::cell::{Cell, RefCell};
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    Document, DomParser, Element, HtmlFormElement, HtmlInputElement, HtmlSelectElement,
    HtmlTextAreaElement, RequestCredentials, RequestInit, Response, SupportedType,
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

/// [`apply`], limited to the regions named in `only` (when the page has them).
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

/// Elements the enhancers own (`data-keep` with an id, e.g. an upload's progress list)
/// move into the new region in place of the server's empty placeholder.
fn carry_kept(old: &Element, new: &Element) {
    for el in all(old, "[data-keep][id]") {
        let sel = format!("#{}", attr(&el, "id"));
        if let Ok(Some(slot)) = new.query_selector(&sel) {
            let _ = slot.replace_with_with_node_1(&el);
        }
    }
}

/// A notice shown just before a form (`SavedNotice`) stays before the same form.
fn carry_notices(old: &Element, new: &Element) {
    let (old_forms, new_forms) = (forms_by_key(old), forms_by_key(new));
    for notice in all(old, "p.notice.ok[role=status]") {
        let Some(next) = notice.next_element_sibling() else {
            continue;
        };
        let Some((key, _)) = old_forms
            .iter()
            .find(|(_, f)| f.is_same_node(Some(next.as_ref())))
        else {
            continue;
        };
        let Some((_, form)) = new_forms.iter().find(|(k, _)| k == key) else {
            continue;
        };
        let shown = form
            .previous_element_sibling()
            .is_some_and(|p| p.text_content() == notice.text_content());
        if !shown {
            let _ = form.before_with_node_1(&notice);
        }
    }
}

fn all(root: &Element, selector: &str) -> Vec<Element> {
    let Ok(list) = root.query_selector_all(selector) else {
        return Vec::new();
    };
    (0..list.length())
        .filter_map(|i| list.item(i)?.dyn_into::<Element>().ok())
        .collect()
}

/// A form is matched by its id, else by its action and its place among forms with that
/// action (a room has several forms posting to the same server function).
fn form_key(form: &HtmlFormElement, nth: usize) -> String {
    let id = attr(form, "id");
    if !id.is_empty() {
        return format!("#{id}");
    }
    format!("{}|{nth}", attr(form, "action"))
}

fn forms_by_key(root: &Element) -> Vec<(String, HtmlFormElement)> {
    let mut seen: Vec<String> = Vec::new();
    all(root, "form")
        .into_iter()
        .filter_map(|f| f.dyn_into::<HtmlFormElement>().ok())
        .map(|f| {
            let action = attr(&f, "action");
            let nth = seen.iter().filter(|a| **a == action).count();
            seen.push(action);
            (form_key(&f, nth), f)
        })
        .collect()
}

/// Where a form is on the page, stable across swaps: its region and its key in there.
#[derive(Clone, PartialEq)]
pub struct FormPlace {
    region: Option<String>,
    key: String,
}

fn region_root(region: &Option<String>) -> Option<Element> {
    let sel = match region {
        Some(name) => format!("[data-region=\"{name}\"]"),
        None => "main".to_string(),
    };
    document().query_selector(&sel).ok().flatten()
}

impl FormPlace {
    /// An element id made from the place, for notices that belong to this form.
    pub fn element_id(&self) -> String {
        let raw = format!(
            "form-{}-{}",
            self.region.as_deref().unwrap_or("main"),
            self.key
        );
        raw.replace(|c: char| !c.is_ascii_alphanumeric() && c != '-', "-")
    }
}

pub fn place_of(form: &HtmlFormElement) -> Option<FormPlace> {
    let region = form
        .closest("[data-region]")
        .ok()
        .flatten()
        .and_then(|r| r.get_attribute("data-region"));
    let root = region_root(&region)?;
    let key = forms_by_key(&root)
        .into_iter()
        .find(|(_, f)| f == form)
        .map(|(k, _)| k)?;
    Some(FormPlace { region, key })
}

/// The form now at that place (the same element, or the one swapped in for it).
pub fn form_at(place: &FormPlace) -> Option<HtmlFormElement> {
    forms_by_key(&region_root(&place.region)?)
        .into_iter()
        .find(|(k, _)| *k == place.key)
        .map(|(_, f)| f)
}

fn carry_forms(old: &Element, new: &Element) {
    let new_forms = forms_by_key(new);
    for (key, old_form) in forms_by_key(old) {
        if let Some((_, new_form)) = new_forms.iter().find(|(k, _)| *k == key) {
            carry_fields(&old_form, new_form);
        }
    }
}

/// Copies every field the person changed (its value differs from what the server wrote)
/// into the same-named field of the new form.
fn carry_fields(old: &HtmlFormElement, new: &HtmlFormElement) {
    let fields = old.elements();
    for i in 0..fields.length() {
        let Some(el) = fields.item(i) else { continue };
        let name = el.get_attribute("name").unwrap_or_default();
        if name.is_empty() || name.contains('"') {
            continue;
        }
        let target = |extra: &str| {
            new.query_selector(&format!("[name=\"{name}\"]{extra}"))
                .ok()
                .flatten()
        };
        if let Some(input) = el.dyn_ref::<HtmlInputElement>() {
            match input.type_().as_str() {
                "hidden" | "submit" | "button" | "reset" => {}
                "file" => {
                    let files = input.files().filter(|f| f.length() > 0);
                    if let (Some(files), Some(t)) = (files, target("")) {
                        if let Some(t) = t.dyn_ref::<HtmlInputElement>() {
                            t.set_files(Some(&files));
                        }
                    }
                }
                "checkbox" | "radio" if input.checked() != input.default_checked() => {
                    let sel = format!("[value=\"{}\"]", input.value().replace('"', ""));
                    if let Some(t) = target(&sel) {
                        if let Some(t) = t.dyn_ref::<HtmlInputElement>() {
                            t.set_checked(input.checked());
                        }
                    }
                }
                "checkbox" | "radio" => {}
                _ if input.value() != input.default_value() => {
                    if let Some(t) = target("") {
                        if let Some(t) = t.dyn_ref::<HtmlInputElement>() {
                            t.set_value(&input.value());
                        }
                    }
                }
                _ => {}
            }
        } else if let Some(area) = el.dyn_ref::<HtmlTextAreaElement>() {
            if Ok(area.value()) != area.default_value() {
                if let Some(t) = target("") {
                    if let Some(t) = t.dyn_ref::<HtmlTextAreaElement>() {
                        t.set_value(&area.value());
                    }
                }
            }
        } else if let Some(select) = el.dyn_ref::<HtmlSelectElement>() {
            if select_changed(select) {
                if let Some(t) = target("") {
                    if let Some(t) = t.dyn_ref::<HtmlSelectElement>() {
                        t.set_value(&select.value());
                    }
                }
            }
        }
    }
}

fn select_changed(select: &HtmlSelectElement) -> bool {
    let options = select.options();
    (0..options.length()).any(|i| {
        options
            .item(i)
            .and_then(|o| o.dyn_into::<web_sys::HtmlOptionElement>().ok())
            .is_some_and(|o| o.selected() != o.default_selected())
    })
}

/// The field someone is in (by id) and their caret, to put back after a swap.
struct Focus {
    id: String,
    selection: Option<(u32, u32)>,
}

impl Focus {
    fn take(region: &Element) -> Option<Focus> {
        let active = document().active_element()?;
        let id = attr(&active, "id");
        if !region.contains(Some(&active)) || id.is_empty() {
            return None;
        }
        let selection = if let Some(i) = active.dyn_ref::<HtmlInputElement>() {
            i.selection_start()
                .ok()
                .flatten()
                .zip(i.selection_end().ok().flatten())
        } else if let Some(t) = active.dyn_ref::<HtmlTextAreaElement>() {
            t.selection_start()
                .ok()
                .flatten()
                .zip(t.selection_end().ok().flatten())
        } else {
            None
        };
        Some(Focus { id, selection })
    }

    fn restore(self, region: &Element) {
        let Ok(Some(el)) = region.query_selector(&format!("#{}", self.id)) else {
            return;
        };
        if let Some(h) = el.dyn_ref::<web_sys::HtmlElement>() {
            let _ = h.focus();
        }
        if let Some((a, b)) = self.selection {
            if let Some(i) = el.dyn_ref::<HtmlInputElement>() {
                let _ = i.set_selection_range(a, b);
            } else if let Some(t) = el.dyn_ref::<HtmlTextAreaElement>() {
                let _ = t.set_selection_range(a, b);
            }
        }
    }
}
