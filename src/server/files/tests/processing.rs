use super::*;

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
