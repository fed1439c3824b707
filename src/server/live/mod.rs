//! The one live event channel: PostgreSQL NOTIFY in (so every app instance hears every
//! change), a per-instance broadcast out to the open SSE streams.
use crate::model::live::LiveEvent;
use sqlx::{postgres::PgListener, PgConnection, PgPool};
use std::time::Duration;
use tokio::sync::broadcast;

pub const CHANNEL: &str = "cr_events";

#[derive(Clone)]
pub struct LiveHub {
    tx: broadcast::Sender<LiveEvent>,
}

impl Default for LiveHub {
    fn default() -> Self {
        Self {
            tx: broadcast::channel(1024).0,
        }
    }
}

impl LiveHub {
    pub fn subscribe(&self) -> broadcast::Receiver<LiveEvent> {
        self.tx.subscribe()
    }

    /// Listens forever, reconnecting after a dropped connection.
    pub fn spawn_listener(&self, pool: PgPool) {
        let tx = self.tx.clone();
        tokio::spawn(async move {
            loop {
                match listen(&pool, &tx).await {
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

async fn listen(pool: &PgPool, tx: &broadcast::Sender<LiveEvent>) -> Result<(), sqlx::Error> {
    let mut listener = PgListener::connect_with(pool).await?;
    listener.listen(CHANNEL).await?;
    loop {
        let n = listener.recv().await?;
        match serde_json::from_str::<LiveEvent>(n.payload()) {
            Ok(ev) => {
                let _ = tx.send(ev);
            }
            Err(e) => tracing::warn!(error = %e, "ignoring a malformed live event"),
        }
    }
}

/// Publishes inside the caller's transaction: the event goes out only if it commits.
pub async fn publish(conn: &mut PgConnection, event: &LiveEvent) -> Result<(), sqlx::Error> {
    let payload = serde_json::to_string(event).expect("events serialise");
    sqlx::query("SELECT pg_notify($1, $2)")
        .bind(CHANNEL)
        .bind(payload)
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
