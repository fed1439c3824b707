use crate::common;

use axum::http::StatusCode;
use common::{staff::sign_in, *};

/// The business's owner, created as `customer-room staff add --owner` does.
async fn make_staff(app: &TestApp, email: &str, password: &str) {
    common::staff::owner(app, email, password).await;
}

#[tokio::test]
async fn staff_pages_refuse_anonymous_visitors_and_customers() {
    let pool = fresh_db().await;
    let app = TestApp::new(pool).await;
    let sent = submit_request(&app, "jo@example.com", vec![]).await;
    let anon = app.get("/staff", None).await;
    assert_eq!(anon.status, StatusCode::SEE_OTHER);
    assert_eq!(anon.location().as_deref(), Some("/staff/sign-in"));
    let anon_detail = app
        .get(&format!("/staff/requests/{}", sent.reference), None)
        .await;
    assert_eq!(anon_detail.location().as_deref(), Some("/staff/sign-in"));

    let (_, cookie) = open_latest_link(&app, "jo@example.com").await;
    let cookie = cookie.unwrap();
    let secrets = default_secrets(&sent.reference, "jo@example.com");
    let list_page = app.get("/staff", Some(&cookie)).await;
    assert_denied(
        &list_page,
        StatusCode::FORBIDDEN,
        &secrets,
        "a customer on /staff",
    );
    let detail_page = app
        .get(
            &format!("/staff/requests/{}", sent.reference),
            Some(&cookie),
        )
        .await;
    assert_denied(
        &detail_page,
        StatusCode::FORBIDDEN,
        &secrets[1..],
        "a customer on the staff view of their own request",
    );
    // The data behind the pages is refused too, not just the pages.
    let list = app.call("staff_requests", &[], Some(&cookie)).await;
    assert_denied(
        &list,
        StatusCode::FORBIDDEN,
        &secrets,
        "a customer listing requests",
    );
    let anon = app.call("staff_requests", &[], None).await;
    assert_denied(
        &anon,
        StatusCode::UNAUTHORIZED,
        &secrets,
        "no session listing requests",
    );
    // The sign-in page itself is open.
    assert_eq!(app.get("/staff/sign-in", None).await.status, StatusCode::OK);
}

#[tokio::test]
async fn staff_sign_in_lists_requests_newest_first_and_opens_details() {
    let pool = fresh_db().await;
    let app = TestApp::new(pool).await;
    make_staff(&app, "office@example.com", "correct horse battery").await;
    let first = submit_request(&app, "a@example.com", vec![]).await;
    let second = submit_request(
        &app,
        "b@example.com",
        vec![Part::File("files", "meter.png", png_bytes(30, 30))],
    )
    .await;

    let wrong = sign_in(&app, "office@example.com", "wrong password!").await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED, "{}", wrong.body);
    assert!(wrong.error_text().contains("don't match"));
    assert!(wrong.cookie("cr_staff").is_none());
    let nobody = sign_in(&app, "nobody@example.com", "wrong password!").await;
    assert_eq!(
        nobody.body, wrong.body,
        "no hint whether the account exists"
    );

    let ok = sign_in(&app, "Office@Example.com", "correct horse battery").await;
    let cookie = ok.cookie("cr_staff").expect("signed in");
    let page = app.get("/staff", Some(&cookie)).await;
    assert_eq!(page.status, StatusCode::OK);
    let (a, b) = (
        page.body.find(&first.reference).unwrap(),
        page.body.find(&second.reference).unwrap(),
    );
    assert!(b < a, "newest first");
    assert!(page.body.contains("Sydney") && page.body.contains("Jo Citizen"));

    let detail = app
        .get(
            &format!("/staff/requests/{}", second.reference),
            Some(&cookie),
        )
        .await;
    assert!(detail.body.contains("b@example.com") && detail.body.contains("meter.png"));
    let file_id: uuid::Uuid = sqlx::query_scalar("SELECT id FROM attachments")
        .fetch_one(&app.state.pool)
        .await
        .unwrap();
    assert_eq!(
        app.get(&format!("/files/{file_id}"), Some(&cookie))
            .await
            .status,
        StatusCode::OK
    );

    // Sign out ends the session on the server.
    app.call("sign_out", &[], Some(&cookie)).await;
    assert_eq!(
        app.get("/staff", Some(&cookie)).await.status,
        StatusCode::SEE_OTHER
    );
}

