use crate::ui::components::errors::ActionAlert;
use crate::{api::room::SendMessage, model::room::RoomView};
use leptos::prelude::*;

pub const QUICK_QUESTIONS: [&str; 3] = [
    "How much will it cost?",
    "What's included?",
    "When can you come?",
];

/// Ask about a quote: one-tap questions, or your own words. Answers arrive in the thread.
#[component]
pub fn AskQuoteSection(view: RoomView) -> impl IntoView {
    let chip = ServerAction::<SendMessage>::new();
    let own = ServerAction::<SendMessage>::new();
    let reference = view.request.reference.clone();
    let key = view.form_key;
    view! {
        <section class="room-section" id="ask-quote" data-region="ask-quote">
            <h2>"Ask about a quote"</h2>
            <p class="hint">
                "Tap a question — it goes to our team with your request attached. Answers appear under “Reply or add info”."
            </p>
            <div class="chips">
                {QUICK_QUESTIONS
                    .into_iter()
                    .enumerate()
                    .map(|(i, q)| {
                        let reference = reference.clone();
                        view! {
                            <ActionForm action=chip attr:class="chip-form">
                                <input type="hidden" name="reference" value=reference />
                                <input type="hidden" name="topic" value="quote" />
                                <input
                                    type="hidden"
                                    name="client_key"
                                    value=format!("{key}:chip{i}")
                                />
                                <input type="hidden" name="body" value=q />
                                <button type="submit" class="chip">
                                    {q}
                                </button>
                            </ActionForm>
                        }
                    })
                    .collect_view()}
            </div>
            {move || {
                chip.value()
                    .get()
                    .map(|r| match r {
                        Ok(()) => {
                            view! {
                                <p class="notice ok" role="status">
                                    "Sent. We'll answer in your messages below."
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
            <ActionForm action=own attr:class="message-form">
                <input type="hidden" name="reference" value=reference.clone() />
                <input type="hidden" name="topic" value="quote" />
                <input type="hidden" name="client_key" value=format!("{key}:quote-own") />
                <label for="quote-question">"Or ask in your own words"</label>
                <textarea id="quote-question" name="body" rows="2" required></textarea>
                <button type="submit" class="button big">
                    "Send question"
                </button>
            </ActionForm>
            <ActionAlert value=own.value() />
        </section>
    }
}
