//! Customers: found or made from a form, and what their card reads and changes.
use crate::model::{job::JobStatus, room::QuoteStatus, status::RequestStatus};
use chrono::{DateTime, Utc};
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

/// Finds the customer by normalised email, else by phone, else creates one.
/// An existing customer is never changed from a form: anyone can type someone else's email,
/// so the name, phone and address given on a new request live on that request only.
pub async fn find_or_create(
    conn: &mut PgConnection,
    first_name: &str,
    last_name: &str,
    email: Option<&str>,
    phone: Option<&str>,
) -> Result<Uuid, sqlx::Error> {
    let existing = sqlx::query_scalar!(
        "SELECT id FROM customers
         WHERE ($1::text IS NOT NULL AND email = $1)
            OR ($1::text IS NULL AND $2::text IS NOT NULL AND phone = $2)
         ORDER BY (email = $1) DESC NULLS LAST LIMIT 1",
        email,
        phone,
    )
    .fetch_optional(&mut *conn)
    .await?;
    if let Some(id) = existing {
        return Ok(id);
    }
    // ON CONFLICT covers two first requests for one email arriving at the same moment.
    sqlx::query_scalar!(
        "INSERT INTO customers (id, first_name, last_name, email, phone) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (email) WHERE email IS NOT NULL DO UPDATE SET email = EXCLUDED.email
         RETURNING id",
        Uuid::new_v4(),
        first_name,
        last_name,
        email,
        phone,
    )
    .fetch_one(&mut *conn)
    .await
}

/// What the customer card shows at the top, with the counts its insights come from.
pub struct CardRow {
    pub id: Uuid,
    pub first_name: String,
    pub last_name: String,
    pub business_name: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub address: Option<String>,
    pub tags: Vec<String>,
    pub created_at: DateTime<Utc>,
    pub jobs_completed: i64,
    pub calls: i64,
    pub texts: i64,
    pub emails: i64,
    pub forms: i64,
    pub room: i64,
}

/// The card's facts in one read. Channels count what the customer did: texts sent to us and
/// room links opened from a text, links opened from an email, requests sent through the
/// form, messages written in the room, and calls staff logged. The address is the one staff
/// keep on the card, else the newest request's.
pub async fn card(pool: &PgPool, id: Uuid) -> Result<Option<CardRow>, sqlx::Error> {
    sqlx::query_as!(
        CardRow,
        r#"SELECT c.id, c.first_name, c.last_name, c.business_name, c.email, c.phone,
            COALESCE(c.address, (SELECT r.address_line || ', ' || r.suburb || ' ' || r.state || ' ' || r.postcode
                FROM requests r WHERE r.customer_id = c.id ORDER BY r.created_at DESC LIMIT 1)) AS "address?",
            c.tags, c.created_at,
            (SELECT count(*) FROM jobs j JOIN requests r ON r.id = j.request_id
              WHERE r.customer_id = c.id AND j.status = 'finished') AS "jobs_completed!",
            (SELECT count(*) FROM customer_events e WHERE e.customer_id = c.id AND e.kind = 'call') AS "calls!",
            (SELECT count(*) FROM inbound_texts t JOIN requests r ON r.id = t.request_id WHERE r.customer_id = c.id)
              + (SELECT count(*) FROM access_tokens a WHERE a.purpose = 'room' AND a.used_at IS NOT NULL
                   AND a.contact = c.phone) AS "texts!",
            (SELECT count(*) FROM access_tokens a WHERE a.purpose = 'room' AND a.used_at IS NOT NULL
               AND a.contact = c.email) AS "emails!",
            (SELECT count(*) FROM requests r WHERE r.customer_id = c.id) AS "forms!",
            (SELECT count(*) FROM messages m JOIN requests r ON r.id = m.request_id
              WHERE r.customer_id = c.id AND m.sender = 'customer' AND m.channel = 'room') AS "room!"
         FROM customers c WHERE c.id = $1"#,
        id,
    )
    .fetch_optional(pool)
    .await
}

pub struct RequestRow {
    pub reference: String,
    pub service_type: String,
    pub status: RequestStatus,
    pub created_at: DateTime<Utc>,
    pub job_number: Option<i64>,
    pub job_status: Option<JobStatus>,
    pub quote_version: Option<i32>,
    pub quote_status: Option<QuoteStatus>,
}

/// Every request of the customer, newest first, with its latest job and newest sent quote.
pub async fn requests(pool: &PgPool, id: Uuid) -> Result<Vec<RequestRow>, sqlx::Error> {
    sqlx::query_as!(
        RequestRow,
        r#"SELECT r.reference, r.service_type, r.status AS "status: RequestStatus", r.created_at,
            j.number AS "job_number?", j.status AS "job_status?: JobStatus",
            q.version AS "quote_version?", q.status AS "quote_status?: QuoteStatus"
         FROM requests r
         LEFT JOIN LATERAL (SELECT number, status FROM jobs WHERE request_id = r.id
                            ORDER BY created_at DESC LIMIT 1) j ON TRUE
         LEFT JOIN LATERAL (SELECT version, status FROM quotes WHERE request_id = r.id AND status <> 'draft'
                            ORDER BY version DESC LIMIT 1) q ON TRUE
         WHERE r.customer_id = $1 ORDER BY r.created_at DESC"#,
        id,
    )
    .fetch_all(pool)
    .await
}

pub struct CommRow {
    pub at: DateTime<Utc>,
    /// 'room', 'text' or 'email'.
    pub channel: String,
    pub from_customer: bool,
    pub reference: Option<String>,
    /// The words for a message; for an alert, its template name (the body may hold a live
    /// room link, which staff must not be handed).
    pub text: String,
    pub is_alert: bool,
}

