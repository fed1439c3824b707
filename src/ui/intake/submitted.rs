use crate::{
    api::room::get_room,
    model::contact::mask_contact,
    ui::components::layout::{SafetyLine, SiteHeader},
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

/// The confirmation after sending the form.
#[component]
pub fn SubmittedPage() -> impl IntoView {
    let params = use_params_map();
    let reference = move || params.read().get("reference").unwrap_or_default();
    let room = Resource::new(reference, get_room);
    view! {
        <Title text="Request received" />
        <SiteHeader />
        <section class="page narrow">
            <div class="success-mark" aria-hidden="true">
                "✓"
            </div>
            <h1>"We've got your request"</h1>
            <p class="reference-line">
                "Your reference is " <strong class="reference">{reference}</strong>
            </p>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    match room.await {
                        Ok(view) => {
                            let r = view.request;
                            let sent_to = [r.email.clone(), r.phone.clone()]
                                .into_iter()
                                .flatten()
                                .map(|c| mask_contact(&c))
                                .collect::<Vec<_>>()
                                .join(" and ");
                            let href = format!("/room/{}", r.reference);
                            view! {
                                <p>
                                    "We've sent a secure link to " <strong>{sent_to}</strong>
                                    ". Use it any time to come back to this request — it keeps your details, photos and messages in one place."
                                </p>
                                <p>
                                    <a class="button primary big" href=href>
                                        "Open your request room"
                                    </a>
                                </p>
                                <p class="small">{r.status.next_step()}</p>
                            }
                                .into_any()
                        }
                        Err(_) => {
                            view! {
                                <p>
                                    "We've sent a secure link to the email (and phone) you gave us. Open it to see your request."
                                </p>
                            }
                                .into_any()
                        }
                    }
                })}
            </Suspense>
            <SafetyLine />
        </section>
    }
}
