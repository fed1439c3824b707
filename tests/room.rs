#![cfg(feature = "ssr")]
mod common;

use axum::http::StatusCode;
use common::*;
use customer_room::model::room::{Card, QuoteStatus, RoomView};
use sqlx::PgPool;

async fn room(app: &TestApp, reference: &str, cookie: &str) -> RoomView {
    let res = app
        .call("room", &[("reference", reference)], Some(cookie))
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    serde_json::from_str(&res.body).unwrap()
}

/// A customer with a request, signed in from their emailed link.
async fn customer(app: &TestApp, email: &str) -> (String, String) {
    let sent = submit_request(app, email, vec![]).await;
    let (_, cookie) = open_latest_link(app, email).await;
    (sent.reference, cookie.unwrap())
}

#[sqlx::test]
async fn messages_keep_the_reference_mask_card_numbers_and_are_not_doubled_by_retries(
    pool: PgPool,
) {
    let app = TestApp::new(pool).await;
    let (reference, cookie) = customer(&app, "jo@example.com").await;
    let msg = [
        ("reference", reference.as_str()),
        ("body", "Card 4111 1111 1111 1111, when can you come?"),
        ("topic", "quote"),
        ("client_key", "k1"),
    ];
    assert_eq!(
        app.call("room_message", &msg, Some(&cookie)).await.status,
        StatusCode::OK
    );
    assert_eq!(
        app.call("room_message", &msg, Some(&cookie)).await.status,
        StatusCode::OK,
        "a retry succeeds quietly"
    );
    let view = room(&app, &reference, &cookie).await;
    assert_eq!(view.messages.len(), 1);
    assert_eq!(
        view.messages[0].body,
        "Card [card number hidden, ending 1111], when can you come?"
    );
    assert_eq!(view.messages[0].topic, "quote");
    assert!(!view.messages[0].from_staff);

    let empty = app
        .call(
            "room_message",
            &[
                ("reference", &reference),
                ("body", "  "),
                ("topic", "general"),
                ("client_key", "k2"),
            ],
            Some(&cookie),
        )
        .await;
    assert!(empty.error_text().contains("write your message"));

    // Staff answer in the same thread; the customer gets an alert that points back to the room.
    let staff = staff_cookie(&app).await;
    let reply = [
        ("reference", reference.as_str()),
        ("body", "Tomorrow at 9."),
        ("topic", "general"),
        ("client_key", "s1"),
    ];
    assert_eq!(
        app.call("room_message", &reply, Some(&staff)).await.status,
        StatusCode::OK
    );
    let view = room(&app, &reference, &cookie).await;
    assert_eq!(view.messages.len(), 2);
    assert!(view.messages[1].from_staff && view.messages[1].author == "Sam");
    let alert = &app.outbox_for("jo@example.com").await[0];
    assert!(
        alert.1.contains(&reference)
            && alert.2.contains("/r/")
            && !alert.2.contains("Tomorrow at 9.")
    );

    // Another customer can't post into this thread or read it.
    let (_, other) = customer(&app, "sam@example.com").await;
    let intrude = [
        ("reference", reference.as_str()),
        ("body", "hi"),
        ("topic", "general"),
        ("client_key", "x"),
    ];
    let mut secrets = default_secrets(&reference, "jo@example.com");
    secrets.extend(["when can you come", "Tomorrow at 9."]);
    let posted = app.call("room_message", &intrude, Some(&other)).await;
    assert_denied(
        &posted,
        StatusCode::FORBIDDEN,
        &secrets,
        "posting into another's thread",
    );
    let read = app
        .call("room", &[("reference", &reference)], Some(&other))
        .await;
    assert_denied(
        &read,
        StatusCode::FORBIDDEN,
        &secrets,
        "reading another's thread",
    );
    assert_eq!(room(&app, &reference, &cookie).await.messages.len(), 2);
}

