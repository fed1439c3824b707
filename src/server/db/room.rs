//! Room state on the request row: what staff asked for, urgency, the reason given.
use chrono::{DateTime, Utc};
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

#[derive(Clone, Debug, Default)]
pub struct RoomState {
    pub urgent: bool,
    /// When the customer asked for a person (the promise counts from it).
    pub urgent_at: Option<DateTime<Utc>>,
    pub callback_window: Option<String>,
    pub ask_kind: Option<String>,
    pub ask_text: Option<String>,
    pub ask_at: Option<DateTime<Utc>>,
    pub customer_reason: Option<String>,
    /// The request's latest job that is not cancelled.
    pub job: Option<RoomJob>,
}

/// What the customer's timeline says about the job.
#[derive(Clone, Debug)]
pub struct RoomJob {
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub status: crate::model::job::JobStatus,
    pub technician_name: String,
}

pub async fn mark_urgent(
    conn: &mut PgConnection,
    id: Uuid,
    callback_window: Option<&str>,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "UPDATE requests SET urgent = TRUE, urgent_at = COALESCE(urgent_at, now()),
            callback_window = COALESCE($2, callback_window), updated_at = now() WHERE id = $1",
        id,
        callback_window,
    )
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn clear_urgent(conn: &mut PgConnection, id: Uuid) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "UPDATE requests SET urgent = FALSE, urgent_at = NULL, callback_window = NULL WHERE id = $1",
        id
    )
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn set_ask(
    conn: &mut PgConnection,
    id: Uuid,
    kind: Option<&str>,
    text: Option<&str>,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "UPDATE requests SET ask_kind = $2, ask_text = $3, ask_at = CASE WHEN $2::text IS NULL THEN NULL ELSE now() END, updated_at = now() WHERE id = $1",
        id,
        kind,
        text,
    )
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn set_reason(
    conn: &mut PgConnection,
    id: Uuid,
    reason: Option<&str>,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "UPDATE requests SET customer_reason = $2 WHERE id = $1",
        id,
        reason
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Internal notes and the full event log, for staff only.
pub async fn staff_log(
    pool: &PgPool,
    id: Uuid,
) -> Result<Vec<(String, String, bool, String, DateTime<Utc>)>, sqlx::Error> {
    let rows = sqlx::query!(
        "SELECT kind, body, visible_to_customer, actor, created_at FROM request_events WHERE request_id = $1 ORDER BY created_at DESC",
        id,
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| (r.kind, r.body, r.visible_to_customer, r.actor, r.created_at))
        .collect())
}
