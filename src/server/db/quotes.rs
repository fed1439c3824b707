use crate::model::room::{Quote, QuoteLine, QuoteStatus};
use chrono::NaiveDate;
use sqlx::{postgres::PgRow, types::Json, PgConnection, PgPool, Row};
use uuid::Uuid;

fn quote(r: PgRow) -> Quote {
    let Json(lines): Json<Vec<QuoteLine>> = r.get("lines");
    Quote {
        id: r.get("id"),
        version: r.get("version"),
        status: QuoteStatus::parse(r.get("status")).unwrap_or(QuoteStatus::Draft),
        lines,
        tax_rate_bp: r.get("tax_rate_bp"),
        valid_until: r.get("valid_until"),
        notes: r.get("notes"),
        sent_at: r.get("sent_at"),
        decided_at: r.get("decided_at"),
        decision_name: r.get("decision_name"),
        decision_reason: r.get("decision_reason"),
    }
}

/// Every version, newest first (staff see drafts and history).
pub async fn all_for_request(pool: &PgPool, request_id: Uuid) -> Result<Vec<Quote>, sqlx::Error> {
    let rows = sqlx::query("SELECT * FROM quotes WHERE request_id = $1 ORDER BY version DESC")
        .bind(request_id)
        .fetch_all(pool)
        .await?;
    Ok(rows.into_iter().map(quote).collect())
}

/// The newest version the customer has been sent (whatever became of it).
pub async fn latest_for_customer(
    pool: &PgPool,
    request_id: Uuid,
) -> Result<Option<Quote>, sqlx::Error> {
    let row = sqlx::query("SELECT * FROM quotes WHERE request_id = $1 AND status <> 'draft' ORDER BY version DESC LIMIT 1")
        .bind(request_id)
        .fetch_optional(pool)
        .await?;
    Ok(row.map(quote))
}

pub async fn by_id_for_update(
    conn: &mut PgConnection,
    request_id: Uuid,
    id: Uuid,
) -> Result<Option<Quote>, sqlx::Error> {
    let row = sqlx::query("SELECT * FROM quotes WHERE id = $1 AND request_id = $2 FOR UPDATE")
        .bind(id)
        .bind(request_id)
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
    sqlx::query("SELECT id FROM requests WHERE id = $1 FOR UPDATE")
        .bind(request_id)
        .execute(&mut *conn)
        .await?;
    let existing = sqlx::query("SELECT id FROM quotes WHERE request_id = $1 AND status = 'draft'")
        .bind(request_id)
        .fetch_optional(&mut *conn)
        .await?;
    if let Some(row) = existing {
        let id: Uuid = row.get(0);
        sqlx::query("UPDATE quotes SET lines = $2, tax_rate_bp = $3, valid_until = $4, notes = $5, created_by = $6 WHERE id = $1")
            .bind(id)
            .bind(Json(lines))
            .bind(tax_rate_bp)
            .bind(valid_until)
            .bind(notes)
            .bind(staff_id)
            .execute(conn)
            .await?;
        return Ok(id);
    }
    let id = Uuid::new_v4();
    sqlx::query(
        "INSERT INTO quotes (id, request_id, version, status, lines, tax_rate_bp, valid_until, notes, created_by)
         SELECT $1, $2, COALESCE(MAX(version), 0) + 1, 'draft', $3, $4, $5, $6, $7 FROM quotes WHERE request_id = $2",
    )
    .bind(id)
    .bind(request_id)
    .bind(Json(lines))
    .bind(tax_rate_bp)
    .bind(valid_until)
    .bind(notes)
    .bind(staff_id)
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
    sqlx::query("UPDATE quotes SET status = 'superseded' WHERE request_id = $1 AND status = 'sent' AND id <> $2")
        .bind(request_id)
        .bind(id)
        .execute(&mut *conn)
        .await?;
    let done = sqlx::query("UPDATE quotes SET status = 'sent', sent_at = now() WHERE id = $1 AND request_id = $2 AND status = 'draft'")
        .bind(id)
        .bind(request_id)
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
    sqlx::query("SELECT id FROM requests WHERE id = $1 FOR UPDATE")
        .bind(request_id)
        .execute(&mut *conn)
        .await?;
    let row = sqlx::query(
        "SELECT MAX(version) FILTER (WHERE status <> 'draft'),
                MAX(version) FILTER (WHERE status = 'approved')
         FROM quotes WHERE request_id = $1",
    )
    .bind(request_id)
    .fetch_one(conn)
    .await?;
    Ok((row.get(0), row.get(1)))
}

pub async fn decide(
    conn: &mut PgConnection,
    id: Uuid,
    status: QuoteStatus,
    name: Option<&str>,
    reason: Option<&str>,
    session_hash: Option<&[u8]>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE quotes SET status = $2, decided_at = now(), decision_name = $3, decision_reason = $4, decision_session = $5
         WHERE id = $1 AND status = 'sent'",
    )
    .bind(id)
    .bind(status.as_str())
    .bind(name)
    .bind(reason)
    .bind(session_hash)
    .execute(conn)
    .await?;
    Ok(())
}
