//! Jobs: scheduled work on a request, with its technician.
use super::attachments::{info, InfoRow};
use crate::model::{
    job::{JobKind, JobStatus},
    request::AttachmentInfo,
    room::ThreadMessage,
};
use chrono::{DateTime, Utc};
use sqlx::{types::Json, PgConnection, PgPool};
use uuid::Uuid;

/// A job as stored, with its request's reference and its technician's name.
#[derive(Clone, Debug)]
pub struct JobRow {
    pub id: Uuid,
    pub number: i64,
    pub request_id: Uuid,
    pub reference: String,
    pub kind: JobKind,
    pub location: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub technician_id: Uuid,
    pub technician_name: String,
    pub notes: String,
    pub status: JobStatus,
    pub outcome: Option<String>,
}

pub struct NewJob<'a> {
    pub request_id: Uuid,
    pub kind: JobKind,
    pub location: &'a str,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub technician_id: Uuid,
    pub notes: &'a str,
}

/// Inserts the job; `None` when the request already has an open job (the partial unique
/// index `jobs_one_open` decides, so two offices converting at once make one job).
pub async fn insert(
    conn: &mut PgConnection,
    job: &NewJob<'_>,
) -> Result<Option<Uuid>, sqlx::Error> {
    let id = sqlx::query_scalar!(
        "INSERT INTO jobs (request_id, kind, location, starts_at, ends_at, technician_id, notes)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (request_id) WHERE status NOT IN ('finished', 'cancelled') DO NOTHING
         RETURNING id",
        job.request_id,
        job.kind as _,
        job.location,
        job.starts_at,
        job.ends_at,
        job.technician_id,
        job.notes,
    )
    .fetch_optional(conn)
    .await?;
    Ok(id)
}

