//! Outgoing email and SMS. Written in the same transaction as the change that causes
//! them; a worker delivers them afterwards, so nothing is sent for a rolled-back change.
//!
//! A body may carry a room or reset link (a bearer token). It is kept only until the
//! message is handed off (or given up on); then the links are replaced by `[room link]` /
//! `[link removed]` (see [`redact_links`]), so no token rests in the database.
use crate::{model::outbox::Delivery, server::notify::templates::Rendered};
use chrono::{DateTime, Utc};
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

#[derive(Clone, Debug)]
pub struct OutgoingMessage {
    pub id: Uuid,
    pub channel: String,
    pub recipient: String,
    pub subject: String,
    pub body: String,
    /// Tries so far, this one included (a claim counts as a try).
    pub attempts: i32,
}

/// Queues a message in the caller's transaction: it exists only if the change does.
pub async fn enqueue(
    conn: &mut PgConnection,
    channel: &str,
    recipient: &str,
    m: &Rendered,
    request_id: Option<Uuid>,
) -> Result<Uuid, sqlx::Error> {
    let id = Uuid::new_v4();
    // A number that said STOP gets no text, whoever asks: the row stays, as a record the
    // office sees on /staff/outbox, with its links stripped and never sent.
    let off = channel == "sms" && super::inbound::texts_off(&mut *conn, recipient).await?;
    let (status, body) = if off {
        (Delivery::OptedOut, redact_links(&m.body))
    } else {
        (Delivery::Pending, m.body.clone())
    };
    sqlx::query!(
        "INSERT INTO outbox (id, channel, recipient, template, subject, body, request_id, status)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        id,
        channel,
        recipient,
        m.template,
        m.subject,
        body,
        request_id,
        status as _,
    )
    .execute(&mut *conn)
    .await?;
    if !off {
        sqlx::query!("SELECT pg_notify('cr_outbox', '')")
            .execute(conn)
            .await?;
    }
    Ok(id)
}

/// How long a claimed message is ours before another worker may take it over (the sender
/// died): far longer than any hand-off takes.
pub const LEASE_SECS: f64 = 120.0;

/// Claims due messages in one committed statement: each gets a lease and a try is counted
/// before anything is sent, so no transaction or row lock is held while a mail server is
/// slow, and `SKIP LOCKED` lets several instances claim side by side without waiting or
/// taking the same row. A message whose lease ran out (its worker died mid-send) is due
/// again, under the same id.
pub async fn claim_due(pool: &PgPool, limit: i64) -> Result<Vec<OutgoingMessage>, sqlx::Error> {
    sqlx::query_as!(
        OutgoingMessage,
        "UPDATE outbox o SET status = 'sending', attempts = o.attempts + 1,
            lease_until = now() + make_interval(secs => $3)
         FROM (SELECT id FROM outbox
               WHERE ((status = 'pending' AND next_attempt_at <= now())
                      OR (status = 'sending' AND lease_until < now()))
                 AND attempts < $2
               ORDER BY next_attempt_at LIMIT $1 FOR UPDATE SKIP LOCKED) due
         WHERE o.id = due.id
         RETURNING o.id, o.channel, o.recipient, o.subject, o.body, o.attempts",
        limit,
        MAX_ATTEMPTS,
        LEASE_SECS,
    )
    .fetch_all(pool)
    .await
}

/// A message whose worker died on its last try is given up on (and loses its links).
pub async fn give_up_abandoned(pool: &PgPool) -> Result<u64, sqlx::Error> {
    let rows = sqlx::query!(
        "SELECT id, body FROM outbox
         WHERE status = 'sending' AND lease_until < now() AND attempts >= $1",
        MAX_ATTEMPTS,
    )
    .fetch_all(pool)
    .await?;
    for r in &rows {
        sqlx::query!(
            "UPDATE outbox SET status = 'failed', lease_until = NULL, body = $2,
                redacted_at = now(), last_error = COALESCE(last_error, 'the sender stopped mid-send')
             WHERE id = $1 AND status = 'sending'",
            r.id,
            redact_links(&r.body),
        )
        .execute(pool)
        .await?;
    }
    Ok(rows.len() as u64)
}

/// After a hand-off: marks the message sent and drops its links. `provider_id` is the
/// provider's own id (an SMS sid), which its delivery callbacks name.
pub async fn mark_sent(
    pool: &PgPool,
    m: &OutgoingMessage,
    provider_id: Option<&str>,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "UPDATE outbox SET status = 'sent', sent_at = now(), lease_until = NULL, last_error = NULL,
            body = $2, redacted_at = now(), provider_id = COALESCE($3, provider_id)
         WHERE id = $1 AND status = 'sending'",
        m.id,
        redact_links(&m.body),
        provider_id,
    )
    .execute(pool)
    .await?;
    Ok(())
}

