//! What a file is, decided from its bytes alone (never its name or the browser's
//! `Content-Type`), and whether it was cut off on the way.
use image::ImageFormat;

/// The kinds of file a customer may upload, decided from magic bytes only. Stored as its
/// lower-case name (the `attachments.kind` column).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, sqlx::Type, serde::Deserialize)]
#[sqlx(type_name = "text", rename_all = "lowercase")]
#[serde(rename_all = "lowercase")]
pub enum FileKind {
    Jpeg,
    Png,
    Webp,
    Heic,
    Pdf,
}

impl FileKind {
    /// The lower-case name the browser is told (`AttachmentInfo::kind`), as stored.
    pub fn as_str(self) -> &'static str {
        match self {
            FileKind::Jpeg => "jpeg",
            FileKind::Png => "png",
            FileKind::Webp => "webp",
            FileKind::Heic => "heic",
            FileKind::Pdf => "pdf",
        }
    }

    /// Whether [`super::process_image`] can make display/thumbnail JPEGs from it.
    pub fn can_preview(self) -> bool {
        self.image_format().is_some()
    }

    pub(super) fn image_format(self) -> Option<ImageFormat> {
        match self {
            FileKind::Jpeg => Some(ImageFormat::Jpeg),
            FileKind::Png => Some(ImageFormat::Png),
            FileKind::Webp => Some(ImageFormat::WebP),
            FileKind::Heic | FileKind::Pdf => None,
        }
    }
}

/// Decide the file kind from magic bytes alone. `None` for anything we do
/// not accept. This only looks at signatures; [`super::inspect`] does the full
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
pub(super) fn jpeg_is_complete(b: &[u8]) -> bool {
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
pub(super) fn pdf_is_complete(b: &[u8]) -> bool {
    let tail = &b[b.len().saturating_sub(2048)..];
    tail.windows(5).any(|w| w == b"%%EOF")
}
