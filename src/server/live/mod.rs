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

/// Publishes "request `request_id` changed (`kind`)" inside the caller's transaction: the
/// change is numbered (`live_events`, the SSE id a reconnecting browser resumes from) and
/// announced in one statement; both happen only if the transaction commits.
pub async fn publish_change(
    conn: &mut PgConnection,
    request_id: uuid::Uuid,
    kind: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "WITH e AS (INSERT INTO live_events (request_id, kind) VALUES ($1, $2) RETURNING id)
         SELECT pg_notify($3, json_build_object('id', e.id, 'request_id', $1::uuid, 'kind', $2::text)::text)
         FROM e",
        request_id,
        kind,
        CHANNEL,
    )
    .fetch_one(conn)
    .await?;
    Ok(())
}

/// Changes after `after` (an id this browser already has), oldest first, at most `limit`.
pub async fn since(pool: &PgPool, after: i64, limit: i64) -> Result<Vec<LiveEvent>, sqlx::Error> {
    let rows = sqlx::query!(
        "SELECT id, request_id, kind FROM live_events WHERE id > $1 ORDER BY id LIMIT $2",
        after,
        limit,
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| LiveEvent {
            id: r.id,
            request_id: r.request_id,
            kind: r.kind,
        })
        .collect())
}

/// Numbered changes older than a day are of no use to a reconnecting page.
pub async fn forget_old(pool: &PgPool) -> Result<u64, sqlx::Error> {
    let done = sqlx::query!("DELETE FROM live_events WHERE created_at < now() - interval '1 day'")
        .execute(pool)
        .await?;
    Ok(done.rows_affected())
}
