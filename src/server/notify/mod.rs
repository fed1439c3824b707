//! Delivers the outbox. With no provider configured (development), messages go to the
//! log — the only place a link's token is ever printed — and, when `CR_DEV_MAILBOX` names
//! a file, to that file as JSON lines (the end-to-end tests read links there). Once a
//! message is handed off, the outbox keeps it with its links removed.
pub mod admin;
pub mod smtp;
pub mod templates;

use crate::server::{config::Config, db::outbox};
use secrecy::ExposeSecret;
use sqlx::{postgres::PgListener, PgPool};
use std::{io::Write, path::PathBuf, time::Duration};

pub enum Transport {
    /// Development: print the whole message (links included).
    Log {
        mailbox: Option<PathBuf>,
    },
    Smtp(smtp::Mailer),
}

impl Transport {
    /// With `CR_SMTP_URL` set, email goes over SMTP (see `smtp`); without, to the log. A
    /// setting that can't be used stops the start rather than dropping mail later.
    pub fn from_config(config: &Config) -> Result<Self, String> {
        let Some(url) = &config.smtp_url else {
            let mailbox = std::env::var_os("CR_DEV_MAILBOX").map(PathBuf::from);
            return Ok(Transport::Log { mailbox });
        };
        let ca = match &config.smtp_ca_file {
            Some(path) => Some(
                std::fs::read(path)
                    .map_err(|e| format!("CR_SMTP_CA_FILE {}: {e}", path.display()))?,
            ),
            None => None,
        };
        smtp::Mailer::new(url.expose_secret(), &config.mail_from, ca.as_deref())
            .map(Transport::Smtp)
    }

    /// Hands one message off; `Ok` carries the provider's own id for it, where it gives one.
    async fn send(&self, m: &outbox::OutgoingMessage) -> Result<Option<String>, String> {
        match (self, m.channel.as_str()) {
            (Transport::Smtp(mailer), "email") => mailer.send(m).await.map(|_| None),
            // No SMS provider is wired in yet. With a mail provider configured this is not
            // a development install, so the log gets the message without its links.
            (Transport::Smtp(_), _) => {
                tracing::warn!(
                    channel = %m.channel,
                    to = %m.recipient,
                    "no SMS provider configured; message not delivered\n{}",
                    outbox::redact_links(&m.body)
                );
                Ok(None)
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
                    Some(path) => append_to_mailbox(path, m).map(|_| None),
                    None => Ok(None),
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

/// Sends whatever is due; returns how many were handled. The claim commits before any
/// send (see `outbox::claim_due`), and each result is written as soon as it is known.
pub async fn deliver_due(pool: &PgPool, transport: &Transport) -> Result<usize, sqlx::Error> {
    outbox::give_up_abandoned(pool).await?;
    let due = outbox::claim_due(pool, 20).await?;
    for m in &due {
        match transport.send(m).await {
            Ok(provider_id) => outbox::mark_sent(pool, m, provider_id.as_deref()).await?,
            Err(e) => {
                tracing::warn!(to = %m.recipient, error = %e, "message not sent; will retry");
                outbox::mark_failed(pool, m, &e).await?
            }
        }
    }
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
