use sqlx::PgConnection;
use uuid::Uuid;

/// `messages.sender` (its CHECK constraint lists the same two values).
#[derive(Clone, Copy, Debug, PartialEq, Eq, sqlx::Type)]
#[sqlx(type_name = "text", rename_all = "snake_case")]
enum Sender {
    Customer,
    Staff,
}

pub struct NewMessage<'a> {
    pub request_id: Uuid,
    pub from_staff: bool,
    pub author: &'a str,
    pub body: &'a str,
    pub topic: &'a str,
    pub client_key: Option<&'a str>,
    /// Texted to the business's number (`inbound`), not typed in the room.
    pub by_text: bool,
    /// The quote version a request for changes is about.
    pub quote_version: Option<i32>,
}

/// Inserts a message once per client key: a retried send returns `false` and adds nothing.
pub async fn insert(conn: &mut PgConnection, m: &NewMessage<'_>) -> Result<bool, sqlx::Error> {
    let sender = if m.from_staff {
        Sender::Staff
    } else {
        Sender::Customer
    };
    let done = sqlx::query!(
        "INSERT INTO messages (id, request_id, sender, author, body, topic, client_key, channel,
             quote_version)
         VALUES ($1,$2,$3,$4,$5,$6,$7, CASE WHEN $8 THEN 'sms' ELSE 'room' END, $9)
         ON CONFLICT (request_id, client_key) WHERE client_key IS NOT NULL DO NOTHING",
        Uuid::new_v4(),
        m.request_id,
        sender as _,
        m.author,
        m.body,
        m.topic,
        m.client_key,
        m.by_text,
        m.quote_version,
    )
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}
