//! Quotes: previewed, sent, approved once, expiry.
use crate::common;

use axum::http::StatusCode;
use common::*;
use customer_room::model::room::{Card, QuoteStatus};

#[tokio::test]
async fn quotes_are_previewed_sent_and_approved_once_with_the_rules_enforced() {
    let pool = fresh_db().await;
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

#[tokio::test]
async fn an_expired_quote_cannot_be_approved_but_can_be_declined() {
    let pool = fresh_db().await;
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

/// A sent quote for `reference` (one line, valid into 2030); returns its id.
async fn sent_quote(app: &TestApp, reference: &str, staff: &str) -> uuid::Uuid {
    workflow::accept(app, reference, staff).await;
    let res = app
        .call(
            "staff_quote_save",
            &[
                ("reference", reference),
                ("lines[0][description]", "Replace hot water unit"),
                ("lines[0][quantity]", "1"),
                ("lines[0][unit_price]", "1800"),
                ("valid_until", "2030-01-01"),
            ],
            Some(staff),
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let id: uuid::Uuid = sqlx::query_scalar(
        "SELECT q.id FROM quotes q JOIN requests r ON r.id = q.request_id
         WHERE r.reference = $1 ORDER BY q.version DESC LIMIT 1",
    )
    .bind(reference)
    .fetch_one(&app.state.pool)
    .await
    .unwrap();
    let res = app
        .call(
            "staff_quote_send",
            &[("reference", reference), ("quote_id", &id.to_string())],
            Some(staff),
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    id
}

#[tokio::test]
async fn asking_for_changes_is_a_message_about_that_version_and_decides_nothing() {
    let pool = fresh_db().await;
    let app = TestApp::new(pool).await;
    let (reference, cookie) = signed_in_customer(&app, "jo@example.com").await;
    let other = submit_other_request(&app, "marguerite@example.com", vec![]).await;
    let staff = staff_cookie(&app).await;
    let id = sent_quote(&app, &reference, &staff).await.to_string();
    let ask = |body: &'static str, key: &'static str| {
        let (app, cookie, reference, id) = (&app, cookie.clone(), reference.clone(), id.clone());
        async move {
            app.call(
                "quote_changes",
                &[
                    ("reference", &reference),
                    ("quote_id", &id),
                    ("body", body),
                    ("client_key", key),
                ],
                Some(&cookie),
            )
            .await
        }
    };
    let empty = ask("  ", "k0").await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    for _ in 0..2 {
        let res = ask("Could you quote a 250 L unit instead?", "k1").await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    }
    let view = room_view(&app, &reference, &cookie).await;
    let asked: Vec<_> = view
        .messages
        .iter()
        .filter(|m| m.quote_version.is_some())
        .collect();
    assert_eq!(asked.len(), 1, "a retried tap adds nothing");
    assert_eq!(asked[0].quote_version, Some(1));
    assert_eq!(asked[0].body, "Could you quote a 250 L unit instead?");
    let status: String = sqlx::query_scalar("SELECT status FROM quotes")
        .fetch_one(&app.state.pool)
        .await
        .unwrap();
    assert_eq!(status, "sent", "still open to approve or decline");
    let page = app.get(&format!("/room/{reference}"), Some(&cookie)).await;
    assert!(page.body.contains("Asked for changes to quote version 1"));
    // The office sees it waiting for an answer on the board.
    let board = app.call("staff_board", &[], Some(&staff)).await.json();
    assert!(board.to_string().contains("Question"), "{board}");

    // Staff can't ask for the customer; another customer can't ask about this quote.
    let res = app
        .call(
            "quote_changes",
            &[
                ("reference", &reference),
                ("quote_id", &id),
                ("body", "Cheaper please"),
                ("client_key", ""),
            ],
            Some(&staff),
        )
        .await;
    assert_eq!(res.status, StatusCode::FORBIDDEN, "{}", res.body);
    let res = app
        .call(
            "quote_changes",
            &[
                ("reference", &reference),
                ("quote_id", &id),
                ("body", "Cheaper please"),
                ("client_key", ""),
            ],
            Some(&other.sent.sender_cookie),
        )
        .await;
    assert_denied(
        &res,
        StatusCode::FORBIDDEN,
        &default_secrets(&reference, "jo@example.com"),
        "other customer",
    );
    // Once approved, changes are asked in the thread instead.
    let res = app
        .call(
            "quote_approve",
            &[
                ("reference", &reference),
                ("quote_id", &id),
                ("typed_name", "Jo"),
            ],
            Some(&cookie),
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let late = ask("And a new tap?", "k2").await;
    assert_eq!(late.status, StatusCode::CONFLICT);
}
