use crate::{model::room::RoomView, ui::components::clock::TimeAgo};
use leptos::prelude::*;

/// Check status: the journey so far, in customer words only.
#[component]
pub fn StatusSection(view: RoomView) -> impl IntoView {
    let nothing_yet = view.quote.is_none() && view.updates.len() <= 1;
    view! {
        <section class="room-section" id="status" data-region="status">
            <h2>"Check status"</h2>
            <ol class="timeline">
                {view
                    .timeline
                    .into_iter()
                    .map(|step| {
                        let done = step.done_at.is_some();
                        view! {
                            <li class="step" class:done=done class:todo=!done>
                                <span class="step-title">{step.title}</span>
                                {match step.done_at {
                                    Some(at) => {
                                        view! {
                                            <span class="step-when">
                                                <TimeAgo at />
                                            </span>
                                        }
                                            .into_any()
                                    }
                                    None => {
                                        view! { <span class="step-when">"Not yet"</span> }
                                            .into_any()
                                    }
                                }}
                                {step
                                    .detail
                                    .map(|d| view! { <span class="step-detail">{d}</span> })}
                            </li>
                        }
                    })
                    .collect_view()}
            </ol>
            {nothing_yet
                .then(|| {
                    view! {
                        <p class="empty">
                            "No quote or next-step message yet — it will be prepared by a person; you don't need to send a second request."
                        </p>
                    }
                })}
        </section>
    }
}
