//! Plain HTTP endpoints that are not server functions: multipart intake, link opening,
//! private files, the live event stream and the health check.
use crate::{
    model::intake::{IntakeFields, IntakeResponse, KeptFile},
    server::{
        auth::{
            limits,
            session::{self, Caller, DRAFT_COOKIE},
            tokens::hash_token,
        },
        db::{self, access::SessionOwner},
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
    response::{
        sse::{Event, KeepAlive, Sse},
        IntoResponse, Redirect, Response,
    },
    Json,
};
use futures::StreamExt;
use std::{collections::HashMap, convert::Infallible, net::SocketAddr};
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
    // A database error is a 500 (and logged), never dressed up as "not found".
    let failed = |e: sqlx::Error| crate::model::AppError::from(e).into_response();
    let caller = match session::caller(&state, &headers).await {
        Ok(c) => c,
        Err(e) => return failed(e),
    };
    let (request_id, kind, name) = match db::attachments::owner(&state.pool, id).await {
        Ok(Some((Some(request_id), _, kind, name))) => (request_id, kind, name),
        Ok(_) => return not_found(),
        Err(e) => return failed(e),
    };
    // Someone else's file looks exactly like a missing one.
    match caller.may_see_request(&state, request_id).await {
        Ok(true) => {}
        Ok(false) => return not_found(),
        Err(e) => return failed(e),
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
