//! Sessions: a random id in an HttpOnly cookie, its hash in PostgreSQL.
//!
//! Staff and customers have separate cookies, so opening a customer's room link never
//! signs staff out (and a staff sign-in never touches a customer session):
//!
//! | cookie (http / https)            | opens                                   | lifetime |
//! |----------------------------------|-----------------------------------------|----------|
//! | `cr_staff` / `__Host-cr_staff`   | the staff pages for that account        | idle 12 h, absolute 30 days |
//! | `cr_room` / `__Host-cr_room`     | a customer's requests (one request when started by the form, all of a contact's when started by a link) | idle 7 days, absolute 30 days |
//! | `cr_draft` / `__Host-cr_draft`   | nothing: it names a form kept after failed checks | 1 day |
//!
//! Every cookie is HttpOnly, SameSite=Lax, Path=/, and `Secure` with the `__Host-` prefix when
//! the public URL is https ([`cookie_name`] is the one place the name is decided).
use super::tokens::{hash_token, new_token};
use crate::{
    model::staff::StaffUser,
    server::{db, db::access::SessionOwner, state::AppState},
};
use axum::{
    extract::FromRequestParts,
    http::{header, request::Parts, HeaderMap, HeaderValue},
    response::{IntoResponse, Response},
};
use cookie::{Cookie, SameSite};
use sqlx::PgConnection;
use uuid::Uuid;

pub use super::device::device_summary;

/// Staff sessions.
pub const STAFF_COOKIE: &str = "cr_staff";
/// Customer sessions (from a room link or from sending the form).
pub const ROOM_COOKIE: &str = "cr_room";
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
            // A technician sees the requests they have a job on (files, live changes), as
            // their pages do (`jobs::may_open`); the office sees every request.
            Caller::Staff(u) if u.role == crate::model::staff::StaffRole::Technician => {
                db::jobs::is_assigned(&state.pool, request_id, u.id).await
            }
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

/// The one function that decides a cookie's name: `__Host-` prefixed over https (the
/// browser then insists on Secure, Path=/ and no Domain, so no sibling host or plain-http
/// page can plant it); the plain name over http (localhost), where browsers refuse `__Host-`.
pub fn cookie_name(base: &str, https: bool) -> String {
    if https {
        format!("__Host-{base}")
    } else {
        base.to_string()
    }
}

/// A `Set-Cookie` value: HttpOnly, SameSite=Lax, Path=/, Secure (and prefixed) over https.
pub fn cookie_header(base: &str, value: &str, max_age_secs: i64, https: bool) -> HeaderValue {
    let cookie = Cookie::build((cookie_name(base, https), value.to_string()))
        .path("/")
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(https)
        .max_age(cookie::time::Duration::seconds(max_age_secs))
        .build();
    // Values are hex or uuids: nothing to percent-encode.
    HeaderValue::from_str(&cookie.to_string()).expect("cookie values are plain ASCII")
}

pub fn clear_cookie_header(base: &str, https: bool) -> HeaderValue {
    cookie_header(base, "", 0, https)
}

/// Reads a cookie by exactly the name [`cookie_name`] gives for this deployment.
pub fn cookie_value(headers: &HeaderMap, base: &str, https: bool) -> Option<String> {
    let name = cookie_name(base, https);
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(Cookie::split_parse)
        .filter_map(Result::ok)
        .find(|c| c.name() == name && !c.value().is_empty())
        .map(|c| c.value().to_string())
}

/// Lenient read for cookies that open nothing (the draft cookie): the `__Host-` name if
/// present, else the plain one. Session cookies use [`cookie_value`].
pub fn read_cookie(headers: &HeaderMap, base: &str) -> Option<String> {
    cookie_value(headers, base, true).or_else(|| cookie_value(headers, base, false))
}

/// The session id hash behind this browser's customer cookie, if it sent one.
pub fn customer_session_hash(headers: &HeaderMap, https: bool) -> Option<Vec<u8>> {
    cookie_value(headers, ROOM_COOKIE, https).map(|id| hash_token(&id))
}

pub fn staff_session_hash(headers: &HeaderMap, https: bool) -> Option<Vec<u8>> {
    cookie_value(headers, STAFF_COOKIE, https).map(|id| hash_token(&id))
}

/// Both sessions a browser may carry, each resolved (expired or unknown ones are `None`),
/// and the hashes of the session cookies it presented, live or not. Resolved once per
/// request at the edge and handed to services, which never read cookies themselves.
#[derive(Clone, Debug, Default)]
pub struct Callers {
    pub staff: Option<(StaffUser, Vec<u8>)>,
    pub customer: Option<(Caller, Vec<u8>)>,
    pub staff_cookie: Option<Vec<u8>>,
    pub room_cookie: Option<Vec<u8>>,
}

