//! /staff/templates: each alert's wording per channel, on or off, with a preview that fills
//! the placeholders with sample values (and, for a text, its length in texts); with
//! JavaScript the preview follows as you type (`ui::enhance::checks`). Plain forms.
use super::staff_page;
use crate::{
    api::templates::{staff_templates, SaveTemplate, SetAlertNaming},
    model::template::{
        describe_length, sms_length, AlertKind, Channel, Placeholder, TemplateEntry, TemplatesView,
    },
    ui::components::errors::ActionAlert,
};
use leptos::prelude::*;
use leptos_meta::Title;

/// The `saved=` the page came back with after a no-JS save: which form to thank.
fn saved() -> Option<String> {
    leptos_router::hooks::use_query_map()
        .read_untracked()
        .get("saved")
}

#[component]
pub fn TemplatesPage() -> impl IntoView {
    let view = Resource::new(|| (), |_| staff_templates());
    view! {
        <Title text="Alerts — staff" />
        {staff_page(
            view,
            move |_, v: TemplatesView| {
                let technician = if v.name_technician {
                    Placeholder::TechnicianName.sample().to_string()
                } else {
                    Placeholder::NO_NAME.to_string()
                };
                let placeholders = Placeholder::ALL
                    .iter()
                    .map(|p| format!("{{{}}}", p.name()))
                    .collect::<Vec<_>>()
                    .join(" ");
                view! {
                    <section class="page staff templates">
                        <h1>"Alerts"</h1>
                        <p class="small">
                            "Each alert only tells the customer something changed and links back to their room, where the details are. Texts never carry anything private."
                        </p>
                        <p class="small">"Placeholders: " <code>{placeholders}</code></p>
                        <p class="small">
                            "Alerts named “Staff:” go to one person on the team — the technician while a job is under way, otherwise the point of contact (set on the "
                            <a href="/staff/inbox">"Inbox"</a>
                            " page) — by the channel each person chooses there. Their {room_link} opens the request's staff page."
                        </p>
                        <NamingForm on=v.name_technician />
                        {AlertKind::ALL
                            .into_iter()
                            .map(|kind| {
                                let entries: Vec<TemplateEntry> = v
                                    .entries
                                    .iter()
                                    .filter(|e| e.kind == kind)
                                    .cloned()
                                    .collect();
                                let technician = technician.clone();
                                let business = v.business_name.clone();
                                view! {
                                    <section class="alert-kind" id=kind.as_str()>
                                        <h2>{kind.label()}</h2>
                                        {entries
                                            .into_iter()
                                            .map(|entry| {
                                                view! {
                                                    <TemplateForm
                                                        entry
                                                        technician=technician.clone()
                                                        business=business.clone()
                                                    />
                                                }
                                            })
                                            .collect_view()}
                                    </section>
                                }
                            })
                            .collect_view()}
                    </section>
                }
            },
        )}
    }
}

#[component]
fn NamingForm(on: bool) -> impl IntoView {
    let naming = ServerAction::<SetAlertNaming>::new();
    view! {
        <ActionForm action=naming attr:class="message-form naming-form">
            <label class="choice">
                <input type="checkbox" name="name_technician" value="yes" checked=on />
                "Alerts name the technician (\"Sam is on the way\")"
            </label>
            <p class="small">
                "Unticked, alerts don't name people: \"Your technician is on the way\"."
            </p>
            <button type="submit" class="button">
                "Save"
            </button>
        </ActionForm>
        <ActionAlert value=naming.value() />
        {(saved().as_deref() == Some("naming"))
            .then(|| {
                view! {
                    <p class="notice ok" role="status">
                        "Saved."
                    </p>
                }
            })}
    }
}

#[component]
fn TemplateForm(entry: TemplateEntry, technician: String, business: String) -> impl IntoView {
    let save = ServerAction::<SaveTemplate>::new();
    let key = format!("{}-{}", entry.kind.as_str(), entry.channel.as_str());
    let preview = entry.preview(&technician, &business);
    let count = (entry.channel == Channel::Sms).then(|| describe_length(sms_length(&preview)));
    let is_email = entry.channel == Channel::Email;
    let thanked = saved().as_deref() == Some(key.as_str());
    view! {
        <ActionForm action=save attr:class="message-form template-form">
            <h3>{entry.channel.label()} {(!entry.custom).then_some(" (default wording)")}</h3>
            <input type="hidden" name="kind" value=entry.kind.as_str() />
            <input type="hidden" name="channel" value=entry.channel.as_str() />
            <label class="choice">
                <input
                    type="checkbox"
                    name="enabled"
                    value="on"
                    checked=entry.enabled
                    disabled=entry.kind == AlertKind::MagicLink
                />
                {if is_email { "Send this email" } else { "Send this text" }}
            </label>
            {(entry.kind == AlertKind::MagicLink)
                .then(|| {
                    view! {
                        <input type="hidden" name="enabled" value="on" />
                        <p class="small">"Always sent: it's how customers get back in."</p>
                    }
                })}
            {is_email
                .then(|| {
                    view! {
                        <label for=format!("subject-{key}")>"Subject"</label>
                        <input
                            id=format!("subject-{key}")
                            name="subject"
                            type="text"
                            maxlength="200"
                            value=entry.subject.clone()
                        />
                    }
                })}
            <label for=format!("body-{key}")>"Message"</label>
            <textarea
                id=format!("body-{key}")
                name="body"
                rows=if is_email { "8" } else { "3" }
                maxlength=if is_email { "4000" } else { "480" }
                data-preview=format!("preview-{key}")
                data-technician=technician
                data-business=business
            >
                {entry.body.clone()}
            </textarea>
            <p class="small">"Preview with sample values"</p>
            <div class="template-preview" id=format!("preview-{key}") aria-live="polite">
                {preview}
            </div>
            {count
                .map(|c| {
                    view! {
                        <p class="small sms-count" id=format!("preview-{key}-count")>
                            {c}
                        </p>
                    }
                })}
            <button type="submit" class="button primary">
                "Save"
            </button>
        </ActionForm>
        <ActionAlert value=save.value() />
        {thanked
            .then(|| {
                view! {
                    <p class="notice ok" role="status">
                        "Saved."
                    </p>
                }
            })}
    }
}
