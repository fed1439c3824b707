//! The staff page for one request: everything the customer sent, and every way to answer.
use super::{quote_builder::QuoteBuilder, StaffHeader};
use crate::{
    api::devices::StaffEndAccess,
    api::{
        room::SendMessage,
        staff::current_staff,
        staff_room::{
            staff_room, AddNote, AskCustomer, PostUpdate, ResolveHelp, SetStatus, StaffRoomView,
        },
    },
    model::{intake::TIME_WINDOWS, staff::StaffRole, status::RequestStatus},
    ui::{
        components::{clock::TimeAgo, errors::ErrorPanel, live::use_live_events},
        room::{reload_on_success, AttachmentGrid, RequestDetails, RoomReload, Thread},
    },
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

#[component]
pub fn StaffRequestPage() -> impl IntoView {
    let params = use_params_map();
    let reference = move || params.read().get("reference").unwrap_or_default();
    let me = Resource::new(|| (), |_| current_staff());
    let detail = Resource::new(reference, staff_room);
    provide_context(RoomReload(Callback::new(move |_| detail.refetch())));
    use_live_events(move |ev| {
        if detail
            .get_untracked()
            .and_then(|d| d.ok())
            .map(|d| d.room.request.id)
            == Some(ev.request_id)
        {
            detail.refetch();
        }
    });
    view! {
        <Title text=move || format!("{} — staff", reference()) />
        <Transition fallback=|| view! { <p class="loading">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match (me.await, detail.await) {
                    (Ok(Some(user)), Ok(v)) => view! {
                        <StaffHeader user=user.clone() />
                        <StaffRequestBody v office=user.role != StaffRole::Technician />
                    }
                        .into_any(),
                    (Err(e), _) | (_, Err(e)) => view! { <section class="page narrow"><ErrorPanel error=e /></section> }.into_any(),
                    (Ok(None), _) => view! { <super::StaffOnly /> }.into_any(),
                }
            })}
        </Transition>
    }
}

fn error_line<T: Clone + Send + Sync + 'static>(
    value: impl With<Value = Option<Result<T, crate::model::AppError>>> + Send + Sync + 'static,
) -> impl IntoView {
    move || {
        value.with(|v| {
            v.as_ref()
                .and_then(|r| r.as_ref().err())
                .map(|e| view! { <p class="notice error" role="alert">{e.to_string()}</p> })
        })
    }
}

