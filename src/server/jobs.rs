//! Jobs service: turning an accepted request into a job with a technician, and moving the
//! job on — by the office, or by its technician from their day. Each step is one
//! transaction that writes the activity log, tells the customer in plain words, moves the
//! request with it and publishes the live change.
use crate::{
    model::{
        field::{Field, FieldError, Reason},
        job::{DayJob, Job, JobKind, JobStatus},
        staff::{StaffRole, StaffUser},
        text::{clean_field, TextKind},
        values::{MessageText, PersonName},
        AppError,
    },
    server::{
        db::{self, jobs::JobRow, requests::Actor},
        live, room,
        state::AppState,
    },
};
use chrono::{DateTime, Duration, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;
use uuid::Uuid;

/// A checked "make a job" form. Times are wall-clock times in the business's time zone.
pub struct JobForm {
    kind: JobKind,
    location: String,
    starts: NaiveDateTime,
    ends: NaiveDateTime,
    technician_id: Uuid,
    notes: String,
}

/// The raw inputs of the "make a job" form.
pub struct JobInput<'a> {
    pub kind: &'a str,
    pub location: &'a str,
    pub date: &'a str,
    pub start: &'a str,
    pub end: &'a str,
    pub technician_id: &'a str,
    pub notes: &'a str,
}

fn refuse(field: Field, reason: Reason) -> AppError {
    FieldError::new(field, reason).into()
}

fn time(field: Field, input: &str) -> Result<NaiveTime, AppError> {
    let input = clean_field(field, input, TextKind::Identifier)?;
    if input.is_empty() {
        return Err(refuse(field, Reason::Missing));
    }
    NaiveTime::parse_from_str(&input, "%H:%M")
        .or_else(|_| NaiveTime::parse_from_str(&input, "%H:%M:%S"))
        .map_err(|_| refuse(field, Reason::NotATime))
}

pub fn parse_job(input: &JobInput<'_>) -> Result<JobForm, AppError> {
    let kind = JobKind::parse(input.kind)
        .ok_or_else(|| AppError::Invalid("Choose a work order or an inspection.".into()))?;
    // One line, like the request's own address.
    let location = PersonName::parse_as(Field::JobLocation, input.location)?
        .as_str()
        .to_string();
    let date = clean_field(Field::JobDate, input.date, TextKind::Identifier)?;
    let day = NaiveDate::parse_from_str(&date, "%Y-%m-%d").map_err(|_| {
        refuse(
            Field::JobDate,
            if date.is_empty() {
                Reason::Missing
            } else {
                Reason::NotATime
            },
        )
    })?;
    let starts = day.and_time(time(Field::JobStart, input.start)?);
    let ends = day.and_time(time(Field::JobEnd, input.end)?);
    if ends <= starts {
        return Err(refuse(Field::JobEnd, Reason::NotAfterStart));
    }
    let technician_id = Uuid::parse_str(input.technician_id.trim())
        .map_err(|_| refuse(Field::JobTechnician, Reason::NotAChoice))?;
    let notes = MessageText::parse_optional(Field::JobNotes, input.notes)?
        .map(|n| n.masked())
        .unwrap_or_default();
    Ok(JobForm {
        kind,
        location,
        starts,
        ends,
        technician_id,
        notes,
    })
}

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
    if !db::staff::is_assignable(&mut tx, form.technician_id).await? {
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
    let text = format!(
        "Your {} is booked for {}. {} will come to {}.",
        if job.kind == JobKind::Inspection {
            "inspection"
        } else {
            "job"
        },
        job.when(),
        first_name(&job.technician_name),
        job.location
    );
    db::requests::set_status(&mut tx, request_id, JobStatus::Scheduled.request_status()).await?;
    db::requests::add_event(
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
    db::requests::add_event(
        &mut tx,
        request_id,
        "job_created",
        &log,
        false,
        Actor::Staff(user),
    )
    .await?;
    room::alert_customer(&mut tx, state, request_id, "Your job is booked").await?;
    live::publish_change(&mut tx, request_id, "job").await?;
    tx.commit().await?;
    Ok(job)
}

/// A checked step for a job: the new status and, for Finish and Cancel, the words the
/// customer reads.
pub struct JobStep {
    to: JobStatus,
    outcome: Option<String>,
}

pub fn parse_step(to: &str, outcome: &str) -> Result<JobStep, AppError> {
    let to = JobStatus::parse(to).ok_or_else(|| AppError::Invalid("Choose a step.".into()))?;
    let field = match to {
        JobStatus::Finished => Field::JobSummary,
        _ => Field::CancelReason,
    };
    let outcome = MessageText::parse_optional(field, outcome)?.map(|t| t.masked());
    if matches!(to, JobStatus::Finished | JobStatus::Cancelled) && outcome.is_none() {
        return Err(refuse(field, Reason::Missing));
    }
    Ok(JobStep {
        to,
        outcome: outcome.filter(|_| matches!(to, JobStatus::Finished | JobStatus::Cancelled)),
    })
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
    db::requests::add_event(&mut tx, rid, &kind, text.trim(), true, Actor::Staff(user)).await?;
    if matches!(
        step.to,
        JobStatus::OnMyWay | JobStatus::Finished | JobStatus::Cancelled
    ) {
        let what = match step.to {
            JobStatus::OnMyWay => "Your technician is on the way",
            JobStatus::Finished => "Your job is finished",
            _ => "Your visit is cancelled",
        };
        room::alert_customer(&mut tx, state, rid, what).await?;
    }
    live::publish_change(&mut tx, rid, "job").await?;
    tx.commit().await?;
    Ok(Job {
        status: step.to,
        outcome: step.outcome.or(job.outcome),
        ..job
    })
}

/// The request's jobs for its staff page, newest first.
pub async fn for_request(state: &AppState, request_id: Uuid) -> Result<Vec<Job>, AppError> {
    let tz = state.config.timezone;
    Ok(db::jobs::for_request(&state.pool, request_id)
        .await?
        .into_iter()
        .map(|r| to_model(tz, r))
        .collect())
}

/// Whether a technician may open a request's page: only with a job on it. Office staff
/// and owners may open every request.
pub async fn may_open(
    state: &AppState,
    user: &StaffUser,
    request_id: Uuid,
) -> Result<(), AppError> {
    if user.role != StaffRole::Technician
        || db::jobs::is_assigned(&state.pool, request_id, user.id).await?
    {
        return Ok(());
    }
    Err(AppError::Forbidden)
}

/// Today where the business is (a job "today" is the business's today, not the server's).
pub fn business_today(state: &AppState) -> NaiveDate {
    Utc::now()
        .with_timezone(&state.config.timezone)
        .date_naive()
}

/// The technician's own jobs for today and tomorrow (the business's days), in time order.
pub async fn day(state: &AppState, user: &StaffUser) -> Result<Vec<DayJob>, AppError> {
    let tz = state.config.timezone;
    let today = business_today(state);
    let from = instant(tz, today.and_time(NaiveTime::MIN), Field::JobDate)?;
    let to = instant(
        tz,
        (today + Duration::days(2)).and_time(NaiveTime::MIN),
        Field::JobDate,
    )?;
    let rows = db::jobs::day_for(&state.pool, user.id, from, to).await?;
    Ok(rows
        .into_iter()
        .map(|r| DayJob {
            job: to_model(tz, r.job),
            first_name: r.first_name,
            phone: r.phone,
            service_type: r.service_type,
            request_notes: r.request_notes,
            photos: r.photos,
            messages: r.messages,
        })
        .collect())
}
