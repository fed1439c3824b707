//! Moving a request along its journey, with the sentence the customer reads for each step.
use crate::{
    model::{
        field::Field,
        intake::time_window_label,
        staff::StaffUser,
        status::RequestStatus,
        text::{clean_field, time_window, TextKind},
        values::{MessageText, PersonName},
        AppError,
    },
    server::{db, live, room, state::AppState},
};
use chrono::NaiveDate;
use uuid::Uuid;

/// A checked status change.
pub struct StatusChange {
    status: RequestStatus,
    /// Customer-facing; kept for accepted/declined only.
    reason: String,
    schedule: Option<Schedule>,
}

struct Schedule {
    day: NaiveDate,
    window: String,
    /// First name only: the customer needs no more to recognise who comes.
    technician: String,
}

/// Scheduling needs a date, a time window ("any" when blank) and the technician's name.
pub fn parse_status_change(
    status: &str,
    reason: &str,
    date: &str,
    window: &str,
    technician: &str,
) -> Result<StatusChange, AppError> {
    let status =
        RequestStatus::parse(status).ok_or_else(|| AppError::Invalid("Choose a status.".into()))?;
    let reason = MessageText::parse_optional(Field::StatusReason, reason)?
        .map(MessageText::into_string)
        .unwrap_or_default();
    // Checked even when not scheduling: whatever is sent is refused the same way.
    clean_field(Field::TechnicianName, technician, TextKind::Identifier)?;
    let window = time_window(window)?;
    let schedule = if status == RequestStatus::Scheduled {
        let day = NaiveDate::parse_from_str(date.trim(), "%Y-%m-%d")
            .map_err(|_| AppError::Invalid("Choose the date of the job.".into()))?;
        let technician = PersonName::parse_as(Field::TechnicianName, technician)?;
        Some(Schedule {
            day,
            window: window.unwrap_or("any").to_string(),
            technician: technician.first_word().to_string(),
        })
    } else {
        None
    };
    Ok(StatusChange {
        status,
        reason,
        schedule,
    })
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
        RequestStatus::Done => "The job is done. Thank you!",
        RequestStatus::Cancelled => "This request has been cancelled.",
    }
}

pub async fn set_status(
    state: &AppState,
    user: &StaffUser,
    id: Uuid,
    change: StatusChange,
) -> Result<(), AppError> {
    let StatusChange {
        status,
        reason,
        schedule,
    } = change;
    let mut text = customer_text(status).to_string();
    let mut tx = state.pool.begin().await?;
    if matches!(status, RequestStatus::Accepted | RequestStatus::Declined) {
        db::room::set_reason(&mut tx, id, (!reason.is_empty()).then_some(reason.as_str())).await?;
        if !reason.is_empty() {
            text.push(' ');
            text.push_str(&reason);
        }
    }
    if let Some(s) = schedule {
        db::room::set_schedule(&mut tx, id, s.day, &s.window, &s.technician).await?;
        text = format!(
            "Your job is booked for {} ({}). Your technician is {}.",
            s.day.format("%A %e %B"),
            time_window_label(&s.window),
            s.technician
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
    room::alert_customer(&mut tx, state, id, "There's an update").await?;
    live::publish_change(&mut tx, id, "status").await?;
    tx.commit().await?;
    Ok(())
}
