//! The request workflow and jobs: only the allowed moves, refusals that say why, a job's
//! steps with the customer's timeline following, technicians kept to their own jobs, and
//! every change in the activity log.
use crate::common;

use axum::http::StatusCode;
use common::{workflow::*, *};

async fn status_of(app: &TestApp, reference: &str) -> String {
    sqlx::query_scalar("SELECT status FROM requests WHERE reference = $1")
        .bind(reference)
        .fetch_one(&app.state.pool)
        .await
        .unwrap()
}

async fn move_to(
    app: &TestApp,
    reference: &str,
    staff: &str,
    to: &str,
    reason: &str,
) -> TestResponse {
    app.call(
        "staff_status",
        &[("reference", reference), ("status", to), ("reason", reason)],
        Some(staff),
    )
    .await
}

#[tokio::test]
async fn a_request_moves_only_along_its_workflow_and_a_refusal_says_why() {
    let pool = fresh_db().await;
    let app = TestApp::new(pool).await;
    let (reference, cookie) = signed_in_customer(&app, "jo@example.com").await;
    let staff = staff_cookie(&app).await;
    let r = reference.as_str();

    // Straight from New to Scheduled, Done or Quoted: refused, with what to do instead.
    for (to, why) in [
        (
            "scheduled",
            "Accept the request first, then make a job for it.",
        ),
        ("done", "Accept the request first."),
        ("quoted", "Send a quote to move the request to Quoted."),
        (
            "in_progress",
            "The technician's job moves the request to In progress.",
        ),
    ] {
        let res = move_to(&app, r, &staff, to, "").await;
        assert_eq!(res.status, StatusCode::CONFLICT, "{to}: {}", res.body);
        assert_eq!(res.error_text(), why, "{to}");
        assert_eq!(
            status_of(&app, r).await,
            "new",
            "a refused move changes nothing"
        );
    }
    // A quote can't be sent before the request is accepted.
    app.call(
        "staff_quote_save",
        &[
            ("reference", r),
            ("lines[0][description]", "Call-out"),
            ("lines[0][quantity]", "1"),
            ("lines[0][unit_price]", "120"),
            ("valid_until", "2030-01-01"),
        ],
        Some(&staff),
    )
    .await;
    let quote_id: uuid::Uuid = sqlx::query_scalar("SELECT id FROM quotes")
        .fetch_one(&app.state.pool)
        .await
        .unwrap();
    let send = app
        .call(
            "staff_quote_send",
            &[("reference", r), ("quote_id", &quote_id.to_string())],
            Some(&staff),
        )
        .await;
    assert_eq!(send.status, StatusCode::CONFLICT);
    assert_eq!(
        send.error_text(),
        "Accept the request before sending a quote."
    );

    // Rejecting needs a reason the customer reads; with one, the room shows it plainly.
    let bare = move_to(&app, r, &staff, "declined", "").await;
    assert_eq!(bare.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bare.error_text().contains("why we can't take the job"));
    let rejected = move_to(
        &app,
        r,
        &staff,
        "declined",
        "We don't cover the Blue Mountains",
    )
    .await;
    assert_eq!(rejected.status, StatusCode::OK, "{}", rejected.body);
    let view = room_view(&app, r, &cookie).await;
    assert_eq!(
        view.timeline[2].detail.as_deref(),
        Some("Not able to take this job: We don't cover the Blue Mountains")
    );
    // From Rejected the only way on is reopening it.
    let accept = move_to(&app, r, &staff, "accepted", "").await;
    assert_eq!(accept.status, StatusCode::CONFLICT);
    assert_eq!(
        accept.error_text(),
        "Reopen the request (move it to New) first."
    );
    assert_eq!(
        move_to(&app, r, &staff, "new", "").await.status,
        StatusCode::OK
    );
    assert_eq!(
        move_to(&app, r, &staff, "accepted", "").await.status,
        StatusCode::OK
    );
    let again = move_to(&app, r, &staff, "accepted", "").await;
    assert_eq!(again.error_text(), "This request is already Accepted.");
    // Accepted: a quote goes out now.
    assert_eq!(send_again(&app, r, &staff, quote_id).await, StatusCode::OK);
    assert_eq!(status_of(&app, r).await, "quoted");
}

async fn send_again(app: &TestApp, r: &str, staff: &str, quote_id: uuid::Uuid) -> StatusCode {
    app.call(
        "staff_quote_send",
        &[("reference", r), ("quote_id", &quote_id.to_string())],
        Some(staff),
    )
    .await
    .status
}