#[component]
/// `office`: owners and office staff answer, ask, move and quote; technicians (policy.rs)
/// read the request and post updates and notes.
fn StaffRequestBody(v: StaffRoomView, office: bool) -> impl IntoView {
    let r = v.room.request.clone();
    let reference = r.reference.clone();
    let key = v.room.form_key;
    let reply = ServerAction::<SendMessage>::new();
    let update = ServerAction::<PostUpdate>::new();
    let note = ServerAction::<AddNote>::new();
    let ask = ServerAction::<AskCustomer>::new();
    let status = ServerAction::<SetStatus>::new();
    let resolve = ServerAction::<ResolveHelp>::new();
    reload_on_success(reply.value());
    reload_on_success(update.value());
    reload_on_success(note.value());
    reload_on_success(ask.value());
    reload_on_success(status.value());
    reload_on_success(resolve.value());
    let end_access = ServerAction::<StaffEndAccess>::new();
    let room_href = format!("/room/{reference}");
    let rf = StoredValue::new(reference);
    let rf = move || rf.get_value();
    view! {
        <section class="page staff">
            <p><a href="/staff">"← All requests"</a></p>
            <h1><span class="reference">{r.reference.clone()}</span> " · " {r.service_type.clone()}</h1>
            <p class="status-line">
                <span class=format!("status status-{}", r.status.as_str())>{r.status.label()}</span>
                {v.room.urgent.then(|| view! { <span class="status status-urgent">"Urgent: customer asked for help"</span> })}
            </p>
            {v.room.urgent.then(|| view! {
                <div class="notice warn">
                    <p>{match v.room.callback_window.as_deref() {
                        Some(w) => format!("Call back requested: {}", crate::model::intake::time_window_label(w)),
                        None => "The customer asked for a person to help.".to_string(),
                    }}</p>
                    {office.then(|| view! {
                        <ActionForm action=resolve>
                            <input type="hidden" name="reference" value=rf() />
                            <button type="submit" class="button">"Mark help as handled"</button>
                        </ActionForm>
                    })}
                </div>
            })}
            <p class="small"><a href=room_href>"See the customer's room exactly as they see it"</a></p>
            <div class="staff-grid">
                <div>
                    <h2>"Customer's request"</h2>
                    <RequestDetails request=r.clone() />
                    <h2>"Photos and files"</h2>
                    <AttachmentGrid attachments=r.attachments.clone() />

                    <h2 id="thread">"Thread"</h2>
                    <Thread messages=v.room.messages.clone() staff_view=true />
                    {office.then(|| view! {
                    <ActionForm action=reply attr:class="message-form">
                        <input type="hidden" name="reference" value=rf() />
                        <input type="hidden" name="topic" value="general" />
                        <input type="hidden" name="client_key" value=format!("{key}:reply") />
                        <label for="reply">"Reply to the customer (they see this)"</label>
                        <textarea id="reply" name="body" rows="3" required></textarea>
                        <button type="submit" class="button primary">"Send reply"</button>
                    </ActionForm>
                    {error_line(reply.value())}
                    })}
                </div>
                <div>
                    <h2>"Post an update"</h2>
                    <ActionForm action=update attr:class="message-form">
                        <input type="hidden" name="reference" value=rf() />
                        <input type="hidden" name="client_key" value=format!("{key}:update") />
                        <label for="update">"Shown at the top of the customer's room"</label>
                        <textarea id="update" name="body" rows="2" required></textarea>
                        <button type="submit" class="button primary">"Post update"</button>
                    </ActionForm>
                    {error_line(update.value())}

                    {office.then(|| view! {
                    <h2>"Ask the customer"</h2>
                    <ActionForm action=ask attr:class="message-form">
                        <input type="hidden" name="reference" value=rf() />
                        <label for="ask-kind">"What do you need?"</label>
                        <select id="ask-kind" name="kind">
                            <option value="photos">"Photos"</option>
                            <option value="details">"More details"</option>
                        </select>
                        <label for="ask-text">"Your words (the customer sees exactly this)"</label>
                        <textarea id="ask-text" name="text" rows="2" required placeholder="Could you send a photo of the hot water unit's label?"></textarea>
                        <button type="submit" class="button">"Ask the customer"</button>
                    </ActionForm>
                    {error_line(ask.value())}

                    <h2>"Status"</h2>
                    <ActionForm action=status attr:class="message-form">
                        <input type="hidden" name="reference" value=rf() />
                        <label for="status">"Move to"</label>
                        <select id="status" name="status">
                            {RequestStatus::ALL.into_iter().map(|s| view! { <option value=s.as_str() selected=s == r.status>{s.label()}</option> }).collect_view()}
                        </select>
                        <label for="reason">"Reason for the customer (accepted / not able to help)"</label>
                        <input id="reason" name="reason" type="text" />
                        <fieldset>
                            <legend>"When scheduling"</legend>
                            <label for="date">"Date"</label>
                            <input id="date" name="date" type="date" />
                            <label for="window">"Time window"</label>
                            <select id="window" name="window">
                                {TIME_WINDOWS.iter().map(|(k, l)| view! { <option value=*k>{*l}</option> }).collect_view()}
                            </select>
                            <label for="technician">"Technician's first name"</label>
                            <input id="technician" name="technician" type="text" />
                        </fieldset>
                        <button type="submit" class="button">"Update status"</button>
                    </ActionForm>
                    {error_line(status.value())}

                    <h2 id="quote">"Quote"</h2>
                    <QuoteBuilder reference=rf() quotes=v.quotes.clone() default_tax_bp=v.default_tax_bp />
                    })}

                    <h2>"Internal notes"</h2>
                    <ActionForm action=note attr:class="message-form">
                        <input type="hidden" name="reference" value=rf() />
                        <input type="hidden" name="client_key" value=format!("{key}:note") />
                        <label for="note">"Note for staff only — never shown to the customer"</label>
                        <textarea id="note" name="body" rows="2" required></textarea>
                        <button type="submit" class="button">"Add internal note"</button>
                    </ActionForm>
                    {error_line(note.value())}

                    <h2>"Customer access"</h2>
                    <ActionForm action=end_access attr:class="message-form">
                        <input type="hidden" name="reference" value=rf() />
                        <p class="hint">"Ends every link we sent for this request and signs out every browser the customer opened it in. They can still ask for a fresh link, sent to the contact details on the request."</p>
                        <button type="submit" class="button">"End the customer's access"</button>
                    </ActionForm>
                    {move || end_access.value().get().map(|r| match r {
                        Ok(msg) => view! { <p class="notice ok" role="status">{msg}</p> }.into_any(),
                        Err(e) => view! { <p class="notice error" role="alert">{e.to_string()}</p> }.into_any(),
                    })}
                    <ol class="log">
                        {v.log.into_iter().map(|e| view! {
                            <li class:internal-note=e.internal>
                                {e.internal.then(|| view! { <strong>"Internal · "</strong> })}
                                <span>{e.body}</span>
                                <span class="small">" — " {e.actor} ", " <TimeAgo at=e.at /></span>
                            </li>
                        }).collect_view()}
                    </ol>
                </div>
            </div>
        </section>
    }
}
