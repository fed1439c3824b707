//! Private feedback and permissioned proof: words reach `/proof` only in the wording the
//! customer approved and after staff publish them; either side takes them down at once;
//! feedback is read on the staff list and nowhere else. And `/guide`.
use crate::common;

use axum::http::StatusCode;
use common::{workflow::*, *};

const WORDS: &str = "Sam fixed the leak in an hour and left everything tidy.";

async fn request_id(app: &TestApp, reference: &str) -> String {
    let id: uuid::Uuid = sqlx::query_scalar("SELECT id FROM requests WHERE reference = $1")
        .bind(reference)
        .fetch_one(&app.state.pool)
        .await
        .unwrap();
    id.to_string()
}

async fn offer(
    app: &TestApp,
    reference: &str,
    cookie: &str,
    words: &str,
    consent: &str,
) -> TestResponse {
    app.call(
        "room_proof_offer",
        &[
            ("reference", reference),
            ("words", words),
            ("consent", consent),
        ],
        Some(cookie),
    )
    .await
}

async fn staff_change(
    app: &TestApp,
    office: &str,
    id: &str,
    action: &str,
    wording: &str,
) -> TestResponse {
    app.call(
        "staff_proof_change",
        &[("request_id", id), ("action", action), ("wording", wording)],
        Some(office),
    )
    .await
}

async fn revision(app: &TestApp, id: &str) -> String {
    let rev: i32 = sqlx::query_scalar("SELECT revision FROM proofs WHERE request_id = $1::uuid")
        .bind(id)
        .fetch_one(&app.state.pool)
        .await
        .unwrap();
    rev.to_string()
}

async fn approve(app: &TestApp, reference: &str, cookie: &str, rev: &str) -> TestResponse {
    app.call(
        "room_proof_approve",
        &[("reference", reference), ("revision", rev)],
        Some(cookie),
    )
    .await
}

async fn feedback(
    app: &TestApp,
    reference: &str,
    cookie: &str,
    step: &str,
    body: &str,
    key: &str,
) -> TestResponse {
    app.call(
        "room_feedback",
        &[
            ("reference", reference),
            ("step", step),
            ("body", body),
            ("client_key", key),
        ],
        Some(cookie),
    )
    .await
}

/// The public proof page's HTML, read by a stranger.
async fn proof_page(app: &TestApp) -> String {
    let page = app.get("/proof", None).await;
    assert_eq!(page.status, StatusCode::OK);
    page.body
}

