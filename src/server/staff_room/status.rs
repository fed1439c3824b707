//! Moving a request along its workflow by hand, with the sentence the customer reads for
//! each step. The moves themselves are `RequestStatus::check_move`; jobs move the request
//! through Scheduled, In progress and Done (`server::jobs`).
use crate::{
    model::{
        field::Field, staff::StaffUser, status::RequestStatus, template::AlertKind,
        values::MessageText, AppError,
    },
    server::{db, db::activity::Actor, live, notify::alerts, state::AppState},
};
use uuid::Uuid;

/// A checked status change.
pub struct StatusChange {
    status: RequestStatus,
    /// Customer-facing; kept for accepted/rejected only.
    reason: String,
}

/// A rejection needs a reason the customer can read; an acceptance may carry one.
pub fn parse_status_change(status: &str, reason: &str) -> Result<StatusChange, AppError> {
    let status =
        RequestStatus::parse(status).ok_or_else(|| AppError::Invalid("Choose a status.".into()))?;
    let reason = MessageText::parse_optional(Field::StatusReason, reason)?
        .map(|r| r.masked())
        .unwrap_or_default();
    if status == RequestStatus::Declined && reason.is_empty() {
        return Err(AppError::Invalid(
            "Tell the customer why we can't take the job — the room shows them this reason.".into(),
        ));
    }
    Ok(StatusChange { status, reason })
}

fn customer_text(status: RequestStatus) -> &'static str {
    match status {
        RequestStatus::New => "Your request is back with our office.",
        RequestStatus::Confirmed => "We've confirmed your details.",
        RequestStatus::Accepted => "Good news — we can help with this job.",
        RequestStatus::Declined => "We're sorry — we're not able to take this job.",
        RequestStatus::Quoted => "Your quote is ready.",
        RequestStatus::Scheduled => "Your job is booked.",
        RequestStatus::InProgress => "Your technician is on the way or working on the job.",
        RequestStatus::Done => "This request is resolved. Thank you!",
        RequestStatus::Cancelled => "This request has been cancelled.",
    }
}

/// Moves the request, if the workflow allows it from where it is now (checked under the
/// row's lock, so two staff moving it at once cannot skip a rule).
pub async fn set_status(
    state: &AppState,
    user: &StaffUser,
    id: Uuid,
    change: StatusChange,
) -> Result<(), AppError> {
    let StatusChange { status, reason } = change;
    let mut tx = state.pool.begin().await?;
    let now = db::requests::lock_status(&mut tx, id)
        .await?
        .ok_or(AppError::NotFound)?;
    now.check_move(status).map_err(AppError::Conflict)?;
    let mut text = customer_text(status).to_string();
    if matches!(status, RequestStatus::Accepted | RequestStatus::Declined) {
        db::room::set_reason(&mut tx, id, (!reason.is_empty()).then_some(reason.as_str())).await?;
        if !reason.is_empty() {
            text.push(' ');
            text.push_str(&reason);
        }
    }
    db::requests::set_status(&mut tx, id, status).await?;
    db::activity::add_event(
        &mut tx,
        id,
        status.as_str(),
        &text,
        true,
        Actor::Staff(user),
    )
    .await?;
    alerts::alert_customer(&mut tx, state, id, AlertKind::UpdatePosted).await?;
    live::publish_change(&mut tx, id, "status").await?;
    tx.commit().await?;
    Ok(())
}
