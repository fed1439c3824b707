//! What staff do on a request's page: updates, replies, internal notes, asks, status, quotes.
use crate::model::{
    room::{Quote, RoomView},
    staff::{QuoteLineInput, StaffLogEntry},
    AppError,
};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StaffRoomView {
    /// Exactly what the customer sees.
    pub room: RoomView,
    /// Every version, drafts included, newest first.
    pub quotes: Vec<Quote>,
    pub log: Vec<StaffLogEntry>,
    pub default_tax_bp: i32,
}

#[server(endpoint = "staff_room")]
pub async fn staff_room(reference: String) -> Result<StaffRoomView, AppError> {
    use crate::server::db;
    super::ctx::require_staff().await?;
    let (_, id) = super::ctx::require_request(&reference).await?;
    let state = super::ctx::state();
    let room = crate::server::room::load(&state, id, true).await?;
    let quotes = db::quotes::all_for_request(&state.pool, id).await?;
    let log = db::room::staff_log(&state.pool, id)
        .await?
        .into_iter()
        .map(|(kind, body, visible, actor, at)| StaffLogEntry {
            kind,
            body,
            internal: !visible,
            actor,
            at,
        })
        .collect();
    Ok(StaffRoomView {
        room,
        quotes,
        log,
        default_tax_bp: state.config.tax_rate_bp,
    })
}

#[cfg(feature = "ssr")]
async fn staff_request(
    reference: &str,
) -> Result<(crate::model::staff::StaffUser, uuid::Uuid), AppError> {
    let user = super::ctx::require_staff().await?;
    let (_, id) = super::ctx::require_request(reference).await?;
    Ok((user, id))
}

#[cfg(feature = "ssr")]
fn required_text(text: &str, what: &str) -> Result<String, AppError> {
    crate::model::text::message_text(&format!("the {what}"), text).map_err(AppError::Invalid)
}

#[cfg(feature = "ssr")]
fn optional_text(text: &str, what: &str, max: usize) -> Result<String, AppError> {
    use crate::model::text::{clean, TextKind};
    clean(what, text, max, TextKind::MultiLine).map_err(AppError::Invalid)
}

#[cfg(feature = "ssr")]
fn key(client_key: &str) -> Result<Option<String>, AppError> {
    crate::model::text::client_key(client_key).map_err(AppError::Invalid)
}

/// An update the customer sees at the top of their room.
#[server(endpoint = "staff_update")]
pub async fn post_update(
    reference: String,
    body: String,
    #[server(default)] client_key: String,
) -> Result<(), AppError> {
    use crate::server::{db, live};
    let (user, id) = staff_request(&reference).await?;
    let body = required_text(&body, "update")?;
    let client_key = key(&client_key)?.unwrap_or_default();
    let state = super::ctx::state();
    let mut tx = state.pool.begin().await?;
    if !db::requests::add_event_once(
        &mut tx,
        id,
        "update",
        &body,
        true,
        &user.display_name,
        &client_key,
    )
    .await?
    {
        return Ok(()); // a retried post: already there
    }
    crate::server::room::alert_customer(&mut tx, &state, id, "There's an update").await?;
    live::publish_change(&mut tx, id, "update").await?;
    tx.commit().await?;
    Ok(())
}

/// A note for staff only; it never reaches the customer's room.
#[server(endpoint = "staff_note")]
pub async fn add_note(
    reference: String,
    body: String,
    #[server(default)] client_key: String,
) -> Result<(), AppError> {
    use crate::server::{db, live};
    let (user, id) = staff_request(&reference).await?;
    let body = required_text(&body, "note")?;
    let client_key = key(&client_key)?.unwrap_or_default();
    let state = super::ctx::state();
    let mut tx = state.pool.begin().await?;
    if !db::requests::add_event_once(
        &mut tx,
        id,
        "note",
        &body,
        false,
        &user.display_name,
        &client_key,
    )
    .await?
    {
        return Ok(());
    }
    live::publish_change(&mut tx, id, "note").await?;
    tx.commit().await?;
    Ok(())
}

