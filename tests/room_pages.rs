//! A room page answered again while nothing in it changed (server::http::room_pages): never
//! older than a fresh render, never another session's page, never the same nonce or form
//! key twice.
use crate::common;

use axum::http::{header, StatusCode};
use common::*;
use sqlx::PgPool;
use uuid::Uuid;

async fn page(app: &TestApp, reference: &str, cookie: &str) -> TestResponse {
    let res = app.get(&format!("/room/{reference}"), Some(cookie)).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    res
}

/// Opens the page until it is answered from the kept copy (so a test can't pass because
/// nothing was ever kept).
async fn kept_page(app: &TestApp, reference: &str, cookie: &str) -> TestResponse {
    page(app, reference, cookie).await;
    let before = app.state.room_pages.counts().0;
    let res = page(app, reference, cookie).await;
    assert_eq!(
        app.state.room_pages.counts().0,
        before + 1,
        "the second open is answered from the kept page"
    );
    res
}

fn nonce_of(res: &TestResponse) -> String {
    let csp = res.headers[header::CONTENT_SECURITY_POLICY]
        .to_str()
        .unwrap();
    let start = csp.find("'nonce-").unwrap() + 7;
    csp[start..start + csp[start..].find('\'').unwrap()].to_string()
}

fn client_keys(body: &str) -> Vec<String> {
    body.split("name=\"client_key\" value=\"")
        .skip(1)
        .map(|s| s.split('"').next().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn a_kept_page_gets_a_new_nonce_and_form_key_on_every_answer() {
    let pool = fresh_db().await;
    let app = TestApp::new(pool).await;
    let (reference, cookie) = signed_in_customer(&app, "ana@example.com").await;
    let first = page(&app, &reference, &cookie).await;
    let second = kept_page(&app, &reference, &cookie).await;
    for res in [&first, &second] {
        let nonce = nonce_of(res);
        assert!(
            res.body.contains(&format!("nonce=\"{nonce}\"")),
            "the page's scripts carry the nonce its policy names"
        );
    }
    assert_ne!(nonce_of(&first), nonce_of(&second));
    let (a, b) = (client_keys(&first.body), client_keys(&second.body));
    assert!(!a.is_empty(), "the room's plain forms carry a key");
    assert_eq!(a.len(), b.len());
    assert!(
        a.iter().all(|k| !b.contains(k)),
        "no form key repeats: {a:?} / {b:?}"
    );
    // So two tabs of one kept page both get their messages in.
    for (key, body) in [
        (&a[0], "From the first tab"),
        (&b[0], "From the second tab"),
    ] {
        let sent = app
            .call(
                "room_message",
                &[
                    ("reference", reference.as_str()),
                    ("body", body),
                    ("topic", "general"),
                    ("client_key", key.as_str()),
                ],
                Some(&cookie),
            )
            .await;
        assert_eq!(sent.status, StatusCode::OK, "{}", sent.body);
    }
    let now = page(&app, &reference, &cookie).await;
    assert!(now.body.contains("From the first tab"));
    assert!(now.body.contains("From the second tab"));
}

#[tokio::test]
async fn the_customers_own_message_and_a_staff_update_show_on_the_next_open() {
    let pool = fresh_db().await;
    let app = TestApp::new(pool).await;
    let (reference, cookie) = signed_in_customer(&app, "ana@example.com").await;
    kept_page(&app, &reference, &cookie).await;
    let sent = app
        .call(
            "room_message",
            &[
                ("reference", reference.as_str()),
                ("body", "The tap drips at night"),
                ("topic", "general"),
                ("client_key", ""),
            ],
            Some(&cookie),
        )
        .await;
    assert_eq!(sent.status, StatusCode::OK, "{}", sent.body);
    assert!(page(&app, &reference, &cookie)
        .await
        .body
        .contains("The tap drips at night"));

    kept_page(&app, &reference, &cookie).await;
    let staff = staff_cookie(&app).await;
    let reply = app
        .call(
            "staff_update",
            &[
                ("reference", reference.as_str()),
                ("body", "We can come Tuesday morning"),
            ],
            Some(&staff),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert!(page(&app, &reference, &cookie)
        .await
        .body
        .contains("We can come Tuesday morning"));
}

#[tokio::test]
async fn a_kept_page_never_answers_another_session_or_an_ended_one() {
    let pool = fresh_db().await;
    let app = TestApp::new(pool).await;
    let (reference, cookie) = signed_in_customer(&app, "ana@example.com").await;
    let (other_ref, other) = signed_in_customer(&app, "ben@example.com").await;
    kept_page(&app, &reference, &cookie).await;
    let res = app.get(&format!("/room/{reference}"), Some(&other)).await;
    assert_page_denied(
        &res,
        StatusCode::FORBIDDEN,
        &default_secrets(&reference, "ana@example.com"),
        &reference,
        "another customer's session",
    );
    let res = app.get(&format!("/room/{reference}"), None).await;
    assert_ne!(res.status, StatusCode::OK);
    assert!(!res.body.contains("ana@example.com"));
    assert!(page(&app, &other_ref, &other)
        .await
        .body
        .contains(&other_ref));

    // A session past its expiry (which moves no version) gets no kept page either.
    kept_page(&app, &other_ref, &other).await;
    sqlx::query(
        "UPDATE sessions SET expires_at = now() - interval '1 second'
         WHERE request_id = (SELECT id FROM requests WHERE reference = $1)",
    )
    .bind(&other_ref)
    .execute(&app.state.pool)
    .await
    .unwrap();
    let res = app.get(&format!("/room/{other_ref}"), Some(&other)).await;
    assert_ne!(
        res.status,
        StatusCode::OK,
        "an expired session gets no kept page"
    );
    assert!(!res.body.contains("ben@example.com"));

    let out = app
        .call("sign_out", &[("scope", "room")], Some(&cookie))
        .await;
    assert!(
        out.status.is_success() || out.status.is_redirection(),
        "{}",
        out.body
    );
    let res = app.get(&format!("/room/{reference}"), Some(&cookie)).await;
    assert_ne!(
        res.status,
        StatusCode::OK,
        "a signed-out session gets no kept page"
    );
    assert!(!res.body.contains("ana@example.com"));
}

/// Many writes into one room at once (a customer double-tapping on two phones while the
/// office replies): each moves the room's version without waiting on another's foreign-key
/// lock, so none fails with a deadlock and every message arrives.
#[tokio::test]
async fn writes_into_one_room_at_once_all_arrive() {
    let pool = fresh_db().await;
    let app = TestApp::new(pool).await;
    let (reference, cookie) = signed_in_customer(&app, "ana@example.com").await;
    let staff = staff_cookie(&app).await;
    let sends = (0..24).map(|i| {
        let (app, reference, cookie, staff) = (&app, &reference, &cookie, &staff);
        async move {
            let (key, body) = (format!("key-{i}"), format!("Note #{i:02}"));
            let (endpoint, who) = if i % 3 == 0 {
                ("staff_update", staff)
            } else {
                ("room_message", cookie)
            };
            let mut args = vec![
                ("reference", reference.as_str()),
                ("body", body.as_str()),
                ("client_key", key.as_str()),
            ];
            if endpoint == "room_message" {
                args.push(("topic", "general"));
            }
            app.call(endpoint, &args, Some(who)).await
        }
    });
    for res in futures::future::join_all(sends).await {
        assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    }
    let updates = app
        .count(
            "SELECT count(*) FROM request_events WHERE body LIKE 'Note #%' AND visible_to_customer",
        )
        .await;
    assert_eq!(updates, 8, "every office update is kept once");
    // The thread shows every message.
    let now = page(&app, &reference, &cookie).await;
    for i in (0..24).filter(|i| i % 3 != 0) {
        assert!(
            now.body.contains(&format!("Note #{i:02}")),
            "note {i} shows"
        );
    }
}

/// Every table the room reads moves the room's version in the same write, so a kept page
/// is never served after any of them changed (the list in the migration, one by one).
#[tokio::test]
async fn every_change_the_room_shows_moves_its_version() {
    let pool = fresh_db().await;
    let app = TestApp::new(pool.clone()).await;
    let (reference, _) = signed_in_customer(&app, "ana@example.com").await;
    let id: Uuid = sqlx::query_scalar("SELECT id FROM requests WHERE reference = $1")
        .bind(&reference)
        .fetch_one(&pool)
        .await
        .unwrap();
    sqlx::query("UPDATE requests SET contact_phone = '+61400111222' WHERE id = $1")
        .bind(id)
        .execute(&pool)
        .await
        .unwrap();
    let tech = Uuid::new_v4();
    sqlx::query(
        "INSERT INTO staff (id, email, display_name, role, password_hash)
         VALUES ($1, 'tech@example.com', 'Tia Tech', 'technician', 'x')",
    )
    .bind(tech)
    .execute(&pool)
    .await
    .unwrap();
    let changes: &[(&str, &str)] = &[
        ("the request", "UPDATE requests SET notes = 'Also the laundry tap' WHERE id = $1"),
        ("a message", "INSERT INTO messages (id, request_id, sender, author, body) VALUES (gen_random_uuid(), $1, 'staff', 'Sam', 'Hello')"),
        ("a photo", "INSERT INTO attachments (id, request_id, file_name, kind, byte_size) VALUES (gen_random_uuid(), $1, 'a.jpg', 'image/jpeg', 10)"),
        ("a photo's caption", "UPDATE attachments SET caption = 'Under the sink' WHERE request_id = $1"),
        ("an update", "INSERT INTO request_events (id, request_id, kind, body) VALUES (gen_random_uuid(), $1, 'note', 'On our way')"),
        ("a quote", "INSERT INTO quotes (id, request_id, version, status, lines, tax_rate_bp, valid_until) VALUES (gen_random_uuid(), $1, 1, 'sent', '[]', 1000, current_date + 14)"),
        ("the quote's answer", "UPDATE quotes SET status = 'approved' WHERE request_id = $1"),
        ("a visit", "INSERT INTO jobs (request_id, kind, location, starts_at, ends_at, technician_id) SELECT $1, 'work_order', 'Home', now() + interval '1 day', now() + interval '25 hours', id FROM staff WHERE email = 'tech@example.com'"),
        ("the technician's name", "UPDATE staff SET display_name = 'Tia T.' WHERE email = 'tech@example.com' AND $1::uuid IS NOT NULL"),
        ("proof", "INSERT INTO proofs (request_id, customer_words, wording, attribution) VALUES ($1, 'Great', 'Great', 'Ana')"),
        ("feedback", "INSERT INTO feedback (request_id, step, body, client_key) VALUES ($1, 'visit', 'Quick', 'k')"),
        ("texts turned off", "INSERT INTO sms_consent (phone, opted_out, source) SELECT contact_phone, true, 'room' FROM requests WHERE id = $1"),
        ("a new device", "INSERT INTO sessions (id_hash, kind, contact, expires_at, device) SELECT sha256(gen_random_uuid()::text::bytea), 'customer', contact_email, now() + interval '1 day', 'Phone' FROM requests WHERE id = $1"),
        ("a device signed out", "DELETE FROM sessions WHERE kind = 'customer' AND device = 'Phone' AND $1::uuid IS NOT NULL"),
        ("a new room link", "INSERT INTO access_tokens (token_hash, purpose, contact, expires_at) SELECT sha256(gen_random_uuid()::text::bytea), 'room', contact_email, now() + interval '1 day' FROM requests WHERE id = $1"),
        ("a room link ended", "DELETE FROM access_tokens WHERE purpose = 'room' AND request_id IS NULL AND $1::uuid IS NOT NULL"),
    ];
    for (what, sql) in changes {
        let version = |pool: PgPool| async move {
            sqlx::query_scalar::<_, i64>("SELECT view_version FROM requests WHERE id = $1")
                .bind(id)
                .fetch_one(&pool)
                .await
                .unwrap()
        };
        let before = version(pool.clone()).await;
        let done = sqlx::query(sql).bind(id).execute(&pool).await;
        assert!(done.is_ok_and(|d| d.rows_affected() > 0), "{what}: {sql}");
        assert!(
            version(pool.clone()).await > before,
            "{what} moves the room's version"
        );
    }
    // Staff-only notes and a device merely seen again leave kept pages alone.
    for sql in [
        "INSERT INTO request_events (id, request_id, kind, body, visible_to_customer) VALUES (gen_random_uuid(), $1, 'note', 'Staff only', false)",
        "UPDATE sessions SET last_seen_at = now() WHERE kind = 'customer' AND $1::uuid IS NOT NULL",
    ] {
        let before: i64 = sqlx::query_scalar("SELECT view_version FROM requests WHERE id = $1")
            .bind(id)
            .fetch_one(&pool)
            .await
            .unwrap();
        sqlx::query(sql).bind(id).execute(&pool).await.unwrap();
        let after: i64 = sqlx::query_scalar("SELECT view_version FROM requests WHERE id = $1")
            .bind(id)
            .fetch_one(&pool)
            .await
            .unwrap();
        assert_eq!(after, before, "{sql}");
    }
}
