//! "Who can open this request": the links we sent and the signed-in devices, each with an
//! End button. Works without JavaScript (the End form posts and the room comes back).
use crate::{
    api::devices::EndRoomAccess,
    model::room::{AccessEntry, AccessKind},
    ui::components::{clock::TimeAgo, errors::ActionAlert},
};
use leptos::prelude::*;

#[component]
pub fn DevicesSection(entries: Vec<AccessEntry>, reference: String) -> impl IntoView {
    let end = ServerAction::<EndRoomAccess>::new();
    let list = if entries.is_empty() {
        view! { <p>"No links or devices are active."</p> }.into_any()
    } else {
        view! {
            <ul class="access-list">
                {entries
                    .into_iter()
                    .map(|e| view! { <AccessRow entry=e end reference=reference.clone() /> })
                    .collect_view()}
            </ul>
        }
        .into_any()
    };
    view! {
        <section class="room-section" id="access" data-region="access">
            <h2>"Who can open this request"</h2>
            <p class="hint">
                "The links we sent you and the browsers signed in to this request. End any you don't recognise — you can always ask us for a fresh link."
            </p>
            {list}
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