#[tokio::test]
async fn sign_in_attempts_are_rate_limited() {
    let pool = fresh_db().await;
    let app = TestApp::new(pool).await;
    make_staff(&app, "office@example.com", "correct horse battery").await;
    for _ in 0..5 {
        sign_in(&app, "office@example.com", "guess").await;
    }
    let limited = sign_in(&app, "office@example.com", "correct horse battery").await;
    assert!(
        limited.error_text().contains("Too many attempts"),
        "{}",
        limited.body
    );
    assert!(limited.cookie("cr_staff").is_none());
}

#[tokio::test]
async fn a_password_reset_link_works_once_and_signs_out_old_sessions() {
    let pool = fresh_db().await;
    let app = TestApp::new(pool).await;
    make_staff(&app, "office@example.com", "correct horse battery").await;
    let old = sign_in(&app, "office@example.com", "correct horse battery")
        .await
        .cookie("cr_staff")
        .unwrap();

    let same_a = app
        .call(
            "staff_reset_request",
            &[("email", "office@example.com")],
            None,
        )
        .await;
    let same_b = app
        .call(
            "staff_reset_request",
            &[("email", "ghost@example.com")],
            None,
        )
        .await;
    assert_eq!(same_a.body, same_b.body);
    let mail = app.outbox_for("office@example.com").await;
    let start = mail[0].2.find("/staff/reset/").unwrap();
    let token = mail[0].2[start + "/staff/reset/".len()..]
        .split_whitespace()
        .next()
        .unwrap()
        .to_string();

    let mismatch = app
        .call(
            "staff_reset_complete",
            &[
                ("token", &token),
                ("password", "new password 123"),
                ("confirm", "other"),
            ],
            None,
        )
        .await;
    assert!(mismatch.error_text().contains("don't match"));
    let short = app
        .call(
            "staff_reset_complete",
            &[
                ("token", &token),
                ("password", "short"),
                ("confirm", "short"),
            ],
            None,
        )
        .await;
    assert!(short.error_text().contains("at least 10"));
    let done = app
        .call(
            "staff_reset_complete",
            &[
                ("token", &token),
                ("password", "new password 123"),
                ("confirm", "new password 123"),
            ],
            None,
        )
        .await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    let again = app
        .call(
            "staff_reset_complete",
            &[
                ("token", &token),
                ("password", "another one 456"),
                ("confirm", "another one 456"),
            ],
            None,
        )
        .await;
    assert_eq!(again.status, StatusCode::GONE, "{}", again.body);
    assert!(again.error_text().contains("expired"), "{}", again.body);
    assert!(again.cookie(STAFF_COOKIE).is_none());

    assert_eq!(
        app.get("/staff", Some(&old)).await.status,
        StatusCode::SEE_OTHER,
        "old session ended"
    );
    assert!(sign_in(&app, "office@example.com", "new password 123")
        .await
        .cookie("cr_staff")
        .is_some());
}

#[tokio::test]
async fn failed_sign_ins_slow_down_per_address_but_never_lock_out_the_real_person() {
    let pool = fresh_db().await;
    let here = TestApp::from_peer(pool.clone(), [10, 0, 0, 1]).await;
    let elsewhere = TestApp::from_peer(pool.clone(), [10, 0, 0, 2]).await;
    make_staff(&here, "office@example.com", "correct horse battery").await;
    for _ in 0..5 {
        let res = sign_in(&here, "office@example.com", "guess").await;
        assert!(res.error_text().contains("don't match"));
    }
    let waiting = sign_in(&here, "office@example.com", "correct horse battery").await;
    assert!(waiting.error_text().contains("Too many attempts"));
    // The real person, somewhere else, signs in at once.
    let ok = sign_in(&elsewhere, "office@example.com", "correct horse battery").await;
    assert!(ok.cookie("cr_staff").is_some(), "{}", ok.body);

    // Each further failure doubles the wait, up to 15 minutes.
    let wait = |key: &'static str| {
        let pool = pool.clone();
        async move {
            sqlx::query_scalar::<_, f64>("SELECT EXTRACT(EPOCH FROM next_allowed_at - now())::float8 FROM auth_throttle WHERE key = $1")
                .bind(key)
                .fetch_one(&pool)
                .await
                .unwrap()
        }
    };
    let key = "signin:office@example.com|10.0.0.1";
    assert!((0.0..=2.0).contains(&wait(key).await));
    sqlx::query("UPDATE auth_throttle SET next_allowed_at = now()")
        .execute(&pool)
        .await
        .unwrap();
    sign_in(&here, "office@example.com", "guess").await;
    assert!((2.0..=4.0).contains(&wait(key).await));
    sqlx::query("UPDATE auth_throttle SET next_allowed_at = now(), failures = 40")
        .execute(&pool)
        .await
        .unwrap();
    sign_in(&here, "office@example.com", "guess").await;
    assert!((800.0..=900.0).contains(&wait(key).await));
}

