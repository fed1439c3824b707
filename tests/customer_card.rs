//! The customer card (`/staff/customers/{id}`): insights worked out from what was recorded,
//! every message and every change newest first, quick edits, tags (on the board too) and
//! call status, each in the history; office only.
use crate::common;

use axum::http::StatusCode;
use common::{workflow::*, *};
use serde_json::Value;
use uuid::Uuid;

async fn card(app: &TestApp, staff: &str, id: Uuid) -> Value {
    let res = app
        .call("staff_customer", &[("id", &id.to_string())], Some(staff))
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    res.json()
}

fn texts(list: &Value, key: &str) -> Vec<String> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|e| e[key].as_str().unwrap().to_string())
        .collect()
}

async fn say(app: &TestApp, reference: &str, cookie: &str, body: &str) {
    let res = app
        .call(
            "room_message",
            &[
                ("reference", reference),
                ("body", body),
                ("topic", "general"),
                ("client_key", ""),
            ],
            Some(cookie),
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
}

#[tokio::test]
async fn the_card_shows_insights_messages_activity_and_requests() {
    let pool = fresh_db().await;
    let app = TestApp::new(pool).await;
    let (reference, cookie) = signed_in_customer(&app, "jo@example.com").await;
    let office = staff_cookie(&app).await;
    let id = customer_of(&app, &reference).await;

    say(&app, &reference, &cookie, "The tap is under the sink.").await;
    say(&app, &reference, &cookie, "Side gate is open.").await;
    let c = card(&app, &office, id).await;
    assert_eq!(c["first_name"], "Jo");
    assert_eq!(c["phone"], "+61412345678");
    assert_eq!(
        c["address"], "1 George St, Sydney NSW 2000",
        "from the request"
    );
    assert_eq!(c["insights"]["jobs_completed"], 0);
    // Two room messages beat one form and one emailed link opened.
    assert_eq!(c["insights"]["most_common"], "Room");
    let comms = c["comms"].as_array().unwrap();
    assert_eq!(comms[0]["text"], "Side gate is open.");
    assert_eq!(comms[0]["channel"], "Room");
    assert_eq!(comms[0]["direction"], "FromCustomer");
    let alert = comms
        .iter()
        .find(|m| m["text"] == "Alert: Request received")
        .expect("the confirmation email is in the history");
    assert_eq!(alert["channel"], "Email");
    assert_eq!(alert["direction"], "ToCustomer");
    assert!(
        !c.to_string().contains("/r/"),
        "no live room link is handed to staff"
    );
    let activity = texts(&c["activity"], "what");
    assert!(
        activity.contains(&"We received your request.".to_string()),
        "{activity:?}"
    );
    assert_eq!(c["activity"][0]["who"], "Jo", "newest first: Jo wrote");

    // A finished job counts, and the request lists it.
    let (tech, tech_cookie) = technician(&app, "sam@example.com", "Sam Fixer").await;
    accept(&app, &reference, &office).await;
    let made = make_job(&app, &reference, &office, tech, "2030-01-08").await;
    assert_eq!(made.status, StatusCode::OK, "{}", made.body);
    let job = job_id(&app, &reference).await;
    for (to, outcome) in [
        ("on_my_way", ""),
        ("in_progress", ""),
        ("finished", "New washer fitted."),
    ] {
        let res = step(&app, &tech_cookie, job, to, outcome).await;
        assert_eq!(res.status, StatusCode::OK, "{to}: {}", res.body);
    }
    let c = card(&app, &office, id).await;
    assert_eq!(c["insights"]["jobs_completed"], 1);
    let r = &c["requests"][0];
    assert_eq!(r["reference"], reference.as_str());
    assert!(
        r["job"].as_str().unwrap().ends_with(": Finished"),
        "{}",
        r["job"]
    );
    assert!(texts(&c["activity"], "who").contains(&"Sam Fixer".to_string()));

    // The page itself, reached from the request page's link.
    let page = app
        .get(&format!("/staff/requests/{reference}"), Some(&office))
        .await;
    assert!(page.body.contains(&format!("/staff/customers/{id}")));
    let page = app
        .get(&format!("/staff/customers/{id}"), Some(&office))
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Jobs completed"));
    assert!(page.body.contains("Side gate is open."));
    assert!(page.body.contains("tel:+61412345678"));
}

#[tokio::test]
async fn history_pages_hold_thirty_entries_each() {
    let pool = fresh_db().await;
    let app = TestApp::new(pool).await;
    let (reference, cookie) = signed_in_customer(&app, "jo@example.com").await;
    let office = staff_cookie(&app).await;
    let id = customer_of(&app, &reference).await;
    for n in 0..40 {
        say(&app, &reference, &cookie, &format!("Message {n}")).await;
    }
    let first = card(&app, &office, id).await;
    assert_eq!(first["comms"].as_array().unwrap().len(), 30);
    assert_eq!(first["comms"][0]["text"], "Message 39");
    assert_eq!(first["more"], true);
    let res = app
        .call(
            "staff_customer",
            &[("id", &id.to_string()), ("page", "1")],
            Some(&office),
        )
        .await;
    let second = res.json();
    assert_eq!(second["comms"][0]["text"], "Message 9");
    let older = texts(&second["comms"], "text");
    assert!(!older.contains(&"Message 39".to_string()), "no repeats");
}

#[tokio::test]
async fn edits_tags_and_calls_are_checked_and_each_is_in_the_history() {
    let pool = fresh_db().await;
    let app = TestApp::new(pool).await;
    let sent = submit_request(&app, "jo@example.com", vec![]).await;
    let office = staff_cookie(&app).await;
    let id = customer_of(&app, &sent.reference).await.to_string();
    let edit = |phone: &'static str, business: &'static str| {
        let (app, office, id) = (&app, office.clone(), id.clone());
        async move {
            app.call(
                "staff_customer_edit",
                &[
                    ("id", &id),
                    ("first_name", "Jo"),
                    ("last_name", "Citizen-Park"),
                    ("business_name", business),
                    ("phone", phone),
                    ("address", "5 Smith St, Newtown NSW 2042"),
                ],
                Some(&office),
            )
            .await
        }
    };
    let bad = edit("12", "").await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        bad.error_text().to_lowercase().contains("phone"),
        "{}",
        bad.error_text()
    );
    let ok = edit("0400 999 888", "Jo's Cafe").await;
    assert_eq!(ok.status, StatusCode::OK, "{}", ok.body);
    edit("0400 999 888", "Jo's Cafe").await;
    let c = card(&app, &office, id.parse().unwrap()).await;
    assert_eq!(c["last_name"], "Citizen-Park");
    assert_eq!(c["phone"], "+61400999888");
    assert_eq!(c["business_name"], "Jo's Cafe");
    let edits: Vec<String> = texts(&c["activity"], "what")
        .into_iter()
        .filter(|w| w.starts_with("Changed"))
        .collect();
    assert_eq!(
        edits.len(),
        4,
        "name, business name, phone, address; a second save adds nothing: {edits:?}"
    );
    assert!(edits.contains(&"Changed the phone to +61400999888".to_string()));
    assert_eq!(c["activity"][0]["who"], "Sam Office");

    // Tags: one per name whatever the case; on the board card too.
    for tag in ["VIP", "vip", "  Family   member "] {
        let res = app
            .call(
                "staff_customer_tag",
                &[("id", &id), ("tag", tag)],
                Some(&office),
            )
            .await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    }
    let bad_tag = app
        .call(
            "staff_customer_tag",
            &[("id", &id), ("tag", &"x".repeat(31))],
            Some(&office),
        )
        .await;
    assert_eq!(bad_tag.status, StatusCode::UNPROCESSABLE_ENTITY);
    let c = card(&app, &office, id.parse().unwrap()).await;
    assert_eq!(c["tags"], serde_json::json!(["VIP", "Family member"]));
    let board = app.call("staff_board", &[], Some(&office)).await.json();
    assert!(
        board
            .to_string()
            .contains(r#""tags":["VIP","Family member"]"#),
        "{board}"
    );
    let res = app
        .call(
            "staff_customer_untag",
            &[("id", &id), ("tag", "VIP")],
            Some(&office),
        )
        .await;
    assert_eq!(res.status, StatusCode::OK);
    let c = card(&app, &office, id.parse().unwrap()).await;
    assert_eq!(c["tags"], serde_json::json!(["Family member"]));
    assert!(texts(&c["activity"], "what").contains(&"Removed the tag VIP".to_string()));

    // A call, tapped twice with the page's key: logged once.
    let key = c["form_key"].as_str().unwrap().to_string();
    for _ in 0..2 {
        let res = app
            .call(
                "staff_customer_call",
                &[("id", &id), ("outcome", "voicemail"), ("client_key", &key)],
                Some(&office),
            )
            .await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    }
    let odd = app
        .call(
            "staff_customer_call",
            &[("id", &id), ("outcome", "hung_up"), ("client_key", "")],
            Some(&office),
        )
        .await;
    assert_eq!(odd.status, StatusCode::BAD_REQUEST);
    let c = card(&app, &office, id.parse().unwrap()).await;
    let calls: Vec<String> = texts(&c["activity"], "what")
        .into_iter()
        .filter(|w| w.starts_with("Call:"))
        .collect();
    assert_eq!(calls, ["Call: Left a voicemail"]);
    assert_eq!(
        c["insights"]["most_common"], "Call",
        "a call ties the form and wins"
    );
}

#[tokio::test]
async fn only_the_office_opens_a_card() {
    let pool = fresh_db().await;
    let app = TestApp::new(pool).await;
    let other = submit_other_request(&app, "marguerite@example.com", vec![]).await;
    let id = customer_of(&app, other.reference()).await.to_string();
    let (_, tech) = technician(&app, "sam@example.com", "Sam Fixer").await;
    let res = app
        .call("staff_customer", &[("id", &id)], Some(&tech))
        .await;
    assert_denied(&res, StatusCode::FORBIDDEN, &other.secrets(), "technician");
    let page = app
        .get(&format!("/staff/customers/{id}"), Some(&tech))
        .await;
    assert_page_denied(
        &page,
        StatusCode::FORBIDDEN,
        &other.secrets(),
        other.reference(),
        "technician page",
    );
    let res = app
        .call(
            "staff_customer_tag",
            &[("id", &id), ("tag", "VIP")],
            Some(&tech),
        )
        .await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    let res = app
        .call(
            "staff_customer",
            &[("id", &id)],
            Some(&other.sent.sender_cookie),
        )
        .await;
    assert_denied(&res, StatusCode::FORBIDDEN, &other.secrets(), "customer");
    let res = app.call("staff_customer", &[("id", &id)], None).await;
    assert_denied(
        &res,
        StatusCode::UNAUTHORIZED,
        &other.secrets(),
        "signed out",
    );

    let office = staff_cookie(&app).await;
    for unknown in [Uuid::new_v4().to_string(), "not-an-id".to_string()] {
        let res = app
            .call("staff_customer", &[("id", &unknown)], Some(&office))
            .await;
        assert_eq!(res.status, StatusCode::NOT_FOUND, "{unknown}");
    }
    let tags: Vec<String> = sqlx::query_scalar("SELECT unnest(tags) FROM customers")
        .fetch_all(&app.state.pool)
        .await
        .unwrap();
    assert!(tags.is_empty(), "the technician's tag was refused");
}

#[tokio::test]
async fn writing_from_the_card_puts_the_words_in_the_room_and_one_alert_links_to_them() {
    let pool = fresh_db().await;
    let app = TestApp::new(pool).await;
    let (reference, cookie) = signed_in_customer(&app, "jo@example.com").await;
    let office = staff_cookie(&app).await;
    let id = customer_of(&app, &reference).await.to_string();
    let words = "Could you send a photo of the meter box? Thanks, Sam";
    let write = |channel: &'static str, key: &'static str| {
        let (app, id, reference, office) = (&app, id.clone(), reference.clone(), office.clone());
        async move {
            app.call(
                "staff_customer_write",
                &[
                    ("id", &id),
                    ("reference", &reference),
                    ("channel", channel),
                    ("body", words),
                    ("client_key", key),
                ],
                Some(&office),
            )
            .await
        }
    };
    let texts_before = app.outbox_for("+61412345678").await.len();
    let emails_before = app.outbox_for("jo@example.com").await.len();

    // The card offers it, with the business's wording and the text's length.
    let c = card(&app, &office, Uuid::parse_str(&id).unwrap()).await;
    assert_eq!(c["composer"]["requests"][0][0], reference.as_str());
    assert!(c["composer"]["sms_preview"]
        .as_str()
        .unwrap()
        .contains("update on"));
    assert!(
        c["composer"]["sms_length"]
            .as_str()
            .unwrap()
            .contains("1 text"),
        "{}",
        c["composer"]
    );

    for _ in 0..2 {
        let res = write("sms", "w1").await;
        assert_eq!(
            res.status,
            StatusCode::OK,
            "a retry is one message: {}",
            res.body
        );
    }
    let room = app.get(&format!("/room/{reference}"), Some(&cookie)).await;
    assert_eq!(
        room.body.matches(words).count(),
        1,
        "in the room's thread, once"
    );
    let texts = app.outbox_for("+61412345678").await;
    assert_eq!(texts.len(), texts_before + 1, "one text");
    assert_eq!(
        app.outbox_for("jo@example.com").await.len(),
        emails_before,
        "no email"
    );
    assert!(
        !texts[0].2.contains("meter box"),
        "the text only points to the room: {}",
        texts[0].2
    );
    assert!(
        texts[0].2.contains("/r/") || texts[0].2.contains("[room link]"),
        "{}",
        texts[0].2
    );

    let res = write("email", "w2").await;
    assert_eq!(res.status, StatusCode::OK);
    let emails = app.outbox_for("jo@example.com").await;
    assert_eq!(emails.len(), emails_before + 1);
    assert!(!emails[0].2.contains("meter box"));

    // No way chosen, or a way that can't reach them, is refused with the reason.
    let res = write("", "w3").await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.error_text().contains("text or email"), "{}", res.body);
    sqlx::query(
        "INSERT INTO sms_consent (phone, opted_out, source) VALUES ('+61412345678', true, 'sms')",
    )
    .execute(&app.state.pool)
    .await
    .unwrap();
    let res = write("sms", "w4").await;
    assert_eq!(res.status, StatusCode::CONFLICT);
    assert!(res.error_text().contains("replied STOP"), "{}", res.body);

    // Another customer's request can't be written to through this card.
    let other = submit_other_request(&app, "kim@example.com", vec![]).await;
    let res = app
        .call(
            "staff_customer_write",
            &[
                ("id", &id),
                ("reference", other.reference()),
                ("channel", "email"),
                ("body", words),
                ("client_key", "w5"),
            ],
            Some(&office),
        )
        .await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);
    assert_eq!(
        app.outbox_for("kim@example.com").await.len(),
        1,
        "only its confirmation"
    );
    let (_, tech) = technician(&app, "tech@example.com", "Tess Tech").await;
    let res = app
        .call(
            "staff_customer_write",
            &[
                ("id", &id),
                ("reference", &reference),
                ("channel", "email"),
                ("body", words),
                ("client_key", "w6"),
            ],
            Some(&tech),
        )
        .await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
}
