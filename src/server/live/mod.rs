//! The one live event channel: PostgreSQL NOTIFY in (so every app instance hears every
//! change), a per-instance broadcast out to the open SSE streams. A second channel,
//! `cr_sessions`, carries ended sessions so their open streams close at once.
pub mod stream;

use crate::{model::live::LiveEvent, server::db::access::SESSIONS_CHANNEL};
use sqlx::{postgres::PgListener, PgConnection, PgPool};
use std::{sync::Arc, time::Duration};
use tokio::sync::broadcast;

pub const CHANNEL: &str = "cr_events";

/// Hex-encoded id hashes of sessions that just ended.
pub type EndedSessions = Arc<Vec<String>>;

#[derive(Clone)]
pub struct LiveHub {
    tx: broadcast::Sender<LiveEvent>,
    ended: broadcast::Sender<EndedSessions>,
}

impl Default for LiveHub {
    fn default() -> Self {
        Self {
            tx: broadcast::channel(1024).0,
            ended: broadcast::channel(256).0,
        }
    }
}

impl LiveHub {
    pub fn subscribe(&self) -> broadcast::Receiver<LiveEvent> {
        self.tx.subscribe()
    }

    /// Ended sessions, as announced by `db::access::announce_ended` on any instance.
    pub fn subscribe_ended(&self) -> broadcast::Receiver<EndedSessions> {
        self.ended.subscribe()
    }

    /// Listens forever, reconnecting after a dropped connection.
    pub fn spawn_listener(&self, pool: PgPool) {
        let hub = self.clone();
        tokio::spawn(async move {
            loop {
                match listen(&pool, &hub).await {
                    Ok(()) => {}
                    Err(e) => {
                        tracing::warn!(error = %e, "live listener lost its connection; retrying")
                    }
                }
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
        });
    }
}

async fn listen(pool: &PgPool, hub: &LiveHub) -> Result<(), sqlx::Error> {
    let mut listener = PgListener::connect_with(pool).await?;
    listener.listen_all([CHANNEL, SESSIONS_CHANNEL]).await?;
    // An end announced while we were disconnected was missed: every open stream closes
    // and its browser reconnects, which checks its session again.
    let _ = hub
        .ended
        .send(Arc::new(vec![stream::EVERY_SESSION.to_string()]));
    loop {
        let n = listener.recv().await?;
        if n.channel() == SESSIONS_CHANNEL {
            let ended: Vec<String> = n.payload().split(',').map(str::to_string).collect();
            let _ = hub.ended.send(Arc::new(ended));
            continue;
        }
        match serde_json::from_str::<LiveEvent>(n.payload()) {
            Ok(ev) => {
                let _ = hub.tx.send(ev);
            }
            Err(e) => tracing::warn!(error = %e, "ignoring a malformed live event"),
        }
    }
}

/// Publishes inside the caller's transaction: the event goes out only if it commits.
pub async fn publish(conn: &mut PgConnection, event: &LiveEvent) -> Result<(), sqlx::Error> {
    let payload = serde_json::to_string(event).expect("events serialise");
    sqlx::query!("SELECT pg_notify($1, $2)", CHANNEL, payload)
        .execute(conn)
        .await?;
    Ok(())
}

/// Publishes "request `request_id` changed (`kind`)" inside the caller's transaction.
pub async fn publish_change(
    conn: &mut PgConnection,
    request_id: uuid::Uuid,
    kind: &str,
) -> Result<(), sqlx::Error> {
    publish(
        conn,
        &LiveEvent {
            request_id,
            kind: kind.to_string(),
        },
    )
    .await
}
