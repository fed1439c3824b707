use crate::{
    api::access::my_requests,
    model::{intake::time_window_label, request::RequestSummary},
    ui::components::{clock::TimeAgo, errors::ErrorPanel, layout::SiteHeader},
};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn MyRequestsPage() -> impl IntoView {
    let data = Resource::new(|| (), |_| my_requests());
    view! {
        <Title text="My requests" />
        <SiteHeader />
        <section class="page">
            <h1>"My requests"</h1>
            <Suspense fallback=|| {
                view! { <p class="loading">"Loading…"</p> }
            }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(mine) => {
                            view! {
                                {mine
                                    .single_request_session
                                    .then(|| {
                                        view! {
                                            <p class="notice">
                                                "You're seeing the request you just sent. To see all your requests, open the link we sent to your email or phone."
                                            </p>
                                        }
                                    })}
                                <ul class="request-list">
                                    {mine
                                        .requests
                                        .into_iter()
                                        .map(|r| view! { <RequestRow r /> })
                                        .collect_view()}
                                </ul>
                                <p>
                                    <a class="button primary big" href="/">
                                        "Start a new request"
                                    </a>
                                </p>
                                <p class="small">
                                    "Your contact details will be filled in for you."
                                </p>
                            }
                                .into_any()
                        }
                        Err(e) => view! { <ErrorPanel error=e /> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn RequestRow(r: RequestSummary) -> impl IntoView {
    let href = format!("/room/{}", r.reference);
    let preferred = match r.preferred_date {
        Some(d) => format!(
            "{} · {}",
            d.format("%a %e %b"),
            time_window_label(&r.preferred_window)
        ),
        None => time_window_label(&r.preferred_window).to_string(),
    };
    view! {
        <li>
            <a class="request-row" href=href>
                <span class="row-top">
                    <strong class="reference">{r.reference.clone()}</strong>
                    <span class=format!(
                        "status status-{}",
                        r.status.as_str(),
                    )>{r.status.label()}</span>
                </span>
                <span class="row-main">
                    {r.service_type.clone()} " · " {format!("{}, {}", r.suburb, r.state)}
                </span>
                <span class="row-meta">
                    "Sent " <TimeAgo at=r.created_at /> " · Preferred: " {preferred}
                </span>
            </a>
        </li>
    }
}
