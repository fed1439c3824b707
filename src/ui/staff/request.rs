use super::StaffHeader;
use crate::{
    api::staff::{current_staff, staff_request},
    ui::{
        components::{errors::ErrorPanel, live::use_live_events},
        room::{AttachmentGrid, RequestDetails},
    },
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

#[component]
pub fn StaffRequestPage() -> impl IntoView {
    let params = use_params_map();
    let reference = move || params.read().get("reference").unwrap_or_default();
    let me = Resource::new(|| (), |_| current_staff());
    let detail = Resource::new(reference, staff_request);
    use_live_events(move |ev| {
        if detail.get_untracked().and_then(|d| d.ok()).map(|d| d.id) == Some(ev.request_id) {
            detail.refetch();
        }
    });
    view! {
        <Title text=move || format!("{} — staff", reference()) />
        <Transition fallback=|| view! { <p class="loading">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match (me.await, detail.await) {
                    (Ok(Some(user)), Ok(r)) => view! {
                        <StaffHeader user />
                        <section class="page staff">
                            <p><a href="/staff">"← All requests"</a></p>
                            <h1><span class="reference">{r.reference.clone()}</span> " · " {r.service_type.clone()}</h1>
                            <p><span class=format!("status status-{}", r.status.as_str())>{r.status.label()}</span></p>
                            <RequestDetails request=r.clone() />
                            <h2>"Photos and files"</h2>
                            <AttachmentGrid attachments=r.attachments.clone() />
                        </section>
                    }
                        .into_any(),
                    (Err(e), _) | (_, Err(e)) => view! { <section class="page narrow"><ErrorPanel error=e /></section> }.into_any(),
                    (Ok(None), _) => view! {
                        <section class="page narrow">
                            <h1>"Staff only"</h1>
                            <p><a class="button primary" href="/staff/sign-in">"Sign in"</a></p>
                        </section>
                    }
                        .into_any(),
                }
            })}
        </Transition>
    }
}
