//! The labelled inputs of the request form: each shows its value as typed and its own
//! error message, tied to it for screen readers.
use crate::{model::intake::FieldErrors, ui::components::errors::FieldError};
use leptos::prelude::*;

/// The live error message of one field.
pub fn field_error(errors: RwSignal<FieldErrors>, name: &'static str) -> Signal<Option<String>> {
    Signal::derive(move || errors.with(|e| e.get(name).cloned()))
}

#[component]
pub fn TextField(
    name: &'static str,
    label: &'static str,
    value: String,
    error: Signal<Option<String>>,
    #[prop(optional)] kind: Option<&'static str>,
    #[prop(optional)] autocomplete: Option<&'static str>,
    #[prop(optional)] inputmode: Option<&'static str>,
    #[prop(optional)] hint: Option<&'static str>,
) -> impl IntoView {
    let error_id = format!("{name}-error");
    let described = error_id.clone();
    view! {
        <div class="field" class:invalid=move || error.get().is_some()>
            <label for=name>{label}</label>
            {hint.map(|h| view! { <p class="hint">{h}</p> })}
            <input
                id=name
                name=name
                type=kind.unwrap_or("text")
                value=value
                autocomplete=autocomplete
                inputmode=inputmode
                aria-invalid=move || error.get().is_some().to_string()
                aria-describedby=described
            />
            <FieldError id=error_id message=error />
        </div>
    }
}

#[component]
pub fn SelectField(
    name: &'static str,
    label: &'static str,
    value: String,
    error: Signal<Option<String>>,
    options: Vec<(String, String)>,
    placeholder: &'static str,
) -> impl IntoView {
    let error_id = format!("{name}-error");
    let described = error_id.clone();
    view! {
        <div class="field" class:invalid=move || error.get().is_some()>
            <label for=name>{label}</label>
            <select
                id=name
                name=name
                aria-invalid=move || error.get().is_some().to_string()
                aria-describedby=described
            >
                {(!placeholder.is_empty())
                    .then(|| {
                        view! {
                            <option value="" selected=value.is_empty()>
                                {placeholder}
                            </option>
                        }
                    })}
                {options
                    .into_iter()
                    .map(|(v, l)| {
                        let selected = v == value;
                        view! {
                            <option value=v selected=selected>
                                {l}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
            <FieldError id=error_id message=error />
        </div>
    }
}
