//! Staff sign-in, password reset, and the first staff pages.
use crate::model::{
    request::{RequestDetail, RequestSummary},
    staff::StaffUser,
    AppError,
};
use leptos::prelude::*;

#[server(endpoint = "staff_me")]
pub async fn current_staff() -> Result<Option<StaffUser>, AppError> {
    use crate::server::auth::session::Caller;
    Ok(match super::ctx::caller().await? {
        Caller::Staff(user) => Some(user),
        _ => None,
    })
}

#[server(endpoint = "staff_sign_in")]
pub async fn staff_sign_in(email: String, password: String) -> Result<(), AppError> {
    use super::ctx;
    use crate::server::staff::sign_in;
    let state = ctx::state();
    let email = email.trim().to_ascii_lowercase();
    if email.is_empty() || password.is_empty() {
        return Err(AppError::Invalid(
            "Please enter your email and password.".into(),
        ));
    }
    let user = sign_in::check_password(&state.pool, &email, password, &ctx::client_ip()).await?;
    start_staff_session(&user).await?;
    tracing::info!(staff = %user.email, "staff signed in");
    leptos_axum::redirect("/staff");
    Ok(())
}

/// A new session id at every sign-in; any session this browser had before ends.
#[cfg(feature = "ssr")]
async fn start_staff_session(user: &StaffUser) -> Result<(), AppError> {
    use super::ctx;
    use crate::server::{auth::session, db::access::SessionOwner};
    let state = ctx::state();
    session::end_staff(&state, &ctx::parts().headers).await?;
    let mut conn = state.pool.acquire().await?;
    let cookie = session::start(
        &mut conn,
        &SessionOwner::Staff { staff_id: user.id },
        state.config.is_https(),
    )
    .await?;
    ctx::set_cookie(cookie);
    Ok(())
}

/// True while the database has no staff: the first-run setup page is open.
#[server(endpoint = "staff_setup_open")]
pub async fn staff_setup_open() -> Result<bool, AppError> {
    use crate::server::db;
    Ok(!db::staff::any_exist(&super::ctx::state().pool).await?)
}

/// First-run setup: creates the owner and signs them in. Only while there are no staff.
#[server(endpoint = "staff_setup")]
pub async fn staff_setup(
    email: String,
    name: String,
    password: String,
    confirm: String,
) -> Result<(), AppError> {
    use crate::server::staff::{accounts, sign_in};
    let state = super::ctx::state();
    if !staff_setup_open().await? {
        return Err(AppError::NotFound);
    }
    accounts::parse_email(&email)?;
    sign_in::check_new_password(&password, &confirm)?;
    let hash = sign_in::hash_new_password(password).await?;
    let user = accounts::setup_first_owner(&state.pool, &email, &name, &hash).await?;
    start_staff_session(&user).await?;
    leptos_axum::redirect("/staff/team");
    Ok(())
}

pub const RESET_SENT_MESSAGE: &str =
    "If that email belongs to a staff account, a reset link is on its way. It works for 30 minutes.";

#[server(endpoint = "staff_reset_request")]
pub async fn request_staff_reset(email: String) -> Result<String, AppError> {
    use super::ctx;
    use crate::server::{
        auth::{limits, tokens},
        db,
        notify::templates,
    };
    let state = ctx::state();
    let email = email.trim().to_ascii_lowercase();
    if !email.contains('@') {
        return Err(AppError::Invalid(
            "Please enter the email address you sign in with.".into(),
        ));
    }
    if !limits::allow(&state.limits.link_per_ip, &ctx::client_ip())
        || !limits::allow(&state.limits.link_per_contact, &email)
    {
        return Err(AppError::RateLimited);
    }
    if let Some(user) = db::staff::active_by_email(&state.pool, &email).await? {
        let (token, hash) = tokens::new_token();
        db::access::insert_reset_token(&state.pool, &hash, user.id).await?;
        let link = format!("{}/staff/reset/{token}", state.config.public_url);
        let m =
            templates::staff_reset_email(&state.config.business_name, &user.display_name, &link);
        let mut conn = state.pool.acquire().await?;
        db::outbox::enqueue(&mut conn, "email", &user.email, &m.subject, &m.body, None).await?;
    }
    Ok(RESET_SENT_MESSAGE.to_string())
}

#[server(endpoint = "staff_reset_valid")]
pub async fn staff_reset_valid(token: String) -> Result<bool, AppError> {
    use crate::server::{auth::tokens::hash_token, db};
    Ok(db::access::reset_token_valid(&super::ctx::state().pool, &hash_token(&token)).await?)
}

#[server(endpoint = "staff_reset_complete")]
pub async fn complete_staff_reset(
    token: String,
    password: String,
    confirm: String,
) -> Result<(), AppError> {
    use super::ctx;
    use crate::server::staff::sign_in;
    let state = ctx::state();
    sign_in::complete_reset(&state.pool, &token, password, &confirm, &ctx::client_ip()).await?;
    leptos_axum::redirect("/staff/sign-in?reset=1");
    Ok(())
}

#[server(endpoint = "staff_requests")]
pub async fn staff_requests() -> Result<Vec<RequestSummary>, AppError> {
    use crate::server::db;
    super::ctx::require_staff().await?;
    Ok(db::requests::list_recent(&super::ctx::state().pool, 200).await?)
}

#[server(endpoint = "staff_request")]
pub async fn staff_request(reference: String) -> Result<RequestDetail, AppError> {
    use crate::server::db;
    super::ctx::require_staff().await?;
    let (_, id) = super::ctx::require_request(&reference).await?;
    db::requests::detail(&super::ctx::state().pool, id)
        .await?
        .ok_or(AppError::NotFound)
}
