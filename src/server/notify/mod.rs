//! Delivers the outbox. With no provider configured (development), messages go to the
//! log — the only place a link's token is ever printed — and, when `CR_DEV_MAILBOX` names
//! a file, to that file as JSON lines (the end-to-end tests read links there). Once a
//! message is handed off, the outbox keeps it with its links removed.
pub mod admin;
pub mod alerts;
pub mod editor;
pub mod sms;
pub mod smtp;
pub mod staff_alerts;
pub mod templates;
pub mod webhook;

use crate::server::{config::Config, db::outbox};
use secrecy::ExposeSecret;
use sqlx::{postgres::PgListener, PgPool};
use std::{io::Write, path::PathBuf, time::Duration};

/// Why a hand-off failed, and whether trying again could help.
#[derive(Debug)]
pub struct Refused {
    pub error: String,
    /// The provider will always say no (a number it can't text): give up now.
    pub permanent: bool,
}

impl Refused {
    pub fn retry(error: String) -> Self {
        Refused {
            error,
            permanent: false,
        }
    }

    pub fn permanent(error: String) -> Self {
        Refused {
            error,
            permanent: true,
        }
    }
}

/// Where each channel goes: its provider when configured, otherwise the log.
pub struct Transport {
    email: Option<smtp::Mailer>,
    sms: Option<sms::SmsApi>,
    /// Development (nothing configured): every message, links included, also as a JSON
    /// line in `CR_DEV_MAILBOX` for the end-to-end tests.
    mailbox: Option<PathBuf>,
}

impl Transport {
    /// Nothing configured: everything to the log (and `mailbox`, when given).
    pub fn log(mailbox: Option<PathBuf>) -> Self {
        Transport {
            email: None,
            sms: None,
            mailbox,
        }
    }

    /// Email over SMTP with `CR_SMTP_URL` (see `smtp`), texts through the SMS API with
    /// `CR_SMS_*` (see `sms`); with neither, everything goes to the log. A setting that
    /// can't be used stops the start rather than dropping messages later.
    pub fn from_config(config: &Config) -> Result<Self, String> {
        let email = match &config.smtp_url {
            Some(url) => {
                let ca = match &config.smtp_ca_file {
                    Some(path) => Some(
                        std::fs::read(path)
                            .map_err(|e| format!("CR_SMTP_CA_FILE {}: {e}", path.display()))?,
                    ),
                    None => None,
                };
                Some(smtp::Mailer::new(
                    url.expose_secret(),
                    &config.mail_from,
                    ca.as_deref(),
                )?)
            }
            None => None,
        };
        let sms = match &config.sms {
            Some(settings) => Some(sms::SmsApi::new(settings, &config.public_url)?),
            None => None,
        };
        let mailbox = (email.is_none() && sms.is_none())
            .then(|| std::env::var_os("CR_DEV_MAILBOX").map(PathBuf::from))
            .flatten();
        Ok(Transport {
            email,
            sms,
            mailbox,
        })
    }

    /// Hands one message off; `Ok` carries the provider's own id for it, where it gives one.
    async fn send(&self, m: &outbox::OutgoingMessage) -> Result<Option<String>, Refused> {
        match (m.channel.as_str(), &self.email, &self.sms) {
            ("email", Some(mailer), _) => mailer.send(m).await.map(|_| None),
            ("sms", _, Some(api)) => api.send(m).await.map(Some),
            // A provider for the other channel only: this is not a development install, so
            // the log gets the message without its links.
            (_, Some(_), _) | (_, _, Some(_)) => {
                tracing::warn!(
                    channel = %m.channel,
                    to = %m.recipient,
                    "no provider configured for this channel; message not delivered\n{}",
                    outbox::redact_links(&m.body)
                );
                Ok(None)
            }
            _ => {
                tracing::info!(
                    channel = %m.channel,
                    to = %m.recipient,
                    subject = %m.subject,
                    "outgoing message (no provider configured)\n{}",
                    m.body
                );
                match &self.mailbox {
                    Some(path) => append_to_mailbox(path, m).map(|_| None),
                    None => Ok(None),
                }
            }
        }
    }
}

/// Development only: one JSON line per message, for the end-to-end tests.
fn append_to_mailbox(path: &PathBuf, m: &outbox::OutgoingMessage) -> Result<(), Refused> {
    let line = serde_json::json!({
        "id": m.id, "channel": m.channel, "recipient": m.recipient,
        "subject": m.subject, "body": m.body,
    });
    std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .and_then(|mut f| writeln!(f, "{line}"))
        .map_err(|e| Refused::retry(format!("dev mailbox {}: {e}", path.display())))
}

/// How many messages one pass claims, and how many of them are handed off at once (the
/// SMTP pool keeps that many connections open, and the SMS client reuses its own). Each SMTP
/// message costs the server's delayed ACK on top of the exchange (lettre 0.11.23 leaves
/// Nagle on; lettre PR #1159 sets TCP_NODELAY, unreleased as of this writing), so throughput
/// comes from connections side by side rather than from a faster single one.
const BATCH: i64 = 100;
pub(crate) const AT_ONCE: usize = 40;

/// Sends whatever is due; returns how many were claimed. The claim commits before any send
/// (see `outbox::claim_due`), and each result is written as soon as it is known.
pub async fn deliver_due(pool: &PgPool, transport: &Transport) -> Result<usize, sqlx::Error> {
    use futures::{StreamExt, TryStreamExt};
    outbox::give_up_abandoned(pool).await?;
    let due = outbox::claim_due(pool, BATCH).await?;
    let claimed = due.len();
    // Owned messages: a stream of borrowed ones trips the compiler's lifetime inference
    // inside `tokio::spawn`.
    futures::stream::iter(due)
        .map(|m| async move { send_one(pool, transport, &m).await })
        .buffer_unordered(AT_ONCE)
        .try_collect::<Vec<()>>()
        .await?;
    Ok(claimed)
}

/// Hands one claimed message off and writes down how it went.
async fn send_one(
    pool: &PgPool,
    transport: &Transport,
    m: &outbox::OutgoingMessage,
) -> Result<(), sqlx::Error> {
    match transport.send(m).await {
        Ok(provider_id) => outbox::mark_sent(pool, m, provider_id.as_deref()).await,
        Err(refused) => {
            tracing::warn!(to = %m.recipient, error = %refused.error, permanent = refused.permanent, "message not sent");
            outbox::mark_failed(pool, m, &refused.error, refused.permanent).await
        }
    }
}

/// Runs in every instance: woken by NOTIFY for speed, and by a timer for retries.
pub fn spawn_worker(pool: PgPool, transport: Transport) {
    tokio::spawn(async move {
        let mut listener = PgListener::connect_with(&pool).await.ok();
        if let Some(l) = listener.as_mut() {
            let _ = l.listen("cr_outbox").await;
        }
        loop {
            match deliver_due(&pool, &transport).await {
                // A full batch: more may be waiting behind it (one NOTIFY for many rows).
                Ok(n) if n as i64 == BATCH => continue,
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "outbox delivery failed"),
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
