//! Uploads as a customer (or someone misusing them) meets them: limits with plain
//! messages, cut-off bodies never stored, kept originals only as downloads, and the sweep.
use crate::common;

use axum::{
    body::Body,
    http::{header, Request, StatusCode},
};
use common::*;
use customer_room::server::files::sweep;
use uuid::Uuid;

/// A customer with a request, signed in from their emailed link.
async fn customer(app: &TestApp, email: &str) -> (String, String) {
    let sent = submit_request(app, email, vec![]).await;
    let (_, cookie) = open_latest_link(app, email).await;
    (sent.reference, cookie.unwrap())
}

fn tmp_files(app: &TestApp) -> usize {
    std::fs::read_dir(app.state.storage.tmp_dir())
        .map(|d| d.count())
        .unwrap_or(0)
}

/// A multipart body that breaks off in the middle of a file, as a dropped connection leaves it.
async fn cut_off_post(
    app: &TestApp,
    path: &str,
    cookie: Option<&str>,
    fields: &[(&str, &str)],
) -> TestResponse {
    let boundary = "----crcutoff";
    let mut body = Vec::new();
    for (name, value) in fields {
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n").as_bytes(),
        );
    }
    body.extend_from_slice(
        format!("--{boundary}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"tap.jpg\"\r\nContent-Type: image/jpeg\r\n\r\n").as_bytes(),
    );
    let photo = jpeg_bytes(400, 300);
    body.extend_from_slice(&photo[..photo.len() / 2]);
    let mut req = Request::post(path)
        .header(
            header::CONTENT_TYPE,
            format!("multipart/form-data; boundary={boundary}"),
        )
        .header(header::ACCEPT, "application/json");
    if let Some(c) = cookie {
        req = req.header(header::COOKIE, c);
    }
    app.send(req.body(Body::from(body)).unwrap()).await
}

#[tokio::test]
async fn a_body_cut_off_mid_file_is_refused_and_nothing_is_kept() {
    let pool = fresh_db().await;
    let app = TestApp::new(pool).await;
    let (reference, cookie) = customer(&app, "jo@example.com").await;
    let res = cut_off_post(
        &app,
        &format!("/room/{reference}/photos"),
        Some(&cookie),
        &[("client_key", "k1")],
    )
    .await;
    assert_eq!(res.status, StatusCode::BAD_REQUEST, "{}", res.body);
    assert!(
        res.json()["errors"][0]
            .as_str()
            .unwrap()
            .contains("interrupted"),
        "{}",
        res.body
    );
    assert_eq!(app.count("SELECT count(*) FROM attachments").await, 0);
    assert_eq!(tmp_files(&app), 0, "no partial file left behind");

    // The request form too: no request, no draft, no file.
    let key = Uuid::new_v4().to_string();
    let res = cut_off_post(
        &app,
        "/requests",
        None,
        &[("idempotency_key", &key), ("first_name", "Sam")],
    )
    .await;
    assert_eq!(res.status, StatusCode::BAD_REQUEST, "{}", res.body);
    assert!(res.json()["errors"]["_form"]
        .as_str()
        .unwrap()
        .contains("interrupted"));
    assert_eq!(app.count("SELECT count(*) FROM requests").await, 1);
    assert_eq!(app.count("SELECT count(*) FROM intake_drafts").await, 0);
    assert_eq!(app.count("SELECT count(*) FROM attachments").await, 0);
    assert_eq!(tmp_files(&app), 0);
}

