//! Outgoing email and SMS. Written in the same transaction as the change that causes
//! them; a worker delivers them afterwards, so nothing is sent for a rolled-back change.
//!
//! A body may carry a room or reset link (a bearer token). It is kept only until the
//! message is handed off (or given up on); then the links are replaced by `[room link]` /
//! `[link removed]` (see [`redact_links`]), so no token rests in the database.
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

#[derive(Clone, Debug)]
pub struct OutgoingMessage {
    pub id: Uuid,
    pub channel: String,
    pub recipient: String,
    pub subject: String,
    pub body: String,
    pub attempts: i32,
}

pub async fn enqueue(
    conn: &mut PgConnection,
    channel: &str,
    recipient: &str,
    subject: &str,
    body: &str,
    request_id: Option<Uuid>,
) -> Result<Uuid, sqlx::Error> {
    let id = Uuid::new_v4();
    sqlx::query!(
        "INSERT INTO outbox (id, channel, recipient, subject, body, request_id) VALUES ($1,$2,$3,$4,$5,$6)",
        id,
        channel,
        recipient,
        subject,
        body,
        request_id,
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query!("SELECT pg_notify('cr_outbox', '')")
        .execute(conn)
        .await?;
    Ok(id)
}

/// Claims due messages; `SKIP LOCKED` lets several app instances share the work.
pub async fn claim_due(
    conn: &mut PgConnection,
    limit: i64,
) -> Result<Vec<OutgoingMessage>, sqlx::Error> {
    sqlx::query_as!(
        OutgoingMessage,
        "SELECT id, channel, recipient, subject, body, attempts FROM outbox
         WHERE sent_at IS NULL AND next_attempt_at <= now() AND attempts < $2
         ORDER BY next_attempt_at LIMIT $1 FOR UPDATE SKIP LOCKED",
        limit,
        MAX_ATTEMPTS,
    )
    .fetch_all(conn)
    .await
}

/// After a hand-off: marks the message sent and drops its links.
pub async fn mark_sent(conn: &mut PgConnection, m: &OutgoingMessage) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "UPDATE outbox SET sent_at = now(), attempts = attempts + 1, last_error = NULL,
            body = $2, redacted_at = now() WHERE id = $1",
        m.id,
        redact_links(&m.body),
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Tokens are 64 hex characters (`auth::tokens::new_token`). A word holding one is a link:
/// `…/r/<token>` becomes `[room link]`, any other (a reset link) `[link removed]`.
pub fn redact_links(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find(|c: char| !c.is_whitespace()) {
        out.push_str(&rest[..start]);
        rest = &rest[start..];
        let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
        let word = &rest[..end];
        match token_at(word) {
            Some(i) => {
                let tail = word[i + 64..].trim_start_matches(|c: char| c.is_ascii_alphanumeric());
                out.push_str(&word[..word[..i].find("http").unwrap_or(0)]);
                out.push_str(if word[..i].ends_with("/r/") {
                    "[room link]"
                } else {
                    "[link removed]"
                });
                out.push_str(tail);
            }
            None => out.push_str(word),
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

/// Where a run of at least 64 hex digits starts in `word`.
fn token_at(word: &str) -> Option<usize> {
    let bytes = word.as_bytes();
    let mut run = 0;
    for (i, b) in bytes.iter().enumerate() {
        run = if b.is_ascii_hexdigit() { run + 1 } else { 0 };
        if run == 64 {
            return Some(i + 1 - 64);
        }
    }
    None
}

/// How many tries before a message is given up on (and its links dropped).
pub const MAX_ATTEMPTS: i32 = 10;

/// Backs off exponentially: 30 s, 1 min, 2 min … capped at an hour. The last failed try
/// drops the message's links: it will never be sent.
pub async fn mark_failed(
    conn: &mut PgConnection,
    m: &OutgoingMessage,
    error: &str,
) -> Result<(), sqlx::Error> {
    let delay = (30_i64 << m.attempts.clamp(0, 7)).min(3600) as f64;
    let last = m.attempts + 1 >= MAX_ATTEMPTS;
    sqlx::query!(
        "UPDATE outbox SET attempts = attempts + 1, last_error = $2, next_attempt_at = now() + make_interval(secs => $3),
            body = CASE WHEN $4 THEN $5 ELSE body END,
            redacted_at = CASE WHEN $4 THEN now() ELSE redacted_at END
         WHERE id = $1",
        m.id,
        error,
        delay,
        last,
        redact_links(&m.body),
    )
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn pending_count(pool: &PgPool) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar!(r#"SELECT count(*) AS "pending!" FROM outbox WHERE sent_at IS NULL"#)
        .fetch_one(pool)
        .await
}

#[cfg(test)]
mod tests {
    use super::redact_links;

    #[test]
    fn links_with_tokens_are_replaced_and_the_rest_kept() {
        let t = "ab".repeat(32);
        let body = format!("Hi Jo,\nOpen it (http://x.test/r/{t}).\nReset: https://x.test/staff/reset/{t}\nRef CR-7K3M");
        let out = redact_links(&body);
        assert_eq!(
            out,
            "Hi Jo,\nOpen it ([room link]).\nReset: [link removed]\nRef CR-7K3M"
        );
        assert!(!out.contains(&t));
        assert_eq!(redact_links("no links here"), "no links here");
    }
}
