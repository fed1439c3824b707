//! Where a signed-in customer's newest request is on the path, for `/guide`.
use crate::model::{guide::RequestProgress, status::RequestStatus};
use sqlx::PgPool;
use uuid::Uuid;

/// The newest request the session opens (the same rule as `requests::list_for_customer`).
pub async fn newest_progress(
    pool: &PgPool,
    contact: Option<&str>,
    scoped_request: Option<Uuid>,
) -> Result<Option<(String, RequestProgress)>, sqlx::Error> {
    let row = sqlx::query!(
        r#"SELECT r.reference, r.status AS "status: RequestStatus", r.ask_kind IS NOT NULL AS "asked!",
            EXISTS (SELECT 1 FROM quotes q WHERE q.request_id = r.id AND q.status = 'sent') AS "quote_waiting!",
            EXISTS (SELECT 1 FROM jobs j WHERE j.request_id = r.id AND j.status = 'finished') AS "finished!"
         FROM requests r
         WHERE r.id = $1 OR ($2::text IS NOT NULL AND (r.contact_email = $2 OR r.contact_phone = $2))
         ORDER BY r.created_at DESC LIMIT 1"#,
        scoped_request,
        contact,
    )
    .fetch_optional(pool)
    .await?;
    Ok(row.map(|r| {
        (
            r.reference,
            RequestProgress {
                asked_for_more: r.asked,
                quote_waiting: r.quote_waiting,
                job_finished: r.finished,
                done: r.status == RequestStatus::Done,
                closed: matches!(r.status, RequestStatus::Declined | RequestStatus::Cancelled),
                unconfirmed: r.status == RequestStatus::New,
            },
        )
    }))
}
