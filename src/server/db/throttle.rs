//! Failed attempts per key, for exponential backoff (shared by every app instance).
use sqlx::PgPool;

/// Seconds until the next attempt for this key is allowed (0 = now).
pub async fn wait_secs(pool: &PgPool, key: &str) -> Result<i64, sqlx::Error> {
    let secs = sqlx::query_scalar!(
        r#"SELECT EXTRACT(EPOCH FROM (next_allowed_at - now()))::float8 AS "secs!" FROM auth_throttle WHERE key = $1"#,
        key,
    )
    .fetch_optional(pool)
    .await?;
    Ok(secs.map(|s| s.ceil().max(0.0) as i64).unwrap_or(0))
}

/// Counts one failure. After `free` failures each further one makes the key wait
/// 2, 4, 8… seconds, up to `cap_secs`. Failures are forgotten after a day without one.
pub async fn record_failure(
    pool: &PgPool,
    key: &str,
    free: i32,
    cap_secs: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "INSERT INTO auth_throttle AS t (key, failures, next_allowed_at, updated_at)
         VALUES ($1, 1, now(), now())
         ON CONFLICT (key) DO UPDATE SET
            failures = CASE WHEN t.updated_at < now() - interval '1 day' THEN 1 ELSE t.failures + 1 END,
            updated_at = now()",
        key,
    )
    .execute(pool)
    .await?;
    sqlx::query!(
        "UPDATE auth_throttle SET next_allowed_at = now() + make_interval(secs =>
            CASE WHEN failures < $2 THEN 0 ELSE LEAST(power(2, LEAST(failures - $2 + 1, 30)), $3) END)
         WHERE key = $1",
        key,
        free,
        cap_secs as f64,
    )
    .execute(pool)
    .await?;
    Ok(())
}

/// A success forgets the failures of this key.
pub async fn clear(pool: &PgPool, key: &str) -> Result<(), sqlx::Error> {
    sqlx::query!("DELETE FROM auth_throttle WHERE key = $1", key)
        .execute(pool)
        .await?;
    Ok(())
}
