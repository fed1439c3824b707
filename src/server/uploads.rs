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
//! HEIC and PDF files are accepted and can be stored as originals, but they
//! cannot be turned into previews here (the `image` crate has no HEIC or PDF
//! decoder); check [`FileKind::can_preview`] before calling [`process_image`].

use std::io::Cursor;

use image::{
    codecs::jpeg::JpegEncoder, imageops::FilterType, DynamicImage, ImageDecoder, ImageError,
    ImageFormat, ImageReader, Limits, Rgb, RgbImage,
};

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
    #[error(
        "“{name}” isn't a photo or PDF we can accept. Please use JPEG, PNG, WebP, HEIC or PDF."
    )]
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

/// Decide the file kind from magic bytes alone. `None` for anything we do
/// not accept. This only looks at signatures; [`inspect`] does the full
/// checks (sizes, dimensions, completeness).
pub fn detect_kind(bytes: &[u8]) -> Option<FileKind> {
    // First opinion: `infer`'s matchers (signature tables).
    let inferred = infer::get(bytes).map(|t| t.mime_type());
    // Second opinion: our own stricter checks. Both must agree, except for
    // HEIC where we are stricter *and* broader than `infer` on brands.
    if is_jpeg(bytes) {
        return (inferred == Some("image/jpeg")).then_some(FileKind::Jpeg);
    }
    if is_png(bytes) {
        return (inferred == Some("image/png")).then_some(FileKind::Png);
    }
    if is_webp(bytes) {
        return (inferred == Some("image/webp")).then_some(FileKind::Webp);
    }
    if is_pdf(bytes) {
        return (inferred == Some("application/pdf")).then_some(FileKind::Pdf);
    }
    if is_heic(bytes) {
        return Some(FileKind::Heic);
    }
    None
}

fn is_jpeg(b: &[u8]) -> bool {
    // SOI followed by the start of another marker.
    b.len() >= 4 && b[0] == 0xFF && b[1] == 0xD8 && b[2] == 0xFF
}

fn is_png(b: &[u8]) -> bool {
    // Full 8-byte signature, then the first chunk must be IHDR.
    b.len() >= 16 && b[..8] == *b"\x89PNG\r\n\x1a\n" && &b[12..16] == b"IHDR"
}

fn is_webp(b: &[u8]) -> bool {
    b.len() >= 16
        && &b[0..4] == b"RIFF"
        && &b[8..12] == b"WEBP"
        && matches!(&b[12..16], b"VP8 " | b"VP8L" | b"VP8X")
}

fn is_pdf(b: &[u8]) -> bool {
    b.len() >= 8 && b.starts_with(b"%PDF-")
}

/// HEIF/HEIC: an ISO-BMFF `ftyp` box at the start whose major brand is a
/// HEIC brand, or the generic HEIF brands `mif1`/`msf1` (iPhones and
/// Android phones). AVIF shares the `mif1` brand, so a file that lists
/// `avif`/`avis` among its brands is *not* HEIC.
fn is_heic(b: &[u8]) -> bool {
    const HEIC_MAJOR: &[&[u8; 4]] = &[
        b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"hevm", b"hevs", b"mif1", b"msf1",
    ];
    if b.len() < 16 || &b[4..8] != b"ftyp" {
        return false;
    }
    let box_size = u32::from_be_bytes([b[0], b[1], b[2], b[3]]) as usize;
    // Size must cover major brand + minor version, be a whole number of
    // 4-byte brands, fit in the file, and be sane.
    if box_size < 16 || box_size % 4 != 0 || box_size > b.len() || box_size > 4096 {
        return false;
    }
    let major = &b[8..12];
    if !HEIC_MAJOR.iter().any(|m| &m[..] == major) {
        return false;
    }
    let compatible = b[16..box_size].chunks_exact(4);
    let is_avif = compatible.clone().any(|c| c == b"avif" || c == b"avis");
    !is_avif
}

/// For a JPEG, check that the image data is complete: walk the marker
/// segments up to the first Start-Of-Scan, then require an End-Of-Image
/// marker (`FF D9`) somewhere after it. The JPEG decoder we use is lenient
/// and would otherwise turn a truncated upload into a half-grey picture.
/// Data after EOI (camera trailers, MPF secondary images) is allowed.
fn jpeg_is_complete(b: &[u8]) -> bool {
    let mut i = 2usize; // after SOI
    loop {
        // Find the next marker prefix.
        while i < b.len() && b[i] != 0xFF {
            i += 1;
        }
        // Skip fill bytes.
        while i < b.len() && b[i] == 0xFF {
            i += 1;
        }
        if i >= b.len() {
            return false;
        }
        let marker = b[i];
        i += 1;
        match marker {
            0xD9 => return false,           // EOI before any image data
            0x01 | 0xD0..=0xD7 => continue, // standalone markers
            _ => {
                if i + 2 > b.len() {
                    return false;
                }
                let len = u16::from_be_bytes([b[i], b[i + 1]]) as usize;
                if len < 2 {
                    return false;
                }
                let seg_end = i + len;
                if seg_end > b.len() {
                    return false;
                }
                if marker == 0xDA {
                    // Entropy-coded data follows; inside it 0xFF is always
                    // stuffed (FF 00) or an RST marker, so FF D9 is EOI.
                    return b[seg_end..].windows(2).any(|w| w == [0xFF, 0xD9]);
                }
                i = seg_end;
            }
        }
    }
}

