//! /staff/outbox: every alert that went out or is waiting, with its tries and last error;
//! a failed one can be sent again. Cards, not a table: it is read on phones too.
use super::staff_page;
use crate::{
    api::outbox::{staff_outbox, RetryMessage},
    model::outbox::{template_label, Delivery, OutboxEntry},
    ui::components::{
        clock::TimeAgo,
        errors::{came_back_with, ActionAlert},
    },
};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn OutboxPage() -> impl IntoView {
    let entries = Resource::new(|| (), |_| staff_outbox());
    let retry = ServerAction::<RetryMessage>::new();
    let retried = came_back_with("retried");
    view! {
        <Title text="Outbox — staff" />
        {staff_page(
            entries,
            move |_, list: Vec<OutboxEntry>| {
                let failed = list.iter().filter(|e| e.status.can_retry()).count();
                view! {
                    <section class="page staff outbox">
                        <h1>"Outbox"</h1>
                        <p class="small">
                            "Every email and text the room sends: each only points back to the room. Addresses are partly hidden."
                        </p>
                        {retried
                            .then(|| {
                                view! {
                                    <p class="notice ok" role="status">
                                        "Sent again as a new message."
                                    </p>
                                }
                            })}
                        <ActionAlert value=retry.value() />
                        {(failed > 0)
                            .then(|| {
                                view! {
                                    <p class="notice error" role="status">
                                        {format!(
                                            "{failed} message{} failed. Check the address, then send again.",
                                            if failed == 1 { "" } else { "s" },
                                        )}
                                    </p>
                                }
                            })}
                        {list
                            .is_empty()
                            .then(|| view! { <p class="hint">"Nothing has been sent yet."</p> })}
                        <ul class="outbox-list">
                            {list
                                .into_iter()
                                .map(|e| view! { <OutboxItem e retry /> })
                                .collect_view()}
                        </ul>
                    </section>
                }
            },
        )}
    }
}

#[component]
fn OutboxItem(e: OutboxEntry, retry: ServerAction<RetryMessage>) -> impl IntoView {
    let channel = if e.channel == "sms" { "Text" } else { "Email" };
    let tries = match e.attempts {
        1 => "1 try".to_string(),
        n => format!("{n} tries"),
    };
    let can_retry = e.retryable;
    let lost_link = e.status.can_retry() && !e.retryable;
    view! {
        <li class=format!("outbox-item outbox-{}", e.status.as_str())>
            <p class="outbox-head">
                <strong>{template_label(&e.template).to_string()}</strong>
                " · "
                {channel}
                " to "
                <span class="recipient">{e.recipient.clone()}</span>
                " "
                <span class=format!(
                    "status delivery delivery-{}",
                    e.status.as_str(),
                )>{e.status.label()}</span>
            </p>
            <p class="small">
                <TimeAgo at=e.created_at />
                " · "
                {tries}
                {e
                    .reference
                    .clone()
                    .map(|r| {
                        view! {
                            " · "
                            <a href=format!("/staff/requests/{r}")>{r.clone()}</a>
                        }
                    })}
            </p>
            {e
                .last_error
                .clone()
                .filter(|_| e.status != Delivery::Sent)
                .map(|err| {
                    view! { <p class="small outbox-error">{format!("Last error: {err}")}</p> }
                })}
            {can_retry
                .then(|| {
                    view! {
                        <ActionForm action=retry attr:class="inline-form">
                            <input type="hidden" name="id" value=e.id.to_string() />
                            <button type="submit" class="button">
                                "Send again"
                            </button>
                        </ActionForm>
                    }
                })}
            {lost_link
                .then(|| {
                    view! {
                        <p class="small">
                            "Its password link can't be sent again: ask them to request a new one."
                        </p>
                    }
                })}
        </li>
    }
}