#[tokio::test]
async fn many_accounts_tried_from_one_address_slow_that_address_only() {
    let pool = fresh_db().await;
    let here = TestApp::from_peer(pool.clone(), [10, 0, 0, 1]).await;
    let elsewhere = TestApp::from_peer(pool.clone(), [10, 0, 0, 2]).await;
    make_staff(&here, "office@example.com", "correct horse battery").await;
    for i in 0..20 {
        sign_in(&here, &format!("guess{i}@example.com"), "guess").await;
    }
    let waiting = sign_in(&here, "office@example.com", "correct horse battery").await;
    assert!(waiting.error_text().contains("Too many attempts"));
    let ok = sign_in(&elsewhere, "office@example.com", "correct horse battery").await;
    assert!(ok.cookie("cr_staff").is_some());
}

#[tokio::test]
async fn password_reset_checks_the_link_before_hashing_and_is_rate_limited() {
    let pool = fresh_db().await;
    use customer_room::server::{auth::passwords, staff::accounts};
    let here = TestApp::from_peer(pool.clone(), [10, 0, 0, 1]).await;
    let elsewhere = TestApp::from_peer(pool.clone(), [10, 0, 0, 2]).await;
    make_staff(&here, "office@example.com", "correct horse battery").await;
    // If a wrong link were hashed, every such call would take at least a hash; the fastest
    // of three is compared with the fastest of two hashes, so load on the machine slows both.
    let mut one_hash = std::time::Duration::MAX;
    for _ in 0..2 {
        let started = std::time::Instant::now();
        passwords::hash("new password 123".into()).await.unwrap();
        one_hash = one_hash.min(started.elapsed());
    }
    let bogus = "ab".repeat(32);
    let form = [
        ("token", bogus.as_str()),
        ("password", "new password 123"),
        ("confirm", "new password 123"),
    ];
    let mut fastest = std::time::Duration::MAX;
    for _ in 0..3 {
        let started = std::time::Instant::now();
        let res = here.call("staff_reset_complete", &form, None).await;
        fastest = fastest.min(started.elapsed());
        assert_eq!(res.status, StatusCode::GONE, "{}", res.body);
        assert!(res.error_text().contains("expired"), "{}", res.body);
    }
    assert!(
        fastest < one_hash,
        "the fastest wrong link took {fastest:?}, one hash {one_hash:?}"
    );
    for _ in 0..9 {
        here.call("staff_reset_complete", &form, None).await;
    }
    // After ten wrong links this address waits (here 8 s after the twelfth), even with a
    // real link.
    let link = accounts::reset_link(&pool, &here.state.config, "office@example.com")
        .await
        .unwrap();
    let real = [
        ("token", link_token(&link)),
        ("password", "new password 123".to_string()),
        ("confirm", "new password 123".to_string()),
    ];
    let real: Vec<(&str, &str)> = real.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let limited = here.call("staff_reset_complete", &real, None).await;
    assert!(
        limited.error_text().contains("Too many attempts"),
        "{}",
        limited.body
    );
    // Mistyped confirmations count against the link itself.
    let mut typo = real.clone();
    typo[2] = ("confirm", "new password 124");
    for _ in 0..5 {
        elsewhere.call("staff_reset_complete", &typo, None).await;
    }
    let slowed = elsewhere.call("staff_reset_complete", &real, None).await;
    assert!(
        slowed.error_text().contains("Too many attempts"),
        "{}",
        slowed.body
    );
    sqlx::query("UPDATE auth_throttle SET next_allowed_at = now() WHERE key LIKE 'reset:%'")
        .execute(&pool)
        .await
        .unwrap();
    let done = elsewhere.call("staff_reset_complete", &real, None).await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);
}
