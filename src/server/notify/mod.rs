//! Delivers the outbox. With no provider configured (development), messages go to the
//! log — the only place a link's token is ever printed — and, when `CR_DEV_MAILBOX` names
//! a file, to that file as JSON lines (the end-to-end tests read links there). Once a
//! message is handed off, the outbox keeps it with its links removed.
pub mod templates;

use crate::server::{config::Config, db::outbox};
use lettre::{message::MultiPart, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use secrecy::ExposeSecret;
use sqlx::{postgres::PgListener, PgPool};
use std::{io::Write, path::PathBuf, time::Duration};

pub enum Transport {
    /// Development: print the whole message (links included).
    Log { mailbox: Option<PathBuf> },
    Smtp {
        mailer: AsyncSmtpTransport<Tokio1Executor>,
        from: String,
    },
}

impl Transport {
    /// `CR_SMTP_URL` is parsed by lettre: `smtp://user:pass@host:587?tls=required` (STARTTLS),
    /// `smtps://user:pass@host` (TLS from the first byte) or `smtp://host:25` (a local relay,
    /// plain). A URL that does not parse stops the start rather than dropping mail later.
    pub fn from_config(config: &Config) -> Result<Self, String> {
        let Some(url) = &config.smtp_url else {
            let mailbox = std::env::var_os("CR_DEV_MAILBOX").map(PathBuf::from);
            return Ok(Transport::Log { mailbox });
        };
        let mailer = AsyncSmtpTransport::<Tokio1Executor>::from_url(url.expose_secret())
            // lettre's message names the part that is wrong, never the password.
            .map_err(|e| format!("CR_SMTP_URL is not a usable SMTP address: {e}"))?
            .build();
        Ok(Transport::Smtp {
            mailer,
            from: config.mail_from.clone(),
        })
    }

    async fn send(&self, m: &outbox::OutgoingMessage) -> Result<(), String> {
        match (self, m.channel.as_str()) {
            (Transport::Smtp { mailer, from }, "email") => {
                let email = Message::builder()
                    .from(from.parse().map_err(|e| format!("from address: {e}"))?)
                    .to(m.recipient.parse().map_err(|e| format!("recipient: {e}"))?)
                    .subject(&m.subject)
                    .multipart(MultiPart::alternative_plain_html(
                        m.body.clone(),
                        templates::email_html(&m.subject, &m.body),
                    ))
                    .map_err(|e| e.to_string())?;
                mailer
                    .send(email)
                    .await
                    .map(|_| ())
                    .map_err(|e| e.to_string())
            }
            // No SMS provider is wired in yet. With a mail provider configured this is not
            // a development install, so the log gets the message without its links.
            (Transport::Smtp { .. }, _) => {
                tracing::warn!(
                    channel = %m.channel,
                    to = %m.recipient,
                    "no SMS provider configured; message not delivered\n{}",
                    outbox::redact_links(&m.body)
                );
                Ok(())
            }
            (Transport::Log { mailbox }, _) => {
                tracing::info!(
                    channel = %m.channel,
                    to = %m.recipient,
                    subject = %m.subject,
                    "outgoing message (no provider configured)\n{}",
                    m.body
                );
                match mailbox {
                    Some(path) => append_to_mailbox(path, m),
                    None => Ok(()),
                }
            }
        }
    }
}

/// Development only: one JSON line per message, for the end-to-end tests.
fn append_to_mailbox(path: &PathBuf, m: &outbox::OutgoingMessage) -> Result<(), String> {
    let line = serde_json::json!({
        "id": m.id, "channel": m.channel, "recipient": m.recipient,
        "subject": m.subject, "body": m.body,
    });
    std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .and_then(|mut f| writeln!(f, "{line}"))
        .map_err(|e| format!("dev mailbox {}: {e}", path.display()))
}

/// Sends whatever is due; returns how many were handled.
pub async fn deliver_due(pool: &PgPool, transport: &Transport) -> Result<usize, sqlx::Error> {
    let mut tx = pool.begin().await?;
    let due = outbox::claim_due(&mut tx, 20).await?;
    for m in &due {
        match transport.send(m).await {
            Ok(()) => outbox::mark_sent(&mut tx, m).await?,
            Err(e) => {
                tracing::warn!(to = %m.recipient, error = %e, "message not sent; will retry");
                outbox::mark_failed(&mut tx, m, &e).await?
            }
        }
    }
    tx.commit().await?;
    Ok(due.len())
}

/// Runs in every instance: woken by NOTIFY for speed, and by a timer for retries.
pub fn spawn_worker(pool: PgPool, transport: Transport) {
    tokio::spawn(async move {
        let mut listener = PgListener::connect_with(&pool).await.ok();
        if let Some(l) = listener.as_mut() {
            let _ = l.listen("cr_outbox").await;
        }
        loop {
            if let Err(e) = deliver_due(&pool, &transport).await {
                tracing::warn!(error = %e, "outbox delivery failed");
            }
            match listener.as_mut() {
                Some(l) => {
                    let _ = tokio::time::timeout(Duration::from_secs(5), l.recv()).await;
                }
                None => tokio::time::sleep(Duration::from_secs(2)).await,
            }
        }
    });
}
