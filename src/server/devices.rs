//! Devices service: "who can open this request" — the room links and signed-in browsers of
//! a request, and ending them (one by the customer from the room, or all at once by staff).
use crate::{
    model::{staff::StaffUser, AppError},
    server::{auth::session::Callers, db, state::AppState},
};
use chrono::{DateTime, Utc};
use uuid::Uuid;

/// One way into a request, named for the person looking at the list.
pub struct Access {
    /// The public id the "End" form names; never a token or a session id.
    pub id: Uuid,
    pub is_link: bool,
    pub label: String,
    pub channel: &'static str,
    pub created_at: DateTime<Utc>,
    pub last_used_at: Option<DateTime<Utc>>,
    pub this_device: bool,
}

fn channel(contact: Option<&str>) -> &'static str {
    match contact {
        Some(c) if c.contains('@') => "email",
        Some(_) => "SMS",
        None => "this form",
    }
}

/// Signed-in browsers first, then links; `callers` marks the browser asking.
pub async fn list(
    state: &AppState,
    callers: &Callers,
    request_id: Uuid,
) -> Result<Vec<Access>, AppError> {
    let mine = callers.room_cookie.as_deref();
    let links =
        db::devices::links_for_request(&state.pool, request_id, state.config.link_max_age())
            .await?;
    let sessions = db::devices::sessions_for_request(&state.pool, request_id).await?;
    let mut out: Vec<Access> = sessions
        .into_iter()
        .map(|s| Access {
            id: s.public_id,
            is_link: false,
            label: if s.device.is_empty() {
                "A browser".into()
            } else {
                s.device
            },
            channel: channel(s.contact.as_deref()),
            created_at: s.created_at,
            last_used_at: Some(s.last_seen_at),
            this_device: mine == Some(s.id_hash.as_slice()),
        })
        .collect();
    out.extend(links.into_iter().map(|l| {
        let channel = channel(Some(&l.contact));
        Access {
            id: l.public_id,
            is_link: true,
            label: format!("Link sent by {channel}"),
            channel,
            created_at: l.created_at,
            last_used_at: l.used_at,
            this_device: false,
        }
    }));
    Ok(out)
}

/// Ends one link or signed-in browser that can open the request. `Ok(true)`: it was the
/// asking browser's own session, which is now signed out.
pub async fn end_one(
    state: &AppState,
    callers: &Callers,
    request_id: Uuid,
    public_id: Uuid,
) -> Result<bool, AppError> {
    let mut tx = state.pool.begin().await?;
    let ended = db::devices::end_one(&mut tx, request_id, public_id)
        .await?
        .ok_or(AppError::NotFound)?;
    tx.commit().await?;
    Ok(callers.room_cookie.as_deref() == Some(ended.as_slice()))
}

/// Staff ending every link and customer session that can open the request. The customer
/// can still ask for a fresh link, which goes to the contact details on the request.
/// Returns (links, sessions) ended.
pub async fn end_all(
    state: &AppState,
    staff: &StaffUser,
    request_id: Uuid,
    reference: &str,
) -> Result<(u64, u64), AppError> {
    let mut tx = state.pool.begin().await?;
    let (links, sessions) = db::devices::end_all(&mut tx, request_id).await?;
    tx.commit().await?;
    tracing::info!(staff = %staff.email, reference = %reference, links, sessions, "customer access ended");
    Ok((links, sessions))
}
