//! The board's one read: every request on the board with what its flags are made of.
use crate::model::{room::QuoteStatus, status::RequestStatus};
use chrono::{DateTime, Utc};
use sqlx::PgPool;
use uuid::Uuid;

pub struct BoardRow {
    pub id: Uuid,
    pub reference: String,
    pub customer_name: String,
    pub customer_id: Uuid,
    pub tags: Vec<String>,
    pub service_type: String,
    pub suburb: String,
    pub status: RequestStatus,
    pub created_at: DateTime<Utc>,
    pub urgent: bool,
    pub urgent_at: Option<DateTime<Utc>>,
    /// Staff asked for photos or details, not yet answered.
    pub waiting: bool,
    pub new_photos: bool,
    pub unanswered: bool,
    pub quote_status: Option<QuoteStatus>,
    pub technician: Option<String>,
}

/// What narrows the read, already cleaned: `like` is a LIKE pattern with its wildcards
/// escaped, `phone_digits` the digits of a search that looks like part of a phone number.
pub struct BoardQuery<'a> {
    pub show_rejected: bool,
    pub technician: Option<Uuid>,
    pub service: Option<&'a str>,
    pub like: Option<&'a str>,
    pub phone_digits: Option<&'a str>,
}

/// Open requests, plus those done or rejected in the last 30 days. "New photos" are files
/// the customer added after the request was sent and after staff last acted on it.
pub async fn read(pool: &PgPool, q: &BoardQuery<'_>) -> Result<Vec<BoardRow>, sqlx::Error> {
    sqlx::query_as!(
        BoardRow,
        r#"SELECT r.id, r.reference, r.first_name || ' ' || r.last_name AS "customer_name!",
            r.customer_id, c.tags, r.service_type, r.suburb, r.status AS "status: RequestStatus", r.created_at, r.urgent, r.urgent_at,
            (r.ask_kind IS NOT NULL AND NOT (r.ask_kind = 'photos' AND EXISTS (
                SELECT 1 FROM attachments a WHERE a.request_id = r.id AND a.created_at > r.ask_at))) AS "waiting!",
            EXISTS (SELECT 1 FROM attachments a WHERE a.request_id = r.id AND a.created_at > r.created_at
                AND a.uploaded_by = 'customer'
                AND a.created_at > COALESCE((SELECT max(e.created_at) FROM request_events e
                    WHERE e.request_id = r.id AND e.actor_kind = 'staff'), r.created_at)) AS "new_photos!",
            COALESCE((SELECT m.sender = 'customer' FROM messages m WHERE m.request_id = r.id
                ORDER BY m.created_at DESC, m.id DESC LIMIT 1), false) AS "unanswered!",
            q.status AS "quote_status?: QuoteStatus",
            jb.display_name AS "technician?"
         FROM requests r
         JOIN customers c ON c.id = r.customer_id
         LEFT JOIN LATERAL (
            SELECT status FROM quotes WHERE request_id = r.id AND status <> 'draft'
            ORDER BY version DESC LIMIT 1
         ) q ON TRUE
         LEFT JOIN LATERAL (
            SELECT j.technician_id, s.display_name FROM jobs j JOIN staff s ON s.id = j.technician_id
            WHERE j.request_id = r.id AND j.status <> 'cancelled' ORDER BY j.created_at DESC LIMIT 1
         ) jb ON TRUE
         WHERE (r.status NOT IN ('done', 'declined', 'cancelled') OR r.updated_at > now() - interval '30 days')
           AND ($1 OR r.status NOT IN ('declined', 'cancelled'))
           AND ($2::uuid IS NULL OR jb.technician_id = $2)
           AND ($3::text IS NULL OR r.service_type = $3)
           AND ($4::text IS NULL
                OR r.reference ILIKE $4 || '%'
                OR (r.first_name || ' ' || r.last_name) ILIKE '%' || $4 || '%'
                OR r.contact_email ILIKE '%' || $4 || '%'
                OR ($5::text IS NOT NULL AND regexp_replace(COALESCE(r.contact_phone, ''), '\D', '', 'g') LIKE '%' || $5 || '%'))
         ORDER BY r.created_at
         LIMIT 3000"#,
        q.show_rejected,
        q.technician,
        q.service,
        q.like,
        q.phone_digits,
    )
    .fetch_all(pool)
    .await
}
