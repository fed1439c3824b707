//! Room links (issue 11, points 3, 4 and 6): the absolute lifetime, never signing staff
//! out, asking before switching to another request, and no token resting in the outbox.
use crate::common;

use axum::http::StatusCode;
use common::*;
use customer_room::server::notify;
use sqlx::Row;

async fn sql(app: &TestApp, q: &str) {
    sqlx::query(q).execute(&app.state.pool).await.unwrap();
}

#[tokio::test]
async fn a_link_past_its_absolute_lifetime_asks_for_a_fresh_one() {
    let pool = fresh_db().await;
    let app = TestApp::new(pool).await;
    let sent = submit_request(&app, "jo@example.com", vec![]).await;
    let path = link_path(&app.outbox_for("jo@example.com").await[0].2);
    // 13 days 23½ hours old and used all along: it works, but its window stops at 14 days.
    sql(
        &app,
        "UPDATE access_tokens SET created_at = now() - interval '14 days' + interval '30 minutes'",
    )
    .await;
    let res = app.get(&path, None).await;
    assert_eq!(res.location().unwrap(), format!("/room/{}", sent.reference));
    let left: f64 = sqlx::query("SELECT extract(epoch FROM max(expires_at) - now())::float8 FROM access_tokens WHERE used_at IS NOT NULL")
        .fetch_one(&app.state.pool).await.unwrap().get(0);
    assert!(
        (1700.0..=1800.0).contains(&left),
        "capped at 14 days, got {left}s"
    );
    // Past 14 days, even inside its two-hour window: the "link expired" page, no session.
    sql(&app, "UPDATE access_tokens SET created_at = now() - interval '14 days 1 minute', expires_at = now() + interval '1 hour'").await;
    let res = app.get(&path, None).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    assert_eq!(res.location().as_deref(), Some("/link-expired"));
    assert!(res.cookie(ROOM_COOKIE).is_none());
    let page = app.get("/link-expired", None).await;
    assert!(page.body.contains("This link has expired"));
}

