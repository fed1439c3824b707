//! Moving a request through its workflow in tests: accept it, make a job, sign in a
//! technician.
#![allow(dead_code)]
use super::{TestApp, TestResponse};
use axum::http::StatusCode;
use customer_room::server::auth::session::STAFF_COOKIE;
use uuid::Uuid;

/// Accepts the request as `staff`; panics if refused.
pub async fn accept(app: &TestApp, reference: &str, staff: &str) {
    let res = app
        .call(
            "staff_status",
            &[("reference", reference), ("status", "accepted")],
            Some(staff),
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "accept: {}", res.body);
}

/// A technician account, signed in: (staff id, cookie).
pub async fn technician(app: &TestApp, email: &str, name: &str) -> (Uuid, String) {
    use customer_room::{
        model::staff::StaffRole,
        server::{auth::passwords, db},
    };
    let hash = passwords::hash("van keys and ladders".into())
        .await
        .unwrap();
    db::staff::upsert(&app.state.pool, email, name, StaffRole::Technician, &hash)
        .await
        .unwrap();
    let id: Uuid = sqlx::query_scalar("SELECT id FROM staff WHERE email = $1")
        .bind(email)
        .fetch_one(&app.state.pool)
        .await
        .unwrap();
    let res = app
        .call(
            "staff_sign_in",
            &[("email", email), ("password", "van keys and ladders")],
            None,
        )
        .await;
    (id, res.cookie(STAFF_COOKIE).expect("technician signed in"))
}

/// The form fields of "make a job" for `day` (YYYY-MM-DD), 09:00 to 11:00.
pub fn job_fields<'a>(
    reference: &'a str,
    technician: &'a str,
    day: &'a str,
) -> Vec<(&'a str, &'a str)> {
    vec![
        ("reference", reference),
        ("kind", "work_order"),
        ("location", "12 Example St, Newtown NSW 2042"),
        ("date", day),
        ("start", "09:00"),
        ("end", "11:00"),
        ("technician_id", technician),
        ("notes", "Bring the long ladder"),
    ]
}

/// Makes a job as `staff`; returns the response (the caller asserts).
pub async fn make_job(
    app: &TestApp,
    reference: &str,
    staff: &str,
    technician: Uuid,
    day: &str,
) -> TestResponse {
    let tech = technician.to_string();
    app.call(
        "staff_job_create",
        &job_fields(reference, &tech, day),
        Some(staff),
    )
    .await
}

/// One step of a job (`on_my_way`, `in_progress`, `finished`, `cancelled`) as `cookie`;
/// the caller asserts.
pub async fn step(
    app: &TestApp,
    cookie: &str,
    job: uuid::Uuid,
    to: &str,
    outcome: &str,
) -> TestResponse {
    app.call(
        "staff_job_step",
        &[
            ("job_id", &job.to_string()),
            ("to", to),
            ("outcome", outcome),
        ],
        Some(cookie),
    )
    .await
}

/// The id of the request's newest job.
pub async fn job_id(app: &TestApp, reference: &str) -> Uuid {
    sqlx::query_scalar(
        "SELECT j.id FROM jobs j JOIN requests r ON r.id = j.request_id
         WHERE r.reference = $1 ORDER BY j.created_at DESC LIMIT 1",
    )
    .bind(reference)
    .fetch_one(&app.state.pool)
    .await
    .unwrap()
}

/// Today in the business's time zone (the tests' config: Australia/Sydney), as YYYY-MM-DD.
pub fn business_today(app: &TestApp) -> String {
    chrono::Utc::now()
        .with_timezone(&app.state.config.timezone)
        .date_naive()
        .format("%Y-%m-%d")
        .to_string()
}

/// Accepts the request, books a job for a new technician and takes it to Finished.
pub async fn finished_job(app: &TestApp, reference: &str, office: &str) {
    let (tech, tech_cookie) = technician(app, "sam@example.com", "Sam Fixer").await;
    accept(app, reference, office).await;
    let made = make_job(app, reference, office, tech, "2030-01-08").await;
    assert_eq!(made.status, StatusCode::OK, "{}", made.body);
    let job = job_id(app, reference).await;
    for (to, outcome) in [
        ("on_my_way", ""),
        ("in_progress", ""),
        ("finished", "New washer fitted."),
    ] {
        let res = step(app, &tech_cookie, job, to, outcome).await;
        assert_eq!(res.status, StatusCode::OK, "{to}: {}", res.body);
    }
}
