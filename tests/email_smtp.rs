//! Email through a real SMTP server (aiosmtpd) in each way `CR_SMTP_URL` allows: STARTTLS
//! with a login on a certificate the test makes, TLS from the first byte, and a plain local
//! relay. What arrives has a text and an HTML part, a stable Message-ID and a working link;
//! a wrong password or an untrusted certificate sends nothing and is retried.
use crate::common;

use axum::http::StatusCode;
use common::{aiosmtpd::*, *};
use customer_room::server::{config::Config, notify};
use mail_parser::MessageParser;
use sqlx::PgPool;
use std::{path::PathBuf, time::Duration};

const WAIT: Duration = Duration::from_secs(30);

fn transport(url: String, ca: Option<PathBuf>) -> notify::Transport {
    let mut config = Config::for_tests("postgres://unused", std::env::temp_dir());
    config.smtp_url = Some(url.into());
    config.smtp_ca_file = ca;
    config.mail_from = "Test Plumbing <room@example.com>".into();
    notify::Transport::from_config(&config).expect("a usable SMTP setting")
}

async fn email_status(pool: &PgPool) -> (String, Option<String>) {
    sqlx::query_as("SELECT status, last_error FROM outbox WHERE channel = 'email'")
        .fetch_one(pool)
        .await
        .unwrap()
}

#[tokio::test]
async fn starttls_with_a_login_delivers_a_text_and_html_mail_whose_link_opens_the_room() {
    let pool = fresh_db().await;
    let app = TestApp::new(pool.clone()).await;
    let dir = scratch();
    let (ca, cert, key) = certificate(&dir);
    let (c, k) = (cert.to_str().unwrap(), key.to_str().unwrap());
    let server = Aiosmtpd::start(&["--starttls", c, k, "--auth", "mailer:s3cret pass"]);
    let sent = submit_request(&app, "jo@example.com", vec![]).await;
    let t = transport(
        format!("smtp://mailer:s3cret%20pass@127.0.0.1:{}", server.port),
        Some(ca),
    );

    notify::deliver_due(&pool, &t).await.unwrap();
    let got = server.wait_for(1, WAIT).await;
    assert_eq!(got.len(), 1, "{:?}", email_status(&pool).await);
    let m = &got[0];
    assert!(m.tls, "upgraded with STARTTLS before anything was sent");
    assert_eq!(m.user.as_deref(), Some("mailer"));
    assert_eq!(m.from, "room@example.com");
    assert_eq!(m.to, vec!["jo@example.com".to_string()]);
    let mail = MessageParser::default().parse(m.data.as_bytes()).unwrap();
    assert!(mail.subject().unwrap().contains(&sent.reference));
    let text = mail.body_text(0).unwrap().to_string();
    let html = mail.body_html(0).unwrap().to_string();
    let path = link_path(&text);
    assert!(html.contains(&path), "the HTML part carries the same link");
    let id: uuid::Uuid = sqlx::query_scalar("SELECT id FROM outbox WHERE channel = 'email'")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(
        mail.message_id(),
        Some(format!("{id}@example.com").as_str())
    );
    assert_eq!(email_status(&pool).await.0, "sent");
    let res = app.get(&path, None).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    assert_eq!(res.location().unwrap(), format!("/room/{}", sent.reference));
}

#[tokio::test]
async fn a_wrong_password_sends_nothing_and_waits_for_a_retry() {
    let pool = fresh_db().await;
    let app = TestApp::new(pool.clone()).await;
    let dir = scratch();
    let (ca, cert, key) = certificate(&dir);
    let (c, k) = (cert.to_str().unwrap(), key.to_str().unwrap());
    let server = Aiosmtpd::start(&["--starttls", c, k, "--auth", "mailer:right"]);
    submit_request(&app, "jo@example.com", vec![]).await;
    let t = transport(
        format!("smtp://mailer:wrong@127.0.0.1:{}", server.port),
        Some(ca),
    );
    notify::deliver_due(&pool, &t).await.unwrap();
    let (status, error) = email_status(&pool).await;
    assert_eq!(status, "pending", "to be tried again");
    let error = error.unwrap_or_default();
    assert!(error.to_lowercase().contains("auth"), "{error}");
    assert!(
        !error.contains("wrong"),
        "the password is not in the error: {error}"
    );
    assert!(server.received().is_empty());
}

#[tokio::test]
async fn a_certificate_nobody_trusts_is_refused() {
    let pool = fresh_db().await;
    let app = TestApp::new(pool.clone()).await;
    let dir = scratch();
    let (_, cert, key) = certificate(&dir);
    let (c, k) = (cert.to_str().unwrap(), key.to_str().unwrap());
    let server = Aiosmtpd::start(&["--starttls", c, k]);
    submit_request(&app, "jo@example.com", vec![]).await;
    // No CR_SMTP_CA_FILE: the self-signed certificate is not trusted.
    let t = transport(format!("smtp://127.0.0.1:{}", server.port), None);
    notify::deliver_due(&pool, &t).await.unwrap();
    let (status, error) = email_status(&pool).await;
    assert_eq!(status, "pending");
    assert!(error
        .unwrap_or_default()
        .to_lowercase()
        .contains("certificate"));
    assert!(server.received().is_empty());
}

#[tokio::test]
async fn smtps_is_tls_from_the_first_byte() {
    let pool = fresh_db().await;
    let app = TestApp::new(pool.clone()).await;
    let dir = scratch();
    let (ca, cert, key) = certificate(&dir);
    let (c, k) = (cert.to_str().unwrap(), key.to_str().unwrap());
    let server = Aiosmtpd::start(&["--smtps", c, k, "--auth", "mailer:s3cret"]);
    submit_request(&app, "jo@example.com", vec![]).await;
    let t = transport(
        format!("smtps://mailer:s3cret@127.0.0.1:{}", server.port),
        Some(ca),
    );
    notify::deliver_due(&pool, &t).await.unwrap();
    let got = server.wait_for(1, WAIT).await;
    assert_eq!(got.len(), 1, "{:?}", email_status(&pool).await);
    assert!(got[0].tls);
    assert_eq!(got[0].user.as_deref(), Some("mailer"));
}

#[tokio::test]
async fn a_local_relay_without_tls_works_only_when_asked_for() {
    let pool = fresh_db().await;
    let app = TestApp::new(pool.clone()).await;
    let server = Aiosmtpd::start(&[]);
    submit_request(&app, "jo@example.com", vec![]).await;
    let t = transport(format!("smtp://127.0.0.1:{}?tls=none", server.port), None);
    notify::deliver_due(&pool, &t).await.unwrap();
    let got = server.wait_for(1, WAIT).await;
    assert_eq!(got.len(), 1, "{:?}", email_status(&pool).await);
    assert!(!got[0].tls);

    let mut config = Config::for_tests("postgres://unused", std::env::temp_dir());
    config.smtp_url = Some("smtp://127.0.0.1:25?tls=off".to_string().into());
    let refused = notify::Transport::from_config(&config).err().unwrap();
    assert!(
        refused.contains("tls=required, opportunistic or none"),
        "{refused}"
    );
}