#[tokio::test]
async fn words_are_published_only_as_the_customer_approved_them_and_either_side_takes_them_down() {
    let pool = fresh_db().await;
    let app = TestApp::new(pool).await;
    let (reference, cookie) = signed_in_customer(&app, "jo@example.com").await;
    let office = staff_cookie(&app).await;
    let id = request_id(&app, &reference).await;

    // Not before the job is finished.
    let early = offer(&app, &reference, &cookie, WORDS, "yes").await;
    assert_eq!(early.status, StatusCode::CONFLICT, "{}", early.body);
    finished_job(&app, &reference, &office).await;
    assert!(proof_page(&app).await.contains("No proof yet"));

    // Permission is asked for, not assumed; the words typed are kept by the form.
    let no_consent = offer(&app, &reference, &cookie, WORDS, "").await;
    assert_eq!(no_consent.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        no_consent.error_text().contains("Tick the box"),
        "{}",
        no_consent.body
    );
    assert_eq!(app.count("SELECT count(*) FROM proofs").await, 0);
    for _ in 0..2 {
        let res = offer(&app, &reference, &cookie, WORDS, "yes").await;
        assert_eq!(
            res.status,
            StatusCode::OK,
            "a double tap is one offer: {}",
            res.body
        );
    }
    assert_eq!(app.count("SELECT count(*) FROM proofs").await, 1);
    let other = offer(&app, &reference, &cookie, "Different words", "yes").await;
    assert_eq!(other.status, StatusCode::CONFLICT);
    assert!(
        !proof_page(&app).await.contains(WORDS),
        "not before staff publish"
    );

    // Staff change the wording: it waits for the customer, and cannot be published.
    let edited = "Sam fixed our leak in an hour and left everything tidy.";
    let res = staff_change(&app, &office, &id, "edit", edited).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let refused = staff_change(&app, &office, &id, "publish", "").await;
    assert_eq!(refused.status, StatusCode::CONFLICT);
    assert!(
        refused.error_text().contains("hasn't approved"),
        "{}",
        refused.body
    );
    // The database refuses it too, whoever writes.
    let forced = sqlx::query("UPDATE proofs SET published_at = now() WHERE request_id = $1::uuid")
        .bind(&id)
        .execute(&app.state.pool)
        .await;
    assert!(
        forced.is_err(),
        "the check forbids publishing unapproved wording"
    );
    let room = app.get(&format!("/room/{reference}"), Some(&cookie)).await;
    assert!(room.body.contains(edited) && room.body.contains("Approve this wording"));

    // An approval names the wording read: a stale one is refused.
    let stale = approve(&app, &reference, &cookie, "1").await;
    assert_eq!(stale.status, StatusCode::CONFLICT);
    let rev = revision(&app, &id).await;
    let res = approve(&app, &reference, &cookie, &rev).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let res = staff_change(&app, &office, &id, "publish", "").await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let page = proof_page(&app).await;
    assert!(page.contains(edited), "published");
    assert!(
        page.contains("Jo, Sydney"),
        "signed with first name and suburb"
    );
    for private in ["jo@example.com", "0412", "George St", "Citizen"] {
        assert!(!page.contains(private), "{private} on the proof page");
    }
    assert!(!page.contains("No proof yet"));
    for rating in ["★", "rating", "/5", "score"] {
        assert!(!page.to_lowercase().contains(rating), "{rating}");
    }

    // Staff take it down: gone at once; the customer's approval stands, so it may go back.
    let res = staff_change(&app, &office, &id, "withdraw", "").await;
    assert_eq!(res.status, StatusCode::OK);
    assert!(!proof_page(&app).await.contains(edited));
    let res = staff_change(&app, &office, &id, "publish", "").await;
    assert_eq!(res.status, StatusCode::OK);
    assert!(proof_page(&app).await.contains(edited));

    // Another change of wording takes it off until the customer approves again.
    let res = staff_change(&app, &office, &id, "edit", WORDS).await;
    assert_eq!(res.status, StatusCode::OK);
    assert!(proof_page(&app).await.contains("No proof yet"));
    let rev = revision(&app, &id).await;
    approve(&app, &reference, &cookie, &rev).await;
    staff_change(&app, &office, &id, "publish", "").await;
    assert!(proof_page(&app).await.contains(WORDS));

    // The customer withdraws: off at once, and staff can neither republish nor reword it.
    let res = app
        .call(
            "room_proof_withdraw",
            &[("reference", &reference)],
            Some(&cookie),
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    assert!(proof_page(&app).await.contains("No proof yet"));
    let res = staff_change(&app, &office, &id, "publish", "").await;
    assert_eq!(res.status, StatusCode::CONFLICT);
    let res = staff_change(&app, &office, &id, "edit", "Anything at all.").await;
    assert_eq!(res.status, StatusCode::CONFLICT);
    assert!(!proof_page(&app).await.contains(WORDS));
    // They may offer new words later, which start again from staff review.
    let res = offer(
        &app,
        &reference,
        &cookie,
        "Still happy with the repair.",
        "yes",
    )
    .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    assert!(proof_page(&app).await.contains("No proof yet"));

    // Every step is in the activity log, with who did it.
    let log: Vec<(String, String)> = sqlx::query_as(
        "SELECT actor_kind, body FROM request_events WHERE request_id = $1::uuid AND kind = 'proof'
         ORDER BY created_at",
    )
    .bind(&id)
    .fetch_all(&app.state.pool)
    .await
    .unwrap();
    assert!(log.len() >= 10, "{log:?}");
    assert!(log
        .iter()
        .any(|(a, b)| a == "customer" && b.starts_with("Withdrew")));
    assert!(log
        .iter()
        .any(|(a, b)| a == "staff" && b.starts_with("Published")));
}

#[tokio::test]
async fn only_the_customer_gives_feedback_or_words_and_feedback_stays_on_the_staff_list() {
    let pool = fresh_db().await;
    let app = TestApp::new(pool).await;
    let (reference, cookie) = signed_in_customer(&app, "jo@example.com").await;
    let (other_ref, other_cookie) = signed_in_customer(&app, "kim@example.com").await;
    let office = staff_cookie(&app).await;
    let (_, tech) = technician(&app, "tech@example.com", "Tess Tech").await;
    let secret = "I wasn't sure my form had gone through.";
    // Someone else's request: refused, and none of it in the answer.
    let res = feedback(&app, &reference, &other_cookie, "confirm", secret, "k1").await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    for leak in [reference.as_str(), "Jo", "George St", "jo@example.com"] {
        assert!(!res.body.contains(leak), "{leak} in {}", res.body);
    }
    // Staff cannot speak for the customer.
    let res = feedback(&app, &reference, &office, "confirm", secret, "k1").await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    let res = offer(&app, &reference, &office, WORDS, "yes").await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    assert_eq!(app.count("SELECT count(*) FROM feedback").await, 0);

    // Bad input says what is wrong.
    let res = feedback(&app, &reference, &cookie, "nowhere", secret, "k0").await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.error_text().contains("Choose the step"), "{}", res.body);
    let res = feedback(&app, &reference, &cookie, "confirm", " ", "k0").await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        res.error_text().contains("what felt unclear"),
        "{}",
        res.body
    );

    // Sent twice (a retry), kept once.
    for _ in 0..2 {
        let res = feedback(&app, &reference, &cookie, "confirm", secret, "k1").await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    }
    assert_eq!(app.count("SELECT count(*) FROM feedback").await, 1);

    // Never on a public page, nor back in anyone's room.
    for (path, who) in [
        ("/proof".to_string(), None),
        ("/guide".to_string(), None),
        ("/guide".to_string(), Some(cookie.as_str())),
        ("/".to_string(), None),
        (format!("/room/{reference}"), Some(cookie.as_str())),
        (format!("/room/{other_ref}"), Some(other_cookie.as_str())),
    ] {
        let page = app.get(&path, who).await;
        assert!(!page.body.contains(secret), "feedback on {path}");
    }

    // The office reads it, with its step; technicians and strangers cannot.
    let list = app.call("staff_feedback", &[], Some(&office)).await;
    assert_eq!(list.status, StatusCode::OK);
    let entries = list.json();
    assert_eq!(entries[0]["body"], secret);
    assert_eq!(entries[0]["reference"], reference.as_str());
    assert_eq!(entries[0]["step"], "Confirm");
    let page = app.get("/staff/feedback", Some(&office)).await;
    assert!(page.body.contains(secret) && page.body.contains("Confirm your details"));
    for (path, who, status) in [
        (
            "/staff/feedback",
            Some(tech.as_str()),
            StatusCode::FORBIDDEN,
        ),
        ("/staff/proof", Some(tech.as_str()), StatusCode::FORBIDDEN),
    ] {
        let page = app.get(path, who).await;
        assert_eq!(page.status, status, "{path}");
        assert!(!page.body.contains(secret));
    }
    let res = app.call("staff_feedback", &[], Some(&tech)).await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    assert!(!res.body.contains(secret));
    let res = app.call("staff_feedback", &[], None).await;
    assert_eq!(res.status, StatusCode::UNAUTHORIZED);
    let res = app.call("staff_feedback", &[], Some(&cookie)).await;
    assert!(res.status.is_client_error() && !res.body.contains(secret));

    // Marked read, with who read it.
    let id = entries[0]["id"].as_str().unwrap().to_string();
    let res = app
        .call("staff_feedback_read", &[("id", &id)], Some(&office))
        .await;
    assert_eq!(res.status, StatusCode::OK);
    let entries = app.call("staff_feedback", &[], Some(&office)).await.json();
    assert_eq!(entries[0]["reviewed"][0], "Sam Office");
}

