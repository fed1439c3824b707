//! Plain HTTP endpoints that are not server functions: multipart intake, link opening,
//! private files, the live event stream and the health check.
use crate::server::{
    auth::{
        session::{self, Caller},
        tokens::hash_token,
    },
    db::{self, access::SessionOwner},
    state::AppState,
};
pub use crate::server::{
    files::serve::{file_display, file_thumb},
    intake::http::submit_request,
};
use axum::{
    extract::{Path, State},
    http::{header, HeaderMap, HeaderValue, StatusCode},
    response::{
        sse::{Event, KeepAlive, Sse},
        IntoResponse, Redirect, Response,
    },
};
use futures::StreamExt;
use std::{collections::HashMap, convert::Infallible};
use tokio_stream::wrappers::BroadcastStream;
use uuid::Uuid;

pub async fn healthz(State(state): State<AppState>) -> Response {
    match sqlx::query("SELECT 1").execute(&state.pool).await {
        Ok(_) => (StatusCode::OK, "ok").into_response(),
        Err(e) => {
            tracing::error!(error = %e, "health check: database unavailable");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable").into_response()
        }
    }
}

fn see_other(location: &str, cookies: &[HeaderValue]) -> Response {
    let mut res = Redirect::to(location).into_response();
    for c in cookies {
        res.headers_mut().append(header::SET_COOKIE, c.clone());
    }
    res
}

/// `GET /r/{token}`: a room link. Starts a customer session and moves to the room, so the
/// token never stays in the address bar or in a Referer.
pub async fn open_room_link(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(token): Path<String>,
) -> Response {
    let found = match db::access::use_room_token(&state.pool, &hash_token(token.trim())).await {
        Ok(found) => found,
        Err(e) => {
            tracing::error!(error = %e, "room link lookup failed");
            return StatusCode::SERVICE_UNAVAILABLE.into_response();
        }
    };
    let Some(link) = found else {
        return see_other("/link-expired", &[]);
    };
    let result = async {
        let _ = session::end(&state, &headers).await;
        let mut conn = state.pool.acquire().await?;
        session::start(
            &mut conn,
            &SessionOwner::Customer {
                contact: Some(link.contact),
                request_id: Some(link.request_id),
            },
            state.config.is_https(),
        )
        .await
    }
    .await;
    match result {
        Ok(cookie) => see_other(&format!("/room/{}", link.reference), &[cookie]),
        Err(e) => {
            tracing::error!(error = %e, "could not start a customer session");
            StatusCode::SERVICE_UNAVAILABLE.into_response()
        }
    }
}

/// `GET /events`: server-sent events for the requests this caller may see.
pub async fn events(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let caller = match session::caller(&state, &headers).await {
        Ok(Caller::Anonymous) => {
            return (StatusCode::UNAUTHORIZED, "Please sign in").into_response()
        }
        Ok(c) => c,
        Err(_) => return StatusCode::SERVICE_UNAVAILABLE.into_response(),
    };
    let rx = state.live.subscribe();
    // Each request's answer is remembered for the life of the stream.
    let seen = std::sync::Arc::new(std::sync::Mutex::new(HashMap::<Uuid, bool>::new()));
    let stream = BroadcastStream::new(rx)
        .filter_map(|ev| futures::future::ready(ev.ok()))
        .filter_map(move |ev| {
            let caller = caller.clone();
            let state = state.clone();
            let seen = seen.clone();
            async move {
                let known = seen
                    .lock()
                    .ok()
                    .and_then(|m| m.get(&ev.request_id).copied());
                let allowed = match known {
                    Some(a) => a,
                    None => {
                        let a = caller
                            .may_see_request(&state, ev.request_id)
                            .await
                            .unwrap_or(false);
                        if let Ok(mut m) = seen.lock() {
                            m.insert(ev.request_id, a);
                        }
                        a
                    }
                };
                allowed.then_some(ev)
            }
        })
        .map(|ev| {
            Ok::<_, Infallible>(
                Event::default()
                    .event("change")
                    .json_data(&ev)
                    .unwrap_or_default(),
            )
        });
    let mut res = Sse::new(stream)
        .keep_alive(KeepAlive::default())
        .into_response();
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res
}
