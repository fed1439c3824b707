//! Texts to the business's number (`POST /webhooks/sms`, signed like the provider signs):
//! a customer's text joins their request's thread and reaches whoever routing picks (the
//! technician while they're on the way or working, else the point of contact, else the
//! owner); a stranger's text is a lead in the inbox; STOP/START turn texts off and on, and
//! the room shows and changes that choice.
use crate::common;

use axum::{
    body::Body,
    http::{header, Request, StatusCode},
};
use common::{sms_api::SmsApi, staff, workflow::*, *};
use customer_room::server::{
    config::SmsSettings,
    notify::{self, sms::signature},
};
use sqlx::PgPool;
use uuid::Uuid;

const TOKEN: &str = "inbound-auth-token-42";
/// The number the fixtures' requests give ("0412 345 678").
const JO: &str = "+61412345678";

async fn app_with_sms(pool: PgPool) -> (TestApp, SmsApi) {
    let (api, url) = SmsApi::start().await;
    let app = TestApp::build(pool, [127, 0, 0, 1], |c| {
        c.sms = Some(SmsSettings {
            api_url: url,
            account_sid: "AC0002".into(),
            auth_token: TOKEN.to_string().into(),
            from: "+61400000001".into(),
        })
    })
    .await;
    (app, api)
}

