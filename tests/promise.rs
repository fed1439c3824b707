//! The call-back "Get human help" promises, counted in the business's open hours: through
//! the real config, the stored ask and the room a customer reads.
use crate::common;

use axum::http::StatusCode;
use chrono::{Datelike, Duration, NaiveDate, TimeZone, Utc, Weekday};
use common::*;
use customer_room::model::hours::{BusinessHours, DEFAULT_HOURS};

/// The first Friday after today in the business's time zone.
fn next_friday(tz: chrono_tz::Tz) -> NaiveDate {
    let mut d = Utc::now().with_timezone(&tz).date_naive() + Duration::days(1);
    while d.weekday() != Weekday::Fri {
        d += Duration::days(1);
    }
    d
}

/// Asks for a person, then moves the ask to Friday 4:30 pm (local) and reads the room.
async fn promise_for_friday_afternoon(app: &TestApp, email: &str, friday: NaiveDate) -> String {
    let (reference, cookie) = signed_in_customer(app, email).await;
    let help = [
        ("reference", reference.as_str()),
        ("callback_window", ""),
        ("note", ""),
        ("client_key", "h1"),
    ];
    assert_eq!(
        app.call("room_help", &help, Some(&cookie)).await.status,
        StatusCode::OK
    );
    let tz = app.state.config.timezone;
    let asked = tz
        .from_local_datetime(&friday.and_hms_opt(16, 30, 0).unwrap())
        .unwrap()
        .with_timezone(&Utc);
    sqlx::query("UPDATE requests SET urgent_at = $2 WHERE reference = $1")
        .bind(&reference)
        .bind(asked)
        .execute(&app.state.pool)
        .await
        .unwrap();
    let room = app
        .call("room", &[("reference", &reference)], Some(&cookie))
        .await;
    assert_eq!(room.status, StatusCode::OK, "{}", room.body);
    room.json()["help_by"].as_str().unwrap().to_string()
}

#[tokio::test]
async fn a_friday_afternoon_ask_is_promised_for_saturday_or_after_the_holidays() {
    let pool = fresh_db().await;
    // Open Mon–Fri 7:30–5 and Saturday 8–12; a call back within two open hours.
    let plain = TestApp::build(pool.clone(), [127, 0, 0, 1], |_| {}).await;
    let friday = next_friday(plain.state.config.timezone);
    // 30 minutes on Friday, the other 90 from Saturday's opening at 8.
    let by = promise_for_friday_afternoon(&plain, "jo@example.com", friday).await;
    assert!(by.starts_with("9:30 am on Sat"), "{by}");

    // Saturday and Monday are holidays, Sunday is closed: Tuesday, 90 minutes after 7:30.
    let holidays = format!(
        "{}, {}",
        friday + Duration::days(1),
        friday + Duration::days(3)
    );
    let closed = TestApp::build(pool, [127, 0, 0, 2], |c| {
        c.hours = BusinessHours::parse(DEFAULT_HOURS, &holidays, 120).unwrap();
    })
    .await;
    let by = promise_for_friday_afternoon(&closed, "kim@example.com", friday).await;
    assert!(by.starts_with("9 am on Tue"), "{by}");
    // The room says it where the customer asked.
    let (reference, cookie) = signed_in_customer(&closed, "lee@example.com").await;
    let page = closed
        .get(&format!("/room/{reference}"), Some(&cookie))
        .await;
    assert!(
        page.body.contains("a person will call you back by"),
        "the promise before asking"
    );
}
