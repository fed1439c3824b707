//! Plain HTTP endpoints that are not server functions: multipart intake, link opening,
//! private files, the live event stream and the health check.
pub use crate::server::{
    links::{open_room_link, switch_room_link},
    live::stream::events,
};
use crate::{
    model::intake::{IntakeFields, IntakeResponse, KeptFile},
    server::{
        auth::{
            limits,
            session::{self, DRAFT_COOKIE},
        },
        db,
        files::{self, FileOwner},
        intake::{self, IntakeOutcome},
        state::AppState,
        storage::StorageKey,
        uploads::UploadError,
    },
};
use axum::{
    extract::{ConnectInfo, Multipart, Path, State},
    http::{header, HeaderMap, HeaderValue, StatusCode},
    response::{IntoResponse, Redirect, Response},
    Json,
};
use std::net::SocketAddr;
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

/// The benchmark's ceiling: one indexed query, no page rendering.
pub async fn ping_db(State(state): State<AppState>) -> Response {
    match db::requests::exists_reference(&state.pool, "CR-BENCH2").await {
        Ok(_) => (StatusCode::OK, "ok").into_response(),
        Err(_) => StatusCode::SERVICE_UNAVAILABLE.into_response(),
    }
}

fn wants_json(headers: &HeaderMap) -> bool {
    headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("application/json"))
}

fn see_other(location: &str, cookies: &[HeaderValue]) -> Response {
    let mut res = Redirect::to(location).into_response();
    for c in cookies {
        res.headers_mut().append(header::SET_COOKIE, c.clone());
    }
    res
}

/// `POST /requests`: the service request form, with files. Works as a plain form post
/// (redirects) and for the enhanced form (JSON, when it asks for it).
pub async fn submit_request(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    mut multipart: Multipart,
) -> Response {
    let json = wants_json(&headers);
    if !limits::allow(&state.limits.intake_per_ip, &peer.ip().to_string()) {
        let errors = [(
            "_form".to_string(),
            "Too many requests from this connection. Please wait a minute and try again."
                .to_string(),
        )];
        let body = IntakeResponse {
            errors: errors.into_iter().collect(),
            ..Default::default()
        };
        return (StatusCode::TOO_MANY_REQUESTS, Json(body)).into_response();
    }
    let mut fields = IntakeFields::default();
    let mut key: Option<Uuid> = None;
    let mut incoming: Vec<(String, Vec<u8>)> = Vec::new();
    let mut file_errors = Vec::new();
    let limits = files::limits(&state);
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(e) => {
                tracing::warn!(error = %e, "intake upload interrupted");
                file_errors.push(
                    "The upload was interrupted before it finished. Please send the form again."
                        .into(),
                );
                break;
            }
        };
        let name = field.name().unwrap_or_default().to_string();
        if name == "files" {
            let file_name = files::clean_file_name(field.file_name().unwrap_or_default());
            match read_limited(field, limits.max_bytes).await {
                Ok(bytes) if bytes.is_empty() && file_name == "file" => {} // no file chosen
                Ok(bytes) => incoming.push((file_name, bytes)),
                Err(()) => file_errors.push(
                    UploadError::TooLarge {
                        name: file_name,
                        max_mb: state.config.max_upload_mb,
                    }
                    .to_string(),
                ),
            }
        } else {
            let value = field.text().await.unwrap_or_default();
            if name == "idempotency_key" {
                key = Uuid::parse_str(value.trim()).ok();
            } else {
                fields.set(&name, value);
            }
        }
    }
    // A form without its key (a very old page) still works; it just can't be de-duplicated.
    let key = key.unwrap_or_else(Uuid::new_v4);

    let already = db::attachments::for_draft(&state.pool, key)
        .await
        .map(|v| v.len())
        .unwrap_or(0);
    let exists = db::requests::by_idempotency_key(&state.pool, key)
        .await
        .ok()
        .flatten()
        .is_some();
    if !exists {
        for (i, (name, bytes)) in incoming.into_iter().enumerate() {
            if already + i >= limits.max_files {
                file_errors.push(
                    UploadError::TooMany {
                        max: limits.max_files,
                    }
                    .to_string(),
                );
                break;
            }
            let upload = files::Upload {
                name: &name,
                bytes,
                uploaded_by: "customer",
                caption: "",
                client_key: None,
            };
            if let Err(e) = files::accept(&state, FileOwner::Draft(key), upload).await {
                file_errors.push(e.to_string());
            }
        }
        file_errors.dedup();
    }

    match intake::submit(&state, key, fields, file_errors).await {
        Ok(IntakeOutcome::Created {
            reference,
            session_cookie,
        })
        | Ok(IntakeOutcome::AlreadySubmitted {
            reference,
            session_cookie,
        }) => {
            let location = format!("/submitted/{reference}");
            let clear = session::clear_cookie_header(DRAFT_COOKIE, state.config.is_https());
            if json {
                let mut res = Json(IntakeResponse {
                    ok: true,
                    location: Some(location),
                    ..Default::default()
                })
                .into_response();
                res.headers_mut().append(header::SET_COOKIE, session_cookie);
                res.headers_mut().append(header::SET_COOKIE, clear);
                res
            } else {
                see_other(&location, &[session_cookie, clear])
            }
        }
        Ok(IntakeOutcome::Invalid { errors, kept }) => {
            if json {
                let kept_files = kept
                    .into_iter()
                    .map(|a| KeptFile {
                        name: a.file_name,
                        size: a.byte_size,
                    })
                    .collect();
                (
                    StatusCode::UNPROCESSABLE_ENTITY,
                    Json(IntakeResponse {
                        ok: false,
                        location: None,
                        errors,
                        kept_files,
                    }),
                )
                    .into_response()
            } else {
                let cookie = session::cookie_header(
                    DRAFT_COOKIE,
                    &key.to_string(),
                    86_400,
                    state.config.is_https(),
                );
                see_other("/#request-form", &[cookie])
            }
        }
        Err(e) => {
            tracing::error!(error = %e, "intake failed");
            let message = "Something went wrong on our side and your request was not sent. Please try again in a moment.";
            if json {
                let errors = [("_form".to_string(), message.to_string())]
                    .into_iter()
                    .collect();
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    Json(IntakeResponse {
                        errors,
                        ..Default::default()
                    }),
                )
                    .into_response()
            } else {
                (StatusCode::INTERNAL_SERVER_ERROR, message).into_response()
            }
        }
    }
}

