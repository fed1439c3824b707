//! The benchmark's ceiling, built only by `make bench` and never part of the app: a bare
//! axum + sqlx handler doing one indexed query on the app's own database, so room SSR
//! throughput can be compared with what this stack does with no page at all.
//!
//!   DATABASE_URL=... CR_BENCH_CEILING_ADDR=127.0.0.1:3299 bench-ceiling
use axum::{extract::State, http::StatusCode, routing::get, Router};
use sqlx::PgPool;

async fn ping_db(State(pool): State<PgPool>) -> StatusCode {
    let found = sqlx::query_scalar::<_, bool>(
        "SELECT EXISTS (SELECT 1 FROM requests WHERE reference = $1)",
    )
    .bind("CR-BENCH2")
    .fetch_one(&pool)
    .await;
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
