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
    let body =
        crate::model::text::message_text("your message", &body).map_err(AppError::Invalid)?;
    let body = body.as_str();
    let client_key = crate::model::text::client_key(&client_key)
        .map_err(AppError::Invalid)?
        .unwrap_or_default();
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
    use crate::model::text::{clean, client_key as parse_key, TextKind};
    let note = clean("your note", &note, 1000, TextKind::MultiLine).map_err(AppError::Invalid)?;
    let client_key = parse_key(&client_key)
        .map_err(AppError::Invalid)?
        .unwrap_or_default();
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
    use crate::model::text::{clean, TextKind};
    let typed_name = typed_name
        .map(|n| clean("your name", &n, 120, TextKind::Identifier))
        .transpose()
        .map_err(AppError::Invalid)?;
    let reason = reason
        .map(|r| clean("the reason", &r, 1000, TextKind::MultiLine))
        .transpose()
        .map_err(AppError::Invalid)?;
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
    let (newest, approved) = db::quotes::lock_for_decision(&mut tx, id).await?;
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
            return Err(AppError::Conflict("This quote has been replaced by a newer version. Please review the latest quote.".into()))
        }
        QuoteStatus::Approved | QuoteStatus::Declined => {
            return Err(AppError::Conflict("You've already responded to this quote. Ask us in the thread if you've changed your mind.".into()))
        }
        QuoteStatus::Draft => return Err(AppError::NotFound),
        QuoteStatus::Sent => {}
    }
    // Only the newest version can be answered, and once one is approved the rest are
    // read-only: two taps on two versions can't both win.
    if let Some(v) = approved {
        return Err(AppError::Conflict(format!("You've already approved quote version {v}, so this one can't be changed. Ask us in the thread if you need something different.")));
    }
    if newest != Some(quote.version) {
        return Err(AppError::Conflict(
            "This quote has been replaced by a newer version. Please review the latest quote."
                .into(),
        ));
    }
    if approving && quote.is_expired(chrono::Utc::now().date_naive()) {
        return Err(AppError::Conflict(
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
    let caption = crate::model::text::clean(
        "the caption",
        &caption,
        200,
        crate::model::text::TextKind::SingleLine,
    )
    .map_err(AppError::Invalid)?;
    if !db::attachments::set_caption(&super::ctx::state().pool, id, attachment, &caption).await? {
        return Err(AppError::NotFound);
    }
    Ok(())
}
