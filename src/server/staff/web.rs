//! Staff signing in through the site: the sign-in form, the first-run setup page, and the
//! reset-link request. A new session id at every sign-in; the browser's old staff session
//! ends with it.
use super::{accounts, sign_in};
use crate::{
    model::{
        staff::{StaffRole, StaffUser},
        values::{Email, PersonName},
        AppError,
    },
    server::{
        auth::{limits, session, session::Callers, tokens},
        db::{self, access::SessionOwner},
        notify::templates,
        state::AppState,
    },
};
use axum::http::HeaderValue;

/// Starts a staff session for `user` and returns its Set-Cookie.
async fn start_session(
    state: &AppState,
    callers: &Callers,
    user: &StaffUser,
) -> Result<HeaderValue, AppError> {
    session::end_hash(state, callers.staff_cookie.as_deref()).await?;
    let mut conn = state.pool.acquire().await?;
    let owner = SessionOwner::Staff { staff_id: user.id };
    Ok(session::start(&mut conn, &owner, state.config.is_https()).await?)
}

/// Checks the email and password (throttled per account and address) and signs in.
pub async fn sign_in(
    state: &AppState,
    callers: &Callers,
    email: &Email,
    password: String,
    address: &str,
) -> Result<(HeaderValue, StaffRole), AppError> {
    let user = sign_in::check_password(&state.pool, email.as_str(), password, address).await?;
    let cookie = start_session(state, callers, &user).await?;
    tracing::info!(staff = %user.email, "staff signed in");
    Ok((cookie, user.role))
}

/// True while the database has no staff: the first-run setup page is open.
pub async fn setup_open(state: &AppState) -> Result<bool, AppError> {
    Ok(!db::staff::any_exist(&state.pool).await?)
}

/// First-run setup: creates the owner and signs them in. Only while there are no staff;
/// afterwards the page does not exist.
pub async fn setup(
    state: &AppState,
    callers: &Callers,
    email: &Email,
    name: &PersonName,
    password: String,
    confirm: &str,
) -> Result<HeaderValue, AppError> {
    if !setup_open(state).await? {
        return Err(AppError::NotFound);
    }
    sign_in::check_new_password(&password, confirm)?;
    let hash = sign_in::hash_new_password(password).await?;
    let user = accounts::setup_first_owner(&state.pool, email, name, &hash).await?;
    start_session(state, callers, &user).await
}

/// Sends a reset link when the email belongs to an active account; the caller answers the
/// same either way, so the form tells nobody who is staff.
pub async fn request_reset(state: &AppState, address: &str, email: &Email) -> Result<(), AppError> {
    if !limits::allow(&state.limits.link_per_ip, address)
        || !limits::allow(&state.limits.link_per_contact, email.as_str())
    {
        return Err(AppError::RateLimited);
    }
    let Some(user) = db::staff::active_by_email(&state.pool, email.as_str()).await? else {
        return Ok(());
    };
    let (token, hash) = tokens::new_token();
    db::access::insert_reset_token(&state.pool, &hash, user.id).await?;
    let link = accounts::set_password_link(&state.config, &token);
    let m = templates::staff_reset_email(&state.config.business_name, &user.display_name, &link);
    let mut conn = state.pool.acquire().await?;
    db::outbox::enqueue(&mut conn, "email", &user.email, &m, None).await?;
    Ok(())
}

pub async fn reset_valid(state: &AppState, token: &str) -> Result<bool, AppError> {
    Ok(db::access::reset_token_valid(&state.pool, &tokens::hash_token(token)).await?)
}
