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
    use crate::server::{
        auth::{limits, passwords, session},
        db::{self, access::SessionOwner},
    };
    let state = ctx::state();
    let email = email.trim().to_ascii_lowercase();
    if email.is_empty() || password.is_empty() {
        return Err(AppError::Invalid(
            "Please enter your email and password.".into(),
        ));
    }
    if !limits::allow(&state.limits.signin_per_ip, &ctx::client_ip())
        || !limits::allow(&state.limits.signin_per_account, &email)
    {
        return Err(AppError::RateLimited);
    }
    let Some((user, hash)) = db::staff::by_email(&state.pool, &email).await? else {
        passwords::verify_dummy(password).await;
        return Err(AppError::BadCredentials);
    };
    if !passwords::verify(password, hash).await {
        return Err(AppError::BadCredentials);
    }
    // A new session id at every sign-in; any session this browser had before ends.
    session::end(&state, &ctx::parts().headers).await?;
    let mut conn = state.pool.acquire().await?;
    let cookie = session::start(
        &mut conn,
        &SessionOwner::Staff { staff_id: user.id },
        state.config.is_https(),
    )
    .await?;
    ctx::set_cookie(cookie);
    tracing::info!(staff = %user.email, "staff signed in");
    leptos_axum::redirect("/staff");
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
    if let Some((user, _)) = db::staff::by_email(&state.pool, &email).await? {
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
    use crate::server::{
        auth::{passwords, tokens::hash_token},
        db,
    };
    if password.chars().count() < passwords::MIN_PASSWORD_LEN {
        return Err(AppError::Invalid(format!(
            "Please choose a password of at least {} characters.",
            passwords::MIN_PASSWORD_LEN
        )));
    }
    if password != confirm {
        return Err(AppError::Invalid("The two passwords don't match.".into()));
    }
    let state = ctx::state();
    let hash = passwords::hash(password)
        .await
        .map_err(|_| AppError::Internal)?;
    let mut tx = state.pool.begin().await?;
    let staff_id = db::access::consume_reset_token(&mut tx, &hash_token(&token))
        .await?
        .ok_or(AppError::LinkExpired)?;
    db::staff::set_password(&mut tx, staff_id, &hash).await?;
    // A reset signs the account out everywhere.
    db::access::delete_staff_sessions(&mut tx, staff_id).await?;
    tx.commit().await?;
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
