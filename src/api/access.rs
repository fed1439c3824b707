//! Customers getting back into their requests: new links, "My requests", signing out.
use crate::model::{request::RequestSummary, AppError};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// The one answer to every link request, whether or not we know the contact.
pub const LINK_SENT_MESSAGE: &str =
    "If that matches a request with us, we've sent a new link to it. It can take a minute to arrive — check your spam folder too.";

#[server(endpoint = "request_room_link")]
pub async fn request_room_link(contact: String) -> Result<String, AppError> {
    use super::ctx;
    use crate::model::contact::{check_phone_shape, normalise_email};
    use crate::server::{auth::limits, intake::normalise_phone};
    let state = ctx::state();
    let contact = contact.trim();
    let normalised = if contact.contains('@') {
        normalise_email(contact).map_err(|m| AppError::Invalid(m.into()))?
    } else {
        check_phone_shape(contact).map_err(|_| {
            AppError::Invalid(
                "Please enter the email address or mobile number you used for your request.".into(),
            )
        })?;
        normalise_phone(contact, state.config.region).map_err(AppError::Invalid)?
    };
    if !limits::allow(&state.limits.link_per_ip, &ctx::client_ip())
        || !limits::allow(&state.limits.link_per_contact, &normalised)
    {
        return Err(AppError::RateLimited);
    }
    send_new_link(&state, &normalised).await?;
    Ok(LINK_SENT_MESSAGE.to_string())
}

#[cfg(feature = "ssr")]
async fn send_new_link(
    state: &crate::server::state::AppState,
    contact: &str,
) -> Result<(), AppError> {
    use crate::server::{auth::tokens, db, intake::room_link, notify::templates};
    let requests = db::requests::for_contact(&state.pool, contact).await?;
    let Some((newest, _)) = requests.first() else {
        tracing::info!("room link asked for an unknown contact");
        return Ok(());
    };
    let references: Vec<String> = requests.iter().map(|(_, r)| r.clone()).collect();
    let (token, hash) = tokens::new_token();
    let link = room_link(state, &token);
    let business = &state.config.business_name;
    let mut tx = state.pool.begin().await?;
    db::access::insert_room_token(&mut tx, &hash, *newest, contact).await?;
    let (channel, m) = if contact.contains('@') {
        (
            "email",
            templates::new_link_email(business, &references, &link),
        )
    } else {
        ("sms", templates::new_link_sms(business, &link))
    };
    db::outbox::enqueue(
        &mut tx,
        channel,
        contact,
        &m.subject,
        &m.body,
        Some(*newest),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MyRequestsView {
    pub requests: Vec<RequestSummary>,
    /// Signed in from the form just sent, not from a link: only that request is visible.
    pub single_request_session: bool,
}

#[server(endpoint = "my_requests")]
pub async fn my_requests() -> Result<MyRequestsView, AppError> {
    use super::ctx;
    use crate::server::{auth::session::Caller, db};
    match ctx::caller().await? {
        Caller::Customer {
            contact,
            request_id,
        } => {
            let requests =
                db::requests::list_for_customer(&ctx::state().pool, contact.as_deref(), request_id)
                    .await?;
            Ok(MyRequestsView {
                requests,
                single_request_session: contact.is_none(),
            })
        }
        Caller::Staff(_) => Err(AppError::Forbidden),
        Caller::Anonymous => Err(AppError::NotSignedIn),
    }
}

/// Signs out on the server and clears the cookie. From the room (`scope` = "room") only
/// the customer session ends, so a staff session in the same browser stays; otherwise
/// every session this browser carries ends. Either way their live streams close.
#[server(endpoint = "sign_out")]
pub async fn sign_out(#[server(default)] scope: String) -> Result<(), AppError> {
    use super::ctx;
    use crate::server::auth::session::{self, ROOM_COOKIE, STAFF_COOKIE};
    let state = ctx::state();
    let headers = ctx::parts().headers;
    let https = state.config.is_https();
    if scope == "room" {
        session::end_customer(&state, &headers).await?;
    } else {
        session::end(&state, &headers).await?;
        ctx::set_cookie(session::clear_cookie_header(STAFF_COOKIE, https));
    }
    ctx::set_cookie(session::clear_cookie_header(ROOM_COOKIE, https));
    leptos_axum::redirect("/signed-out");
    Ok(())
}
