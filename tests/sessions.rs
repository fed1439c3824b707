//! Sessions (issue 11, points 2 and 3): cookies, timeouts, the "who can open this request"
//! card, staff ending a customer's access, live streams closing when a session ends.
use crate::common;

use axum::http::StatusCode;
use common::*;
use customer_room::server::db;
use sqlx::Row;
use std::time::Duration;

const ANDROID: &str = "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36";

async fn sql(app: &TestApp, q: &str) {
    sqlx::query(q).execute(&app.state.pool).await.unwrap();
}

fn is_signed_out(res: &TestResponse) -> bool {
    res.status == StatusCode::UNAUTHORIZED && res.error_text().contains("Please sign in")
}

#[tokio::test]
async fn cookies_are_host_prefixed_and_secure_over_https_and_plain_over_http() {
    let pool = fresh_db().await;
    let app = TestApp::https(pool.clone()).await;
    let sent = submit_request(&app, "jo@example.com", vec![]).await;
    let path = link_path(&app.outbox_for("jo@example.com").await[0].2);
    let res = app.get(&path, None).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    let set = res.set_cookie_header("__Host-cr_room").expect("prefixed");
    for part in ["HttpOnly", "SameSite=Lax", "Secure", "Path=/"] {
        assert!(set.contains(part), "{part} missing: {set}");
    }
    assert!(!set.contains("Domain"), "{set}");
    let cookie = res.cookie("__Host-cr_room").unwrap();
    let room = app
        .call("room", &[("reference", &sent.reference)], Some(&cookie))
        .await;
    assert_eq!(room.status, StatusCode::OK, "{}", room.body);
    // The same id under the plain name (as a sibling host or plain-http page could plant
    // it) opens nothing over https.
    let planted = cookie.replacen("__Host-cr_room", "cr_room", 1);
    let room = app
        .call("room", &[("reference", &sent.reference)], Some(&planted))
        .await;
    assert!(is_signed_out(&room), "{}", room.body);
    assert!(!room.body.contains("Kitchen tap"));

    // Plain http (localhost): the plain name, without Secure.
    let http = TestApp::new(pool).await;
    let res = http.get(&path, None).await;
    let set = res.set_cookie_header("cr_room").unwrap();
    assert!(set.contains("HttpOnly") && set.contains("SameSite=Lax") && !set.contains("Secure"));
}

#[tokio::test]
async fn customer_sessions_time_out_and_page_views_write_at_most_once_a_minute() {
    let pool = fresh_db().await;
    let app = TestApp::new(pool).await;
    submit_request(&app, "jo@example.com", vec![]).await;
    let (_, cookie) = open_latest_link(&app, "jo@example.com").await;
    let cookie = cookie.unwrap();
    let last_seen = || async {
        sqlx::query("SELECT last_seen_at::text FROM sessions WHERE contact IS NOT NULL")
            .fetch_one(&app.state.pool)
            .await
            .unwrap()
            .get::<String, _>(0)
    };
    sql(
        &app,
        "UPDATE sessions SET last_seen_at = now() - interval '30 seconds'",
    )
    .await;
    let before = last_seen().await;
    assert_eq!(
        app.call("my_requests", &[], Some(&cookie)).await.status,
        StatusCode::OK
    );
    assert_eq!(last_seen().await, before, "no write within a minute");
    sql(
        &app,
        "UPDATE sessions SET last_seen_at = now() - interval '2 minutes'",
    )
    .await;
    let before = last_seen().await;
    assert_eq!(
        app.call("my_requests", &[], Some(&cookie)).await.status,
        StatusCode::OK
    );
    assert_ne!(last_seen().await, before, "recorded after a minute");

    // Absolute timeout: 30 days after sign-in, however active.
    sql(&app, "UPDATE sessions SET created_at = now() - interval '30 days 1 minute', expires_at = now() + interval '1 day'").await;
    assert!(is_signed_out(
        &app.call("my_requests", &[], Some(&cookie)).await
    ));
    // Idle timeout: a week without a visit.
    let (_, cookie) = open_latest_link(&app, "jo@example.com").await;
    let cookie = cookie.unwrap();
    assert_eq!(
        app.call("my_requests", &[], Some(&cookie)).await.status,
        StatusCode::OK
    );
    let idle: f64 =
        sqlx::query("SELECT extract(epoch FROM max(expires_at) - now())::float8 FROM sessions")
            .fetch_one(&app.state.pool)
            .await
            .unwrap()
            .get(0);
    assert!(
        (7.0 * 86400.0 - 120.0..=7.0 * 86400.0).contains(&idle),
        "idle {idle}s"
    );
    sql(
        &app,
        "UPDATE sessions SET expires_at = now() - interval '1 second'",
    )
    .await;
    assert!(is_signed_out(
        &app.call("my_requests", &[], Some(&cookie)).await
    ));
}

