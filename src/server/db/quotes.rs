use crate::model::room::{Quote, QuoteLine, QuoteStatus};
use chrono::{DateTime, NaiveDate, Utc};
use sqlx::{types::Json, PgConnection, PgPool};
use uuid::Uuid;

/// The columns every quote query selects (the same list in each query).
struct QuoteRow {
    id: Uuid,
    version: i32,
    status: QuoteStatus,
    lines: Json<Vec<QuoteLine>>,
    tax_rate_bp: i32,
    valid_until: NaiveDate,
    notes: String,
    sent_at: Option<DateTime<Utc>>,
    decided_at: Option<DateTime<Utc>>,
    decision_name: Option<String>,
    decision_reason: Option<String>,
}

fn quote(r: QuoteRow) -> Quote {
    Quote {
        id: r.id,
        version: r.version,
        status: r.status,
        lines: r.lines.0,
        tax_rate_bp: r.tax_rate_bp,
        valid_until: r.valid_until,
        notes: r.notes,
        sent_at: r.sent_at,
        decided_at: r.decided_at,
        decision_name: r.decision_name,
        decision_reason: r.decision_reason,
    }
}

/// Every version, newest first (staff see drafts and history).
pub async fn all_for_request(pool: &PgPool, request_id: Uuid) -> Result<Vec<Quote>, sqlx::Error> {
    let rows = sqlx::query_as!(
        QuoteRow,
        r#"SELECT id, version, status AS "status: QuoteStatus", lines AS "lines: Json<Vec<QuoteLine>>",
            tax_rate_bp, valid_until, notes, sent_at, decided_at, decision_name, decision_reason
         FROM quotes WHERE request_id = $1 ORDER BY version DESC"#,
        request_id,
    )
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().map(quote).collect())
}

pub async fn by_id_for_update(
    conn: &mut PgConnection,
    request_id: Uuid,
    id: Uuid,
) -> Result<Option<Quote>, sqlx::Error> {
    let row = sqlx::query_as!(
        QuoteRow,
        r#"SELECT id, version, status AS "status: QuoteStatus", lines AS "lines: Json<Vec<QuoteLine>>",
            tax_rate_bp, valid_until, notes, sent_at, decided_at, decision_name, decision_reason
         FROM quotes WHERE id = $1 AND request_id = $2 FOR UPDATE"#,
        id,
        request_id,
    )
    .fetch_optional(conn)
    .await?;
    Ok(row.map(quote))
}

/// Saves a draft: replaces the current draft if there is one, else starts a new version.
pub async fn save_draft(
    conn: &mut PgConnection,
    request_id: Uuid,
    lines: &[QuoteLine],
    tax_rate_bp: i32,
    valid_until: NaiveDate,
    notes: &str,
    staff_id: Uuid,
) -> Result<Uuid, sqlx::Error> {
    // Serialises drafting per request, so two staff saving at once can't clash on version.
    lock_request(&mut *conn, request_id).await?;
    let existing = sqlx::query_scalar!(
        "SELECT id FROM quotes WHERE request_id = $1 AND status = 'draft'",
        request_id
    )
    .fetch_optional(&mut *conn)
    .await?;
    if let Some(id) = existing {
        sqlx::query!(
            "UPDATE quotes SET lines = $2, tax_rate_bp = $3, valid_until = $4, notes = $5, created_by = $6 WHERE id = $1",
            id,
            Json(lines) as _,
            tax_rate_bp,
            valid_until,
            notes,
            staff_id,
        )
        .execute(conn)
        .await?;
        return Ok(id);
    }
    let id = Uuid::new_v4();
    sqlx::query!(
        "INSERT INTO quotes (id, request_id, version, status, lines, tax_rate_bp, valid_until, notes, created_by)
         SELECT $1, $2, COALESCE(MAX(version), 0) + 1, 'draft', $3, $4, $5, $6, $7 FROM quotes WHERE request_id = $2",
        id,
        request_id,
        Json(lines) as _,
        tax_rate_bp,
        valid_until,
        notes,
        staff_id,
    )
    .execute(conn)
    .await?;
    Ok(id)
}

/// Sends a draft; any earlier version still open is superseded.
pub async fn send(
    conn: &mut PgConnection,
    request_id: Uuid,
    id: Uuid,
) -> Result<bool, sqlx::Error> {
    sqlx::query!(
        "UPDATE quotes SET status = 'superseded' WHERE request_id = $1 AND status = 'sent' AND id <> $2",
        request_id,
        id,
    )
    .execute(&mut *conn)
    .await?;
    let done = sqlx::query!(
        "UPDATE quotes SET status = 'sent', sent_at = now() WHERE id = $1 AND request_id = $2 AND status = 'draft'",
        id,
        request_id,
    )
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Locks the request's quotes for a customer decision (so two taps on two versions are
/// decided one after the other) and says which sent version is the newest and which, if
/// any, is already approved.
pub async fn lock_for_decision(
    conn: &mut PgConnection,
    request_id: Uuid,
) -> Result<(Option<i32>, Option<i32>), sqlx::Error> {
    lock_request(&mut *conn, request_id).await?;
    let row = sqlx::query!(
        r#"SELECT MAX(version) FILTER (WHERE status <> 'draft') AS "newest_sent?",
                MAX(version) FILTER (WHERE status = 'approved') AS "approved?"
         FROM quotes WHERE request_id = $1"#,
        request_id,
    )
    .fetch_one(conn)
    .await?;
    Ok((row.newest_sent, row.approved))
}

/// Locks the request row until the transaction ends.
async fn lock_request(conn: &mut PgConnection, request_id: Uuid) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "SELECT id FROM requests WHERE id = $1 FOR UPDATE",
        request_id
    )
    .fetch_optional(conn)
    .await?;
    Ok(())
}

pub async fn decide(
    conn: &mut PgConnection,
    id: Uuid,
    status: QuoteStatus,
    name: Option<&str>,
    reason: Option<&str>,
    session_hash: Option<&[u8]>,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "UPDATE quotes SET status = $2, decided_at = now(), decision_name = $3, decision_reason = $4, decision_session = $5
         WHERE id = $1 AND status = 'sent'",
        id,
        status as _,
        name,
        reason,
        session_hash,
    )
    .execute(conn)
    .await?;
    Ok(())
}
