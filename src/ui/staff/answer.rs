//! The forms on a request's staff page, one per way to answer the customer or record
//! something, and the activity log under them. Each form is a plain post; `ui::enhance` swaps the fresh page in.
use crate::{
    api::{
        devices::{StaffEndAccess, ACCESS_ENDED},
        room::SendMessage,
        staff_room::{AddNote, AskCustomer, PostUpdate, ResolveHelp, SetStatus},
    },
    model::{intake::time_window_label, staff::StaffLogEntry, status::RequestStatus, AppError},
    ui::components::clock::TimeAgo,
};
use leptos::prelude::*;
use uuid::Uuid;

fn error_line<T: Clone + Send + Sync + 'static>(
    value: impl With<Value = Option<Result<T, AppError>>> + Send + Sync + 'static,
) -> impl IntoView {
    move || {
        value.with(|v| {
            v.as_ref().and_then(|r| r.as_ref().err()).map(|e| {
                view! {
                    <p class="notice error" role="alert">
                        {e.to_string()}
                    </p>
                }
            })
        })
    }
}

/// The customer asked for a person: when to call back, and (office) a way to mark it handled.
#[component]
pub fn HelpRequested(
    reference: String,
    callback_window: Option<String>,
    office: bool,
) -> impl IntoView {
    let resolve = ServerAction::<ResolveHelp>::new();
    view! {
        <div class="notice warn">
            <p>
                {match callback_window.as_deref() {
                    Some(w) => format!("Call back requested: {}", time_window_label(w)),
                    None => "The customer asked for a person to help.".to_string(),
                }}
            </p>
            {office
                .then(|| {
                    view! {
                        <ActionForm action=resolve>
                            <input type="hidden" name="reference" value=reference />
                            <button type="submit" class="button">
                                "Mark help as handled"
                            </button>
                        </ActionForm>
                    }
                })}
        </div>
    }
}

#[component]
pub fn ReplyForm(reference: String, key: Uuid) -> impl IntoView {
    let reply = ServerAction::<SendMessage>::new();
    view! {
        <ActionForm action=reply attr:class="message-form">
            <input type="hidden" name="reference" value=reference />
            <input type="hidden" name="topic" value="general" />
            <input type="hidden" name="client_key" value=format!("{key}:reply") />
            <label for="reply">"Reply to the customer (they see this)"</label>
            <textarea id="reply" name="body" rows="3" required></textarea>
            <button type="submit" class="button primary">
                "Send reply"
            </button>
        </ActionForm>
        {error_line(reply.value())}
    }
}

#[component]
pub fn PostUpdateForm(reference: String, key: Uuid) -> impl IntoView {
    let update = ServerAction::<PostUpdate>::new();
    view! {
        <h2>"Post an update"</h2>
        <ActionForm action=update attr:class="message-form">
            <input type="hidden" name="reference" value=reference />
            <input type="hidden" name="client_key" value=format!("{key}:update") />
            <label for="update">"Shown at the top of the customer's room"</label>
            <textarea id="update" name="body" rows="2" required></textarea>
            <button type="submit" class="button primary">
                "Post update"
            </button>
        </ActionForm>
        {error_line(update.value())}
    }
}

#[component]
pub fn AskCustomerForm(reference: String) -> impl IntoView {
    let ask = ServerAction::<AskCustomer>::new();
    view! {
        <h2>"Ask the customer"</h2>
        <ActionForm action=ask attr:class="message-form">
            <input type="hidden" name="reference" value=reference />
            <label for="ask-kind">"What do you need?"</label>
            <select id="ask-kind" name="kind">
                <option value="photos">"Photos"</option>
                <option value="details">"More details"</option>
            </select>
            <label for="ask-text">"Your words (the customer sees exactly this)"</label>
            <textarea
                id="ask-text"
                name="text"
                rows="2"
                required
                placeholder="Could you send a photo of the hot water unit's label?"
            ></textarea>
            <button type="submit" class="button">
                "Ask the customer"
            </button>
        </ActionForm>
        {error_line(ask.value())}
    }
}

