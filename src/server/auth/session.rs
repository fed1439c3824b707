//! Sessions: a random id in an HttpOnly cookie, its hash in PostgreSQL.
use super::tokens::{hash_token, new_token};
use crate::{
    model::staff::StaffUser,
    server::{db, db::access::SessionOwner, state::AppState},
};
use axum::{
    extract::ConnectInfo,
    http::{header, HeaderMap, HeaderValue},
};
use sqlx::PgConnection;
use std::net::{IpAddr, SocketAddr};
use uuid::Uuid;

pub const SESSION_COOKIE: &str = "cr_session";
/// Remembers a form that failed its checks without JavaScript, so it can be shown again.
pub const DRAFT_COOKIE: &str = "cr_draft";

#[derive(Clone, Debug)]
pub enum Caller {
    Anonymous,
    Customer {
        contact: Option<String>,
        request_id: Option<Uuid>,
    },
    Staff(StaffUser),
}

impl Caller {
    pub fn is_staff(&self) -> bool {
        matches!(self, Caller::Staff(_))
    }

    /// The server-side access rule for everything a customer can open.
    pub async fn may_see_request(
        &self,
        state: &AppState,
        request_id: Uuid,
    ) -> Result<bool, sqlx::Error> {
        match self {
            Caller::Anonymous => Ok(false),
            Caller::Staff(_) => Ok(true),
            Caller::Customer {
                contact,
                request_id: scoped,
            } => {
                db::requests::customer_may_access(
                    &state.pool,
                    request_id,
                    contact.as_deref(),
                    *scoped,
                )
                .await
            }
        }
    }
}

pub fn read_cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
}

pub fn cookie_header(name: &str, value: &str, max_age_secs: i64, secure: bool) -> HeaderValue {
    let secure = if secure { "; Secure" } else { "" };
    HeaderValue::from_str(&format!(
        "{name}={value}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age_secs}{secure}"
    ))
    .expect("cookie values are hex or uuids")
}

pub fn clear_cookie_header(name: &str, secure: bool) -> HeaderValue {
    cookie_header(name, "", 0, secure)
}

pub async fn caller(state: &AppState, headers: &HeaderMap) -> Result<Caller, sqlx::Error> {
    let Some(id) = read_cookie(headers, SESSION_COOKIE) else {
        return Ok(Caller::Anonymous);
    };
    match db::access::touch_session(&state.pool, &hash_token(&id)).await? {
        None => Ok(Caller::Anonymous),
        Some(SessionOwner::Customer {
            contact,
            request_id,
        }) => Ok(Caller::Customer {
            contact,
            request_id,
        }),
        Some(SessionOwner::Staff { staff_id }) => Ok(db::staff::by_id(&state.pool, staff_id)
            .await?
            .map(Caller::Staff)
            .unwrap_or(Caller::Anonymous)),
    }
}

/// Starts a fresh session (a new id every time: sign-in rotates the session) and returns
/// the Set-Cookie header for it. The old session, if any, should be ended by the caller.
pub async fn start(
    conn: &mut PgConnection,
    owner: &SessionOwner,
    secure: bool,
) -> Result<HeaderValue, sqlx::Error> {
    let (id, hash) = new_token();
    db::access::create_session(conn, &hash, owner).await?;
    let max_age = db::access::SESSION_ABSOLUTE.num_seconds();
    Ok(cookie_header(SESSION_COOKIE, &id, max_age, secure))
}

pub async fn end(state: &AppState, headers: &HeaderMap) -> Result<(), sqlx::Error> {
    if let Some(id) = read_cookie(headers, SESSION_COOKIE) {
        db::access::delete_session(&state.pool, &hash_token(&id)).await?;
    }
    Ok(())
}

/// The peer address. Forwarded headers are not trusted: any client can set them.
pub fn client_ip(extensions: &axum::http::Extensions) -> String {
    extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ci| ci.0.ip())
        .unwrap_or(IpAddr::from([0, 0, 0, 0]))
        .to_string()
}