/// Asks the customer for photos or more details, in the staff's own words; it becomes the
/// highlighted next step in the room.
#[server(endpoint = "staff_ask")]
pub async fn ask_customer(reference: String, kind: String, text: String) -> Result<(), AppError> {
    use crate::server::{db, live};
    let (user, id) = staff_request(&reference).await?;
    let kind = match kind.as_str() {
        "photos" | "details" => kind,
        _ => {
            return Err(AppError::Invalid(
                "Choose whether you need photos or more details.".into(),
            ))
        }
    };
    let text = required_text(&text, "request to the customer")?;
    let state = super::ctx::state();
    let mut tx = state.pool.begin().await?;
    db::room::set_ask(&mut tx, id, Some(&kind), Some(&text)).await?;
    db::requests::add_event(&mut tx, id, "asked", &text, true, &user.display_name).await?;
    let what = if kind == "photos" {
        "We need a few photos"
    } else {
        "We need a few more details"
    };
    crate::server::room::alert_customer(&mut tx, &state, id, what).await?;
    live::publish_change(&mut tx, id, "ask").await?;
    tx.commit().await?;
    Ok(())
}

/// Moves the request along its journey. `reason` is customer-facing (for accepted/declined);
/// scheduling needs a date, a time window and the technician's first name.
#[server(endpoint = "staff_status")]
pub async fn set_status(
    reference: String,
    status: String,
    #[server(default)] reason: String,
    #[server(default)] date: String,
    #[server(default)] window: String,
    #[server(default)] technician: String,
) -> Result<(), AppError> {
    use crate::{
        model::status::RequestStatus,
        server::{db, live},
    };
    let (user, id) = staff_request(&reference).await?;
    let status = RequestStatus::parse(&status)
        .ok_or_else(|| AppError::Invalid("Choose a status.".into()))?;
    let state = super::ctx::state();
    let mut tx = state.pool.begin().await?;
    let reason = optional_text(&reason, "the reason", 500)?;
    let reason = reason.as_str();
    let technician = crate::model::text::clean(
        "the technician's name",
        &technician,
        60,
        crate::model::text::TextKind::SingleLine,
    )
    .map_err(AppError::Invalid)?;
    let mut text = match status {
        RequestStatus::New => "Your request is back with our office.".to_string(),
        RequestStatus::Confirmed => "We've confirmed your details.".to_string(),
        RequestStatus::Accepted => "Good news — we can help with this job.".to_string(),
        RequestStatus::Declined => "We're sorry — we're not able to take this job.".to_string(),
        RequestStatus::Quoted => "Your quote is ready.".to_string(),
        RequestStatus::Scheduled => "Your job is booked.".to_string(),
        RequestStatus::InProgress => {
            "Your technician is on the way or working on the job.".to_string()
        }
        RequestStatus::Done => "The job is done. Thank you!".to_string(),
        RequestStatus::Cancelled => "This request has been cancelled.".to_string(),
    };
    if matches!(status, RequestStatus::Accepted | RequestStatus::Declined) {
        db::room::set_reason(&mut tx, id, (!reason.is_empty()).then_some(reason)).await?;
        if !reason.is_empty() {
            text.push(' ');
            text.push_str(reason);
        }
    }
    if status == RequestStatus::Scheduled {
        let day = chrono::NaiveDate::parse_from_str(date.trim(), "%Y-%m-%d")
            .map_err(|_| AppError::Invalid("Choose the date of the job.".into()))?;
        let tech = technician.trim().split_whitespace().next().unwrap_or("");
        if tech.is_empty() {
            return Err(AppError::Invalid("Add the technician's first name.".into()));
        }
        let window = if window.trim().is_empty() {
            "any"
        } else {
            window.trim()
        };
        db::room::set_schedule(&mut tx, id, day, window, tech).await?;
        text = format!(
            "Your job is booked for {} ({}). Your technician is {tech}.",
            day.format("%A %e %B"),
            crate::model::intake::time_window_label(window)
        );
    }
    db::requests::set_status(&mut tx, id, status).await?;
    db::requests::add_event(
        &mut tx,
        id,
        status.as_str(),
        &text,
        true,
        &user.display_name,
    )
    .await?;
    crate::server::room::alert_customer(&mut tx, &state, id, "There's an update").await?;
    live::publish_change(&mut tx, id, "status").await?;
    tx.commit().await?;
    Ok(())
}

