//! Two app instances on one database, as deployed behind a load balancer: each with its own
//! pool, its own live listener and its own router. What one writes, the other's open
//! streams hear; a session ended on one closes its stream on the other; a photo added
//! through one is served by the other (one object store: S3 under `make test`).
use crate::common;

use axum::http::StatusCode;
use common::{live::*, *};
use sqlx::{postgres::PgPoolOptions, PgPool};

async fn own_pool(pool: &PgPool) -> PgPool {
    PgPoolOptions::new()
        .max_connections(5)
        .connect_with((*pool.connect_options()).clone())
        .await
        .unwrap()
}

async fn instance(pool: &PgPool) -> TestApp {
    let app = TestApp::new(own_pool(pool).await).await;
    start_listener(&app).await;
    app
}

#[tokio::test]
async fn a_write_through_one_instance_reaches_a_stream_open_on_the_other() {
    let pool = fresh_db().await;
    let a = instance(&pool).await;
    let b = instance(&pool).await;
    assert!(!a.state.pool.is_closed() && !b.state.pool.is_closed());

    // The customer signs in through A and watches on B; staff work on A.
    let sent = submit_request(&a, "jo@example.com", vec![]).await;
    let (_, cookie) = open_latest_link(&a, "jo@example.com").await;
    let cookie = cookie.unwrap();
    let id = request_id(&a, &sent.reference).await;
    let staff = staff_cookie(&a).await;
    let mut on_b = SseClient::open(&b, &cookie).await;
    assert_eq!(on_b.status, StatusCode::OK);

    let res = a
        .call(
            "staff_update",
            &[
                ("reference", &sent.reference),
                ("body", "Booked for Friday."),
                ("client_key", "u1"),
            ],
            Some(&staff),
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let change = on_b
        .change_for(id, EVENT_WAIT)
        .await
        .expect("B's stream heard A's write");
    assert_eq!(change.kind, "update");

    // And the other way: the customer writes on B, staff watch on A.
    let mut on_a = SseClient::open(&a, &staff).await;
    assert_eq!(on_a.status, StatusCode::OK);
    let res = b
        .call(
            "room_message",
            &[
                ("reference", &sent.reference),
                ("body", "Friday suits me."),
                ("topic", "general"),
                ("client_key", "m1"),
            ],
            Some(&cookie),
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    // The staff update above can still be on its way to A's listener when this stream opens
    // (a busy machine): skip it, but B's message must come.
    let change = loop {
        let c = on_a
            .change_for(id, EVENT_WAIT)
            .await
            .expect("A's stream heard B's write");
        if c.kind != "update" {
            break c;
        }
    };
    assert_eq!(change.kind, "message");
}

#[tokio::test]
async fn signing_out_on_one_instance_closes_the_stream_on_the_other() {
    let pool = fresh_db().await;
    let a = instance(&pool).await;
    let b = instance(&pool).await;
    submit_request(&a, "jo@example.com", vec![]).await;
    let (_, cookie) = open_latest_link(&a, "jo@example.com").await;
    let cookie = cookie.unwrap();
    let mut on_b = SseClient::open(&b, &cookie).await;
    assert_eq!(on_b.status, StatusCode::OK);

    let out = a
        .call("sign_out", &[("scope", "room")], Some(&cookie))
        .await;
    assert_eq!(out.status, StatusCode::OK, "{}", out.body);
    assert!(
        on_b.closes_within(EVENT_WAIT).await,
        "B's stream closed when A ended its session"
    );
    assert_eq!(
        b.get("/events", Some(&cookie)).await.status,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn a_photo_added_through_one_instance_is_served_by_the_other() {
    let pool = fresh_db().await;
    let a = instance(&pool).await;
    let b = TestApp::sharing_store(own_pool(&pool).await, a.state.storage.clone()).await;
    start_listener(&b).await;
    let sent = submit_request(&a, "jo@example.com", vec![]).await;
    let (_, cookie) = open_latest_link(&a, "jo@example.com").await;
    let cookie = cookie.unwrap();
    let added = a
        .multipart(
            &format!("/room/{}/photos", sent.reference),
            &[
                Part::Text("client_key", "p1"),
                Part::File("files", "tap.png", png_bytes(640, 480)),
            ],
            Some(&cookie),
            true,
        )
        .await;
    assert_eq!(added.status, StatusCode::OK, "{}", added.body);
    let id: uuid::Uuid =
        sqlx::query_scalar("SELECT id FROM attachments WHERE file_name = 'tap.png'")
            .fetch_one(&pool)
            .await
            .unwrap();
    for path in [format!("/files/{id}"), format!("/files/{id}/thumb")] {
        let on_b = b.get(&path, Some(&cookie)).await;
        assert_eq!(on_b.status, StatusCode::OK, "{path} on the other instance");
        assert_eq!(
            on_b.headers
                .get("content-type")
                .and_then(|v| v.to_str().ok()),
            Some("image/jpeg")
        );
    }
    // Someone else asking the other instance gets nothing.
    let stranger = b.get(&format!("/files/{id}"), None).await;
    assert_eq!(stranger.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_board_on_one_instance_hears_the_other_and_catches_up_exactly_after_a_drop() {
    let pool = fresh_db().await;
    let a = instance(&pool).await;
    let b = instance(&pool).await;
    let staff = staff_cookie(&a).await;
    let parse = |e: &SseEvent| {
        serde_json::from_str::<customer_room::model::live::LiveEvent>(&e.data).unwrap()
    };
    // The office's board streams from B; a customer sends a new request through A.
    let mut board = SseClient::open(&b, &staff).await;
    assert_eq!(board.status, StatusCode::OK);
    let first = submit_request(&a, "jo@example.com", vec![]).await;
    let first_id = request_id(&a, &first.reference).await;
    let seen = board
        .change_for(first_id, EVENT_WAIT)
        .await
        .expect("B's board heard A's new request");
    assert_eq!(seen.kind, "request_created");
    drop(board);

    // While the board is away, two more requests arrive through A.
    let second = submit_request(&a, "sam@example.com", vec![]).await;
    let third = submit_request(&a, "kim@example.com", vec![]).await;
    let missed = [
        request_id(&a, &second.reference).await,
        request_id(&a, &third.reference).await,
    ];
    let mut back = SseClient::resume(&b, &staff, Some(seen.id)).await;
    let got: Vec<_> = back
        .drain(std::time::Duration::from_secs(2))
        .await
        .iter()
        .filter(|e| e.event == "change")
        .map(parse)
        .collect();
    let ids: Vec<_> = got.iter().map(|e| e.request_id).collect();
    assert_eq!(
        ids, missed,
        "exactly the missed events, oldest first: {got:?}"
    );
    assert!(got.iter().all(|e| e.id > seen.id));
}
