//! Photos and files added from the room.
use crate::common;

use axum::http::StatusCode;
use common::*;

#[tokio::test]
async fn room_uploads_check_every_file_and_a_retry_is_stored_once() {
    let pool = fresh_db().await;
    let app = TestApp::new(pool).await;
    let (reference, cookie) = signed_in_customer(&app, "jo@example.com").await;
    let url = format!("/room/{reference}/photos");
    let first = app
        .multipart(
            &url,
            &[
                Part::Text("client_key", "f1"),
                Part::Text("caption", "under the sink"),
                Part::File("files", "sink.jpg", jpeg_bytes(3000, 2000)),
            ],
            Some(&cookie),
            true,
        )
        .await;
    assert_eq!(first.status, StatusCode::OK, "{}", first.body);
    let retry = app
        .multipart(
            &url,
            &[
                Part::Text("client_key", "f1"),
                Part::Text("caption", "under the sink"),
                Part::File("files", "sink.jpg", jpeg_bytes(3000, 2000)),
            ],
            Some(&cookie),
            true,
        )
        .await;
    assert_eq!(retry.status, StatusCode::OK);
    let view = room_view(&app, &reference, &cookie).await;
    assert_eq!(view.request.attachments.len(), 1);
    assert_eq!(view.request.attachments[0].caption, "under the sink");
    // The display copy was resized and re-encoded (no camera metadata kept).
    let id = view.request.attachments[0].id;
    let display = app.get(&format!("/files/{id}"), Some(&cookie)).await;
    assert_eq!(display.status, StatusCode::OK);

    let mut truncated = jpeg_bytes(200, 200);
    truncated.truncate(truncated.len() - 200);
    for (name, bytes) in [
        (
            "x.svg",
            br#"<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>"#.to_vec(),
        ),
        ("renamed.jpg", b"%!PS-Adobe not a photo".to_vec()),
        ("bomb.png", huge_png_header()),
        ("cut.jpg", truncated),
    ] {
        let res = app
            .multipart(
                &url,
                &[
                    Part::Text("client_key", name),
                    Part::File("files", name, bytes),
                ],
                Some(&cookie),
                true,
            )
            .await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{name}");
        assert!(res.json()["errors"][0].as_str().unwrap().contains(name));
    }
    assert_eq!(
        room_view(&app, &reference, &cookie)
            .await
            .request
            .attachments
            .len(),
        1
    );

    // Someone else's session can't add to this request.
    let (_, other) = signed_in_customer(&app, "sam@example.com").await;
    let res = app
        .multipart(
            &url,
            &[Part::File("files", "p.png", png_bytes(10, 10))],
            Some(&other),
            true,
        )
        .await;
    assert_denied(
        &res,
        StatusCode::NOT_FOUND,
        &default_secrets(&reference, "jo@example.com"),
        "adding photos to another's request",
    );
    // Without JavaScript, a good upload returns to the room's photo section.
    let res = app
        .multipart(
            &url,
            &[
                Part::Text("client_key", "nojs"),
                Part::File("files", "a.png", png_bytes(10, 10)),
                Part::File("files", "b.png", png_bytes(10, 10)),
            ],
            Some(&cookie),
            false,
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    assert!(res.location().unwrap().ends_with("#photos"));
    assert_eq!(
        room_view(&app, &reference, &cookie)
            .await
            .request
            .attachments
            .len(),
        3
    );
}
