//! Delivers the outbox. With no provider configured, messages go to the log (and stay
//! in the outbox), which is how a fresh install and the tests see them.
pub mod templates;

use crate::server::{config::Config, db::outbox};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use secrecy::ExposeSecret;
use sqlx::{postgres::PgListener, PgPool};
use std::time::Duration;

pub enum Transport {
    Log,
    Smtp {
        mailer: AsyncSmtpTransport<Tokio1Executor>,
        from: String,
    },
}

impl Transport {
    pub fn from_config(config: &Config) -> Self {
        let Some(url) = &config.smtp_url else {
            return Transport::Log;
        };
        // A local relay (`smtp://host:port`) that handles TLS onwards; see the README.
        let hostport = url
            .expose_secret()
            .trim_start_matches("smtp://")
            .trim_end_matches('/')
            .to_string();
        let (host, port) = match hostport.rsplit_once(':') {
            Some((h, p)) => (h.to_string(), p.parse().unwrap_or(25)),
            None => (hostport.clone(), 25),
        };
        let mailer = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(host)
            .port(port)
            .build();
        Transport::Smtp {
            mailer,
            from: config.mail_from.clone(),
        }
    }

    async fn send(&self, m: &outbox::OutgoingMessage) -> Result<(), String> {
        match (self, m.channel.as_str()) {
            (Transport::Smtp { mailer, from }, "email") => {
                let email = Message::builder()
                    .from(from.parse().map_err(|e| format!("from address: {e}"))?)
                    .to(m.recipient.parse().map_err(|e| format!("recipient: {e}"))?)
                    .subject(&m.subject)
                    .body(m.body.clone())
                    .map_err(|e| e.to_string())?;
                mailer
                    .send(email)
                    .await
                    .map(|_| ())
                    .map_err(|e| e.to_string())
            }
            // No SMS provider is wired in yet: SMS always goes to the log.
            _ => {
                tracing::info!(
                    channel = %m.channel,
                    to = %m.recipient,
                    subject = %m.subject,
                    "outgoing message (no provider configured)\n{}",
                    m.body
                );
                Ok(())
            }
        }
    }
}

/// Sends whatever is due; returns how many were handled.
pub async fn deliver_due(pool: &PgPool, transport: &Transport) -> Result<usize, sqlx::Error> {
    let mut tx = pool.begin().await?;
    let due = outbox::claim_due(&mut tx, 20).await?;
    for m in &due {
        match transport.send(m).await {
            Ok(()) => outbox::mark_sent(&mut tx, m.id).await?,
            Err(e) => {
                tracing::warn!(to = %m.recipient, error = %e, "message not sent; will retry");
                outbox::mark_failed(&mut tx, m.id, m.attempts, &e).await?
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
