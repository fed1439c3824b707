//! Photos we show back to people: reading their headers, and the display and thumbnail
//! copies, always **re-encoded** so they carry no metadata at all (no EXIF, GPS, XMP, ICC
//! or comments), with the EXIF orientation applied to the pixels instead.
//!
//! [`process_image`] is CPU and memory heavy (~0.4 s and ~150 MB for a 12 MP phone photo
//! in a release build; at the default 40 MP limit up to ~1 s and ~350 MB), so callers run
//! it on the blocking pool and bound how many run at once (see [`super::accept`]). The
//! `image` crate has no HEIC or PDF decoder: check [`FileKind::can_preview`] first.
use super::check::{UploadError, UploadLimits, MIB};
use super::sniff::{detect_kind, jpeg_is_complete, FileKind};
use image::{
    codecs::jpeg::JpegEncoder, imageops::FilterType, DynamicImage, ImageDecoder, ImageFormat,
    ImageReader, Limits, Rgb, RgbImage,
};
use std::io::Cursor;

/// Longest side, in pixels, of the "display" rendition.
pub const DISPLAY_MAX_SIDE: u32 = 2048;
/// Longest side, in pixels, of the thumbnail rendition.
pub const THUMB_MAX_SIDE: u32 = 400;
/// JPEG quality used for both renditions.
pub const JPEG_QUALITY: u8 = 82;

pub(super) fn reader_limits(limits: &UploadLimits) -> Limits {
    let mut l = Limits::default();
    l.max_image_width = Some(limits.max_side);
    l.max_image_height = Some(limits.max_side);
    // Room for the pixel buffer plus the decoders' own working memory.
    l.max_alloc = Some(limits.decode_budget().saturating_add(64 * MIB as u64));
    l
}

pub(super) fn check_dimensions(
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

/// Read width/height from the image header without decoding pixels.
pub(super) fn header_dimensions(
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

/// Decode a JPEG/PNG/WebP (already accepted by [`super::inspect`]), apply its EXIF
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
pub(super) fn fit_within(w: u32, h: u32, max_side: u32) -> (u32, u32) {
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
