//! Reading jobs: a request's jobs, who may open a request, and the technician's day.
use super::{instant, to_model};
use crate::{
    model::{
        field::Field,
        job::{DayJob, Job},
        staff::{StaffRole, StaffUser},
        AppError,
    },
    server::{db, state::AppState},
};
use chrono::{Duration, NaiveDate, NaiveTime, Utc};
use uuid::Uuid;

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
