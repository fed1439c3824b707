//! A technician opens the files (and live changes) of requests they have a job on, and no
//! others: another request's photo looks exactly like a missing one.
use crate::common;

use axum::http::StatusCode;
use common::{workflow::*, *};

async fn photo_of(app: &TestApp, reference: &str, cookie: &str) -> String {
    let res = app
        .multipart(
            &format!("/room/{reference}/photos"),
            &[Part::File("files", "meter.png", png_bytes(30, 20))],
            Some(cookie),
            true,
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    res.json()["added"][0]["id"].as_str().unwrap().to_string()
}

#[tokio::test]
async fn a_technician_sees_photos_of_their_own_jobs_only() {
    let pool = fresh_db().await;
    let app = TestApp::new(pool).await;
    let office = staff_cookie(&app).await;
    let (theirs, jo) = signed_in_customer(&app, "jo@example.com").await;
    let (other, kim) = signed_in_customer(&app, "kim@example.com").await;
    let own_photo = photo_of(&app, &theirs, &jo).await;
    let other_photo = photo_of(&app, &other, &kim).await;
    let (tech, tech_cookie) = technician(&app, "sam@example.com", "Sam Fixer").await;
    accept(&app, &theirs, &office).await;
    let made = make_job(&app, &theirs, &office, tech, "2030-01-08").await;
    assert_eq!(made.status, StatusCode::OK, "{}", made.body);

    let mine = app
        .get(&format!("/files/{own_photo}"), Some(&tech_cookie))
        .await;
    assert_eq!(mine.status, StatusCode::OK);
    for path in [
        format!("/files/{other_photo}"),
        format!("/files/{other_photo}/thumb"),
    ] {
        let res = app.get(&path, Some(&tech_cookie)).await;
        assert_eq!(res.status, StatusCode::NOT_FOUND, "{path}");
        assert!(!res.body.contains(&other), "nothing of that request");
    }
    // The office opens both; the customer of the other request opens theirs.
    for id in [&own_photo, &other_photo] {
        let res = app.get(&format!("/files/{id}"), Some(&office)).await;
        assert_eq!(res.status, StatusCode::OK);
    }
    let res = app.get(&format!("/files/{other_photo}"), Some(&kim)).await;
    assert_eq!(res.status, StatusCode::OK);
}
