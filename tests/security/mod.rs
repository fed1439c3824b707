//! Cross-site refusals, security headers, error statuses, quote decisions under races and
//! transactions that never need a second connection.
use crate::common;
mod rooms;

use axum::{
    body::Body,
    http::{header, Request, StatusCode},
};
use common::*;

async fn customer(app: &TestApp, email: &str) -> (String, String) {
    let sent = submit_request(app, email, vec![]).await;
    let (_, cookie) = open_latest_link(app, email).await;
    (sent.reference, cookie.unwrap())
}

fn api_post(endpoint: &str, body: &str, cookie: &str, extra: &[(&str, &str)]) -> Request<Body> {
    let mut req = Request::post(format!("/api/{endpoint}"))
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ACCEPT, "application/json")
        .header(header::COOKIE, cookie);
    for (k, v) in extra {
        req = req.header(*k, *v);
    }
    req.body(Body::from(body.to_string())).unwrap()
}

#[tokio::test]
async fn cross_site_posts_are_refused_and_change_nothing() {
    let pool = fresh_db().await;
    let app = TestApp::new(pool).await;
    let (reference, cookie) = customer(&app, "jo@example.com").await;
    let before = app.count("SELECT count(*) FROM messages").await;
    let body = format!("reference={reference}&body=Hello+from+elsewhere&topic=&client_key=k1");
    for headers in [
        &[("origin", "https://evil.example")][..],
        &[("sec-fetch-site", "cross-site")][..],
        &[
            ("sec-fetch-site", "same-site"),
            ("origin", "https://sub.127.0.0.1"),
        ][..],
        &[("origin", "null")][..],
    ] {
        let res = app
            .send(api_post("room_message", &body, &cookie, headers))
            .await;
        assert_eq!(
            res.status,
            StatusCode::FORBIDDEN,
            "{headers:?}: {}",
            res.body
        );
        assert!(res.error_text().contains("another website"), "{}", res.body);
        assert!(!res.body.contains(&reference));
    }
    assert_eq!(app.count("SELECT count(*) FROM messages").await, before);

    // The same post from our own page goes through.
    let ok = app
        .send(api_post(
            "room_message",
            &body,
            &cookie,
            &[("sec-fetch-site", "same-origin")],
        ))
        .await;
    assert_eq!(ok.status, StatusCode::OK, "{}", ok.body);
    assert_eq!(app.count("SELECT count(*) FROM messages").await, before + 1);

    // The plain request form, too.
    let requests = app.count("SELECT count(*) FROM requests").await;
    let key = uuid::Uuid::new_v4().to_string();
    let res = app
        .multipart_with_headers(
            "/requests",
            &form_fields(&key, "other@example.com"),
            &[("origin", "https://evil.example"), ("accept", "text/html")],
        )
        .await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    assert!(res.body.contains("another website"), "{}", res.body);
    assert_eq!(app.count("SELECT count(*) FROM requests").await, requests);
}

#[tokio::test]
async fn pages_send_a_nonce_csp_no_referrer_and_no_store() {
    let pool = fresh_db().await;
    let app = TestApp::new(pool).await;
    let (reference, cookie) = customer(&app, "jo@example.com").await;
    for (path, cookie) in [
        (format!("/room/{reference}"), Some(cookie.as_str())),
        ("/get-link".to_string(), None),
        ("/staff/sign-in".to_string(), None),
        ("/".to_string(), None),
    ] {
        let res = app.get(&path, cookie).await;
        assert_eq!(res.status, StatusCode::OK, "{path}");
        let h = |n: &str| {
            res.headers
                .get(n)
                .map(|v| v.to_str().unwrap().to_string())
                .unwrap_or_default()
        };
        let csp = h("content-security-policy");
        assert!(csp.contains("frame-ancestors 'none'"), "{path}: {csp}");
        assert!(csp.contains("'wasm-unsafe-eval'"), "{path}: {csp}");
        let nonce = csp
            .split("'nonce-")
            .nth(1)
            .and_then(|s| s.split('\'').next())
            .unwrap_or("");
        assert!(nonce.len() >= 16, "{path}: {csp}");
        // The hydration script carries the same nonce, so hydration runs under the policy.
        assert!(
            res.body.contains(&format!("nonce=\"{nonce}\"")),
            "{path}: script nonce"
        );
        assert_eq!(h("referrer-policy"), "no-referrer", "{path}");
        assert_eq!(h("x-content-type-options"), "nosniff", "{path}");
        assert_eq!(h("cache-control"), "no-store", "{path}");
        assert!(
            res.headers.get("strict-transport-security").is_none(),
            "no HSTS over http"
        );
    }
    // A second page load gets a fresh nonce.
    let a = app.get("/get-link", None).await.headers["content-security-policy"].clone();
    let b = app.get("/get-link", None).await.headers["content-security-policy"].clone();
    assert_ne!(a, b);
}