fn form_body(form: &[(&str, &str)]) -> String {
    form.iter()
        .map(|(k, v)| format!("{}={}", urlencode(k), urlencode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

async fn post_text(app: &TestApp, form: &[(&str, &str)], signature: Option<&str>) -> TestResponse {
    let mut req = Request::post("/webhooks/sms")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
    if let Some(s) = signature {
        req = req.header("X-Twilio-Signature", s);
    }
    app.send(req.body(Body::from(form_body(form))).unwrap())
        .await
}

fn sign(form: &[(&str, &str)]) -> String {
    let params: Vec<(String, String)> = form
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    signature(TOKEN, "http://127.0.0.1:3000/webhooks/sms", &params)
}

/// A text from `from`, signed as the provider signs it; must be taken.
async fn text(app: &TestApp, sid: &str, from: &str, body: &str) {
    let form = [
        ("MessageSid", sid),
        ("AccountSid", "AC0002"),
        ("From", from),
        ("To", "+61400000001"),
        ("Body", body),
    ];
    let res = post_text(app, &form, Some(&sign(&form))).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    assert!(res.body.contains("<Response></Response>"), "{}", res.body);
}

/// (routed_to, routed_because, request reference) of the text with this sid.
async fn routed(app: &TestApp, sid: &str) -> (Option<Uuid>, String, Option<String>) {
    sqlx::query_as(
        "SELECT t.routed_to, t.routed_because, r.reference FROM inbound_texts t
         LEFT JOIN requests r ON r.id = t.request_id WHERE t.provider_sid = $1",
    )
    .bind(sid)
    .fetch_one(&app.state.pool)
    .await
    .unwrap()
}

/// Staff alerts (by template) written for this recipient, newest first.
async fn staff_alerts(app: &TestApp, recipient: &str) -> Vec<(String, String, String)> {
    sqlx::query_as(
        "SELECT channel, template, body FROM outbox WHERE recipient = $1 AND template LIKE 'staff_%'
         ORDER BY created_at DESC",
    )
    .bind(recipient)
    .fetch_all(&app.state.pool)
    .await
    .unwrap()
}

#[tokio::test]
async fn unsigned_or_wrongly_signed_texts_are_refused_and_nothing_is_stored() {
    let pool = fresh_db().await;
    let (app, _api) = app_with_sms(pool).await;
    submit_request(&app, "jo@example.com", vec![]).await;
    let form = [("MessageSid", "SMin1"), ("From", JO), ("Body", "Hello")];
    let unsigned = post_text(&app, &form, None).await;
    assert_eq!(unsigned.status, StatusCode::FORBIDDEN);
    let forged = post_text(&app, &form, Some("AAAAAAAAAAAAAAAAAAAAAAAAAAA=")).await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    let other = sign(&[("MessageSid", "SMin1"), ("From", JO), ("Body", "Hi")]);
    let swapped = post_text(&app, &form, Some(&other)).await;
    assert_eq!(swapped.status, StatusCode::FORBIDDEN);
    assert_eq!(app.count("SELECT count(*) FROM inbound_texts").await, 0);
    assert_eq!(
        app.count("SELECT count(*) FROM messages WHERE channel = 'sms'")
            .await,
        0
    );
    // Signed, but not a text the provider would send.
    let no_sender = [("MessageSid", "SMin2"), ("Body", "Hello")];
    let res = post_text(&app, &no_sender, Some(&sign(&no_sender))).await;
    assert_eq!(res.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn without_a_provider_there_is_no_inbound_webhook() {
    let pool = fresh_db().await;
    let app = TestApp::new(pool).await;
    let form = [("MessageSid", "SMin1"), ("From", JO), ("Body", "Hello")];
    let res = post_text(&app, &form, Some(&sign(&form))).await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_customers_text_joins_their_thread_once_and_the_room_shows_it() {
    let pool = fresh_db().await;
    let (app, _api) = app_with_sms(pool).await;
    let owner = staff::owner(&app, "owner@example.com", staff::PASSWORD).await;
    let (reference, cookie) = signed_in_customer(&app, "jo@example.com").await;
    let body = "The tap is now leaking under the sink too \u{1F62C}";
    text(&app, "SMcust1", JO, body).await;
    // The provider posts the same text again (it didn't see our answer): stored once.
    text(&app, "SMcust1", JO, body).await;

    let view = room_view(&app, &reference, &cookie).await;
    let texted: Vec<_> = view.messages.iter().filter(|m| m.by_text).collect();
    assert_eq!(texted.len(), 1, "{:?}", view.messages);
    assert_eq!(texted[0].body, body);
    assert_eq!(texted[0].author, "Jo");
    assert!(!texted[0].from_staff);
    assert_eq!(
        app.count("SELECT count(*) FROM inbound_texts").await,
        1,
        "one text, whatever the retries"
    );
    let (to, because, joined) = routed(&app, "SMcust1").await;
    assert_eq!(joined.as_deref(), Some(reference.as_str()));
    assert_eq!(
        (to, because.as_str()),
        (Some(owner.id), "owner"),
        "no point of contact yet"
    );
    // The owner is told, by email (the default), with the staff page's link, not the room's.
    let alerts = staff_alerts(&app, "owner@example.com").await;
    let wrote: Vec<_> = alerts
        .iter()
        .filter(|a| a.1 == "staff_customer_wrote")
        .collect();
    assert_eq!(wrote.len(), 1, "{alerts:?}");
    assert_eq!(wrote[0].0, "email");
    assert!(
        wrote[0].2.contains(&format!("/staff/requests/{reference}")),
        "{}",
        wrote[0].2
    );
    assert!(!wrote[0].2.contains("/r/"), "no room link for staff");
    // A picture sent by text is not lost without a word: the thread says so.
    let form = [
        ("MessageSid", "SMcust2"),
        ("From", JO),
        ("Body", ""),
        ("NumMedia", "1"),
    ];
    let res = post_text(&app, &form, Some(&sign(&form))).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let view = room_view(&app, &reference, &cookie).await;
    assert_eq!(
        view.messages.last().unwrap().body,
        "(1 picture was sent with this text. Pictures sent by text can't be shown here: please add them under Add photos.)"
    );
    // The room's page shows it as a text, too (no JavaScript needed).
    let page = app.get(&format!("/room/{reference}"), Some(&cookie)).await;
    assert!(page.body.contains("By text message"), "{}", page.body);
}

#[tokio::test]
async fn a_text_goes_to_the_technician_only_while_they_are_on_the_way_or_working() {
    let pool = fresh_db().await;
    let (app, _api) = app_with_sms(pool).await;
    let owner = staff::owner(&app, "owner@example.com", staff::PASSWORD).await;
    let office = staff::invited(
        &app,
        &owner,
        "office@example.com",
        "Priya",
        customer_room::model::staff::StaffRole::Office,
        staff::PASSWORD,
    )
    .await;
    let office_cookie = staff::cookie(&app, "office@example.com", staff::PASSWORD).await;
    let (tech, tech_cookie) = technician(&app, "sam@example.com", "Sam Fixer").await;
    let sent = submit_request(&app, "jo@example.com", vec![]).await;
    let r = sent.reference.as_str();

    // Point of contact: Priya in the office.
    let res = app
        .call(
            "staff_point_of_contact",
            &[("staff_id", &office.id.to_string())],
            Some(&office_cookie),
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    text(&app, "SMr1", JO, "Any news?").await;
    assert_eq!(
        (routed(&app, "SMr1").await.0, routed(&app, "SMr1").await.1),
        (Some(office.id), "point_of_contact".to_string())
    );

    accept(&app, r, &office_cookie).await;
    let made = make_job(&app, r, &office_cookie, tech, "2030-01-08").await;
    assert_eq!(made.status, StatusCode::OK, "{}", made.body);
    text(&app, "SMr2", JO, "See you Tuesday").await;
    assert_eq!(
        routed(&app, "SMr2").await.1,
        "point_of_contact",
        "booked, not yet on the way"
    );

    let job = job_id(&app, r).await;
    let tap = |to: &'static str, outcome: &'static str| {
        let (app, cookie) = (&app, tech_cookie.clone());
        async move {
            let res = step(app, &cookie, job, to, outcome).await;
            assert_eq!(res.status, StatusCode::OK, "{to}: {}", res.body);
        }
    };
    tap("on_my_way", "").await;
    text(&app, "SMr3", JO, "Gate is open, come round the side").await;
    assert_eq!(
        (routed(&app, "SMr3").await.0, routed(&app, "SMr3").await.1),
        (Some(tech), "technician".to_string())
    );
    tap("in_progress", "").await;
    text(&app, "SMr4", JO, "Need me to move the car?").await;
    assert_eq!(routed(&app, "SMr4").await.0, Some(tech));
    // The technician's inbox has their texts, and only theirs.
    let inbox = app.call("staff_inbox", &[], Some(&tech_cookie)).await;
    assert_eq!(inbox.status, StatusCode::OK, "{}", inbox.body);
    let entries = inbox.json()["entries"].as_array().unwrap().clone();
    let bodies: Vec<_> = entries
        .iter()
        .map(|e| e["body"].as_str().unwrap())
        .collect();
    assert_eq!(
        bodies,
        [
            "Need me to move the car?",
            "Gate is open, come round the side"
        ]
    );
    // Someone else's text can't be marked by them.
    let first: Uuid =
        sqlx::query_scalar("SELECT id FROM inbound_texts WHERE provider_sid = 'SMr1'")
            .fetch_one(&app.state.pool)
            .await
            .unwrap();
    let res = app
        .call(
            "staff_inbox_done",
            &[("id", &first.to_string())],
            Some(&tech_cookie),
        )
        .await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);

    tap("finished", "Replaced the washer.").await;
    text(&app, "SMr5", JO, "Thanks, all good").await;
    let (to, because, joined) = routed(&app, "SMr5").await;
    assert_eq!(
        (to, because.as_str()),
        (Some(office.id), "point_of_contact")
    );
    assert_eq!(
        joined.as_deref(),
        Some(r),
        "after the job, still their request"
    );

    // No point of contact: the owner.
    let res = app
        .call(
            "staff_point_of_contact",
            &[("staff_id", "")],
            Some(&office_cookie),
        )
        .await;
    assert_eq!(res.status, StatusCode::OK);
    text(&app, "SMr6", JO, "One more thing").await;
    assert_eq!(
        (routed(&app, "SMr6").await.0, routed(&app, "SMr6").await.1),
        (Some(owner.id), "owner".to_string())
    );
    // A technician can't choose the point of contact.
    let res = app
        .call(
            "staff_point_of_contact",
            &[("staff_id", &tech.to_string())],
            Some(&tech_cookie),
        )
        .await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    // The activity log says where each one went.
    let log: Vec<String> = sqlx::query_scalar(
        "SELECT e.body FROM request_events e JOIN requests r ON r.id = e.request_id
         WHERE r.reference = $1 AND e.kind = 'customer_wrote' ORDER BY e.created_at",
    )
    .bind(r)
    .fetch_all(&app.state.pool)
    .await
    .unwrap();
    assert!(
        log.contains(&"Texted the business (to the technician on the job)".to_string()),
        "{log:?}"
    );
}

#[tokio::test]
async fn a_text_from_a_number_we_dont_know_is_a_lead_in_the_inbox() {
    let pool = fresh_db().await;
    let (app, _api) = app_with_sms(pool).await;
    let owner = staff::owner(&app, "owner@example.com", staff::PASSWORD).await;
    let cookie = staff::cookie(&app, "owner@example.com", staff::PASSWORD).await;
    text(
        &app,
        "SMlead1",
        "+61455000111",
        "Do you do hot water systems?",
    )
    .await;

    let (to, because, joined) = routed(&app, "SMlead1").await;
    assert_eq!(
        (to, because.as_str(), joined),
        (Some(owner.id), "owner", None)
    );
    let inbox = app.call("staff_inbox", &[], Some(&cookie)).await.json();
    let e = &inbox["entries"][0];
    assert_eq!(e["body"], "Do you do hot water systems?");
    assert_eq!(e["from"], "+61455000111");
    assert_eq!(e["reference"], serde_json::Value::Null);
    assert_eq!(e["handled"], false);
    let alerts = staff_alerts(&app, "owner@example.com").await;
    assert_eq!(alerts[0].1, "staff_new_lead", "{alerts:?}");
    assert!(alerts[0].2.contains("/staff/inbox"), "{}", alerts[0].2);
    // The page lists it; marking it dealt with twice is one change.
    let page = app.get("/staff/inbox", Some(&cookie)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Do you do hot water systems?"));
    let id = e["id"].as_str().unwrap();
    for _ in 0..2 {
        let res = app
            .call("staff_inbox_done", &[("id", id)], Some(&cookie))
            .await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    }
    let inbox = app.call("staff_inbox", &[], Some(&cookie)).await.json();
    assert_eq!(inbox["entries"][0]["handled"], true);
    // Nobody signed out sees the inbox.
    let res = app.call("staff_inbox", &[], None).await;
    assert_eq!(res.status, StatusCode::UNAUTHORIZED);
    assert!(!res.body.contains("hot water"));
}

#[tokio::test]
async fn stop_turns_texts_off_start_turns_them_on_and_yes_is_just_a_reply() {
    let pool = fresh_db().await;
    let (app, api) = app_with_sms(pool).await;
    let transport = notify::Transport::from_config(&app.state.config).unwrap();
    let (reference, cookie) = signed_in_customer(&app, "jo@example.com").await;
    notify::deliver_due(&app.state.pool, &transport)
        .await
        .unwrap();
    let before = api.texts();
    assert!(before >= 1, "the welcome text went");

    text(&app, "SMstop", JO, " Stop ").await;
    let view = room_view(&app, &reference, &cookie).await;
    let texts = view.texts.expect("the room shows the text choice");
    assert!(!texts.on);
    assert_eq!(texts.phone, "+61••••••678");
    assert!(
        view.messages.iter().all(|m| !m.by_text),
        "STOP is not a message"
    );
    // Booking the visit now tells them by email only; the text is kept as not sent.
    let office = staff_cookie(&app).await;
    let (tech, tech_cookie) = technician(&app, "sam@example.com", "Sam Fixer").await;
    accept(&app, &reference, &office).await;
    let made = make_job(&app, &reference, &office, tech, "2030-01-08").await;
    assert_eq!(made.status, StatusCode::OK, "{}", made.body);
    notify::deliver_due(&app.state.pool, &transport)
        .await
        .unwrap();
    assert_eq!(api.texts(), before, "no text to a number that said STOP");
    let (status, body): (String, String) = sqlx::query_as(
        "SELECT status, body FROM outbox WHERE channel = 'sms' AND template = 'job_scheduled'",
    )
    .fetch_one(&app.state.pool)
    .await
    .unwrap();
    assert_eq!(status, "opted_out");
    assert!(!body.contains("/r/"), "no live link kept: {body}");
    assert_eq!(
        app.count("SELECT count(*) FROM outbox WHERE channel = 'email' AND template = 'job_scheduled' AND status = 'sent'")
            .await,
        1
    );

    text(&app, "SMstart", JO, "START").await;
    assert!(room_view(&app, &reference, &cookie).await.texts.unwrap().on);
    // YES from a number whose texts are on is an answer, not a keyword.
    text(&app, "SMyes", JO, "Yes").await;
    let view = room_view(&app, &reference, &cookie).await;
    assert!(view.messages.iter().any(|m| m.by_text && m.body == "Yes"));
    let job = job_id(&app, &reference).await;
    let res = step(&app, &tech_cookie, job, "on_my_way", "").await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    notify::deliver_due(&app.state.pool, &transport)
        .await
        .unwrap();
    assert_eq!(api.texts(), before + 1, "texts are back on");
}

#[tokio::test]
async fn the_customer_switches_texts_in_the_room_and_no_one_else_can() {
    let pool = fresh_db().await;
    let (app, _api) = app_with_sms(pool).await;
    let (reference, cookie) = signed_in_customer(&app, "jo@example.com").await;
    let other = submit_other_request(&app, "marguerite@example.com", vec![]).await;
    assert!(room_view(&app, &reference, &cookie).await.texts.unwrap().on);

    let res = app
        .call(
            "room_texts",
            &[("reference", &reference), ("on", "false")],
            Some(&cookie),
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    assert!(!room_view(&app, &reference, &cookie).await.texts.unwrap().on);
    let off: bool = sqlx::query_scalar("SELECT opted_out FROM sms_consent WHERE phone = $1")
        .bind(JO)
        .fetch_one(&app.state.pool)
        .await
        .unwrap();
    assert!(off);

    // Another customer's request: refused, and nothing of it shown.
    let res = app
        .call(
            "room_texts",
            &[("reference", other.reference()), ("on", "false")],
            Some(&cookie),
        )
        .await;
    assert_denied(&res, StatusCode::FORBIDDEN, &other.secrets(), "other room");
    let on_still: Option<bool> =
        sqlx::query_scalar("SELECT opted_out FROM sms_consent WHERE phone = $1")
            .bind(OTHER_PHONE_E164)
            .fetch_optional(&app.state.pool)
            .await
            .unwrap();
    assert_eq!(on_still, None, "untouched");
    // Staff can't change a customer's consent for them.
    let office = staff_cookie(&app).await;
    let res = app
        .call(
            "room_texts",
            &[("reference", &reference), ("on", "true")],
            Some(&office),
        )
        .await;
    assert_eq!(res.status, StatusCode::FORBIDDEN, "{}", res.body);
    assert!(!room_view(&app, &reference, &cookie).await.texts.unwrap().on);
    // Without JavaScript: the form posts and comes back to the room.
    let res = app
        .post_form(
            "/api/room_texts",
            &[("reference", &reference), ("on", "true")],
            Some(&cookie),
            &[(
                "Referer",
                &format!("http://127.0.0.1:3000/room/{reference}"),
            )],
        )
        .await;
    assert_eq!(res.status, StatusCode::FOUND, "{}", res.body);
    assert!(room_view(&app, &reference, &cookie).await.texts.unwrap().on);
    let bad = app
        .call(
            "room_texts",
            &[("reference", &reference), ("on", "maybe")],
            Some(&cookie),
        )
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn each_staff_member_gets_alerts_the_way_they_chose() {
    let pool = fresh_db().await;
    let (app, _api) = app_with_sms(pool).await;
    staff::owner(&app, "owner@example.com", staff::PASSWORD).await;
    let cookie = staff::cookie(&app, "owner@example.com", staff::PASSWORD).await;

    submit_request(&app, "jo@example.com", vec![]).await;
    let first = staff_alerts(&app, "owner@example.com").await;
    assert_eq!(first.len(), 1, "{first:?}");
    assert_eq!(first[0].1, "staff_new_request");

    let no_number = app
        .call(
            "staff_my_alerts",
            &[("channel", "sms"), ("phone", "")],
            Some(&cookie),
        )
        .await;
    assert_eq!(no_number.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        no_number.error_text(),
        "Give the mobile number the texts should go to."
    );
    let res = app
        .call(
            "staff_my_alerts",
            &[("channel", "sms"), ("phone", "0400 111 222")],
            Some(&cookie),
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let other = submit_other_request(&app, "marguerite@example.com", vec![]).await;
    let by_text = staff_alerts(&app, "+61400111222").await;
    assert_eq!(by_text.len(), 1, "{by_text:?}");
    assert_eq!(by_text[0].0, "sms");
    assert!(by_text[0].2.contains(other.reference()), "{}", by_text[0].2);
    // A text to staff names the first name and the reference, never the customer's details.
    for secret in [OTHER_LAST_NAME, OTHER_PHONE, OTHER_ADDRESS, OTHER_NOTES] {
        assert!(!by_text[0].2.contains(secret), "{}", by_text[0].2);
    }

    let res = app
        .call(
            "staff_my_alerts",
            &[("channel", "none"), ("phone", "0400 111 222")],
            Some(&cookie),
        )
        .await;
    assert_eq!(res.status, StatusCode::OK);
    submit_request(&app, "lee@example.com", vec![]).await;
    assert_eq!(staff_alerts(&app, "+61400111222").await.len(), 1);
    assert_eq!(staff_alerts(&app, "owner@example.com").await.len(), 1);
}