/// A PDF must end with `%%EOF` (within the last 2 KiB, allowing trailing
/// whitespace or junk that readers tolerate); otherwise it was cut off.
fn pdf_is_complete(b: &[u8]) -> bool {
    let tail = &b[b.len().saturating_sub(2048)..];
    tail.windows(5).any(|w| w == b"%%EOF")
}

fn reader_limits(limits: &UploadLimits) -> Limits {
    let mut l = Limits::default();
    l.max_image_width = Some(limits.max_side);
    l.max_image_height = Some(limits.max_side);
    // Room for the pixel buffer plus the decoders' own working memory.
    l.max_alloc = Some(limits.decode_budget().saturating_add(64 * MIB as u64));
    l
}

fn check_dimensions(
    name: &str,
    (w, h): (u32, u32),
    limits: &UploadLimits,
) -> Result<(), UploadError> {
    if w == 0 || h == 0 {
        return Err(UploadError::corrupt(name));
    }
    if w > limits.max_side || h > limits.max_side || u64::from(w) * u64::from(h) > limits.max_pixels
    {
        return Err(UploadError::too_many_pixels(name));
    }
    Ok(())
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

/// Read width/height from the image header without decoding pixels.
fn header_dimensions(
    name: &str,
    bytes: &[u8],
    expected: ImageFormat,
    limits: &UploadLimits,
) -> Result<(u32, u32), UploadError> {
    let mut reader = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| UploadError::Io(e.to_string()))?;
    if reader.format() != Some(expected) {
        // Our signature check and the image crate disagree: refuse.
        return Err(UploadError::not_allowed(name));
    }
    reader.limits(reader_limits(limits));
    reader
        .into_dimensions()
        .map_err(|e| UploadError::from_image(name, e))
}

/// The two re-encoded renditions of an uploaded photo. Both are baseline
/// JPEGs without any metadata. `width`/`height` are those of
/// `display_jpeg` (after EXIF rotation).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProcessedImage {
    pub display_jpeg: Vec<u8>,
    pub thumb_jpeg: Vec<u8>,
    pub width: u32,
    pub height: u32,
}

/// Decode a JPEG/PNG/WebP (already accepted by [`inspect`]), apply its EXIF
/// orientation, and produce a display JPEG (longest side ≤ 2048) and a
/// thumbnail JPEG (longest side ≤ 400). Images are never enlarged.
/// Transparent areas are flattened onto white.
///
/// Re-encoding drops all metadata, including GPS location.
///
/// **CPU heavy**: call from `tokio::task::spawn_blocking`, never directly on
/// an async worker thread.
///
/// Safe to call on untrusted bytes on its own: it re-checks the type and
/// sets decoder limits (`max_side`, memory) before decoding.
pub fn process_image(
    name: &str,
    bytes: &[u8],
    kind: FileKind,
    limits: &UploadLimits,
) -> Result<ProcessedImage, UploadError> {
    // Re-check rather than trust the caller's `kind`.
    let Some(format) = kind.image_format() else {
        return Err(UploadError::not_allowed(name));
    };
    if detect_kind(bytes) != Some(kind) {
        return Err(UploadError::not_allowed(name));
    }
    if kind == FileKind::Jpeg && !jpeg_is_complete(bytes) {
        return Err(UploadError::corrupt(name));
    }

    let img = decode_oriented(name, bytes, format, limits)?;
    let rgb = flatten_to_rgb8(img);

    let display = shrink_to_fit(&rgb, DISPLAY_MAX_SIDE);
    // The thumbnail is made from the (already smaller) display image.
    let thumb = shrink_to_fit(&display, THUMB_MAX_SIDE);

    let display_jpeg = encode_jpeg(&display)?;
    let thumb_jpeg = encode_jpeg(&thumb)?;
    Ok(ProcessedImage {
        display_jpeg,
        thumb_jpeg,
        width: display.width(),
        height: display.height(),
    })
}

