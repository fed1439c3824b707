//! Texts through an SMS provider's HTTP API (Twilio's shape; a stand-in on a real socket,
//! tests/common/sms_api.rs): what is posted, refusals retried or given up on, no second
//! text after a crash mid-send, and signed delivery reports that update the outbox.
use crate::common;

use axum::{
    body::Body,
    http::{header, Request, StatusCode},
};
use base64::Engine;
use common::{sms_api::SmsApi, *};
use customer_room::server::{
    config::SmsSettings,
    notify::{self, sms::signature},
};
use sqlx::PgPool;

const TOKEN: &str = "test-auth-token-0123456789";

async fn app_with_sms(pool: PgPool) -> (TestApp, SmsApi, notify::Transport) {
    let (api, url) = SmsApi::start().await;
    let app = TestApp::build(pool, [127, 0, 0, 1], |c| {
        c.sms = Some(SmsSettings {
            api_url: url,
            account_sid: "AC0001".into(),
            auth_token: TOKEN.to_string().into(),
            from: "+61400000001".into(),
        })
    })
    .await;
    let transport = notify::Transport::from_config(&app.state.config).unwrap();
    (app, api, transport)
}

async fn sms_row(app: &TestApp) -> (String, Option<String>, Option<String>, String) {
    sqlx::query_as("SELECT status, provider_id, last_error, body FROM outbox WHERE channel = 'sms'")
        .fetch_one(&app.state.pool)
        .await
        .unwrap()
}

#[tokio::test]
async fn a_text_is_posted_with_the_account_login_and_a_link_that_opens_the_room() {
    let pool = fresh_db().await;
    let (app, api, transport) = app_with_sms(pool).await;
    let sent = submit_request(&app, "jo@example.com", vec![]).await;
    notify::deliver_due(&app.state.pool, &transport)
        .await
        .unwrap();

    let posted = api.posted();
    assert_eq!(posted.len(), 1, "one text; the email has no provider here");
    let p = &posted[0];
    assert_eq!(p.account, "AC0001");
    let basic = base64::engine::general_purpose::STANDARD.encode(format!("AC0001:{TOKEN}"));
    assert_eq!(p.authorization, format!("Basic {basic}"));
    assert_eq!(p.field("To"), "+61412345678");
    assert_eq!(p.field("From"), "+61400000001");
    assert_eq!(
        p.field("StatusCallback"),
        "http://127.0.0.1:3000/webhooks/sms/status"
    );
    let body = p.field("Body");
    assert!(
        body.contains(&sent.reference) && body.chars().count() < 200,
        "{body}"
    );
    let id: uuid::Uuid = sqlx::query_scalar("SELECT id FROM outbox WHERE channel = 'sms'")
        .fetch_one(&app.state.pool)
        .await
        .unwrap();
    assert_eq!(p.idempotency_key, id.to_string());

    let (status, provider_id, _, stored) = sms_row(&app).await;
    assert_eq!(status, "sent");
    assert_eq!(
        provider_id.as_deref(),
        Some(format!("SM{:032}", 1).as_str())
    );
    assert!(!stored.contains("/r/"), "the stored copy lost its link");
    let res = app.get(&link_path(body), None).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    assert_eq!(res.location().unwrap(), format!("/room/{}", sent.reference));
}

#[tokio::test]
async fn a_busy_provider_is_tried_again_and_a_number_it_cannot_text_is_given_up() {
    let pool = fresh_db().await;
    let (app, api, transport) = app_with_sms(pool).await;
    submit_request(&app, "jo@example.com", vec![]).await;
    api.refuse(Some((503, "Service unavailable")));
    notify::deliver_due(&app.state.pool, &transport)
        .await
        .unwrap();
    let (status, _, error, body) = sms_row(&app).await;
    assert_eq!(status, "pending");
    assert_eq!(
        error.as_deref(),
        Some("SMS API 503: Service unavailable (code 20500)")
    );
    assert!(body.contains("/r/"), "kept whole for the retry");

    api.refuse(Some((400, "The 'To' number is not a valid phone number.")));
    sqlx::query("UPDATE outbox SET next_attempt_at = now()")
        .execute(&app.state.pool)
        .await
        .unwrap();
    notify::deliver_due(&app.state.pool, &transport)
        .await
        .unwrap();
    let (status, _, error, body) = sms_row(&app).await;
    assert_eq!(status, "failed", "no point asking ten times");
    assert!(error.unwrap().contains("not a valid phone number"));
    assert!(!body.contains("/r/"));
    assert_eq!(api.texts(), 0);
}

