//! `POST /room/{reference}/photos`: adding photos from the room. A plain form post (several
//! files, one caption) before the wasm loads; one file per request with a client key after,
//! so each file can show progress and be retried without being stored twice.
use crate::{
    model::{reference::Reference, request::AttachmentInfo},
    server::{
        auth::session,
        db,
        files::{self, FileOwner, Upload},
        live,
        routes::read_limited,
        state::AppState,
        uploads::UploadError,
    },
};
use axum::{
    extract::{Multipart, Path, State},
    http::{header, HeaderMap, StatusCode},
    response::{IntoResponse, Redirect, Response},
    Json,
};
use serde::Serialize;

#[derive(Serialize, Default)]
pub struct PhotoUploadResponse {
    pub added: Vec<AttachmentInfo>,
    pub errors: Vec<String>,
}

pub async fn add_photos(
    State(state): State<AppState>,
    Path(reference): Path<String>,
    headers: HeaderMap,
    mut multipart: Multipart,
) -> Response {
    let json = headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("application/json"));
    let Ok(caller) = session::caller(&state, &headers).await else {
        return StatusCode::SERVICE_UNAVAILABLE.into_response();
    };
    let request_id = match Reference::parse(&reference) {
        Some(r) => db::requests::id_by_reference(&state.pool, r.as_str())
            .await
            .ok()
            .flatten(),
        None => None,
    };
    let Some(request_id) = request_id else {
        return (StatusCode::NOT_FOUND, "Request not found").into_response();
    };
    if !caller
        .may_see_request(&state, request_id)
        .await
        .unwrap_or(false)
    {
        return (StatusCode::NOT_FOUND, "Request not found").into_response();
    }
    let limits = files::limits(&state);
    let mut caption = String::new();
    let mut form_key = String::new();
    let mut incoming: Vec<(String, Vec<u8>)> = Vec::new();
    let mut result = PhotoUploadResponse::default();
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(_) => {
                result.errors.push(
                    "The upload was interrupted. Please try again — files already added are kept."
                        .into(),
                );
                break;
            }
        };
        match field.name().unwrap_or_default() {
            "files" => {
                let name = files::clean_file_name(field.file_name().unwrap_or_default());
                match read_limited(field, limits.max_bytes).await {
                    Ok(bytes) if bytes.is_empty() => {}
                    Ok(bytes) => incoming.push((name, bytes)),
                    Err(()) => result.errors.push(
                        UploadError::TooLarge {
                            name,
                            max_mb: state.config.max_upload_mb,
                        }
                        .to_string(),
                    ),
                }
            }
            "caption" => {
                caption = field
                    .text()
                    .await
                    .unwrap_or_default()
                    .trim()
                    .chars()
                    .take(200)
                    .collect()
            }
            "client_key" => {
                form_key = field
                    .text()
                    .await
                    .unwrap_or_default()
                    .trim()
                    .chars()
                    .take(80)
                    .collect()
            }
            _ => {}
        }
    }
    if incoming.is_empty() && result.errors.is_empty() {
        result
            .errors
            .push("Please choose at least one photo or file to add.".into());
    }
    if incoming.len() > limits.max_files {
        result.errors.push(
            UploadError::TooMany {
                max: limits.max_files,
            }
            .to_string(),
        );
        incoming.truncate(limits.max_files);
    }
    let who = if caller.is_staff() {
        "staff"
    } else {
        "customer"
    };
    let single = incoming.len() == 1;
    for (i, (name, bytes)) in incoming.into_iter().enumerate() {
        let key = match (form_key.is_empty(), single) {
            (true, _) => None,
            (false, true) => Some(form_key.clone()),
            (false, false) => Some(format!("{form_key}:{i}")),
        };
        let upload = Upload {
            name: &name,
            bytes,
            uploaded_by: who,
            caption: &caption,
            client_key: key.as_deref(),
        };
        match files::accept(&state, FileOwner::Request(request_id), upload).await {
            Ok(info) => result.added.push(info),
            Err(e) => result.errors.push(e.to_string()),
        }
    }
    if !result.added.is_empty() {
        if let Err(e) = record_added(&state, request_id, result.added.len(), who).await {
            tracing::error!(error = %e, "could not record added photos");
        }
    }
    let reference = Reference::parse(&reference)
        .map(|r| r.to_string())
        .unwrap_or_default();
    if json {
        let status = if result.errors.is_empty() {
            StatusCode::OK
        } else {
            StatusCode::UNPROCESSABLE_ENTITY
        };
        (status, Json(result)).into_response()
    } else if result.errors.is_empty() {
        Redirect::to(&format!(
            "/room/{reference}?added={}#photos",
            result.added.len()
        ))
        .into_response()
    } else {
        // Without JavaScript, show why in plain words with a way back; added files are kept.
        let items: String = result
            .errors
            .iter()
            .map(|e| format!("<li>{}</li>", html_escape(e)))
            .collect();
        let page = format!(
            "<!doctype html><html lang=en><meta charset=utf-8><meta name=viewport content='width=device-width, initial-scale=1'>\
             <link rel=stylesheet href='/pkg/customer-room.css'><main class='page narrow'><h1>Some files weren't added</h1>\
             <div class='notice error' role=alert><ul>{items}</ul></div><p>{} other file(s) were added.</p>\
             <p><a class='button primary big' href='/room/{reference}#photos'>Back to your request</a></p></main></html>",
            result.added.len()
        );
        (StatusCode::UNPROCESSABLE_ENTITY, axum::response::Html(page)).into_response()
    }
}

async fn record_added(
    state: &AppState,
    request_id: uuid::Uuid,
    count: usize,
    who: &str,
) -> Result<(), sqlx::Error> {
    let mut tx = state.pool.begin().await?;
    let text = if who == "staff" {
        format!("We added {count} photo(s) to your request.")
    } else {
        format!("You added {count} photo(s).")
    };
    db::requests::add_event(&mut tx, request_id, "photos_added", &text, true, who).await?;
    live::publish_change(&mut tx, request_id, "photos").await?;
    tx.commit().await
}

fn html_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}
