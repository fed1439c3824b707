//! Accepting a customer's file: check it, make display copies, store it, record it.
use crate::{
    model::request::AttachmentInfo,
    server::{
        db::{self, attachments::NewAttachment},
        state::AppState,
        storage::StorageKey,
        uploads::{self, FileKind, UploadError, UploadLimits},
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

fn kind_name(kind: FileKind) -> &'static str {
    match kind {
        FileKind::Jpeg => "jpeg",
        FileKind::Png => "png",
        FileKind::Webp => "webp",
        FileKind::Heic => "heic",
        FileKind::Pdf => "pdf",
    }
}

/// Keeps only a safe display form of the name: it is shown back to people, never used as a path.
pub fn clean_file_name(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or("");
    let cleaned: String = base.chars().filter(|c| !c.is_control()).take(120).collect();
    if cleaned.trim().is_empty() {
        "file".into()
    } else {
        cleaned
    }
}

pub struct Upload<'a> {
    pub name: &'a str,
    pub bytes: Vec<u8>,
    pub uploaded_by: &'a str,
    pub caption: &'a str,
    /// Set by the browser per file, so a retried upload is stored once.
    pub client_key: Option<&'a str>,
}

pub async fn accept(
    state: &AppState,
    owner: FileOwner,
    upload: Upload<'_>,
) -> Result<AttachmentInfo, UploadError> {
    let Upload {
        name,
        bytes,
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
    let name = clean_file_name(name);
    let limits = limits(state);
    let kind = uploads::inspect(&name, &bytes, &limits)?;
    let id = Uuid::new_v4();
    let byte_size = bytes.len() as i64;
    let (width, height) = match kind {
        FileKind::Jpeg | FileKind::Png | FileKind::Webp => {
            // A big photo takes ~0.4 s and up to ~350 MB to process: at most two at a time,
            // so a burst of uploads queues instead of exhausting memory.
            let _permit = image_permits()
                .acquire()
                .await
                .map_err(|e| UploadError::Io(e.to_string()))?;
            let name2 = name.clone();
            let processed = tokio::task::spawn_blocking(move || {
                uploads::process_image(&name2, &bytes, kind, &limits)
            })
            .await
            .map_err(|e| UploadError::Io(e.to_string()))??;
            put(state, StorageKey::display(id), &processed.display_jpeg).await?;
            put(state, StorageKey::thumb(id), &processed.thumb_jpeg).await?;
            (Some(processed.width as i32), Some(processed.height as i32))
        }
        FileKind::Heic | FileKind::Pdf => {
            put(state, StorageKey::original(id), &bytes).await?;
            (None, None)
        }
    };
    let (request_id, draft_key) = match owner {
        FileOwner::Draft(k) => (None, Some(k)),
        FileOwner::Request(r) => (Some(r), None),
    };
    db::attachments::insert(
        &state.pool,
        &NewAttachment {
            id,
            request_id,
            draft_key,
            file_name: &name,
            kind: kind_name(kind),
            byte_size,
            width,
            height,
            uploaded_by,
            caption,
            client_key,
        },
    )
    .await
    .map_err(|e| UploadError::Io(e.to_string()))?;
    Ok(AttachmentInfo {
        id,
        file_name: name,
        kind: kind_name(kind).into(),
        byte_size,
        is_image: width.is_some(),
        caption: caption.to_string(),
        created_at: chrono::Utc::now(),
    })
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

#[cfg(test)]
mod tests {
    use super::clean_file_name;

    #[test]
    fn file_names_lose_paths_and_control_characters() {
        assert_eq!(clean_file_name("../../etc/passwd"), "passwd");
        assert_eq!(clean_file_name("C:\\photos\\tap.jpg"), "tap.jpg");
        assert_eq!(clean_file_name("a\u{0}b.png"), "ab.png");
        assert_eq!(clean_file_name(""), "file");
    }
}
