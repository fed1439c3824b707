//! The parts of the request form a person sees, top to bottom: the notices above it, its four
//! fieldsets, the upload progress and the Send button.
use super::fields::{field_error, SelectField, TextField};
use crate::{
    model::intake::{FieldErrors, IntakeFields, KeptFile, STATES, TIME_WINDOWS},
    ui::components::errors::FieldError,
};
use leptos::prelude::*;

/// What came back from the last try: a notice from the server, or "check the highlighted details".
#[component]
pub fn FormNotices(
    notice: RwSignal<Option<String>>,
    errors: RwSignal<FieldErrors>,
) -> impl IntoView {
    view! {
        {move || {
            notice
                .get()
                .map(|m| {
                    view! {
                        <div class="notice" role="status" id="form-notice">
                            <p>
                                <strong>{m}</strong>
                            </p>
                        </div>
                    }
                })
        }}
        <Show when=move || errors.with(|e| !e.is_empty())>
            <div class="notice error" role="alert" id="form-errors">
                <p>
                    <strong>"Please check the highlighted details."</strong>
                    " Everything you typed is still here."
                </p>
                {move || errors.with(|e| e.get("_form").cloned()).map(|m| view! { <p>{m}</p> })}
            </div>
        </Show>
    }
}

#[component]
pub fn YourDetails(f: IntakeFields, errors: RwSignal<FieldErrors>) -> impl IntoView {
    let field_error = move |name| field_error(errors, name);
    view! {
        <fieldset>
            <legend>"Your details"</legend>
            <TextField
                name="first_name"
                label="First name"
                value=f.first_name
                error=field_error("first_name")
                autocomplete="given-name"
            />
            <TextField
                name="last_name"
                label="Last name"
                value=f.last_name
                error=field_error("last_name")
                autocomplete="family-name"
            />
            <TextField
                name="email"
                label="Email"
                kind="email"
                value=f.email
                error=field_error("email")
                autocomplete="email"
                inputmode="email"
            />
            <TextField
                name="phone"
                label="Mobile or phone (optional)"
                kind="tel"
                value=f.phone
                error=field_error("phone")
                autocomplete="tel"
                inputmode="tel"
                hint="We'll text you the link too."
            />
        </fieldset>
    }
}

#[component]
pub fn JobAddress(f: IntakeFields, errors: RwSignal<FieldErrors>) -> impl IntoView {
    let field_error = move |name| field_error(errors, name);
    view! {
        <fieldset>
            <legend>"Where is the job?"</legend>
            <TextField
                name="address_line"
                label="Street address"
                value=f.address_line
                error=field_error("address_line")
                autocomplete="street-address"
            />
            <TextField
                name="suburb"
                label="Suburb or city"
                value=f.suburb
                error=field_error("suburb")
                autocomplete="address-level2"
            />
            <div class="row">
                <SelectField
                    name="state"
                    label="State"
                    value=f.state
                    error=field_error("state")
                    options=STATES.iter().map(|s| (s.to_string(), s.to_string())).collect()
                    placeholder="Choose…"
                />
                <TextField
                    name="postcode"
                    label="Postcode"
                    value=f.postcode
                    error=field_error("postcode")
                    autocomplete="postal-code"
                    inputmode="numeric"
                />
            </div>
        </fieldset>
    }
}

/// The service, when it suits, and anything else.
#[component]
pub fn JobNeeds(
    f: IntakeFields,
    errors: RwSignal<FieldErrors>,
    services: Vec<String>,
) -> impl IntoView {
    let field_error = move |name| field_error(errors, name);
    let window = if f.preferred_window.is_empty() {
        "any".to_string()
    } else {
        f.preferred_window
    };
    view! {
        <fieldset>
            <legend>"What do you need?"</legend>
            <SelectField
                name="service_type"
                label="Type of service"
                value=f.service_type
                error=field_error("service_type")
                options=services.iter().map(|s| (s.clone(), s.clone())).collect()
                placeholder="Choose a service…"
            />
            <TextField
                name="preferred_date"
                label="Preferred date (optional)"
                kind="date"
                value=f.preferred_date
                error=field_error("preferred_date")
            />
            <SelectField
                name="preferred_window"
                label="Preferred time"
                value=window
                error=field_error("preferred_window")
                options=TIME_WINDOWS.iter().map(|(k, l)| (k.to_string(), l.to_string())).collect()
                placeholder=""
            />
            <div class="field">
                <label for="notes">"Anything else we should know? (optional)"</label>
                <textarea
                    id="notes"
                    name="notes"
                    rows="4"
                    aria-invalid=move || field_error("notes").get().is_some().to_string()
                    aria-describedby="notes-error"
                >
                    {f.notes}
                </textarea>
                <FieldError id="notes-error".into() message=field_error("notes") />
            </div>
        </fieldset>
    }
}

/// Files kept from the last try, and the picker for more.
#[component]
pub fn FilesFieldset(
    kept: RwSignal<Vec<KeptFile>>,
    errors: RwSignal<FieldErrors>,
) -> impl IntoView {
    let files_error = field_error(errors, "_files");
    view! {
        <fieldset>
            <legend>"Photos or documents (optional)"</legend>
            <p class="hint">
                "Photos of the problem help us quote faster. JPEG, PNG, WebP or PDF, up to 10 files."
            </p>
            <KeptFiles kept />
            <div class="field">
                <label for="files" class="file-label">
                    "Add photos or files"
                </label>
                <input
                    id="files"
                    type="file"
                    name="files"
                    multiple
                    accept="image/jpeg,image/png,image/webp,application/pdf"
                    aria-describedby="files-error"
                />
                <Show when=move || files_error.get().is_some()>
                    <div class="field-error" id="files-error" role="alert">
                        {move || {
                            files_error
                                .get()
                                .unwrap_or_default()
                                .lines()
                                .map(|l| view! { <p>{l.to_string()}</p> })
                                .collect_view()
                        }}
                    </div>
                </Show>
            </div>
        </fieldset>
    }
}

#[component]
fn KeptFiles(kept: RwSignal<Vec<KeptFile>>) -> impl IntoView {
    view! {
        <Show when=move || kept.with(|k| !k.is_empty())>
            <div class="kept-files">
                <p>"Already attached (kept from your last try):"</p>
                <ul>
                    {move || {
                        kept.get()
                            .into_iter()
                            .map(|f| view! { <li>{f.name} " · " {format_size(f.size)}</li> })
                            .collect_view()
                    }}
                </ul>
            </div>
        </Show>
    }
}

pub fn format_size(bytes: i64) -> String {
    if bytes >= 1024 * 1024 {
        format!("{:.1} MB", bytes as f64 / (1024.0 * 1024.0))
    } else {
        format!("{} KB", (bytes + 1023) / 1024)
    }
}

/// The Send button. While the form is on its way (with JavaScript) it says so
/// (`data-busy-label`, `ui::enhance::forms`) and a second tap does nothing.
#[component]
pub fn SendControls() -> impl IntoView {
    view! {
        <button type="submit" class="button primary big" data-busy-label="Sending…">
            "Send request"
        </button>
    }
}