/// One message for /staff/outbox, recipient in full (the service masks it).
pub struct EntryRow {
    pub id: Uuid,
    pub channel: String,
    pub recipient: String,
    pub template: String,
    pub status: Delivery,
    pub attempts: i32,
    pub last_error: Option<String>,
    pub reference: Option<String>,
    pub created_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
    pub body: String,
}

/// The newest messages, those that need a person (failed, not delivered) first.
pub async fn recent(pool: &PgPool, limit: i64) -> Result<Vec<EntryRow>, sqlx::Error> {
    sqlx::query_as!(
        EntryRow,
        r#"SELECT o.id, o.channel, o.recipient, o.template, o.status AS "status: Delivery",
            o.attempts, o.last_error, r.reference AS "reference?", o.created_at, o.sent_at, o.body
         FROM outbox o LEFT JOIN requests r ON r.id = o.request_id
         ORDER BY o.status IN ('failed', 'undelivered') DESC, o.created_at DESC LIMIT $1"#,
        limit,
    )
    .fetch_all(pool)
    .await
}

/// A message locked for a retry by hand: (status, recipient, body, request id).
pub async fn lock(
    conn: &mut PgConnection,
    id: Uuid,
) -> Result<Option<(Delivery, String, String, Option<Uuid>)>, sqlx::Error> {
    let row = sqlx::query!(
        r#"SELECT status AS "status: Delivery", recipient, body, request_id FROM outbox
         WHERE id = $1 FOR UPDATE"#,
        id,
    )
    .fetch_optional(conn)
    .await?;
    Ok(row.map(|r| (r.status, r.recipient, r.body, r.request_id)))
}

/// A retry by hand is a new message (a new id: a provider that saw the old one must not
/// answer "already sent"); the old one stays in the list as retried.
pub async fn retry_as_new(
    conn: &mut PgConnection,
    id: Uuid,
    body: &str,
) -> Result<Uuid, sqlx::Error> {
    let new_id = Uuid::new_v4();
    sqlx::query!(
        "WITH old AS (UPDATE outbox SET status = 'retried' WHERE id = $1
                      RETURNING channel, recipient, template, subject, request_id)
         INSERT INTO outbox (id, channel, recipient, template, subject, body, request_id)
         SELECT $2, channel, recipient, template, subject, $3, request_id FROM old",
        id,
        new_id,
        body,
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query!("SELECT pg_notify('cr_outbox', '')")
        .execute(conn)
        .await?;
    Ok(new_id)
}

/// The provider's report on a text it took: reached the phone or not. Only a message it
/// took (sent) moves; a report for an unknown id changes nothing.
pub async fn set_delivery(
    pool: &PgPool,
    provider_id: &str,
    status: Delivery,
    error: Option<&str>,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query!(
        "UPDATE outbox SET status = $2, last_error = COALESCE($3, last_error)
         WHERE provider_id = $1 AND status IN ('sent', 'delivered', 'undelivered')",
        provider_id,
        status as _,
        error,
    )
    .execute(pool)
    .await?;
    Ok(done.rows_affected() > 0)
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

/// Backs off exponentially: 30 s, 1 min, 2 min … capped at an hour. The last failed try,
/// or a `permanent` refusal, gives the message up and drops its links: it will never be sent.
pub async fn mark_failed(
    pool: &PgPool,
    m: &OutgoingMessage,
    error: &str,
    permanent: bool,
) -> Result<(), sqlx::Error> {
    let delay = (30_i64 << (m.attempts - 1).clamp(0, 7)).min(3600) as f64;
    let last = permanent || m.attempts >= MAX_ATTEMPTS;
    sqlx::query!(
        "UPDATE outbox SET last_error = $2, next_attempt_at = now() + make_interval(secs => $3),
            lease_until = NULL,
            status = CASE WHEN $4 THEN 'failed' ELSE 'pending' END,
            body = CASE WHEN $4 THEN $5 ELSE body END,
            redacted_at = CASE WHEN $4 THEN now() ELSE redacted_at END
         WHERE id = $1 AND status = 'sending'",
        m.id,
        error,
        delay,
        last,
        redact_links(&m.body),
    )
    .execute(pool)
    .await?;
    Ok(())
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