#[sqlx::test]
async fn staff_updates_and_asks_reach_the_room_but_internal_notes_never_do(pool: PgPool) {
    let app = TestApp::new(pool).await;
    let (reference, cookie) = customer(&app, "jo@example.com").await;
    let staff = staff_cookie(&app).await;
    assert_eq!(
        app.call(
            "staff_note",
            &[
                ("reference", &reference),
                ("body", "Customer was rude on the phone")
            ],
            Some(&staff)
        )
        .await
        .status,
        StatusCode::OK
    );
    let update = [
        ("reference", reference.as_str()),
        ("body", "We're checking parts availability."),
        ("client_key", "u1"),
    ];
    assert_eq!(
        app.call("staff_update", &update, Some(&staff)).await.status,
        StatusCode::OK
    );
    assert_eq!(
        app.call("staff_update", &update, Some(&staff)).await.status,
        StatusCode::OK,
        "a retried post"
    );
    assert_eq!(
        app.count("SELECT count(*) FROM request_events WHERE kind = 'update'")
            .await,
        1
    );
    let raw = app
        .call("room", &[("reference", &reference)], Some(&cookie))
        .await
        .body;
    assert!(
        !raw.contains("rude"),
        "internal note leaked to the customer"
    );
    let page = app
        .get(&format!("/room/{reference}"), Some(&cookie))
        .await
        .body;
    assert!(!page.contains("rude"));
    let view = room(&app, &reference, &cookie).await;
    assert_eq!(view.updates[0].body, "We're checking parts availability.");
    assert_eq!(view.recommended, Card::CheckStatus);

    // Customers can't use staff actions.
    let secrets = [
        "rude",
        "parts availability",
        "office@example.com",
        "Sam Office",
    ];
    let fake = app
        .call(
            "staff_update",
            &[("reference", &reference), ("body", "fake")],
            Some(&cookie),
        )
        .await;
    assert_denied(
        &fake,
        StatusCode::FORBIDDEN,
        &secrets,
        "customer posting an update",
    );
    let staff_room = app
        .call("staff_room", &[("reference", &reference)], Some(&cookie))
        .await;
    assert_denied(
        &staff_room,
        StatusCode::FORBIDDEN,
        &secrets,
        "customer reading the staff room",
    );
    assert_eq!(
        app.count("SELECT count(*) FROM request_events WHERE kind = 'update'")
            .await,
        1
    );

    // Asking for photos highlights Add photos with the staff wording, until photos arrive.
    app.call(
        "staff_ask",
        &[
            ("reference", &reference),
            ("kind", "photos"),
            ("text", "Please send a photo of the meter box."),
        ],
        Some(&staff),
    )
    .await;
    let view = room(&app, &reference, &cookie).await;
    assert_eq!(view.recommended, Card::AddPhotos);
    assert_eq!(
        view.ask.as_deref(),
        Some("Please send a photo of the meter box.")
    );
    let up = app
        .multipart(
            &format!("/room/{reference}/photos"),
            &[
                Part::Text("client_key", "p1"),
                Part::File("files", "meter.png", png_bytes(40, 40)),
            ],
            Some(&cookie),
            true,
        )
        .await;
    assert_eq!(up.status, StatusCode::OK, "{}", up.body);
    assert_eq!(
        room(&app, &reference, &cookie).await.recommended,
        Card::CheckStatus
    );
}

#[sqlx::test]
async fn the_timeline_follows_status_changes_with_customer_wording(pool: PgPool) {
    let app = TestApp::new(pool).await;
    let (reference, cookie) = customer(&app, "jo@example.com").await;
    let staff = staff_cookie(&app).await;
    let view = room(&app, &reference, &cookie).await;
    assert!(view.timeline[0].done_at.is_some());
    assert!(view.timeline[1..].iter().all(|s| s.done_at.is_none()));
    app.call(
        "staff_status",
        &[
            ("reference", &reference),
            ("status", "accepted"),
            ("reason", "We service Sydney"),
        ],
        Some(&staff),
    )
    .await;
    let bad = app
        .call(
            "staff_status",
            &[
                ("reference", &reference),
                ("status", "scheduled"),
                ("date", ""),
                ("technician", "Jake"),
            ],
            Some(&staff),
        )
        .await;
    assert!(bad.error_text().contains("date"));
    let ok = app
        .call(
            "staff_status",
            &[
                ("reference", &reference),
                ("status", "scheduled"),
                ("date", "2030-01-08"),
                ("window", "morning"),
                ("technician", "Jake Smith"),
            ],
            Some(&staff),
        )
        .await;
    assert_eq!(ok.status, StatusCode::OK, "{}", ok.body);
    let view = room(&app, &reference, &cookie).await;
    assert_eq!(
        view.timeline[2].detail.as_deref(),
        Some("We can help: We service Sydney")
    );
    let scheduled = view.timeline[4].detail.clone().unwrap();
    assert!(
        scheduled.contains("Tuesday")
            && scheduled.contains("Morning")
            && scheduled.contains("Jake")
            && !scheduled.contains("Smith")
    );
    assert!(view.timeline[5].done_at.is_none());
}