#[tokio::test]
async fn a_job_goes_scheduled_on_my_way_started_finished_and_the_room_follows() {
    let pool = fresh_db().await;
    let app = TestApp::new(pool).await;
    let (reference, cookie) = signed_in_customer(&app, "jo@example.com").await;
    let r = reference.as_str();
    let office = staff_cookie(&app).await;
    let (tech, tech_cookie) = technician(&app, "sam@example.com", "Sam Fixer").await;

    let early = make_job(&app, r, &office, tech, "2030-01-08").await;
    assert_eq!(early.status, StatusCode::CONFLICT);
    assert_eq!(
        early.error_text(),
        "Accept the request before making a job."
    );
    accept(&app, r, &office).await;
    let made = make_job(&app, r, &office, tech, "2030-01-08").await;
    assert_eq!(made.status, StatusCode::OK, "{}", made.body);
    assert_eq!(status_of(&app, r).await, "scheduled");
    let twice = make_job(&app, r, &office, tech, "2030-01-09").await;
    assert_eq!(twice.status, StatusCode::CONFLICT);
    assert_eq!(twice.error_text(), "This request already has a job.");
    let job = job_id(&app, r).await;

    let finish_early = step(&app, &tech_cookie, job, "finished", "Done").await;
    assert_eq!(
        finish_early.error_text(),
        "Start the job before finishing it."
    );
    assert_eq!(
        step(&app, &tech_cookie, job, "on_my_way", "").await.status,
        StatusCode::OK
    );
    // A second tap of the same step is a retry: nothing changes, nothing is doubled.
    assert_eq!(
        step(&app, &tech_cookie, job, "on_my_way", "").await.status,
        StatusCode::OK
    );
    let view = room_view(&app, r, &cookie).await;
    assert_eq!(view.updates[0].body, "Sam is on the way.");
    assert_eq!(
        view.updates
            .iter()
            .filter(|u| u.body == "Sam is on the way.")
            .count(),
        1
    );
    assert_eq!(
        view.timeline[5].detail.as_deref(),
        Some("Sam is on the way")
    );
    assert_eq!(status_of(&app, r).await, "in_progress");

    assert_eq!(
        step(&app, &tech_cookie, job, "in_progress", "")
            .await
            .status,
        StatusCode::OK
    );
    let no_summary = step(&app, &tech_cookie, job, "finished", "").await;
    assert_eq!(no_summary.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        no_summary.error_text(),
        "Write a short summary for the customer of what was done."
    );
    let done = step(
        &app,
        &tech_cookie,
        job,
        "finished",
        "Replaced the tap washer.",
    )
    .await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    let view = room_view(&app, r, &cookie).await;
    assert_eq!(
        view.updates[0].body,
        "Work finished. Replaced the tap washer."
    );
    assert!(view.timeline[6].done_at.is_some(), "Done");
    assert_eq!(status_of(&app, r).await, "done");
    let cancel = step(&app, &office, job, "cancelled", "Too late").await;
    assert_eq!(cancel.status, StatusCode::CONFLICT);
    assert_eq!(cancel.error_text(), "This job is already finished.");
}