#[tokio::test]
async fn a_room_link_never_signs_staff_out() {
    let pool = fresh_db().await;
    let app = TestApp::new(pool).await;
    let sent = submit_request(&app, "jo@example.com", vec![]).await;
    let staff = staff_cookie(&app).await;
    let path = link_path(&app.outbox_for("jo@example.com").await[0].2);
    let res = app
        .get_with(&path, Some(&staff), &[("sec-fetch-site", "cross-site")])
        .await;
    assert_eq!(res.location().unwrap(), format!("/room/{}", sent.reference));
    assert!(
        res.set_cookie_header(STAFF_COOKIE).is_none(),
        "staff cookie untouched"
    );
    let customer = res.cookie(ROOM_COOKIE).unwrap();
    let both = format!("{staff}; {customer}");
    // Staff pages act as staff, customer pages as the customer.
    let page = app.get("/staff", Some(&both)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(!page.body.contains("Staff only"));
    let me = app.call("staff_me", &[], Some(&both)).await;
    assert!(me.body.contains("office@example.com"), "{}", me.body);
    assert_eq!(
        app.call("staff_requests", &[], Some(&both)).await.status,
        StatusCode::OK
    );
    let mine = app.call("my_requests", &[], Some(&both)).await;
    assert_eq!(
        mine.json()["requests"][0]["reference"],
        sent.reference.as_str()
    );
    // Signing out of the room leaves the staff session alone.
    app.call("sign_out", &[("scope", "room")], Some(&both))
        .await;
    assert_eq!(
        app.call("staff_requests", &[], Some(&staff)).await.status,
        StatusCode::OK
    );
    let ended = app.call("my_requests", &[], Some(&customer)).await;
    assert_denied(
        &ended,
        StatusCode::UNAUTHORIZED,
        &default_secrets(&sent.reference, "jo@example.com"),
        "signed out of the room",
    );
}

#[tokio::test]
async fn a_link_to_another_request_asks_before_switching() {
    let pool = fresh_db().await;
    let app = TestApp::new(pool).await;
    let mine = submit_request(&app, "jo@example.com", vec![]).await;
    let theirs = submit_request(&app, "sam@example.com", vec![]).await;
    let (_, jo) = open_latest_link(&app, "jo@example.com").await;
    let jo = jo.unwrap();
    // A link to a request this session already sees just goes there.
    let own = link_path(&app.outbox_for("jo@example.com").await[0].2);
    let res = app.get(&own, Some(&jo)).await;
    assert_eq!(res.location().unwrap(), format!("/room/{}", mine.reference));
    assert!(res.cookie(ROOM_COOKIE).is_none());

    let path = link_path(&app.outbox_for("sam@example.com").await[0].2);
    let token = path.trim_start_matches("/r/");
    let ask = app
        .get_with(&path, Some(&jo), &[("sec-fetch-site", "cross-site")])
        .await;
    assert_eq!(ask.status, StatusCode::OK);
    assert!(
        ask.body.contains("You're signed in to another request"),
        "{}",
        ask.body
    );
    assert!(ask
        .body
        .contains(&format!("Switch to {}", theirs.reference)));
    assert!(ask.body.contains("action=\"/r/switch\"") && ask.body.contains("Keep the current one"));
    assert!(!ask.body.contains("sam@example.com") && !ask.body.contains("Kitchen tap"));
    assert!(ask.headers.get("set-cookie").is_none());
    assert_eq!(ask.headers["cache-control"], "no-store");
    // Nothing switched and the link is not used up.
    assert_eq!(
        app.call("room", &[("reference", &mine.reference)], Some(&jo))
            .await
            .status,
        StatusCode::OK
    );
    assert_eq!(app.count("SELECT count(*) FROM access_tokens WHERE used_at IS NOT NULL AND contact = 'sam@example.com'").await, 0);

    // Switching is a same-origin post; from another site it is refused.
    for headers in [
        [("sec-fetch-site", "cross-site")],
        [("origin", "https://evil.example")],
    ] {
        let res = app
            .post_form("/r/switch", &[("token", token)], Some(&jo), &headers)
            .await;
        assert_eq!(res.status, StatusCode::FORBIDDEN);
        assert!(
            res.body.contains("sent from another website"),
            "{}",
            res.body
        );
        assert!(res.headers.get("set-cookie").is_none());
    }
    let res = app
        .post_form(
            "/r/switch",
            &[("token", token)],
            Some(&jo),
            &[
                ("sec-fetch-site", "same-origin"),
                ("origin", "http://127.0.0.1:3000"),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    assert_eq!(
        res.location().unwrap(),
        format!("/room/{}", theirs.reference)
    );
    let sam = res.cookie(ROOM_COOKIE).unwrap();
    assert_eq!(
        app.call("room", &[("reference", &theirs.reference)], Some(&sam))
            .await
            .status,
        StatusCode::OK
    );
    let old = app
        .call("room", &[("reference", &mine.reference)], Some(&jo))
        .await;
    assert_denied(
        &old,
        StatusCode::UNAUTHORIZED,
        &default_secrets(&mine.reference, "jo@example.com"),
        "the old session ended",
    );
}

#[tokio::test]
async fn a_handed_off_message_keeps_no_token_and_its_link_still_works() {
    let pool = fresh_db().await;
    let app = TestApp::new(pool).await;
    let sent = submit_request(&app, "jo@example.com", vec![]).await;
    let path = link_path(&app.outbox_for("jo@example.com").await[0].2);
    let token = path.trim_start_matches("/r/").to_string();
    let mailbox = std::env::temp_dir().join(format!("cr-mailbox-{}", uuid::Uuid::new_v4()));
    let transport = notify::Transport::log(Some(mailbox.clone()));
    assert_eq!(
        notify::deliver_due(&app.state.pool, &transport)
            .await
            .unwrap(),
        2
    );
    assert_eq!(
        app.count("SELECT count(*) FROM outbox WHERE sent_at IS NULL")
            .await,
        0
    );
    let bodies: Vec<String> = sqlx::query_scalar("SELECT body FROM outbox")
        .fetch_all(&app.state.pool)
        .await
        .unwrap();
    for body in &bodies {
        assert!(!body.contains(&token[..16]), "{body}");
        assert!(!body.contains("/r/"), "{body}");
        assert!(
            body.contains("[room link]") && body.contains(&sent.reference),
            "{body}"
        );
    }
    // Only the development mailbox (and log) printed it.
    assert!(std::fs::read_to_string(&mailbox).unwrap().contains(&token));
    let res = app.get(&path, None).await;
    assert_eq!(res.location().unwrap(), format!("/room/{}", sent.reference));
    assert!(res.cookie(ROOM_COOKIE).is_some());
}
