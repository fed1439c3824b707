//! Finding customers (each kind of search its own indexed query: trigram indexes on the
//! name, business name, email and phone digits) and merging two cards of one person.
use chrono::{DateTime, Utc};
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

/// How many customers a search shows.
pub const HITS: i64 = 20;

pub async fn by_reference(pool: &PgPool, reference: &str) -> Result<Vec<Uuid>, sqlx::Error> {
    sqlx::query_scalar!(
        "SELECT customer_id FROM requests WHERE reference = $1",
        reference
    )
    .fetch_all(pool)
    .await
}

/// `digits` found anywhere in the number, newest customers first.
pub async fn by_phone(pool: &PgPool, digits: &str) -> Result<Vec<Uuid>, sqlx::Error> {
    sqlx::query_scalar!(
        "SELECT id FROM customers WHERE phone_digits LIKE '%' || $1 || '%'
         ORDER BY created_at DESC LIMIT $2",
        digits,
        HITS,
    )
    .fetch_all(pool)
    .await
}

/// `pattern` (lower-case, LIKE-escaped) inside the email; exact addresses first.
pub async fn by_email(pool: &PgPool, pattern: &str) -> Result<Vec<Uuid>, sqlx::Error> {
    sqlx::query_scalar!(
        "SELECT id FROM customers WHERE lower(email) LIKE '%' || $1 || '%'
         ORDER BY (lower(email) = $1) DESC, created_at DESC LIMIT $2",
        pattern,
        HITS,
    )
    .fetch_all(pool)
    .await
}

/// `pattern` (lower-case, LIKE-escaped) in the name, the business name or the email; names
/// that start with it first.
pub async fn by_name(pool: &PgPool, pattern: &str) -> Result<Vec<Uuid>, sqlx::Error> {
    sqlx::query_scalar!(
        "SELECT id FROM customers
         WHERE lower(first_name || ' ' || last_name) LIKE '%' || $1 || '%'
            OR lower(business_name) LIKE '%' || $1 || '%'
            OR lower(email) LIKE '%' || $1 || '%'
         ORDER BY (lower(first_name || ' ' || last_name) LIKE $1 || '%') DESC,
            (lower(last_name) LIKE $1 || '%') DESC, last_name, first_name, created_at DESC
         LIMIT $2",
        pattern,
        HITS,
    )
    .fetch_all(pool)
    .await
}

/// Other cards with this card's phone number or email (both stored normalised).
pub async fn duplicates_of(pool: &PgPool, id: Uuid) -> Result<Vec<Uuid>, sqlx::Error> {
    sqlx::query_scalar!(
        "SELECT o.id FROM customers c JOIN customers o ON o.id <> c.id
            AND ((c.phone IS NOT NULL AND o.phone = c.phone)
              OR (c.email IS NOT NULL AND lower(o.email) = lower(c.email)))
         WHERE c.id = $1 ORDER BY o.created_at LIMIT 10",
        id
    )
    .fetch_all(pool)
    .await
}

pub struct HitRow {
    pub id: Uuid,
    pub first_name: String,
    pub last_name: String,
    pub business_name: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub tags: Vec<String>,
    pub created_at: DateTime<Utc>,
    pub requests: i64,
    pub latest_reference: Option<String>,
    pub latest_at: Option<DateTime<Utc>>,
}

/// What a result line shows for each of `ids` (in no particular order).
pub async fn hits(pool: &PgPool, ids: &[Uuid]) -> Result<Vec<HitRow>, sqlx::Error> {
    sqlx::query_as!(
        HitRow,
        r#"SELECT c.id, c.first_name, c.last_name, c.business_name, c.email, c.phone, c.tags,
            c.created_at,
            (SELECT count(*) FROM requests r WHERE r.customer_id = c.id) AS "requests!",
            lr.reference AS "latest_reference?", lr.created_at AS "latest_at?"
         FROM customers c
         LEFT JOIN LATERAL (SELECT reference, created_at FROM requests
            WHERE customer_id = c.id ORDER BY created_at DESC LIMIT 1) lr ON TRUE
         WHERE c.id = ANY($1)"#,
        ids,
    )
    .fetch_all(pool)
    .await
}

/// Where a merged card went, if it was merged.
pub async fn merged_into(pool: &PgPool, id: Uuid) -> Result<Option<Uuid>, sqlx::Error> {
    sqlx::query_scalar!("SELECT into_id FROM customer_merges WHERE from_id = $1", id)
        .fetch_optional(pool)
        .await
}

pub struct MergeSide {
    pub id: Uuid,
    pub first_name: String,
    pub last_name: String,
    pub business_name: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub address: Option<String>,
    pub tags: Vec<String>,
    pub created_at: DateTime<Utc>,
}

/// Both cards, locked in id order (two merges of one pair can't deadlock).
pub async fn lock_pair(
    conn: &mut PgConnection,
    a: Uuid,
    b: Uuid,
) -> Result<Vec<MergeSide>, sqlx::Error> {
    sqlx::query_as!(
        MergeSide,
        "SELECT id, first_name, last_name, business_name, email, phone, address, tags, created_at
         FROM customers WHERE id = ANY($1) ORDER BY id FOR UPDATE",
        &[a, b][..],
    )
    .fetch_all(conn)
    .await
}

/// Moves everything of `gone` to `keep`, deletes `gone`, and gives `keep` what only `gone`
/// had (email, phone, business name, address, tags, the earlier "customer since").
/// Returns (requests moved, history entries moved).
pub async fn merge(
    conn: &mut PgConnection,
    keep: Uuid,
    gone: &MergeSide,
) -> Result<(u64, u64), sqlx::Error> {
    let requests = sqlx::query!(
        "UPDATE requests SET customer_id = $1 WHERE customer_id = $2",
        keep,
        gone.id
    )
    .execute(&mut *conn)
    .await?
    .rows_affected();
    // Old retry keys can't matter any more, and two cards may share one.
    let events = sqlx::query!(
        "UPDATE customer_events SET customer_id = $1, client_key = NULL WHERE customer_id = $2",
        keep,
        gone.id
    )
    .execute(&mut *conn)
    .await?
    .rows_affected();
    sqlx::query!(
        "UPDATE customer_merges SET into_id = $1 WHERE into_id = $2",
        keep,
        gone.id
    )
    .execute(&mut *conn)
    .await?;
    // The email is unique: the old card goes first, then the kept one may take it.
    sqlx::query!("DELETE FROM customers WHERE id = $1", gone.id)
        .execute(&mut *conn)
        .await?;
    sqlx::query!(
        "UPDATE customers SET email = COALESCE(email, $2), phone = COALESCE(phone, $3),
            business_name = COALESCE(business_name, $4), address = COALESCE(address, $5),
            tags = ARRAY(SELECT DISTINCT t FROM unnest(tags || $6::text[]) t ORDER BY t),
            created_at = LEAST(created_at, $7), updated_at = now()
         WHERE id = $1",
        keep,
        gone.email,
        gone.phone,
        gone.business_name,
        gone.address,
        &gone.tags,
        gone.created_at,
    )
    .execute(&mut *conn)
    .await?;
    Ok((requests, events))
}

pub async fn record_merge(
    conn: &mut PgConnection,
    gone: Uuid,
    keep: Uuid,
    staff_id: Uuid,
    summary: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "INSERT INTO customer_merges (from_id, into_id, staff_id, summary) VALUES ($1, $2, $3, $4)",
        gone,
        keep,
        staff_id,
        summary,
    )
    .execute(conn)
    .await?;
    Ok(())
}
