//! Changing a booked job: a new time, technician or address reaches the customer's room and
//! the activity log; notes stay between office and technician; a retry changes nothing;
//! technicians cannot change bookings; once under way the booking is fixed.
use crate::common;

use axum::http::StatusCode;
use common::{workflow::*, *};
use uuid::Uuid;

fn change_fields<'a>(
    job: &'a str,
    technician: &'a str,
    day: &'a str,
    start: &'a str,
    end: &'a str,
    notes: &'a str,
) -> Vec<(&'a str, &'a str)> {
    vec![
        ("job_id", job),
        ("kind", "work_order"),
        ("location", "12 Example St, Newtown NSW 2042"),
        ("date", day),
        ("start", start),
        ("end", end),
        ("technician_id", technician),
        ("notes", notes),
    ]
}

async fn count_events(app: &TestApp, reference: &str, kind: &str) -> i64 {
    sqlx::query_scalar(
        "SELECT count(*) FROM request_events e JOIN requests r ON r.id = e.request_id
         WHERE r.reference = $1 AND e.kind = $2",
    )
    .bind(reference)
    .bind(kind)
    .fetch_one(&app.state.pool)
    .await
    .unwrap()
}

async fn jobs_on_day(app: &TestApp, cookie: &str) -> usize {
    let day = app.call("staff_today", &[], Some(cookie)).await;
    assert_eq!(day.status, StatusCode::OK, "{}", day.body);
    day.json().as_array().unwrap().len()
}

#[tokio::test]
async fn a_booked_job_moves_to_another_time_and_technician_and_the_customer_is_told() {
    let pool = fresh_db().await;
    let app = TestApp::new(pool).await;
    let (reference, cookie) = signed_in_customer(&app, "jo@example.com").await;
    let r = reference.as_str();
    let office = staff_cookie(&app).await;
    let (sam, sam_cookie) = technician(&app, "sam@example.com", "Sam Fixer").await;
    let (kim, kim_cookie) = technician(&app, "kim@example.com", "Kim Wired").await;
    accept(&app, r, &office).await;
    let today = business_today(&app);
    assert_eq!(
        make_job(&app, r, &office, sam, &today).await.status,
        StatusCode::OK
    );
    let job = job_id(&app, r).await.to_string();
    let (kim_id, sam_id) = (kim.to_string(), sam.to_string());
    let alerts_before: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM outbox WHERE template = 'job_scheduled' AND channel = 'email'",
    )
    .fetch_one(&app.state.pool)
    .await
    .unwrap();
    assert_eq!(alerts_before, 1, "the booking itself");

    // A technician can't move bookings, not even their own.
    let denied = app
        .call(
            "staff_job_change",
            &change_fields(&job, &sam_id, &today, "13:00", "15:00", ""),
            Some(&sam_cookie),
        )
        .await;
    assert_eq!(denied.status, StatusCode::FORBIDDEN);
    assert!(!denied.body.contains(r) && !denied.body.contains("Example St"));

    // A bad time says which field and keeps the booking as it was.
    let bad = app
        .call(
            "staff_job_change",
            &change_fields(&job, &kim_id, &today, "15:00", "13:00", ""),
            Some(&office),
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bad.error_text(), "The job has to end after it starts.");
    assert_eq!(jobs_on_day(&app, &sam_cookie).await, 1);

    let fields = change_fields(
        &job,
        &kim_id,
        &today,
        "13:00",
        "15:00",
        "Bring the long ladder",
    );
    let moved = app.call("staff_job_change", &fields, Some(&office)).await;
    assert_eq!(moved.status, StatusCode::OK, "{}", moved.body);
    // The same form again (a double tap, a retry): nothing more happens.
    let again = app.call("staff_job_change", &fields, Some(&office)).await;
    assert_eq!(again.status, StatusCode::OK, "{}", again.body);
    assert_eq!(count_events(&app, r, "job_moved").await, 1);
    assert_eq!(count_events(&app, r, "job_changed").await, 1);

    let view = room_view(&app, r, &cookie).await;
    let update = &view.updates[0].body;
    assert!(
        update.starts_with("Your booking has changed. Your job is booked for "),
        "{update}"
    );
    assert!(
        update.contains("1:00 pm – 3:00 pm. Kim will come to 12 Example St"),
        "{update}"
    );
    let booked = view.timeline[4].detail.clone().unwrap_or_default();
    assert!(booked.contains("1:00 pm – 3:00 pm"), "{booked}");
    let alerts: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM outbox WHERE template = 'job_scheduled' AND channel = 'email'",
    )
    .fetch_one(&app.state.pool)
    .await
    .unwrap();
    assert_eq!(alerts, 2, "one more alert for one change");

    // Kim's day has it now; Sam's no longer does.
    assert_eq!(jobs_on_day(&app, &kim_cookie).await, 1);
    assert_eq!(jobs_on_day(&app, &sam_cookie).await, 0);

    // The office's log says what changed and who changed it.
    let log: (String, String, Option<Uuid>) = sqlx::query_as(
        "SELECT e.body, e.actor_kind, e.actor_id FROM request_events e
         JOIN requests r ON r.id = e.request_id WHERE r.reference = $1 AND e.kind = 'job_changed'",
    )
    .bind(r)
    .fetch_one(&app.state.pool)
    .await
    .unwrap();
    assert!(log.0.contains("9:00 am – 11:00 am → "), "{}", log.0);
    assert!(
        log.0.contains("technician Sam Fixer → Kim Wired"),
        "{}",
        log.0
    );
    assert_eq!(log.1, "staff");
    assert!(log.2.is_some());

    // Notes only: logged, but the customer hears nothing.
    let notes = change_fields(&job, &kim_id, &today, "13:00", "15:00", "Gate code 4321");
    let res = app.call("staff_job_change", &notes, Some(&office)).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    assert_eq!(count_events(&app, r, "job_changed").await, 2);
    assert_eq!(count_events(&app, r, "job_moved").await, 1);
    let view = room_view(&app, r, &cookie).await;
    assert!(!serde_json::to_string(&view).unwrap().contains("Gate code"));

    // Once Kim is on the way, the booking is fixed: cancel and book again instead.
    let on_way = app
        .call(
            "staff_job_step",
            &[("job_id", job.as_str()), ("to", "on_my_way")],
            Some(&kim_cookie),
        )
        .await;
    assert_eq!(on_way.status, StatusCode::OK, "{}", on_way.body);
    let late = app
        .call(
            "staff_job_change",
            &change_fields(&job, &sam_id, &today, "16:00", "17:00", ""),
            Some(&office),
        )
        .await;
    assert_eq!(late.status, StatusCode::CONFLICT);
    assert_eq!(
        late.error_text(),
        "The technician is already on this job. Cancel the visit to book another time."
    );
}
