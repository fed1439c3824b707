//! "Write to them" on the customer card: the message goes into the chosen request's room;
//! one alert, by text or email, tells them it is there and links to it. The preview is the
//! business's own "Update posted" wording, with the length a text will have.
use crate::{
    api::customers::CustomerWrite,
    model::customer::Composer,
    ui::components::errors::{ActionAlert, SavedNotice},
};
use leptos::prelude::*;

#[component]
pub fn WriteForm(
    id: String,
    first_name: String,
    composer: Composer,
    key: String,
    /// "sms" or "email", from the card's Text / Email buttons.
    pick: Option<String>,
) -> impl IntoView {
    let write = ServerAction::<CustomerWrite>::new();
    let can_text = composer.has_phone && !composer.texts_off;
    let pick = pick.unwrap_or_else(|| if can_text { "sms" } else { "email" }.into());
    let only = (composer.requests.len() == 1).then(|| composer.requests[0].0.clone());
    view! {
        <section class="room-section" id="write">
            <h2>{format!("Write to {first_name}")}</h2>
            <p class="hint">
                "Your message goes into their request's page. The text or email only says there is a message and links to it."
            </p>
            <SavedNotice
                flag="wrote"
                text="Sent: it's in their room, and the alert is on its way (see Outbox)."
            />
            <ActionForm action=write attr:class="write-form">
                <input type="hidden" name="id" value=id />
                <input type="hidden" name="client_key" value=format!("{key}:write") />
                {match only {
                    Some(r) => view! { <input type="hidden" name="reference" value=r /> }.into_any(),
                    None => {
                        view! {
                            <label for="write_reference">"About"</label>
                            <select id="write_reference" name="reference">
                                {composer
                                    .requests
                                    .iter()
                                    .map(|(r, what)| {
                                        view! {
                                            <option value=r.clone()>{format!("{r} · {what}")}</option>
                                        }
                                    })
                                    .collect_view()}
                            </select>
                        }
                            .into_any()
                    }
                }}
                <label for="write_body">"Message"</label>
                <textarea id="write_body" name="body" rows="4" maxlength="4000"></textarea>
                <ChannelChoice
                    pick
                    can_text
                    can_email=composer.has_email
                    texts_off=composer.texts_off
                />
                <AlertPreview composer=composer.clone() />
                <button type="submit" class="button primary">
                    "Send"
                </button>
            </ActionForm>
            <ActionAlert value=write.value() />
        </section>
    }
}

/// Text or email; text is not offered to a number that replied STOP.
#[component]
fn ChannelChoice(pick: String, can_text: bool, can_email: bool, texts_off: bool) -> impl IntoView {
    view! {
        <fieldset class="choice">
            <legend>"Let them know by"</legend>
            <p class="check">
                <input
                    type="radio"
                    id="write_sms"
                    name="channel"
                    value="sms"
                    checked=pick == "sms"
                    disabled=!can_text
                />
                <label for="write_sms">"Text"</label>
            </p>
            {texts_off.then(|| view! { <p class="hint">"Texts are off: they replied STOP."</p> })}
            {(!can_text && !texts_off)
                .then(|| view! { <p class="hint">"No mobile number on the card."</p> })}
            <p class="check">
                <input
                    type="radio"
                    id="write_email"
                    name="channel"
                    value="email"
                    checked=pick == "email"
                    disabled=!can_email
                />
                <label for="write_email">"Email"</label>
            </p>
        </fieldset>
    }
}

#[component]
fn AlertPreview(composer: Composer) -> impl IntoView {
    view! {
        <details class="preview">
            <summary>"What the alert says"</summary>
            <p class="small">{format!("Text ({})", composer.sms_length)}</p>
            <pre class="template-preview">{composer.sms_preview}</pre>
            <p class="small">"Email"</p>
            <pre class="template-preview">{composer.email_preview}</pre>
            <p class="hint">
                "Change this wording on Alerts (“Update posted”). Each alert has its own fresh link."
            </p>
        </details>
    }
}
