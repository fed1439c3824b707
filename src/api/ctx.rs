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

pub async fn caller() -> Result<Caller, AppError> {
    Ok(session::caller(&state(), &parts().headers).await?)
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
/// belongs to someone else gets the same answer as one that doesn't exist.
pub async fn require_request(reference: &str) -> Result<(Caller, Uuid), AppError> {
    let caller = caller().await?;
    if matches!(caller, Caller::Anonymous) {
        return Err(AppError::NotSignedIn);
    }
    let reference =
        crate::model::reference::Reference::parse(reference).ok_or(AppError::NotFound)?;
    let state = state();
    let id = db::requests::id_by_reference(&state.pool, reference.as_str())
        .await?
        .ok_or(AppError::Forbidden)?;
    if !caller.may_see_request(&state, id).await? {
        return Err(AppError::Forbidden);
    }
    Ok((caller, id))
}

pub fn set_cookie(value: HeaderValue) {
    expect_context::<ResponseOptions>().append_header(header::SET_COOKIE, value);
}

pub fn client_ip() -> String {
    session::client_ip(&parts().extensions)
}
