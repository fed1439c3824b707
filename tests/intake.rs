use crate::common;

use axum::http::StatusCode;
use common::*;
use uuid::Uuid;

#[tokio::test]
async fn a_valid_request_is_stored_once_with_a_reference_and_messages_in_the_outbox() {
    let pool = fresh_db().await;
    let app = TestApp::new(pool).await;
    let sent = submit_request(
        &app,
        "Jo@Example.com",
        vec![Part::File("files", "tap.jpg", jpeg_bytes(640, 480))],
    )
    .await;

    let reference = &sent.reference;
    assert_eq!(reference.len(), 9);
    assert!(!reference[3..].contains(['0', 'O', '1', 'I']));
    let row: (String, Option<String>, Option<String>, String) = sqlx::query_as(
        "SELECT status, contact_email, contact_phone, suburb FROM requests WHERE reference = $1",
    )
    .bind(reference)
    .fetch_one(&app.state.pool)
    .await
    .unwrap();
    assert_eq!(
        row,
        (
            "new".into(),
            Some("jo@example.com".into()),
            Some("+61412345678".into()),
            "Sydney".into()
        )
    );
    assert_eq!(
        app.count("SELECT count(*) FROM attachments WHERE request_id IS NOT NULL")
            .await,
        1
    );

    let email = app.outbox_for("jo@example.com").await;
    assert_eq!(email.len(), 1);
    assert!(email[0].1.contains(reference.as_str()));
    assert!(email[0].2.contains("http://127.0.0.1:3000/r/"));
    let sms = app.outbox_for("+61412345678").await;
    assert_eq!(sms.len(), 1);
    assert_eq!(sms[0].0, "sms");
    assert_ne!(
        link_path(&email[0].2),
        link_path(&sms[0].2),
        "each contact gets its own link"
    );
    // The stored token is a hash, never the token itself.
    let token = link_path(&email[0].2).trim_start_matches("/r/").to_string();
    assert_eq!(token.len(), 64);
    let plain = app
        .count(&format!(
            "SELECT count(*) FROM access_tokens WHERE encode(token_hash, 'hex') = '{token}'"
        ))
        .await;
    assert_eq!(plain, 0);

    // The confirmation page shows the reference to the browser that sent it.
    let page = app
        .get(
            &format!("/submitted/{reference}"),
            Some(&sent.sender_cookie),
        )
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains(reference.as_str()));
    assert!(page.body.contains("Open your request room"));
}

#[tokio::test]
async fn each_invalid_field_gets_its_own_message_and_nothing_is_lost() {
    let pool = fresh_db().await;
    let app = TestApp::new(pool).await;
    let key = Uuid::new_v4().to_string();
    let mut parts = form_fields(&key, "not-an-email");
    parts = replace_field(parts, "first_name", "");
    parts = replace_field(parts, "phone", "12");
    parts = replace_field(parts, "postcode", "20");
    parts = replace_field(parts, "state", "Narnia");
    parts = replace_field(parts, "service_type", "Tree lopping");
    parts = replace_field(parts, "preferred_date", "2001-01-01");
    parts.push(Part::File("files", "leak.png", png_bytes(50, 40)));
    let res = app.multipart("/requests", &parts, None, true).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    let body = res.json();
    let errors = body["errors"].as_object().unwrap();
    for field in [
        "first_name",
        "email",
        "phone",
        "postcode",
        "state",
        "service_type",
        "preferred_date",
    ] {
        assert!(
            errors
                .get(field)
                .and_then(|m| m.as_str())
                .is_some_and(|m| m.len() > 10),
            "no message for {field}: {body}"
        );
    }
    assert!(errors.get("last_name").is_none());
    assert_eq!(
        body["kept_files"][0]["name"], "leak.png",
        "the accepted photo is kept: {body}"
    );
    assert_eq!(app.count("SELECT count(*) FROM requests").await, 0);

    // Without JavaScript: the same post (the browser no longer re-sends the kept photo)
    // redirects back to the form, which shows what was typed.
    parts.retain(|p| !matches!(p, Part::File(..)));
    let res = app.multipart("/requests", &parts, None, false).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    let draft = res.cookie("cr_draft").expect("draft cookie");
    let page = app.get("/", Some(&draft)).await;
    assert!(
        page.body.contains("Please enter your first name."),
        "field message shown"
    );
    assert!(
        page.body.contains("value=\"not-an-email\""),
        "typed email kept"
    );
    assert!(
        page.body.contains("Kitchen tap drips all night"),
        "notes kept"
    );
    assert!(page.body.contains("leak.png"), "kept file listed");
    assert!(
        page.body.contains(&key),
        "same form key, so kept files stay attached"
    );

    // Fixing the fields and sending again creates the request with the kept photo, once.
    let mut fixed = form_fields(&key, "jo@example.com");
    fixed.retain(|p| !matches!(p, Part::File(..)));
    let res = app
        .multipart("/requests", &fixed, Some(&draft), false)
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    assert_eq!(app.count("SELECT count(*) FROM requests").await, 1);
    assert_eq!(
        app.count("SELECT count(*) FROM attachments WHERE request_id IS NOT NULL")
            .await,
        1
    );
}

