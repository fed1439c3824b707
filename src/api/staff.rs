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
    use crate::model::{field::Field, values::Email};
    if email.trim().is_empty() || password.is_empty() {
        return Err(AppError::Invalid(
            "Please enter your email and password.".into(),
        ));
    }
    let email = Email::parse_as(Field::StaffEmail, &email)?;
    let (state, callers) = (ctx::state()?, ctx::callers().await?);
    let cookie =
        crate::server::staff::web::sign_in(&state, &callers, &email, password, &ctx::client_ip()?)
            .await?;
    ctx::set_cookie(cookie.0);
    // Each role starts where its day is: technicians on their jobs, the office on the board.
    leptos_axum::redirect(cookie.1.home());
    Ok(())
}

/// True while the database has no staff: the first-run setup page is open.
#[server(endpoint = "staff_setup_open")]
pub async fn staff_setup_open() -> Result<bool, AppError> {
    crate::server::staff::web::setup_open(&super::ctx::state()?).await
}

/// First-run setup: creates the owner and signs them in. Only while there are no staff.
#[server(endpoint = "staff_setup")]
pub async fn staff_setup(
    email: String,
    name: String,
    password: String,
    confirm: String,
) -> Result<(), AppError> {
    use super::ctx;
    use crate::server::staff::accounts::{parse_email, parse_name};
    let email = parse_email(&email)?;
    let name = parse_name(&name, &email)?;
    let (state, callers) = (ctx::state()?, ctx::callers().await?);
    let cookie =
        crate::server::staff::web::setup(&state, &callers, &email, &name, password, &confirm)
            .await?;
    ctx::set_cookie(cookie);
    leptos_axum::redirect("/staff/team");
    Ok(())
}

pub const RESET_SENT_MESSAGE: &str =
    "If that email belongs to a staff account, a reset link is on its way. It works for 30 minutes.";

#[server(endpoint = "staff_reset_request")]
pub async fn request_staff_reset(email: String) -> Result<String, AppError> {
    use super::ctx;
    use crate::model::{
        field::{Field, FieldError, Reason},
        values::Email,
    };
    // A missing @ read as "nothing entered" here, as this form always said.
    let email = Email::parse_as(Field::StaffEmail, &email).map_err(|e| match e.reason {
        Reason::EmailMissingAt => FieldError::new(Field::StaffEmail, Reason::Missing),
        _ => e,
    })?;
    crate::server::staff::web::request_reset(&ctx::state()?, &ctx::client_ip()?, &email).await?;
    ctx::back_to_page_with("sent=1");
    Ok(RESET_SENT_MESSAGE.to_string())
}

#[server(endpoint = "staff_reset_valid")]
pub async fn staff_reset_valid(token: String) -> Result<bool, AppError> {
    crate::server::staff::web::reset_valid(&super::ctx::state()?, &token).await
}

#[server(endpoint = "staff_reset_complete")]
pub async fn complete_staff_reset(
    token: String,
    password: String,
    confirm: String,
) -> Result<(), AppError> {
    use super::ctx;
    use crate::server::staff::sign_in;
    let state = ctx::state()?;
    sign_in::complete_reset(&state.pool, &token, password, &confirm, &ctx::client_ip()?).await?;
    leptos_axum::redirect("/staff/sign-in?reset=1");
    Ok(())
}

#[server(endpoint = "staff_requests")]
pub async fn staff_requests() -> Result<Vec<RequestSummary>, AppError> {
    super::ctx::require_staff().await?;
    crate::server::staff_room::recent_requests(&super::ctx::state()?).await
}

#[server(endpoint = "staff_request")]
pub async fn staff_request(reference: String) -> Result<RequestDetail, AppError> {
    let user = super::ctx::require_staff().await?;
    let (_, id) = super::ctx::require_request(&reference).await?;
    let state = super::ctx::state()?;
    crate::server::jobs::may_open(&state, &user, id).await?;
    crate::server::staff_room::detail(&state, id).await
}