fn decode_oriented(
    name: &str,
    bytes: &[u8],
    format: ImageFormat,
    limits: &UploadLimits,
) -> Result<DynamicImage, UploadError> {
    let err = |e| UploadError::from_image(name, e);
    let mut dec_limits = reader_limits(limits);
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    reader.limits(dec_limits.clone());
    // Reads the header only; `set_limits` inside rejects sides > max_side.
    let mut decoder = reader.into_decoder().map_err(err)?;
    check_dimensions(name, decoder.dimensions(), limits)?;
    // Reserve the output buffer against the memory budget *before*
    // allocating it, like `ImageReader::decode` does.
    if decoder.total_bytes() > limits.decode_budget() {
        return Err(UploadError::too_many_pixels(name));
    }
    dec_limits.reserve(decoder.total_bytes()).map_err(err)?;
    decoder.set_limits(dec_limits).map_err(err)?;
    // Broken EXIF must not block the upload: fall back to "as stored".
    let orientation = decoder
        .orientation()
        .unwrap_or(image::metadata::Orientation::NoTransforms);
    let mut img = DynamicImage::from_decoder(decoder).map_err(err)?;
    img.apply_orientation(orientation);
    Ok(img)
}

/// Convert to 8-bit RGB, compositing any transparency over white (JPEG has
/// no alpha; dropping it would turn transparent areas black).
fn flatten_to_rgb8(img: DynamicImage) -> RgbImage {
    if !img.color().has_alpha() {
        return img.into_rgb8();
    }
    let rgba = img.into_rgba8();
    let (w, h) = rgba.dimensions();
    let mut out = RgbImage::new(w, h);
    for (dst, src) in out.pixels_mut().zip(rgba.pixels()) {
        let a = u32::from(src[3]);
        let blend = |c: u8| ((u32::from(c) * a + 255 * (255 - a) + 127) / 255) as u8;
        *dst = Rgb([blend(src[0]), blend(src[1]), blend(src[2])]);
    }
    out
}

/// Scale down (never up) so the longest side is ≤ `max_side`, keeping the
/// aspect ratio, with a Triangle (bilinear, area-aware when shrinking)
/// filter. One pass: with image 0.25 a box-average pre-shrink
/// (`imageops::thumbnail`) followed by Triangle measured *slower* than a
/// single Triangle pass (12 MP → 2048 px: ~150 ms in release), so there is
/// no two-step path.
fn shrink_to_fit(img: &RgbImage, max_side: u32) -> RgbImage {
    let (w, h) = img.dimensions();
    if w.max(h) <= max_side {
        return img.clone();
    }
    let (tw, th) = fit_within(w, h, max_side);
    image::imageops::resize(img, tw, th, FilterType::Triangle)
}

/// Dimensions scaled so that the longest side is exactly `max_side`
/// (rounded, at least 1 pixel).
fn fit_within(w: u32, h: u32, max_side: u32) -> (u32, u32) {
    let (w64, h64, m) = (u64::from(w), u64::from(h), u64::from(max_side));
    if w >= h {
        let nh = ((h64 * m + w64 / 2) / w64).max(1);
        (max_side, nh as u32)
    } else {
        let nw = ((w64 * m + h64 / 2) / h64).max(1);
        (nw as u32, max_side)
    }
}

