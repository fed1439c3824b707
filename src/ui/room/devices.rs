//! "Who can open this request": the links we sent and the signed-in devices, each with an
//! End button. Works without JavaScript (the End form posts and the room comes back).
use crate::ui::components::errors::ActionAlert;
use crate::{
    api::devices::{room_access, AccessEntry, AccessKind, EndRoomAccess},
    model::AppError,
    ui::components::{clock::TimeAgo, errors::ErrorPanel},
};
use leptos::prelude::*;

pub type AccessList = Resource<Result<Vec<AccessEntry>, AppError>>;

/// Made by the page itself (next to the room's own resource), so server rendering waits
/// for it like the rest of the room.
pub fn access_list(reference: impl Fn() -> String + Send + Sync + 'static) -> AccessList {
    Resource::new(reference, room_access)
}

#[component]
pub fn DevicesSection(list: AccessList, reference: String) -> impl IntoView {
    let end = ServerAction::<EndRoomAccess>::new();
    let rf = StoredValue::new(reference);
    Effect::new(move |_| {
        if end.version().get() > 0 {
            list.refetch();
        }
    });
    view! {
        <section class="room-section" id="access" data-region="access">
            <h2>"Who can open this request"</h2>
            <p class="hint">
                "The links we sent you and the browsers signed in to this request. End any you don't recognise — you can always ask us for a fresh link."
            </p>
            <Transition fallback=|| {
                view! { <p class="loading">"Loading…"</p> }
            }>
                {move || Suspend::new(async move {
                    match list.await {
                        Ok(entries) if entries.is_empty() => {
                            view! { <p>"No links or devices are active."</p> }.into_any()
                        }
                        Ok(entries) => {
                            view! {
                                <ul class="access-list">
                                    {entries
                                        .into_iter()
                                        .map(|e| {
                                            view! { <AccessRow entry=e end reference=rf.get_value() /> }
                                        })
                                        .collect_view()}
                                </ul>
                            }
                                .into_any()
                        }
                        Err(e) => view! { <ErrorPanel error=e /> }.into_any(),
                    }
                })}
            </Transition>
            <ActionAlert value=end.value() />
        </section>
    }
}

#[component]
fn AccessRow(
    entry: AccessEntry,
    end: ServerAction<EndRoomAccess>,
    reference: String,
) -> impl IntoView {
    let what = match entry.kind {
        AccessKind::Link => "End link",
        AccessKind::Device if entry.this_device => "Sign out here",
        AccessKind::Device => "End",
    };
    let origin = match entry.kind {
        AccessKind::Link => None,
        AccessKind::Device => Some(format!(" · signed in from {}", entry.channel)),
    };
    view! {
        <li class="access-entry">
            <span class="access-label">
                <strong>{entry.label}</strong>
                {entry.this_device.then(|| view! { <span class="card-badge">"This device"</span> })}
            </span>
            <span class="small">
                "Created " <TimeAgo at=entry.created_at /> {origin} " · "
                {match entry.last_used_at {
                    Some(at) => {
                        view! {
                            "last used "
                            <TimeAgo at />
                        }
                            .into_any()
                    }
                    None => view! { "not used yet" }.into_any(),
                }}
            </span>
            <ActionForm action=end attr:class="inline-form">
                <input type="hidden" name="reference" value=reference />
                <input type="hidden" name="id" value=entry.id />
                <button type="submit" class="link-button">
                    {what}
                </button>
            </ActionForm>
        </li>
    }
}
