//! Jobs service: turning an accepted request into a job with a technician, changing its
//! time, technician or address while it is still only booked, and moving it on — by the
//! office, or by its technician from their day. Each change is one transaction that writes
//! the activity log, tells the customer in plain words, moves the request with it and
//! publishes the live change.
mod day;
mod form;

pub use day::{business_today, day, for_request, may_open};
pub use form::{parse_job, parse_step, JobForm, JobInput, JobStep};

use crate::{
    model::{
        field::{Field, Reason},
        job::{Job, JobKind, JobStatus},
        staff::{StaffRole, StaffUser},
        template::AlertKind,
        AppError,
    },
    server::{
        db::{self, activity::Actor, jobs::JobRow},
        live,
        notify::alerts,
        state::AppState,
    },
};
use chrono::{DateTime, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Tz;
use form::refuse;
use uuid::Uuid;

/// A wall-clock time in the business's zone as an instant; a time the clocks skip is refused.
fn instant(tz: Tz, at: NaiveDateTime, field: Field) -> Result<DateTime<Utc>, AppError> {
    tz.from_local_datetime(&at)
        .earliest()
        .map(|t| t.with_timezone(&Utc))
        .ok_or_else(|| refuse(field, Reason::NotATime))
}

fn local(tz: Tz, at: DateTime<Utc>) -> NaiveDateTime {
    at.with_timezone(&tz).naive_local()
}

pub fn to_model(tz: Tz, r: JobRow) -> Job {
    Job {
        id: r.id,
        number: r.number,
        request_id: r.request_id,
        reference: r.reference,
        kind: r.kind,
        location: r.location,
        starts: local(tz, r.starts_at),
        ends: local(tz, r.ends_at),
        technician_id: r.technician_id,
        technician_name: r.technician_name,
        notes: r.notes,
        status: r.status,
        outcome: r.outcome,
    }
}

fn first_name(full: &str) -> &str {
    full.split_whitespace().next().unwrap_or(full)
}

/// "Your job is booked for …. Jake will come to …" — the customer's words for a booking.
fn booking_text(job: &Job) -> String {
    format!(
        "Your {} is booked for {}. {} will come to {}.",
        if job.kind == JobKind::Inspection {
            "inspection"
        } else {
            "job"
        },
        job.when(),
        first_name(&job.technician_name),
        job.location
    )
}

/// Converts an accepted (or quoted) request into a job. Refused with the reason when the
/// request is not at that stage or already has an open job.
pub async fn create(
    state: &AppState,
    user: &StaffUser,
    request_id: Uuid,
    form: JobForm,
) -> Result<Job, AppError> {
    let tz = state.config.timezone;
    let starts_at = instant(tz, form.starts, Field::JobStart)?;
    let ends_at = instant(tz, form.ends, Field::JobEnd)?;
    let mut tx = state.pool.begin().await?;
    let status = db::requests::lock_status(&mut tx, request_id)
        .await?
        .ok_or(AppError::NotFound)?;
    status.check_job().map_err(AppError::Conflict)?;
    if db::staff::assignable_name(&mut tx, form.technician_id)
        .await?
        .is_none()
    {
        return Err(refuse(Field::JobTechnician, Reason::NotAChoice));
    }
    let new = db::jobs::NewJob {
        request_id,
        kind: form.kind,
        location: &form.location,
        starts_at,
        ends_at,
        technician_id: form.technician_id,
        notes: &form.notes,
    };
    let id = db::jobs::insert(&mut tx, &new)
        .await?
        .ok_or_else(|| AppError::Conflict("This request already has a job.".into()))?;
    let row = db::jobs::lock(&mut tx, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let job = to_model(tz, row);
    let text = booking_text(&job);
    db::requests::set_status(&mut tx, request_id, JobStatus::Scheduled.request_status()).await?;
    db::activity::add_event(
        &mut tx,
        request_id,
        "scheduled",
        &text,
        true,
        Actor::Staff(user),
    )
    .await?;
    let log = format!(
        "Made job {} ({}) for {}, assigned to {}",
        job.number_label(),
        job.kind.label().to_lowercase(),
        job.when(),
        job.technician_name
    );
    db::activity::add_event(
        &mut tx,
        request_id,
        "job_created",
        &log,
        false,
        Actor::Staff(user),
    )
    .await?;
    alerts::alert_customer(&mut tx, state, request_id, AlertKind::JobScheduled).await?;
    live::publish_change(&mut tx, request_id, "job").await?;
    tx.commit().await?;
    Ok(job)
}

/// Changes a booked job's kind, time, technician, address or notes (`JobStatus::
/// check_change` says when). The customer hears about a new time, technician or address;
/// notes stay between the office and the technician. The same form sent twice (a retry)
/// changes nothing the second time.
pub async fn change(
    state: &AppState,
    user: &StaffUser,
    job_id: Uuid,
    form: JobForm,
) -> Result<Job, AppError> {
    let tz = state.config.timezone;
    let starts_at = instant(tz, form.starts, Field::JobStart)?;
    let ends_at = instant(tz, form.ends, Field::JobEnd)?;
    let mut tx = state.pool.begin().await?;
    let before = db::jobs::lock(&mut tx, job_id)
        .await?
        .map(|r| to_model(tz, r))
        .ok_or(AppError::NotFound)?;
    before.status.check_change().map_err(AppError::Conflict)?;
    let technician_name = match form.technician_id == before.technician_id {
        true => before.technician_name.clone(),
        false => db::staff::assignable_name(&mut tx, form.technician_id)
            .await?
            .ok_or_else(|| refuse(Field::JobTechnician, Reason::NotAChoice))?,
    };
    let after = Job {
        kind: form.kind,
        location: form.location,
        starts: form.starts,
        ends: form.ends,
        technician_id: form.technician_id,
        technician_name,
        notes: form.notes,
        ..before.clone()
    };
    let changes = before.changes_to(&after);
    if changes.log.is_empty() {
        return Ok(before);
    }
    let new = db::jobs::NewJob {
        request_id: after.request_id,
        kind: after.kind,
        location: &after.location,
        starts_at,
        ends_at,
        technician_id: after.technician_id,
        notes: &after.notes,
    };
    db::jobs::update(&mut tx, job_id, &new).await?;
    let rid = after.request_id;
    let log = format!(
        "Changed job {}: {}",
        after.number_label(),
        changes.log.join("; ")
    );
    db::activity::add_event(&mut tx, rid, "job_changed", &log, false, Actor::Staff(user)).await?;
    if changes.customer_sees {
        let text = format!("Your booking has changed. {}", booking_text(&after));
        db::activity::add_event(&mut tx, rid, "job_moved", &text, true, Actor::Staff(user)).await?;
        alerts::alert_customer(&mut tx, state, rid, AlertKind::JobScheduled).await?;
    }
    live::publish_change(&mut tx, rid, "job").await?;
    tx.commit().await?;
    Ok(after)
}

/// What the customer reads for each step, naming only the technician's first name.
fn customer_text(job: &Job, to: JobStatus, outcome: Option<&str>) -> String {
    let who = first_name(&job.technician_name);
    match to {
        JobStatus::Scheduled => format!("Your job is booked for {}.", job.when()),
        JobStatus::OnMyWay => format!("{who} is on the way."),
        JobStatus::InProgress => format!("{who} has started the work."),
        JobStatus::Finished => format!("Work finished. {}", outcome.unwrap_or_default()),
        JobStatus::Cancelled => format!(
            "Your visit on {} is cancelled. {}",
            job.starts.format("%A %-d %B"),
            outcome.unwrap_or_default()
        ),
    }
}

/// Moves a job one step. The technician it is assigned to may move it; so may the office.
/// A second tap of the same step (a retry) changes nothing and succeeds.
pub async fn step(
    state: &AppState,
    user: &StaffUser,
    job_id: Uuid,
    step: JobStep,
) -> Result<Job, AppError> {
    let tz = state.config.timezone;
    let mut tx = state.pool.begin().await?;
    let row = db::jobs::lock(&mut tx, job_id)
        .await?
        .ok_or(AppError::NotFound)?;
    if user.role == StaffRole::Technician && row.technician_id != user.id {
        return Err(AppError::Forbidden);
    }
    let job = to_model(tz, row);
    if job.status == step.to {
        return Ok(job);
    }
    job.status.check_move(step.to).map_err(AppError::Conflict)?;
    let outcome = step.outcome.as_deref();
    db::jobs::set_status(&mut tx, job.id, step.to, outcome).await?;
    let rid = job.request_id;
    db::requests::set_status(&mut tx, rid, step.to.request_status()).await?;
    let text = customer_text(&job, step.to, outcome);
    let kind = format!("job_{}", step.to.as_str());
    db::activity::add_event(&mut tx, rid, &kind, text.trim(), true, Actor::Staff(user)).await?;
    if matches!(
        step.to,
        JobStatus::OnMyWay | JobStatus::Finished | JobStatus::Cancelled
    ) {
        let alert = match step.to {
            JobStatus::OnMyWay => AlertKind::OnMyWay,
            JobStatus::Finished => AlertKind::JobFinished,
            _ => AlertKind::UpdatePosted,
        };
        alerts::alert_customer(&mut tx, state, rid, alert).await?;
    }
    live::publish_change(&mut tx, rid, "job").await?;
    tx.commit().await?;
    Ok(Job {
        status: step.to,
        outcome: step.outcome.or(job.outcome),
        ..job
    })
}
