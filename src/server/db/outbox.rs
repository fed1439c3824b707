//! Outgoing email and SMS. Written in the same transaction as the change that causes
//! them; a worker delivers them afterwards, so nothing is sent for a rolled-back change.
use sqlx::{PgConnection, PgPool, Row};
use uuid::Uuid;

#[derive(Clone, Debug)]
pub struct OutgoingMessage {
    pub id: Uuid,
    pub channel: String,
    pub recipient: String,
    pub subject: String,
    pub body: String,
    pub attempts: i32,
}

pub async fn enqueue(
    conn: &mut PgConnection,
    channel: &str,
    recipient: &str,
    subject: &str,
    body: &str,
    request_id: Option<Uuid>,
) -> Result<Uuid, sqlx::Error> {
    let id = Uuid::new_v4();
    sqlx::query("INSERT INTO outbox (id, channel, recipient, subject, body, request_id) VALUES ($1,$2,$3,$4,$5,$6)")
        .bind(id)
        .bind(channel)
        .bind(recipient)
        .bind(subject)
        .bind(body)
        .bind(request_id)
        .execute(&mut *conn)
        .await?;
    sqlx::query("SELECT pg_notify('cr_outbox', '')")
        .execute(conn)
        .await?;
    Ok(id)
}

/// Claims due messages; `SKIP LOCKED` lets several app instances share the work.
pub async fn claim_due(
    conn: &mut PgConnection,
    limit: i64,
) -> Result<Vec<OutgoingMessage>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT id, channel, recipient, subject, body, attempts FROM outbox
         WHERE sent_at IS NULL AND next_attempt_at <= now() AND attempts < 10
         ORDER BY next_attempt_at LIMIT $1 FOR UPDATE SKIP LOCKED",
    )
    .bind(limit)
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| OutgoingMessage {
            id: r.get("id"),
            channel: r.get("channel"),
            recipient: r.get("recipient"),
            subject: r.get("subject"),
            body: r.get("body"),
            attempts: r.get("attempts"),
        })
        .collect())
}

pub async fn mark_sent(conn: &mut PgConnection, id: Uuid) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE outbox SET sent_at = now(), attempts = attempts + 1, last_error = NULL WHERE id = $1")
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Backs off exponentially: 30 s, 1 min, 2 min … capped at an hour.
pub async fn mark_failed(
    conn: &mut PgConnection,
    id: Uuid,
    attempts: i32,
    error: &str,
) -> Result<(), sqlx::Error> {
    let delay = (30_i64 << attempts.clamp(0, 7)).min(3600) as f64;
    sqlx::query(
        "UPDATE outbox SET attempts = attempts + 1, last_error = $2, next_attempt_at = now() + make_interval(secs => $3) WHERE id = $1",
    )
    .bind(id)
    .bind(error)
    .bind(delay)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn pending_count(pool: &PgPool) -> Result<i64, sqlx::Error> {
    let row = sqlx::query("SELECT count(*) FROM outbox WHERE sent_at IS NULL")
        .fetch_one(pool)
        .await?;
    Ok(row.get(0))
}
