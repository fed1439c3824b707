//! Texts that came in, numbers that turned texts off, and who texts and staff alerts go to.
use crate::model::{
    inbox::{Keyword, RouteReason},
    job::JobStatus,
};
use chrono::{DateTime, Utc};
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

/// Whether `phone` turned texts off.
pub async fn texts_off(conn: &mut PgConnection, phone: &str) -> Result<bool, sqlx::Error> {
    Ok(
        sqlx::query_scalar!("SELECT opted_out FROM sms_consent WHERE phone = $1", phone)
            .fetch_optional(conn)
            .await?
            .unwrap_or(false),
    )
}

/// Records `phone`'s choice; `source` is 'sms' (a keyword) or 'room'.
pub async fn set_texts(
    conn: &mut PgConnection,
    phone: &str,
    on: bool,
    source: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "INSERT INTO sms_consent (phone, opted_out, source) VALUES ($1, $2, $3)
         ON CONFLICT (phone) DO UPDATE SET opted_out = $2, source = $3, changed_at = now()",
        phone,
        !on,
        source,
    )
    .execute(conn)
    .await?;
    Ok(())
}

pub struct PhoneRequest {
    pub id: Uuid,
    pub first_name: String,
}

/// The request a text from `phone` belongs to: its most recent open request (on the request
/// or its customer), else its most recent one of any kind — a known customer writing after
/// the job ("the tap drips again") is not a stranger.
pub async fn request_for_phone(
    conn: &mut PgConnection,
    phone: &str,
) -> Result<Option<PhoneRequest>, sqlx::Error> {
    sqlx::query_as!(
        PhoneRequest,
        "SELECT r.id, r.first_name FROM requests r JOIN customers c ON c.id = r.customer_id
         WHERE (r.contact_phone = $1 OR c.phone = $1)
         ORDER BY r.status IN ('done', 'declined', 'cancelled'), r.created_at DESC LIMIT 1",
        phone,
    )
    .fetch_optional(conn)
    .await
}

/// What routing needs: the request's open job and its technician (if still active), the
/// point of contact (if active), and the longest-serving active owner.
pub struct RouteFacts {
    pub job_status: Option<JobStatus>,
    pub technician: Option<Uuid>,
    pub point_of_contact: Option<Uuid>,
    pub owner: Option<Uuid>,
}

pub async fn route_facts(
    conn: &mut PgConnection,
    request_id: Option<Uuid>,
) -> Result<RouteFacts, sqlx::Error> {
    sqlx::query_as!(
        RouteFacts,
        r#"SELECT jb.status AS "job_status?: JobStatus", jb.technician AS "technician?",
                (SELECT s.id FROM business_settings b JOIN staff s ON s.id = b.point_of_contact
                 WHERE s.active) AS "point_of_contact?",
                (SELECT id FROM staff WHERE role = 'owner' AND active ORDER BY created_at LIMIT 1)
                    AS "owner?"
           FROM (SELECT 1) one
           LEFT JOIN LATERAL (
               SELECT j.status, s.id AS technician FROM jobs j
               JOIN staff s ON s.id = j.technician_id AND s.active
               WHERE j.request_id = $1 AND j.status <> 'cancelled'
               ORDER BY j.created_at DESC LIMIT 1
           ) jb ON TRUE"#,
        request_id,
    )
    .fetch_one(conn)
    .await
}

pub struct NewText<'a> {
    pub provider_sid: &'a str,
    pub from: &'a str,
    pub body: &'a str,
    pub request_id: Option<Uuid>,
    pub keyword: Option<Keyword>,
    pub routed_to: Option<Uuid>,
    pub because: RouteReason,
}

