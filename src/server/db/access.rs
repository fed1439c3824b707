//! Room links, reset links and sessions. Only hashes of tokens and session ids are stored.
use chrono::{DateTime, Duration, Utc};
use sqlx::{PgConnection, PgPool};
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
    sqlx::query!(
        "INSERT INTO access_tokens (token_hash, purpose, request_id, contact, expires_at) VALUES ($1, 'room', $2, $3, $4)",
        hash,
        request_id,
        contact,
        Utc::now() + ROOM_LINK_LIFETIME,
    )
    .execute(conn)
    .await?;
    Ok(())
}

pub struct RoomLinkUse {
    pub request_id: Uuid,
    pub reference: String,
    pub contact: String,
}

/// Looks a room link up without using it (the "switch requests?" question).
pub async fn peek_room_token(
    pool: &PgPool,
    hash: &[u8],
    max_age: Duration,
) -> Result<Option<RoomLinkUse>, sqlx::Error> {
    // A room link is valid while its sliding two-hour window is open and it is younger than
    // `max_age` (the absolute lifetime, `CR_LINK_MAX_DAYS`); `use_room_token` has the same rule.
    sqlx::query_as!(
        RoomLinkUse,
        r#"SELECT t.request_id AS "request_id!", r.reference, t.contact AS "contact!"
         FROM access_tokens t, requests r
         WHERE t.token_hash = $1 AND t.purpose = 'room' AND t.expires_at > now()
           AND t.created_at > now() - make_interval(secs => $2) AND r.id = t.request_id"#,
        hash,
        max_age.num_seconds() as f64,
    )
    .fetch_optional(pool)
    .await
}

/// Uses a room link: a valid link is extended by another two hours from now, but never
/// past its absolute lifetime.
pub async fn use_room_token(
    pool: &PgPool,
    hash: &[u8],
    max_age: Duration,
) -> Result<Option<RoomLinkUse>, sqlx::Error> {
    sqlx::query_as!(
        RoomLinkUse,
        r#"UPDATE access_tokens t SET used_at = now(),
            expires_at = LEAST(now() + make_interval(secs => $3), t.created_at + make_interval(secs => $2))
         FROM requests r
         WHERE t.token_hash = $1 AND t.purpose = 'room' AND t.expires_at > now()
           AND t.created_at > now() - make_interval(secs => $2) AND r.id = t.request_id
         RETURNING t.request_id AS "request_id!", r.reference, t.contact AS "contact!""#,
        hash,
        max_age.num_seconds() as f64,
        ROOM_LINK_LIFETIME.num_seconds() as f64,
    )
    .fetch_optional(pool)
    .await
}

pub async fn insert_reset_token(
    pool: &PgPool,
    hash: &[u8],
    staff_id: Uuid,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "INSERT INTO access_tokens (token_hash, purpose, staff_id, expires_at) VALUES ($1, 'staff_reset', $2, $3)",
        hash,
        staff_id,
        Utc::now() + RESET_LINK_LIFETIME,
    )
    .execute(pool)
    .await?;
    Ok(())
}

/// Reset links work once: the first use marks them used and returns the staff id.
pub async fn consume_reset_token(
    conn: &mut PgConnection,
    hash: &[u8],
) -> Result<Option<Uuid>, sqlx::Error> {
    sqlx::query_scalar!(
        r#"UPDATE access_tokens SET used_at = now()
         WHERE token_hash = $1 AND purpose = 'staff_reset' AND used_at IS NULL AND expires_at > now()
         RETURNING staff_id AS "staff_id!""#,
        hash,
    )
    .fetch_optional(conn)
    .await
}

pub async fn reset_token_valid(pool: &PgPool, hash: &[u8]) -> Result<bool, sqlx::Error> {
    sqlx::query_scalar!(
        r#"SELECT EXISTS (SELECT 1 FROM access_tokens WHERE token_hash = $1 AND purpose = 'staff_reset' AND used_at IS NULL AND expires_at > now()) AS "valid!""#,
        hash,
    )
    .fetch_one(pool)
    .await
}

