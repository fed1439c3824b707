//! Accepting one customer file that has arrived: the request's quota, the checks, the
//! display copies, storing it and recording it — for the request form (on its draft) and
//! the room (on the request), the same way.
use super::{
    check::{inspect, UploadError, UploadLimits},
    images::process_image,
    multipart::{ReadLimits, Spooled},
    names::display_name,
    sniff::FileKind,
    store::{StorageKey, Variant},
};
use crate::{
    model::request::AttachmentInfo,
    server::{
        db::{
            self,
            attachments::{NewAttachment, QuotaFull},
        },
        state::AppState,
    },
};
use uuid::Uuid;

pub enum FileOwner {
    /// Waiting on a form that still has errors.
    Draft(Uuid),
    Request(Uuid),
}

pub fn limits(state: &AppState) -> UploadLimits {
    UploadLimits {
        max_bytes: state.config.max_upload_mb * 1024 * 1024,
        ..UploadLimits::default()
    }
}

pub struct Upload<'a> {
    pub file: Spooled,
    pub uploaded_by: &'a str,
    pub caption: &'a str,
    /// Set by the browser per file, so a retried upload is stored once.
    pub client_key: Option<&'a str>,
}

/// How a multipart body is read for uploads: per-file size, files per post.
pub fn read_limits(state: &AppState) -> ReadLimits {
    let l = limits(state);
    ReadLimits {
        max_file_bytes: l.max_bytes as u64,
        max_files: l.max_files,
        max_mb: state.config.max_upload_mb,
    }
}

/// Checks one spooled file, makes its display copies, stores it and records it. Only
/// re-encoded images are ever shown inline; a PDF is kept as is (served as a download);
/// a HEIC, which we can't decode to verify, is refused.
pub async fn accept(
    state: &AppState,
    owner: FileOwner,
    upload: Upload<'_>,
) -> Result<AttachmentInfo, UploadError> {
    let Upload {
        file,
        uploaded_by,
        caption,
        client_key,
    } = upload;
    if let (FileOwner::Request(request_id), Some(key)) = (&owner, client_key) {
        if let Ok(Some(existing)) =
            db::attachments::by_client_key(&state.pool, *request_id, key).await
        {
            return Ok(existing);
        }
    }
    if let FileOwner::Request(request_id) = owner {
        check_quota(state, request_id, &file).await?;
    }
    let id = Uuid::new_v4();
    let name = file.name.clone();
    let byte_size = file.size as i64;
    let (kind, width, height) = store(state, id, file).await?;
    let (request_id, draft_key) = match owner {
        FileOwner::Draft(k) => (None, Some(k)),
        FileOwner::Request(r) => (Some(r), None),
    };
    let row = NewAttachment {
        id,
        request_id,
        draft_key,
        file_name: &name,
        kind,
        byte_size,
        width,
        height,
        uploaded_by,
        caption,
        client_key,
    };
    if let Err(e) = record(state, &row).await {
        forget_blobs(state, id).await;
        return Err(e);
    }
    Ok(AttachmentInfo {
        id,
        file_name: name,
        kind: kind.as_str().into(),
        byte_size,
        is_image: width.is_some(),
        caption: caption.to_string(),
        created_at: chrono::Utc::now(),
    })
}

/// Reads the spooled file (at most two in memory at a time), checks it, and stores either
/// its re-encoded renditions (photos) or the original itself (PDF, renamed into place).
async fn store(
    state: &AppState,
    id: Uuid,
    file: Spooled,
) -> Result<(FileKind, Option<i32>, Option<i32>), UploadError> {
    let io = |e: std::io::Error| UploadError::Io(e.to_string());
    let limits = limits(state);
    // A big photo takes ~0.4 s and up to ~350 MB to process: at most two at a time,
    // so a burst of uploads queues instead of exhausting memory.
    let _permit = image_permits()
        .acquire()
        .await
        .map_err(|e| UploadError::Io(e.to_string()))?;
    let bytes = tokio::fs::read(file.path()).await.map_err(io)?;
    let name = file.name.clone();
    let kind = inspect(&name, &bytes, &limits)?;
    match kind {
        FileKind::Jpeg | FileKind::Png | FileKind::Webp => {
            let processed =
                tokio::task::spawn_blocking(move || process_image(&name, &bytes, kind, &limits))
                    .await
                    .map_err(|e| UploadError::Io(e.to_string()))??;
            put(state, StorageKey::display(id), &processed.display_jpeg).await?;
            put(state, StorageKey::thumb(id), &processed.thumb_jpeg).await?;
            Ok((
                kind,
                Some(processed.width as i32),
                Some(processed.height as i32),
            ))
        }
        FileKind::Pdf => {
            drop(bytes);
            state
                .storage
                .put_file(&StorageKey::original(id), file.into_path())
                .await
                .map_err(|e| UploadError::Io(e.to_string()))?;
            Ok((kind, None, None))
        }
        FileKind::Heic => Err(UploadError::HeicUnverified {
            name: display_name(&name),
        }),
    }
}

async fn check_quota(
    state: &AppState,
    request_id: Uuid,
    file: &Spooled,
) -> Result<(), UploadError> {
    let (count, bytes) = db::attachments::usage(&state.pool, request_id)
        .await
        .map_err(|e| UploadError::Io(e.to_string()))?;
    let (max_files, max_bytes) = quota(state);
    if count >= max_files {
        return Err(UploadError::RequestFilesFull {
            max: state.config.max_files_per_request,
        });
    }
    if bytes + file.size as i64 > max_bytes {
        return Err(bytes_full(state, &file.name));
    }
    Ok(())
}

fn quota(state: &AppState) -> (i64, i64) {
    let c = &state.config;
    (
        c.max_files_per_request as i64,
        (c.max_request_mb as i64) * 1024 * 1024,
    )
}

fn bytes_full(state: &AppState, name: &str) -> UploadError {
    UploadError::RequestBytesFull {
        name: display_name(name),
        max_mb: state.config.max_request_mb,
    }
}

async fn record(state: &AppState, row: &NewAttachment<'_>) -> Result<(), UploadError> {
    let db_err = |e: sqlx::Error| UploadError::Io(e.to_string());
    if row.request_id.is_none() {
        return db::attachments::insert(&state.pool, row)
            .await
            .map_err(db_err);
    }
    let (max_files, max_bytes) = quota(state);
    match db::attachments::insert_within_quota(&state.pool, row, max_files, max_bytes)
        .await
        .map_err(db_err)?
    {
        Ok(()) => Ok(()),
        Err(QuotaFull::Files) => Err(UploadError::RequestFilesFull {
            max: state.config.max_files_per_request,
        }),
        Err(QuotaFull::Bytes) => Err(bytes_full(state, row.file_name)),
    }
}

/// Removes every rendition of an attachment that will not be recorded (or was swept).
pub async fn forget_blobs(state: &AppState, id: Uuid) {
    for variant in Variant::ALL {
        let _ = state.storage.delete(&StorageKey::new(id, variant)).await;
    }
}

fn image_permits() -> &'static tokio::sync::Semaphore {
    static PERMITS: std::sync::OnceLock<tokio::sync::Semaphore> = std::sync::OnceLock::new();
    PERMITS.get_or_init(|| tokio::sync::Semaphore::new(2))
}

async fn put(state: &AppState, key: StorageKey, bytes: &[u8]) -> Result<(), UploadError> {
    state
        .storage
        .put(&key, bytes)
        .await
        .map_err(|e| UploadError::Io(e.to_string()))
}
