//! Form posts without leaving the page. The post is exactly the one the browser would send
//! without JavaScript (same action, same fields, `Accept: text/html`), so the server has one
//! path for both; the answer's page is swapped in region by region.
use super::{
    checks,
    dom::{self, document, window},
    photos, swap,
};
use wasm_bindgen::JsCast;
use web_sys::{
    Element, FormData, HtmlButtonElement, HtmlElement, HtmlFormElement, RequestInit, SubmitEvent,
    UrlSearchParams,
};

const OFFLINE: &str = "You seem to be offline — nothing was sent. What you entered is still here; try again when you have signal.";
const REFUSED: &str = "That didn't go through. What you entered is still here — please try again.";

pub fn listen() {
    dom::on_document("submit", |e: SubmitEvent| {
        let Some(form) = e
            .target()
            .and_then(|t| t.dyn_into::<HtmlFormElement>().ok())
        else {
            return;
        };
        if e.default_prevented() || !dom::attr(&form, "method").eq_ignore_ascii_case("post") {
            return;
        }
        if form.has_attribute("data-photos") && photos::take_over(&form) {
            e.prevent_default();
            return;
        }
        e.prevent_default();
        // A second tap while the first is on its way does nothing (the server would
        // recognise the repeat by its key anyway).
        if form.has_attribute("data-sending") {
            return;
        }
        let submitter = e.submitter();
        leptos::task::spawn_local(send(form, submitter));
    });
}

fn body(form: &HtmlFormElement, submitter: Option<&HtmlElement>) -> Option<RequestInit> {
    let data = FormData::new_with_form(form).ok()?;
    if let Some(b) = submitter.and_then(|s| s.dyn_ref::<HtmlButtonElement>()) {
        if !b.name().is_empty() {
            let _ = data.append_with_str(&b.name(), &b.value());
        }
    }
    let init = RequestInit::new();
    init.set_method("POST");
    if dom::attr(form, "enctype") == "multipart/form-data" {
        init.set_body(&data);
    } else {
        // Server functions read a URL-encoded body, as a plain form sends it.
        let params = UrlSearchParams::new_with_str_sequence_sequence(&data).ok()?;
        init.set_body(&params);
    }
    Some(init)
}

async fn send(form: HtmlFormElement, submitter: Option<HtmlElement>) {
    let Some(init) = body(&form, submitter.as_ref()) else {
        return;
    };
    let _ = form.set_attribute("data-sending", "");
    dom::set_busy(submitter.as_ref(), true);
    let action = action_of(&form);
    let place = swap::place_of(&form);
    let answer = swap::request(&action, &init).await;
    let _ = form.remove_attribute("data-sending");
    dom::set_busy(submitter.as_ref(), false);
    let notice_id = place.as_ref().map_or_else(
        || "form-sent".to_string(),
        |p| format!("{}-sent", p.element_id()),
    );
    let answer = match answer {
        Ok(a) => a,
        Err(()) => {
            dom::message_after(&form, &notice_id, "notice error", Some(OFFLINE));
            return;
        }
    };
    dom::message_after(&form, &notice_id, "", None);
    let here = window().location();
    let Ok(url) = web_sys::Url::new(&answer.url) else {
        return;
    };
    let same_page = url.pathname() == here.pathname().unwrap_or_default();
    if answer.status >= 400 && !same_page {
        // Refused before any page could take it back (cross-site, signed out, too many):
        // the server's own sentence, beside the form.
        let text = swap::parse(&answer.html)
            .and_then(|d| d.query_selector("main p, .page p").ok().flatten())
            .and_then(|p| p.text_content())
            .unwrap_or_else(|| REFUSED.to_string());
        dom::message_after(&form, &notice_id, "notice error", Some(&text));
        return;
    }
    if !same_page {
        if answer.redirected {
            // Signed in, sent the request, opened another request: that is a new page.
            let _ = here.assign(&answer.url);
        } else if let Some(doc) = swap::parse(&answer.html) {
            swap::show_page(&doc);
        }
        return;
    }
    let refused = url.search_params().has("__err");
    if let Some(doc) = swap::parse(&answer.html) {
        swap::apply(&doc);
    }
    let sent = place.as_ref().and_then(swap::form_at);
    if let (true, Some(f)) = (refused, sent.as_ref()) {
        keep_only_this_refusal(f);
    }
    if !refused {
        // Sent: the form starts again from what the server wrote (empty), wherever a live
        // refresh during the post may have moved it.
        if let Some(f) = sent {
            f.reset();
            checks::after_reset(&f);
        }
    }
    // A long form sent back with mistakes: its summary is at the top, out of sight.
    if let Ok(Some(summary)) = document().query_selector("#form-errors, #form-notice") {
        summary.scroll_into_view();
    }
}

/// The server's page shows a refusal after every form of the refused server function (it
/// can't tell them apart); only the one after the form that was sent stays.
fn keep_only_this_refusal(sent: &HtmlFormElement) {
    let action = action_of(sent);
    let Ok(alerts) = document().query_selector_all("[data-action-alert]") else {
        return;
    };
    for i in 0..alerts.length() {
        let Some(alert) = alerts.item(i).and_then(|n| n.dyn_into::<Element>().ok()) else {
            continue;
        };
        let Some(form) = alert
            .previous_element_sibling()
            .and_then(|e| e.dyn_into::<HtmlFormElement>().ok())
        else {
            continue;
        };
        if form != *sent && action_of(&form) == action {
            alert.remove();
        }
    }
}

/// The form's `action` attribute (the page itself when it has none).
pub fn action_of(form: &HtmlFormElement) -> String {
    match form.get_attribute("action") {
        Some(a) if !a.is_empty() => a,
        _ => window().location().href().unwrap_or_default(),
    }
}
