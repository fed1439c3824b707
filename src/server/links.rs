//! Opening a room link: `GET /r/{token}` and the "switch requests?" answer `POST /r/switch`.
//!
//! A link never ends another session: staff sessions live in their own cookie and are not
//! touched; a browser already signed in to a customer request that cannot see this link's
//! request is asked before it switches (a same-origin form post carrying the token in its
//! body, never in a query string), so a link from another site cannot silently swap the
//! browser into someone else's room.
use crate::server::http::body::Readable;
use crate::server::{
    auth::{
        session::{self, device_summary},
        tokens::hash_token,
    },
    db::{self, access::SessionOwner},
    state::AppState,
};
use axum::{
    extract::{Path, State},
    http::{header, HeaderMap, HeaderValue, StatusCode},
    response::{IntoResponse, Redirect, Response},
    Form,
};
use serde::Deserialize;

fn see_other(location: &str, cookies: &[HeaderValue]) -> Response {
    let mut res = Redirect::to(location).into_response();
    for c in cookies {
        res.headers_mut().append(header::SET_COOKIE, c.clone());
    }
    res
}

fn failed(e: sqlx::Error) -> Response {
    tracing::error!(error = %e, "opening a room link failed");
    (
        StatusCode::INTERNAL_SERVER_ERROR,
        "Something went wrong on our side. Please try the link again in a moment.",
    )
        .into_response()
}

/// `GET /r/{token}`: moves to the room (the token never stays in the address bar or in a
/// Referer). A link past its two-hour window or its absolute lifetime goes to
/// `/link-expired`, which offers a fresh one.
pub async fn open_room_link(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(token): Path<String>,
) -> Response {
    open(&state, &headers, token.trim())
        .await
        .unwrap_or_else(failed)
}

async fn open(state: &AppState, headers: &HeaderMap, token: &str) -> Result<Response, sqlx::Error> {
    let hash = hash_token(token);
    let max_age = state.config.link_max_age();
    let Some(link) = db::access::peek_room_token(&state.pool, &hash, max_age).await? else {
        return Ok(see_other("/link-expired", &[]));
    };
    let callers = session::callers(state, headers).await?;
    let Some((current, _)) = &callers.customer else {
        return start_from_link(state, headers, callers.room_cookie.as_deref(), &hash).await;
    };
    if !current.may_see_request(state, link.request_id).await? {
        return Ok(switch_page(&link.reference, token));
    }
    // Already signed in to this request: count the use and go there.
    Ok(
        match db::access::use_room_token(&state.pool, &hash, max_age).await? {
            Some(link) => see_other(&format!("/room/{}", link.reference), &[]),
            None => see_other("/link-expired", &[]),
        },
    )
}

/// Uses the link and starts a customer session for it, ending this browser's previous
/// customer session, named by `room_cookie` (staff sessions are never touched).
async fn start_from_link(
    state: &AppState,
    headers: &HeaderMap,
    room_cookie: Option<&[u8]>,
    hash: &[u8],
) -> Result<Response, sqlx::Error> {
    let max_age = state.config.link_max_age();
    let Some(link) = db::access::use_room_token(&state.pool, hash, max_age).await? else {
        return Ok(see_other("/link-expired", &[]));
    };
    session::end_hash(state, room_cookie).await?;
    let device = headers
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .map(device_summary)
        .unwrap_or_default();
    let mut conn = state.pool.acquire().await?;
    let owner = SessionOwner::Customer {
        contact: Some(link.contact),
        request_id: Some(link.request_id),
    };
    let cookie =
        session::start_on_device(&mut conn, &owner, state.config.is_https(), &device).await?;
    Ok(see_other(&format!("/room/{}", link.reference), &[cookie]))
}

#[derive(Deserialize)]
pub struct SwitchForm {
    token: String,
}

/// `POST /r/switch`: the "Switch" button of [`switch_page`]. A cross-site post never gets
/// here: `http::origin` refuses it, as it does every write.
pub async fn switch_room_link(
    State(state): State<AppState>,
    headers: HeaderMap,
    Readable(Form(form)): Readable<Form<SwitchForm>>,
) -> Response {
    let room_cookie = session::customer_session_hash(&headers, state.config.is_https());
    let hash = hash_token(form.token.trim());
    start_from_link(&state, &headers, room_cookie.as_deref(), &hash)
        .await
        .unwrap_or_else(failed)
}

/// "You're signed in to another request — Switch / Keep the current one".
fn switch_page(reference: &str, token: &str) -> Response {
    let body = maud::html! {
        p { "This link opens request " (reference) ". Switching signs this browser out of the request it has open now." }
        form method="post" action="/r/switch" {
            input type="hidden" name="token" value=(token);
            button type="submit" class="button primary big" { "Switch to " (reference) }
        }
        p { a class="button big" href="/my-requests" { "Keep the current one" } }
    };
    let mut res =
        crate::server::pages::page(StatusCode::OK, "You're signed in to another request", body);
    let h = res.headers_mut();
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert("referrer-policy", HeaderValue::from_static("no-referrer"));
    res
}
