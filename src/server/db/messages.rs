use crate::model::room::ThreadMessage;
use sqlx::{PgConnection, PgPool, Row};
use uuid::Uuid;

pub struct NewMessage<'a> {
    pub request_id: Uuid,
    pub from_staff: bool,
    pub author: &'a str,
    pub body: &'a str,
    pub topic: &'a str,
    pub client_key: Option<&'a str>,
}

/// Inserts a message once per client key: a retried send returns `false` and adds nothing.
pub async fn insert(conn: &mut PgConnection, m: &NewMessage<'_>) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "INSERT INTO messages (id, request_id, sender, author, body, topic, client_key) VALUES ($1,$2,$3,$4,$5,$6,$7)
         ON CONFLICT (request_id, client_key) WHERE client_key IS NOT NULL DO NOTHING",
    )
    .bind(Uuid::new_v4())
    .bind(m.request_id)
    .bind(if m.from_staff { "staff" } else { "customer" })
    .bind(m.author)
    .bind(m.body)
    .bind(m.topic)
    .bind(m.client_key)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Oldest first, as a thread reads.
pub async fn for_request(
    pool: &PgPool,
    request_id: Uuid,
) -> Result<Vec<ThreadMessage>, sqlx::Error> {
    let rows = sqlx::query("SELECT * FROM messages WHERE request_id = $1 ORDER BY created_at, id")
        .bind(request_id)
        .fetch_all(pool)
        .await?;
    Ok(rows
        .into_iter()
        .map(|r| ThreadMessage {
            id: r.get("id"),
            from_staff: r.get::<String, _>("sender") == "staff",
            author: r.get("author"),
            body: r.get("body"),
            topic: r.get("topic"),
            at: r.get("created_at"),
        })
        .collect())
}