#[sqlx::test]
async fn quotes_are_previewed_sent_and_approved_once_with_the_rules_enforced(pool: PgPool) {
    let app = TestApp::new(pool).await;
    let (reference, cookie) = customer(&app, "jo@example.com").await;
    let staff = staff_cookie(&app).await;
    let save = |valid: &'static str, price: &'static str| {
        let reference = reference.clone();
        let staff = staff.clone();
        let app = &app;
        async move {
            app.call(
                "staff_quote_save",
                &[
                    ("reference", &reference),
                    ("lines[0][description]", "Labour"),
                    ("lines[0][quantity]", "1.5"),
                    ("lines[0][unit_price]", price),
                    ("lines[1][description]", ""),
                    ("lines[1][quantity]", ""),
                    ("lines[1][unit_price]", ""),
                    ("valid_until", valid),
                    ("notes", "Includes call-out"),
                    ("tax_percent", "10"),
                ],
                Some(&staff),
            )
            .await
        }
    };
    let bad = app
        .call(
            "staff_quote_save",
            &[
                ("reference", &reference),
                ("lines[0][description]", "Labour"),
                ("lines[0][quantity]", "1"),
                ("lines[0][unit_price]", "abc"),
                ("valid_until", "2030-01-01"),
            ],
            Some(&staff),
        )
        .await;
    assert!(
        bad.error_text().contains("Line 1: unit price"),
        "{}",
        bad.body
    );
    assert_eq!(save("2030-01-01", "99").await.status, StatusCode::OK);
    assert!(
        room(&app, &reference, &cookie).await.quote.is_none(),
        "drafts stay private"
    );

    let staff_view: serde_json::Value = app
        .call("staff_room", &[("reference", &reference)], Some(&staff))
        .await
        .json();
    let v1 = staff_view["quotes"][0]["id"].as_str().unwrap().to_string();
    assert_eq!(
        app.call(
            "staff_quote_send",
            &[("reference", &reference), ("quote_id", &v1)],
            Some(&staff)
        )
        .await
        .status,
        StatusCode::OK
    );
    let view = room(&app, &reference, &cookie).await;
    let q = view.quote.clone().unwrap();
    assert_eq!((q.version, q.status), (1, QuoteStatus::Sent));
    assert_eq!(q.total().cents(), 16_335, "1.5 × $99 + 10% GST");
    assert_eq!(view.recommended, Card::ReviewQuote);

    // A revised quote supersedes version 1, which can no longer be approved.
    assert_eq!(save("2030-01-01", "90").await.status, StatusCode::OK);
    let staff_view: serde_json::Value = app
        .call("staff_room", &[("reference", &reference)], Some(&staff))
        .await
        .json();
    let v2 = staff_view["quotes"][0]["id"].as_str().unwrap().to_string();
    app.call(
        "staff_quote_send",
        &[("reference", &reference), ("quote_id", &v2)],
        Some(&staff),
    )
    .await;
    let old = app
        .call(
            "quote_approve",
            &[
                ("reference", &reference),
                ("quote_id", &v1),
                ("typed_name", "Jo Citizen"),
            ],
            Some(&cookie),
        )
        .await;
    assert!(
        old.error_text().contains("replaced by a newer version"),
        "{}",
        old.body
    );

    // Approval needs the customer's name, typed deliberately.
    let wrong = app
        .call(
            "quote_approve",
            &[
                ("reference", &reference),
                ("quote_id", &v2),
                ("typed_name", "ok"),
            ],
            Some(&cookie),
        )
        .await;
    assert!(wrong.error_text().contains("Jo Citizen"));
    // Staff can't approve on the customer's behalf.
    let on_behalf = app
        .call(
            "quote_approve",
            &[
                ("reference", &reference),
                ("quote_id", &v2),
                ("typed_name", "Jo Citizen"),
            ],
            Some(&staff),
        )
        .await;
    // Refused because of who is asking: 403, like every other such refusal.
    assert_eq!(
        on_behalf.status,
        StatusCode::FORBIDDEN,
        "{}",
        on_behalf.body
    );
    assert!(on_behalf.error_text().contains("Only the customer"));
    assert_eq!(
        app.count("SELECT count(*) FROM request_events WHERE kind = 'quote_approved'")
            .await,
        0
    );
    let approve = [
        ("reference", reference.as_str()),
        ("quote_id", v2.as_str()),
        ("typed_name", " jo citizen "),
    ];
    assert_eq!(
        app.call("quote_approve", &approve, Some(&cookie))
            .await
            .status,
        StatusCode::OK
    );
    assert_eq!(
        app.call("quote_approve", &approve, Some(&cookie))
            .await
            .status,
        StatusCode::OK,
        "double tap is harmless"
    );
    assert_eq!(
        app.count("SELECT count(*) FROM request_events WHERE kind = 'quote_approved'")
            .await,
        1
    );
    let recorded: (Option<String>, bool, i32) = sqlx::query_as(
        "SELECT decision_name, decision_session IS NOT NULL AND decided_at IS NOT NULL, version FROM quotes WHERE status = 'approved'",
    )
    .fetch_one(&app.state.pool)
    .await
    .unwrap();
    assert_eq!(recorded, (Some("jo citizen".into()), true, 2));
    let declined_after = app
        .call(
            "quote_decline",
            &[("reference", &reference), ("quote_id", &v2), ("reason", "")],
            Some(&cookie),
        )
        .await;
    assert!(declined_after.error_text().contains("already responded"));
    assert_eq!(
        room(&app, &reference, &cookie).await.recommended,
        Card::CheckStatus
    );
}

