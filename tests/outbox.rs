//! The outbox worker against a real SMTP socket (tests/common/smtp.rs) and a real database:
//! claiming with a lease, sending outside any transaction, retrying with backoff, a worker
//! that died mid-send, and two workers never sending a message twice.
use crate::common;

use axum::http::StatusCode;
use common::{smtp::SmtpServer, *};
use customer_room::server::{
    config::Config,
    db::outbox::{self, MAX_ATTEMPTS},
    notify,
};
use sqlx::{postgres::PgPoolOptions, PgPool, Row};
use std::{collections::HashMap, time::Duration};

/// Generous: the machine running the tests may be busy with several builds.
const WAIT: Duration = Duration::from_secs(60);

fn smtp_transport(url: &str) -> notify::Transport {
    let mut config = Config::for_tests("postgres://unused", std::env::temp_dir());
    config.smtp_url = Some(url.to_string().into());
    config.mail_from = "Customer Room <room@example.com>".into();
    notify::Transport::from_config(&config).expect("a valid SMTP URL")
}

struct Row_ {
    attempts: i32,
    sent: bool,
    last_error: Option<String>,
    /// Seconds from now until the next try.
    retry_in: f64,
    body: String,
}

async fn email_row(pool: &PgPool, recipient: &str) -> Row_ {
    let r = sqlx::query(
        "SELECT attempts, sent_at IS NOT NULL, last_error,
                extract(epoch FROM next_attempt_at - now())::float8, body
         FROM outbox WHERE recipient = $1 AND channel = 'email'",
    )
    .bind(recipient)
    .fetch_one(pool)
    .await
    .unwrap();
    Row_ {
        attempts: r.get(0),
        sent: r.get(1),
        last_error: r.get(2),
        retry_in: r.get(3),
        body: r.get(4),
    }
}

/// Stands in for the clock: the retry is due now.
async fn make_due(pool: &PgPool) {
    sqlx::query("UPDATE outbox SET next_attempt_at = now() WHERE sent_at IS NULL")
        .execute(pool)
        .await
        .unwrap();
}

#[tokio::test]
async fn the_worker_claims_due_messages_and_hands_them_to_smtp_once() {
    let pool = fresh_db().await;
    let app = TestApp::new(pool.clone()).await;
    let (smtp, url) = SmtpServer::start().await;
    let transport = smtp_transport(&url);
    let sent = submit_request(&app, "jo@example.com", vec![]).await;

    // Email and SMS are claimed; SMS has no provider yet and is let go without a send.
    assert_eq!(notify::deliver_due(&pool, &transport).await.unwrap(), 2);
    let mail = smtp.wait_for(1, WAIT).await;
    assert_eq!(mail.len(), 1, "{mail:?}");
    let m = &mail[0];
    assert_eq!(m.from, "room@example.com");
    assert_eq!(m.to, vec!["jo@example.com".to_string()]);
    assert!(
        m.header("Subject").unwrap().contains(&sent.reference),
        "{:?}",
        m.header("Subject")
    );
    // The room link travels only in the mail; the stored copy has lost it.
    let body = m.body();
    let path = link_path(&body);
    assert_eq!(path.len(), "/r/".len() + 64, "{body}");
    // The HTML part says the same, with the link as a button.
    let html = m.html().expect("an HTML part");
    assert!(
        html.contains(&path) && html.contains(">Open your request room</a>"),
        "{html}"
    );
    let row = email_row(&pool, "jo@example.com").await;
    assert!(row.sent && row.attempts == 1 && row.last_error.is_none());
    assert!(!row.body.contains(&path[3..]) && row.body.contains("[room link]"));
    // And the link that went over the wire opens the room.
    let res = app.get(&path, None).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    assert_eq!(res.location().unwrap(), format!("/room/{}", sent.reference));

    // Nothing is due any more: a second pass claims and sends nothing.
    assert_eq!(notify::deliver_due(&pool, &transport).await.unwrap(), 0);
    assert_eq!(smtp.received().len(), 1);
}

#[tokio::test]
async fn a_message_another_worker_holds_is_skipped_not_waited_for() {
    let pool = fresh_db().await;
    let app = TestApp::new(pool.clone()).await;
    let (smtp, url) = SmtpServer::start().await;
    let transport = smtp_transport(&url);
    submit_request(&app, "jo@example.com", vec![]).await;

    // Another instance's worker is in the middle of these two messages.
    let mut other = pool.begin().await.unwrap();
    let held: Vec<uuid::Uuid> =
        sqlx::query_scalar("SELECT id FROM outbox WHERE sent_at IS NULL FOR UPDATE")
            .fetch_all(&mut *other)
            .await
            .unwrap();
    assert_eq!(held.len(), 2);
    let pass = tokio::time::timeout(WAIT, notify::deliver_due(&pool, &transport))
        .await
        .expect("a claimed row is skipped, not waited on")
        .unwrap();
    assert_eq!(pass, 0);
    assert!(smtp.received().is_empty());

    // Let go without sending (that worker failed before its commit): now they are ours.
    other.rollback().await.unwrap();
    assert_eq!(notify::deliver_due(&pool, &transport).await.unwrap(), 2);
    assert_eq!(smtp.wait_for(1, WAIT).await.len(), 1);
}

