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
    use crate::server::access::{self, Contact};
    let state = ctx::state()?;
    let contact = Contact::parse(&contact, state.config.region)?;
    access::request_link(&state, &ctx::client_ip()?, &contact).await?;
    ctx::back_to_page_with("sent=1");
    Ok(LINK_SENT_MESSAGE.to_string())
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
    let caller = ctx::caller().await?;
    let (requests, single_request_session) =
        crate::server::access::my_requests(&ctx::state()?, &caller).await?;
    Ok(MyRequestsView {
        requests,
        single_request_session,
    })
}

/// Signs out on the server and clears the cookie. From the room (`scope` = "room") only
/// the customer session ends, so a staff session in the same browser stays; otherwise
/// every session this browser carries ends. Either way their live streams close.
#[server(endpoint = "sign_out")]
pub async fn sign_out(#[server(default)] scope: String) -> Result<(), AppError> {
    use super::ctx;
    use crate::server::{
        access::{self, SignOut},
        auth::session::{clear_cookie_header, ROOM_COOKIE, STAFF_COOKIE},
    };
    let state = ctx::state()?;
    let https = state.config.is_https();
    let scope = match scope.as_str() {
        "room" => SignOut::CustomerOnly,
        _ => SignOut::Everything,
    };
    access::sign_out(&state, &ctx::callers().await?, scope).await?;
    if scope == SignOut::Everything {
        ctx::set_cookie(clear_cookie_header(STAFF_COOKIE, https));
    }
    ctx::set_cookie(clear_cookie_header(ROOM_COOKIE, https));
    leptos_axum::redirect("/signed-out");
    Ok(())
}
