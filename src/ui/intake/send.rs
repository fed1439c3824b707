//! What the request form does once hydrated: check a field when it is left, send the form
//! with upload progress, and show what the server answered.
use crate::{
    model::intake::{FieldErrors, IntakeFields, IntakeResponse, KeptFile},
    ui::components::browser,
};
use leptos::{
    ev::{FocusEvent, SubmitEvent},
    prelude::*,
};

/// Where sending the form is up to; the button and progress bar show it.
#[derive(Clone, PartialEq)]
pub enum Sending {
    Idle,
    Uploading(f64),
    Done,
}

/// The form's state in the browser; every part is a signal, so this is `Copy`.
#[derive(Clone, Copy)]
pub struct FormState {
    pub errors: RwSignal<FieldErrors>,
    pub kept: RwSignal<Vec<KeptFile>>,
    pub sending: RwSignal<Sending>,
    pub notice: RwSignal<Option<String>>,
    pub form_ref: NodeRef<leptos::html::Form>,
}

/// Checks the field a person just left, using the same rules as the server.
pub fn check_left_field(ev: FocusEvent, state: FormState, services: StoredValue<Vec<String>>) {
    use wasm_bindgen::JsCast;
    let Some(target) = ev
        .target()
        .and_then(|t| t.dyn_into::<web_sys::HtmlElement>().ok())
    else {
        return;
    };
    let name = target.get_attribute("name").unwrap_or_default();
    let Some(form) = state.form_ref.get_untracked() else {
        return;
    };
    let mut current = IntakeFields::default();
    for (k, v) in browser::form_text_fields(&form) {
        current.set(&k, v);
    }
    let today = chrono::Local::now().date_naive();
    let message =
        services.with_value(|s| crate::model::intake::check_field(&name, &current, s, today));
    // Don't scold an empty required field the moment someone tabs past it.
    let untouched_blank = field_is_blank(&current, &name);
    state.errors.update(|e| match message {
        Some(m) if !untouched_blank || e.contains_key(&name) => {
            e.insert(name.clone(), m);
        }
        Some(_) => {}
        None => {
            e.remove(&name);
        }
    });
}

/// Sends the form itself (instead of the browser's plain post) so the upload shows progress.
pub fn submit(ev: SubmitEvent, state: FormState) {
    ev.prevent_default();
    let FormState {
        errors,
        sending,
        notice,
        form_ref,
        ..
    } = state;
    if sending.get_untracked() != Sending::Idle {
        return; // a double tap sends once
    }
    let Some(form) = form_ref.get_untracked() else {
        return;
    };
    sending.set(Sending::Uploading(0.0));
    let result = browser::post_form_with_progress(
        "/requests",
        &form,
        move |p| sending.set(Sending::Uploading(p)),
        move |res| {
            let parsed: Option<IntakeResponse> = serde_json::from_str(&res.body).ok();
            if let Some(message) = parsed.and_then(|r| r.notice) {
                sending.set(Sending::Idle);
                notice.set(Some(message));
                scroll_to_errors();
                return;
            }
            handle_response(res, state)
        },
    );
    if let Err(message) = result {
        sending.set(Sending::Idle);
        errors.update(|e| {
            e.insert("_form".into(), message);
        });
    }
}

fn field_is_blank(fields: &IntakeFields, name: &str) -> bool {
    let value = match name {
        "first_name" => &fields.first_name,
        "last_name" => &fields.last_name,
        "email" => &fields.email,
        "address_line" => &fields.address_line,
        "suburb" => &fields.suburb,
        "state" => &fields.state,
        "postcode" => &fields.postcode,
        "service_type" => &fields.service_type,
        _ => return false,
    };
    value.trim().is_empty()
}

fn handle_response(res: browser::PostResult, state: FormState) {
    let FormState {
        errors,
        kept,
        sending,
        form_ref,
        ..
    } = state;
    let parsed: Option<IntakeResponse> = serde_json::from_str(&res.body).ok();
    match parsed {
        Some(IntakeResponse {
            ok: true,
            location: Some(location),
            ..
        }) => {
            sending.set(Sending::Done);
            browser::navigate_to(&location);
        }
        Some(r) => {
            sending.set(Sending::Idle);
            errors.set(r.errors);
            kept.set(r.kept_files);
            // Accepted files are kept on the server; clear the picker so they aren't sent twice.
            if let Some(form) = form_ref.get_untracked() {
                use wasm_bindgen::JsCast;
                if let Some(input) = form
                    .query_selector("input[type=file]")
                    .ok()
                    .flatten()
                    .and_then(|e| e.dyn_into::<web_sys::HtmlInputElement>().ok())
                {
                    input.set_value("");
                }
            }
            scroll_to_errors();
        }
        None => {
            sending.set(Sending::Idle);
            let message = if res.status == 0 {
                "We couldn't reach the server — check your connection and tap Send again. Nothing you typed is lost, and it won't be sent twice."
            } else {
                "Something went wrong on our side. Nothing you typed is lost — please tap Send again."
            };
            errors.update(|e| {
                e.insert("_form".into(), message.into());
            });
            scroll_to_errors();
        }
    }
}

fn scroll_to_errors() {
    if let Some(el) = web_sys::window().and_then(|w| w.document()).and_then(|d| {
        d.get_element_by_id("form-notice")
            .or_else(|| d.get_element_by_id("form-errors"))
            .or_else(|| d.get_element_by_id("request-form"))
    }) {
        el.scroll_into_view();
    }
}