#[tokio::test]
async fn bad_files_are_refused_with_a_reason_naming_the_file() {
    let pool = fresh_db().await;
    let app = TestApp::new(pool).await;
    let svg =
        br#"<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>"#.to_vec();
    let mut truncated = jpeg_bytes(300, 200);
    truncated.truncate(truncated.len() / 2);
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("drawing.svg", svg),
        (
            "notes.jpg",
            b"just some text pretending to be a photo".to_vec(),
        ),
        ("huge.png", huge_png_header()),
        ("half.jpg", truncated),
    ];
    for (name, bytes) in cases {
        let key = Uuid::new_v4().to_string();
        let mut parts = form_fields(&key, "jo@example.com");
        parts.push(Part::File("files", name, bytes));
        let res = app.multipart("/requests", &parts, None, true).await;
        assert_eq!(
            res.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{name} accepted: {}",
            res.body
        );
        let message = res.json()["errors"]["_files"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        assert!(message.contains(name), "{name}: {message}");
    }
    assert_eq!(app.count("SELECT count(*) FROM requests").await, 0);
    assert_eq!(app.count("SELECT count(*) FROM attachments").await, 0);
}

#[tokio::test]
async fn too_many_files_are_refused_but_the_first_ten_are_kept() {
    let pool = fresh_db().await;
    let app = TestApp::new(pool).await;
    let key = Uuid::new_v4().to_string();
    let mut parts = form_fields(&key, "jo@example.com");
    let names: Vec<String> = (0..11).map(|i| format!("p{i}.png")).collect();
    for n in &names {
        parts.push(Part::File("files", n, png_bytes(8, 8)));
    }
    let res = app.multipart("/requests", &parts, None, true).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.json()["errors"]["_files"]
        .as_str()
        .unwrap()
        .contains("10"));
    assert_eq!(res.json()["kept_files"].as_array().unwrap().len(), 10);
}

/// Opens the form like a browser and returns the form cookie it was given.
async fn form_cookie(app: &TestApp) -> String {
    let page = app.get("/", None).await;
    assert_eq!(page.status, StatusCode::OK);
    let header = page
        .set_cookie_header("cr_form")
        .expect("the form sets its cookie");
    assert!(
        header.contains("HttpOnly") && header.contains("SameSite=Lax"),
        "{header}"
    );
    page.cookie("cr_form").unwrap()
}

#[tokio::test]
async fn a_double_tap_or_retried_submit_from_the_same_browser_creates_one_request() {
    let pool = fresh_db().await;
    let app = TestApp::new(pool).await;
    let browser = form_cookie(&app).await;
    let key = Uuid::new_v4().to_string();
    let parts = form_fields(&key, "jo@example.com");
    let (a, b) = tokio::join!(
        app.multipart("/requests", &parts, Some(&browser), false),
        app.multipart("/requests", &parts, Some(&browser), false)
    );
    let c = app
        .multipart("/requests", &parts, Some(&browser), true)
        .await;
    assert_eq!(a.status, StatusCode::SEE_OTHER);
    assert_eq!(b.status, StatusCode::SEE_OTHER);
    assert_eq!(a.location(), b.location());
    assert_eq!(
        c.json()["location"].as_str().map(str::to_string),
        a.location()
    );
    assert_eq!(app.count("SELECT count(*) FROM requests").await, 1);
    assert_eq!(
        app.outbox_for("jo@example.com").await.len(),
        1,
        "one confirmation, not three"
    );
    // The retry's browser — the one that was served the form — can still open its request.
    let cookie = c.cookie("cr_room").unwrap();
    let reference = a
        .location()
        .unwrap()
        .trim_start_matches("/submitted/")
        .to_string();
    let room = app.get(&format!("/room/{reference}"), Some(&cookie)).await;
    assert!(room.body.contains("Kitchen tap drips all night"));
}

