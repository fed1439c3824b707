use crate::{model::request::AttachmentInfo, server::files::sniff::FileKind};
use chrono::{DateTime, Utc};
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

pub struct NewAttachment<'a> {
    pub id: Uuid,
    pub request_id: Option<Uuid>,
    pub draft_key: Option<Uuid>,
    pub file_name: &'a str,
    pub kind: FileKind,
    pub byte_size: i64,
    pub width: Option<i32>,
    pub height: Option<i32>,
    pub uploaded_by: &'a str,
    pub caption: &'a str,
    pub client_key: Option<&'a str>,
}

pub async fn insert(pool: &PgPool, a: &NewAttachment<'_>) -> Result<(), sqlx::Error> {
    let mut conn = pool.acquire().await?;
    insert_with(&mut conn, a).await
}

async fn insert_with(conn: &mut PgConnection, a: &NewAttachment<'_>) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "INSERT INTO attachments (id, request_id, draft_key, file_name, kind, byte_size, width, height, uploaded_by, caption, client_key)
         VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11)",
        a.id,
        a.request_id,
        a.draft_key,
        a.file_name,
        a.kind as _,
        a.byte_size,
        a.width,
        a.height,
        a.uploaded_by,
        a.caption,
        a.client_key,
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// The columns every attachment query selects, in this order (also read from JSON by
/// `room_view`).
#[derive(Debug, serde::Deserialize)]
pub struct InfoRow {
    id: Uuid,
    file_name: String,
    kind: FileKind,
    byte_size: i64,
    caption: String,
    created_at: DateTime<Utc>,
}

pub(super) fn info(r: InfoRow) -> AttachmentInfo {
    AttachmentInfo {
        id: r.id,
        file_name: r.file_name,
        // "Image" means we made display copies of it (`FileKind::can_preview`), one rule.
        is_image: r.kind.can_preview(),
        kind: r.kind.as_str().to_string(),
        byte_size: r.byte_size,
        caption: r.caption,
        created_at: r.created_at,
    }
}

pub async fn for_request(
    pool: &PgPool,
    request_id: Uuid,
) -> Result<Vec<AttachmentInfo>, sqlx::Error> {
    let rows = sqlx::query_as!(
        InfoRow,
        r#"SELECT id, file_name, kind AS "kind: FileKind", byte_size, caption, created_at FROM attachments
         WHERE request_id = $1 ORDER BY created_at"#,
        request_id,
    )
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().map(info).collect())
}

pub async fn for_draft(pool: &PgPool, draft_key: Uuid) -> Result<Vec<AttachmentInfo>, sqlx::Error> {
    let rows = sqlx::query_as!(
        InfoRow,
        r#"SELECT id, file_name, kind AS "kind: FileKind", byte_size, caption, created_at FROM attachments
         WHERE draft_key = $1 AND request_id IS NULL ORDER BY created_at"#,
        draft_key,
    )
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().map(info).collect())
}

/// Moves files accepted while the form had errors onto the new request.
pub async fn adopt_draft(
    conn: &mut PgConnection,
    draft_key: Uuid,
    request_id: Uuid,
) -> Result<u64, sqlx::Error> {
    let done = sqlx::query!(
        "UPDATE attachments SET request_id = $2 WHERE draft_key = $1 AND request_id IS NULL",
        draft_key,
        request_id,
    )
    .execute(conn)
    .await?;
    Ok(done.rows_affected())
}

/// The request an attachment belongs to, and its kind, for access checks when serving it.
pub async fn owner(
    pool: &PgPool,
    id: Uuid,
) -> Result<Option<(Option<Uuid>, Option<Uuid>, FileKind, String)>, sqlx::Error> {
    let row = sqlx::query!(
        r#"SELECT request_id, draft_key, kind AS "kind: FileKind", file_name FROM attachments WHERE id = $1"#,
        id
    )
    .fetch_optional(pool)
    .await?;
    Ok(row.map(|r| (r.request_id, r.draft_key, r.kind, r.file_name)))
}

