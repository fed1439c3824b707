//! The benchmark's ceiling, built only by `make bench` and never part of the app: a bare
//! axum + sqlx handler doing one indexed query on the app's own database, so room SSR
//! throughput can be compared with what this stack does with no page at all.
//!
//!   DATABASE_URL=... CR_BENCH_CEILING_ADDR=127.0.0.1:3299 bench-ceiling
#![cfg_attr(not(test), warn(clippy::too_many_lines))]
use axum::{extract::State, http::StatusCode, routing::get, Router};
use customer_room::server::db::requests::exists_reference;
use sqlx::PgPool;

async fn ping_db(State(pool): State<PgPool>) -> StatusCode {
    // The app's own checked query; acquiring the connection is what `fetch_one(&pool)` does.
    let found = match pool.acquire().await {
        Ok(mut conn) => exists_reference(&mut conn, "CR-BENCH2").await,
        Err(e) => Err(e),
    };
    match found {
        Ok(_) => StatusCode::OK,
        Err(_) => StatusCode::SERVICE_UNAVAILABLE,
    }
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let url = std::env::var("DATABASE_URL")?;
    let addr = std::env::var("CR_BENCH_CEILING_ADDR").unwrap_or_else(|_| "127.0.0.1:3299".into());
    // The same pool size as the app (server::db::connect), so the comparison is fair.
    let pool = customer_room::server::db::connect(&url).await?;
    let app = Router::new()
        .route("/ping-db", get(ping_db))
        .with_state(pool);
    let listener = tokio::net::TcpListener::bind(&addr).await?;
    axum::serve(listener, app).await?;
    Ok(())
}
