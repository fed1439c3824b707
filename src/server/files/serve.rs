//! `GET /files/{id}` and `/files/{id}/thumb`: files are only ever served through here,
//! after the same access check as the room. Only our own re-encoded JPEGs are shown inline;
//! any kept original (PDF, an older HEIC) is a download with a name we make, never the
//! uploader's, and every answer carries `nosniff` and a sandboxing CSP.
use super::{sniff::FileKind, store::StorageKey};
use crate::server::{
    auth::session::{Caller, Callers},
    db,
    state::AppState,
};
use axum::{
    extract::{Path, State},
    http::{header, HeaderValue, StatusCode},
    response::{IntoResponse, Response},
};
use uuid::Uuid;

pub async fn file_display(
    state: State<AppState>,
    callers: Callers,
    Path(id): Path<Uuid>,
) -> Response {
    serve_file(state, callers.customer_first(), id, false).await
}

pub async fn file_thumb(
    state: State<AppState>,
    callers: Callers,
    Path(id): Path<Uuid>,
) -> Response {
    serve_file(state, callers.customer_first(), id, true).await
}

/// What we send for a stored kind: the blob, its content type, inline or not, and the
/// download name's prefix and extension.
fn rendition(
    kind: FileKind,
    id: Uuid,
    thumb: bool,
) -> (StorageKey, &'static str, bool, &'static str, &'static str) {
    match kind {
        k if k.can_preview() && thumb => {
            (StorageKey::thumb(id), "image/jpeg", true, "photo", "jpg")
        }
        k if k.can_preview() => (StorageKey::display(id), "image/jpeg", true, "photo", "jpg"),
        FileKind::Pdf => (
            StorageKey::original(id),
            "application/pdf",
            false,
            "document",
            "pdf",
        ),
        // Kept from before HEIC was refused: a download only, never rendered by the browser.
        _ => (
            StorageKey::original(id),
            "application/octet-stream",
            false,
            "photo",
            "heic",
        ),
    }
}

async fn serve_file(
    State(state): State<AppState>,
    caller: Caller,
    id: Uuid,
    thumb: bool,
) -> Response {
    let not_found = || (StatusCode::NOT_FOUND, "File not found").into_response();
    // A database error is a 500 (and logged), never dressed up as "not found".
    let failed = |e: sqlx::Error| crate::model::AppError::from(e).into_response();
    let kind = match db::attachments::owner(&state.pool, id).await {
        Ok(Some((Some(request_id), _, kind, _))) => {
            // Someone else's file looks exactly like a missing one.
            match caller.may_see_request(&state, request_id).await {
                Ok(true) => kind,
                Ok(false) => return not_found(),
                Err(e) => return failed(e),
            }
        }
        Ok(_) => return not_found(),
        Err(e) => return failed(e),
    };
    let (key, content_type, inline, prefix, ext) = rendition(kind, id, thumb);
    let file_name = match db::attachments::download_name(&state.pool, id, prefix, ext).await {
        Ok(Some(name)) => name,
        Ok(None) => return not_found(),
        Err(e) => return failed(e),
    };
    let Ok(bytes) = state.storage.get(&key).await else {
        return not_found();
    };
    let disposition = if inline { "inline" } else { "attachment" };
    let mut res = bytes.into_response();
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    // The name is made of our reference and a number only, so it is always a valid header.
    if let Ok(v) = HeaderValue::from_str(&format!("{disposition}; filename=\"{file_name}\"")) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
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
