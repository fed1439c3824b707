//! The customer's room for one request, and what the customer can do there.
//! Every function first resolves the reference against the caller's session.
use crate::model::{room::RoomView, AppError};
use leptos::prelude::*;

#[server(endpoint = "room")]
pub async fn get_room(reference: String) -> Result<RoomView, AppError> {
    use super::ctx;
    use crate::server::http::room_pages::PageRender;
    let callers = ctx::callers().await?;
    let parts = ctx::parts()?;
    let (mut view, version) =
        crate::server::room::open(&ctx::state()?, &callers, parts.uri.path(), &reference).await?;
    // A page render takes its form key from the page cache, which renews it on every answer,
    // and tells it which version of the room it showed.
    if let Some(render) = parts.extensions.get::<PageRender>() {
        view.form_key = render.form_key;
        render.read_at(version);
    }
    Ok(view)
}

/// Sends a message into the request's thread. `topic` is "general", "quote" or "help".
/// A retry with the same `client_key` adds nothing.
#[server(endpoint = "room_message")]
pub async fn send_message(
    reference: String,
    body: String,
    topic: String,
    client_key: String,
) -> Result<(), AppError> {
    use super::ctx;
    use crate::{
        model::{field::Field, text::client_key_field, values::MessageText},
        server::room,
    };
    let (caller, id) = ctx::require_request(&reference).await?;
    let body = MessageText::parse_as(Field::Message, &body)?;
    let client_key = client_key_field(&client_key)?;
    let topic = room::Topic::parse(&topic);
    room::send_message(
        &ctx::state()?,
        &caller,
        id,
        &body,
        topic,
        client_key.as_deref(),
    )
    .await
}

/// "Get human help": flags the request as urgent for staff, optionally asking for a call back.
#[server(endpoint = "room_help")]
pub async fn get_help(
    reference: String,
    callback_window: String,
    note: String,
    client_key: String,
) -> Result<(), AppError> {
    use super::ctx;
    use crate::model::{
        field::Field,
        text::{client_key_field, time_window},
        values::MessageText,
    };
    let (caller, id) = ctx::require_request(&reference).await?;
    let help = crate::server::room::HelpAsk {
        window: time_window(&callback_window)?,
        note: MessageText::parse_optional(Field::HelpNote, &note)?,
        client_key: client_key_field(&client_key)?,
    };
    crate::server::room::ask_for_help(&ctx::state()?, &caller, id, help).await
}

/// Approves exactly this quote version. Records the typed name, time and session; never
/// takes a payment or books anything by itself.
#[server(endpoint = "quote_approve")]
pub async fn approve_quote(
    reference: String,
    quote_id: String,
    typed_name: String,
) -> Result<(), AppError> {
    use crate::{
        model::{field::Field, values::PersonName},
        server::room::Decision,
    };
    let typed_name = PersonName::parse_as(Field::SignatureName, &typed_name)?;
    decide_quote(reference, quote_id, Decision::Approve { typed_name }).await
}

#[server(endpoint = "quote_decline")]
pub async fn decline_quote(
    reference: String,
    quote_id: String,
    reason: String,
) -> Result<(), AppError> {
    use crate::{
        model::{field::Field, values::MessageText},
        server::room::Decision,
    };
    let reason = MessageText::parse_optional(Field::QuoteReason, &reason)?;
    decide_quote(reference, quote_id, Decision::Decline { reason }).await
}

/// "Ask for changes" to one sent quote version: a message tied to that version.
#[server(endpoint = "quote_changes")]
pub async fn ask_for_changes(
    reference: String,
    quote_id: String,
    body: String,
    client_key: String,
) -> Result<(), AppError> {
    use super::ctx;
    use crate::model::{field::Field, text::client_key_field, values::MessageText};
    let (caller, id) = ctx::require_request(&reference).await?;
    let quote_id = uuid::Uuid::parse_str(quote_id.trim()).map_err(|_| AppError::NotFound)?;
    let body = MessageText::parse_as(Field::QuoteChanges, &body)?;
    let key = client_key_field(&client_key)?;
    crate::server::room::ask_for_changes(
        &ctx::state()?,
        &caller,
        id,
        quote_id,
        &body,
        key.as_deref(),
    )
    .await
}

#[cfg(feature = "ssr")]
async fn decide_quote(
    reference: String,
    quote_id: String,
    decision: crate::server::room::Decision,
) -> Result<(), AppError> {
    use super::ctx;
    let (caller, id) = ctx::require_request(&reference).await?;
    let quote_id = uuid::Uuid::parse_str(quote_id.trim()).map_err(|_| AppError::NotFound)?;
    let callers = ctx::callers().await?;
    let session = callers.room_cookie.as_deref();
    crate::server::room::decide_quote(&ctx::state()?, &caller, session, id, quote_id, decision)
        .await
}

/// Adds or changes the caption on one of the customer's own photos.
#[server(endpoint = "photo_caption")]
pub async fn set_caption(
    reference: String,
    attachment_id: String,
    caption: String,
) -> Result<(), AppError> {
    use crate::model::{
        field::Field,
        text::{clean_field, TextKind},
    };
    let (_, id) = super::ctx::require_request(&reference).await?;
    let attachment = uuid::Uuid::parse_str(attachment_id.trim()).map_err(|_| AppError::NotFound)?;
    let caption = clean_field(Field::Caption, &caption, TextKind::SingleLine)?;
    crate::server::room::set_caption(&super::ctx::state()?, id, attachment, &caption).await
}

/// The customer turns texts to the request's number off (`on` = "false") or back on.
#[server(endpoint = "room_texts")]
pub async fn set_texts(reference: String, on: String) -> Result<(), AppError> {
    use super::ctx;
    let (caller, id) = ctx::require_request(&reference).await?;
    let on = match on.trim() {
        "true" => true,
        "false" => false,
        _ => return Err(AppError::BadRequest("on must be true or false".into())),
    };
    crate::server::inbound::set_room_texts(&ctx::state()?, &caller, id, on).await
}