#[tokio::test]
async fn a_crash_after_the_provider_took_a_text_does_not_send_it_twice() {
    let pool = fresh_db().await;
    let (app, api, transport) = app_with_sms(pool).await;
    submit_request(&app, "jo@example.com", vec![]).await;
    notify::deliver_due(&app.state.pool, &transport)
        .await
        .unwrap();
    // As if the worker died before writing "sent": the lease runs out and it goes again.
    sqlx::query(
        "UPDATE outbox SET status = 'sending', sent_at = NULL, lease_until = now() - interval '1 second'
         WHERE channel = 'sms'",
    )
    .execute(&app.state.pool)
    .await
    .unwrap();
    notify::deliver_due(&app.state.pool, &transport)
        .await
        .unwrap();
    let posted = api.posted();
    assert_eq!(posted.len(), 2, "asked twice");
    assert_eq!(posted[0].idempotency_key, posted[1].idempotency_key);
    assert_eq!(api.texts(), 1, "one text reached the phone");
    assert_eq!(sms_row(&app).await.0, "sent");
}

async fn post_status(
    app: &TestApp,
    form: &[(&str, &str)],
    signature: Option<&str>,
) -> TestResponse {
    let body = form
        .iter()
        .map(|(k, v)| format!("{}={}", urlencode(k), urlencode(v)))
        .collect::<Vec<_>>()
        .join("&");
    let mut req = Request::post("/webhooks/sms/status")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
    if let Some(s) = signature {
        req = req.header("X-Twilio-Signature", s);
    }
    app.send(req.body(Body::from(body)).unwrap()).await
}

fn sign(form: &[(&str, &str)]) -> String {
    let params: Vec<(String, String)> = form
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    signature(TOKEN, "http://127.0.0.1:3000/webhooks/sms/status", &params)
}

#[tokio::test]
async fn signed_delivery_reports_update_the_outbox_and_unsigned_ones_are_refused() {
    let pool = fresh_db().await;
    let (app, _api, transport) = app_with_sms(pool).await;
    submit_request(&app, "jo@example.com", vec![]).await;
    notify::deliver_due(&app.state.pool, &transport)
        .await
        .unwrap();
    let sid = sms_row(&app).await.1.unwrap();
    let delivered = [("MessageSid", sid.as_str()), ("MessageStatus", "delivered")];

    let unsigned = post_status(&app, &delivered, None).await;
    assert_eq!(unsigned.status, StatusCode::FORBIDDEN);
    let forged = post_status(&app, &delivered, Some("AAAAAAAAAAAAAAAAAAAAAAAAAAA=")).await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    // A signature for other fields doesn't cover these.
    let other = sign(&[("MessageSid", sid.as_str()), ("MessageStatus", "sent")]);
    let swapped = post_status(&app, &delivered, Some(&other)).await;
    assert_eq!(swapped.status, StatusCode::FORBIDDEN);
    assert_eq!(sms_row(&app).await.0, "sent", "nothing changed");

    let ok = post_status(&app, &delivered, Some(&sign(&delivered))).await;
    assert_eq!(ok.status, StatusCode::NO_CONTENT, "{}", ok.body);
    assert_eq!(sms_row(&app).await.0, "delivered");

    let failed = [
        ("MessageSid", sid.as_str()),
        ("MessageStatus", "undelivered"),
        ("ErrorCode", "30003"),
    ];
    let res = post_status(&app, &failed, Some(&sign(&failed))).await;
    assert_eq!(res.status, StatusCode::NO_CONTENT);
    let (status, _, error, _) = sms_row(&app).await;
    assert_eq!(status, "undelivered");
    assert_eq!(
        error.as_deref(),
        Some("The provider could not deliver it (error 30003).")
    );
    // The office sees it and may send it again.
    let office = staff_cookie(&app).await;
    let list = app.call("staff_outbox", &[], Some(&office)).await.json();
    let text = list
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["channel"] == "sms")
        .unwrap();
    assert_eq!(text["status"], "Undelivered");
    assert_eq!(text["retryable"], true);
    assert_eq!(text["recipient"], "+61••••••678");

    // An id we never sent: the same quiet answer, nothing changes.
    let unknown = [("MessageSid", "SMnope"), ("MessageStatus", "delivered")];
    let res = post_status(&app, &unknown, Some(&sign(&unknown))).await;
    assert_eq!(res.status, StatusCode::NO_CONTENT);
}

#[tokio::test]
async fn without_a_provider_there_is_no_webhook() {
    let pool = fresh_db().await;
    let app = TestApp::new(pool).await;
    let form = [("MessageSid", "SM1"), ("MessageStatus", "delivered")];
    let res = post_status(&app, &form, Some(&sign(&form))).await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);
}
