//! `/guide`: the customer's path in order; a signed-in customer sees where their newest
//! request is, with a link to the next step.
use crate::{
    api::proof::guide,
    model::guide::{GuideStep, GuideView},
    ui::components::layout::{customer_page, SiteHeader},
};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn GuidePage() -> impl IntoView {
    let page = Resource::new(|| (), |_| guide());
    view! {
        <Title text="How a request works" />
        {customer_page(page, "Loading…", |g| view! { <Guide g /> })}
    }
}

#[component]
fn Guide(g: GuideView) -> impl IntoView {
    let here = g.current.as_ref().map(|c| c.step);
    let at = |s: GuideStep| GuideStep::ALL.iter().position(|x| *x == s).unwrap_or(0);
    view! {
        <SiteHeader business=g.business_name.clone() />
        <section class="page narrow guide-page">
            <h1>"How a request works"</h1>
            {g
                .current
                .clone()
                .map(|c| {
                    view! {
                        <div class="notice ok guide-here">
                            <p>
                                {format!(
                                    "Your request {} is at step {}: {}.",
                                    c.reference,
                                    at(c.step) + 1,
                                    c.step.title().to_lowercase(),
                                )}
                            </p>
                            <p>
                                <a class="button primary" href=c.next_href>
                                    {format!("Go to {}", c.step.title().to_lowercase())}
                                </a>
                            </p>
                        </div>
                    }
                })}
            <ol class="guide-steps">
                {GuideStep::ALL
                    .iter()
                    .map(|s| {
                        let state = match here {
                            Some(h) if *s == h => "guide-step current",
                            Some(h) if at(*s) < at(h) => "guide-step done",
                            _ => "guide-step",
                        };
                        view! {
                            <li class=state aria-current=(here == Some(*s)).then_some("step")>
                                <h2>
                                    {s.title()}
                                    {(here == Some(*s))
                                        .then(|| {
                                            view! { <span class="here">" — you are here"</span> }
                                        })}
                                </h2>
                                <p>{s.explain()}</p>
                            </li>
                        }
                    })
                    .collect_view()}
            </ol>
            <p>
                <a class="button" href="/">
                    "Start a request"
                </a>
            </p>
        </section>
    }
}
