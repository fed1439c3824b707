//! Room links, reset links and sessions. Only hashes of tokens and session ids are stored.
use chrono::{DateTime, Duration, Utc};
use sqlx::{PgConnection, PgPool, Row};
use uuid::Uuid;

pub const ROOM_LINK_LIFETIME: Duration = Duration::hours(2);
pub const RESET_LINK_LIFETIME: Duration = Duration::minutes(30);
pub const CUSTOMER_SESSION_IDLE: Duration = Duration::days(7);
pub const STAFF_SESSION_IDLE: Duration = Duration::hours(12);
/// However active, a session ends after this long and the person signs in again.
pub const SESSION_ABSOLUTE: Duration = Duration::days(30);

pub async fn insert_room_token(
    conn: &mut PgConnection,
    hash: &[u8],
    request_id: Uuid,
    contact: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO access_tokens (token_hash, purpose, request_id, contact, expires_at) VALUES ($1, 'room', $2, $3, $4)",
    )
    .bind(hash)
    .bind(request_id)
    .bind(contact)
    .bind(Utc::now() + ROOM_LINK_LIFETIME)
    .execute(conn)
    .await?;
    Ok(())
}

pub struct RoomLinkUse {
    pub request_id: Uuid,
    pub reference: String,
    pub contact: String,
}

/// Uses a room link: valid links are extended by another two hours from now.
pub async fn use_room_token(
    pool: &PgPool,
    hash: &[u8],
) -> Result<Option<RoomLinkUse>, sqlx::Error> {
    let row = sqlx::query(
        "UPDATE access_tokens t SET expires_at = now() + make_interval(secs => $2), used_at = now()
         FROM requests r
         WHERE t.token_hash = $1 AND t.purpose = 'room' AND t.expires_at > now() AND r.id = t.request_id
         RETURNING t.request_id, r.reference, t.contact",
    )
    .bind(hash)
    .bind(ROOM_LINK_LIFETIME.num_seconds() as f64)
    .fetch_optional(pool)
    .await?;
    Ok(row.map(|r| RoomLinkUse {
        request_id: r.get("request_id"),
        reference: r.get("reference"),
        contact: r.get("contact"),
    }))
}

pub async fn insert_reset_token(
    pool: &PgPool,
    hash: &[u8],
    staff_id: Uuid,
) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO access_tokens (token_hash, purpose, staff_id, expires_at) VALUES ($1, 'staff_reset', $2, $3)")
        .bind(hash)
        .bind(staff_id)
        .bind(Utc::now() + RESET_LINK_LIFETIME)
        .execute(pool)
        .await?;
    Ok(())
}

/// Reset links work once: the first use marks them used and returns the staff id.
pub async fn consume_reset_token(
    conn: &mut PgConnection,
    hash: &[u8],
) -> Result<Option<Uuid>, sqlx::Error> {
    let row = sqlx::query(
        "UPDATE access_tokens SET used_at = now()
         WHERE token_hash = $1 AND purpose = 'staff_reset' AND used_at IS NULL AND expires_at > now()
         RETURNING staff_id",
    )
    .bind(hash)
    .fetch_optional(conn)
    .await?;
    Ok(row.map(|r| r.get("staff_id")))
}

pub async fn reset_token_valid(pool: &PgPool, hash: &[u8]) -> Result<bool, sqlx::Error> {
    let row = sqlx::query(
        "SELECT EXISTS (SELECT 1 FROM access_tokens WHERE token_hash = $1 AND purpose = 'staff_reset' AND used_at IS NULL AND expires_at > now())",
    )
    .bind(hash)
    .fetch_one(pool)
    .await?;
    Ok(row.get(0))
}

#[derive(Clone, Debug)]
pub enum SessionOwner {
    Customer {
        contact: Option<String>,
        request_id: Option<Uuid>,
    },
    Staff {
        staff_id: Uuid,
    },
}

pub async fn create_session(
    conn: &mut PgConnection,
    id_hash: &[u8],
    owner: &SessionOwner,
) -> Result<(), sqlx::Error> {
    let (kind, contact, request_id, staff_id, idle) = match owner {
        SessionOwner::Customer {
            contact,
            request_id,
        } => (
            "customer",
            contact.clone(),
            *request_id,
            None,
            CUSTOMER_SESSION_IDLE,
        ),
        SessionOwner::Staff { staff_id } => {
            ("staff", None, None, Some(*staff_id), STAFF_SESSION_IDLE)
        }
    };
    sqlx::query(
        "INSERT INTO sessions (id_hash, kind, contact, request_id, staff_id, expires_at) VALUES ($1,$2,$3,$4,$5,$6)",
    )
    .bind(id_hash)
    .bind(kind)
    .bind(contact)
    .bind(request_id)
    .bind(staff_id)
    .bind(Utc::now() + idle)
    .execute(conn)
    .await?;
    Ok(())
}

/// Looks a session up and slides its idle expiry, within the absolute limit.
pub async fn touch_session(
    pool: &PgPool,
    id_hash: &[u8],
) -> Result<Option<SessionOwner>, sqlx::Error> {
    let row = sqlx::query(
        "UPDATE sessions SET last_seen_at = now(),
            expires_at = LEAST(created_at + make_interval(secs => $2),
                               now() + CASE kind WHEN 'staff' THEN make_interval(secs => $3) ELSE make_interval(secs => $4) END)
         WHERE id_hash = $1 AND expires_at > now()
         RETURNING kind, contact, request_id, staff_id",
    )
    .bind(id_hash)
    .bind(SESSION_ABSOLUTE.num_seconds() as f64)
    .bind(STAFF_SESSION_IDLE.num_seconds() as f64)
    .bind(CUSTOMER_SESSION_IDLE.num_seconds() as f64)
    .fetch_optional(pool)
    .await?;
    Ok(row.map(|r| {
        if r.get::<String, _>("kind") == "staff" {
            SessionOwner::Staff {
                staff_id: r.get("staff_id"),
            }
        } else {
            SessionOwner::Customer {
                contact: r.get("contact"),
                request_id: r.get("request_id"),
            }
        }
    }))
}

pub async fn delete_session(pool: &PgPool, id_hash: &[u8]) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM sessions WHERE id_hash = $1")
        .bind(id_hash)
        .execute(pool)
        .await?;
    Ok(())
}

pub async fn delete_staff_sessions(
    conn: &mut PgConnection,
    staff_id: Uuid,
) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM sessions WHERE staff_id = $1")
        .bind(staff_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// For tests and housekeeping: when a link expires.
pub async fn room_token_expiry(
    pool: &PgPool,
    hash: &[u8],
) -> Result<Option<DateTime<Utc>>, sqlx::Error> {
    let row = sqlx::query("SELECT expires_at FROM access_tokens WHERE token_hash = $1")
        .bind(hash)
        .fetch_optional(pool)
        .await?;
    Ok(row.map(|r| r.get(0)))
}
