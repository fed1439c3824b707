//! The room page: loads the request and lays out its cards, each a `data-region` that
//! `ui::enhance` refreshes in place when it changes.
use super::{
    ask_quote::AskQuoteSection, cards::CardNav, details::RequestDetails, devices::DevicesSection,
    feedback::FeedbackSection, help::HelpSection, photos::PhotosSection, proof::ProofSection,
    quote::QuoteSection, texts::TextsSection, thread::ThreadSection, timeline::StatusSection,
};
use crate::{
    api::{access::SignOut, room::get_room},
    model::room::{Card, RoomView},
    ui::components::{
        clock::TimeAgo,
        layout::{customer_page, SafetyLine, SiteHeader},
    },
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

#[component]
pub fn RoomPage() -> impl IntoView {
    let params = use_params_map();
    // Read once, untracked: the page renders on the server only (islands), once per request.
    // The title is a plain string, never a closure: leptos_meta reads it after the render,
    // outside this request's reactive arena, where a closure could read another request's
    // params.
    let reference = params.read_untracked().get("reference").unwrap_or_default();
    let title = format!("Request {reference}");
    let room = Resource::new(move || reference.clone(), get_room);
    view! {
        <Title text=title />
        {customer_page(
            room,
            "Loading your request…",
            |view| {
                view! {
                    <SiteHeader business=view.business_name.clone() />
                    <RoomBody view />
                }
            },
        )}
    }
}

#[component]
fn RoomBody(view: RoomView) -> impl IntoView {
    let r = view.request.clone();
    let latest = view.updates.first().cloned();
    let sign_out = ServerAction::<SignOut>::new();
    let recommended = view.recommended;
    let ask = view.ask.clone();
    view! {
        <section class="page room" data-live=r.id.to_string()>
            <div data-region="room-top">
                <p class="eyebrow">"Your request"</p>
                <h1 class="room-title">
                    <span class="reference">{r.reference.clone()}</span>
                    " · "
                    {r.service_type.clone()}
                </h1>
                <p class="status-line">
                    <span class=format!(
                        "status status-{}",
                        r.status.as_str(),
                    )>{r.status.label()}</span>
                    {view
                        .urgent
                        .then(|| {
                            view! { <span class="status status-urgent">"Help requested"</span> }
                        })}
                </p>
                {latest
                    .map(|u| {
                        view! {
                            <div class="latest-update" aria-live="polite">
                                <p class="latest-label">"Latest update · " <TimeAgo at=u.at /></p>
                                <p class="latest-body">{u.body}</p>
                            </div>
                        }
                    })}
                <div class="next-step">
                    <h2>
                        "Your next step: "
                        <a href=format!("#{}", recommended.anchor())>{recommended.title()}</a>
                    </h2>
                    <p>
                        {ask.unwrap_or_else(|| next_step_text(recommended, r.status.next_step()))}
                    </p>
                </div>
                <CardNav recommended />
            </div>
            <SafetyLine />
            <StatusSection view=view.clone() />
            <PhotosSection view=view.clone() />
            <AskQuoteSection view=view.clone() />
            <QuoteSection view=view.clone() />
            <HelpSection view=view.clone() />
            <ThreadSection view=view.clone() />
            <ProofSection view=view.clone() />
            <details class="card-like" id="details" open>
                <summary>"What you sent us"</summary>
                <RequestDetails request=r.clone() />
            </details>
            <TextsSection
                consent=view.texts.clone()
                reference=r.reference.clone()
                viewer_is_staff=view.viewer_is_staff
            />
            <DevicesSection entries=view.access.clone() reference=r.reference.clone() />
            <FeedbackSection view=view.clone() />
            <nav class="room-nav">
                <a href="/my-requests">"All my requests"</a>
                <a href="/guide">"How this works"</a>
                <ActionForm action=sign_out attr:class="inline-form">
                    <input type="hidden" name="scope" value="room" />
                    <button type="submit" class="link-button">
                        "Sign out"
                    </button>
                </ActionForm>
            </nav>
        </section>
    }
}

fn next_step_text(card: Card, status_text: &str) -> String {
    match card {
        Card::ReviewQuote => "Your quote is ready. Read it through, then approve it, decline it or ask us a question.".into(),
        Card::AddPhotos => "We'd like a few photos of the problem.".into(),
        Card::Reply => "We need a little more information — please reply below.".into(),
        _ => status_text.to_string(),
    }
}
