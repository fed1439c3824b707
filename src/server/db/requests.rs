use crate::model::{
    request::{KnownContact, RequestDetail, RequestSummary},
    status::RequestStatus,
};
use chrono::{DateTime, NaiveDate, Utc};
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

pub struct NewRequest<'a> {
    pub customer_id: Uuid,
    pub reference: &'a str,
    pub idempotency_key: Uuid,
    pub email: Option<&'a str>,
    pub phone: Option<&'a str>,
    pub first_name: &'a str,
    pub last_name: &'a str,
    pub address_line: &'a str,
    pub suburb: &'a str,
    pub state: &'a str,
    pub postcode: &'a str,
    pub service_type: &'a str,
    pub preferred_date: Option<NaiveDate>,
    pub preferred_window: &'a str,
    pub notes: &'a str,
}

pub async fn insert(conn: &mut PgConnection, r: &NewRequest<'_>) -> Result<Uuid, sqlx::Error> {
    let id = Uuid::new_v4();
    sqlx::query!(
        "INSERT INTO requests (id, reference, customer_id, contact_email, contact_phone, first_name, last_name,
            address_line, suburb, state, postcode, service_type, preferred_date, preferred_window, notes, idempotency_key)
         VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16)",
        id,
        r.reference,
        r.customer_id,
        r.email,
        r.phone,
        r.first_name,
        r.last_name,
        r.address_line,
        r.suburb,
        r.state,
        r.postcode,
        r.service_type,
        r.preferred_date,
        r.preferred_window,
        r.notes,
        r.idempotency_key,
    )
    .execute(conn)
    .await?;
    Ok(id)
}

pub async fn by_idempotency_key(
    pool: &PgPool,
    key: Uuid,
) -> Result<Option<(Uuid, String)>, sqlx::Error> {
    let row = sqlx::query!(
        "SELECT id, reference FROM requests WHERE idempotency_key = $1",
        key
    )
    .fetch_optional(pool)
    .await?;
    Ok(row.map(|r| (r.id, r.reference)))
}

/// Records the SHA-256 of the sending browser's form cookie on a new request.
pub async fn set_form_secret(
    conn: &mut PgConnection,
    id: Uuid,
    hash: Option<&[u8]>,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "UPDATE requests SET form_secret_hash = $2 WHERE id = $1",
        id,
        hash
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// The request first sent with this form key: id, reference and the sending browser's
/// form-cookie hash (if it had one).
pub async fn first_submit(
    pool: &PgPool,
    key: Uuid,
) -> Result<Option<(Uuid, String, Option<Vec<u8>>)>, sqlx::Error> {
    let row = sqlx::query!(
        "SELECT id, reference, form_secret_hash FROM requests WHERE idempotency_key = $1",
        key,
    )
    .fetch_optional(pool)
    .await?;
    Ok(row.map(|r| (r.id, r.reference, r.form_secret_hash)))
}

pub async fn id_by_reference(pool: &PgPool, reference: &str) -> Result<Option<Uuid>, sqlx::Error> {
    sqlx::query_scalar!("SELECT id FROM requests WHERE reference = $1", reference)
        .fetch_optional(pool)
        .await
}

/// Whether a customer session (a verified contact and/or the one request it was started
/// for) may see this request.
pub async fn customer_may_access(
    pool: &PgPool,
    request_id: Uuid,
    contact: Option<&str>,
    scoped_request: Option<Uuid>,
) -> Result<bool, sqlx::Error> {
    sqlx::query_scalar!(
        r#"SELECT EXISTS (SELECT 1 FROM requests WHERE id = $1
            AND (id = $2 OR ($3::text IS NOT NULL AND (contact_email = $3 OR contact_phone = $3)))) AS "may!""#,
        request_id,
        scoped_request,
        contact,
    )
    .fetch_one(pool)
    .await
}

// Both summary lists select the same columns, straight into `RequestSummary`.
pub async fn list_recent(pool: &PgPool, limit: i64) -> Result<Vec<RequestSummary>, sqlx::Error> {
    sqlx::query_as!(
        RequestSummary,
        r#"SELECT id, reference, first_name || ' ' || last_name AS "customer_name!", service_type, suburb, state,
            status AS "status: RequestStatus", preferred_date, preferred_window, created_at, urgent
         FROM requests ORDER BY created_at DESC LIMIT $1"#,
        limit,
    )
    .fetch_all(pool)
    .await
}

pub async fn list_for_customer(
    pool: &PgPool,
    contact: Option<&str>,
    scoped_request: Option<Uuid>,
) -> Result<Vec<RequestSummary>, sqlx::Error> {
    sqlx::query_as!(
        RequestSummary,
        r#"SELECT id, reference, first_name || ' ' || last_name AS "customer_name!", service_type, suburb, state,
            status AS "status: RequestStatus", preferred_date, preferred_window, created_at, urgent
         FROM requests
         WHERE id = $1 OR ($2::text IS NOT NULL AND (contact_email = $2 OR contact_phone = $2))
         ORDER BY created_at DESC LIMIT 200"#,
        scoped_request,
        contact,
    )
    .fetch_all(pool)
    .await
}

/// What an alert to the customer needs: where to send it and what it may name.
pub struct AlertFacts {
    pub reference: String,
    pub first_name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    /// The newest job that is not cancelled: its technician and times.
    pub technician: Option<String>,
    pub starts_at: Option<DateTime<Utc>>,
    pub ends_at: Option<DateTime<Utc>>,
}

