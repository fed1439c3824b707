//! Room actions under races and hostile text.
use super::*;

/// Two versions that are both open (data from before the rule, or a race with staff): two
/// phones approving at once — exactly one approval stands, and it is the newest version.
#[tokio::test]
async fn only_the_newest_quote_can_be_approved_and_only_once() {
    let pool = fresh_db().await;
    let app = TestApp::new(pool).await;
    let (reference, cookie) = customer(&app, "jo@example.com").await;
    let staff = staff_cookie(&app).await;
    workflow::accept(&app, &reference, &staff).await;
    let mut ids = Vec::new();
    for price in ["99", "90"] {
        let saved = app
            .call(
                "staff_quote_save",
                &[
                    ("reference", &reference),
                    ("lines[0][description]", "Labour"),
                    ("lines[0][quantity]", "1"),
                    ("lines[0][unit_price]", price),
                    ("valid_until", "2030-01-01"),
                    ("tax_percent", "10"),
                ],
                Some(&staff),
            )
            .await;
        assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
        let view = app
            .call("staff_room", &[("reference", &reference)], Some(&staff))
            .await
            .json();
        let id = view["quotes"][0]["id"].as_str().unwrap().to_string();
        let sent = app
            .call(
                "staff_quote_send",
                &[("reference", &reference), ("quote_id", &id)],
                Some(&staff),
            )
            .await;
        assert_eq!(sent.status, StatusCode::OK, "{}", sent.body);
        ids.push(id);
    }
    // Re-open version 1 as if both were still out.
    sqlx::query("UPDATE quotes SET status = 'sent' WHERE id = $1::uuid")
        .bind(&ids[0])
        .execute(&app.state.pool)
        .await
        .unwrap();
    let approve = |id: String| {
        let (app, reference, cookie) = (&app, reference.clone(), cookie.clone());
        async move {
            app.call(
                "quote_approve",
                &[
                    ("reference", &reference),
                    ("quote_id", &id),
                    ("typed_name", "Jo Citizen"),
                ],
                Some(&cookie),
            )
            .await
        }
    };
    let (a, b) = tokio::join!(approve(ids[0].clone()), approve(ids[1].clone()));
    assert_eq!(a.status, StatusCode::CONFLICT, "v1: {}", a.body);
    // Whichever is decided second is told why: v2 is newer, or v2 is already approved.
    let why = a.error_text();
    assert!(
        why.contains("newer version") || why.contains("approved quote version 2"),
        "{why}"
    );
    assert_eq!(b.status, StatusCode::OK, "v2: {}", b.body);
    assert_eq!(
        app.count("SELECT count(*) FROM quotes WHERE status = 'approved'")
            .await,
        1
    );
    // Once one is approved, declining it (or anything else) is refused.
    let declined = app
        .call(
            "quote_decline",
            &[
                ("reference", &reference),
                ("quote_id", &ids[1]),
                ("reason", "x"),
            ],
            Some(&cookie),
        )
        .await;
    assert_eq!(declined.status, StatusCode::CONFLICT, "{}", declined.body);
}

#[tokio::test]
async fn room_actions_never_hold_two_connections() {
    let pool = fresh_db().await;
    let small = sqlx::postgres::PgPoolOptions::new()
        .max_connections(2)
        .acquire_timeout(std::time::Duration::from_secs(3))
        .connect_with((*pool.connect_options()).clone())
        .await
        .unwrap();
    let app = TestApp::new(small).await;
    let (reference, cookie) = customer(&app, "jo@example.com").await;
    let staff = staff_cookie(&app).await;
    let calls = (0..10).map(|i| {
        let (app, reference, cookie, staff) =
            (&app, reference.clone(), cookie.clone(), staff.clone());
        async move {
            let key = format!("key-{i}");
            if i % 2 == 0 {
                let text = format!("Message {i}");
                app.call(
                    "room_message",
                    &[
                        ("reference", &reference),
                        ("body", &text),
                        ("topic", ""),
                        ("client_key", &key),
                    ],
                    Some(&cookie),
                )
                .await
            } else {
                let text = format!("Update {i}");
                app.call(
                    "staff_update",
                    &[
                        ("reference", &reference),
                        ("body", &text),
                        ("client_key", &key),
                    ],
                    Some(&staff),
                )
                .await
            }
        }
    });
    for res in futures::future::join_all(calls).await {
        assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    }
}

/// Hidden characters are refused at the edge with a message naming the field — never a
/// database error, never stored.
#[tokio::test]
async fn nul_and_control_characters_are_refused_before_the_database() {
    let pool = fresh_db().await;
    let app = TestApp::new(pool).await;
    let (reference, cookie) = customer(&app, "jo@example.com").await;
    let staff = staff_cookie(&app).await;
    let before = app.count("SELECT count(*) FROM messages").await;
    let events = app.count("SELECT count(*) FROM request_events").await;
    // (server function, form fields, cookie, what the refusal must say)
    type Case<'a> = (&'a str, Vec<(&'a str, &'a str)>, &'a str, &'a str);
    let cases: Vec<Case> = vec![
        (
            "room_message",
            vec![("body", "hi\0there"), ("topic", ""), ("client_key", "k1")],
            &cookie,
            "Your message",
        ),
        (
            "room_message",
            vec![("body", "hi"), ("topic", ""), ("client_key", "k\0")],
            &cookie,
            "retry key",
        ),
        (
            "room_help",
            vec![
                ("callback_window", "none"),
                ("note", "call\0me"),
                ("client_key", "h1"),
            ],
            &cookie,
            "Your note",
        ),
        (
            "staff_update",
            vec![("body", "on\0its way"), ("client_key", "u1")],
            &staff,
            "The update",
        ),
        (
            "staff_note",
            vec![("body", "x\u{1b}[31m"), ("client_key", "n1")],
            &staff,
            "The note",
        ),
        (
            "staff_status",
            vec![("status", "declined"), ("reason", "no\0")],
            &staff,
            "The reason",
        ),
    ];
    for (endpoint, mut fields, cookie, names) in cases {
        fields.insert(0, ("reference", &reference));
        let res = app.call(endpoint, &fields, Some(cookie)).await;
        assert_eq!(
            res.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{endpoint}: {}",
            res.body
        );
        assert!(res.error_text().contains(names), "{endpoint}: {}", res.body);
    }
    let long = "a".repeat(4001);
    let res = app
        .call(
            "room_message",
            &[
                ("reference", &reference),
                ("body", &long),
                ("topic", ""),
                ("client_key", "k2"),
            ],
            Some(&cookie),
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        res.error_text().contains("under 4000 characters"),
        "{}",
        res.body
    );
    assert_eq!(app.count("SELECT count(*) FROM messages").await, before);
    assert_eq!(
        app.count("SELECT count(*) FROM request_events").await,
        events
    );
}
