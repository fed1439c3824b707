//! What a server function needs to know about its call: state, caller, cookies, peer.
use crate::{
    model::{staff::StaffUser, AppError},
    server::{
        auth::session::{self, Caller},
        db,
        state::AppState,
    },
};
use axum::http::{header, request::Parts, HeaderValue};
use leptos::prelude::*;
use leptos_axum::ResponseOptions;
use uuid::Uuid;

pub fn state() -> AppState {
    expect_context::<AppState>()
}

pub fn parts() -> Parts {
    expect_context::<Parts>()
}

/// The caller of this server function or page. With both a staff and a customer cookie,
/// staff wins on `/staff…` pages and `/api/staff…` functions, the customer elsewhere
/// (see `session::Callers::for_path`).
pub async fn caller() -> Result<Caller, AppError> {
    let parts = parts();
    Ok(session::caller_at(&state(), &parts.headers, parts.uri.path()).await?)
}

/// A staff member whose role the policy line of this request's path allows
/// (src/server/auth/policy.rs), checked again inside the function as defence in depth.
pub async fn require_staff() -> Result<StaffUser, AppError> {
    use crate::server::auth::policy::{rule_for, Rule, ALL_STAFF};
    let roles = match rule_for(parts().uri.path()) {
        Rule::Staff(roles) => roles,
        _ => ALL_STAFF,
    };
    require_role(roles).await
}

/// A staff member with one of these roles.
pub async fn require_role(roles: &[crate::model::staff::StaffRole]) -> Result<StaffUser, AppError> {
    match caller().await? {
        Caller::Staff(user) if roles.contains(&user.role) => Ok(user),
        Caller::Staff(_) | Caller::Customer { .. } => Err(AppError::Forbidden),
        Caller::Anonymous => Err(AppError::NotSignedIn),
    }
}

/// Resolves a reference to a request the caller may see. A request that exists but
/// belongs to someone else gets the same answer as one that doesn't exist. A browser with
/// both cookies whose customer session cannot see the request acts as its staff session
/// (staff replying from the staff page through a shared function such as `room_message`).
pub async fn require_request(reference: &str) -> Result<(Caller, Uuid), AppError> {
    let parts = parts();
    let state = state();
    let callers = session::callers(&state, &parts.headers).await?;
    let caller = callers.for_path(parts.uri.path());
    if matches!(caller, Caller::Anonymous) {
        return Err(AppError::NotSignedIn);
    }
    let reference =
        crate::model::reference::Reference::parse(reference).ok_or(AppError::NotFound)?;
    let id = db::requests::id_by_reference(&state.pool, reference.as_str())
        .await?
        .ok_or(AppError::Forbidden)?;
    if caller.may_see_request(&state, id).await? {
        return Ok((caller, id));
    }
    match (&caller, callers.staff) {
        (Caller::Customer { .. }, Some((staff, _))) => Ok((Caller::Staff(staff), id)),
        _ => Err(AppError::Forbidden),
    }
}

pub fn set_cookie(value: HeaderValue) {
    expect_context::<ResponseOptions>().append_header(header::SET_COOKIE, value);
}

/// The client's address (through trusted proxies only), for rate limits.
pub fn client_ip() -> String {
    let parts = parts();
    crate::server::http::client_ip::client_ip(
        &parts.headers,
        &parts.extensions,
        &state().config.trusted_proxies,
    )
    .to_string()
}
