//! The service request form. A plain multipart form post that works before the wasm
//! loads; once hydrated it checks fields as you go and shows upload progress.
use crate::{
    api::intake::{intake_form, IntakeFormData},
    model::intake::{FieldErrors, IntakeFields, IntakeResponse, KeptFile, STATES, TIME_WINDOWS},
    ui::components::{errors::ErrorPanel, layout::SiteHeader},
};
use leptos::{ev::SubmitEvent, prelude::*};
use leptos_meta::Title;

#[component]
pub fn IntakePage() -> impl IntoView {
    let form = Resource::new(|| (), |_| intake_form());
    view! {
        <Title text="Start a request" />
        <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match form.await {
                    Ok(data) => view! { <IntakeFormView data /> }.into_any(),
                    Err(e) => view! { <ErrorPanel error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[derive(Clone, PartialEq)]
enum Sending {
    Idle,
    Uploading(f64),
    Done,
}

#[component]
fn IntakeFormView(data: IntakeFormData) -> impl IntoView {
    let IntakeFormData {
        key,
        services,
        fields,
        errors,
        kept_files,
        returning_customer,
        business_name,
    } = data;
    let errors = RwSignal::new(errors);
    let kept = RwSignal::new(kept_files);
    let sending = RwSignal::new(Sending::Idle);
    let notice = RwSignal::new(None::<String>);
    let services_for_check = StoredValue::new(services.clone());
    let form_ref = NodeRef::<leptos::html::Form>::new();

    let field_error =
        move |name: &'static str| Signal::derive(move || errors.with(|e| e.get(name).cloned()));

    // Checks the field a person just left, using the same rules as the server.
    let on_focusout = move |ev: leptos::ev::FocusEvent| {
        use wasm_bindgen::JsCast;
        let Some(target) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlElement>().ok())
        else {
            return;
        };
        let name = target.get_attribute("name").unwrap_or_default();
        let Some(form) = form_ref.get_untracked() else {
            return;
        };
        let mut current = IntakeFields::default();
        for (k, v) in crate::ui::components::browser::form_text_fields(&form) {
            current.set(&k, v);
        }
        let today = chrono::Local::now().date_naive();
        let message = services_for_check
            .with_value(|s| crate::model::intake::check_field(&name, &current, s, today));
        // Don't scold an empty required field the moment someone tabs past it.
        let untouched_blank = field_is_blank(&current, &name);
        errors.update(|e| match message {
            Some(m) if !untouched_blank || e.contains_key(&name) => {
                e.insert(name.clone(), m);
            }
            Some(_) => {}
            None => {
                e.remove(&name);
            }
        });
    };

    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if sending.get_untracked() != Sending::Idle {
            return; // a double tap sends once
        }
        let Some(form) = form_ref.get_untracked() else {
            return;
        };
        sending.set(Sending::Uploading(0.0));
        let result = crate::ui::components::browser::post_form_with_progress(
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
                handle_response(res, errors, kept, sending, form_ref)
            },
        );
        if let Err(message) = result {
            sending.set(Sending::Idle);
            errors.update(|e| {
                e.insert("_form".into(), message);
            });
        }
    };

    let heading = if returning_customer {
        "Start a new request"
    } else {
        "Start a request"
    };
    let f = fields;
    view! {
        <SiteHeader business=business_name.clone() />
        <section class="page intake">
            <h1 id="request-form">{heading}</h1>
            <p class="lead">
                "Tell us what you need. You'll get a link to your own request page, where you can check progress, add photos and ask questions — no need to call back or repeat yourself."
            </p>
            <p class="small">
                "Already sent a request? " <a href="/get-link">"Get a link to it"</a>
            </p>
            {move || notice.get().map(|m| view! { <div class="notice" role="status" id="form-notice"><p><strong>{m}</strong></p></div> })}
            <Show when=move || errors.with(|e| !e.is_empty())>
                <div class="notice error" role="alert" id="form-errors">
                    <p>
                        <strong>"Please check the highlighted details."</strong>
                        " Everything you typed is still here."
                    </p>
                    {move || errors.with(|e| e.get("_form").cloned()).map(|m| view! { <p>{m}</p> })}
                </div>
            </Show>
            <form
                node_ref=form_ref
                method="post"
                action="/requests"
                enctype="multipart/form-data"
                novalidate
                on:submit=on_submit
                on:focusout=on_focusout
            >
                <input type="hidden" name="idempotency_key" value=key.to_string() />
                <fieldset>
                    <legend>"Your details"</legend>
                    <TextField name="first_name" label="First name" value=f.first_name.clone() error=field_error("first_name") autocomplete="given-name" />
                    <TextField name="last_name" label="Last name" value=f.last_name.clone() error=field_error("last_name") autocomplete="family-name" />
                    <TextField name="email" label="Email" kind="email" value=f.email.clone() error=field_error("email") autocomplete="email" inputmode="email" />
                    <TextField name="phone" label="Mobile or phone (optional)" kind="tel" value=f.phone.clone() error=field_error("phone") autocomplete="tel" inputmode="tel" hint="We'll text you the link too." />
                </fieldset>
                <fieldset>
                    <legend>"Where is the job?"</legend>
                    <TextField name="address_line" label="Street address" value=f.address_line.clone() error=field_error("address_line") autocomplete="street-address" />
                    <TextField name="suburb" label="Suburb or city" value=f.suburb.clone() error=field_error("suburb") autocomplete="address-level2" />
                    <div class="row">
                        <SelectField name="state" label="State" value=f.state.clone() error=field_error("state") options=STATES.iter().map(|s| (s.to_string(), s.to_string())).collect() placeholder="Choose…" />
                        <TextField name="postcode" label="Postcode" value=f.postcode.clone() error=field_error("postcode") autocomplete="postal-code" inputmode="numeric" />
                    </div>
                </fieldset>
                <fieldset>
                    <legend>"What do you need?"</legend>
                    <SelectField name="service_type" label="Type of service" value=f.service_type.clone() error=field_error("service_type") options=services.iter().map(|s| (s.clone(), s.clone())).collect() placeholder="Choose a service…" />
                    <TextField name="preferred_date" label="Preferred date (optional)" kind="date" value=f.preferred_date.clone() error=field_error("preferred_date") />
                    <SelectField name="preferred_window" label="Preferred time" value=if f.preferred_window.is_empty() { "any".to_string() } else { f.preferred_window.clone() } error=field_error("preferred_window") options=TIME_WINDOWS.iter().map(|(k, l)| (k.to_string(), l.to_string())).collect() placeholder="" />
                    <div class="field">
                        <label for="notes">"Anything else we should know? (optional)"</label>
                        <textarea id="notes" name="notes" rows="4" aria-invalid=move || field_error("notes").get().is_some().to_string() aria-describedby="notes-error">
                            {f.notes.clone()}
                        </textarea>
                        <crate::ui::components::errors::FieldError id="notes-error".into() message=field_error("notes") />
                    </div>
                </fieldset>
                <fieldset>
                    <legend>"Photos or documents (optional)"</legend>
                    <p class="hint">"Photos of the problem help us quote faster. JPEG, PNG, WebP or PDF, up to 10 files."</p>
                    <KeptFiles kept />
                    <div class="field">
                        <label for="files" class="file-label">"Add photos or files"</label>
                        <input id="files" type="file" name="files" multiple accept="image/jpeg,image/png,image/webp,application/pdf" aria-describedby="files-error" />
                        <Show when=move || field_error("_files").get().is_some()>
                            <div class="field-error" id="files-error" role="alert">
                                {move || field_error("_files").get().unwrap_or_default().lines().map(|l| view! { <p>{l.to_string()}</p> }).collect_view()}
                            </div>
                        </Show>
                    </div>
                </fieldset>
                {move || match sending.get() {
                    Sending::Uploading(p) => Some(view! {
                        <div class="progress" aria-live="polite">
                            <progress max="100" value=(p * 100.0).round().to_string()></progress>
                            <span>{format!("Sending… {}%", (p * 100.0).round())}</span>
                        </div>
                    }),
                    _ => None,
                }}
                <button type="submit" class="button primary big" disabled=move || sending.get() != Sending::Idle>
                    {move || match sending.get() {
                        Sending::Idle => "Send request",
                        Sending::Uploading(_) => "Sending…",
                        Sending::Done => "Sent — opening your request…",
                    }}
                </button>
            </form>
        </section>
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

fn handle_response(
    res: crate::ui::components::browser::PostResult,
    errors: RwSignal<FieldErrors>,
    kept: RwSignal<Vec<KeptFile>>,
    sending: RwSignal<Sending>,
    form_ref: NodeRef<leptos::html::Form>,
) {
    let parsed: Option<IntakeResponse> = serde_json::from_str(&res.body).ok();
    match parsed {
        Some(IntakeResponse {
            ok: true,
            location: Some(location),
            ..
        }) => {
            sending.set(Sending::Done);
            crate::ui::components::browser::navigate_to(&location);
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

#[component]
fn TextField(
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
            <crate::ui::components::errors::FieldError id=error_id message=error />
        </div>
    }
}

#[component]
fn SelectField(
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
            <select id=name name=name aria-invalid=move || error.get().is_some().to_string() aria-describedby=described>
                {(!placeholder.is_empty()).then(|| view! { <option value="" selected=value.is_empty()>{placeholder}</option> })}
                {options
                    .into_iter()
                    .map(|(v, l)| {
                        let selected = v == value;
                        view! { <option value=v selected=selected>{l}</option> }
                    })
                    .collect_view()}
            </select>
            <crate::ui::components::errors::FieldError id=error_id message=error />
        </div>
    }
}