/// Reads one uploaded file, giving up (and draining nothing more) past `max` bytes.
pub async fn read_limited(
    mut field: axum::extract::multipart::Field<'_>,
    max: usize,
) -> Result<Vec<u8>, ()> {
    let mut bytes = Vec::new();
    let mut too_big = false;
    while let Ok(Some(chunk)) = field.chunk().await {
        if too_big {
            continue; // keep reading so the rest of the form still arrives
        }
        if bytes.len() + chunk.len() > max {
            too_big = true;
            bytes = Vec::new();
            continue;
        }
        bytes.extend_from_slice(&chunk);
    }
    if too_big {
        Err(())
    } else {
        Ok(bytes)
    }
}

pub async fn file_display(
    state: State<AppState>,
    headers: HeaderMap,
    Path(id): Path<Uuid>,
) -> Response {
    serve_file(state, headers, id, false).await
}

pub async fn file_thumb(
    state: State<AppState>,
    headers: HeaderMap,
    Path(id): Path<Uuid>,
) -> Response {
    serve_file(state, headers, id, true).await
}

/// Files are only ever served through here, after the same access check as the room.
async fn serve_file(
    State(state): State<AppState>,
    headers: HeaderMap,
    id: Uuid,
    thumb: bool,
) -> Response {
    let not_found = || (StatusCode::NOT_FOUND, "File not found").into_response();
    let Ok(caller) = session::caller(&state, &headers).await else {
        return StatusCode::SERVICE_UNAVAILABLE.into_response();
    };
    let Ok(Some((Some(request_id), _, kind, name))) = db::attachments::owner(&state.pool, id).await
    else {
        return not_found();
    };
    // Someone else's file looks exactly like a missing one.
    if !caller
        .may_see_request(&state, request_id)
        .await
        .unwrap_or(false)
    {
        return not_found();
    }
    let is_image = matches!(kind.as_str(), "jpeg" | "png" | "webp");
    let (key, content_type, disposition) = match (is_image, thumb) {
        (true, true) => (StorageKey::thumb(id), "image/jpeg", "inline"),
        (true, false) => (StorageKey::display(id), "image/jpeg", "inline"),
        (false, _) if kind == "pdf" => (StorageKey::original(id), "application/pdf", "attachment"),
        (false, _) => (StorageKey::original(id), "image/heic", "attachment"),
    };
    let Ok(bytes) = state.storage.get(&key).await else {
        return not_found();
    };
    let ascii_name: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || ".-_ ".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    let ascii_name = if is_image && !ascii_name.to_lowercase().ends_with(".jpg") {
        format!("{ascii_name}.jpg")
    } else {
        ascii_name
    };
    let mut res = bytes.into_response();
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    h.insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_str(&format!("{disposition}; filename=\"{ascii_name}\""))
            .unwrap_or(HeaderValue::from_static("attachment")),
    );
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, max-age=3600"),
    );
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("default-src 'none'; sandbox"),
    );
    res
}