#[server(endpoint = "staff_help_done")]
pub async fn resolve_help(reference: String) -> Result<(), AppError> {
    use crate::server::{db, live};
    let (user, id) = staff_request(&reference).await?;
    let state = super::ctx::state();
    let mut tx = state.pool.begin().await?;
    db::room::clear_urgent(&mut tx, id).await?;
    db::requests::add_event(
        &mut tx,
        id,
        "help_resolved",
        "Marked as handled",
        false,
        &user.display_name,
    )
    .await?;
    live::publish_change(&mut tx, id, "urgent").await?;
    tx.commit().await?;
    Ok(())
}

/// Saves the quote being built as a draft (not visible to the customer until sent).
#[server(endpoint = "staff_quote_save")]
pub async fn save_quote(
    reference: String,
    #[server(default)] lines: Vec<QuoteLineInput>,
    valid_until: String,
    #[server(default)] notes: String,
    #[server(default)] tax_percent: String,
) -> Result<(), AppError> {
    use crate::{
        model::{money::Money, room::QuoteLine},
        server::db,
    };
    let (user, id) = staff_request(&reference).await?;
    let mut parsed = Vec::new();
    for (i, l) in lines.iter().enumerate() {
        let blank = l.description.trim().is_empty()
            && l.quantity.trim().is_empty()
            && l.unit_price.trim().is_empty();
        if blank {
            continue;
        }
        let n = i + 1;
        let description = l.description.trim();
        if description.is_empty() {
            return Err(AppError::Invalid(format!("Line {n}: add a description.")));
        }
        let quantity = Money::parse(if l.quantity.trim().is_empty() {
            "1"
        } else {
            &l.quantity
        })
        .filter(|q| q.0 > 0)
        .ok_or_else(|| {
            AppError::Invalid(format!(
                "Line {n}: quantity should be a number like 1 or 1.5."
            ))
        })?;
        let unit_price = Money::parse(&l.unit_price).ok_or_else(|| {
            AppError::Invalid(format!(
                "Line {n}: unit price should be an amount like 120 or 89.50."
            ))
        })?;
        parsed.push(QuoteLine {
            description: description.chars().take(200).collect(),
            quantity_centi: quantity.0,
            unit_price,
        });
    }
    if parsed.is_empty() {
        return Err(AppError::Invalid(
            "Add at least one line to the quote.".into(),
        ));
    }
    let valid_until = chrono::NaiveDate::parse_from_str(valid_until.trim(), "%Y-%m-%d")
        .map_err(|_| AppError::Invalid("Choose the date the quote is valid until.".into()))?;
    if valid_until < chrono::Utc::now().date_naive() {
        return Err(AppError::Invalid(
            "The valid-until date has already passed.".into(),
        ));
    }
    let state = super::ctx::state();
    let tax_bp = match tax_percent.trim() {
        "" => state.config.tax_rate_bp,
        t => Money::parse(t)
            .filter(|m| m.0 <= 10_000)
            .map(|m| m.0 as i32)
            .ok_or_else(|| AppError::Invalid("Tax should be a percentage like 10.".into()))?,
    };
    let mut tx = state.pool.begin().await?;
    db::quotes::save_draft(
        &mut tx,
        id,
        &parsed,
        tax_bp,
        valid_until,
        notes.trim(),
        user.id,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Sends a draft to the customer; it supersedes any earlier version they haven't decided on.
#[server(endpoint = "staff_quote_send")]
pub async fn send_quote(reference: String, quote_id: String) -> Result<(), AppError> {
    use crate::{
        model::status::RequestStatus,
        server::{db, live},
    };
    let (user, id) = staff_request(&reference).await?;
    let quote_id = uuid::Uuid::parse_str(quote_id.trim()).map_err(|_| AppError::NotFound)?;
    let state = super::ctx::state();
    let mut tx = state.pool.begin().await?;
    if !db::quotes::send(&mut tx, id, quote_id).await? {
        // Already sent (a double tap): nothing more to do.
        return Ok(());
    }
    db::requests::set_status(&mut tx, id, RequestStatus::Quoted).await?;
    db::requests::add_event(
        &mut tx,
        id,
        "quote_sent",
        "Your quote is ready to review.",
        true,
        &user.display_name,
    )
    .await?;
    crate::server::room::alert_customer(&mut tx, &state, id, "Your quote is ready").await?;
    live::publish_change(&mut tx, id, "quote").await?;
    tx.commit().await?;
    Ok(())
}
