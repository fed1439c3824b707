//! The customer's room for one request, and what the customer can do there.
//! Every function first resolves the reference against the caller's session.
use crate::model::{room::RoomView, AppError};
use leptos::prelude::*;

#[server(endpoint = "room")]
pub async fn get_room(reference: String) -> Result<RoomView, AppError> {
    let (caller, id) = super::ctx::require_request(&reference).await?;
    crate::server::room::load(&super::ctx::state(), id, caller.is_staff()).await
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
        model::sensitive::mask_card_numbers,
        server::{auth::session::Caller, db, live},
    };
    let (caller, id) = ctx::require_request(&reference).await?;
    let body = body.trim();
    if body.is_empty() {
        return Err(AppError::Invalid("Please write your message first.".into()));
    }
    if body.chars().count() > 4000 {
        return Err(AppError::Invalid(
            "That message is very long — please keep it under 4000 characters.".into(),
        ));
    }
    let topic = match topic.as_str() {
        "quote" | "help" => topic.as_str(),
        _ => "general",
    };
    let state = ctx::state();
    let detail = db::requests::detail(&state.pool, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let (from_staff, author) = match &caller {
        Caller::Staff(u) => (
            true,
            u.display_name
                .split(' ')
                .next()
                .unwrap_or("Staff")
                .to_string(),
        ),
        _ => (false, detail.first_name.clone()),
    };
    let masked = mask_card_numbers(body);
    let mut tx = state.pool.begin().await?;
    let key = client_key.trim();
    let inserted = db::messages::insert(
        &mut tx,
        &db::messages::NewMessage {
            request_id: id,
            from_staff,
            author: &author,
            body: &masked,
            topic,
            client_key: (!key.is_empty()).then_some(key),
        },
    )
    .await?;
    if inserted {
        if from_staff {
            db::room::set_ask(&mut tx, id, None, None).await?;
            crate::server::room::alert_customer(&mut tx, &state, id, "We've replied").await?;
        }
        live::publish_change(&mut tx, id, "message").await?;
    }
    tx.commit().await?;
    Ok(())
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
    use crate::{
        model::sensitive::mask_card_numbers,
        server::{db, live},
    };
    let (caller, id) = ctx::require_request(&reference).await?;
    if caller.is_staff() {
        return Err(AppError::Forbidden);
    }
    let state = ctx::state();
    let detail = db::requests::detail(&state.pool, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let window = callback_window.trim();
    let window = (!window.is_empty() && window != "none").then_some(window);
    let mut text = match window {
        Some(w) => format!(
            "I'd like a call back ({}).",
            crate::model::intake::time_window_label(w)
        ),
        None => "I need help from a person.".to_string(),
    };
    if !note.trim().is_empty() {
        text.push(' ');
        text.push_str(&mask_card_numbers(note.trim()));
    }
    let mut tx = state.pool.begin().await?;
    let key = format!("help:{}", client_key.trim());
    let inserted = db::messages::insert(
        &mut tx,
        &db::messages::NewMessage {
            request_id: id,
            from_staff: false,
            author: &detail.first_name,
            body: &text,
            topic: "help",
            client_key: (!client_key.trim().is_empty()).then_some(key.as_str()),
        },
    )
    .await?;
    if inserted {
        db::room::mark_urgent(&mut tx, id, window).await?;
        db::requests::add_event(
            &mut tx,
            id,
            "help",
            "You asked for help. A person from our team will contact you as soon as possible.",
            true,
            "customer",
        )
        .await?;
        live::publish_change(&mut tx, id, "help").await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Approves exactly this quote version. Records the typed name, time and session; never
/// takes a payment or books anything by itself.
#[server(endpoint = "quote_approve")]
pub async fn approve_quote(
    reference: String,
    quote_id: String,
    typed_name: String,
) -> Result<(), AppError> {
    decide_quote(reference, quote_id, Some(typed_name), None).await
}

#[server(endpoint = "quote_decline")]
pub async fn decline_quote(
    reference: String,
    quote_id: String,
    reason: String,
) -> Result<(), AppError> {
    decide_quote(reference, quote_id, None, Some(reason)).await
}

#[cfg(feature = "ssr")]
async fn decide_quote(
    reference: String,
    quote_id: String,
    typed_name: Option<String>,
    reason: Option<String>,
) -> Result<(), AppError> {
    use super::ctx;
    use crate::{
        model::room::QuoteStatus,
        server::{auth::session::customer_session_hash, db, live},
    };
    let (caller, id) = ctx::require_request(&reference).await?;
    if caller.is_staff() {
        return Err(AppError::Invalid(
            "Only the customer can approve or decline a quote.".into(),
        ));
    }
    let quote_id = uuid::Uuid::parse_str(quote_id.trim()).map_err(|_| AppError::NotFound)?;
    let state = ctx::state();
    let detail = db::requests::detail(&state.pool, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let approving = typed_name.is_some();
    if let Some(name) = &typed_name {
        let typed = name.trim().to_lowercase();
        let full = format!("{} {}", detail.first_name, detail.last_name).to_lowercase();
        if typed.is_empty() {
            return Err(AppError::Invalid(
                "Please type your name to confirm.".into(),
            ));
        }
        if typed != full && typed != detail.first_name.to_lowercase() {
            return Err(AppError::Invalid(format!(
                "Please type your name as it appears on the request ({} {}) to confirm.",
                detail.first_name, detail.last_name
            )));
        }
    }
    let mut tx = state.pool.begin().await?;
    let quote = db::quotes::by_id_for_update(&mut tx, id, quote_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let wanted = if approving {
        QuoteStatus::Approved
    } else {
        QuoteStatus::Declined
    };
    match quote.status {
        // A retried tap after a dropped connection: already done, nothing more to do.
        s if s == wanted => return Ok(()),
        QuoteStatus::Superseded => {
            return Err(AppError::Invalid("This quote has been replaced by a newer version. Please review the latest quote.".into()))
        }
        QuoteStatus::Approved | QuoteStatus::Declined => {
            return Err(AppError::Invalid("You've already responded to this quote. Ask us in the thread if you've changed your mind.".into()))
        }
        QuoteStatus::Draft => return Err(AppError::NotFound),
        QuoteStatus::Sent => {}
    }
    if approving && quote.is_expired(chrono::Utc::now().date_naive()) {
        return Err(AppError::Invalid(
            "This quote has expired, so it can't be approved. Ask us for an updated quote in the thread.".into(),
        ));
    }
    let session = customer_session_hash(&ctx::parts().headers, state.config.is_https());
    let reason = reason
        .map(|r| r.trim().to_string())
        .filter(|r| !r.is_empty());
    db::quotes::decide(
        &mut tx,
        quote.id,
        wanted,
        typed_name.as_deref().map(str::trim),
        reason.as_deref(),
        session.as_deref(),
    )
    .await?;
    let (kind, text) = if approving {
        ("quote_approved", format!("You approved quote version {}. We'll be in touch to arrange a time — nothing is charged from here.", quote.version))
    } else {
        (
            "quote_declined",
            format!("You declined quote version {}.", quote.version),
        )
    };
    db::requests::add_event(&mut tx, id, kind, &text, true, "customer").await?;
    live::publish_change(&mut tx, id, kind).await?;
    tx.commit().await?;
    Ok(())
}

/// Adds or changes the caption on one of the customer's own photos.
#[server(endpoint = "photo_caption")]
pub async fn set_caption(
    reference: String,
    attachment_id: String,
    caption: String,
) -> Result<(), AppError> {
    use crate::server::db;
    let (_, id) = super::ctx::require_request(&reference).await?;
    let attachment = uuid::Uuid::parse_str(attachment_id.trim()).map_err(|_| AppError::NotFound)?;
    let caption: String = caption.trim().chars().take(200).collect();
    if !db::attachments::set_caption(&super::ctx::state().pool, id, attachment, &caption).await? {
        return Err(AppError::NotFound);
    }
    Ok(())
}
