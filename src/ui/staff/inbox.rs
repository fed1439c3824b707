//! /staff/inbox: texts to the business's number — which request each joined (or that it is
//! a new lead), who it went to and why — and each person's alert choice. Plain forms.
use super::{board::Tags, staff_page};
use crate::{
    api::inbox::{staff_inbox, InboxDone, MyAlerts, PointOfContact},
    model::inbox::{InboxEntry, InboxView},
    ui::components::{
        clock::TimeAgo,
        errors::{ActionAlert, SavedNotice},
    },
};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn InboxPage() -> impl IntoView {
    let view = Resource::new(|| (), |_| staff_inbox());
    let done = ServerAction::<InboxDone>::new();
    view! {
        <Title text="Inbox — staff" />
        {staff_page(
            view,
            move |_, v: InboxView| {
                let waiting = v.entries.iter().filter(|e| !e.handled).count();
                view! {
                    <section class="page staff inbox" data-live="all">
                        <h1>"Inbox"</h1>
                        <p class="small">
                            "Texts to the business's number. A text from a customer with an open request is in that request's thread too; any other number is a new lead."
                        </p>
                        {(waiting > 0)
                            .then(|| {
                                view! {
                                    <p class="notice" role="status">
                                        {format!(
                                            "{waiting} text{} to deal with.",
                                            if waiting == 1 { "" } else { "s" },
                                        )}
                                    </p>
                                }
                            })}
                        <ActionAlert value=done.value() />
                        {v
                            .entries
                            .is_empty()
                            .then(|| view! { <p class="hint">"No texts yet."</p> })}
                        <ul class="inbox-list">
                            {v
                                .entries
                                .iter()
                                .cloned()
                                .map(|e| view! { <InboxItem e done /> })
                                .collect_view()}
                        </ul>
                        <MyAlertsForm channel=v.alert_channel.clone() phone=v.alert_phone.clone() />
                        {v
                            .team
                            .clone()
                            .map(|team| {
                                view! { <ContactForm team current=v.point_of_contact /> }
                            })}
                    </section>
                }
            },
        )}
    }
}

#[component]
fn InboxItem(e: InboxEntry, done: ServerAction<InboxDone>) -> impl IntoView {
    let to = match (&e.to_name, e.to_me) {
        (_, true) => format!("To you, {}", e.because.label()),
        (Some(n), false) => format!("To {n}, {}", e.because.label()),
        (None, _) => "To no one: nobody on the team can take it".to_string(),
    };
    let tel = format!("tel:{}", e.from);
    view! {
        <li class="inbox-item" class:handled=e.handled class:lead=e.reference.is_none()>
            <p class="inbox-head">
                <strong>{e.summary()}</strong>
                " · "
                <a href=tel>{e.from.clone()}</a>
                " · "
                <TimeAgo at=e.received_at />
            </p>
            <Tags tags=e.tags.clone() />
            <p class="message-body">{e.body.clone()}</p>
            <p class="small inbox-route">{to}</p>
            {e
                .reference
                .clone()
                .map(|r| {
                    view! {
                        <a class="button" href=format!("/staff/requests/{r}#thread")>
                            "Open the request to answer"
                        </a>
                    }
                })}
            {(!e.handled)
                .then(|| {
                    view! {
                        <ActionForm action=done attr:class="inline-form">
                            <input type="hidden" name="id" value=e.id.to_string() />
                            <button type="submit" class="button">
                                "Mark as dealt with"
                            </button>
                        </ActionForm>
                    }
                })}
        </li>
    }
}

#[component]
fn MyAlertsForm(channel: String, phone: Option<String>) -> impl IntoView {
    let save = ServerAction::<MyAlerts>::new();
    let option = move |value: &'static str, label: &'static str| {
        view! {
            <label class="choice">
                <input type="radio" name="channel" value=value checked=channel == value />
                {label}
            </label>
        }
    };
    view! {
        <section class="room-section" id="my-alerts">
            <h2>"Your alerts"</h2>
            <p class="hint">
                "When a text, a new request or a customer's answer is yours to deal with, we tell you this way."
            </p>
            <ActionForm action=save attr:class="stack">
                <fieldset>
                    <legend>"Tell me by"</legend>
                    {option("email", "Email")}
                    {option("sms", "Text message")}
                    {option("none", "No alerts (I check the board)")}
                </fieldset>
                <label for="alert-phone">"Mobile number for texts"</label>
                <input
                    id="alert-phone"
                    name="phone"
                    type="tel"
                    autocomplete="tel"
                    value=phone.unwrap_or_default()
                />
                <button type="submit" class="button">
                    "Save"
                </button>
            </ActionForm>
            <SavedNotice flag="alerts" />
            <ActionAlert value=save.value() />
        </section>
    }
}

#[component]
fn ContactForm(
    team: Vec<crate::model::inbox::TeamMember>,
    current: Option<uuid::Uuid>,
) -> impl IntoView {
    let save = ServerAction::<PointOfContact>::new();
    view! {
        <section class="room-section" id="point-of-contact">
            <h2>"Point of contact"</h2>
            <p class="hint">
                "Texts and staff alerts go to the technician while a job is under way (On my way until Finished), otherwise to this person. With nobody chosen, to the owner."
            </p>
            <ActionForm action=save attr:class="stack">
                <label for="poc">"Point of contact"</label>
                <select id="poc" name="staff_id">
                    <option value="" selected=current.is_none()>
                        "Nobody (the owner)"
                    </option>
                    {team
                        .into_iter()
                        .map(|m| {
                            view! {
                                <option value=m.id.to_string() selected=current == Some(m.id)>
                                    {m.name}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
                <button type="submit" class="button">
                    "Save"
                </button>
            </ActionForm>
            <SavedNotice flag="contact" />
            <ActionAlert value=save.value() />
        </section>
    }
}
