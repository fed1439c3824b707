//! All SQL lives here, one module per aggregate.
pub mod access;
pub mod activity;
pub mod attachments;
pub mod board;
pub mod customer_search;
pub mod customers;
pub mod devices;
pub mod drafts;
pub mod guide;
pub mod inbound;
pub mod jobs;
pub mod messages;
pub mod outbox;
pub mod proof;
pub mod quotes;
pub mod requests;
pub mod room;
pub mod room_view;
pub mod staff;
pub mod templates;
pub mod throttle;

use sqlx::PgPool;

pub async fn connect(url: &str) -> Result<PgPool, sqlx::Error> {
    use std::time::Duration;
    sqlx::postgres::PgPoolOptions::new()
        .max_connections(16)
        .acquire_timeout(Duration::from_secs(5))
        // sqlx pings every connection before handing it out: a round trip per query, a
        // third of a room view's. A connection in steady use is known good; one idle for a
        // while (the database may have restarted meanwhile) is still checked first.
        .test_before_acquire(false)
        .before_acquire(|conn, meta| {
            Box::pin(async move {
                if meta.idle_for > Duration::from_secs(10) {
                    sqlx::Connection::ping(conn).await?;
                }
                Ok(true)
            })
        })
        .connect(url)
        .await
}

pub async fn migrate(pool: &PgPool) -> Result<(), sqlx::migrate::MigrateError> {
    sqlx::migrate!("./migrations").run(pool).await
}

/// True when an error is the unique violation of the named constraint or index.
pub fn is_unique_violation(e: &sqlx::Error, constraint: &str) -> bool {
    matches!(e, sqlx::Error::Database(db) if db.code().as_deref() == Some("23505") && db.constraint() == Some(constraint))
}