#[tokio::test]
async fn a_refused_message_is_retried_with_growing_backoff_and_sent_once_accepted() {
    let pool = fresh_db().await;
    let app = TestApp::new(pool.clone()).await;
    let (smtp, url) = SmtpServer::start().await;
    let transport = smtp_transport(&url);
    submit_request(&app, "jo@example.com", vec![]).await;
    smtp.refuse(true);

    assert_eq!(notify::deliver_due(&pool, &transport).await.unwrap(), 2);
    let first = email_row(&pool, "jo@example.com").await;
    assert_eq!(first.attempts, 1);
    assert!(!first.sent);
    assert!(
        first
            .last_error
            .as_deref()
            .unwrap_or("")
            .contains("try again later"),
        "{:?}",
        first.last_error
    );
    assert!(
        (25.0..=30.5).contains(&first.retry_in),
        "{}",
        first.retry_in
    );
    assert!(first.body.contains("/r/"), "kept whole for the retry");
    // Not due yet: the next pass leaves it alone.
    assert_eq!(notify::deliver_due(&pool, &transport).await.unwrap(), 0);

    make_due(&pool).await;
    assert_eq!(notify::deliver_due(&pool, &transport).await.unwrap(), 1);
    let second = email_row(&pool, "jo@example.com").await;
    assert_eq!(second.attempts, 2);
    assert!(
        (55.0..=60.5).contains(&second.retry_in),
        "{}",
        second.retry_in
    );
    assert!(smtp.received().is_empty());

    smtp.refuse(false);
    make_due(&pool).await;
    assert_eq!(notify::deliver_due(&pool, &transport).await.unwrap(), 1);
    let mail = smtp.wait_for(1, WAIT).await;
    assert_eq!(mail.len(), 1);
    assert!(mail[0].body().contains("/r/"));
    let done = email_row(&pool, "jo@example.com").await;
    assert!(done.sent && done.attempts == 3 && done.last_error.is_none());
    assert!(!done.body.contains("/r/"));
    make_due(&pool).await;
    assert_eq!(notify::deliver_due(&pool, &transport).await.unwrap(), 0);
    assert_eq!(smtp.received().len(), 1);
}

#[tokio::test]
async fn a_message_refused_on_its_last_try_is_given_up_and_loses_its_link() {
    let pool = fresh_db().await;
    let app = TestApp::new(pool.clone()).await;
    let (smtp, url) = SmtpServer::start().await;
    let transport = smtp_transport(&url);
    submit_request(&app, "jo@example.com", vec![]).await;
    smtp.refuse(true);
    sqlx::query("UPDATE outbox SET attempts = $1 WHERE channel = 'email'")
        .bind(MAX_ATTEMPTS - 1)
        .execute(&pool)
        .await
        .unwrap();

    assert_eq!(notify::deliver_due(&pool, &transport).await.unwrap(), 2);
    let row = email_row(&pool, "jo@example.com").await;
    assert_eq!(row.attempts, MAX_ATTEMPTS);
    assert!(!row.sent);
    assert!(!row.body.contains("/r/") && row.body.contains("[room link]"));

    smtp.refuse(false);
    make_due(&pool).await;
    assert_eq!(notify::deliver_due(&pool, &transport).await.unwrap(), 0);
    assert!(smtp.received().is_empty());
}

/// A pool of its own, as a second app instance would have.
async fn second_pool(pool: &PgPool) -> PgPool {
    PgPoolOptions::new()
        .max_connections(4)
        .connect_with((*pool.connect_options()).clone())
        .await
        .unwrap()
}

