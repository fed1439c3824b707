use crate::common;

use axum::http::StatusCode;
use common::*;
use sqlx::Row;

#[tokio::test]
async fn a_room_link_starts_a_session_and_shows_that_request() {
    let pool = fresh_db().await;
    let app = TestApp::new(pool).await;
    let sent = submit_request(
        &app,
        "jo@example.com",
        vec![Part::File("files", "tap.jpg", jpeg_bytes(400, 300))],
    )
    .await;
    let (res, cookie) = open_latest_link(&app, "jo@example.com").await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    assert_eq!(res.location().unwrap(), format!("/room/{}", sent.reference));
    let set = res.set_cookie_header("cr_room").unwrap();
    assert!(
        set.contains("HttpOnly") && set.contains("SameSite=Lax"),
        "{set}"
    );
    assert!(!set.contains("Secure"), "plain http in tests");
    let cookie = cookie.unwrap();

    let room = app
        .get(&format!("/room/{}", sent.reference), Some(&cookie))
        .await;
    assert_eq!(room.status, StatusCode::OK);
    assert!(room.body.contains(&sent.reference));
    assert!(room.body.contains("Plumbing"));
    assert!(room.body.contains("Your next step"));
    assert!(room.body.contains("Kitchen tap drips all night"));

    // The photo is served to this customer, but only through the checked route.
    let id: uuid::Uuid = sqlx::query("SELECT id FROM attachments")
        .fetch_one(&app.state.pool)
        .await
        .unwrap()
        .get(0);
    let thumb = app.get(&format!("/files/{id}/thumb"), Some(&cookie)).await;
    assert_eq!(thumb.status, StatusCode::OK);
    assert_eq!(thumb.headers["content-type"], "image/jpeg");
    assert_eq!(thumb.headers["x-content-type-options"], "nosniff");
    assert_eq!(
        app.get(&format!("/files/{id}"), None).await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn using_a_link_extends_it_and_an_expired_link_offers_a_new_one() {
    let pool = fresh_db().await;
    let app = TestApp::new(pool).await;
    submit_request(&app, "jo@example.com", vec![]).await;
    let path = link_path(&app.outbox_for("jo@example.com").await[0].2);
    // Nearly expired: one minute left.
    sqlx::query("UPDATE access_tokens SET expires_at = now() + interval '1 minute'")
        .execute(&app.state.pool)
        .await
        .unwrap();
    assert_eq!(app.get(&path, None).await.status, StatusCode::SEE_OTHER);
    let left: f64 = sqlx::query("SELECT extract(epoch FROM max(expires_at) - now())::float8 FROM access_tokens WHERE purpose = 'room' AND used_at IS NOT NULL")
        .fetch_one(&app.state.pool)
        .await
        .unwrap()
        .get(0);
    assert!(
        (7000.0..=7200.0).contains(&left),
        "extended to two hours from now, got {left}s"
    );

    sqlx::query("UPDATE access_tokens SET expires_at = now() - interval '1 second'")
        .execute(&app.state.pool)
        .await
        .unwrap();
    let res = app.get(&path, None).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    assert_eq!(res.location().as_deref(), Some("/link-expired"));
    assert!(res.cookie("cr_room").is_none());
    assert!(res.set_cookie_header("cr_room").is_none());
    assert_eq!(app.get("/link-expired", None).await.status, StatusCode::OK);
    let page = app.get("/link-expired", None).await;
    assert!(page.body.contains("This link has expired"));
    assert!(page.body.contains("Email or mobile number"));

    let unknown = app
        .get(
            "/r/0000000000000000000000000000000000000000000000000000000000000000",
            None,
        )
        .await;
    assert_eq!(unknown.status, StatusCode::SEE_OTHER);
    assert_eq!(unknown.location().as_deref(), Some("/link-expired"));
    assert!(unknown.cookie("cr_room").is_none());
}

#[tokio::test]
async fn asking_for_a_new_link_gives_the_same_answer_whether_or_not_we_know_you() {
    let pool = fresh_db().await;
    let app = TestApp::new(pool).await;
    let sent = submit_request(&app, "jo@example.com", vec![]).await;
    let known = app
        .call("request_room_link", &[("contact", "JO@example.com")], None)
        .await;
    let unknown = app
        .call(
            "request_room_link",
            &[("contact", "nobody@example.com")],
            None,
        )
        .await;
    assert_eq!(known.status, StatusCode::OK);
    assert_eq!(known.status, unknown.status);
    assert_eq!(known.body, unknown.body);
    assert!(app.outbox_for("nobody@example.com").await.is_empty());
    let mail = app.outbox_for("jo@example.com").await;
    assert_eq!(mail.len(), 2);
    assert!(mail[0].2.contains(&sent.reference));
    // The new link works.
    let (res, cookie) = open_latest_link(&app, "jo@example.com").await;
    assert_eq!(res.location().unwrap(), format!("/room/{}", sent.reference));
    assert!(cookie.is_some());

    // By phone too, in any common format.
    let by_phone = app
        .call("request_room_link", &[("contact", "0412 345 678")], None)
        .await;
    assert_eq!(by_phone.body, known.body);
    assert_eq!(app.outbox_for("+61412345678").await.len(), 2);

    let bad = app
        .call("request_room_link", &[("contact", "hello")], None)
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
    assert!(
        bad.error_text().contains("email address or mobile number"),
        "{}",
        bad.body
    );
}

#[tokio::test]
async fn link_requests_are_rate_limited_per_contact_and_per_connection() {
    let pool = fresh_db().await;
    let app = TestApp::new(pool.clone()).await;
    submit_request(&app, "jo@example.com", vec![]).await;
    for _ in 0..3 {
        assert_eq!(
            app.call("request_room_link", &[("contact", "jo@example.com")], None)
                .await
                .status,
            StatusCode::OK
        );
    }
    let limited = app
        .call("request_room_link", &[("contact", "jo@example.com")], None)
        .await;
    assert_eq!(
        limited.status,
        StatusCode::TOO_MANY_REQUESTS,
        "{}",
        limited.body
    );
    assert!(
        limited.error_text().contains("Too many attempts"),
        "{}",
        limited.body
    );
    assert_eq!(
        app.outbox_for("jo@example.com").await.len(),
        4,
        "1 confirmation + 3 links"
    );

    // One connection trying many different contacts is stopped too.
    let other = TestApp::from_peer(pool, [10, 0, 0, 2]).await;
    let mut statuses = Vec::new();
    for i in 0..12 {
        statuses.push(
            other
                .call(
                    "request_room_link",
                    &[("contact", &format!("person{i}@example.com"))],
                    None,
                )
                .await
                .status,
        );
    }
    assert!(statuses[..10].iter().all(|s| *s == StatusCode::OK));
    assert!(
        statuses[10..]
            .iter()
            .all(|s| *s == StatusCode::TOO_MANY_REQUESTS),
        "{statuses:?}"
    );
}

#[tokio::test]
async fn a_customer_can_never_see_another_customers_request_or_files() {
    let pool = fresh_db().await;
    let app = TestApp::new(pool).await;
    let mine = submit_request(&app, "jo@example.com", vec![]).await;
    let other = submit_other_request(
        &app,
        "sam@example.com",
        vec![Part::File("files", "secret.png", png_bytes(20, 20))],
    )
    .await;
    let theirs = &other.sent;
    let (_, cookie) = open_latest_link(&app, "jo@example.com").await;
    let cookie = cookie.unwrap();
    let page = app
        .get(&format!("/room/{}", theirs.reference), Some(&cookie))
        .await;
    assert_page_denied(
        &page,
        StatusCode::FORBIDDEN,
        &other.secrets(),
        &theirs.reference,
        "page",
    );
    assert!(page.body.contains("isn't available to you"));
    let api = app
        .call("room", &[("reference", &theirs.reference)], Some(&cookie))
        .await;
    assert_denied(&api, StatusCode::FORBIDDEN, &other.secrets(), "room");
    for call in ["room_access", "my_requests"] {
        let res = app
            .call(call, &[("reference", &theirs.reference)], Some(&cookie))
            .await;
        for s in other.secrets() {
            assert!(
                !res.body.contains(s),
                "{call} gives away {s:?}: {}",
                res.body
            );
        }
    }

    let file_id: uuid::Uuid = sqlx::query("SELECT id FROM attachments")
        .fetch_one(&app.state.pool)
        .await
        .unwrap()
        .get(0);
    for path in [
        format!("/files/{file_id}"),
        format!("/files/{file_id}/thumb"),
    ] {
        let res = app.get(&path, Some(&cookie)).await;
        assert_denied(&res, StatusCode::NOT_FOUND, &other.secrets(), &path);
        assert!(!res.headers.contains_key("content-disposition"), "{path}");
        assert!(!res.body.contains("PNG"), "{path}: the file's bytes");
    }

    // The browser that sent a form sees only that request, even with the same email.
    let again = submit_request(&app, "jo@example.com", vec![]).await;
    let sender_view = app
        .call(
            "room",
            &[("reference", &mine.reference)],
            Some(&again.sender_cookie),
        )
        .await;
    assert_denied(
        &sender_view,
        StatusCode::FORBIDDEN,
        &default_secrets(&mine.reference, "jo@example.com"),
        "another request of the same email",
    );
    let list = app
        .call("my_requests", &[], Some(&again.sender_cookie))
        .await;
    assert_eq!(list.json()["requests"].as_array().unwrap().len(), 1);

    // Someone typing another person's email on the form learns nothing about their requests.
    let list = app.call("my_requests", &[], Some(&cookie)).await;
    let refs: Vec<_> = list.json()["requests"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["reference"].as_str().unwrap().to_string())
        .collect();
    assert!(
        refs.contains(&mine.reference)
            && refs.contains(&again.reference)
            && !refs.contains(&theirs.reference)
    );

    // No session at all: nothing.
    let anonymous = app
        .call("room", &[("reference", &mine.reference)], None)
        .await;
    assert_denied(
        &anonymous,
        StatusCode::UNAUTHORIZED,
        &default_secrets(&mine.reference, "jo@example.com"),
        "no session",
    );
    let events = app.get("/events", None).await;
    assert_denied(
        &events,
        StatusCode::UNAUTHORIZED,
        &default_secrets(&mine.reference, "jo@example.com"),
        "no session's live stream",
    );
}

#[tokio::test]
async fn my_requests_prefills_a_new_request_and_sign_out_ends_the_session() {
    let pool = fresh_db().await;
    let app = TestApp::new(pool).await;
    submit_request(&app, "jo@example.com", vec![]).await;
    let (_, cookie) = open_latest_link(&app, "jo@example.com").await;
    let cookie = cookie.unwrap();
    let page = app.get("/my-requests", Some(&cookie)).await;
    assert!(page.body.contains("Plumbing") && page.body.contains("Sydney"));
    let form = app.get("/", Some(&cookie)).await;
    assert!(form.body.contains("Start a new request"));
    assert!(form.body.contains("value=\"1 George St\""));
    assert!(form.body.contains("value=\"jo@example.com\""));

    let out = app.call("sign_out", &[], Some(&cookie)).await;
    assert!(out
        .set_cookie_header("cr_room")
        .unwrap()
        .contains("Max-Age=0"));
    let after = app.call("my_requests", &[], Some(&cookie)).await;
    assert_denied(
        &after,
        StatusCode::UNAUTHORIZED,
        &["Plumbing", "Sydney", "1 George St"],
        "session ended on the server",
    );
}

#[tokio::test]
async fn health_check_reports_the_database() {
    let pool = fresh_db().await;
    let app = TestApp::new(pool).await;
    let res = app.get("/healthz", None).await;
    assert_eq!(res.status, StatusCode::OK);
    assert_eq!(res.body, "ok");
}

#[tokio::test]
async fn a_plain_form_asking_for_a_link_comes_back_saying_it_was_sent() {
    let pool = fresh_db().await;
    let app = TestApp::new(pool).await;
    submit_request(&app, "jo@example.com", vec![]).await;
    for page in ["/get-link", "/link-expired"] {
        let res = app
            .post_form(
                "/api/request_room_link",
                &[("contact", "jo@example.com")],
                None,
                &[("referer", &format!("http://127.0.0.1:3000{page}"))],
            )
            .await;
        assert_eq!(res.status, StatusCode::FOUND, "{}", res.body);
        let back = res.location().unwrap().to_string();
        assert_eq!(back, format!("{page}?sent=1"));
        let shown = app.get(&back, None).await;
        assert_eq!(shown.status, StatusCode::OK);
        assert!(
            shown.body.contains("If that matches a request with us"),
            "{page}: the page says the link is on its way"
        );
    }
    // Without the flag the page offers the form only.
    let plain = app.get("/get-link", None).await;
    assert!(!plain.body.contains("If that matches a request with us"));
}
