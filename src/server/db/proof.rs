//! Private feedback and the proof a customer offers. Every change of a proof's state is one
//! conditional UPDATE: it happens only from the states that allow it (the row count says
//! whether it did), and the table's check refuses any publish the customer did not approve.
use chrono::{DateTime, Utc};
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

/// Stores one piece of feedback; false when this form's key was already used (a retry).
pub async fn add_feedback(
    conn: &mut PgConnection,
    request_id: Uuid,
    step: &str,
    body: &str,
    client_key: &str,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query!(
        "INSERT INTO feedback (request_id, step, body, client_key) VALUES ($1, $2, $3, $4)
         ON CONFLICT (request_id, client_key) DO NOTHING",
        request_id,
        step,
        body,
        client_key,
    )
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub struct FeedbackRow {
    pub id: Uuid,
    pub reference: String,
    pub step: String,
    pub body: String,
    pub created_at: DateTime<Utc>,
    pub reviewed_at: Option<DateTime<Utc>>,
    pub reviewer: Option<String>,
}

/// The review list: unread first, then newest first.
pub async fn feedback_list(pool: &PgPool, limit: i64) -> Result<Vec<FeedbackRow>, sqlx::Error> {
    sqlx::query_as!(
        FeedbackRow,
        r#"SELECT f.id, r.reference, f.step, f.body, f.created_at, f.reviewed_at,
                s.display_name AS "reviewer?"
         FROM feedback f JOIN requests r ON r.id = f.request_id
         LEFT JOIN staff s ON s.id = f.reviewed_by
         ORDER BY (f.reviewed_at IS NULL) DESC, f.created_at DESC LIMIT $1"#,
        limit,
    )
    .fetch_all(pool)
    .await
}

pub async fn mark_feedback_read(
    pool: &PgPool,
    id: Uuid,
    staff_id: Uuid,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query!(
        "UPDATE feedback SET reviewed_at = COALESCE(reviewed_at, now()),
            reviewed_by = COALESCE(reviewed_by, $2) WHERE id = $1",
        id,
        staff_id,
    )
    .execute(pool)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn has_finished_job(
    conn: &mut PgConnection,
    request_id: Uuid,
) -> Result<bool, sqlx::Error> {
    sqlx::query_scalar!(
        r#"SELECT EXISTS (SELECT 1 FROM jobs WHERE request_id = $1 AND status = 'finished') AS "x!""#,
        request_id
    )
    .fetch_one(conn)
    .await
}

/// A proof as stored.
#[derive(Debug, serde::Deserialize)]
pub struct ProofRow {
    pub customer_words: String,
    pub wording: String,
    pub revision: i32,
    pub customer_approved: Option<String>,
    pub published_at: Option<DateTime<Utc>>,
    pub withdrawn_by: Option<String>,
    pub attribution: String,
}

pub async fn get(
    conn: &mut PgConnection,
    request_id: Uuid,
) -> Result<Option<ProofRow>, sqlx::Error> {
    sqlx::query_as!(
        ProofRow,
        "SELECT customer_words, wording, revision, customer_approved, published_at, withdrawn_by,
            attribution FROM proofs WHERE request_id = $1 FOR UPDATE",
        request_id
    )
    .fetch_optional(conn)
    .await
}

/// The customer offers their words, approving them as written. A customer who withdrew may
/// offer new words; otherwise an existing proof is left as it is (false).
pub async fn offer(
    conn: &mut PgConnection,
    request_id: Uuid,
    words: &str,
    attribution: &str,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query!(
        "INSERT INTO proofs (request_id, customer_words, wording, customer_approved,
            customer_approved_at, attribution)
         VALUES ($1, $2, $2, $2, now(), $3)
         ON CONFLICT (request_id) DO UPDATE SET customer_words = EXCLUDED.customer_words,
            wording = EXCLUDED.wording, customer_approved = EXCLUDED.customer_approved,
            customer_approved_at = now(), revision = proofs.revision + 1, edited_by = NULL,
            withdrawn_at = NULL, withdrawn_by = NULL, published_at = NULL, published_by = NULL,
            attribution = EXCLUDED.attribution, updated_at = now()
         WHERE proofs.withdrawn_by = 'customer'",
        request_id,
        words,
        attribution,
    )
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// The customer approves the wording at `revision` (the one they read).
pub async fn approve(
    conn: &mut PgConnection,
    request_id: Uuid,
    revision: i32,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query!(
        "UPDATE proofs SET customer_approved = wording, customer_approved_at = now(), updated_at = now()
         WHERE request_id = $1 AND revision = $2 AND withdrawn_by IS DISTINCT FROM 'customer'",
        request_id,
        revision,
    )
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Either side takes it back: off the proof page in the same statement. The customer's
/// withdrawal also ends their approval.
pub async fn withdraw(
    conn: &mut PgConnection,
    request_id: Uuid,
    by_customer: bool,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query!(
        "UPDATE proofs SET published_at = NULL, withdrawn_at = now(),
            withdrawn_by = CASE WHEN $2 THEN 'customer' ELSE 'staff' END,
            customer_approved = CASE WHEN $2 THEN NULL ELSE customer_approved END,
            updated_at = now()
         WHERE request_id = $1 AND withdrawn_by IS DISTINCT FROM 'customer'
           AND ($2 OR published_at IS NOT NULL)",
        request_id,
        by_customer,
    )
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Staff change the wording: a new revision the customer has to approve, and off the proof
/// page until they do.
pub async fn edit(
    conn: &mut PgConnection,
    request_id: Uuid,
    wording: &str,
    staff_id: Uuid,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query!(
        "UPDATE proofs SET wording = $2, revision = revision + 1, edited_by = $3,
            published_at = NULL, updated_at = now()
         WHERE request_id = $1 AND wording <> $2 AND withdrawn_by IS DISTINCT FROM 'customer'",
        request_id,
        wording,
        staff_id,
    )
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Staff publish: only the wording the customer approved, never what they withdrew.
pub async fn publish(
    conn: &mut PgConnection,
    request_id: Uuid,
    staff_id: Uuid,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query!(
        "UPDATE proofs SET published_at = now(), published_by = $2, withdrawn_at = NULL,
            withdrawn_by = NULL, updated_at = now()
         WHERE request_id = $1 AND customer_approved = wording
           AND withdrawn_by IS DISTINCT FROM 'customer' AND published_at IS NULL",
        request_id,
        staff_id,
    )
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub struct StaffProofRow {
    pub request_id: Uuid,
    pub reference: String,
    pub row: ProofRow,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// Everything offered, the ones waiting on staff first.
pub async fn staff_list(pool: &PgPool) -> Result<Vec<StaffProofRow>, sqlx::Error> {
    let rows = sqlx::query!(
        "SELECT p.request_id, r.reference, p.customer_words, p.wording, p.revision,
            p.customer_approved, p.published_at, p.withdrawn_by, p.attribution, p.created_at,
            p.updated_at
         FROM proofs p JOIN requests r ON r.id = p.request_id
         ORDER BY (p.customer_approved = p.wording AND p.published_at IS NULL
                   AND p.withdrawn_by IS NULL) DESC, p.updated_at DESC
         LIMIT 200"
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| StaffProofRow {
            request_id: r.request_id,
            reference: r.reference,
            row: ProofRow {
                customer_words: r.customer_words,
                wording: r.wording,
                revision: r.revision,
                customer_approved: r.customer_approved,
                published_at: r.published_at,
                withdrawn_by: r.withdrawn_by,
                attribution: r.attribution,
            },
            created_at: r.created_at,
            updated_at: r.updated_at,
        })
        .collect())
}

pub struct PublishedRow {
    pub wording: String,
    pub attribution: String,
    pub service_type: String,
    pub published_at: DateTime<Utc>,
}

/// What `/proof` may show. The conditions repeat the table's check on purpose: a row is
/// public only while every one holds.
pub async fn published(pool: &PgPool) -> Result<Vec<PublishedRow>, sqlx::Error> {
    sqlx::query_as!(
        PublishedRow,
        r#"SELECT p.wording, p.attribution, r.service_type, p.published_at AS "published_at!"
         FROM proofs p JOIN requests r ON r.id = p.request_id
         WHERE p.published_at IS NOT NULL AND p.withdrawn_at IS NULL
           AND p.customer_approved = p.wording
         ORDER BY p.published_at DESC LIMIT 100"#
    )
    .fetch_all(pool)
    .await
}
