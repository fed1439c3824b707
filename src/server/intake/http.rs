//! `POST /requests`: the service request form, with files. Works as a plain form post
//! (redirects, or a plain page) and for the enhanced form (JSON, when it asks for it) —
//! both through the same steps below.
use super::{form_key::FormBrowser, IntakeOutcome};
use crate::server::http::body::Readable;
use crate::{
    model::intake::{IntakeResponse, KeptFile},
    server::{
        auth::{
            limits,
            session::{self, DRAFT_COOKIE},
        },
        files::{self, multipart},
        state::AppState,
    },
};
use axum::{
    extract::{ConnectInfo, Multipart, State},
    http::{header, HeaderMap, HeaderValue, StatusCode},
    response::{IntoResponse, Redirect, Response},
    Json,
};
use std::net::SocketAddr;
use uuid::Uuid;

/// What any browser but the one that sent a request learns from a repeat of its form.
pub const ALREADY_RECEIVED: &str = "We already have this request — your link is on its way.";

fn see_other(location: &str, cookies: &[HeaderValue]) -> Response {
    let mut res = Redirect::to(location).into_response();
    for c in cookies {
        res.headers_mut().append(header::SET_COOKIE, c.clone());
    }
    res
}

/// A form-level message, as JSON for the enhanced form or as a plain page.
fn form_message(json: bool, status: StatusCode, message: &str) -> Response {
    if json {
        let errors = [("_form".to_string(), message.to_string())]
            .into_iter()
            .collect();
        (
            status,
            Json(IntakeResponse {
                errors,
                ..Default::default()
            }),
        )
            .into_response()
    } else {
        (status, message.to_string()).into_response()
    }
}

/// The one handler for both forms. Refusals before the form is read (rate limit, unreadable
/// upload) answer as the form asked; everything after goes through [`super::receive`].
pub async fn submit_request(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Readable(mut multipart): Readable<Multipart>,
) -> Response {
    let json = crate::server::error::accepts_json(&headers);
    let mut ext = axum::http::Extensions::new();
    ext.insert(ConnectInfo(peer));
    let client =
        crate::server::http::client_ip::client_ip(&headers, &ext, &state.config.trusted_proxies);
    if !limits::allow(&state.limits.intake_per_ip, &client.to_string()) {
        let m = "Too many requests from this connection. Please wait a minute and try again.";
        return form_message(true, StatusCode::TOO_MANY_REQUESTS, m);
    }
    let limits = files::read_limits(&state);
    let form = match multipart::read(&mut multipart, &state.storage.tmp_dir(), &limits).await {
        Ok(form) => form,
        Err(e) => return form_message(json, e.status(), &e.to_string()),
    };
    let browser = FormBrowser::from_headers(&headers, state.config.is_https());
    // A form without its key (a very old page) still works; it just can't be de-duplicated.
    let key = form
        .text("idempotency_key")
        .and_then(|k| Uuid::parse_str(k.trim()).ok())
        .unwrap_or_else(Uuid::new_v4);
    match super::receive(&state, key, &browser, form).await {
        Ok(outcome) => respond(&state, json, key, outcome),
        Err(e) => {
            tracing::error!(error = %e, "intake failed");
            let m = "Something went wrong on our side and your request was not sent. Please try again in a moment.";
            form_message(json, StatusCode::INTERNAL_SERVER_ERROR, m)
        }
    }
}

fn respond(state: &AppState, json: bool, key: Uuid, outcome: IntakeOutcome) -> Response {
    let https = state.config.is_https();
    match outcome {
        IntakeOutcome::Created {
            reference,
            session_cookie,
        }
        | IntakeOutcome::AlreadySubmitted {
            reference,
            session_cookie,
        } => {
            let location = format!("/submitted/{reference}");
            let clear = session::clear_cookie_header(DRAFT_COOKIE, https);
            if !json {
                return see_other(&location, &[session_cookie, clear]);
            }
            let body = IntakeResponse {
                ok: true,
                location: Some(location),
                ..Default::default()
            };
            let mut res = Json(body).into_response();
            res.headers_mut().append(header::SET_COOKIE, session_cookie);
            res.headers_mut().append(header::SET_COOKIE, clear);
            res
        }
        IntakeOutcome::AlreadyReceived => already_received(json),
        IntakeOutcome::Invalid { errors, kept } => {
            if !json {
                let cookie = session::cookie_header(DRAFT_COOKIE, &key.to_string(), 86_400, https);
                return see_other("/#request-form", &[cookie]);
            }
            let kept_files = kept
                .into_iter()
                .map(|a| KeptFile {
                    name: a.file_name,
                    size: a.byte_size,
                })
                .collect();
            let body = IntakeResponse {
                errors,
                kept_files,
                ..Default::default()
            };
            (StatusCode::UNPROCESSABLE_ENTITY, Json(body)).into_response()
        }
    }
}

/// No session, no reference, nothing typed into the first form: just that we have it.
fn already_received(json: bool) -> Response {
    if json {
        let body = IntakeResponse {
            ok: true,
            notice: Some(ALREADY_RECEIVED.to_string()),
            ..Default::default()
        };
        return Json(body).into_response();
    }
    crate::server::pages::page(
        StatusCode::OK,
        ALREADY_RECEIVED,
        maud::html! {
            p { "If it hasn't arrived in a few minutes, you can " a href="/get-link" { "ask for a new link" } "." }
            p { a href="/" { "Start a different request" } }
        },
    )
}
