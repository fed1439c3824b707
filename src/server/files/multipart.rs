//! The one multipart reader, for the request form and the room. Text fields are read into
//! memory (capped); each file streams chunk by chunk into a temp file under the data
//! directory, its size checked as it goes, so no upload is ever held whole in memory here.
//! A body that ends early or breaks off is refused as a whole: nothing of it is kept.
//! Temp files share the store's `tmp/` (`.part`), so one left by a crash is removed by the
//! scheduled [`super::sweep`].
use super::{
    check::UploadError,
    names::{clean_file_name, display_name},
};
use axum::extract::{multipart::Field, Multipart};
use std::path::{Path, PathBuf};
use tokio::io::AsyncWriteExt;

/// Longest text field we keep (notes are the longest; the form allows far less).
const MAX_TEXT_BYTES: usize = 64 * 1024;

/// An uploaded file waiting in the temp directory. Dropping it removes the file, so a
/// refused or unused upload never outlives its request.
#[derive(Debug)]
pub struct Spooled {
    /// Cleaned display name, never used as a path.
    pub name: String,
    pub size: u64,
    path: PathBuf,
}

impl Spooled {
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Hands the file over (e.g. renamed into storage): it is no longer removed on drop.
    pub fn into_path(mut self) -> PathBuf {
        std::mem::take(&mut self.path)
    }
}

impl Drop for Spooled {
    fn drop(&mut self) {
        if !self.path.as_os_str().is_empty() {
            let _ = std::fs::remove_file(&self.path);
        }
    }
}

pub struct ReadLimits {
    pub max_file_bytes: u64,
    /// Files beyond this many in one post are refused (and not kept).
    pub max_files: usize,
    /// For the message of a file that is too big.
    pub max_mb: usize,
}

#[derive(Default)]
pub struct FormData {
    pub texts: Vec<(String, String)>,
    pub files: Vec<Spooled>,
    /// Files refused while reading (too big, too many); the rest of the form still arrived.
    pub errors: Vec<UploadError>,
}

impl FormData {
    pub fn text(&self, name: &str) -> Option<&str> {
        self.texts
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("The upload was interrupted before it finished, so nothing from it was kept. Please send it again.")]
    Interrupted,
    #[error(
        "That's more than we can take in one go. Please send fewer or smaller files at a time."
    )]
    BodyTooLarge,
    #[error("We couldn't handle your file just now. Please try again in a moment.")]
    Io(String),
}

impl ReadError {
    fn from_multipart(e: axum::extract::multipart::MultipartError) -> Self {
        if e.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
            ReadError::BodyTooLarge
        } else {
            tracing::warn!(error = %e, "upload interrupted");
            ReadError::Interrupted
        }
    }

    pub fn status(&self) -> axum::http::StatusCode {
        use axum::http::StatusCode;
        match self {
            ReadError::Interrupted => StatusCode::BAD_REQUEST,
            ReadError::BodyTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            ReadError::Io(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

/// Reads the whole body: every field named `files` is a file, everything else text.
pub async fn read(
    multipart: &mut Multipart,
    tmp_dir: &Path,
    limits: &ReadLimits,
) -> Result<FormData, ReadError> {
    tokio::fs::create_dir_all(tmp_dir)
        .await
        .map_err(|e| ReadError::Io(e.to_string()))?;
    let mut form = FormData::default();
    while let Some(field) = multipart
        .next_field()
        .await
        .map_err(ReadError::from_multipart)?
    {
        let name = field.name().unwrap_or_default().to_string();
        if name != "files" {
            let value = read_text(field).await?;
            form.texts.push((name, value));
            continue;
        }
        let file_name = clean_file_name(field.file_name().unwrap_or_default());
        let spooled = spool(field, tmp_dir, file_name.clone(), limits.max_file_bytes).await?;
        match spooled {
            None => form.errors.push(UploadError::TooLarge {
                name: display_name(&file_name),
                max_mb: limits.max_mb,
            }),
            // The empty part a browser sends when no file was chosen.
            Some(f) if f.size == 0 && f.name == "file" => {}
            Some(_) if form.files.len() >= limits.max_files => {
                let too_many = UploadError::TooMany {
                    max: limits.max_files,
                };
                if !form.errors.contains(&too_many) {
                    form.errors.push(too_many);
                }
            }
            Some(f) => form.files.push(f),
        }
    }
    Ok(form)
}

async fn read_text(mut field: Field<'_>) -> Result<String, ReadError> {
    let mut bytes = Vec::new();
    while let Some(chunk) = field.chunk().await.map_err(ReadError::from_multipart)? {
        if bytes.len() < MAX_TEXT_BYTES {
            let room = MAX_TEXT_BYTES - bytes.len();
            bytes.extend_from_slice(&chunk[..chunk.len().min(room)]);
        }
    }
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

/// Streams one file to `tmp_dir`. `None` when it passed `max` bytes: what was written is
/// removed at once, and the rest of the file is read and dropped so later fields arrive.
async fn spool(
    mut field: Field<'_>,
    tmp_dir: &Path,
    name: String,
    max: u64,
) -> Result<Option<Spooled>, ReadError> {
    let io = |e: std::io::Error| ReadError::Io(e.to_string());
    let path = tmp_dir.join(format!("{}.part", uuid::Uuid::new_v4().simple()));
    let mut spooled = Some(Spooled {
        name,
        size: 0,
        path: path.clone(),
    });
    let mut file = Some(tokio::fs::File::create(&path).await.map_err(io)?);
    // On an error below, `spooled` drops and takes the partial file with it.
    while let Some(chunk) = field.chunk().await.map_err(ReadError::from_multipart)? {
        let (Some(s), Some(f)) = (spooled.as_mut(), file.as_mut()) else {
            continue; // too big already: drain
        };
        s.size += chunk.len() as u64;
        if s.size > max {
            file = None;
            spooled = None;
            continue;
        }
        f.write_all(&chunk).await.map_err(io)?;
    }
    if let Some(mut f) = file {
        f.flush().await.map_err(io)?;
    }
    Ok(spooled)
}