pub async fn alert_facts(
    conn: &mut PgConnection,
    id: Uuid,
) -> Result<Option<AlertFacts>, sqlx::Error> {
    sqlx::query_as!(
        AlertFacts,
        r#"SELECT r.reference, r.first_name, r.contact_email AS email, r.contact_phone AS phone,
            j.technician AS "technician?", j.starts_at AS "starts_at?", j.ends_at AS "ends_at?"
         FROM requests r
         LEFT JOIN LATERAL (
            SELECT s.display_name AS technician, jb.starts_at, jb.ends_at FROM jobs jb
            JOIN staff s ON s.id = jb.technician_id
            WHERE jb.request_id = r.id AND jb.status <> 'cancelled'
            ORDER BY jb.created_at DESC LIMIT 1) j ON true
         WHERE r.id = $1"#,
        id
    )
    .fetch_optional(conn)
    .await
}

/// A `RequestDetail` from any query record that selected the request's columns under their
/// own names (each `query!` record is a type of its own, so the one mapping is a macro):
/// [`detail`] and `room_view::read`.
macro_rules! request_detail {
    ($r:expr, $attachments:expr) => {
        $crate::model::request::RequestDetail {
            id: $r.id,
            reference: $r.reference,
            status: $r.status,
            first_name: $r.first_name,
            last_name: $r.last_name,
            email: $r.contact_email,
            phone: $r.contact_phone,
            address_line: $r.address_line,
            suburb: $r.suburb,
            state: $r.state,
            postcode: $r.postcode,
            service_type: $r.service_type,
            preferred_date: $r.preferred_date,
            preferred_window: $r.preferred_window,
            notes: $r.notes,
            created_at: $r.created_at,
            updated_at: $r.updated_at,
            attachments: $attachments,
        }
    };
}
pub(crate) use request_detail;

pub async fn detail(pool: &PgPool, id: Uuid) -> Result<Option<RequestDetail>, sqlx::Error> {
    let Some(r) = sqlx::query!(
        r#"SELECT id, reference, status AS "status: RequestStatus", first_name, last_name, contact_email,
            contact_phone, address_line, suburb, state, postcode, service_type, preferred_date,
            preferred_window, notes, created_at, updated_at
         FROM requests WHERE id = $1"#,
        id,
    )
    .fetch_optional(pool)
    .await?
    else {
        return Ok(None);
    };
    let attachments = super::attachments::for_request(pool, id).await?;
    Ok(Some(request_detail!(r, attachments)))
}

/// Contact and address from the newest request this customer session can see.
pub async fn latest_contact(
    pool: &PgPool,
    contact: Option<&str>,
    scoped_request: Option<Uuid>,
) -> Result<Option<KnownContact>, sqlx::Error> {
    let row = sqlx::query!(
        "SELECT first_name, last_name, contact_email, contact_phone, address_line, suburb, state, postcode
         FROM requests WHERE id = $1 OR ($2::text IS NOT NULL AND (contact_email = $2 OR contact_phone = $2))
         ORDER BY created_at DESC LIMIT 1",
        scoped_request,
        contact,
    )
    .fetch_optional(pool)
    .await?;
    Ok(row.map(|r| KnownContact {
        first_name: r.first_name,
        last_name: r.last_name,
        email: r.contact_email.unwrap_or_default(),
        phone: r.contact_phone.unwrap_or_default(),
        address_line: r.address_line,
        suburb: r.suburb,
        state: r.state,
        postcode: r.postcode,
    }))
}

/// Requests whose contact matches, for sending fresh links. Newest first.
pub async fn for_contact(pool: &PgPool, contact: &str) -> Result<Vec<(Uuid, String)>, sqlx::Error> {
    let rows = sqlx::query!(
        "SELECT id, reference FROM requests WHERE contact_email = $1 OR contact_phone = $1 ORDER BY created_at DESC LIMIT 20",
        contact,
    )
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().map(|r| (r.id, r.reference)).collect())
}

/// Lightest indexed lookup, used as the benchmark's ceiling.
pub async fn exists_reference(
    conn: &mut PgConnection,
    reference: &str,
) -> Result<bool, sqlx::Error> {
    sqlx::query_scalar!(
        r#"SELECT EXISTS (SELECT 1 FROM requests WHERE reference = $1) AS "exists!""#,
        reference
    )
    .fetch_one(conn)
    .await
}

pub async fn set_status(
    conn: &mut PgConnection,
    id: Uuid,
    status: RequestStatus,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "UPDATE requests SET status = $2, updated_at = now() WHERE id = $1",
        id,
        status as _,
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Demo data only: makes a seeded request look as old as its story says.
pub async fn backdate(
    conn: &mut PgConnection,
    id: Uuid,
    created_at: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "UPDATE requests SET created_at = $2, updated_at = $2 WHERE id = $1",
        id,
        created_at,
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query!(
        "UPDATE request_events SET created_at = $2 WHERE request_id = $1",
        id,
        created_at,
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// The request's status, with the row locked until the transaction ends: two staff moving
/// one request at once make one move each, in turn, each checked against the other's result.
pub async fn lock_status(
    conn: &mut PgConnection,
    id: Uuid,
) -> Result<Option<RequestStatus>, sqlx::Error> {
    sqlx::query_scalar!(
        r#"SELECT status AS "status: RequestStatus" FROM requests WHERE id = $1 FOR UPDATE"#,
        id
    )
    .fetch_optional(conn)
    .await
}
