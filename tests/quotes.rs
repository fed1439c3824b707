//! Quotes: previewed, sent, approved once, expiry.
#![cfg(feature = "ssr")]
mod common;

use axum::http::StatusCode;
use common::*;
use customer_room::model::room::{Card, QuoteStatus};
use sqlx::PgPool;

#[sqlx::test]
async fn quotes_are_previewed_sent_and_approved_once_with_the_rules_enforced(pool: PgPool) {
    let app = TestApp::new(pool).await;
    let (reference, cookie) = signed_in_customer(&app, "jo@example.com").await;
    let staff = staff_cookie(&app).await;
    workflow::accept(&app, &reference, &staff).await;
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
        room_view(&app, &reference, &cookie).await.quote.is_none(),
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
    let view = room_view(&app, &reference, &cookie).await;
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
        room_view(&app, &reference, &cookie).await.recommended,
        Card::CheckStatus
    );
}

#[sqlx::test]
async fn an_expired_quote_cannot_be_approved_but_can_be_declined(pool: PgPool) {
    let app = TestApp::new(pool).await;
    let (reference, cookie) = signed_in_customer(&app, "jo@example.com").await;
    let staff = staff_cookie(&app).await;
    workflow::accept(&app, &reference, &staff).await;
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
