//! `/proof`: words customers approved and staff published — no ratings, rankings, scores or
//! prices; a plain "No proof yet" when there is none.
use crate::{
    api::proof::read_proof,
    model::proof::ProofPage as Page,
    ui::components::layout::{customer_page, SiteHeader},
};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn ProofPage() -> impl IntoView {
    let page = Resource::new(|| (), |_| read_proof());
    view! {
        <Title text="What customers said" />
        {customer_page(page, "Loading…", |p| view! { <ProofList p /> })}
    }
}

#[component]
fn ProofList(p: Page) -> impl IntoView {
    let empty = p.entries.is_empty();
    view! {
        <SiteHeader business=p.business_name.clone() />
        <section class="page narrow proof-page">
            <h1>"What customers said"</h1>
            <p class="hint">
                {format!(
                    "Each customer below chose to share these words with {} and approved them as shown. Any of them can take theirs back at any time.",
                    p.business_name,
                )}
            </p>
            {empty.then(|| view! { <p class="empty-proof">"No proof yet."</p> })}
            <ul class="proof-list">
                {p
                    .entries
                    .into_iter()
                    .map(|e| {
                        view! {
                            <li>
                                <blockquote class="proof-words">
                                    <p>{e.wording}</p>
                                    <footer>
                                        {format!(
                                            "— {} · {} · {}",
                                            e.attribution,
                                            e.service_type,
                                            e.published_at.format("%B %Y"),
                                        )}
                                    </footer>
                                </blockquote>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
            <p>
                <a href="/guide">"How a request works"</a>
            </p>
        </section>
    }
}
