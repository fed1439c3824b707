//! The request's activity log: every change, with who made it and when. Staff read it on
//! the request page and the customer card; the customer-visible lines are the room's updates.
use sqlx::PgConnection;
use uuid::Uuid;

/// Who did something, as the activity log records it.
#[derive(Clone, Copy, Debug)]
pub enum Actor<'a> {
    System,
    Customer,
    Staff(&'a crate::model::staff::StaffUser),
}

impl Actor<'_> {
    fn kind(self) -> &'static str {
        match self {
            Actor::System => "system",
            Actor::Customer => "customer",
            Actor::Staff(_) => "staff",
        }
    }

    /// The name as it was when they acted (a renamed or removed account keeps its history).
    fn name(&self) -> &str {
        match self {
            Actor::System => "system",
            Actor::Customer => "customer",
            Actor::Staff(u) => &u.display_name,
        }
    }

    fn id(self) -> Option<Uuid> {
        match self {
            Actor::Staff(u) => Some(u.id),
            _ => None,
        }
    }
}

pub async fn add_event(
    conn: &mut PgConnection,
    request_id: Uuid,
    kind: &str,
    body: &str,
    visible_to_customer: bool,
    actor: Actor<'_>,
) -> Result<(), sqlx::Error> {
    // No client key: always a new event.
    add_event_once(conn, request_id, kind, body, visible_to_customer, actor, "")
        .await
        .map(|_| ())
}

/// Like `add_event`, but a second call with the same client key adds nothing (returns false).
pub async fn add_event_once(
    conn: &mut PgConnection,
    request_id: Uuid,
    kind: &str,
    body: &str,
    visible_to_customer: bool,
    actor: Actor<'_>,
    client_key: &str,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query!(
        "INSERT INTO request_events (id, request_id, kind, body, visible_to_customer, actor, actor_kind,
            actor_id, client_key)
         VALUES ($1,$2,$3,$4,$5,$6,$7,$8,NULLIF($9, ''))
         ON CONFLICT (request_id, client_key) WHERE client_key IS NOT NULL DO NOTHING",
        Uuid::new_v4(),
        request_id,
        kind,
        body,
        visible_to_customer,
        actor.name(),
        actor.kind(),
        actor.id(),
        client_key.trim(),
    )
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}
