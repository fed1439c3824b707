//! The links and signed-in customer devices that can open a request, and ending them.
//!
//! "Can open request R" is the same rule as `requests::customer_may_access`: a customer
//! session scoped to R, or one for a contact given on R (a room link's session sees every
//! request of its contact). A room link counts when it was sent for R or to R's contact.
//!
//! The two rules are written out in each query below and in the room read that lists them
//! (`room_view::read`), as the query macros take only literal SQL: a session opens R when
//! `s.kind = 'customer' AND (s.request_id = r.id OR (s.contact IS NOT NULL AND s.contact IN
//! (r.contact_email, r.contact_phone)))`, a link when `t.purpose = 'room' AND (t.request_id =
//! r.id OR t.contact IN (r.contact_email, r.contact_phone))`. Change one, change them all.
use super::access::sessions_ended;
use sqlx::PgConnection;
use uuid::Uuid;

/// Ends one link or session named by `public_id`, only if it can open `request_id`
/// (so nobody can end another customer's access by guessing or copying an id).
/// Returns the ended session's id hash, `Some(vec![])` for a link, `None` if nothing matched.
pub async fn end_one(
    conn: &mut PgConnection,
    request_id: Uuid,
    public_id: Uuid,
) -> Result<Option<Vec<u8>>, sqlx::Error> {
    let link = sqlx::query!(
        "DELETE FROM access_tokens t USING requests r
         WHERE t.purpose = 'room' AND r.id = $1
           AND (t.request_id = r.id OR t.contact IN (r.contact_email, r.contact_phone))
           AND t.public_id = $2",
        request_id,
        public_id,
    )
    .execute(&mut *conn)
    .await?;
    if link.rows_affected() > 0 {
        return Ok(Some(Vec::new()));
    }
    let ended = sqlx::query_scalar!(
        "DELETE FROM sessions WHERE id_hash IN (
            SELECT s.id_hash FROM sessions s, requests r
            WHERE s.kind = 'customer' AND r.id = $1
              AND (s.request_id = r.id OR (s.contact IS NOT NULL AND s.contact IN (r.contact_email, r.contact_phone)))
              AND s.public_id = $2)
         RETURNING id_hash",
        request_id,
        public_id,
    )
    .fetch_all(&mut *conn)
    .await?;
    let Some(hash) = ended.first().cloned() else {
        return Ok(None);
    };
    sessions_ended(conn, ended).await?;
    Ok(Some(hash))
}

/// Staff ending a customer's access to a request: every link and customer session that
/// can open it. Returns (links, sessions) ended.
pub async fn end_all(conn: &mut PgConnection, request_id: Uuid) -> Result<(u64, u64), sqlx::Error> {
    let links = sqlx::query!(
        "DELETE FROM access_tokens t USING requests r
         WHERE t.purpose = 'room' AND r.id = $1
           AND (t.request_id = r.id OR t.contact IN (r.contact_email, r.contact_phone))",
        request_id,
    )
    .execute(&mut *conn)
    .await?
    .rows_affected();
    let ended = sqlx::query_scalar!(
        "DELETE FROM sessions WHERE id_hash IN (
            SELECT s.id_hash FROM sessions s, requests r
            WHERE s.kind = 'customer' AND r.id = $1
              AND (s.request_id = r.id OR (s.contact IS NOT NULL AND s.contact IN (r.contact_email, r.contact_phone))))
         RETURNING id_hash",
        request_id,
    )
    .fetch_all(&mut *conn)
    .await?;
    let sessions = sessions_ended(conn, ended).await?;
    Ok((links, sessions))
}
