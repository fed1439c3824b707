//! Checks as people type, with the same rules the server applies when the form arrives:
//! - `form[data-checks]` (the request form): a field is checked as the person leaves it,
//!   and its message clears as soon as it is fixed. `data-services` lists the services.
//! - `textarea[data-sensitive]`: a warning before a card number, code or password is
//!   sent, and the button says "Send anyway".
//! - `textarea[data-preview]` (alert templates): the preview (and a text's length) follows
//!   as staff type, rendered by the same `model::template` the server sends with.
use super::dom::{self, document};
use crate::model::{intake, sensitive, template};
use wasm_bindgen::JsCast;
use web_sys::{
    Element, FocusEvent, FormData, HtmlElement, HtmlFormElement, HtmlTextAreaElement, InputEvent,
};

pub fn listen() {
    dom::on_document("focusout", |e: FocusEvent| {
        if let Some((form, field)) = checked_field(&e) {
            check(&form, &field, false);
        }
    });
    dom::on_document("input", |e: InputEvent| {
        let Some(el) = dom::target_element(&e) else {
            return;
        };
        if let Some(area) = el.dyn_ref::<HtmlTextAreaElement>() {
            if area.has_attribute("data-sensitive") {
                warn_sensitive(area);
            }
            if area.has_attribute("data-preview") {
                preview(area);
            }
        }
        if let Some((form, field)) = checked_field(&e) {
            // Only clears (or updates) a message already shown: no scolding mid-word.
            if document().get_element_by_id(&error_id(&field)).is_some() {
                check(&form, &field, true);
            }
        }
    });
}

fn preview(area: &HtmlTextAreaElement) {
    let target = dom::attr(area, "data-preview");
    let text = template::preview(
        &area.value(),
        &dom::attr(area, "data-technician"),
        &dom::attr(area, "data-business"),
    );
    let doc = document();
    if let Some(el) = doc.get_element_by_id(&target) {
        el.set_text_content(Some(&text));
    }
    if let Some(el) = doc.get_element_by_id(&format!("{target}-count")) {
        let n = template::sms_length(&text);
        el.set_text_content(Some(&template::describe_length(n)));
    }
}

fn checked_field(e: &web_sys::Event) -> Option<(HtmlFormElement, Element)> {
    let el = dom::target_element(e)?;
    let form = el
        .closest("form[data-checks]")
        .ok()??
        .dyn_into::<HtmlFormElement>()
        .ok()?;
    el.get_attribute("name").filter(|n| !n.is_empty())?;
    Some((form, el))
}

fn error_id(field: &Element) -> String {
    format!("{}-error", field.get_attribute("name").unwrap_or_default())
}

fn check(form: &HtmlFormElement, field: &Element, typing: bool) {
    let name = field.get_attribute("name").unwrap_or_default();
    let mut current = intake::IntakeFields::default();
    if let Ok(data) = FormData::new_with_form(form) {
        if let Ok(Some(entries)) = js_sys::try_iter(&data) {
            for entry in entries.flatten() {
                let pair: js_sys::Array = entry.unchecked_into();
                if let (Some(k), Some(v)) = (pair.get(0).as_string(), pair.get(1).as_string()) {
                    current.set(&k, v);
                }
            }
        }
    }
    let services: Vec<String> = form
        .get_attribute("data-services")
        .unwrap_or_default()
        .split('\n')
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect();
    let today = chrono::Local::now().date_naive();
    let message = intake::check_field(&name, &current, &services, today);
    let id = error_id(field);
    let shown = document().get_element_by_id(&id).is_some();
    // Don't scold an empty required field the moment someone tabs past it.
    let blank = form_value(field).trim().is_empty();
    let message = message.filter(|_| shown || typing || !blank);
    let wrapper = field.closest(".field").ok().flatten();
    let anchor = wrapper
        .as_ref()
        .and_then(|w| w.last_element_child())
        .unwrap_or_else(|| field.clone());
    let anchor = if dom::attr(&anchor, "id") == id {
        anchor.previous_element_sibling().unwrap_or(anchor)
    } else {
        anchor
    };
    dom::message_after(&anchor, &id, "field-error", message.as_deref());
    let invalid = message.is_some();
    let _ = field.set_attribute("aria-invalid", if invalid { "true" } else { "false" });
    if let Some(w) = wrapper {
        let _ = w.class_list().toggle_with_force("invalid", invalid);
    }
}

fn form_value(field: &Element) -> String {
    if let Some(i) = field.dyn_ref::<web_sys::HtmlInputElement>() {
        i.value()
    } else if let Some(s) = field.dyn_ref::<web_sys::HtmlSelectElement>() {
        s.value()
    } else if let Some(t) = field.dyn_ref::<HtmlTextAreaElement>() {
        t.value()
    } else {
        String::new()
    }
}

fn warn_sensitive(area: &HtmlTextAreaElement) {
    let warning = sensitive::warning(&area.value());
    let id = format!("{}-warning", dom::attr(area, "id"));
    dom::message_after(area, &id, "notice warn", warning);
    let button = area
        .closest("form")
        .ok()
        .flatten()
        .and_then(|f| f.query_selector("button[type=submit]").ok().flatten())
        .and_then(|b| b.dyn_into::<HtmlElement>().ok());
    if let Some(b) = button {
        let usual = match b.get_attribute("data-label") {
            Some(l) => l,
            None => {
                let l = b.text_content().unwrap_or_default();
                let _ = b.set_attribute("data-label", &l);
                l
            }
        };
        let text = if warning.is_some() {
            "Send anyway".to_string()
        } else {
            usual
        };
        b.set_text_content(Some(&text));
    }
}

/// After a form was sent and emptied: no warning left about text that is gone.
pub fn after_reset(form: &HtmlFormElement) {
    if let Ok(list) = form.query_selector_all("textarea[data-sensitive]") {
        for i in 0..list.length() {
            if let Some(area) = list
                .item(i)
                .and_then(|n| n.dyn_into::<HtmlTextAreaElement>().ok())
            {
                warn_sensitive(&area);
            }
        }
    }
}