#[tokio::test]
async fn room_uploads_slow_down_after_ten_in_a_row() {
    let pool = fresh_db().await;
    let app = TestApp::new(pool).await;
    let (reference, cookie) = customer(&app, "jo@example.com").await;
    let url = format!("/room/{reference}/photos");
    for i in 0..10 {
        let key = format!("k{i}");
        let res = app
            .multipart(
                &url,
                &[
                    Part::Text("client_key", &key),
                    Part::File("files", "p.png", png_bytes(8, 8)),
                ],
                Some(&cookie),
                true,
            )
            .await;
        assert_eq!(res.status, StatusCode::OK, "upload {i}: {}", res.body);
    }
    let res = app
        .multipart(
            &url,
            &[
                Part::Text("client_key", "k10"),
                Part::File("files", "p.png", png_bytes(8, 8)),
            ],
            Some(&cookie),
            true,
        )
        .await;
    assert_eq!(res.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(
        res.json()["errors"][0]
            .as_str()
            .unwrap()
            .contains("wait a few seconds"),
        "{}",
        res.body
    );
    assert_eq!(app.count("SELECT count(*) FROM attachments").await, 10);
    // Without JavaScript the same sentence comes as a page.
    let res = app
        .multipart(
            &url,
            &[Part::File("files", "p.png", png_bytes(8, 8))],
            Some(&cookie),
            false,
        )
        .await;
    assert_eq!(res.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(res.body.contains("wait a few seconds"));
}

#[tokio::test]
async fn a_request_holds_at_most_its_quota_of_files_and_bytes() {
    let pool = fresh_db().await;
    let app = TestApp::new(pool).await;
    let (reference, cookie) = customer(&app, "jo@example.com").await;
    let url = format!("/room/{reference}/photos");
    // 29 files of 1 MB are already there: one more fits, the 31st does not.
    sqlx::query(
        "INSERT INTO attachments (id, request_id, file_name, kind, byte_size)
         SELECT gen_random_uuid(), r.id, 'old.jpg', 'jpeg', 1048576 FROM requests r, generate_series(1, 29)",
    )
    .execute(&app.state.pool)
    .await
    .unwrap();
    let one = |k: &'static str| {
        vec![
            Part::Text("client_key", k),
            Part::File("files", "new.png", png_bytes(8, 8)),
        ]
    };
    let res = app.multipart(&url, &one("a"), Some(&cookie), true).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let res = app.multipart(&url, &one("b"), Some(&cookie), true).await;
    assert_eq!(res.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(
        res.json()["errors"][0]
            .as_str()
            .unwrap()
            .contains("already has 30 files"),
        "{}",
        res.body
    );

    // Bytes: a request at 199.9 MB can't take a file that takes it past 200 MB.
    sqlx::query("DELETE FROM attachments")
        .execute(&app.state.pool)
        .await
        .unwrap();
    sqlx::query(
        "INSERT INTO attachments (id, request_id, file_name, kind, byte_size)
         SELECT gen_random_uuid(), id, 'big.pdf', 'pdf', 200 * 1048576 - 100 FROM requests",
    )
    .execute(&app.state.pool)
    .await
    .unwrap();
    let res = app.multipart(&url, &one("c"), Some(&cookie), true).await;
    assert_eq!(res.status, StatusCode::PAYLOAD_TOO_LARGE, "{}", res.body);
    assert!(
        res.json()["errors"][0].as_str().unwrap().contains("200 MB"),
        "{}",
        res.body
    );
    assert_eq!(app.count("SELECT count(*) FROM attachments").await, 1);
}

#[tokio::test]
async fn a_file_over_the_size_limit_is_refused_while_it_streams() {
    let pool = fresh_db().await;
    let app = TestApp::new(pool).await;
    let (reference, cookie) = customer(&app, "jo@example.com").await;
    let mut big = b"%PDF-1.4\n".to_vec();
    big.resize(16 * 1024 * 1024, b' ');
    big.extend_from_slice(b"\n%%EOF\n");
    let res = app
        .multipart(
            &format!("/room/{reference}/photos"),
            &[Part::File("files", "manual.pdf", big)],
            Some(&cookie),
            true,
        )
        .await;
    assert_eq!(res.status, StatusCode::PAYLOAD_TOO_LARGE, "{}", res.body);
    assert!(res.json()["errors"][0]
        .as_str()
        .unwrap()
        .contains("“manual.pdf” is too big. Each file can be at most 15 MB."));
    assert_eq!(app.count("SELECT count(*) FROM attachments").await, 0);
    assert_eq!(tmp_files(&app), 0);
}

fn heic_bytes() -> Vec<u8> {
    let mut b = vec![0, 0, 0, 24];
    b.extend_from_slice(b"ftypheic\0\0\0\0mif1heic");
    b.extend_from_slice(&[0u8; 200]);
    b
}

#[tokio::test]
async fn a_heic_photo_is_refused_with_a_way_to_send_it() {
    let pool = fresh_db().await;
    let app = TestApp::new(pool).await;
    let (reference, cookie) = customer(&app, "jo@example.com").await;
    let res = app
        .multipart(
            &format!("/room/{reference}/photos"),
            &[Part::File("files", "IMG_0001.HEIC", heic_bytes())],
            Some(&cookie),
            true,
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.body);
    let message = res.json()["errors"][0].as_str().unwrap().to_string();
    assert!(
        message.contains("IMG_0001.HEIC") && message.contains("can't be checked yet"),
        "{message}"
    );
    assert!(message.contains("Most Compatible"), "{message}");
    assert_eq!(app.count("SELECT count(*) FROM attachments").await, 0);
    // And on the request form: refused there too, everything else kept.
    let key = Uuid::new_v4().to_string();
    let mut parts = form_fields(&key, "sam@example.com");
    parts.push(Part::File("files", "IMG_0002.heic", heic_bytes()));
    let res = app.multipart("/requests", &parts, None, true).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.json()["errors"]["_files"]
        .as_str()
        .unwrap()
        .contains("can't be checked yet"));
}

#[tokio::test]
async fn kept_originals_download_under_a_name_we_make_and_photos_show_inline() {
    let pool = fresh_db().await;
    let app = TestApp::new(pool).await;
    let (reference, cookie) = customer(&app, "jo@example.com").await;
    let pdf = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n".to_vec();
    let res = app
        .multipart(
            &format!("/room/{reference}/photos"),
            &[
                Part::File("files", "invoice<script>.html.pdf", pdf),
                Part::File("files", "sink.png", png_bytes(30, 20)),
            ],
            Some(&cookie),
            true,
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let added = res.json()["added"].as_array().unwrap().clone();
    let (pdf_id, png_id) = (
        added[0]["id"].as_str().unwrap(),
        added[1]["id"].as_str().unwrap(),
    );

    let file = app.get(&format!("/files/{pdf_id}"), Some(&cookie)).await;
    assert_eq!(file.status, StatusCode::OK);
    let h = |name: header::HeaderName| {
        file.headers
            .get(name)
            .unwrap()
            .to_str()
            .unwrap()
            .to_string()
    };
    assert_eq!(
        h(header::CONTENT_DISPOSITION),
        format!("attachment; filename=\"document-{reference}-1.pdf\"")
    );
    assert_eq!(h(header::X_CONTENT_TYPE_OPTIONS), "nosniff");
    assert!(h(header::CONTENT_SECURITY_POLICY).contains("sandbox"));

    let photo = app.get(&format!("/files/{png_id}"), Some(&cookie)).await;
    let disposition = photo
        .headers
        .get(header::CONTENT_DISPOSITION)
        .unwrap()
        .to_str()
        .unwrap();
    assert_eq!(
        disposition,
        format!("inline; filename=\"photo-{reference}-2.jpg\"")
    );
    assert_eq!(
        photo.headers.get(header::CONTENT_TYPE).unwrap(),
        "image/jpeg"
    );
    assert!(photo.body.len() > 100);
}

#[tokio::test]
async fn abandoned_drafts_their_files_and_stale_temp_files_are_swept() {
    let pool = fresh_db().await;
    let app = TestApp::new(pool).await;
    // Two forms with mistakes and a photo each; one was left a day and a bit ago.
    for (key, name) in [
        (Uuid::new_v4(), "old.png"),
        (Uuid::new_v4(), "fresh.png"),
        (Uuid::new_v4(), "came-back.png"),
    ] {
        let key = key.to_string();
        let mut parts = replace_field(form_fields(&key, "jo@example.com"), "postcode", "20");
        parts.push(Part::File("files", name, png_bytes(8, 8)));
        let res = app.multipart("/requests", &parts, None, true).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    }
    sqlx::query("UPDATE intake_drafts SET created_at = now() - interval '25 hours' WHERE fields->>'postcode' = '20' AND key = (SELECT draft_key FROM attachments WHERE file_name = 'old.png')")
        .execute(&app.state.pool)
        .await
        .unwrap();
    // The customer came back to the third form today: its draft is fresh, its photo old.
    sqlx::query("UPDATE attachments SET created_at = now() - interval '25 hours' WHERE file_name IN ('old.png', 'came-back.png')")
        .execute(&app.state.pool)
        .await
        .unwrap();
    let old_id: Uuid = sqlx::query_scalar("SELECT id FROM attachments WHERE file_name = 'old.png'")
        .fetch_one(&app.state.pool)
        .await
        .unwrap();
    let old_blob = customer_room::server::files::store::StorageKey::display(old_id);
    assert!(app.state.storage.get(&old_blob).await.is_ok());
    // A temp file from an upload that died two hours ago, and one still arriving.
    let tmp = app.state.storage.tmp_dir();
    std::fs::create_dir_all(&tmp).unwrap();
    let stale = tmp.join("dead.part");
    std::fs::write(&stale, b"half").unwrap();
    let two_hours_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(7200);
    std::fs::File::options()
        .write(true)
        .open(&stale)
        .unwrap()
        .set_modified(two_hours_ago)
        .unwrap();
    std::fs::write(tmp.join("live.part"), b"arriving").unwrap();

    let swept = sweep::sweep_once(&app.state).await.unwrap();
    assert_eq!(
        (swept.drafts, swept.draft_files, swept.tmp_files),
        (1, 1, 1)
    );
    assert_eq!(app.count("SELECT count(*) FROM intake_drafts").await, 2);
    let left: Vec<String> =
        sqlx::query_scalar("SELECT file_name FROM attachments ORDER BY file_name")
            .fetch_all(&app.state.pool)
            .await
            .unwrap();
    assert_eq!(
        left,
        vec!["came-back.png".to_string(), "fresh.png".to_string()]
    );
    assert!(
        app.state.storage.get(&old_blob).await.is_err(),
        "the swept photo's files are gone too"
    );
    assert!(!stale.exists() && tmp.join("live.part").exists());
}
