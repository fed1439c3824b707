//! The office's job board: each request in its column with the flags that say it needs
//! someone, cards needing attention first, counts, filters and search, office only.
use crate::common;

use axum::http::StatusCode;
use common::{workflow::*, *};
use serde_json::Value;

async fn board(app: &TestApp, staff: &str, filter: &[(&str, &str)]) -> Value {
    let res = app.call("staff_board", filter, Some(staff)).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    res.json()
}

/// Column label → the references in it, in board order.
fn columns(b: &Value) -> Vec<(String, Vec<String>)> {
    b["columns"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            let refs = c["cards"]
                .as_array()
                .unwrap()
                .iter()
                .map(|card| card["reference"].as_str().unwrap().to_string())
                .collect();
            (c["stage"].as_str().unwrap().to_string(), refs)
        })
        .collect()
}

fn column(b: &Value, stage: &str) -> Vec<String> {
    columns(b)
        .into_iter()
        .find(|(s, _)| s == stage)
        .map(|(_, r)| r)
        .unwrap_or_else(|| panic!("no {stage} column"))
}

fn card<'a>(b: &'a Value, reference: &str) -> &'a Value {
    b["columns"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|c| c["cards"].as_array().unwrap())
        .find(|c| c["reference"] == reference)
        .unwrap_or_else(|| panic!("{reference} not on the board"))
}

async fn quote_and_approve(app: &TestApp, r: &str, staff: &str, customer: &str) {
    app.call(
        "staff_quote_save",
        &[
            ("reference", r),
            ("lines[0][description]", "Call-out"),
            ("lines[0][quantity]", "1"),
            ("lines[0][unit_price]", "120"),
            ("valid_until", "2030-01-01"),
        ],
        Some(staff),
    )
    .await;
    let id: uuid::Uuid = sqlx::query_scalar(
        "SELECT q.id FROM quotes q JOIN requests r ON r.id = q.request_id WHERE r.reference = $1",
    )
    .bind(r)
    .fetch_one(&app.state.pool)
    .await
    .unwrap();
    let id = id.to_string();
    let sent = app
        .call(
            "staff_quote_send",
            &[("reference", r), ("quote_id", &id)],
            Some(staff),
        )
        .await;
    assert_eq!(sent.status, StatusCode::OK, "{}", sent.body);
    let ok = app
        .call(
            "quote_approve",
            &[
                ("reference", r),
                ("quote_id", &id),
                ("typed_name", "Jo Citizen"),
            ],
            Some(customer),
        )
        .await;
    assert_eq!(ok.status, StatusCode::OK, "{}", ok.body);
}

#[tokio::test]
async fn each_request_sits_in_its_column_flagged_and_the_urgent_first() {
    let pool = fresh_db().await;
    let app = TestApp::new(pool).await;
    let office = staff_cookie(&app).await;
    let (plain, _) = signed_in_customer(&app, "a@example.com").await;
    let (help, help_c) = signed_in_customer(&app, "b@example.com").await;
    let (asked, asked_c) = signed_in_customer(&app, "c@example.com").await;
    let (waiting, _) = signed_in_customer(&app, "d@example.com").await;
    let (quoted, quoted_c) = signed_in_customer(&app, "e@example.com").await;
    let (booked, _) = signed_in_customer(&app, "f@example.com").await;
    let (rejected, _) = signed_in_customer(&app, "g@example.com").await;

    app.call(
        "room_help",
        &[
            ("reference", &help),
            ("callback_window", "afternoon"),
            ("note", ""),
            ("client_key", "h"),
        ],
        Some(&help_c),
    )
    .await;
    app.call(
        "room_message",
        &[
            ("reference", &asked),
            ("body", "Is Friday OK?"),
            ("topic", "general"),
            ("client_key", "q"),
        ],
        Some(&asked_c),
    )
    .await;
    accept(&app, &waiting, &office).await;
    app.call(
        "staff_ask",
        &[
            ("reference", &waiting),
            ("kind", "photos"),
            ("text", "A photo of the meter, please"),
        ],
        Some(&office),
    )
    .await;
    accept(&app, &quoted, &office).await;
    quote_and_approve(&app, &quoted, &office, &quoted_c).await;
    accept(&app, &booked, &office).await;
    let (sam, _) = technician(&app, "sam@example.com", "Sam Fixer").await;
    assert_eq!(
        make_job(&app, &booked, &office, sam, "2030-01-08")
            .await
            .status,
        StatusCode::OK
    );
    app.call(
        "staff_status",
        &[
            ("reference", &rejected),
            ("status", "declined"),
            ("reason", "Out of area"),
        ],
        Some(&office),
    )
    .await;

    let b = board(&app, &office, &[]).await;
    let stages: Vec<String> = columns(&b).into_iter().map(|(s, _)| s).collect();
    assert_eq!(
        stages,
        [
            "New",
            "Waiting",
            "Quoted",
            "Scheduled",
            "InProgress",
            "Done"
        ]
    );
    // Needing attention first (urgent before the rest), then the longest waiting.
    assert_eq!(
        column(&b, "New"),
        [help.clone(), asked.clone(), plain.clone()]
    );
    assert_eq!(column(&b, "Waiting"), vec![waiting.clone()]);
    assert_eq!(column(&b, "Quoted"), vec![quoted.clone()]);
    assert_eq!(column(&b, "Scheduled"), vec![booked.clone()]);
    assert_eq!(card(&b, &help)["flags"][0], "Urgent");
    assert_eq!(card(&b, &asked)["flags"], serde_json::json!(["Question"]));
    assert_eq!(card(&b, &plain)["flags"], serde_json::json!([]));
    assert_eq!(
        card(&b, &quoted)["flags"],
        serde_json::json!(["QuoteApproved"])
    );
    assert_eq!(card(&b, &booked)["technician"], "Sam Fixer");
    assert!(
        !b.to_string().contains(&rejected),
        "rejected ones sit behind the filter"
    );

    let with_rejected = board(&app, &office, &[("rejected", "1")]).await;
    assert_eq!(column(&with_rejected, "Rejected"), vec![rejected.clone()]);
    let by_tech = board(&app, &office, &[("technician", &sam.to_string())]).await;
    let shown: Vec<String> = columns(&by_tech).into_iter().flat_map(|(_, r)| r).collect();
    assert_eq!(shown, vec![booked.clone()]);
    let urgent = board(&app, &office, &[("flag", "urgent")]).await;
    let shown: Vec<String> = columns(&urgent).into_iter().flat_map(|(_, r)| r).collect();
    assert_eq!(shown, vec![help.clone()]);
}