pub async fn set_caption(
    pool: &PgPool,
    request_id: Uuid,
    id: Uuid,
    caption: &str,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query!(
        "UPDATE attachments SET caption = $3 WHERE id = $2 AND request_id = $1",
        request_id,
        id,
        caption,
    )
    .execute(pool)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// The attachment already stored under this client key (a retried upload), if any.
pub async fn by_client_key(
    pool: &PgPool,
    request_id: Uuid,
    client_key: &str,
) -> Result<Option<AttachmentInfo>, sqlx::Error> {
    let row = sqlx::query_as!(
        InfoRow,
        r#"SELECT id, file_name, kind AS "kind: FileKind", byte_size, caption, created_at FROM attachments
         WHERE request_id = $1 AND client_key = $2"#,
        request_id,
        client_key,
    )
    .fetch_optional(pool)
    .await?;
    Ok(row.map(info))
}

/// How many files, and how many bytes, a request holds.
pub async fn usage(pool: &PgPool, request_id: Uuid) -> Result<(i64, i64), sqlx::Error> {
    let mut conn = pool.acquire().await?;
    usage_with(&mut conn, Some(request_id)).await
}

async fn usage_with(
    conn: &mut PgConnection,
    request_id: Option<Uuid>,
) -> Result<(i64, i64), sqlx::Error> {
    let row = sqlx::query!(
        r#"SELECT count(*) AS "files!", COALESCE(sum(byte_size), 0)::bigint AS "bytes!"
         FROM attachments WHERE request_id = $1"#,
        request_id,
    )
    .fetch_one(conn)
    .await?;
    Ok((row.files, row.bytes))
}

/// Which per-request cap an upload would break.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QuotaFull {
    Files,
    Bytes,
}

/// Inserts a request's file only while the request stays within `max_files` and
/// `max_bytes`. The request row is locked for the check, so parallel uploads can't overshoot.
pub async fn insert_within_quota(
    pool: &PgPool,
    a: &NewAttachment<'_>,
    max_files: i64,
    max_bytes: i64,
) -> Result<Result<(), QuotaFull>, sqlx::Error> {
    let mut tx = pool.begin().await?;
    sqlx::query!(
        "SELECT 1 AS locked FROM requests WHERE id = $1 FOR UPDATE",
        a.request_id
    )
    .fetch_optional(&mut *tx)
    .await?;
    let (count, bytes) = usage_with(&mut tx, a.request_id).await?;
    if count >= max_files {
        return Ok(Err(QuotaFull::Files));
    }
    if bytes + a.byte_size > max_bytes {
        return Ok(Err(QuotaFull::Bytes));
    }
    insert_with(&mut tx, a).await?;
    tx.commit().await?;
    Ok(Ok(()))
}

/// Files of forms that were never sent, older than `hours` and whose draft is gone (sweep
/// the drafts first): removed from the table, their ids returned so the blobs can go too.
pub async fn delete_abandoned(pool: &PgPool, hours: i32) -> Result<Vec<Uuid>, sqlx::Error> {
    sqlx::query_scalar!(
        "DELETE FROM attachments a WHERE a.request_id IS NULL
            AND a.created_at < now() - make_interval(hours => $1)
            AND NOT EXISTS (SELECT 1 FROM intake_drafts d WHERE d.key = a.draft_key)
         RETURNING a.id",
        hours,
    )
    .fetch_all(pool)
    .await
}

/// The server-made download name of a file: `photo-CR-ABC123-3.heic` (its place among the
/// request's files), or `None` when the file belongs to no request.
pub async fn download_name(
    pool: &PgPool,
    id: Uuid,
    prefix: &str,
    extension: &str,
) -> Result<Option<String>, sqlx::Error> {
    let row = sqlx::query!(
        r#"SELECT r.reference, (SELECT count(*) FROM attachments b WHERE b.request_id = a.request_id
                AND (b.created_at, b.id) <= (a.created_at, a.id)) AS "n!"
         FROM attachments a JOIN requests r ON r.id = a.request_id WHERE a.id = $1"#,
        id,
    )
    .fetch_optional(pool)
    .await?;
    Ok(row.map(|r| format!("{prefix}-{}-{}.{extension}", r.reference, r.n)))
}
