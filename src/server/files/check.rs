//! The checks every customer file goes through before any heavy work, and the refusals
//! they give (OWASP ASVS V12 "Files and Resources").
//!
//! * The kind comes **only** from the bytes ([`detect_kind`]); anything that is not JPEG,
//!   PNG, WebP, HEIC or PDF is refused (SVG, HTML, GIF, ZIP, a text file renamed `.jpg`).
//! * Size and pixel limits ([`UploadLimits`]) hold before any decode: dimensions come from
//!   the header, so a "decompression bomb" (a tiny PNG claiming 20000×20000 pixels) is
//!   refused without allocating its pixel buffer.
//! * The customer's file name only ever appears in messages, cleaned by [`display_name`].
//!
//! HEIC is recognised here but refused by [`super::accept`]: no HEIC decoder that builds
//! here can verify it. Pure functions over byte slices: no I/O, no database.
use super::images::{check_dimensions, header_dimensions};
use super::names::display_name;
use super::sniff::{detect_kind, jpeg_is_complete, pdf_is_complete, FileKind};
use image::ImageError;

pub(super) const MIB: usize = 1024 * 1024;

/// Limits applied to every upload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UploadLimits {
    /// Largest accepted file, in bytes (default 15 MiB).
    pub max_bytes: usize,
    /// Most files in one upload request (default 10).
    pub max_files: usize,
    /// Most pixels (width × height) in one image (default 40 megapixels).
    pub max_pixels: u64,
    /// Longest accepted side of an image, in pixels (default 12000).
    pub max_side: u32,
}

impl Default for UploadLimits {
    fn default() -> Self {
        UploadLimits {
            max_bytes: 15 * MIB,
            max_files: 10,
            max_pixels: 40_000_000,
            max_side: 12_000,
        }
    }
}

impl UploadLimits {
    /// Memory we allow for one decoded image: 4 bytes (RGBA8) per allowed
    /// pixel. Images with deeper pixels (16-bit PNG) get proportionally
    /// fewer pixels.
    pub(super) fn decode_budget(&self) -> u64 {
        self.max_pixels.saturating_mul(4)
    }

    fn max_mb(&self) -> usize {
        (self.max_bytes / MIB).max(1)
    }
}

/// Why an upload was refused. `Display` gives a plain-English message that
/// can be shown to the customer as is (it names the file, cleaned by
/// [`display_name`]). `Io` keeps the technical detail in its field for
/// logging but never shows it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UploadError {
    #[error("“{name}” isn't a photo or PDF we can accept. Please use JPEG, PNG, WebP or PDF.")]
    NotAllowedType { name: String },
    #[error("“{name}” is too big. Each file can be at most {max_mb} MB.")]
    TooLarge { name: String, max_mb: usize },
    #[error("That's too many files at once. Please send at most {max} files at a time.")]
    TooMany { max: usize },
    #[error("“{name}” is empty. Please choose the file again.")]
    Empty { name: String },
    #[error("“{name}” has too many pixels for us to handle. Please send a smaller photo or a screenshot of it.")]
    TooManyPixels { name: String },
    #[error("“{name}” looks damaged or incomplete — please take or choose the photo again.")]
    Corrupt { name: String },
    #[error("We couldn't handle your file just now. Please try again in a moment.")]
    Io(String),
    #[error("“{name}” is a HEIC photo, and HEIC photos can't be checked yet — please send it as JPEG (on iPhone: Settings → Camera → Formats → Most Compatible), or take a screenshot of it.")]
    HeicUnverified { name: String },
    #[error("This request already has {max} files, the most we can keep for one request. Please send only the photos that matter most, or ask us in a message.")]
    RequestFilesFull { max: usize },
    #[error("“{name}” would take this request over {max_mb} MB of files, the most we can keep for one request. Please send smaller photos, or ask us in a message.")]
    RequestBytesFull { name: String, max_mb: usize },
}

impl UploadError {
    /// The status a refusal of only this kind leaves with: 413 for every "too much", 422
    /// for a file we can't accept, 500 for our own trouble.
    pub fn status_code(&self) -> u16 {
        match self {
            UploadError::TooLarge { .. }
            | UploadError::TooMany { .. }
            | UploadError::RequestFilesFull { .. }
            | UploadError::RequestBytesFull { .. } => 413,
            UploadError::Io(_) => 500,
            _ => 422,
        }
    }
}

impl UploadError {
    pub(super) fn not_allowed(name: &str) -> Self {
        UploadError::NotAllowedType {
            name: display_name(name),
        }
    }
    pub(super) fn corrupt(name: &str) -> Self {
        UploadError::Corrupt {
            name: display_name(name),
        }
    }
    pub(super) fn too_many_pixels(name: &str) -> Self {
        UploadError::TooManyPixels {
            name: display_name(name),
        }
    }

    /// Map an `image` crate error: limit errors mean "too big", anything
    /// else (decoding, unsupported sub-format, unexpected end) means the
    /// file is damaged from the customer's point of view.
    pub(super) fn from_image(name: &str, err: ImageError) -> Self {
        match err {
            ImageError::Limits(_) => UploadError::too_many_pixels(name),
            ImageError::Encoding(e) => UploadError::Io(format!("encoding preview failed: {e}")),
            ImageError::Parameter(e) => UploadError::Io(format!("image parameter error: {e}")),
            other => {
                tracing::debug!(error = %other, "image rejected as corrupt");
                UploadError::corrupt(name)
            }
        }
    }
}

/// Validate one uploaded file and return its kind.
///
/// Checks, in order: empty, `max_bytes`, type from magic bytes (never from
/// `name`), completeness (JPEG EOI, PDF `%%EOF`), and for JPEG/PNG/WebP the
/// dimensions from the header only (no pixel decode) against `max_side`
/// and `max_pixels`. `name` is used only for the error message.
///
/// `max_bytes` is checked here too, but callers should already stop reading
/// a multipart field once it exceeds `limits.max_bytes` (and cap the whole
/// request body, e.g. with axum's `DefaultBodyLimit`) so an oversized
/// upload is never fully buffered.
pub fn inspect(name: &str, bytes: &[u8], limits: &UploadLimits) -> Result<FileKind, UploadError> {
    if bytes.is_empty() {
        return Err(UploadError::Empty {
            name: display_name(name),
        });
    }
    if bytes.len() > limits.max_bytes {
        return Err(UploadError::TooLarge {
            name: display_name(name),
            max_mb: limits.max_mb(),
        });
    }
    let kind = detect_kind(bytes).ok_or_else(|| UploadError::not_allowed(name))?;
    match kind {
        FileKind::Jpeg if !jpeg_is_complete(bytes) => return Err(UploadError::corrupt(name)),
        FileKind::Pdf if !pdf_is_complete(bytes) => return Err(UploadError::corrupt(name)),
        _ => {}
    }
    if let Some(format) = kind.image_format() {
        let dims = header_dimensions(name, bytes, format, limits)?;
        check_dimensions(name, dims, limits)?;
    }
    Ok(kind)
}
