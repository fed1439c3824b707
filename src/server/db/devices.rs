//! The links and signed-in customer devices that can open a request, and ending them.
//!
//! "Can open request R" is the same rule as `requests::customer_may_access`: a customer
//! session scoped to R, or one for a contact given on R (a room link's session sees every
//! request of its contact). A room link counts when it was sent for R or to R's contact.
use super::access::delete_sessions_where;
use chrono::{DateTime, Duration, Utc};
use sqlx::{PgConnection, PgPool, Row};
use uuid::Uuid;

const SESSION_OPENS: &str = "s.kind = 'customer' AND r.id = $1
    AND (s.request_id = r.id OR (s.contact IS NOT NULL AND s.contact IN (r.contact_email, r.contact_phone)))";
const LINK_OPENS: &str = "t.purpose = 'room' AND r.id = $1
    AND (t.request_id = r.id OR t.contact IN (r.contact_email, r.contact_phone))";

pub struct LinkRow {
    pub public_id: Uuid,
    pub contact: String,
    pub created_at: DateTime<Utc>,
    pub used_at: Option<DateTime<Utc>>,
}

pub struct SessionRow {
    pub public_id: Uuid,
    pub id_hash: Vec<u8>,
    /// `None`: started by sending the form in this browser.
    pub contact: Option<String>,
    pub device: String,
    pub created_at: DateTime<Utc>,
    pub last_seen_at: DateTime<Utc>,
}

/// Links that still work (inside both their sliding window and `max_age`), newest first.
pub async fn links_for_request(
    pool: &PgPool,
    request_id: Uuid,
    max_age: Duration,
) -> Result<Vec<LinkRow>, sqlx::Error> {
    let rows = sqlx::query(&format!(
        "SELECT t.public_id, t.contact, t.created_at, t.used_at FROM access_tokens t, requests r
         WHERE {LINK_OPENS} AND t.expires_at > now() AND t.created_at > now() - make_interval(secs => $2)
         ORDER BY t.created_at DESC"
    ))
    .bind(request_id)
    .bind(max_age.num_seconds() as f64)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| LinkRow {
            public_id: r.get("public_id"),
            contact: r.get("contact"),
            created_at: r.get("created_at"),
            used_at: r.get("used_at"),
        })
        .collect())
}

/// Customer sessions that have not expired, most recently used first.
pub async fn sessions_for_request(
    pool: &PgPool,
    request_id: Uuid,
) -> Result<Vec<SessionRow>, sqlx::Error> {
    let rows = sqlx::query(&format!(
        "SELECT s.public_id, s.id_hash, s.contact, s.device, s.created_at, s.last_seen_at
         FROM sessions s, requests r WHERE {SESSION_OPENS} AND s.expires_at > now()
         ORDER BY s.last_seen_at DESC"
    ))
    .bind(request_id)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| SessionRow {
            public_id: r.get("public_id"),
            id_hash: r.get("id_hash"),
            contact: r.get("contact"),
            device: r.get("device"),
            created_at: r.get("created_at"),
            last_seen_at: r.get("last_seen_at"),
        })
        .collect())
}

/// Ends one link or session named by `public_id`, only if it can open `request_id`
/// (so nobody can end another customer's access by guessing or copying an id).
/// Returns the ended session's id hash, `Some(vec![])` for a link, `None` if nothing matched.
pub async fn end_one(
    conn: &mut PgConnection,
    request_id: Uuid,
    public_id: Uuid,
) -> Result<Option<Vec<u8>>, sqlx::Error> {
    let link = sqlx::query(&format!(
        "DELETE FROM access_tokens t USING requests r WHERE {LINK_OPENS} AND t.public_id = $2"
    ))
    .bind(request_id)
    .bind(public_id)
    .execute(&mut *conn)
    .await?;
    if link.rows_affected() > 0 {
        return Ok(Some(Vec::new()));
    }
    let hash: Option<Vec<u8>> = sqlx::query_scalar(&format!(
        "SELECT s.id_hash FROM sessions s, requests r WHERE {SESSION_OPENS} AND s.public_id = $2"
    ))
    .bind(request_id)
    .bind(public_id)
    .fetch_optional(&mut *conn)
    .await?;
    let Some(hash) = hash else {
        return Ok(None);
    };
    delete_sessions_where(conn, "id_hash = $1", hash.clone()).await?;
    Ok(Some(hash))
}

/// Staff ending a customer's access to a request: every link and customer session that
/// can open it. Returns (links, sessions) ended.
pub async fn end_all(conn: &mut PgConnection, request_id: Uuid) -> Result<(u64, u64), sqlx::Error> {
    let links = sqlx::query(&format!(
        "DELETE FROM access_tokens t USING requests r WHERE {LINK_OPENS}"
    ))
    .bind(request_id)
    .execute(&mut *conn)
    .await?
    .rows_affected();
    let sessions = delete_sessions_where(
        conn,
        &format!("id_hash IN (SELECT s.id_hash FROM sessions s, requests r WHERE {SESSION_OPENS})"),
        request_id,
    )
    .await?;
    Ok((links, sessions))
}
