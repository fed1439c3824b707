//! "Who can open this request": the room links and signed-in devices of a request, and
//! ending them (by the customer from the room, or all at once by staff).
use crate::model::AppError;
use chrono::{DateTime, Utc};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum AccessKind {
    /// A room link we sent (email or SMS).
    Link,
    /// A browser signed in to this request.
    Device,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AccessEntry {
    /// Names the entry in the "End" form; never a token or a session id.
    pub id: String,
    pub kind: AccessKind,
    /// "Link sent by email", "Chrome on Android", …
    pub label: String,
    /// "email", "SMS" or "this form".
    pub channel: String,
    pub created_at: DateTime<Utc>,
    pub last_used_at: Option<DateTime<Utc>>,
    /// The browser asking.
    pub this_device: bool,
}

/// Lists what can open the request; for anyone who may see the request.
#[server(endpoint = "room_access")]
pub async fn room_access(reference: String) -> Result<Vec<AccessEntry>, AppError> {
    use super::ctx;
    use crate::server::{auth::session, db};
    let (_, id) = ctx::require_request(&reference).await?;
    let state = ctx::state();
    let mine = session::customer_session_hash(&ctx::parts().headers, state.config.is_https());
    let links =
        db::devices::links_for_request(&state.pool, id, state.config.link_max_age()).await?;
    let sessions = db::devices::sessions_for_request(&state.pool, id).await?;
    let channel = |contact: Option<&str>| match contact {
        Some(c) if c.contains('@') => "email",
        Some(_) => "SMS",
        None => "this form",
    };
    let mut out: Vec<AccessEntry> = sessions
        .into_iter()
        .map(|s| AccessEntry {
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
            this_device: mine.as_deref() == Some(s.id_hash.as_slice()),
        })
        .collect();
    out.extend(links.into_iter().map(|l| {
        let channel = channel(Some(&l.contact));
        AccessEntry {
            id: l.public_id.to_string(),
            kind: AccessKind::Link,
            label: format!("Link sent by {channel}"),
            channel: channel.into(),
            created_at: l.created_at,
            last_used_at: l.used_at,
            this_device: false,
        }
    }));
    Ok(out)
}

/// Ends one link or signed-in device of a request the caller may see. Ending this
/// browser's own session signs it out.
#[server(endpoint = "room_access_end")]
pub async fn end_room_access(reference: String, id: String) -> Result<(), AppError> {
    use super::ctx;
    use crate::server::{
        auth::session::{self, ROOM_COOKIE},
        db,
    };
    let (_, request_id) = ctx::require_request(&reference).await?;
    let public_id = uuid::Uuid::parse_str(id.trim()).map_err(|_| AppError::NotFound)?;
    let state = ctx::state();
    let https = state.config.is_https();
    let mut tx = state.pool.begin().await?;
    let ended = db::devices::end_one(&mut tx, request_id, public_id)
        .await?
        .ok_or(AppError::NotFound)?;
    tx.commit().await?;
    if session::customer_session_hash(&ctx::parts().headers, https).as_deref() == Some(&ended) {
        ctx::set_cookie(session::clear_cookie_header(ROOM_COOKIE, https));
        leptos_axum::redirect("/signed-out");
    }
    Ok(())
}

/// Staff: ends every link and customer session that can open this request. The customer
/// can still ask for a fresh link, which goes to the contact details on the request.
#[server(endpoint = "staff_end_access")]
pub async fn staff_end_access(reference: String) -> Result<String, AppError> {
    use super::ctx;
    use crate::server::db;
    let user = ctx::require_staff().await?;
    let (_, request_id) = ctx::require_request(&reference).await?;
    let state = ctx::state();
    let mut tx = state.pool.begin().await?;
    let (links, sessions) = db::devices::end_all(&mut tx, request_id).await?;
    tx.commit().await?;
    tracing::info!(staff = %user.email, reference = %reference, links, sessions, "customer access ended");
    let plural = |n: u64, one: &str| {
        if n == 1 {
            format!("1 {one}")
        } else {
            format!("{n} {one}s")
        }
    };
    Ok(format!(
        "Ended {} and {}. The customer can ask for a fresh link.",
        plural(links, "link"),
        plural(sessions, "signed-in device")
    ))
}