/// Messages in every request's thread, texts that were only keywords, and the alerts we
/// sent the customer; newest first, `limit` from `offset`.
pub async fn comms(
    pool: &PgPool,
    id: Uuid,
    limit: i64,
    offset: i64,
) -> Result<Vec<CommRow>, sqlx::Error> {
    sqlx::query_as!(
        CommRow,
        r#"SELECT at AS "at!", channel AS "channel!", from_customer AS "from_customer!",
                reference, text AS "text!", is_alert AS "is_alert!"
           FROM (
             SELECT m.created_at AS at, CASE m.channel WHEN 'sms' THEN 'text' ELSE 'room' END AS channel,
                    m.sender = 'customer' AS from_customer, r.reference, m.body AS text, FALSE AS is_alert
               FROM messages m JOIN requests r ON r.id = m.request_id WHERE r.customer_id = $1
             UNION ALL
             SELECT t.received_at, 'text', TRUE, r.reference, t.body, FALSE
               FROM inbound_texts t JOIN requests r ON r.id = t.request_id
              WHERE r.customer_id = $1 AND t.keyword IS NOT NULL
             UNION ALL
             SELECT o.created_at, CASE o.channel WHEN 'sms' THEN 'text' ELSE 'email' END, FALSE,
                    r.reference, o.template, TRUE
               FROM outbox o JOIN requests r ON r.id = o.request_id
              WHERE r.customer_id = $1 AND o.template NOT LIKE 'staff\_%'
           ) h
           ORDER BY at DESC LIMIT $2 OFFSET $3"#,
        id,
        limit,
        offset,
    )
    .fetch_all(pool)
    .await
}

pub struct ActivityRow {
    pub at: DateTime<Utc>,
    /// 'customer', 'staff' or 'system'.
    pub actor_kind: String,
    pub actor: String,
    pub what: String,
    pub reference: Option<String>,
}

/// Every request's activity log and what staff did on the card; newest first.
pub async fn activity(
    pool: &PgPool,
    id: Uuid,
    limit: i64,
    offset: i64,
) -> Result<Vec<ActivityRow>, sqlx::Error> {
    sqlx::query_as!(
        ActivityRow,
        r#"SELECT at AS "at!", actor_kind AS "actor_kind!", actor AS "actor!", what AS "what!", reference
           FROM (
             SELECT e.created_at AS at, e.actor_kind, e.actor, e.body AS what, r.reference
               FROM request_events e JOIN requests r ON r.id = e.request_id WHERE r.customer_id = $1
             UNION ALL
             SELECT ce.created_at, 'staff', COALESCE(s.display_name, 'Staff'), ce.body, NULL
               FROM customer_events ce LEFT JOIN staff s ON s.id = ce.staff_id WHERE ce.customer_id = $1
           ) h
           ORDER BY at DESC LIMIT $2 OFFSET $3"#,
        id,
        limit,
        offset,
    )
    .fetch_all(pool)
    .await
}

/// The details staff can change, as they are now (locked until the transaction ends).
pub struct Details {
    pub first_name: String,
    pub last_name: String,
    pub business_name: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub address: Option<String>,
    pub tags: Vec<String>,
}

pub async fn lock_details(
    conn: &mut PgConnection,
    id: Uuid,
) -> Result<Option<Details>, sqlx::Error> {
    sqlx::query_as!(
        Details,
        "SELECT first_name, last_name, business_name, email, phone, address, tags
         FROM customers WHERE id = $1 FOR UPDATE",
        id,
    )
    .fetch_optional(conn)
    .await
}

pub async fn save_details(
    conn: &mut PgConnection,
    id: Uuid,
    d: &Details,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "UPDATE customers SET first_name = $2, last_name = $3, business_name = $4, phone = $5,
             address = $6, tags = $7, updated_at = now()
         WHERE id = $1",
        id,
        d.first_name,
        d.last_name,
        d.business_name,
        d.phone,
        d.address,
        &d.tags,
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// A line in the card's own history; `outcome` for a call, `client_key` (may be empty) so
/// a retried form adds nothing. `false`: that key was used already.
pub struct NewEvent<'a> {
    pub kind: &'a str,
    pub body: &'a str,
    pub outcome: Option<&'a str>,
    pub staff_id: Uuid,
    pub client_key: &'a str,
}

pub async fn add_event(
    conn: &mut PgConnection,
    id: Uuid,
    e: &NewEvent<'_>,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query!(
        "INSERT INTO customer_events (id, customer_id, kind, body, call_outcome, staff_id, client_key)
         VALUES ($1, $2, $3, $4, $5, $6, NULLIF($7, ''))
         ON CONFLICT (customer_id, client_key) WHERE client_key IS NOT NULL DO NOTHING",
        Uuid::new_v4(),
        id,
        e.kind,
        e.body,
        e.outcome,
        e.staff_id,
        e.client_key.trim(),
    )
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// The customer a request belongs to.
pub async fn of_request(pool: &PgPool, request_id: Uuid) -> Result<Option<Uuid>, sqlx::Error> {
    sqlx::query_scalar!("SELECT customer_id FROM requests WHERE id = $1", request_id)
        .fetch_optional(pool)
        .await
}

/// The customer's newest request, which live changes about the card are published on.
pub async fn newest_request(
    conn: &mut PgConnection,
    id: Uuid,
) -> Result<Option<Uuid>, sqlx::Error> {
    sqlx::query_scalar!(
        "SELECT id FROM requests WHERE customer_id = $1 ORDER BY created_at DESC LIMIT 1",
        id
    )
    .fetch_optional(conn)
    .await
}
