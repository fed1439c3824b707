//! Devices service: "who can open this request" — the room links and signed-in browsers of
//! a request, and ending them (one by the customer from the room, or all at once by staff).
use crate::{
    model::{
        room::{AccessEntry, AccessKind},
        staff::StaffUser,
        AppError,
    },
    server::{
        auth::session::Callers,
        db::{
            self,
            room_view::{LiveLink, SeenSession},
        },
        state::AppState,
    },
};
use uuid::Uuid;

fn channel(contact: Option<&str>) -> &'static str {
    match contact {
        Some(c) if c.contains('@') => "email",
        Some(_) => "SMS",
        None => "this form",
    }
}

/// "Who can open this request", named for the person looking at it: signed-in browsers
/// first, then links (each list already in its order from the room read).
pub fn entries(sessions: Vec<SeenSession>, links: Vec<LiveLink>) -> Vec<AccessEntry> {
    let devices = sessions.into_iter().map(|s| AccessEntry {
        id: s.public_id.to_string(),
        kind: AccessKind::Device,
        label: if s.device.is_empty() {
            "A browser".into()
        } else {
            s.device
        },
        channel: channel(s.contact.as_deref()).into(),
        created_at: s.created_at,
        last_used_at: Some(s.last_seen_at),
        this_device: s.this_device,
    });
    let links = links.into_iter().map(|l| {
        let channel = channel(l.contact.as_deref());
        AccessEntry {
            id: l.public_id.to_string(),
            kind: AccessKind::Link,
            label: format!("Link sent by {channel}"),
            channel: channel.into(),
            created_at: l.created_at,
            last_used_at: l.used_at,
            this_device: false,
        }
    });
    devices.chain(links).collect()
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
