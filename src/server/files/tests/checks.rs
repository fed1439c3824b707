use super::*;

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
        "“x.svg” isn't a photo or PDF we can accept. Please use JPEG, PNG, WebP or PDF."
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
fn too_many_files_message_names_the_limit() {
    let e = UploadError::TooMany { max: 2 };
    assert!(e.to_string().contains("at most 2 files"));
    assert_eq!(e.status_code(), 413);
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
    let r = inspect("cut.png", cut, &lim()).and_then(|k| process_image("cut.png", cut, k, &lim()));
    assert!(matches!(r, Err(UploadError::Corrupt { .. })), "{r:?}");

    let webp = webp_bytes(200, 200);
    let cut = &webp[..webp.len() / 2];
    let r =
        inspect("cut.webp", cut, &lim()).and_then(|k| process_image("cut.webp", cut, k, &lim()));
    assert!(matches!(r, Err(UploadError::Corrupt { .. })), "{r:?}");
}

#[test]
fn garbage_after_valid_signature_is_corrupt() {
    let mut png = png_bytes(16, 16);
    // Keep the signature + IHDR, destroy the rest.
    for b in &mut png[33..] {
        *b = 0x5A;
    }
    let r = inspect("x.png", &png, &lim()).and_then(|k| process_image("x.png", &png, k, &lim()));
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