#[tokio::test]
async fn two_workers_on_one_database_send_every_message_exactly_once() {
    let pool = fresh_db().await;
    // More than one claim (`notify::BATCH`) holds, so both workers get some.
    const MESSAGES: usize = 250;
    sqlx::query(
        "INSERT INTO outbox (id, channel, recipient, subject, body)
         SELECT gen_random_uuid(), 'email', 'person' || i || '@example.com', 'Message ' || i, 'Hello ' || i
         FROM generate_series(1, $1) AS i",
    )
    .bind(MESSAGES as i32)
    .execute(&pool)
    .await
    .unwrap();

    // Each worker has its own pool and its own SMTP port, so we know who sent what. Every
    // hand-off is held until both workers have connected: each then holds leases on its
    // batch while the other claims.
    let (smtp, url_a) = SmtpServer::start().await;
    let url_b = smtp.add_listener(1).await;
    smtp.hold_until_listeners(2);
    notify::spawn_worker(second_pool(&pool).await, smtp_transport(&url_a));
    notify::spawn_worker(second_pool(&pool).await, smtp_transport(&url_b));

    let mail = smtp.wait_for(MESSAGES, WAIT).await;
    let pending = tokio::time::timeout(WAIT, async {
        loop {
            let n: i64 = sqlx::query_scalar("SELECT count(*) FROM outbox WHERE sent_at IS NULL")
                .fetch_one(&pool)
                .await
                .unwrap();
            if n == 0 {
                return;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    })
    .await;
    assert!(pending.is_ok(), "every message marked sent");
    // Marked sent means never claimed again, so what arrived by now is final.
    let mail_after = smtp.received();
    assert_eq!(mail_after.len(), mail.len());

    let mut per_recipient: HashMap<String, usize> = HashMap::new();
    for m in &mail_after {
        *per_recipient.entry(m.to.join(",")).or_default() += 1;
    }
    let doubled: Vec<_> = per_recipient.iter().filter(|(_, n)| **n > 1).collect();
    assert!(doubled.is_empty(), "sent twice: {doubled:?}");
    assert_eq!(per_recipient.len(), MESSAGES);
    assert_eq!(mail_after.len(), MESSAGES);
    for listener in [0, 1] {
        assert!(
            mail_after.iter().any(|m| m.listener == listener),
            "worker {listener} sent nothing"
        );
    }
    let attempts: i64 = sqlx::query_scalar("SELECT sum(attempts) FROM outbox")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(attempts, MESSAGES as i64, "one try each");
}

async fn expire_leases(pool: &PgPool) {
    sqlx::query(
        "UPDATE outbox SET lease_until = now() - interval '1 second' WHERE status = 'sending'",
    )
    .execute(pool)
    .await
    .unwrap();
}

#[tokio::test]
async fn a_worker_that_died_mid_send_is_taken_over_after_its_lease_under_the_same_id() {
    let pool = fresh_db().await;
    let app = TestApp::new(pool.clone()).await;
    let (smtp, url) = SmtpServer::start().await;
    let transport = smtp_transport(&url);
    submit_request(&app, "jo@example.com", vec![]).await;

    // A worker claims the batch and dies before sending anything.
    assert_eq!(outbox::claim_due(&pool, 20).await.unwrap().len(), 2);
    // Its lease still runs: nobody else takes those messages meanwhile.
    assert_eq!(notify::deliver_due(&pool, &transport).await.unwrap(), 0);
    assert!(smtp.received().is_empty());

    expire_leases(&pool).await;
    assert_eq!(notify::deliver_due(&pool, &transport).await.unwrap(), 2);
    let mail = smtp.wait_for(1, WAIT).await;
    let id: uuid::Uuid = sqlx::query_scalar("SELECT id FROM outbox WHERE channel = 'email'")
        .fetch_one(&pool)
        .await
        .unwrap();
    // (The parsed header drops the angle brackets.)
    assert_eq!(
        mail[0].header("Message-ID").as_deref(),
        Some(format!("{id}@example.com").as_str())
    );
    let row = email_row(&pool, "jo@example.com").await;
    assert!(
        row.sent && row.attempts == 2,
        "the dead worker's try counts"
    );

    // Sent, then died before writing it down: the message goes again, but as the same
    // message (same Message-ID), so the customer's mail system shows it once.
    sqlx::query(
        "UPDATE outbox SET status = 'sending', sent_at = NULL, lease_until = now() - interval '1 second'
         WHERE channel = 'email'",
    )
    .execute(&pool)
    .await
    .unwrap();
    assert_eq!(notify::deliver_due(&pool, &transport).await.unwrap(), 1);
    let mail = smtp.wait_for(2, WAIT).await;
    assert_eq!(mail.len(), 2);
    assert_eq!(mail[0].header("Message-ID"), mail[1].header("Message-ID"));
}

#[tokio::test]
async fn a_worker_that_died_on_the_last_try_leaves_the_message_failed_without_its_link() {
    let pool = fresh_db().await;
    let app = TestApp::new(pool.clone()).await;
    let (smtp, url) = SmtpServer::start().await;
    let transport = smtp_transport(&url);
    submit_request(&app, "jo@example.com", vec![]).await;
    sqlx::query("UPDATE outbox SET attempts = $1 WHERE channel = 'email'")
        .bind(MAX_ATTEMPTS - 1)
        .execute(&pool)
        .await
        .unwrap();
    assert_eq!(outbox::claim_due(&pool, 20).await.unwrap().len(), 2);
    expire_leases(&pool).await;

    notify::deliver_due(&pool, &transport).await.unwrap();
    let (status, body): (String, String) =
        sqlx::query_as("SELECT status, body FROM outbox WHERE channel = 'email'")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(status, "failed");
    assert!(
        !body.contains("/r/") && body.contains("[room link]"),
        "{body}"
    );
    assert!(smtp.received().is_empty());
}
