//! What a swapped-in region keeps from the one it replaces: what the person typed or picked,
//! elements the enhancers own, a notice they were just shown, and the field they are in.
use super::place::forms_by_key;
use crate::ui::enhance::dom::{all, attr, document};
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlFormElement, HtmlInputElement, HtmlSelectElement, HtmlTextAreaElement};

/// Elements the enhancers own (`data-keep` with an id, e.g. an upload's progress list)
/// move into the new region in place of the server's empty placeholder.
pub(super) fn carry_kept(old: &Element, new: &Element) {
    for el in all(old, "[data-keep][id]") {
        let sel = format!("#{}", attr(&el, "id"));
        if let Ok(Some(slot)) = new.query_selector(&sel) {
            let _ = slot.replace_with_with_node_1(&el);
        }
    }
}

/// A notice shown just before a form (`SavedNotice`) stays before the same form.
pub(super) fn carry_notices(old: &Element, new: &Element) {
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

pub(super) fn carry_forms(old: &Element, new: &Element) {
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
pub(super) struct Focus {
    id: String,
    selection: Option<(u32, u32)>,
}

impl Focus {
    pub(super) fn take(region: &Element) -> Option<Focus> {
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

    pub(super) fn restore(self, region: &Element) {
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
