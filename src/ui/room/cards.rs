use crate::model::room::Card;
use leptos::prelude::*;

fn blurb(card: Card) -> &'static str {
    match card {
        Card::CheckStatus => "Where your job is up to",
        Card::AddPhotos => "Show us the problem",
        Card::AskQuote => "How much, what's included, when",
        Card::ReviewQuote => "Read, approve or decline",
        Card::GetHelp => "Talk to a person",
        Card::Reply => "Messages with our team",
    }
}

/// The big tap targets at the top of the room; one is highlighted as the next step.
#[component]
pub fn CardNav(recommended: Card) -> impl IntoView {
    view! {
        <nav class="cards" aria-label="What would you like to do?">
            {Card::ALL
                .into_iter()
                .map(|card| {
                    let is_next = card == recommended;
                    view! {
                        <a
                            class="card"
                            class:recommended=is_next
                            href=format!("#{}", card.anchor())
                            aria-current=is_next.then_some("step")
                        >
                            {is_next
                                .then(|| view! { <span class="card-badge">"Recommended"</span> })}
                            <span class="card-title">{card.title()}</span>
                            <span class="card-body">{blurb(card)}</span>
                        </a>
                    }
                })
                .collect_view()}
        </nav>
    }
}