/// Move the request by hand — only the moves its workflow allows from here. Quoted,
/// Scheduled, In progress and Done-by-job come from the quote and the job.
#[component]
pub fn StatusForm(reference: String, current: RequestStatus) -> impl IntoView {
    let status = ServerAction::<SetStatus>::new();
    let moves = current.manual_moves();
    view! {
        <h2>"Status"</h2>
        <p>"Now: " <strong>{current.staff_label()}</strong></p>
        {if moves.is_empty() {
            view! { <p class="hint">"This request moves with its job (see Job below)."</p> }
                .into_any()
        } else {
            view! {
                <ActionForm action=status attr:class="message-form">
                    <input type="hidden" name="reference" value=reference />
                    <label for="status">"Move to"</label>
                    <select id="status" name="status">
                        {moves
                            .iter()
                            .map(|s| view! { <option value=s.as_str()>{s.staff_label()}</option> })
                            .collect_view()}
                    </select>
                    <label for="reason">
                        "Reason for the customer (needed to reject, optional to accept)"
                    </label>
                    <input id="reason" name="reason" type="text" maxlength="500" />
                    <button type="submit" class="button">
                        "Update status"
                    </button>
                </ActionForm>
            }
                .into_any()
        }}
        {error_line(status.value())}
    }
}

#[component]
pub fn NoteForm(reference: String, key: Uuid) -> impl IntoView {
    let note = ServerAction::<AddNote>::new();
    view! {
        <h2>"Internal notes"</h2>
        <ActionForm action=note attr:class="message-form">
            <input type="hidden" name="reference" value=reference />
            <input type="hidden" name="client_key" value=format!("{key}:note") />
            <label for="note">"Note for staff only — never shown to the customer"</label>
            <textarea id="note" name="body" rows="2" required></textarea>
            <button type="submit" class="button">
                "Add internal note"
            </button>
        </ActionForm>
        {error_line(note.value())}
    }
}

/// End every link and device the customer has for this request.
#[component]
pub fn CustomerAccessForm(reference: String) -> impl IntoView {
    let end_access = ServerAction::<StaffEndAccess>::new();
    let ended = crate::ui::components::errors::came_back_with("access_ended");
    view! {
        <h2>"Customer access"</h2>
        <ActionForm action=end_access attr:class="message-form">
            <input type="hidden" name="reference" value=reference />
            <p class="hint">
                "Ends every link we sent for this request and signs out every browser the customer opened it in. They can still ask for a fresh link, sent to the contact details on the request."
            </p>
            <button type="submit" class="button">
                "End the customer's access"
            </button>
        </ActionForm>
        {move || {
            end_access
                .value()
                .get()
                .or_else(|| ended.then(|| Ok(ACCESS_ENDED.to_string())))
                .map(|r| match r {
                    Ok(msg) => {
                        view! {
                            <p class="notice ok" role="status">
                                {msg}
                            </p>
                        }
                            .into_any()
                    }
                    Err(e) => {
                        view! {
                            <p class="notice error" role="alert">
                                {e.to_string()}
                            </p>
                        }
                            .into_any()
                    }
                })
        }}
    }
}

/// Everything that happened to the request, internal notes marked.
#[component]
pub fn ActivityLog(log: Vec<StaffLogEntry>) -> impl IntoView {
    view! {
        <ol class="log">
            {log
                .into_iter()
                .map(|e| {
                    view! {
                        <li class:internal-note=e
                            .internal>
                            {e.internal.then(|| view! { <strong>"Internal · "</strong> })}
                            <span>{e.body}</span>
                            <span class="small">" — " {e.actor} ", " <TimeAgo at=e.at /></span>
                        </li>
                    }
                })
                .collect_view()}
        </ol>
    }
}