#[sqlx::test]
async fn an_expired_quote_cannot_be_approved_but_can_be_declined(pool: PgPool) {
    let app = TestApp::new(pool).await;
    let (reference, cookie) = customer(&app, "jo@example.com").await;
    let staff = staff_cookie(&app).await;
    app.call(
        "staff_quote_save",
        &[
            ("reference", &reference),
            ("lines[0][description]", "Call-out"),
            ("lines[0][quantity]", "1"),
            ("lines[0][unit_price]", "120"),
            ("valid_until", "2030-01-01"),
        ],
        Some(&staff),
    )
    .await;
    let id: uuid::Uuid = sqlx::query_scalar("SELECT id FROM quotes")
        .fetch_one(&app.state.pool)
        .await
        .unwrap();
    app.call(
        "staff_quote_send",
        &[("reference", &reference), ("quote_id", &id.to_string())],
        Some(&staff),
    )
    .await;
    sqlx::query("UPDATE quotes SET valid_until = current_date - 1")
        .execute(&app.state.pool)
        .await
        .unwrap();
    let res = app
        .call(
            "quote_approve",
            &[
                ("reference", &reference),
                ("quote_id", &id.to_string()),
                ("typed_name", "Jo Citizen"),
            ],
            Some(&cookie),
        )
        .await;
    assert!(res.error_text().contains("expired"));
    let res = app
        .call(
            "quote_decline",
            &[
                ("reference", &reference),
                ("quote_id", &id.to_string()),
                ("reason", "Too dear"),
            ],
            Some(&cookie),
        )
        .await;
    assert_eq!(res.status, StatusCode::OK);
    let reason: Option<String> = sqlx::query_scalar("SELECT decision_reason FROM quotes")
        .fetch_one(&app.state.pool)
        .await
        .unwrap();
    assert_eq!(reason.as_deref(), Some("Too dear"));
}

#[sqlx::test]
async fn getting_help_flags_the_request_for_staff_once(pool: PgPool) {
    let app = TestApp::new(pool).await;
    let (reference, cookie) = customer(&app, "jo@example.com").await;
    let help = [
        ("reference", reference.as_str()),
        ("callback_window", "afternoon"),
        ("note", "Water everywhere"),
        ("client_key", "h1"),
    ];
    assert_eq!(
        app.call("room_help", &help, Some(&cookie)).await.status,
        StatusCode::OK
    );
    assert_eq!(
        app.call("room_help", &help, Some(&cookie)).await.status,
        StatusCode::OK
    );
    let view = room(&app, &reference, &cookie).await;
    assert!(view.urgent);
    assert_eq!(view.callback_window.as_deref(), Some("afternoon"));
    assert_eq!(view.messages.len(), 1);
    assert!(
        view.messages[0].body.contains("call back")
            && view.messages[0].body.contains("Water everywhere")
    );
    let staff = staff_cookie(&app).await;
    let list = app.call("staff_requests", &[], Some(&staff)).await.json();
    assert_eq!(list[0]["urgent"], true);
    app.call(
        "staff_help_done",
        &[("reference", &reference)],
        Some(&staff),
    )
    .await;
    assert!(!room(&app, &reference, &cookie).await.urgent);
}

