//! The edge of every server function: its state, its caller (resolved once per request and
//! handed to services as a typed value), the cookies it sets, its peer address.
use crate::{
    model::{staff::StaffUser, AppError},
    server::{
        access,
        auth::session::{self, Caller, Callers},
        state::AppState,
    },
};
use axum::http::{header, request::Parts, HeaderValue};
use leptos::prelude::*;
use leptos_axum::ResponseOptions;
use uuid::Uuid;

/// The app's state from the request's context. It is gone only when the request is: a phone
/// that left mid-render leaves its page's data loading behind, which then stops here.
pub fn state() -> Result<AppState, AppError> {
    from_request::<AppState>()
}

pub fn parts() -> Result<Parts, AppError> {
    from_request::<Parts>()
}

fn from_request<T: Clone + 'static>() -> Result<T, AppError> {
    use_context::<T>().ok_or_else(|| {
        tracing::warn!(
            what = std::any::type_name::<T>(),
            "request context gone (the client left before its page was read)"
        );
        AppError::Unavailable
    })
}

/// Both sessions this browser carries: as the policy middleware resolved them, else from
/// the cookies on first use, then kept in the request's context so the session rows are
/// touched once per request.
pub async fn callers() -> Result<Callers, AppError> {
    if let Some(callers) = use_context::<Callers>() {
        return Ok(callers);
    }
    let callers = session::request_callers(&state()?, &parts()?).await?;
    provide_context(callers.clone());
    Ok(callers)
}

/// The caller of this server function or page. With both a staff and a customer cookie,
/// staff wins on `/staff…` pages and `/api/staff…` functions, the customer elsewhere
/// (see `session::Callers::for_path`).
pub async fn caller() -> Result<Caller, AppError> {
    Ok(callers().await?.for_path(parts()?.uri.path()))
}

/// A staff member whose role the policy line of this request's path allows
/// (src/server/auth/policy.rs), checked again inside the function as defence in depth.
pub async fn require_staff() -> Result<StaffUser, AppError> {
    use crate::server::auth::policy::{rule_for, Rule, ALL_STAFF};
    let roles = match rule_for(parts()?.uri.path()) {
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

/// The request behind a reference, as the caller who may see it (see
/// [`access::open_request`] for the rule).
pub async fn require_request(reference: &str) -> Result<(Caller, Uuid), AppError> {
    let callers = callers().await?;
    access::open_request(&state()?, &callers, parts()?.uri.path(), reference).await
}

pub fn set_cookie(value: HeaderValue) {
    // Without the request's response options the request has ended: no answer to set it on.
    if let Some(response) = use_context::<ResponseOptions>() {
        response.append_header(header::SET_COOKIE, value);
    }
}

/// The client's address (through trusted proxies only), for rate limits.
pub fn client_ip() -> Result<String, AppError> {
    let parts = parts()?;
    Ok(crate::server::http::client_ip::client_ip(
        &parts.headers,
        &parts.extensions,
        &state()?.config.trusted_proxies,
    )
    .to_string())
}

/// A plain form post comes back to the page it was sent from with `?{query}` added, so that
/// page can say what happened (Leptos would return to the page with nothing to show for a
/// success). Only for the HTML form path: a script caller gets the function's value.
pub fn back_to_page_with(query: &str) {
    // No request left to answer, no page to go back to.
    let Ok(parts) = parts() else { return };
    let page = parts
        .headers
        .get(header::REFERER)
        .and_then(|v| v.to_str().ok())
        .and_then(|r| r.parse::<axum::http::Uri>().ok())
        .map(|u| u.path().to_string())
        .filter(|p| crate::server::http::back::is_safe_path(p));
    if let Some(page) = page {
        leptos_axum::redirect(&format!("{page}?{query}"));
    }
}
