//! Tests for the checks and the image processing; shared helpers live here.
use super::images::fit_within;
use super::*;
use image::{
    codecs::jpeg::JpegEncoder, DynamicImage, ImageBuffer, ImageDecoder, ImageFormat, ImageReader,
    Rgb, RgbImage, Rgba, RgbaImage,
};
use std::io::Cursor;

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

mod checks;
mod processing;