#[tokio::test]
async fn the_room_lists_links_and_devices_and_the_customer_can_end_them() {
    let pool = fresh_db().await;
    let app = TestApp::new(pool).await;
    let sent = submit_request(&app, "jo@example.com", vec![]).await;
    let path = link_path(&app.outbox_for("jo@example.com").await[0].2);
    let phone = app.get_with(&path, None, &[("user-agent", ANDROID)]).await;
    let phone = phone.cookie(ROOM_COOKIE).unwrap();
    let list = app
        .call(
            "room_access",
            &[("reference", &sent.reference)],
            Some(&phone),
        )
        .await;
    assert_eq!(list.status, StatusCode::OK, "{}", list.body);
    let entries = list.json();
    let entries = entries.as_array().unwrap();
    let find = |label: &str| {
        entries
            .iter()
            .find(|e| e["label"] == label)
            .unwrap_or_else(|| panic!("{label}: {entries:?}"))
            .clone()
    };
    let android = find("Chrome on Android");
    assert_eq!(android["this_device"], true);
    assert_eq!(android["channel"], "email");
    let form = entries
        .iter()
        .find(|e| e["channel"] == "this form")
        .expect("the form's browser");
    assert_eq!(form["this_device"], false);
    let email_link = find("Link sent by email");
    assert!(!email_link["last_used_at"].is_null());
    assert!(find("Link sent by SMS")["last_used_at"].is_null());
    assert!(!list.body.contains(&path[3..]), "no token in the list");

    // Another customer can neither see this list nor end anything on it.
    let theirs = submit_request(&app, "sam@example.com", vec![]).await;
    let sam = theirs.sender_cookie.clone();
    let peek = app
        .call("room_access", &[("reference", &sent.reference)], Some(&sam))
        .await;
    assert_eq!(
        peek.error_text(),
        "This page isn't available to you. If you think that's wrong, ask us for a new link."
    );
    let secrets = [
        &sent.reference,
        "jo@example.com",
        "Android",
        android["id"].as_str().unwrap(),
    ];
    assert_denied(
        &peek,
        StatusCode::FORBIDDEN,
        &secrets,
        "another's access list",
    );
    // Another request's device, named on Sam's own request, is simply not there.
    for (reference, status) in [
        (&sent.reference, StatusCode::FORBIDDEN),
        (&theirs.reference, StatusCode::NOT_FOUND),
    ] {
        let idor = app
            .call(
                "room_access_end",
                &[
                    ("reference", reference),
                    ("id", android["id"].as_str().unwrap()),
                ],
                Some(&sam),
            )
            .await;
        assert_denied(
            &idor,
            status,
            &secrets,
            &format!("ending a device via {reference}"),
        );
    }
    assert_eq!(
        app.call("room", &[("reference", &sent.reference)], Some(&phone))
            .await
            .status,
        StatusCode::OK
    );

    // The phone ends the form's browser session and the email link.
    for id in [
        form["id"].as_str().unwrap(),
        email_link["id"].as_str().unwrap(),
    ] {
        let res = app
            .call(
                "room_access_end",
                &[("reference", &sent.reference), ("id", id)],
                Some(&phone),
            )
            .await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    }
    assert!(is_signed_out(
        &app.call(
            "room",
            &[("reference", &sent.reference)],
            Some(&sent.sender_cookie)
        )
        .await
    ));
    assert_eq!(
        app.get(&path, None).await.location().as_deref(),
        Some("/link-expired")
    );
    // Ending this device signs it out and clears its cookie.
    let res = app
        .call(
            "room_access_end",
            &[
                ("reference", &sent.reference),
                ("id", android["id"].as_str().unwrap()),
            ],
            Some(&phone),
        )
        .await;
    assert!(res
        .set_cookie_header(ROOM_COOKIE)
        .unwrap()
        .contains("Max-Age=0"));
    assert!(is_signed_out(
        &app.call("room", &[("reference", &sent.reference)], Some(&phone))
            .await
    ));
    assert_eq!(
        app.call("room", &[("reference", &theirs.reference)], Some(&sam))
            .await
            .status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn staff_can_end_all_of_a_customers_access_to_a_request() {
    let pool = fresh_db().await;
    let app = TestApp::new(pool).await;
    let sent = submit_request(&app, "jo@example.com", vec![]).await;
    let (_, link_cookie) = open_latest_link(&app, "jo@example.com").await;
    let link_cookie = link_cookie.unwrap();
    let path = link_path(&app.outbox_for("+61412345678").await[0].2);
    let refused = app
        .call(
            "staff_end_access",
            &[("reference", &sent.reference)],
            Some(&link_cookie),
        )
        .await;
    assert_denied(
        &refused,
        StatusCode::FORBIDDEN,
        &["+61412345678", "Citizen", "Kitchen tap drips"],
        "a customer ending access",
    );
    assert_eq!(
        app.call("my_requests", &[], Some(&link_cookie))
            .await
            .status,
        StatusCode::OK
    );

    let staff = staff_cookie(&app).await;
    let res = app
        .call(
            "staff_end_access",
            &[("reference", &sent.reference)],
            Some(&staff),
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    assert!(
        res.body.contains("Ended 2 links and 2 signed-in devices"),
        "{}",
        res.body
    );
    for cookie in [&link_cookie, &sent.sender_cookie] {
        assert!(is_signed_out(
            &app.call("room", &[("reference", &sent.reference)], Some(cookie))
                .await
        ));
    }
    assert_eq!(
        app.get(&path, None).await.location().as_deref(),
        Some("/link-expired")
    );
    assert_eq!(
        app.call("staff_requests", &[], Some(&staff)).await.status,
        StatusCode::OK
    );
}

/// Opens `/events` and returns how long the stream stayed open (None: still open at `limit`).
async fn stream_lifetime(app: &TestApp, cookie: &str, limit: Duration) -> Option<TestResponse> {
    tokio::time::timeout(limit, app.get("/events", Some(cookie)))
        .await
        .ok()
}

#[tokio::test]
async fn signing_out_or_ending_a_session_closes_its_live_stream() {
    let pool = fresh_db().await;
    let app = TestApp::new(pool.clone()).await;
    app.state.live.spawn_listener(pool);
    tokio::time::sleep(Duration::from_millis(800)).await;
    let sent = submit_request(&app, "jo@example.com", vec![]).await;
    let (_, mine) = open_latest_link(&app, "jo@example.com").await;
    let mine = mine.unwrap();
    let staff = staff_cookie(&app).await;

    let sign_out = async {
        tokio::time::sleep(Duration::from_millis(500)).await;
        let out = app
            .call("sign_out", &[("scope", "room")], Some(&mine))
            .await;
        assert!(out
            .set_cookie_header(ROOM_COOKIE)
            .unwrap()
            .contains("Max-Age=0"));
        tokio::time::sleep(Duration::from_millis(500)).await;
        // Deactivation (and password reset) end staff sessions this way.
        let mut conn = app.state.pool.acquire().await.unwrap();
        let id: uuid::Uuid = sqlx::query("SELECT id FROM staff")
            .fetch_one(&mut *conn)
            .await
            .unwrap()
            .get(0);
        db::access::delete_staff_sessions(&mut conn, id)
            .await
            .unwrap();
    };
    let (ended, other, staff_stream, ()) = tokio::join!(
        stream_lifetime(&app, &mine, Duration::from_secs(5)),
        stream_lifetime(&app, &sent.sender_cookie, Duration::from_secs(3)),
        stream_lifetime(&app, &staff, Duration::from_secs(5)),
        sign_out,
    );
    let ended = ended.expect("the signed-out stream closed");
    assert_eq!(ended.status, StatusCode::OK);
    assert!(other.is_none(), "another session's stream stays open");
    assert!(
        staff_stream.is_some(),
        "the deactivated staff member's stream closed"
    );
    assert_eq!(
        app.get("/events", Some(&mine)).await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        app.get("/events", Some(&staff)).await.status,
        StatusCode::UNAUTHORIZED
    );
}
