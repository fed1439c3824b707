//! Room state on the request row: what staff asked for, urgency, schedule.
use chrono::{DateTime, NaiveDate, Utc};
use sqlx::{PgConnection, PgPool, Row};
use uuid::Uuid;

#[derive(Clone, Debug, Default)]
pub struct RoomState {
    pub urgent: bool,
    pub callback_window: Option<String>,
    pub ask_kind: Option<String>,
    pub ask_text: Option<String>,
    pub ask_at: Option<DateTime<Utc>>,
    pub customer_reason: Option<String>,
    pub scheduled_date: Option<NaiveDate>,
    pub scheduled_window: Option<String>,
    pub technician_name: Option<String>,
}

pub async fn state(pool: &PgPool, id: Uuid) -> Result<RoomState, sqlx::Error> {
    let r = sqlx::query(
        "SELECT urgent, callback_window, ask_kind, ask_text, ask_at, customer_reason, scheduled_date, scheduled_window, technician_name
         FROM requests WHERE id = $1",
    )
    .bind(id)
    .fetch_one(pool)
    .await?;
    Ok(RoomState {
        urgent: r.get("urgent"),
        callback_window: r.get("callback_window"),
        ask_kind: r.get("ask_kind"),
        ask_text: r.get("ask_text"),
        ask_at: r.get("ask_at"),
        customer_reason: r.get("customer_reason"),
        scheduled_date: r.get("scheduled_date"),
        scheduled_window: r.get("scheduled_window"),
        technician_name: r.get("technician_name"),
    })
}

pub async fn mark_urgent(
    conn: &mut PgConnection,
    id: Uuid,
    callback_window: Option<&str>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE requests SET urgent = TRUE, urgent_at = COALESCE(urgent_at, now()),
            callback_window = COALESCE($2, callback_window), updated_at = now() WHERE id = $1",
    )
    .bind(id)
    .bind(callback_window)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn clear_urgent(conn: &mut PgConnection, id: Uuid) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE requests SET urgent = FALSE, urgent_at = NULL, callback_window = NULL WHERE id = $1")
        .bind(id)
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
    sqlx::query("UPDATE requests SET ask_kind = $2, ask_text = $3, ask_at = CASE WHEN $2::text IS NULL THEN NULL ELSE now() END, updated_at = now() WHERE id = $1")
        .bind(id)
        .bind(kind)
        .bind(text)
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn set_reason(
    conn: &mut PgConnection,
    id: Uuid,
    reason: Option<&str>,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE requests SET customer_reason = $2 WHERE id = $1")
        .bind(id)
        .bind(reason)
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn set_schedule(
    conn: &mut PgConnection,
    id: Uuid,
    date: NaiveDate,
    window: &str,
    technician: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE requests SET scheduled_date = $2, scheduled_window = $3, technician_name = $4 WHERE id = $1")
        .bind(id)
        .bind(date)
        .bind(window)
        .bind(technician)
        .execute(conn)
        .await?;
    Ok(())
}

/// When each kind of event first happened, for the customer's timeline.
pub async fn first_events(
    pool: &PgPool,
    id: Uuid,
) -> Result<Vec<(String, DateTime<Utc>)>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT kind, min(created_at) AS at FROM request_events WHERE request_id = $1 AND visible_to_customer GROUP BY kind",
    )
    .bind(id)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| (r.get("kind"), r.get("at")))
        .collect())
}

/// Internal notes and the full event log, for staff only.
pub async fn staff_log(
    pool: &PgPool,
    id: Uuid,
) -> Result<Vec<(String, String, bool, String, DateTime<Utc>)>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT kind, body, visible_to_customer, actor, created_at FROM request_events WHERE request_id = $1 ORDER BY created_at DESC",
    )
    .bind(id)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            (
                r.get("kind"),
                r.get("body"),
                r.get("visible_to_customer"),
                r.get("actor"),
                r.get("created_at"),
            )
        })
        .collect())
}