/// Stores a text once per provider sid: a webhook the provider retries returns `false`.
pub async fn insert_text(conn: &mut PgConnection, t: &NewText<'_>) -> Result<bool, sqlx::Error> {
    let done = sqlx::query!(
        "INSERT INTO inbound_texts (id, provider_sid, from_phone, body, request_id, keyword,
             routed_to, routed_because)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (provider_sid) DO NOTHING",
        Uuid::new_v4(),
        t.provider_sid,
        t.from,
        t.body,
        t.request_id,
        t.keyword.map(Keyword::as_str),
        t.routed_to,
        t.because.as_str(),
    )
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub struct TextRow {
    pub id: Uuid,
    pub from_phone: String,
    pub body: String,
    pub reference: Option<String>,
    pub first_name: Option<String>,
    pub tags: Option<Vec<String>>,
    pub keyword: Option<String>,
    pub routed_to: Option<Uuid>,
    pub to_name: Option<String>,
    pub routed_because: String,
    pub received_at: DateTime<Utc>,
    pub handled: bool,
}

/// The newest texts, unhandled first; only those routed to `only` when given.
pub async fn recent(
    pool: &PgPool,
    only: Option<Uuid>,
    limit: i64,
) -> Result<Vec<TextRow>, sqlx::Error> {
    sqlx::query_as!(
        TextRow,
        r#"SELECT t.id, t.from_phone, t.body, r.reference AS "reference?", r.first_name AS "first_name?",
                c.tags AS "tags?", t.keyword, t.routed_to, s.display_name AS "to_name?", t.routed_because,
                t.received_at, t.handled_at IS NOT NULL AS "handled!"
           FROM inbound_texts t
           LEFT JOIN requests r ON r.id = t.request_id
           LEFT JOIN customers c ON c.id = r.customer_id
           LEFT JOIN staff s ON s.id = t.routed_to
           WHERE $1::uuid IS NULL OR t.routed_to = $1
           ORDER BY t.handled_at IS NOT NULL, t.received_at DESC LIMIT $2"#,
        only,
        limit,
    )
    .fetch_all(pool)
    .await
}

/// Marks a text dealt with; `only` limits it to texts routed to that person. `false`:
/// no such text (for them).
pub async fn mark_handled(
    pool: &PgPool,
    id: Uuid,
    by: Uuid,
    only: Option<Uuid>,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query!(
        "UPDATE inbound_texts SET handled_at = COALESCE(handled_at, now()), handled_by = COALESCE(handled_by, $2)
         WHERE id = $1 AND ($3::uuid IS NULL OR routed_to = $3)",
        id,
        by,
        only,
    )
    .execute(pool)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Where a staff member's alerts go.
pub struct AlertTarget {
    pub email: String,
    pub phone: Option<String>,
    pub alert_channel: String,
}

pub async fn alert_target(
    conn: &mut PgConnection,
    staff_id: Uuid,
) -> Result<Option<AlertTarget>, sqlx::Error> {
    sqlx::query_as!(
        AlertTarget,
        "SELECT email, phone, alert_channel FROM staff WHERE id = $1 AND active",
        staff_id,
    )
    .fetch_optional(conn)
    .await
}

pub async fn set_alert_choice(
    pool: &PgPool,
    staff_id: Uuid,
    channel: &str,
    phone: Option<&str>,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "UPDATE staff SET alert_channel = $2, phone = $3 WHERE id = $1",
        staff_id,
        channel,
        phone,
    )
    .execute(pool)
    .await?;
    Ok(())
}

pub async fn point_of_contact(pool: &PgPool) -> Result<Option<Uuid>, sqlx::Error> {
    sqlx::query_scalar!("SELECT point_of_contact FROM business_settings WHERE id = 1")
        .fetch_one(pool)
        .await
}

pub async fn set_point_of_contact(
    pool: &PgPool,
    staff_id: Option<Uuid>,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "UPDATE business_settings SET point_of_contact = $1 WHERE id = 1",
        staff_id
    )
    .execute(pool)
    .await?;
    Ok(())
}

pub struct MemberRow {
    pub id: Uuid,
    pub display_name: String,
}

/// Everyone who can still sign in, by name.
pub async fn active_team(pool: &PgPool) -> Result<Vec<MemberRow>, sqlx::Error> {
    sqlx::query_as!(
        MemberRow,
        "SELECT id, display_name FROM staff WHERE active ORDER BY display_name"
    )
    .fetch_all(pool)
    .await
}
