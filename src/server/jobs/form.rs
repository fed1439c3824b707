//! The job forms, checked: "make a job" (also used to change one) and a step.
use crate::model::{
    field::{Field, FieldError, Reason},
    job::{JobKind, JobStatus},
    text::{clean_field, TextKind},
    values::{MessageText, PersonName},
    AppError,
};
use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use uuid::Uuid;

/// A checked "make a job" form. Times are wall-clock times in the business's time zone.
pub struct JobForm {
    pub(super) kind: JobKind,
    pub(super) location: String,
    pub(super) starts: NaiveDateTime,
    pub(super) ends: NaiveDateTime,
    pub(super) technician_id: Uuid,
    pub(super) notes: String,
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

pub(super) fn refuse(field: Field, reason: Reason) -> AppError {
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

/// A checked step for a job: the new status and, for Finish and Cancel, the words the
/// customer reads.
pub struct JobStep {
    pub(super) to: JobStatus,
    pub(super) outcome: Option<String>,
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
