//! "Was anything unclear?": private feedback about the path. Only staff read it, on their
//! review list; it never appears on any public page and changes nothing on the request.
use crate::{
    api::proof::SendFeedback,
    model::{guide::GuideStep, room::RoomView},
    ui::components::errors::{came_back_with, ActionAlert},
};
use leptos::prelude::*;

#[component]
pub fn FeedbackSection(view: RoomView) -> impl IntoView {
    if view.viewer_is_staff {
        return ().into_any();
    }
    let send = ServerAction::<SendFeedback>::new();
    let sent = came_back_with("feedback");
    view! {
        <details class="card-like feedback" id="feedback" data-region="feedback" open=sent>
            <summary>"Was anything unclear?"</summary>
            <p>
                {format!(
                    "Tell us where this felt unclear. Only {}'s staff read it: it is never shown on any public page, and it doesn't change your request.",
                    view.business_name,
                )}
            </p>
            {sent
                .then(|| {
                    view! {
                        <p class="notice ok" role="status">
                            "Thank you — only our staff will read it."
                        </p>
                    }
                })}
            <ActionForm action=send attr:class="feedback-form">
                <input type="hidden" name="reference" value=view.request.reference.clone() />
                <input
                    type="hidden"
                    name="client_key"
                    value=format!("{}:feedback", view.form_key)
                />
                <label for="feedback_step">"Which step?"</label>
                <select id="feedback_step" name="step">
                    {GuideStep::ALL
                        .iter()
                        .map(|s| {
                            view! {
                                <option value=s.key() selected=*s == GuideStep::Track>
                                    {s.title()}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
                <label for="feedback_body">"What was unclear?"</label>
                <textarea id="feedback_body" name="body" rows="3" maxlength="2000"></textarea>
                <button type="submit" class="button">
                    "Send privately"
                </button>
            </ActionForm>
            <ActionAlert value=send.value() />
        </details>
    }
    .into_any()
}
