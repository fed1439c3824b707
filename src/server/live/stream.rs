//! `GET /events`: the server-sent event stream of one browser.
use crate::{
    model::live::LiveEvent,
    server::{
        auth::session::{self, Caller},
        live::EndedSessions,
        state::AppState,
    },
};
use axum::{
    extract::State,
    http::{header, HeaderMap, HeaderValue, StatusCode},
    response::{
        sse::{Event, KeepAlive, Sse},
        IntoResponse, Response,
    },
};
use futures::StreamExt;
use std::{
    collections::HashMap,
    convert::Infallible,
    sync::{Arc, Mutex},
};
use tokio::sync::broadcast::{self, error::RecvError};
use tokio_stream::wrappers::BroadcastStream;
use uuid::Uuid;

/// Sent on the ended-sessions channel when the listener reconnected: every stream closes.
pub const EVERY_SESSION: &str = "*";

/// Changes to the requests this browser may see. A browser with both a staff and a
/// customer cookie gets the changes either may see. The stream ends as soon as any of its
/// sessions ends (sign-out, ended by the customer or staff, staff deactivated); the
/// browser's EventSource then reconnects with what is left, or gets 401 and stops.
pub async fn events(State(state): State<AppState>, headers: HeaderMap) -> Response {
    // Subscribe before the session check, so an end announced in between is not missed.
    let ended_rx = state.live.subscribe_ended();
    let rx = state.live.subscribe();
    let callers = match session::callers(&state, &headers).await {
        Ok(c) => c,
        Err(e) => {
            tracing::error!(error = %e, "live stream: session lookup failed");
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    };
    let mine: Vec<String> = callers.session_hashes().iter().map(hex::encode).collect();
    if mine.is_empty() {
        return (StatusCode::UNAUTHORIZED, "Please sign in").into_response();
    }
    let mut who: Vec<Caller> = callers
        .staff
        .iter()
        .map(|(u, _)| Caller::Staff(u.clone()))
        .collect();
    who.extend(callers.customer.iter().map(|(c, _)| c.clone()));
    let (missed, caught_up_to) = missed_since(&state, &headers).await;
    // Each request's answer is remembered for the life of the stream (errors are not).
    let seen = Arc::new(Mutex::new(HashMap::<Uuid, bool>::new()));
    // What was missed first, then live changes not already among them: nothing twice.
    let live = BroadcastStream::new(rx)
        .filter_map(|ev| futures::future::ready(ev.ok()))
        .filter(move |ev| futures::future::ready(ev.id > caught_up_to));
    let stream = futures::stream::iter(missed)
        .chain(live)
        .filter_map(move |ev| {
            let (who, state, seen) = (who.clone(), state.clone(), seen.clone());
            async move {
                allowed(&who, &state, &seen, ev.request_id)
                    .await
                    .then_some(ev)
            }
        })
        .map(|ev| {
            Ok::<_, Infallible>(
                Event::default()
                    .id(ev.id.to_string())
                    .event("change")
                    .json_data(&ev)
                    .unwrap_or_default(),
            )
        })
        .take_until(session_ended(ended_rx, mine));
    let mut res = Sse::new(stream)
        .keep_alive(KeepAlive::default())
        .into_response();
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res
}

/// The changes after the browser's `Last-Event-ID` (its EventSource sends it when it
/// reconnects), and the id the live part of the stream continues after. A failed lookup
/// replays nothing; the page refreshes itself on reconnect anyway (`ui::enhance::live`).
async fn missed_since(state: &AppState, headers: &HeaderMap) -> (Vec<LiveEvent>, i64) {
    let last = headers
        .get("last-event-id")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<i64>().ok())
        .filter(|id| *id > 0);
    let Some(after) = last else {
        return (Vec::new(), 0);
    };
    match crate::server::live::since(&state.pool, after, REPLAY_LIMIT).await {
        Ok(missed) => {
            let up_to = missed.last().map_or(after, |e| e.id);
            (missed, up_to)
        }
        Err(e) => {
            tracing::error!(error = %e, "live stream: could not replay missed changes");
            (Vec::new(), after)
        }
    }
}

/// More than this many changes missed: the page's own refresh on reconnect covers the rest.
const REPLAY_LIMIT: i64 = 500;

async fn allowed(
    who: &[Caller],
    state: &AppState,
    seen: &Mutex<HashMap<Uuid, bool>>,
    request_id: Uuid,
) -> bool {
    if let Some(known) = seen.lock().ok().and_then(|m| m.get(&request_id).copied()) {
        return known;
    }
    let mut answer = false;
    for caller in who {
        match caller.may_see_request(state, request_id).await {
            Ok(true) => {
                answer = true;
                break;
            }
            Ok(false) => {}
            Err(e) => {
                // Not remembered: the next event asks the database again.
                tracing::error!(error = %e, "live stream: access check failed");
                return false;
            }
        }
    }
    if let Ok(mut m) = seen.lock() {
        m.insert(request_id, answer);
    }
    answer
}

/// Resolves when one of `mine` (hex id hashes) is announced ended. A lagging receiver
/// may have missed it, so it ends the stream too (the browser reconnects and re-checks).
async fn session_ended(mut rx: broadcast::Receiver<EndedSessions>, mine: Vec<String>) {
    loop {
        match rx.recv().await {
            Ok(ended) => {
                if ended.iter().any(|h| h == EVERY_SESSION || mine.contains(h)) {
                    return;
                }
            }
            Err(RecvError::Lagged(_)) | Err(RecvError::Closed) => return,
        }
    }
}