#[tokio::test]
async fn search_finds_a_request_by_reference_name_phone_in_any_format_or_email() {
    let pool = fresh_db().await;
    let app = TestApp::new(pool).await;
    let office = staff_cookie(&app).await;
    let mine = submit_request(&app, "jo@example.com", vec![]).await;
    let other = submit_other_request(&app, "marguerite@example.com", vec![]).await;
    let found =
        |b: &Value| -> Vec<String> { columns(b).into_iter().flat_map(|(_, r)| r).collect() };
    for q in [
        "0498 765 432",
        "+61 498 765 432",
        "(04) 9876-5432",
        "498765432",
        "Quinlivan",
        "marguerite quin",
        "MARGUERITE@example",
        other.reference(),
        &other.reference()[..6],
    ] {
        let b = board(&app, &office, &[("q", q)]).await;
        assert_eq!(found(&b), [other.reference().to_string()], "search {q:?}");
    }
    let b = board(&app, &office, &[("q", "0412345678")]).await;
    assert_eq!(found(&b), vec![mine.reference.clone()]);
    // LIKE wildcards typed into the box are plain characters.
    let b = board(&app, &office, &[("q", "%")]).await;
    assert!(found(&b).is_empty());
    let bad = app
        .call("staff_board", &[("q", "a\0b")], Some(&office))
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn the_board_is_for_the_office_and_works_without_javascript() {
    let pool = fresh_db().await;
    let app = TestApp::new(pool).await;
    let office = staff_cookie(&app).await;
    let (_, tech) = technician(&app, "sam@example.com", "Sam Fixer").await;
    let sent = submit_request(&app, "jo@example.com", vec![]).await;
    let denied = app.call("staff_board", &[], Some(&tech)).await;
    assert_eq!(denied.status, StatusCode::FORBIDDEN);
    assert!(!denied.body.contains(&sent.reference));
    let page = app.get("/staff/board", Some(&office)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains(&sent.reference), "server-rendered cards");
    assert!(page.body.contains("data-live=\"all\""));
    // Moving a card is a plain form post under the workflow's rules.
    assert!(page.body.contains("action=\"/api/staff_status\""));
    assert!(page.body.contains(&format!("Move {}", sent.reference)));
}

async fn ask_for_a_person(app: &TestApp, reference: &str, cookie: &str) {
    let res = app
        .call(
            "room_help",
            &[
                ("reference", reference),
                ("callback_window", ""),
                ("note", ""),
                ("client_key", reference),
            ],
            Some(cookie),
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
}

#[tokio::test]
async fn a_request_past_its_promised_call_back_comes_first() {
    let pool = fresh_db().await;
    let app = TestApp::new(pool).await;
    let office = staff_cookie(&app).await;
    let (older, older_c) = signed_in_customer(&app, "a@example.com").await;
    let (late, late_c) = signed_in_customer(&app, "b@example.com").await;
    // The room says when before asking, and after.
    let before = room_view(&app, &older, &older_c).await;
    assert!(!before.help_by.is_empty());
    ask_for_a_person(&app, &older, &older_c).await;
    ask_for_a_person(&app, &late, &late_c).await;
    let view = room_view(&app, &late, &late_c).await;
    assert!(view.urgent);
    let page = app.get(&format!("/room/{late}"), Some(&late_c)).await;
    assert!(
        page.body
            .contains(&format!("A person will contact you by {}.", view.help_by)),
        "the promise is on the help card"
    );
    // Both wait for a call; the later one asked four days ago, so its promise has passed.
    sqlx::query("UPDATE requests SET urgent_at = now() - interval '4 days' WHERE reference = $1")
        .bind(&late)
        .execute(&app.state.pool)
        .await
        .unwrap();
    let b = board(&app, &office, &[]).await;
    assert_eq!(column(&b, "New"), [late.clone(), older.clone()]);
    let cards = b["columns"][0]["cards"].as_array().unwrap();
    assert_eq!(cards[0]["flags"][0], "PastPromise");
    assert_eq!(cards[1]["flags"][0], "Urgent");
    let only = board(&app, &office, &[("flag", "past_promise")]).await;
    assert_eq!(column(&only, "New"), [late]);
}
