//! What a form can't do to other people: change a known customer's stored details, or make
//! our confirmation carry its words to whatever address was typed in.
use crate::common;

use axum::http::StatusCode;
use common::*;
use uuid::Uuid;

#[tokio::test]
async fn a_form_with_a_known_email_never_changes_the_stored_customer() {
    let pool = fresh_db().await;
    let app = TestApp::new(pool).await;
    submit_request(&app, "jo@example.com", vec![]).await;
    let key = Uuid::new_v4().to_string();
    let mut parts = form_fields(&key, "jo@example.com");
    parts = replace_field(parts, "first_name", "Mallory");
    parts = replace_field(parts, "last_name", "Intruder");
    parts = replace_field(parts, "phone", "0412 999 888");
    parts = replace_field(parts, "address_line", "9 Other Rd");
    let res = app.multipart("/requests", &parts, None, false).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);

    let customer: (String, String, Option<String>) =
        sqlx::query_as("SELECT first_name, last_name, phone FROM customers")
            .fetch_one(&app.state.pool)
            .await
            .unwrap();
    assert_eq!(
        customer,
        ("Jo".into(), "Citizen".into(), Some("+61412345678".into()))
    );
    let newest: (String, Option<String>, String) = sqlx::query_as(
        "SELECT first_name, contact_phone, address_line FROM requests ORDER BY created_at DESC LIMIT 1",
    )
    .fetch_one(&app.state.pool)
    .await
    .unwrap();
    assert_eq!(
        newest,
        (
            "Mallory".into(),
            Some("+61412999888".into()),
            "9 Other Rd".into()
        ),
        "the new details live on the new request"
    );
}

#[tokio::test]
async fn the_confirmation_repeats_nothing_typed_but_the_first_name() {
    let pool = fresh_db().await;
    let app = TestApp::new(pool).await;
    let sent = submit_request(
        &app,
        "jo@example.com",
        vec![
            Part::Text("last_name", "Zedlastname"),
            Part::Text("address_line", "12 Secretive Lane"),
            Part::Text(
                "notes",
                "URGENT: pay now at http://evil.example/pay or call 1900 555 000",
            ),
        ],
    )
    .await;
    let mut messages = app.outbox_for("jo@example.com").await;
    messages.extend(app.outbox_for("+61412345678").await);
    assert_eq!(messages.len(), 2);
    for (_, subject, body) in &messages {
        for typed in [
            "Zedlastname",
            "Secretive",
            "evil.example",
            "1900 555",
            "URGENT",
            "Sydney",
        ] {
            assert!(
                !body.contains(typed) && !subject.contains(typed),
                "{typed} relayed: {body}"
            );
        }
        assert!(
            body.contains(&sent.reference) && body.contains("/r/"),
            "{body}"
        );
        assert!(body.contains("Test Plumbing"), "{body}");
    }
    assert!(messages[0].2.starts_with("Hi Jo,"), "{}", messages[0].2);
}