fn encode_jpeg(img: &RgbImage) -> Result<Vec<u8>, UploadError> {
    let mut out = Vec::with_capacity((img.width() as usize * img.height() as usize) / 4 + 1024);
    let mut enc = JpegEncoder::new_with_quality(&mut out, JPEG_QUALITY);
    enc.encode_image(img)
        .map_err(|e| UploadError::Io(format!("encoding preview failed: {e}")))?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::{ImageBuffer, Rgba, RgbaImage};

    // ---------- helpers ----------

    /// A non-uniform test picture so codecs have something to encode.
    fn gradient(w: u32, h: u32) -> RgbImage {
        ImageBuffer::from_fn(w, h, |x, y| {
            Rgb([
                (x * 255 / w.max(1)) as u8,
                (y * 255 / h.max(1)) as u8,
                ((x ^ y) & 0xFF) as u8,
            ])
        })
    }

    fn jpeg_bytes(w: u32, h: u32) -> Vec<u8> {
        let mut out = Vec::new();
        JpegEncoder::new_with_quality(&mut out, 90)
            .encode_image(&gradient(w, h))
            .unwrap();
        out
    }

    fn png_bytes_rgba(img: &RgbaImage) -> Vec<u8> {
        let mut out = Vec::new();
        DynamicImage::ImageRgba8(img.clone())
            .write_to(&mut Cursor::new(&mut out), ImageFormat::Png)
            .unwrap();
        out
    }

    fn png_bytes(w: u32, h: u32) -> Vec<u8> {
        let mut out = Vec::new();
        DynamicImage::ImageRgb8(gradient(w, h))
            .write_to(&mut Cursor::new(&mut out), ImageFormat::Png)
            .unwrap();
        out
    }

    fn webp_bytes(w: u32, h: u32) -> Vec<u8> {
        // The image crate's WebP encoder is lossless and needs RGB(A)8.
        let mut out = Vec::new();
        DynamicImage::ImageRgb8(gradient(w, h))
            .write_to(&mut Cursor::new(&mut out), ImageFormat::WebP)
            .unwrap();
        out
    }

    fn crc32(data: &[u8]) -> u32 {
        let mut crc = 0xFFFF_FFFFu32;
        for &b in data {
            crc ^= u32::from(b);
            for _ in 0..8 {
                let mask = (crc & 1).wrapping_neg();
                crc = (crc >> 1) ^ (0xEDB8_8320 & mask);
            }
        }
        !crc
    }

    /// Patch a real PNG's IHDR to claim other dimensions, with a valid CRC.
    fn patch_png_dims(png: &mut [u8], w: u32, h: u32) {
        assert_eq!(&png[12..16], b"IHDR");
        png[16..20].copy_from_slice(&w.to_be_bytes());
        png[20..24].copy_from_slice(&h.to_be_bytes());
        // CRC covers chunk type + data (13 bytes of IHDR data).
        let crc = crc32(&png[12..29]);
        png[29..33].copy_from_slice(&crc.to_be_bytes());
    }

    /// A minimal EXIF APP1 segment (big-endian TIFF) with one IFD0 entry:
    /// Orientation (0x0112, SHORT) = `orientation`, plus a fake GPS-ish
    /// ASCII marker in a trailing byte string so we can look for leaks.
    fn exif_app1(orientation: u16) -> Vec<u8> {
        let mut tiff = Vec::new();
        tiff.extend_from_slice(b"MM\x00\x2A\x00\x00\x00\x08"); // header, IFD0 at 8
        tiff.extend_from_slice(&1u16.to_be_bytes()); // one entry
        tiff.extend_from_slice(&0x0112u16.to_be_bytes()); // tag: Orientation
        tiff.extend_from_slice(&3u16.to_be_bytes()); // type: SHORT
        tiff.extend_from_slice(&1u32.to_be_bytes()); // count
        tiff.extend_from_slice(&orientation.to_be_bytes()); // value
        tiff.extend_from_slice(&[0, 0]); // padding to 4 bytes
        tiff.extend_from_slice(&0u32.to_be_bytes()); // no next IFD
        tiff.extend_from_slice(b"SECRET-GPS-51.5N-0.12W\0");
        let mut payload = b"Exif\0\0".to_vec();
        payload.extend_from_slice(&tiff);
        let mut seg = vec![0xFF, 0xE1];
        seg.extend_from_slice(&((payload.len() + 2) as u16).to_be_bytes());
        seg.extend_from_slice(&payload);
        seg
    }

    fn with_exif(jpeg: &[u8], orientation: u16) -> Vec<u8> {
        assert_eq!(&jpeg[..2], &[0xFF, 0xD8]);
        let mut out = jpeg[..2].to_vec();
        out.extend_from_slice(&exif_app1(orientation));
        out.extend_from_slice(&jpeg[2..]);
        out
    }

    fn contains(hay: &[u8], needle: &[u8]) -> bool {
        hay.windows(needle.len()).any(|w| w == needle)
    }

    /// List the APPn/COM marker segments before SOS.
    fn jpeg_header_markers(b: &[u8]) -> Vec<u8> {
        let mut markers = Vec::new();
        let mut i = 2;
        while i + 4 <= b.len() && b[i] == 0xFF {
            let m = b[i + 1];
            if m == 0xDA {
                break;
            }
            markers.push(m);
            let len = u16::from_be_bytes([b[i + 2], b[i + 3]]) as usize;
            i += 2 + len;
        }
        markers
    }

    fn heic_header(major: &[u8; 4], compat: &[&[u8; 4]]) -> Vec<u8> {
        let size = 16 + 4 * compat.len();
        let mut b = (size as u32).to_be_bytes().to_vec();
        b.extend_from_slice(b"ftyp");
        b.extend_from_slice(major);
        b.extend_from_slice(&0u32.to_be_bytes());
        for c in compat {
            b.extend_from_slice(*c);
        }
        // A following `meta` box header and some filler.
        b.extend_from_slice(&24u32.to_be_bytes());
        b.extend_from_slice(b"meta");
        b.extend_from_slice(&[0u8; 64]);
        b
    }

    fn decode(bytes: &[u8]) -> DynamicImage {
        image::load_from_memory_with_format(bytes, ImageFormat::Jpeg).unwrap()
    }

    fn lim() -> UploadLimits {
        UploadLimits::default()
    }

    // ---------- defaults and messages ----------

    #[test]
    fn default_limits() {
        let l = UploadLimits::default();
        assert_eq!(l.max_bytes, 15 * 1024 * 1024);
        assert_eq!(l.max_files, 10);
        assert_eq!(l.max_pixels, 40_000_000);
        assert_eq!(l.max_side, 12_000);
    }

    #[test]
    fn messages_name_the_file_in_plain_english() {
        let e = inspect(
            "x.svg",
            b"<svg xmlns='http://www.w3.org/2000/svg'/>",
            &lim(),
        )
        .unwrap_err();
        assert_eq!(
            e.to_string(),
            "“x.svg” isn't a photo or PDF we can accept. Please use JPEG, PNG, WebP, HEIC or PDF."
        );
        assert_eq!(
            UploadError::corrupt("x.jpg").to_string(),
            "“x.jpg” looks damaged or incomplete — please take or choose the photo again."
        );
        let big = vec![0u8; 16 * 1024 * 1024];
        let e = inspect("big.jpg", &big, &lim()).unwrap_err();
        assert_eq!(
            e,
            UploadError::TooLarge {
                name: "big.jpg".into(),
                max_mb: 15
            }
        );
        assert!(e.to_string().contains("“big.jpg”") && e.to_string().contains("15 MB"));
        // Technical detail of Io is never displayed.
        let e = UploadError::Io("/var/lib/secret/path: permission denied".into());
        assert!(!e.to_string().contains("/var/lib"));
    }

    #[test]
    fn display_name_is_cleaned() {
        assert_eq!(display_name("C:\\fakepath\\photo.jpg"), "photo.jpg");
        assert_eq!(display_name("../../etc/passwd"), "passwd");
        assert_eq!(display_name("evil\u{202E}gpj.exe"), "evilgpj.exe");
        assert_eq!(display_name("  a\nb\t\tc  "), "a b c");
        assert_eq!(display_name(""), "your file");
        assert_eq!(display_name("\u{0007}"), "your file");
        let long = "a".repeat(500) + ".jpg";
        let shown = display_name(&long);
        assert_eq!(shown.chars().count(), 81);
        assert!(shown.ends_with('…'));
        // Used in messages.
        let e = inspect("dir/\u{202E}x.svg", b"<svg/>", &lim()).unwrap_err();
        assert_eq!(
            e,
            UploadError::NotAllowedType {
                name: "x.svg".into()
            }
        );
    }

    // ---------- type detection ----------

    #[test]
    fn accepts_real_jpeg_png_webp() {
        assert_eq!(
            inspect("a.jpg", &jpeg_bytes(64, 48), &lim()),
            Ok(FileKind::Jpeg)
        );
        assert_eq!(
            inspect("a.png", &png_bytes(64, 48), &lim()),
            Ok(FileKind::Png)
        );
        assert_eq!(
            inspect("a.webp", &webp_bytes(64, 48), &lim()),
            Ok(FileKind::Webp)
        );
    }

    #[test]
    fn type_comes_from_bytes_not_name() {
        // A PNG called .jpg is a PNG; a JPEG called .pdf is a JPEG.
        assert_eq!(
            inspect("photo.jpg", &png_bytes(8, 8), &lim()),
            Ok(FileKind::Png)
        );
        assert_eq!(
            inspect("doc.pdf", &jpeg_bytes(8, 8), &lim()),
            Ok(FileKind::Jpeg)
        );
    }

    #[test]
    fn rejects_svg_with_script() {
        let svg = br#"<?xml version="1.0"?>
<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">
  <script>alert(document.cookie)</script>
</svg>"#;
        let e = inspect("cute.svg", svg, &lim()).unwrap_err();
        assert!(matches!(e, UploadError::NotAllowedType { ref name } if name == "cute.svg"));
        // Same bytes with an image name are still refused.
        assert!(matches!(
            inspect("cute.png", svg, &lim()),
            Err(UploadError::NotAllowedType { .. })
        ));
    }

    #[test]
    fn rejects_text_renamed_jpg() {
        let e = inspect("photo.jpg", b"hello, this is just text\n", &lim()).unwrap_err();
        assert!(matches!(e, UploadError::NotAllowedType { ref name } if name == "photo.jpg"));
    }

    #[test]
    fn rejects_other_formats() {
        let html = b"<!DOCTYPE html><html><body><script>x()</script></body></html>";
        let gif = b"GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00!\xf9\x04\x00\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;";
        let zip = b"PK\x03\x04\x14\x00\x00\x00\x08\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00";
        let avif = heic_header(b"avif", &[b"mif1", b"avif"]);
        let avif_mif1 = heic_header(b"mif1", &[b"mif1", b"avif"]);
        let mp4 = heic_header(b"isom", &[b"isom", b"mp41"]);
        let jpeg2000 = b"\x00\x00\x00\x0cjP  \r\n\x87\n\x00\x00\x00\x14ftypjp2 ";
        let bmp = b"BM\x3a\x00\x00\x00\x00\x00\x00\x00\x36\x00\x00\x00\x28\x00\x00\x00";
        for (name, bytes) in [
            ("a.html", &html[..]),
            ("a.gif", &gif[..]),
            ("a.zip", &zip[..]),
            ("a.avif", &avif[..]),
            ("b.avif", &avif_mif1[..]),
            ("a.mp4", &mp4[..]),
            ("a.jp2", &jpeg2000[..]),
            ("a.bmp", &bmp[..]),
            ("a.bin", &[0xFF, 0xD8][..]), // too short to be a JPEG
        ] {
            assert!(
                matches!(
                    inspect(name, bytes, &lim()),
                    Err(UploadError::NotAllowedType { .. })
                ),
                "{name} should be rejected"
            );
        }
    }

    #[test]
    fn accepts_pdf_and_heic_headers() {
        let pdf = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n";
        assert_eq!(inspect("scan.pdf", pdf, &lim()), Ok(FileKind::Pdf));
        for major in [
            b"heic", b"heix", b"hevc", b"heim", b"heis", b"mif1", b"msf1",
        ] {
            let h = heic_header(major, &[b"mif1", b"heic"]);
            assert_eq!(
                inspect("IMG_0001.HEIC", &h, &lim()),
                Ok(FileKind::Heic),
                "{major:?}"
            );
        }
        // iPhone-style: major heic, compatible mif1 + heic.
        assert_eq!(
            detect_kind(&heic_header(b"heic", &[b"mif1", b"heic"])),
            Some(FileKind::Heic)
        );
        assert!(!FileKind::Heic.can_preview() && !FileKind::Pdf.can_preview());
    }

    #[test]
    fn truncated_pdf_is_corrupt() {
        let mut pdf = b"%PDF-1.7\n".to_vec();
        pdf.extend(std::iter::repeat_n(b'x', 5000));
        assert!(matches!(
            inspect("scan.pdf", &pdf, &lim()),
            Err(UploadError::Corrupt { .. })
        ));
    }

    #[test]
    fn bad_heic_box_size_rejected() {
        let mut h = heic_header(b"heic", &[b"mif1"]);
        h[0..4].copy_from_slice(&0xFFFF_FF00u32.to_be_bytes());
        assert!(matches!(
            inspect("x.heic", &h, &lim()),
            Err(UploadError::NotAllowedType { .. })
        ));
    }

    // ---------- size and count ----------

    #[test]
    fn size_limits() {
        let l = UploadLimits {
            max_bytes: 1000,
            ..lim()
        };
        let small = jpeg_bytes(8, 8);
        assert!(small.len() <= 1000);
        assert_eq!(inspect("s.jpg", &small, &l), Ok(FileKind::Jpeg));
        let big = jpeg_bytes(300, 300);
        assert!(big.len() > 1000);
        assert!(matches!(
            inspect("b.jpg", &big, &l),
            Err(UploadError::TooLarge { max_mb: 1, .. })
        ));
        // Exactly at the limit is fine.
        let l2 = UploadLimits {
            max_bytes: big.len(),
            ..lim()
        };
        assert_eq!(inspect("b.jpg", &big, &l2), Ok(FileKind::Jpeg));
        // Empty.
        assert_eq!(
            inspect("e.jpg", &[], &lim()),
            Err(UploadError::Empty {
                name: "e.jpg".into()
            })
        );
    }

    #[test]
    fn count_limits() {
        let l = lim();
        assert_eq!(check_count(0, &l), Ok(()));
        assert_eq!(check_count(10, &l), Ok(()));
        assert_eq!(check_count(11, &l), Err(UploadError::TooMany { max: 10 }));
        let e = check_count(3, &UploadLimits { max_files: 2, ..l }).unwrap_err();
        assert!(e.to_string().contains("at most 2 files"));
    }

    // ---------- decompression bombs ----------

    #[test]
    fn png_claiming_20000x20000_is_rejected_from_header() {
        let mut png = png_bytes(4, 4);
        patch_png_dims(&mut png, 20_000, 20_000);
        assert_eq!(
            inspect("bomb.png", &png, &lim()),
            Err(UploadError::TooManyPixels {
                name: "bomb.png".into()
            })
        );
        // process_image must refuse it on its own too, before allocating.
        assert!(matches!(
            process_image("bomb.png", &png, FileKind::Png, &lim()),
            Err(UploadError::TooManyPixels { .. })
        ));
    }

    #[test]
    fn too_many_pixels_within_max_side_is_rejected() {
        // 10000×10000 = 100 MP: each side is under 12000 but pixels > 40 MP.
        let mut png = png_bytes(4, 4);
        patch_png_dims(&mut png, 10_000, 10_000);
        assert!(matches!(
            inspect("big.png", &png, &lim()),
            Err(UploadError::TooManyPixels { .. })
        ));
        assert!(matches!(
            process_image("big.png", &png, FileKind::Png, &lim()),
            Err(UploadError::TooManyPixels { .. })
        ));
        // And a small max_pixels applies to real images.
        let l = UploadLimits {
            max_pixels: 1000,
            ..lim()
        };
        assert!(matches!(
            inspect("a.jpg", &jpeg_bytes(50, 50), &l),
            Err(UploadError::TooManyPixels { .. })
        ));
        let l = UploadLimits {
            max_side: 40,
            ..lim()
        };
        assert!(matches!(
            inspect("a.webp", &webp_bytes(50, 10), &l),
            Err(UploadError::TooManyPixels { .. })
        ));
    }

    // ---------- corrupt files ----------

    #[test]
    fn truncated_jpeg_is_corrupt() {
        let full = jpeg_bytes(256, 256);
        let cut = &full[..full.len() * 2 / 3];
        assert_eq!(
            inspect("cut.jpg", cut, &lim()),
            Err(UploadError::Corrupt {
                name: "cut.jpg".into()
            })
        );
        assert_eq!(
            process_image("cut.jpg", cut, FileKind::Jpeg, &lim()),
            Err(UploadError::Corrupt {
                name: "cut.jpg".into()
            })
        );
        // Only the last two bytes (EOI) missing.
        let no_eoi = &full[..full.len() - 2];
        assert!(matches!(
            inspect("x.jpg", no_eoi, &lim()),
            Err(UploadError::Corrupt { .. })
        ));
        // Cut inside the headers.
        assert!(matches!(
            inspect("x.jpg", &full[..40], &lim()),
            Err(UploadError::Corrupt { .. })
        ));
        // Trailing bytes after EOI (camera trailers) are fine.
        let mut trailer = full.clone();
        trailer.extend_from_slice(b"\0\0\0trailer");
        assert_eq!(inspect("x.jpg", &trailer, &lim()), Ok(FileKind::Jpeg));
        assert!(process_image("x.jpg", &trailer, FileKind::Jpeg, &lim()).is_ok());
    }

    #[test]
    fn truncated_png_and_webp_are_corrupt() {
        let png = png_bytes(200, 200);
        let cut = &png[..png.len() / 2];
        let r =
            inspect("cut.png", cut, &lim()).and_then(|k| process_image("cut.png", cut, k, &lim()));
        assert!(matches!(r, Err(UploadError::Corrupt { .. })), "{r:?}");

        let webp = webp_bytes(200, 200);
        let cut = &webp[..webp.len() / 2];
        let r = inspect("cut.webp", cut, &lim())
            .and_then(|k| process_image("cut.webp", cut, k, &lim()));
        assert!(matches!(r, Err(UploadError::Corrupt { .. })), "{r:?}");
    }

    #[test]
    fn garbage_after_valid_signature_is_corrupt() {
        let mut png = png_bytes(16, 16);
        // Keep the signature + IHDR, destroy the rest.
        for b in &mut png[33..] {
            *b = 0x5A;
        }
        let r =
            inspect("x.png", &png, &lim()).and_then(|k| process_image("x.png", &png, k, &lim()));
        assert!(matches!(r, Err(UploadError::Corrupt { .. })), "{r:?}");
    }

    #[test]
    fn process_image_rechecks_kind() {
        let png = png_bytes(16, 16);
        assert!(matches!(
            process_image("x.jpg", &png, FileKind::Jpeg, &lim()),
            Err(UploadError::NotAllowedType { .. })
        ));
        let pdf = b"%PDF-1.4\n%%EOF\n";
        assert!(matches!(
            process_image("x.pdf", pdf, FileKind::Pdf, &lim()),
            Err(UploadError::NotAllowedType { .. })
        ));
    }

    // ---------- processing ----------

    #[test]
    fn processes_all_three_formats_to_plain_jpeg() {
        for (name, bytes) in [
            ("a.jpg", jpeg_bytes(300, 200)),
            ("a.png", png_bytes(300, 200)),
            ("a.webp", webp_bytes(300, 200)),
        ] {
            let kind = inspect(name, &bytes, &lim()).unwrap();
            let p = process_image(name, &bytes, kind, &lim()).unwrap();
            // Small images are not enlarged.
            assert_eq!((p.width, p.height), (300, 200), "{name}");
            let d = decode(&p.display_jpeg);
            assert_eq!((d.width(), d.height()), (300, 200));
            let t = decode(&p.thumb_jpeg);
            assert_eq!((t.width(), t.height()), (300, 200));
            assert_eq!(detect_kind(&p.display_jpeg), Some(FileKind::Jpeg));
            // Only JFIF APP0 in the header: no EXIF/XMP/ICC/COM.
            assert_eq!(
                jpeg_header_markers(&p.display_jpeg)
                    .iter()
                    .filter(|m| (0xE1..=0xEF).contains(*m) || **m == 0xFE)
                    .count(),
                0
            );
            // Content survives roughly (top-left dark red-ish, bottom-right bright).
            let px = d.to_rgb8();
            let tl = px.get_pixel(2, 2);
            let br = px.get_pixel(297, 197);
            assert!(
                tl[0] < 40 && br[0] > 200 && br[1] > 200,
                "{name}: {tl:?} {br:?}"
            );
        }
    }

    #[test]
    fn resizes_keeping_aspect() {
        let big = jpeg_bytes(3000, 750);
        let p = process_image("wide.jpg", &big, FileKind::Jpeg, &lim()).unwrap();
        assert_eq!((p.width, p.height), (2048, 512));
        let d = decode(&p.display_jpeg);
        assert_eq!((d.width(), d.height()), (2048, 512));
        let t = decode(&p.thumb_jpeg);
        assert_eq!((t.width(), t.height()), (400, 100));

        // Portrait.
        let tall = png_bytes(600, 2400);
        let p = process_image("tall.png", &tall, FileKind::Png, &lim()).unwrap();
        assert_eq!((p.width, p.height), (512, 2048));
        let t = decode(&p.thumb_jpeg);
        assert_eq!((t.width(), t.height()), (100, 400));
    }

    #[test]
    fn exif_orientation_applied_and_metadata_stripped() {
        let src = with_exif(&jpeg_bytes(320, 200), 6);
        // Sanity: our hand-made EXIF is really in the input and parseable.
        assert!(contains(&src, b"Exif\0\0") && contains(&src, b"SECRET-GPS"));
        let mut dec = ImageReader::new(Cursor::new(&src))
            .with_guessed_format()
            .unwrap()
            .into_decoder()
            .unwrap();
        assert_eq!(
            dec.orientation().unwrap(),
            image::metadata::Orientation::Rotate90
        );

        assert_eq!(inspect("rot.jpg", &src, &lim()), Ok(FileKind::Jpeg));
        let p = process_image("rot.jpg", &src, FileKind::Jpeg, &lim()).unwrap();
        // Width and height swapped by the 90° rotation.
        assert_eq!((p.width, p.height), (200, 320));
        let d = decode(&p.display_jpeg);
        assert_eq!((d.width(), d.height()), (200, 320));
        let t = decode(&p.thumb_jpeg);
        assert_eq!((t.width(), t.height()), (200, 320));
        // Rotated 90° clockwise: the source's top-left (dark) is now top-right.
        let px = d.to_rgb8();
        let tr = px.get_pixel(197, 2);
        let tl = px.get_pixel(2, 2);
        assert!(tr[0] < 40 && tr[1] < 40, "top-right {tr:?}");
        assert!(tl[1] > 200, "top-left {tl:?}");
        // No EXIF (or any metadata) in either output.
        for out in [&p.display_jpeg, &p.thumb_jpeg] {
            assert!(!contains(out, b"Exif"));
            assert!(!contains(out, b"SECRET-GPS"));
            assert!(!jpeg_header_markers(out).contains(&0xE1));
        }
    }

    #[test]
    fn other_orientations() {
        // 3 = rotate 180 keeps dimensions; 8 = rotate 270 swaps them.
        let p = process_image(
            "r.jpg",
            &with_exif(&jpeg_bytes(120, 60), 3),
            FileKind::Jpeg,
            &lim(),
        )
        .unwrap();
        assert_eq!((p.width, p.height), (120, 60));
        let px = decode(&p.display_jpeg).to_rgb8();
        assert!(
            px.get_pixel(118, 58)[0] < 40,
            "dark corner moved to bottom-right"
        );
        let p = process_image(
            "r.jpg",
            &with_exif(&jpeg_bytes(120, 60), 8),
            FileKind::Jpeg,
            &lim(),
        )
        .unwrap();
        assert_eq!((p.width, p.height), (60, 120));
        // Invalid orientation value is ignored, not an error.
        let p = process_image(
            "r.jpg",
            &with_exif(&jpeg_bytes(120, 60), 42),
            FileKind::Jpeg,
            &lim(),
        )
        .unwrap();
        assert_eq!((p.width, p.height), (120, 60));
    }

    #[test]
    fn transparency_becomes_white() {
        let img: RgbaImage = ImageBuffer::from_pixel(40, 30, Rgba([0, 0, 0, 0]));
        let png = png_bytes_rgba(&img);
        let p = process_image("t.png", &png, FileKind::Png, &lim()).unwrap();
        let px = decode(&p.display_jpeg).to_rgb8();
        let c = px.get_pixel(20, 15);
        assert!(c[0] > 245 && c[1] > 245 && c[2] > 245, "{c:?}");
    }

    #[test]
    fn fit_within_math() {
        assert_eq!(fit_within(4000, 3000, 2048), (2048, 1536));
        assert_eq!(fit_within(3000, 4000, 400), (300, 400));
        assert_eq!(fit_within(10000, 1, 400), (400, 1));
        assert_eq!(fit_within(2049, 2049, 2048), (2048, 2048));
    }
}