#[tokio::test]
async fn the_guide_tells_the_path_in_order_and_shows_a_customer_where_they_are() {
    let pool = fresh_db().await;
    let app = TestApp::new(pool).await;
    let steps = [
        "Start",
        "Tell us what you need",
        "Confirm your details",
        "Track your request",
        "Reply or add info",
        "Review the next step or the outcome",
        "Leave proof, only if you choose",
    ];
    let page = app.get("/guide", None).await;
    assert_eq!(page.status, StatusCode::OK);
    let at: Vec<usize> = steps
        .iter()
        .map(|s| {
            page.body
                .find(&format!("{s}<"))
                .unwrap_or_else(|| panic!("{s} missing"))
        })
        .collect();
    assert!(at.windows(2).all(|w| w[0] < w[1]), "in order: {at:?}");
    assert!(!page.body.contains("you are here"));

    let (reference, cookie) = signed_in_customer(&app, "jo@example.com").await;
    let page = app.get("/guide", Some(&cookie)).await;
    assert!(
        page.body
            .contains(&format!("Your request {reference} is at step 3")),
        "{}",
        page.body
    );
    assert!(page.body.contains(&format!("/room/{reference}#details")));

    let office = staff_cookie(&app).await;
    finished_job(&app, &reference, &office).await;
    let page = app.get("/guide", Some(&cookie)).await;
    assert!(page.body.contains("is at step 7"));
    assert!(page.body.contains(&format!("/room/{reference}#proof")));
    // Someone else's session sees their own request, never this one.
    let (_, other) = signed_in_customer(&app, "kim@example.com").await;
    let page = app.get("/guide", Some(&other)).await;
    assert!(!page.body.contains(&reference));
}