impl Callers {
    /// Which identity a request acts as when the browser carries both cookies: staff wins
    /// on `/staff…` pages and `/api/staff…` server functions, the customer session wins
    /// everywhere else. With one cookie, that one is the caller on every path (each page
    /// still checks what that caller may see).
    pub fn for_path(&self, path: &str) -> Caller {
        let staff_first = path.starts_with("/staff") || path.starts_with("/api/staff");
        let staff = self.staff.as_ref().map(|(u, _)| Caller::Staff(u.clone()));
        let customer = self.customer.as_ref().map(|(c, _)| c.clone());
        let (first, second) = if staff_first {
            (staff, customer)
        } else {
            (customer, staff)
        };
        first.or(second).unwrap_or(Caller::Anonymous)
    }

    /// The caller on a customer path (files, room photos): the customer session wins.
    pub fn customer_first(&self) -> Caller {
        self.for_path("/")
    }

    /// The id hashes of the live sessions behind this request.
    pub fn session_hashes(&self) -> Vec<Vec<u8>> {
        let staff = self.staff.iter().map(|(_, h)| h.clone());
        staff
            .chain(self.customer.iter().map(|(_, h)| h.clone()))
            .collect()
    }
}

/// Resolves both cookies. See [`Callers::for_path`] for which one a request acts as.
pub async fn callers(state: &AppState, headers: &HeaderMap) -> Result<Callers, sqlx::Error> {
    Ok(callers_with_room(state, headers, None).await?.0)
}

/// [`callers`], and with `room` that room's `view_version` if the customer session may open
/// it — in the same round trip as the session check (`http::room_pages`).
pub async fn callers_with_room(
    state: &AppState,
    headers: &HeaderMap,
    room: Option<&str>,
) -> Result<(Callers, Option<i64>), sqlx::Error> {
    let https = state.config.is_https();
    let device = headers
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .map(device_summary)
        .unwrap_or_default();
    let mut out = Callers {
        staff_cookie: staff_session_hash(headers, https),
        room_cookie: customer_session_hash(headers, https),
        ..Default::default()
    };
    let mut room_version = None;
    if let Some(hash) = out.staff_cookie.clone() {
        if let Some((SessionOwner::Staff { staff_id }, _)) =
            db::access::touch_session(&state.pool, &hash, &device, None).await?
        {
            out.staff = db::staff::by_id(&state.pool, staff_id)
                .await?
                .map(|u| (u, hash));
        }
    }
    if let Some(hash) = out.room_cookie.clone() {
        if let Some((
            SessionOwner::Customer {
                contact,
                request_id,
            },
            version,
        )) = db::access::touch_session(&state.pool, &hash, &device, room).await?
        {
            let caller = Caller::Customer {
                contact,
                request_id,
            };
            out.customer = Some((caller, hash));
            room_version = version;
        }
    }
    Ok((out, room_version))
}

/// The request's sessions: the ones the policy middleware resolved for it
/// (`auth::policy::enforce`), else resolved now from its cookies.
pub async fn request_callers(state: &AppState, parts: &Parts) -> Result<Callers, sqlx::Error> {
    match parts.extensions.get::<Callers>() {
        Some(callers) => Ok(callers.clone()),
        None => callers(state, &parts.headers).await,
    }
}

/// Plain routes take the request's sessions as an argument, resolved once (by the policy
/// middleware or here); a failed lookup is a logged 500, never "not found".
impl FromRequestParts<AppState> for Callers {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        request_callers(state, parts)
            .await
            .map_err(|e| crate::model::AppError::from(e).into_response())
    }
}

/// Starts a fresh session (a new id every time: sign-in rotates the session) and returns
/// the Set-Cookie header for it: `cr_staff` for staff, `cr_room` for customers. The old
/// session of the same kind, if any, should be ended by the caller.
pub async fn start(
    conn: &mut PgConnection,
    owner: &SessionOwner,
    https: bool,
) -> Result<HeaderValue, sqlx::Error> {
    start_on_device(conn, owner, https, "").await
}

/// [`start`], recording a coarse device summary (see [`device_summary`]).
pub async fn start_on_device(
    conn: &mut PgConnection,
    owner: &SessionOwner,
    https: bool,
    device: &str,
) -> Result<HeaderValue, sqlx::Error> {
    let (id, hash) = new_token();
    db::access::create_session(conn, &hash, owner, device).await?;
    let max_age = db::access::SESSION_ABSOLUTE.num_seconds();
    let base = match owner {
        SessionOwner::Staff { .. } => STAFF_COOKIE,
        SessionOwner::Customer { .. } => ROOM_COOKIE,
    };
    Ok(cookie_header(base, &id, max_age, https))
}

/// Ends the session behind a presented cookie hash, if any (and closes its live streams).
pub async fn end_hash(state: &AppState, hash: Option<&[u8]>) -> Result<(), sqlx::Error> {
    if let Some(hash) = hash {
        let mut conn = state.pool.acquire().await?;
        db::access::delete_session(&mut conn, hash).await?;
    }
    Ok(())
}
