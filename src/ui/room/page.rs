//! A customer's room: one request, what's happening, and what they can do next.
use super::details::{AttachmentGrid, RequestDetails};
use crate::{
    api::{access::SignOut, room::get_room},
    model::request::RequestDetail,
    ui::components::{
        clock::TimeAgo,
        errors::ErrorPanel,
        layout::{SafetyLine, SiteHeader},
        live::use_live_events,
    },
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

#[component]
pub fn RoomPage() -> impl IntoView {
    let params = use_params_map();
    let reference = move || params.read().get("reference").unwrap_or_default();
    let room = Resource::new(reference, get_room);
    use_live_events(move |ev| {
        let showing = room
            .get_untracked()
            .and_then(|r| r.ok())
            .map(|r| r.request.id);
        if showing == Some(ev.request_id) {
            room.refetch();
        }
    });
    view! {
        <Title text=move || format!("Request {}", reference()) />
        <Transition fallback=|| view! { <p class="loading">"Loading your request…"</p> }>
            {move || Suspend::new(async move {
                match room.await {
                    Ok(view) => view! {
                        <SiteHeader business=view.business_name.clone() />
                        <RoomBody view />
                    }
                        .into_any(),
                    Err(e) => view! {
                        <SiteHeader />
                        <section class="page narrow"><ErrorPanel error=e /></section>
                    }
                        .into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn RoomBody(view: crate::model::room::RoomView) -> impl IntoView {
    let r: RequestDetail = view.request;
    let latest = view.updates.first().cloned();
    let tel = format!("tel:{}", view.business_phone.replace(' ', ""));
    let sign_out = ServerAction::<SignOut>::new();
    view! {
        <section class="page room">
            <p class="eyebrow">"Your request"</p>
            <h1 class="room-title">
                <span class="reference">{r.reference.clone()}</span>
                " · "
                {r.service_type.clone()}
            </h1>
            <p class="status-line">
                <span class=format!("status status-{}", r.status.as_str())>{r.status.label()}</span>
            </p>
            {latest.map(|u| view! {
                <div class="latest-update" aria-live="polite">
                    <p class="latest-label">"Latest update · " <TimeAgo at=u.at /></p>
                    <p class="latest-body">{u.body}</p>
                </div>
            })}
            <div class="next-step">
                <h2>"What happens next"</h2>
                <p>{r.status.next_step()}</p>
            </div>
            <details class="card-like" open>
                <summary>"What you sent us"</summary>
                <RequestDetails request=r.clone() />
            </details>
            <section class="files">
                <h2>"Photos and files"</h2>
                <AttachmentGrid attachments=r.attachments.clone() />
            </section>
            <div class="help-line">
                <a class="button" href=tel>"Call " {view.business_name.clone()}</a>
            </div>
            <SafetyLine />
            <nav class="room-nav">
                <a href="/my-requests">"All my requests"</a>
                <ActionForm action=sign_out attr:class="inline-form">
                    <button type="submit" class="link-button">"Sign out"</button>
                </ActionForm>
            </nav>
        </section>
    }
}