#[tokio::test]
async fn a_cancelled_visit_tells_the_customer_why_and_hands_the_request_back() {
    let pool = fresh_db().await;
    let app = TestApp::new(pool).await;
    let (reference, cookie) = signed_in_customer(&app, "jo@example.com").await;
    let r = reference.as_str();
    let office = staff_cookie(&app).await;
    let (tech, _) = technician(&app, "sam@example.com", "Sam Fixer").await;
    accept(&app, r, &office).await;
    assert_eq!(
        make_job(&app, r, &office, tech, "2030-01-08").await.status,
        StatusCode::OK
    );
    let job = job_id(&app, r).await;
    let bare = step(&app, &office, job, "cancelled", "").await;
    assert_eq!(
        bare.error_text(),
        "Tell the customer why the visit is cancelled."
    );
    let ok = step(
        &app,
        &office,
        job,
        "cancelled",
        "The part hasn't arrived yet.",
    )
    .await;
    assert_eq!(ok.status, StatusCode::OK, "{}", ok.body);
    assert_eq!(status_of(&app, r).await, "accepted");
    let view = room_view(&app, r, &cookie).await;
    assert_eq!(
        view.updates[0].body,
        "Your visit on Tuesday 8 January is cancelled. The part hasn't arrived yet."
    );
    assert!(view.timeline[4].done_at.is_none(), "no booking now");
    // A new visit can be booked.
    assert_eq!(
        make_job(&app, r, &office, tech, "2030-01-10").await.status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn technicians_step_only_their_own_jobs_and_see_only_their_own_day() {
    let pool = fresh_db().await;
    let app = TestApp::new(pool).await;
    let (reference, _) = signed_in_customer(&app, "jo@example.com").await;
    let r = reference.as_str();
    let office = staff_cookie(&app).await;
    let (sam, sam_cookie) = technician(&app, "sam@example.com", "Sam Fixer").await;
    let (_, kim_cookie) = technician(&app, "kim@example.com", "Kim Wired").await;
    accept(&app, r, &office).await;
    let today = business_today(&app);
    assert_eq!(
        make_job(&app, r, &office, sam, &today).await.status,
        StatusCode::OK
    );
    let job = job_id(&app, r).await;

    let day = app.call("staff_today", &[], Some(&sam_cookie)).await;
    assert_eq!(day.status, StatusCode::OK, "{}", day.body);
    let jobs = day.json();
    assert_eq!(jobs.as_array().unwrap().len(), 1);
    assert_eq!(jobs[0]["first_name"], "Jo");
    assert_eq!(jobs[0]["phone"], "+61412345678");
    assert_eq!(jobs[0]["job"]["reference"], reference);
    let page = app.get("/staff/today", Some(&sam_cookie)).await;
    assert!(page.body.contains("tel:+61412345678"), "tap to call");
    assert!(page.body.contains("google.com/maps/search"), "tap for maps");
    assert!(page.body.contains("On my way"));

    // Kim: none of it.
    let theirs = app.call("staff_today", &[], Some(&kim_cookie)).await;
    assert_eq!(theirs.json().as_array().unwrap().len(), 0);
    let denied = step(&app, &kim_cookie, job, "on_my_way", "").await;
    assert_eq!(denied.status, StatusCode::FORBIDDEN);
    assert!(
        !denied.body.contains(r) && !denied.body.contains("Jo"),
        "{}",
        denied.body
    );
    for path in [
        format!("/staff/requests/{r}"),
        "/staff/board".into(),
        "/staff".into(),
    ] {
        let res = app.get(&path, Some(&kim_cookie)).await;
        assert_eq!(res.status, StatusCode::FORBIDDEN, "{path}");
        assert!(!res.body.contains("Citizen"), "{path}");
    }
    assert_eq!(status_of(&app, r).await, "scheduled");
}

#[tokio::test]
async fn every_change_is_in_the_activity_log_with_who_and_when() {
    let pool = fresh_db().await;
    let app = TestApp::new(pool).await;
    let (reference, cookie) = signed_in_customer(&app, "jo@example.com").await;
    let r = reference.as_str();
    let office = staff_cookie(&app).await;
    let (sam, sam_cookie) = technician(&app, "sam@example.com", "Sam Fixer").await;
    accept(&app, r, &office).await;
    make_job(&app, r, &office, sam, "2030-01-08").await;
    step(&app, &sam_cookie, job_id(&app, r).await, "on_my_way", "").await;
    app.call(
        "room_message",
        &[
            ("reference", r),
            ("body", "Gate is open"),
            ("topic", "general"),
            ("client_key", "m1"),
        ],
        Some(&cookie),
    )
    .await;
    let rows: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT e.kind, e.actor_kind, e.actor FROM request_events e JOIN requests r ON r.id = e.request_id
         WHERE r.reference = $1 ORDER BY e.created_at, e.kind",
    )
    .bind(r)
    .fetch_all(&app.state.pool)
    .await
    .unwrap();
    let has = |kind: &str, actor_kind: &str, actor: &str| {
        rows.iter()
            .any(|(k, ak, a)| k == kind && ak == actor_kind && a == actor)
    };
    assert!(has("received", "customer", "customer"), "{rows:?}");
    assert!(has("accepted", "staff", "Sam Office"), "{rows:?}");
    assert!(has("scheduled", "staff", "Sam Office"), "{rows:?}");
    assert!(has("job_created", "staff", "Sam Office"), "{rows:?}");
    assert!(has("job_on_my_way", "staff", "Sam Fixer"), "{rows:?}");
    assert!(has("customer_wrote", "customer", "customer"), "{rows:?}");
    // The staff page shows the log, internal entries marked.
    let page = app
        .get(&format!("/staff/requests/{r}"), Some(&office))
        .await;
    assert!(page.body.contains("Made job J-"), "the job in the log");
    assert!(page.body.contains("Wrote in the room"));
}
