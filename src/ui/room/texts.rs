//! "Text messages": whether we text the request's number, and the switch to change it. The
//! same choice as replying STOP or START to one of our texts; without JavaScript the form
//! posts and the room comes back.
use crate::{api::room::SetTexts, model::room::TextConsent, ui::components::errors::ActionAlert};
use leptos::prelude::*;

#[component]
pub fn TextsSection(
    consent: Option<TextConsent>,
    reference: String,
    viewer_is_staff: bool,
) -> impl IntoView {
    let set = ServerAction::<SetTexts>::new();
    let Some(c) = consent else {
        return ().into_any();
    };
    let (state, button, next) = if c.on {
        (
            format!(
                "We text {} when something changes, each time with a link back here.",
                c.phone
            ),
            "Stop texts",
            "false",
        )
    } else {
        (
            format!("Texts to {} are off. We still update this page and email you if you gave us an email.", c.phone),
            "Text me again",
            "true",
        )
    };
    view! {
        <section class="room-section" id="texts" data-region="texts">
            <h2>"Text messages"</h2>
            <p class="texts-state">{state}</p>
            {if viewer_is_staff {
                view! { <p class="hint">"Only the customer can change this."</p> }.into_any()
            } else {
                view! {
                    <ActionForm action=set attr:class="inline-form">
                        <input type="hidden" name="reference" value=reference />
                        <input type="hidden" name="on" value=next />
                        <button type="submit" class="button">
                            {button}
                        </button>
                    </ActionForm>
                    <p class="hint">"Replying STOP or START to one of our texts does the same."</p>
                }
                    .into_any()
            }}
            <ActionAlert value=set.value() />
        </section>
    }
    .into_any()
}
