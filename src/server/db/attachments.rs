use crate::model::request::AttachmentInfo;
use sqlx::{postgres::PgRow, PgConnection, PgPool, Row};
use uuid::Uuid;

pub struct NewAttachment<'a> {
    pub id: Uuid,
    pub request_id: Option<Uuid>,
    pub draft_key: Option<Uuid>,
    pub file_name: &'a str,
    pub kind: &'a str,
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
    sqlx::query(
        "INSERT INTO attachments (id, request_id, draft_key, file_name, kind, byte_size, width, height, uploaded_by, caption, client_key)
         VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11)",
    )
    .bind(a.id)
    .bind(a.request_id)
    .bind(a.draft_key)
    .bind(a.file_name)
    .bind(a.kind)
    .bind(a.byte_size)
    .bind(a.width)
    .bind(a.height)
    .bind(a.uploaded_by)
    .bind(a.caption)
    .bind(a.client_key)
    .execute(conn)
    .await?;
    Ok(())
}

fn info(r: PgRow) -> AttachmentInfo {
    let kind: String = r.get("kind");
    AttachmentInfo {
        id: r.get("id"),
        file_name: r.get("file_name"),
        is_image: matches!(kind.as_str(), "jpeg" | "png" | "webp"),
        kind,
        byte_size: r.get("byte_size"),
        caption: r.get("caption"),
        created_at: r.get("created_at"),
    }
}

pub async fn for_request(
    pool: &PgPool,
    request_id: Uuid,
) -> Result<Vec<AttachmentInfo>, sqlx::Error> {
    let rows = sqlx::query("SELECT * FROM attachments WHERE request_id = $1 ORDER BY created_at")
        .bind(request_id)
        .fetch_all(pool)
        .await?;
    Ok(rows.into_iter().map(info).collect())
}

pub async fn for_draft(pool: &PgPool, draft_key: Uuid) -> Result<Vec<AttachmentInfo>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT * FROM attachments WHERE draft_key = $1 AND request_id IS NULL ORDER BY created_at",
    )
    .bind(draft_key)
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
    let done = sqlx::query(
        "UPDATE attachments SET request_id = $2 WHERE draft_key = $1 AND request_id IS NULL",
    )
    .bind(draft_key)
    .bind(request_id)
    .execute(conn)
    .await?;
    Ok(done.rows_affected())
}

/// The request an attachment belongs to, and its kind, for access checks when serving it.
pub async fn owner(
    pool: &PgPool,
    id: Uuid,
) -> Result<Option<(Option<Uuid>, Option<Uuid>, String, String)>, sqlx::Error> {
    let row =
        sqlx::query("SELECT request_id, draft_key, kind, file_name FROM attachments WHERE id = $1")
            .bind(id)
            .fetch_optional(pool)
            .await?;
    Ok(row.map(|r| {
        (
            r.get("request_id"),
            r.get("draft_key"),
            r.get("kind"),
            r.get("file_name"),
        )
    }))
}

pub async fn set_caption(
    pool: &PgPool,
    request_id: Uuid,
    id: Uuid,
    caption: &str,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("UPDATE attachments SET caption = $3 WHERE id = $2 AND request_id = $1")
        .bind(request_id)
        .bind(id)
        .bind(caption)
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
    let row = sqlx::query("SELECT * FROM attachments WHERE request_id = $1 AND client_key = $2")
        .bind(request_id)
        .bind(client_key)
        .fetch_optional(pool)
        .await?;
    Ok(row.map(info))
}

/// How many files, and how many bytes, a request holds.
pub async fn usage(pool: &PgPool, request_id: Uuid) -> Result<(i64, i64), sqlx::Error> {
    let row = sqlx::query(
        "SELECT count(*), COALESCE(sum(byte_size), 0)::bigint FROM attachments WHERE request_id = $1",
    )
    .bind(request_id)
    .fetch_one(pool)
    .await?;
    Ok((row.get(0), row.get(1)))
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
    sqlx::query("SELECT 1 FROM requests WHERE id = $1 FOR UPDATE")
        .bind(a.request_id)
        .execute(&mut *tx)
        .await?;
    let row = sqlx::query(
        "SELECT count(*), COALESCE(sum(byte_size), 0)::bigint FROM attachments WHERE request_id = $1",
    )
    .bind(a.request_id)
    .fetch_one(&mut *tx)
    .await?;
    let (count, bytes): (i64, i64) = (row.get(0), row.get(1));
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
    let rows = sqlx::query(
        "DELETE FROM attachments a WHERE a.request_id IS NULL
            AND a.created_at < now() - make_interval(hours => $1)
            AND NOT EXISTS (SELECT 1 FROM intake_drafts d WHERE d.key = a.draft_key)
         RETURNING a.id",
    )
    .bind(hours)
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().map(|r| r.get("id")).collect())
}

/// The server-made download name of a file: `photo-CR-ABC123-3.heic` (its place among the
/// request's files), or `None` when the file belongs to no request.
pub async fn download_name(
    pool: &PgPool,
    id: Uuid,
    prefix: &str,
    extension: &str,
) -> Result<Option<String>, sqlx::Error> {
    let row = sqlx::query(
        "SELECT r.reference, (SELECT count(*) FROM attachments b WHERE b.request_id = a.request_id
                AND (b.created_at, b.id) <= (a.created_at, a.id)) AS n
         FROM attachments a JOIN requests r ON r.id = a.request_id WHERE a.id = $1",
    )
    .bind(id)
    .fetch_optional(pool)
    .await?;
    Ok(row.map(|r| {
        let reference: String = r.get("reference");
        let n: i64 = r.get("n");
        format!("{prefix}-{reference}-{n}.{extension}")
    }))
}