/// A file served while someone else's page is still rendering takes none of that page's
/// headers: a render leaves its reactive owner current on the thread, and leptos_axum's file
/// handler looked up response options there (`server::http::owner`). One test runtime is one
/// thread, so the race a busy server meets by chance is made here on purpose.
#[tokio::test]
async fn a_file_served_beside_someone_elses_page_takes_none_of_its_headers() {
    let pool = fresh_db().await;
    let site = std::env::temp_dir().join(format!("cr-site-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(site.join("pkg")).unwrap();
    std::fs::write(site.join("pkg/customer-room.css"), "main{}").unwrap();
    let app = TestApp::serving_site(pool, &site).await;
    common::staff::owner(&app, "office@example.com", common::staff::PASSWORD).await;
    let office = common::staff::cookie(&app, "office@example.com", common::staff::PASSWORD).await;
    let board = Request::get("/staff/board")
        .header(header::ACCEPT, "text/html")
        .header(header::COOKIE, &office)
        .body(Body::empty())
        .unwrap();
    // The board's data waits behind a lock, so its render is caught half-way: its shell
    // has set the page's cookie, its answer is not built yet.
    let mut lock = app.state.pool.begin().await.unwrap();
    sqlx::query("LOCK TABLE quotes IN ACCESS EXCLUSIVE MODE")
        .execute(&mut *lock)
        .await
        .unwrap();
    let mut board = Box::pin(app.send(board));
    let mut waiting = false;
    for _ in 0..500 {
        assert!(
            futures::poll!(board.as_mut()).is_pending(),
            "the board was answered without reading quotes"
        );
        waiting = app
            .count(
                "SELECT count(*) FROM pg_stat_activity
                 WHERE datname = current_database() AND wait_event_type = 'Lock'",
            )
            .await
            > 0;
        if waiting {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(2)).await;
    }
    assert!(waiting, "the board never reached its data");

    // Someone else's browser fetches the stylesheet meanwhile.
    let file = app.get("/pkg/customer-room.css", None).await;
    assert_eq!(file.status, StatusCode::OK, "{}", file.body);
    assert_eq!(file.body, "main{}");
    let cookies: Vec<_> = file.headers.get_all(header::SET_COOKIE).iter().collect();
    assert!(
        cookies.is_empty(),
        "the stylesheet set cookies: {cookies:?}"
    );

    lock.commit().await.unwrap();
    let board = board.await;
    assert_eq!(board.status, StatusCode::OK, "{}", board.body);
    let board_cookies = format!("{:?}", board.headers.get_all(header::SET_COOKIE));
    assert!(board_cookies.contains("/staff/board"), "{board_cookies}");
    let _ = std::fs::remove_dir_all(&site);
}

#[tokio::test]
async fn benchmark_routes_are_not_in_the_app() {
    let pool = fresh_db().await;
    let app = TestApp::new(pool).await;
    let res = app.get("/bench/ping-db", None).await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn every_refusal_has_its_own_status() {
    let pool = fresh_db().await;
    let app = TestApp::new(pool).await;
    let (reference, cookie) = customer(&app, "jo@example.com").await;
    let other = submit_other_request(&app, "sam@example.com", vec![]).await;
    let other_ref = other.reference().to_string();

    // 401: nobody signed in.
    let res = app.call("room", &[("reference", &reference)], None).await;
    assert_denied(
        &res,
        StatusCode::UNAUTHORIZED,
        &default_secrets(&reference, "jo@example.com"),
        "nobody signed in",
    );
    // 403: someone else's room, as data and as a page; nothing of it in the answer.
    let res = app
        .call("room", &[("reference", &other_ref)], Some(&cookie))
        .await;
    assert_denied(
        &res,
        StatusCode::FORBIDDEN,
        &other.secrets(),
        "another's room data",
    );
    let page = app.get(&format!("/room/{other_ref}"), Some(&cookie)).await;
    assert_page_denied(
        &page,
        StatusCode::FORBIDDEN,
        &other.secrets(),
        &other_ref,
        "another's room page",
    );
    // A room that doesn't exist looks the same as someone else's (no guessing references).
    let missing = app.get("/room/CR-ZZZ234", Some(&cookie)).await;
    assert_eq!(missing.status, StatusCode::FORBIDDEN);
    assert!(missing.body.contains("<title>Request CR-ZZZ234</title>"));
    // 422: a value we understood but can't accept.
    let res = app
        .call(
            "room_message",
            &[
                ("reference", &reference),
                ("body", "   "),
                ("topic", ""),
                ("client_key", "k"),
            ],
            Some(&cookie),
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.body);
    // 400: a request we can't read (a required argument missing).
    let res = app
        .call("room_message", &[("reference", &reference)], Some(&cookie))
        .await;
    assert_eq!(res.status, StatusCode::BAD_REQUEST, "{}", res.body);
    // 404: an unknown page.
    assert_eq!(
        app.get("/no-such-page", None).await.status,
        StatusCode::NOT_FOUND
    );
    // 401: wrong password.
    let res = app
        .call(
            "staff_sign_in",
            &[("email", "x@example.com"), ("password", "nope-nope-nope")],
            None,
        )
        .await;
    assert_eq!(res.status, StatusCode::UNAUTHORIZED, "{}", res.body);
}
