//! /staff/outbox: the office sees each message's channel, masked recipient, template,
//! status, tries and last error, and sends a failed one again — as a new message with a
//! fresh room link that opens the room. Technicians and customers are kept out.
use crate::common;

use axum::http::StatusCode;
use common::{smtp::SmtpServer, workflow::technician, *};
use customer_room::server::{
    config::Config,
    db::outbox::MAX_ATTEMPTS,
    notify::{self, Transport},
};
use sqlx::PgPool;
use std::time::Duration;

const WAIT: Duration = Duration::from_secs(60);

fn smtp_transport(url: &str) -> Transport {
    let mut config = Config::for_tests("postgres://unused", std::env::temp_dir());
    config.smtp_url = Some(url.to_string().into());
    config.mail_from = "Customer Room <room@example.com>".into();
    Transport::from_config(&config).expect("a valid SMTP URL")
}

/// Runs the worker until the email has been given up on.
async fn fail_the_email(pool: &PgPool, smtp: &SmtpServer, transport: &Transport) {
    smtp.refuse(true);
    sqlx::query("UPDATE outbox SET attempts = $1 WHERE channel = 'email'")
        .bind(MAX_ATTEMPTS - 1)
        .execute(pool)
        .await
        .unwrap();
    notify::deliver_due(pool, transport).await.unwrap();
    smtp.refuse(false);
}

#[tokio::test]
async fn the_office_sees_a_failed_alert_and_sends_it_again_with_a_working_link() {
    let pool = fresh_db().await;
    let app = TestApp::new(pool.clone()).await;
    let (smtp, url) = SmtpServer::start().await;
    let transport = smtp_transport(&url);
    let sent = submit_request(&app, "jo@example.com", vec![]).await;
    fail_the_email(&pool, &smtp, &transport).await;
    let office = staff_cookie(&app).await;

    let list = app.call("staff_outbox", &[], Some(&office)).await;
    assert_eq!(list.status, StatusCode::OK, "{}", list.body);
    let entries = list.json();
    let failed = &entries[0];
    assert_eq!(failed["status"], "Failed");
    assert_eq!(failed["channel"], "email");
    assert_eq!(failed["recipient"], "j•••@example.com");
    assert_eq!(failed["template"], "request_received");
    assert_eq!(failed["attempts"], MAX_ATTEMPTS);
    assert_eq!(failed["reference"], sent.reference.as_str());
    assert_eq!(failed["retryable"], true);
    assert!(
        failed["last_error"]
            .as_str()
            .unwrap_or("")
            .contains("try again later"),
        "{failed}"
    );
    assert!(
        !list.body.contains("jo@example.com"),
        "recipients are masked"
    );
    assert!(!list.body.contains("/r/"), "no link in the list");
    let page = app.get("/staff/outbox", Some(&office)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("1 message failed"), "{}", page.body);
    assert!(page.body.contains("Send again"));

    let id = failed["id"].as_str().unwrap().to_string();
    let retry = app
        .call("staff_outbox_retry", &[("id", id.as_str())], Some(&office))
        .await;
    assert_eq!(retry.status, StatusCode::OK, "{}", retry.body);
    // A double tap: nothing more is queued.
    let again = app
        .call("staff_outbox_retry", &[("id", id.as_str())], Some(&office))
        .await;
    assert_eq!(again.status, StatusCode::OK, "{}", again.body);
    let emails: i64 = sqlx::query_scalar("SELECT count(*) FROM outbox WHERE channel = 'email'")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(emails, 2, "the old message and one new one");

    assert_eq!(notify::deliver_due(&pool, &transport).await.unwrap(), 1);
    let mail = smtp.wait_for(1, WAIT).await;
    assert_eq!(mail.len(), 1);
    let path = link_path(&mail[0].body());
    let res = app.get(&path, None).await;
    assert_eq!(
        res.status,
        StatusCode::SEE_OTHER,
        "the fresh link opens the room"
    );
    assert_eq!(res.location().unwrap(), format!("/room/{}", sent.reference));
    let list = app.call("staff_outbox", &[], Some(&office)).await.json();
    let statuses: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["channel"] == "email")
        .map(|e| e["status"].as_str().unwrap())
        .collect();
    assert_eq!(statuses, vec!["Sent", "Retried"]);

    // A sent message can't be "sent again".
    let sent_id = list[0]["id"].as_str().unwrap().to_string();
    let refused = app
        .call(
            "staff_outbox_retry",
            &[("id", sent_id.as_str())],
            Some(&office),
        )
        .await;
    assert_eq!(refused.status, StatusCode::CONFLICT);
    assert_eq!(
        refused.error_text(),
        "Only a message that failed can be sent again."
    );
}

#[tokio::test]
async fn a_lost_password_link_is_not_sent_again() {
    let pool = fresh_db().await;
    let app = TestApp::new(pool.clone()).await;
    let (smtp, url) = SmtpServer::start().await;
    let transport = smtp_transport(&url);
    let office = staff_cookie(&app).await;
    sqlx::query("DELETE FROM outbox")
        .execute(&pool)
        .await
        .unwrap();
    let asked = app
        .call(
            "staff_reset_request",
            &[("email", "office@example.com")],
            None,
        )
        .await;
    assert_eq!(asked.status, StatusCode::OK, "{}", asked.body);
    fail_the_email(&pool, &smtp, &transport).await;

    let list = app.call("staff_outbox", &[], Some(&office)).await.json();
    assert_eq!(list[0]["template"], "staff_reset");
    assert_eq!(list[0]["retryable"], false);
    let id = list[0]["id"].as_str().unwrap().to_string();
    let refused = app
        .call("staff_outbox_retry", &[("id", id.as_str())], Some(&office))
        .await;
    assert_eq!(refused.status, StatusCode::CONFLICT);
    assert!(refused
        .error_text()
        .contains("Ask them to request a new one"));
}

#[tokio::test]
async fn technicians_and_customers_cannot_read_the_outbox() {
    let pool = fresh_db().await;
    let app = TestApp::new(pool).await;
    let (reference, customer) = signed_in_customer(&app, "jo@example.com").await;
    let (_, tech) = technician(&app, "sam@example.com", "Sam Fixer").await;
    for (who, cookie) in [
        ("technician", Some(tech.as_str())),
        ("customer", Some(customer.as_str())),
        ("anyone", None),
    ] {
        let res = app.call("staff_outbox", &[], cookie).await;
        let want = if cookie.is_some() {
            StatusCode::FORBIDDEN
        } else {
            StatusCode::UNAUTHORIZED
        };
        assert_eq!(res.status, want, "{who}");
        assert!(
            !res.body.contains("example.com") && !res.body.contains(&reference),
            "{who}: {}",
            res.body
        );
        let page = app.get("/staff/outbox", cookie).await;
        assert!(!page.body.contains("j•••@example.com"), "{who}");
    }
}
