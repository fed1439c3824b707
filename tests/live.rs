//! NOTIFY → SSE: a write on a request reaches the open `/events` streams that may see that
//! request — through PostgreSQL, the instance's listener and the HTTP endpoint — and no other.
use crate::common;

use axum::http::StatusCode;
use common::{live::*, *};

async fn customer(app: &TestApp, email: &str) -> (String, String) {
    let sent = submit_request(app, email, vec![]).await;
    let (_, cookie) = open_latest_link(app, email).await;
    (sent.reference, cookie.expect("a room session"))
}

#[tokio::test]
async fn a_staff_update_reaches_the_customers_open_stream() {
    let pool = fresh_db().await;
    let app = TestApp::new(pool).await;
    start_listener(&app).await;
    let (reference, cookie) = customer(&app, "jo@example.com").await;
    let id = request_id(&app, &reference).await;
    let staff = staff_cookie(&app).await;

    let mut stream = SseClient::open(&app, &cookie).await;
    assert_eq!(stream.status, StatusCode::OK);
    assert!(
        stream.content_type.starts_with("text/event-stream"),
        "{}",
        stream.content_type
    );
    let res = app
        .call(
            "staff_update",
            &[
                ("reference", &reference),
                ("body", "The part arrives Thursday."),
                ("client_key", "u1"),
            ],
            Some(&staff),
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);

    let change = stream
        .change_for(id, EVENT_WAIT)
        .await
        .expect("the update arrived on the live stream");
    assert_eq!(change.kind, "update");
}

#[tokio::test]
async fn a_customer_message_reaches_staff_and_never_another_customer() {
    let pool = fresh_db().await;
    let app = TestApp::new(pool).await;
    start_listener(&app).await;
    let (reference, cookie) = customer(&app, "jo@example.com").await;
    let (other_reference, other_cookie) = customer(&app, "sam@example.com").await;
    let id = request_id(&app, &reference).await;
    let other_id = request_id(&app, &other_reference).await;
    let staff = staff_cookie(&app).await;

    let mut staff_stream = SseClient::open(&app, &staff).await;
    let mut other_stream = SseClient::open(&app, &other_cookie).await;
    assert_eq!(staff_stream.status, StatusCode::OK);
    assert_eq!(other_stream.status, StatusCode::OK);

    let res = app
        .call(
            "room_message",
            &[
                ("reference", &reference),
                ("body", "Is Thursday morning fine?"),
                ("topic", "general"),
                ("client_key", "m1"),
            ],
            Some(&cookie),
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let change = staff_stream
        .change_for(id, EVENT_WAIT)
        .await
        .expect("staff saw the message arrive");
    assert_eq!(change.kind, "message");

    // Then a change on the other customer's own request. Events reach a stream in order,
    // so once that one is there, Jo's message has been passed over already.
    let res = app
        .call(
            "room_message",
            &[
                ("reference", &other_reference),
                ("body", "Hello from Sam"),
                ("topic", "general"),
                ("client_key", "m2"),
            ],
            Some(&other_cookie),
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let mut seen = Vec::new();
    loop {
        let ev = other_stream
            .next_event(EVENT_WAIT)
            .await
            .expect("Sam's own change arrived");
        let change: customer_room::model::live::LiveEvent = serde_json::from_str(&ev.data).unwrap();
        seen.push(change.request_id);
        if change.request_id == other_id {
            break;
        }
    }
    assert_eq!(seen, vec![other_id], "Sam's stream carried Jo's change");
    assert_eq!(
        staff_stream
            .change_for(other_id, EVENT_WAIT)
            .await
            .map(|c| c.kind),
        Some("message".to_string())
    );
}

#[tokio::test]
async fn a_rolled_back_write_sends_no_event() {
    let pool = fresh_db().await;
    let app = TestApp::new(pool).await;
    start_listener(&app).await;
    let (reference, cookie) = customer(&app, "jo@example.com").await;
    let id = request_id(&app, &reference).await;
    let staff = staff_cookie(&app).await;
    let mut stream = SseClient::open(&app, &cookie).await;

    let mut tx = app.state.pool.begin().await.unwrap();
    customer_room::server::live::publish_change(&mut tx, id, "rolled_back")
        .await
        .unwrap();
    tx.rollback().await.unwrap();
    let res = app
        .call(
            "staff_update",
            &[
                ("reference", &reference),
                ("body", "Booked for Friday."),
                ("client_key", "u2"),
            ],
            Some(&staff),
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let first = stream
        .change_for(id, EVENT_WAIT)
        .await
        .expect("the committed update arrived");
    // Events reach a stream in order: the rolled-back one would have come first.
    assert_eq!(first.kind, "update", "the rolled-back change was published");
}

/// Posts a staff update and returns once it is committed.
async fn update(app: &TestApp, staff: &str, reference: &str, body: &str, key: &str) {
    let res = app
        .call(
            "staff_update",
            &[
                ("reference", reference),
                ("body", body),
                ("client_key", key),
            ],
            Some(staff),
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
}

#[tokio::test]
async fn a_reconnect_gets_what_it_missed_once_and_in_order_then_goes_on_live() {
    let pool = fresh_db().await;
    let app = TestApp::new(pool).await;
    start_listener(&app).await;
    let (reference, cookie) = customer(&app, "jo@example.com").await;
    let (other_reference, _) = customer(&app, "sam@example.com").await;
    let id = request_id(&app, &reference).await;
    let staff = staff_cookie(&app).await;

    // The page saw the first update, with its id...
    let mut first = SseClient::open(&app, &cookie).await;
    update(&app, &staff, &reference, "First.", "r1").await;
    let seen = first
        .change_for(id, EVENT_WAIT)
        .await
        .expect("first update");
    assert!(seen.id > 0, "events carry their number");
    drop(first);

    // ...then lost its connection while two more changes (and one elsewhere) happened.
    update(&app, &staff, &reference, "Second.", "r2").await;
    update(&app, &staff, &other_reference, "Not yours.", "o1").await;
    update(&app, &staff, &reference, "Third.", "r3").await;

    let mut back = SseClient::resume(&app, &cookie, Some(seen.id)).await;
    assert_eq!(back.status, StatusCode::OK);
    let a = back.next_event(EVENT_WAIT).await.expect("a missed change");
    let b = back
        .next_event(EVENT_WAIT)
        .await
        .expect("the other missed change");
    let parse = |e: &SseEvent| {
        serde_json::from_str::<customer_room::model::live::LiveEvent>(&e.data).unwrap()
    };
    let (a_ev, b_ev) = (parse(&a), parse(&b));
    assert_eq!(
        (a_ev.request_id, b_ev.request_id),
        (id, id),
        "only this request's changes"
    );
    assert!(
        seen.id < a_ev.id && a_ev.id < b_ev.id,
        "oldest first: {} {} {}",
        seen.id,
        a_ev.id,
        b_ev.id
    );
    assert_eq!(
        a.id.as_deref(),
        Some(a_ev.id.to_string().as_str()),
        "the SSE id is the event's"
    );

    // Live again, and nothing from before comes twice.
    update(&app, &staff, &reference, "Fourth.", "r4").await;
    let next = back
        .change_for(id, EVENT_WAIT)
        .await
        .expect("the live change");
    assert!(next.id > b_ev.id);
    let rest = back.drain(std::time::Duration::from_millis(500)).await;
    assert!(rest.is_empty(), "nothing doubled: {rest:?}");
}
