//! Where a form is on the page, stable across swaps: forms are matched by key, not by
//! element, because a swap replaces the elements.
use crate::ui::enhance::dom::{all, attr, document};
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlFormElement};

/// A form is matched by its id, else by its action and its place among forms with that
/// action (a room has several forms posting to the same server function).
fn form_key(form: &HtmlFormElement, nth: usize) -> String {
    let id = attr(form, "id");
    if !id.is_empty() {
        return format!("#{id}");
    }
    format!("{}|{nth}", attr(form, "action"))
}

pub(super) fn forms_by_key(root: &Element) -> Vec<(String, HtmlFormElement)> {
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
