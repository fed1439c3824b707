//! /staff/outbox: what went out (recipients masked), and sending again what was given up on.
use crate::{
    model::{
        outbox::{mask_recipient, Delivery, OutboxEntry},
        staff::StaffUser,
        AppError,
    },
    server::{auth::tokens, db, intake::room_link, state::AppState},
};
use uuid::Uuid;

/// What a given-up message's body holds in place of a one-time password link: that link
/// cannot be made again, so the person asks for a new one instead.
const LOST_LINK: &str = "[link removed]";
/// …and in place of a room link, which can: a fresh one goes into the retry.
const ROOM_LINK: &str = "[room link]";

/// The newest 200 messages, those that need a person first.
pub async fn list(state: &AppState) -> Result<Vec<OutboxEntry>, AppError> {
    let rows = db::outbox::recent(&state.pool, 200).await?;
    Ok(rows
        .into_iter()
        .map(|r| OutboxEntry {
            retryable: r.status.can_retry() && !r.body.contains(LOST_LINK),
            id: r.id,
            channel: r.channel,
            recipient: mask_recipient(&r.recipient),
            template: r.template,
            status: r.status,
            attempts: r.attempts,
            last_error: r.last_error,
            reference: r.reference,
            created_at: r.created_at,
            sent_at: r.sent_at,
        })
        .collect())
}

/// Sends a failed message again as a new message, with a fresh room link where it had
/// one. A second tap (the first already retried it) changes nothing.
pub async fn retry(state: &AppState, user: &StaffUser, id: Uuid) -> Result<(), AppError> {
    let mut tx = state.pool.begin().await?;
    let (status, recipient, body, request_id) = db::outbox::lock(&mut tx, id)
        .await?
        .ok_or(AppError::NotFound)?;
    match status {
        Delivery::Retried => return Ok(()),
        s if !s.can_retry() => {
            return Err(AppError::Conflict(
                "Only a message that failed can be sent again.".into(),
            ))
        }
        _ => {}
    }
    if body.contains(LOST_LINK) {
        return Err(AppError::Conflict(
            "This message held a one-time password link, which can't be sent again. Ask them to request a new one."
                .into(),
        ));
    }
    let body = match (body.contains(ROOM_LINK), request_id) {
        (true, Some(request_id)) => {
            let (token, hash) = tokens::new_token();
            db::access::insert_room_token(&mut tx, &hash, request_id, &recipient).await?;
            body.replace(ROOM_LINK, &room_link(state, &token))
        }
        _ => body,
    };
    let new_id = db::outbox::retry_as_new(&mut tx, id, &body).await?;
    tx.commit().await?;
    tracing::info!(message = %id, retry = %new_id, by = %user.email, "outbox message sent again");
    Ok(())
}