#[sqlx::test]
async fn room_uploads_check_every_file_and_a_retry_is_stored_once(pool: PgPool) {
    let app = TestApp::new(pool).await;
    let (reference, cookie) = customer(&app, "jo@example.com").await;
    let url = format!("/room/{reference}/photos");
    let first = app
        .multipart(
            &url,
            &[
                Part::Text("client_key", "f1"),
                Part::Text("caption", "under the sink"),
                Part::File("files", "sink.jpg", jpeg_bytes(3000, 2000)),
            ],
            Some(&cookie),
            true,
        )
        .await;
    assert_eq!(first.status, StatusCode::OK, "{}", first.body);
    let retry = app
        .multipart(
            &url,
            &[
                Part::Text("client_key", "f1"),
                Part::Text("caption", "under the sink"),
                Part::File("files", "sink.jpg", jpeg_bytes(3000, 2000)),
            ],
            Some(&cookie),
            true,
        )
        .await;
    assert_eq!(retry.status, StatusCode::OK);
    let view = room(&app, &reference, &cookie).await;
    assert_eq!(view.request.attachments.len(), 1);
    assert_eq!(view.request.attachments[0].caption, "under the sink");
    // The display copy was resized and re-encoded (no camera metadata kept).
    let id = view.request.attachments[0].id;
    let display = app.get(&format!("/files/{id}"), Some(&cookie)).await;
    assert_eq!(display.status, StatusCode::OK);

    let mut truncated = jpeg_bytes(200, 200);
    truncated.truncate(truncated.len() - 200);
    for (name, bytes) in [
        (
            "x.svg",
            br#"<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>"#.to_vec(),
        ),
        ("renamed.jpg", b"%!PS-Adobe not a photo".to_vec()),
        ("bomb.png", huge_png_header()),
        ("cut.jpg", truncated),
    ] {
        let res = app
            .multipart(
                &url,
                &[
                    Part::Text("client_key", name),
                    Part::File("files", name, bytes),
                ],
                Some(&cookie),
                true,
            )
            .await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{name}");
        assert!(res.json()["errors"][0].as_str().unwrap().contains(name));
    }
    assert_eq!(
        room(&app, &reference, &cookie)
            .await
            .request
            .attachments
            .len(),
        1
    );

    // Someone else's session can't add to this request.
    let (_, other) = customer(&app, "sam@example.com").await;
    let res = app
        .multipart(
            &url,
            &[Part::File("files", "p.png", png_bytes(10, 10))],
            Some(&other),
            true,
        )
        .await;
    assert_denied(
        &res,
        StatusCode::NOT_FOUND,
        &default_secrets(&reference, "jo@example.com"),
        "adding photos to another's request",
    );
    // Without JavaScript, a good upload returns to the room's photo section.
    let res = app
        .multipart(
            &url,
            &[
                Part::Text("client_key", "nojs"),
                Part::File("files", "a.png", png_bytes(10, 10)),
                Part::File("files", "b.png", png_bytes(10, 10)),
            ],
            Some(&cookie),
            false,
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    assert!(res.location().unwrap().ends_with("#photos"));
    assert_eq!(
        room(&app, &reference, &cookie)
            .await
            .request
            .attachments
            .len(),
        3
    );
}

#[sqlx::test]
async fn viewing_the_room_changes_nothing(pool: PgPool) {
    let app = TestApp::new(pool).await;
    let (reference, cookie) = customer(&app, "jo@example.com").await;
    let before = app.count("SELECT (SELECT count(*) FROM request_events) + (SELECT count(*) FROM messages) + (SELECT count(*) FROM quotes) + (SELECT count(*) FROM outbox)").await;
    for _ in 0..3 {
        assert_eq!(
            app.get(&format!("/room/{reference}"), Some(&cookie))
                .await
                .status,
            StatusCode::OK
        );
    }
    let after = app.count("SELECT (SELECT count(*) FROM request_events) + (SELECT count(*) FROM messages) + (SELECT count(*) FROM quotes) + (SELECT count(*) FROM outbox)").await;
    assert_eq!(before, after);
    let page = app
        .get(&format!("/room/{reference}"), Some(&cookie))
        .await
        .body;
    for title in [
        "Check status",
        "Add photos",
        "Ask about a quote",
        "Review quote / continue",
        "Get human help",
        "Reply or add info",
    ] {
        assert!(page.contains(title), "missing card {title}");
    }
    assert!(page.contains("never ask for passwords, one-time codes"));
}