/// Writes a job's changed booking (its request stays the same).
pub async fn update(
    conn: &mut PgConnection,
    id: Uuid,
    job: &NewJob<'_>,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "UPDATE jobs SET kind = $2, location = $3, starts_at = $4, ends_at = $5, technician_id = $6,
            notes = $7, updated_at = now() WHERE id = $1",
        id,
        job.kind as _,
        job.location,
        job.starts_at,
        job.ends_at,
        job.technician_id,
        job.notes,
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// The job, locked until the transaction ends (two taps on Start make one move).
pub async fn lock(conn: &mut PgConnection, id: Uuid) -> Result<Option<JobRow>, sqlx::Error> {
    sqlx::query_as!(
        JobRow,
        r#"SELECT j.id, j.number, j.request_id, r.reference, j.kind AS "kind: JobKind", j.location,
            j.starts_at, j.ends_at, j.technician_id, s.display_name AS technician_name, j.notes,
            j.status AS "status: JobStatus", j.outcome
         FROM jobs j JOIN requests r ON r.id = j.request_id JOIN staff s ON s.id = j.technician_id
         WHERE j.id = $1 FOR UPDATE OF j"#,
        id,
    )
    .fetch_optional(conn)
    .await
}

pub async fn set_status(
    conn: &mut PgConnection,
    id: Uuid,
    status: JobStatus,
    outcome: Option<&str>,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "UPDATE jobs SET status = $2, outcome = COALESCE($3, outcome), updated_at = now() WHERE id = $1",
        id,
        status as _,
        outcome,
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Every job of a request, newest first.
pub async fn for_request(pool: &PgPool, request_id: Uuid) -> Result<Vec<JobRow>, sqlx::Error> {
    sqlx::query_as!(
        JobRow,
        r#"SELECT j.id, j.number, j.request_id, r.reference, j.kind AS "kind: JobKind", j.location,
            j.starts_at, j.ends_at, j.technician_id, s.display_name AS technician_name, j.notes,
            j.status AS "status: JobStatus", j.outcome
         FROM jobs j JOIN requests r ON r.id = j.request_id JOIN staff s ON s.id = j.technician_id
         WHERE j.request_id = $1 ORDER BY j.created_at DESC"#,
        request_id,
    )
    .fetch_all(pool)
    .await
}

/// True when `staff_id` has a job on the request that is not cancelled: what lets a
/// technician open a request's page.
pub async fn is_assigned(
    pool: &PgPool,
    request_id: Uuid,
    staff_id: Uuid,
) -> Result<bool, sqlx::Error> {
    sqlx::query_scalar!(
        r#"SELECT EXISTS (SELECT 1 FROM jobs WHERE request_id = $1 AND technician_id = $2
            AND status <> 'cancelled') AS "yes!""#,
        request_id,
        staff_id,
    )
    .fetch_one(pool)
    .await
}

/// A technician's job with what they need at the door.
pub struct DayRow {
    pub job: JobRow,
    pub first_name: String,
    pub phone: Option<String>,
    pub service_type: String,
    pub request_notes: String,
    pub photos: Vec<AttachmentInfo>,
    pub messages: Vec<ThreadMessage>,
}

struct DayRecord {
    id: Uuid,
    number: i64,
    request_id: Uuid,
    reference: String,
    kind: JobKind,
    location: String,
    starts_at: DateTime<Utc>,
    ends_at: DateTime<Utc>,
    technician_id: Uuid,
    technician_name: String,
    notes: String,
    status: JobStatus,
    outcome: Option<String>,
    first_name: String,
    phone: Option<String>,
    service_type: String,
    request_notes: String,
    photos: Json<Vec<InfoRow>>,
    messages: Json<Vec<ThreadMessage>>,
}

/// The technician's jobs starting in `[from, to)`, in time order, cancelled ones left out.
pub async fn day_for(
    pool: &PgPool,
    staff_id: Uuid,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Result<Vec<DayRow>, sqlx::Error> {
    let rows = sqlx::query_as!(
        DayRecord,
        r#"SELECT j.id, j.number, j.request_id, r.reference, j.kind AS "kind: JobKind", j.location,
            j.starts_at, j.ends_at, j.technician_id, s.display_name AS technician_name, j.notes,
            j.status AS "status: JobStatus", j.outcome, r.first_name, r.contact_phone AS phone,
            r.service_type, r.notes AS request_notes,
            COALESCE((SELECT json_agg(json_build_object('id', a.id, 'file_name', a.file_name,
                    'kind', a.kind, 'byte_size', a.byte_size, 'caption', a.caption,
                    'created_at', a.created_at) ORDER BY a.created_at)
                FROM attachments a WHERE a.request_id = r.id), '[]') AS "photos!: Json<Vec<InfoRow>>",
            COALESCE((SELECT json_agg(json_build_object('id', m.id, 'from_staff', m.sender = 'staff',
                    'author', m.author, 'body', m.body, 'topic', m.topic, 'at', m.created_at)
                    ORDER BY m.created_at, m.id)
                FROM messages m WHERE m.request_id = r.id), '[]') AS "messages!: Json<Vec<ThreadMessage>>"
         FROM jobs j JOIN requests r ON r.id = j.request_id JOIN staff s ON s.id = j.technician_id
         WHERE j.technician_id = $1 AND j.starts_at >= $2 AND j.starts_at < $3 AND j.status <> 'cancelled'
         ORDER BY j.starts_at"#,
        staff_id,
        from,
        to,
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| DayRow {
            job: JobRow {
                id: r.id,
                number: r.number,
                request_id: r.request_id,
                reference: r.reference,
                kind: r.kind,
                location: r.location,
                starts_at: r.starts_at,
                ends_at: r.ends_at,
                technician_id: r.technician_id,
                technician_name: r.technician_name,
                notes: r.notes,
                status: r.status,
                outcome: r.outcome,
            },
            first_name: r.first_name,
            phone: r.phone,
            service_type: r.service_type,
            request_notes: r.request_notes,
            photos: r.photos.0.into_iter().map(info).collect(),
            messages: r.messages.0,
        })
        .collect())
}
