//! /staff/templates: the office writes an alert's wording (unknown placeholders and a
//! missing room link refused), the next alert uses it with the placeholders filled, an alert
//! turned off is not sent, the sign-in link can't be turned off, alerts can leave the
//! technician unnamed, and technicians can't edit any of it.
use crate::common;

use axum::http::StatusCode;
use common::{workflow::*, *};
use customer_room::model::template::{AlertKind, Channel};

async fn save(
    app: &TestApp,
    staff: &str,
    kind: &str,
    channel: &str,
    enabled: bool,
    subject: &str,
    body: &str,
) -> TestResponse {
    let mut form = vec![
        ("kind", kind),
        ("channel", channel),
        ("subject", subject),
        ("body", body),
    ];
    if enabled {
        form.push(("enabled", "on"));
    }
    app.call("staff_template_save", &form, Some(staff)).await
}

/// (channel, body) of each alert of `template` sent so far, oldest first.
async fn sent(app: &TestApp, template: &str) -> Vec<(String, String)> {
    sqlx::query_as("SELECT channel, body FROM outbox WHERE template = $1 ORDER BY created_at")
        .bind(template)
        .fetch_all(&app.state.pool)
        .await
        .unwrap()
}

async fn on_the_way(app: &TestApp, office: &str) -> String {
    let (reference, _) = signed_in_customer(app, "jo@example.com").await;
    let (sam, sam_cookie) = technician(app, "sam@example.com", "Sam Fixer").await;
    accept(app, &reference, office).await;
    assert_eq!(
        make_job(app, &reference, office, sam, "2030-01-08")
            .await
            .status,
        StatusCode::OK
    );
    let job = job_id(app, &reference).await.to_string();
    let res = app
        .call(
            "staff_job_step",
            &[("job_id", job.as_str()), ("to", "on_my_way")],
            Some(&sam_cookie),
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    reference
}

#[tokio::test]
async fn the_office_rewords_a_text_and_the_next_alert_uses_it() {
    let pool = fresh_db().await;
    let app = TestApp::new(pool).await;
    let office = staff_cookie(&app).await;

    let unknown = save(
        &app,
        &office,
        "on_my_way",
        "sms",
        true,
        "",
        "{tech} is coming: {room_link}",
    )
    .await;
    assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        unknown
            .error_text()
            .starts_with("{tech} is not a placeholder. Use one of: {first_name},"),
        "{}",
        unknown.error_text()
    );
    let no_link = save(
        &app,
        &office,
        "on_my_way",
        "sms",
        true,
        "",
        "{technician_name} is coming",
    )
    .await;
    assert_eq!(
        no_link.error_text(),
        "Every alert must include {room_link}: it's how the reader gets back to the request."
    );
    let body = "Hi {first_name}, {technician_name} is on the way for {reference}. {room_link}";
    let ok = save(&app, &office, "on_my_way", "sms", true, "", body).await;
    assert_eq!(ok.status, StatusCode::OK, "{}", ok.body);

    let view = app.call("staff_templates", &[], Some(&office)).await.json();
    let entry = view["entries"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["kind"] == "OnMyWay" && e["channel"] == "Sms")
        .unwrap()
        .clone();
    assert_eq!(entry["body"], body);
    assert_eq!(entry["custom"], true);
    let page = app.get("/staff/templates", Some(&office)).await;
    assert!(
        page.body
            .contains("Hi Jo, Sam is on the way for CR-7K3M9Q."),
        "preview with samples"
    );
    assert!(
        page.body.contains("characters · 1 text"),
        "the text's length"
    );

    let reference = on_the_way(&app, &office).await;
    let texts = sent(&app, "on_my_way").await;
    let sms: Vec<_> = texts.iter().filter(|(c, _)| c == "sms").collect();
    assert_eq!(sms.len(), 1, "{texts:?}");
    assert!(
        sms[0]
            .1
            .starts_with(&format!("Hi Jo, Sam is on the way for {reference}. ")),
        "{}",
        sms[0].1
    );
    // The link travels with the message (only its stored copy loses it once sent).
    assert!(sms[0].1.contains("/r/"), "{}", sms[0].1);
    // The email keeps its default wording, with the technician's first name only.
    let email = texts.iter().find(|(c, _)| c == "email").unwrap();
    assert!(
        email.1.contains("Sam is on the way for request"),
        "{}",
        email.1
    );
    assert!(!email.1.contains("Fixer"), "{}", email.1);
}

#[tokio::test]
async fn an_alert_turned_off_is_not_sent_and_alerts_can_leave_people_unnamed() {
    let pool = fresh_db().await;
    let app = TestApp::new(pool).await;
    let office = staff_cookie(&app).await;
    let (subject, body) = (
        "{technician_name} is on the way",
        "Hi {first_name},\n{technician_name} is on the way.\n{room_link}",
    );
    let off = save(&app, &office, "on_my_way", "email", false, subject, body).await;
    assert_eq!(off.status, StatusCode::OK, "{}", off.body);
    let naming = app.call("staff_alert_naming", &[], Some(&office)).await;
    assert_eq!(naming.status, StatusCode::OK, "{}", naming.body);

    on_the_way(&app, &office).await;
    let texts = sent(&app, "on_my_way").await;
    assert!(texts.iter().all(|(c, _)| c == "sms"), "no email: {texts:?}");
    assert_eq!(texts.len(), 1);
    assert!(
        texts[0]
            .1
            .starts_with("Test Plumbing: Your technician is on the way"),
        "{}",
        texts[0].1
    );
    assert!(!texts[0].1.contains("Sam"), "{}", texts[0].1);
}

#[tokio::test]
async fn the_sign_in_link_cannot_be_turned_off_and_technicians_cannot_edit() {
    let pool = fresh_db().await;
    let app = TestApp::new(pool).await;
    let office = staff_cookie(&app).await;
    let (subject, body) = AlertKind::MagicLink.default_text(Channel::Email);
    let res = save(&app, &office, "new_link", "email", false, subject, body).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.error_text().contains("can't be turned off"));

    let (_, tech) = technician(&app, "sam@example.com", "Sam Fixer").await;
    let denied = save(
        &app,
        &tech,
        "new_link",
        "email",
        true,
        subject,
        "x {room_link}",
    )
    .await;
    assert_eq!(denied.status, StatusCode::FORBIDDEN);
    let read = app.call("staff_templates", &[], Some(&tech)).await;
    assert_eq!(read.status, StatusCode::FORBIDDEN);
    assert!(!read.body.contains("room_link"), "{}", read.body);
    let untouched: i64 = sqlx::query_scalar("SELECT count(*) FROM message_templates")
        .fetch_one(&app.state.pool)
        .await
        .unwrap();
    assert_eq!(untouched, 0);
}
