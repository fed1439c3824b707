//! Jobs: converting an accepted request into a job, moving it on, and the technician's
//! day. The rules live in `server::jobs`.
// A server function's arguments are its form's fields, one each: "make a job" has eight.
#![allow(clippy::too_many_arguments)]
use crate::model::{job::DayJob, AppError};
use leptos::prelude::*;

/// Office: makes a job (work order or inspection) for an accepted request. Times are the
/// business's wall-clock times; `technician_id` is one of the team.
#[server(endpoint = "staff_job_create")]
pub async fn create_job(
    reference: String,
    kind: String,
    location: String,
    date: String,
    start: String,
    end: String,
    technician_id: String,
    #[server(default)] notes: String,
) -> Result<(), AppError> {
    use super::ctx;
    use crate::server::jobs::{self, JobInput};
    let user = ctx::require_staff().await?;
    let (_, id) = ctx::require_request(&reference).await?;
    let form = jobs::parse_job(&JobInput {
        kind: &kind,
        location: &location,
        date: &date,
        start: &start,
        end: &end,
        technician_id: &technician_id,
        notes: &notes,
    })?;
    jobs::create(&ctx::state()?, &user, id, form).await?;
    ctx::back_to_page_with("job=1");
    Ok(())
}

/// Office: changes a booked job's kind, time, technician, address or notes (the same
/// fields as making one). Refused once the technician is on the way.
#[server(endpoint = "staff_job_change")]
pub async fn change_job(
    job_id: String,
    kind: String,
    location: String,
    date: String,
    start: String,
    end: String,
    technician_id: String,
    #[server(default)] notes: String,
) -> Result<(), AppError> {
    use super::ctx;
    use crate::server::jobs::{self, JobInput};
    let user = ctx::require_staff().await?;
    let job_id = uuid::Uuid::parse_str(job_id.trim()).map_err(|_| AppError::NotFound)?;
    let form = jobs::parse_job(&JobInput {
        kind: &kind,
        location: &location,
        date: &date,
        start: &start,
        end: &end,
        technician_id: &technician_id,
        notes: &notes,
    })?;
    jobs::change(&ctx::state()?, &user, job_id, form).await?;
    ctx::back_to_page_with("job_changed=1");
    Ok(())
}

/// One step of a job: `to` is on_my_way, in_progress, finished or cancelled; `outcome` is
/// the customer-facing summary (finish) or reason (cancel). The technician the job is
/// assigned to may step it; so may the office. A repeated tap changes nothing.
#[server(endpoint = "staff_job_step")]
pub async fn job_step(
    job_id: String,
    to: String,
    #[server(default)] outcome: String,
) -> Result<(), AppError> {
    use super::ctx;
    use crate::server::jobs;
    let user = ctx::require_staff().await?;
    let job_id = uuid::Uuid::parse_str(job_id.trim()).map_err(|_| AppError::NotFound)?;
    let step = jobs::parse_step(&to, &outcome)?;
    jobs::step(&ctx::state()?, &user, job_id, step).await?;
    Ok(())
}

/// The signed-in staff member's own jobs for today and tomorrow, in time order.
#[server(endpoint = "staff_today")]
pub async fn staff_today() -> Result<Vec<DayJob>, AppError> {
    use super::ctx;
    let user = ctx::require_staff().await?;
    crate::server::jobs::day(&ctx::state()?, &user).await
}