#[tokio::test]
async fn a_replayed_submit_from_another_browser_gets_nothing_of_the_request() {
    let pool = fresh_db().await;
    let app = TestApp::new(pool).await;
    let first_browser = form_cookie(&app).await;
    let key = Uuid::new_v4().to_string();
    let parts = form_fields(&key, "jo@example.com");
    let first = app
        .multipart("/requests", &parts, Some(&first_browser), false)
        .await;
    assert_eq!(first.status, StatusCode::SEE_OTHER);
    let reference = first.location().unwrap().replace("/submitted/", "");

    // The same post replayed without the form cookie (plain form) and with another
    // browser's form cookie (enhanced form): a calm answer, no session, no detail.
    let other_browser = form_cookie(&app).await;
    let plain = app.multipart("/requests", &parts, None, false).await;
    let json = app
        .multipart("/requests", &parts, Some(&other_browser), true)
        .await;
    for res in [&plain, &json] {
        assert_eq!(res.status, StatusCode::OK, "{}", res.body);
        assert!(
            res.body.contains("We already have this request"),
            "{}",
            res.body
        );
        assert!(res.cookie("cr_room").is_none(), "no session for a replay");
        assert!(res.location().is_none());
        for secret in [
            reference.as_str(),
            "Citizen",
            "Kitchen tap",
            "George St",
            "jo@example.com",
            "/room/",
        ] {
            assert!(!res.body.contains(secret), "{secret} leaked: {}", res.body);
        }
    }
    assert_eq!(json.json()["location"], serde_json::Value::Null);
    assert_eq!(app.count("SELECT count(*) FROM requests").await, 1);
    assert_eq!(app.count("SELECT count(*) FROM sessions").await, 1);
    assert_eq!(app.outbox_for("jo@example.com").await.len(), 1);
}

#[tokio::test]
async fn another_browser_with_the_same_key_never_sees_a_kept_draft() {
    let pool = fresh_db().await;
    let app = TestApp::new(pool).await;
    let first_browser = form_cookie(&app).await;
    let key = Uuid::new_v4().to_string();
    let mut parts = form_fields(&key, "jo@example.com");
    parts = replace_field(parts, "postcode", "20");
    parts.push(Part::File("files", "private-leak.png", png_bytes(20, 20)));
    let res = app
        .multipart("/requests", &parts, Some(&first_browser), true)
        .await;
    assert_eq!(res.json()["kept_files"][0]["name"], "private-leak.png");

    let other = form_cookie(&app).await;
    parts.retain(|p| !matches!(p, Part::File(..)));
    let parts = replace_field(parts, "notes", "");
    let res = app.multipart("/requests", &parts, Some(&other), true).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(res.json()["kept_files"].as_array().unwrap().len(), 0);
    // Even with the draft cookie copied, the form it gets back is empty.
    let page = app
        .get("/", Some(&format!("{other}; cr_draft={key}")))
        .await;
    assert!(!page.body.contains("private-leak.png"));
    assert!(!page.body.contains("Kitchen tap drips all night"));
    // The first browser still has its draft and its photo.
    let page = app
        .get("/", Some(&format!("{first_browser}; cr_draft={key}")))
        .await;
    assert!(page.body.contains("private-leak.png"));
}

#[tokio::test]
async fn the_same_email_is_one_customer_across_requests() {
    let pool = fresh_db().await;
    let app = TestApp::new(pool).await;
    submit_request(&app, "jo@example.com", vec![]).await;
    submit_request(&app, "JO@example.com ", vec![]).await;
    assert_eq!(app.count("SELECT count(*) FROM customers").await, 1);
    assert_eq!(app.count("SELECT count(*) FROM requests").await, 2);
}
