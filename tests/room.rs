use crate::common;

use axum::http::StatusCode;
use common::*;
use customer_room::model::room::Card;

#[tokio::test]
async fn messages_keep_the_reference_mask_card_numbers_and_are_not_doubled_by_retries() {
    let pool = fresh_db().await;
    let app = TestApp::new(pool).await;
    let (reference, cookie) = signed_in_customer(&app, "jo@example.com").await;
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
    let view = room_view(&app, &reference, &cookie).await;
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
    let view = room_view(&app, &reference, &cookie).await;
    assert_eq!(view.messages.len(), 2);
    assert!(view.messages[1].from_staff && view.messages[1].author == "Sam");
    let alert = &app.outbox_for("jo@example.com").await[0];
    assert!(
        alert.1.contains(&reference)
            && alert.2.contains("/r/")
            && !alert.2.contains("Tomorrow at 9.")
    );

    // Another customer can't post into this thread or read it.
    let (_, other) = signed_in_customer(&app, "sam@example.com").await;
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
    assert_eq!(room_view(&app, &reference, &cookie).await.messages.len(), 2);
}

#[tokio::test]
async fn staff_updates_and_asks_reach_the_room_but_internal_notes_never_do() {
    let pool = fresh_db().await;
    let app = TestApp::new(pool).await;
    let (reference, cookie) = signed_in_customer(&app, "jo@example.com").await;
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
    let view = room_view(&app, &reference, &cookie).await;
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
    let view = room_view(&app, &reference, &cookie).await;
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
        room_view(&app, &reference, &cookie).await.recommended,
        Card::CheckStatus
    );
}

#[tokio::test]
async fn the_timeline_follows_status_changes_with_customer_wording() {
    let pool = fresh_db().await;
    let app = TestApp::new(pool).await;
    let (reference, cookie) = signed_in_customer(&app, "jo@example.com").await;
    let staff = staff_cookie(&app).await;
    let view = room_view(&app, &reference, &cookie).await;
    assert!(view.timeline[0].done_at.is_some());
    assert!(view.timeline[1..].iter().all(|s| s.done_at.is_none()));
    let accepted = app
        .call(
            "staff_status",
            &[
                ("reference", &reference),
                ("status", "accepted"),
                ("reason", "We service Sydney"),
            ],
            Some(&staff),
        )
        .await;
    assert_eq!(accepted.status, StatusCode::OK, "{}", accepted.body);
    let (tech, _) = workflow::technician(&app, "jake@example.com", "Jake Smith").await;
    let bad = workflow::make_job(&app, &reference, &staff, tech, "").await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bad.error_text(), "Choose the day of the job.");
    let ok = workflow::make_job(&app, &reference, &staff, tech, "2030-01-08").await;
    assert_eq!(ok.status, StatusCode::OK, "{}", ok.body);
    let view = room_view(&app, &reference, &cookie).await;
    assert_eq!(
        view.timeline[2].detail.as_deref(),
        Some("We can help: We service Sydney")
    );
    assert_eq!(
        view.timeline[4].detail.as_deref(),
        Some("Tuesday 8 January, 9:00 am – 11:00 am · Technician: Jake"),
        "the day and times as the business entered them, the technician's first name only"
    );
    assert!(view.timeline[4].done_at.is_some());
    assert!(view.timeline[5].done_at.is_none());
    assert!(view.updates[0]
        .body
        .starts_with("Your job is booked for Tuesday 8 January"));
    assert!(
        !view.updates.iter().any(|u| u.body.contains("ladder")),
        "the technician's notes never reach the room"
    );
}

#[tokio::test]
async fn getting_help_flags_the_request_for_staff_once() {
    let pool = fresh_db().await;
    let app = TestApp::new(pool).await;
    let (reference, cookie) = signed_in_customer(&app, "jo@example.com").await;
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
    let view = room_view(&app, &reference, &cookie).await;
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
    assert!(!room_view(&app, &reference, &cookie).await.urgent);
}

#[tokio::test]
async fn viewing_the_room_changes_nothing() {
    let pool = fresh_db().await;
    let app = TestApp::new(pool).await;
    let (reference, cookie) = signed_in_customer(&app, "jo@example.com").await;
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

/// Two customers opening their rooms at the same moment each get their own whole page. Leptos
/// reads the page title after the render, outside the request's own reactive arena: a title
/// that read the route's params then found another request's arena (a panic, a dropped
/// connection — or that request's reference) once pages overlapped.
#[tokio::test]
async fn rooms_opened_at_once_each_get_their_own_whole_page() {
    let pool = fresh_db().await;
    let app = TestApp::new(pool).await;
    let a = signed_in_customer(&app, "ana@example.com").await;
    let b = signed_in_customer(&app, "ben@example.com").await;
    let gets = (0..40).map(|i| {
        let ((mine, cookie), other) = if i % 2 == 0 { (&a, &b.0) } else { (&b, &a.0) };
        let app = &app;
        async move {
            let page = app.get(&format!("/room/{mine}"), Some(cookie)).await;
            (mine, other, page)
        }
    });
    for (mine, other, page) in futures::future::join_all(gets).await {
        assert_eq!(page.status, StatusCode::OK);
        let title = page
            .body
            .split("<title>")
            .nth(1)
            .and_then(|t| t.split("</title>").next());
        assert_eq!(
            title,
            Some(format!("Request {mine}").as_str()),
            "{mine}: not its own title"
        );
        assert!(
            page.body.contains("Get human help"),
            "{mine}: page cut short"
        );
        assert!(!page.body.contains(other.as_str()), "{mine}: shows {other}");
    }
}

/// A phone that loses signal while its room is loading leaves the page's data read running
/// after the request is gone; that read stops with an error instead of panicking.
#[tokio::test]
async fn a_room_left_mid_load_stops_without_a_panic() {
    let pool = fresh_db().await;
    use std::sync::atomic::{AtomicUsize, Ordering};
    static PANICS: AtomicUsize = AtomicUsize::new(0);
    let app = TestApp::new(pool).await;
    let (reference, cookie) = signed_in_customer(&app, "ana@example.com").await;
    let default_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        PANICS.fetch_add(1, Ordering::SeqCst);
        default_hook(info);
    }));
    let path = format!("/room/{reference}");
    for wait_us in (0..60).map(|i| 200 * i) {
        let page = app.get(&path, Some(&cookie));
        let _ = tokio::time::timeout(std::time::Duration::from_micros(wait_us), page).await;
    }
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let _ = std::panic::take_hook();
    assert_eq!(PANICS.load(Ordering::SeqCst), 0, "a left page panicked");
    assert_eq!(app.get(&path, Some(&cookie)).await.status, StatusCode::OK);
}
