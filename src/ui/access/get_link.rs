use crate::{
    api::access::{RequestRoomLink, LINK_SENT_MESSAGE},
    ui::components::layout::{SafetyLine, SiteHeader},
};
use leptos::prelude::*;
use leptos_meta::Title;

/// Getting back in: an expired or lost link becomes a fresh one, sent to the contact.
#[component]
pub fn GetLinkPage(expired: bool) -> impl IntoView {
    let action = ServerAction::<RequestRoomLink>::new();
    let result = action.value();
    // A form post comes back here with `?sent=1` (`api::access::request_room_link`).
    let sent = crate::ui::components::errors::came_back_with("sent");
    let heading = if expired {
        "This link has expired"
    } else {
        "Get a link to your request"
    };
    view! {
        <Title text=heading />
        <SiteHeader />
        <section class="page narrow">
            <h1>{heading}</h1>
            <p class="lead">
                {if expired {
                    "That's normal — links stop working after a while to keep your details safe. Enter the email or phone you used and we'll send a new one."
                } else {
                    "Enter the email or phone you used for your request and we'll send you a secure link."
                }}
            </p>
            <ActionForm action>
                <div class="field">
                    <label for="contact">"Email or mobile number"</label>
                    <input
                        id="contact"
                        name="contact"
                        type="text"
                        inputmode="email"
                        autocomplete="email"
                        required
                    />
                </div>
                <button
                    type="submit"
                    class="button primary big"
                    disabled=move || action.pending().get()
                >
                    {move || {
                        if action.pending().get() { "Sending…" } else { "Send me a new link" }
                    }}
                </button>
            </ActionForm>
            {move || {
                result
                    .get()
                    .or_else(|| sent.then(|| Ok(LINK_SENT_MESSAGE.to_string())))
                    .map(|r| match r {
                        Ok(message) => {
                            view! {
                                <div class="notice ok" role="status">
                                    <p>{message}</p>
                                </div>
                            }
                                .into_any()
                        }
                        Err(e) => {
                            view! {
                                <div class="notice error" role="alert">
                                    <p>{e.to_string()}</p>
                                </div>
                            }
                                .into_any()
                        }
                    })
            }}
            <p class="small">
                "Need to start something new instead? " <a href="/">"Start a request"</a>
            </p>
            <SafetyLine />
        </section>
    }
}

#[component]
pub fn SignedOutPage() -> impl IntoView {
    view! {
        <Title text="Signed out" />
        <SiteHeader />
        <section class="page narrow">
            <h1>"You're signed out"</h1>
            <p>"To come back to a request, use the link we sent you, or ask for a new one."</p>
            <p>
                <a class="button" href="/get-link">
                    "Get a new link"
                </a>
            </p>
        </section>
    }
}