/// `sessions.kind` (its CHECK constraint lists the same two values).
#[derive(Clone, Copy, Debug, PartialEq, Eq, sqlx::Type)]
#[sqlx(type_name = "text", rename_all = "snake_case")]
enum SessionKind {
    Customer,
    Staff,
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

/// Stores a new session. `device` is a coarse browser summary ("Chrome on Android").
pub async fn create_session(
    conn: &mut PgConnection,
    id_hash: &[u8],
    owner: &SessionOwner,
    device: &str,
) -> Result<(), sqlx::Error> {
    let (kind, contact, request_id, staff_id, idle) = match owner {
        SessionOwner::Customer {
            contact,
            request_id,
        } => (
            SessionKind::Customer,
            contact.clone(),
            *request_id,
            None,
            CUSTOMER_SESSION_IDLE,
        ),
        SessionOwner::Staff { staff_id } => (
            SessionKind::Staff,
            None,
            None,
            Some(*staff_id),
            STAFF_SESSION_IDLE,
        ),
    };
    sqlx::query!(
        "INSERT INTO sessions (id_hash, kind, contact, request_id, staff_id, expires_at, device) VALUES ($1,$2,$3,$4,$5,$6,$7)",
        id_hash,
        kind as _,
        contact,
        request_id,
        staff_id,
        Utc::now() + idle,
        device,
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Looks a session up. At most once a minute (so a page view is not a write) it records
/// the visit and slides the idle expiry, never past the absolute limit. A session started
/// without a device summary gets `device` then.
///
/// With `room`, the same statement also reads that room's `requests.view_version` if this
/// session, as a customer, may open it (the customer rule of `room_view::read`: the request
/// the session is scoped to, or one given with its contact) — so a kept room page is checked
/// in one round trip (`http::room_pages`).
pub async fn touch_session(
    pool: &PgPool,
    id_hash: &[u8],
    device: &str,
    room: Option<&str>,
) -> Result<Option<(SessionOwner, Option<i64>)>, sqlx::Error> {
    let row = sqlx::query!(
        r#"WITH s AS (
            SELECT id_hash, kind, contact, request_id, staff_id, last_seen_at, device FROM sessions
            WHERE id_hash = $1 AND expires_at > now() AND created_at > now() - make_interval(secs => $2)
         ), u AS (
            UPDATE sessions t SET last_seen_at = now(),
                device = CASE WHEN t.device = '' THEN $5 ELSE t.device END,
                expires_at = LEAST(t.created_at + make_interval(secs => $2),
                    now() + CASE t.kind WHEN 'staff' THEN make_interval(secs => $3) ELSE make_interval(secs => $4) END)
            FROM s WHERE t.id_hash = s.id_hash
              AND (s.last_seen_at < now() - interval '60 seconds' OR (s.device = '' AND $5 <> ''))
            RETURNING 1
         )
         SELECT kind AS "kind!: SessionKind", contact AS "contact?", request_id AS "request_id?",
            staff_id AS "staff_id?",
            (SELECT r.view_version FROM requests r
             WHERE s.kind = 'customer' AND r.reference = $6
               AND (r.id = s.request_id OR (s.contact IS NOT NULL AND s.contact IN (r.contact_email, r.contact_phone))))
                AS "room_version?"
         FROM s"#,
        id_hash,
        SESSION_ABSOLUTE.num_seconds() as f64,
        STAFF_SESSION_IDLE.num_seconds() as f64,
        CUSTOMER_SESSION_IDLE.num_seconds() as f64,
        device,
        room,
    )
    .fetch_optional(pool)
    .await?;
    Ok(row.and_then(|r| {
        let owner = match r.kind {
            // A staff session always has its staff id (`create_session`); one without is nobody.
            SessionKind::Staff => SessionOwner::Staff {
                staff_id: r.staff_id?,
            },
            SessionKind::Customer => SessionOwner::Customer {
                contact: r.contact,
                request_id: r.request_id,
            },
        };
        Some((owner, r.room_version))
    }))
}

/// The NOTIFY channel that carries ended sessions (comma-separated hex id hashes), so every
/// app instance closes their live streams (see `live::LiveHub`).
pub const SESSIONS_CHANNEL: &str = "cr_sessions";

/// Tells every instance these sessions ended. Inside a transaction it goes out on commit.
pub async fn announce_ended(
    conn: &mut PgConnection,
    id_hashes: &[Vec<u8>],
) -> Result<(), sqlx::Error> {
    // NOTIFY payloads are limited to 8000 bytes: 100 hashes of 65 characters fit.
    for chunk in id_hashes.chunks(100) {
        let payload = chunk.iter().map(hex::encode).collect::<Vec<_>>().join(",");
        sqlx::query!("SELECT pg_notify($1, $2)", SESSIONS_CHANNEL, payload)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// Announces deleted sessions ended and counts them. Every session deletion ends with this
/// (`RETURNING id_hash`) so open live streams always close.
pub(crate) async fn sessions_ended(
    conn: &mut PgConnection,
    ended: Vec<Vec<u8>>,
) -> Result<u64, sqlx::Error> {
    announce_ended(conn, &ended).await?;
    Ok(ended.len() as u64)
}

/// Ends one session (sign-out) and closes its live streams.
pub async fn delete_session(conn: &mut PgConnection, id_hash: &[u8]) -> Result<(), sqlx::Error> {
    let ended = sqlx::query_scalar!(
        "DELETE FROM sessions WHERE id_hash = $1 RETURNING id_hash",
        id_hash
    )
    .fetch_all(&mut *conn)
    .await?;
    sessions_ended(conn, ended).await?;
    Ok(())
}

/// Ends every session of a staff member (password reset, deactivation) and their live streams.
pub async fn delete_staff_sessions(
    conn: &mut PgConnection,
    staff_id: Uuid,
) -> Result<(), sqlx::Error> {
    let ended = sqlx::query_scalar!(
        "DELETE FROM sessions WHERE staff_id = $1 RETURNING id_hash",
        staff_id
    )
    .fetch_all(&mut *conn)
    .await?;
    sessions_ended(conn, ended).await?;
    Ok(())
}

/// For tests and housekeeping: when a link expires.
pub async fn room_token_expiry(
    pool: &PgPool,
    hash: &[u8],
) -> Result<Option<DateTime<Utc>>, sqlx::Error> {
    sqlx::query_scalar!(
        "SELECT expires_at FROM access_tokens WHERE token_hash = $1",
        hash
    )
    .fetch_optional(pool)
    .await
}
