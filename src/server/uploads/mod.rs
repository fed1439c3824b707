//! Checking and processing customer uploads (photos and PDFs).
//!
//! Security model (OWASP ASVS V12 "Files and Resources"):
//!
//! * The file type is decided **only** from the bytes ([`detect_kind`]); the
//!   file name and the browser's `Content-Type` are never trusted. Anything
//!   that is not JPEG, PNG, WebP, HEIC or PDF is rejected (SVG, HTML, GIF,
//!   ZIP, a text file renamed `.jpg`, ...).
//! * Size, count and pixel limits ([`UploadLimits`]) are enforced before any
//!   expensive work. Image dimensions are read from the header first, so a
//!   "decompression bomb" (e.g. a tiny PNG claiming 20000×20000 pixels) is
//!   rejected without allocating its pixel buffer.
//! * Photos that we show back to people are always **re-encoded** by
//!   [`process_image`]: the output JPEGs carry no metadata at all (no EXIF, no
//!   GPS location, no XMP, no ICC, no comments), and EXIF orientation is
//!   applied to the pixels so the photo still shows the right way up.
//! * The customer's file name is only ever used in error messages, after
//!   being cleaned by [`display_name`]; it is never used to build a storage
//!   path (see `server::storage::StorageKey`).
//!
//! Everything here is a pure function over byte slices: no I/O, no database.
//! [`process_image`] is CPU and memory heavy (full decode, rotate, two
//! resizes, two JPEG encodes: ~0.4 s and ~150 MB for a 12 MP phone photo in
//! a release build; at the default 40 MP limit up to ~1 s and ~350 MB), so
//! async callers must run it on the blocking pool, and should bound how many
//! run at once (e.g. a `tokio::sync::Semaphore` with one permit per core):
//!
//! ```ignore
//! let processed = tokio::task::spawn_blocking(move || {
//!     uploads::process_image(&name, &bytes, kind, &limits)
//! })
//! .await
//! .map_err(|e| UploadError::Io(e.to_string()))??;
//! ```
//!
//! HEIC files are recognised here but refused by `server::files::accept`: no
//! HEIC decoder that builds here can verify them. PDFs are stored as originals
//! and served only as downloads. Neither can be turned into previews here (the
//! `image` crate has no HEIC or PDF decoder); check [`FileKind::can_preview`]
//! before calling [`process_image`].

mod images;
mod sniff;
#[cfg(test)]
mod tests;

pub use images::{process_image, ProcessedImage};
pub use sniff::detect_kind;

use image::{ImageError, ImageFormat};
use images::{check_dimensions, header_dimensions};
use sniff::{jpeg_is_complete, pdf_is_complete};

/// Longest side, in pixels, of the "display" rendition.
pub const DISPLAY_MAX_SIDE: u32 = 2048;
/// Longest side, in pixels, of the thumbnail rendition.
pub const THUMB_MAX_SIDE: u32 = 400;
/// JPEG quality used for both renditions.
pub const JPEG_QUALITY: u8 = 82;

const MIB: usize = 1024 * 1024;

/// The kinds of file a customer may upload, decided from magic bytes only.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FileKind {
    Jpeg,
    Png,
    Webp,
    Heic,
    Pdf,
}

impl FileKind {
    /// The content type to store and to serve the *original* file with.
    pub fn mime(self) -> &'static str {
        match self {
            FileKind::Jpeg => "image/jpeg",
            FileKind::Png => "image/png",
            FileKind::Webp => "image/webp",
            FileKind::Heic => "image/heic",
            FileKind::Pdf => "application/pdf",
        }
    }

    /// A safe file extension (without dot) for downloads of the original.
    pub fn extension(self) -> &'static str {
        match self {
            FileKind::Jpeg => "jpg",
            FileKind::Png => "png",
            FileKind::Webp => "webp",
            FileKind::Heic => "heic",
            FileKind::Pdf => "pdf",
        }
    }

    /// Stable lower-case name, e.g. for a database column.
    pub fn as_str(self) -> &'static str {
        match self {
            FileKind::Jpeg => "jpeg",
            FileKind::Png => "png",
            FileKind::Webp => "webp",
            FileKind::Heic => "heic",
            FileKind::Pdf => "pdf",
        }
    }

    /// Inverse of [`FileKind::as_str`].
    pub fn parse(s: &str) -> Option<FileKind> {
        match s {
            "jpeg" => Some(FileKind::Jpeg),
            "png" => Some(FileKind::Png),
            "webp" => Some(FileKind::Webp),
            "heic" => Some(FileKind::Heic),
            "pdf" => Some(FileKind::Pdf),
            _ => None,
        }
    }

    /// Whether [`process_image`] can make display/thumbnail JPEGs from it.
    pub fn can_preview(self) -> bool {
        matches!(self, FileKind::Jpeg | FileKind::Png | FileKind::Webp)
    }

    fn image_format(self) -> Option<ImageFormat> {
        match self {
            FileKind::Jpeg => Some(ImageFormat::Jpeg),
            FileKind::Png => Some(ImageFormat::Png),
            FileKind::Webp => Some(ImageFormat::WebP),
            FileKind::Heic | FileKind::Pdf => None,
        }
    }
}

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
    fn decode_budget(&self) -> u64 {
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
    fn not_allowed(name: &str) -> Self {
        UploadError::NotAllowedType {
            name: display_name(name),
        }
    }
    fn corrupt(name: &str) -> Self {
        UploadError::Corrupt {
            name: display_name(name),
        }
    }
    fn too_many_pixels(name: &str) -> Self {
        UploadError::TooManyPixels {
            name: display_name(name),
        }
    }

    /// Map an `image` crate error: limit errors mean "too big", anything
    /// else (decoding, unsupported sub-format, unexpected end) means the
    /// file is damaged from the customer's point of view.
    fn from_image(name: &str, err: ImageError) -> Self {
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

/// Clean a customer-supplied file name for use in messages: keeps only the
/// last path component (browsers may send `C:\fakepath\x.jpg`), drops
/// control and bidirectional-override characters (which can make
/// `gpj.exe` look like `exe.jpg`), collapses whitespace, and shortens it to
/// 80 characters. Returns `"your file"` if nothing is left.
pub fn display_name(raw: &str) -> String {
    const MAX_CHARS: usize = 80;
    let last = raw.rsplit(['/', '\\']).next().unwrap_or(raw);
    let mut out = String::with_capacity(last.len().min(MAX_CHARS * 4));
    let mut count = 0usize;
    let mut pending_space = false;
    let mut truncated = false;
    for c in last.chars() {
        if c.is_whitespace() {
            pending_space = !out.is_empty();
            continue;
        }
        let invisible = c.is_control()
            || matches!(c,
                '\u{200B}'..='\u{200F}' // zero-width, LRM/RLM
                | '\u{202A}'..='\u{202E}' // bidi embeddings/overrides
                | '\u{2066}'..='\u{2069}' // bidi isolates
                | '\u{061C}' | '\u{FEFF}');
        if invisible {
            continue;
        }
        if count >= MAX_CHARS {
            truncated = true;
            break;
        }
        if pending_space {
            out.push(' ');
            count += 1;
            pending_space = false;
        }
        out.push(c);
        count += 1;
    }
    if truncated {
        out.push('…');
    }
    if out.is_empty() {
        "your file".to_string()
    } else {
        out
    }
}

/// Check the number of files in one request against `limits.max_files`.
pub fn check_count(count: usize, limits: &UploadLimits) -> Result<(), UploadError> {
    if count > limits.max_files {
        Err(UploadError::TooMany {
            max: limits.max_files,
        })
    } else {
        Ok(())
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
