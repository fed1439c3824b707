//! `POST /room/{reference}/photos`: adding photos from the room. A plain form post (several
//! files, one caption) before the wasm loads; one file per request with a client key after,
//! so each file can show progress and be retried without being stored twice.
use super::{
    accept::{accept, read_limits, FileOwner, Upload},
    check::UploadError,
    multipart::{self, FormData},
};
use crate::server::{db::activity::Actor, error::accepts_json, http::body::Readable};
use crate::{
    model::{reference::Reference, request::AttachmentInfo},
    server::{
        auth::{
            limits,
            session::{Caller, Callers},
        },
        db, live,
        state::AppState,
    },
};
use axum::{
    extract::{Multipart, Path, State},
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Redirect, Response},
    Json,
};
use serde::Serialize;
use uuid::Uuid;

#[derive(Serialize, Default)]
pub struct PhotoUploadResponse {
    pub added: Vec<AttachmentInfo>,
    pub errors: Vec<String>,
}

impl PhotoUploadResponse {
    fn refused(message: String) -> Self {
        PhotoUploadResponse {
            errors: vec![message],
            ..Default::default()
        }
    }
}

pub async fn add_photos(
    State(state): State<AppState>,
    Path(reference): Path<String>,
    headers: HeaderMap,
    callers: Callers,
    Readable(mut multipart): Readable<Multipart>,
) -> Response {
    let json = accepts_json(&headers);
    let caller = callers.customer_first();
    let (request_id, reference) = match visible_request(&state, &caller, &reference).await {
        Some(found) => found,
        None => return (StatusCode::NOT_FOUND, "Request not found").into_response(),
    };
    if !limits::allow(&state.limits.photos_per_session, &rate_key(&caller)) {
        let result = PhotoUploadResponse::refused(SLOW_DOWN.into());
        return answer(json, &reference, StatusCode::TOO_MANY_REQUESTS, result);
    }
    let read = read_limits(&state);
    let form = match multipart::read(&mut multipart, &state.storage.tmp_dir(), &read).await {
        Ok(form) => form,
        Err(e) => {
            let result = PhotoUploadResponse::refused(e.to_string());
            return answer(json, &reference, e.status(), result);
        }
    };
    let who = if caller.is_staff() {
        "staff"
    } else {
        "customer"
    };
    let (status, result) = store_all(&state, request_id, who, form).await;
    let actor = match &caller {
        Caller::Staff(user) => Actor::Staff(user),
        _ => Actor::Customer,
    };
    if !result.added.is_empty() {
        if let Err(e) = record_added(&state, request_id, result.added.len(), actor).await {
            tracing::error!(error = %e, "could not record added photos");
        }
    }
    answer(json, &reference, status, result)
}

/// The request's id and canonical reference, if the caller may see it. A request that
/// exists but isn't theirs looks exactly like one that doesn't.
async fn visible_request(
    state: &AppState,
    caller: &Caller,
    reference: &str,
) -> Option<(Uuid, String)> {
    let reference: Reference = reference.parse().ok()?;
    let request_id = db::requests::id_by_reference(&state.pool, reference.as_str())
        .await
        .ok()
        .flatten()?;
    let visible = caller
        .may_see_request(state, request_id)
        .await
        .unwrap_or(false);
    visible.then(|| (request_id, reference.to_string()))
}

const SLOW_DOWN: &str = "You're adding photos faster than we can take them. Please wait a few seconds and try again — photos already added are kept.";

/// Uploads are limited per signed-in owner of the session (the person, not the connection).
fn rate_key(caller: &Caller) -> String {
    match caller {
        Caller::Staff(user) => format!("staff:{}", user.id),
        Caller::Customer {
            contact,
            request_id,
        } => format!(
            "customer:{}:{}",
            contact.as_deref().unwrap_or(""),
            request_id.map(|r| r.to_string()).unwrap_or_default()
        ),
        Caller::Anonymous => "anonymous".into(),
    }
}

/// Accepts each arrived file in turn; the status is that of the refusals when nothing
/// was added (413 for "too much", 422 for a file we can't take).
async fn store_all(
    state: &AppState,
    request_id: Uuid,
    who: &str,
    form: FormData,
) -> (StatusCode, PhotoUploadResponse) {
    let caption = capped(form.text("caption"), 200);
    let form_key = capped(form.text("client_key"), 80);
    let mut refused: Vec<UploadError> = form.errors;
    let files: Vec<_> = form.files.into_iter().filter(|f| f.size > 0).collect();
    if files.is_empty() && refused.is_empty() {
        let result =
            PhotoUploadResponse::refused("Please choose at least one photo or file to add.".into());
        return (StatusCode::UNPROCESSABLE_ENTITY, result);
    }
    let single = files.len() == 1;
    let mut result = PhotoUploadResponse::default();
    for (i, file) in files.into_iter().enumerate() {
        // A retry of the same post sends the same key, so each file keeps its own.
        let key = match (form_key.is_empty(), single) {
            (true, _) => None,
            (false, true) => Some(form_key.clone()),
            (false, false) => Some(format!("{form_key}:{i}")),
        };
        let upload = Upload {
            file,
            uploaded_by: who,
            caption: &caption,
            client_key: key.as_deref(),
        };
        match accept(state, FileOwner::Request(request_id), upload).await {
            Ok(info) => result.added.push(info),
            Err(e) => refused.push(e),
        }
    }
    let status = refusal_status(&refused, !result.added.is_empty());
    result.errors = refused.iter().map(ToString::to_string).collect();
    result.errors.dedup();
    (status, result)
}

fn capped(text: Option<&str>, max_chars: usize) -> String {
    text.unwrap_or("").trim().chars().take(max_chars).collect()
}

/// Some files added and some refused is a 422, so the page says which ones weren't.
fn refusal_status(refused: &[UploadError], some_added: bool) -> StatusCode {
    match refused.iter().map(UploadError::status_code).max() {
        None => StatusCode::OK,
        Some(_) if some_added => StatusCode::UNPROCESSABLE_ENTITY,
        Some(413) if refused.iter().all(|e| e.status_code() == 413) => {
            StatusCode::PAYLOAD_TOO_LARGE
        }
        Some(500) => StatusCode::INTERNAL_SERVER_ERROR,
        Some(_) => StatusCode::UNPROCESSABLE_ENTITY,
    }
}

fn answer(
    json: bool,
    reference: &str,
    status: StatusCode,
    result: PhotoUploadResponse,
) -> Response {
    if json {
        return (status, Json(result)).into_response();
    }
    if status == StatusCode::OK {
        return Redirect::to(&format!(
            "/room/{reference}?added={}#photos",
            result.added.len()
        ))
        .into_response();
    }
    // Without JavaScript, show why in plain words with a way back; added files are kept.
    let added = result.added.len();
    crate::server::pages::page(
        status,
        "Some files weren't added",
        maud::html! {
            div class="notice error" role="alert" {
                ul { @for e in &result.errors { li { (e) } } }
            }
            p { (added) " other file(s) were added." }
            p { a class="button primary big" href={ "/room/" (reference) "#photos" } { "Back to your request" } }
        },
    )
}

async fn record_added(
    state: &AppState,
    request_id: uuid::Uuid,
    count: usize,
    actor: Actor<'_>,
) -> Result<(), sqlx::Error> {
    let mut tx = state.pool.begin().await?;
    let text = if matches!(actor, Actor::Staff(_)) {
        format!("We added {count} photo(s) to your request.")
    } else {
        format!("You added {count} photo(s).")
    };
    db::activity::add_event(&mut tx, request_id, "photos_added", &text, true, actor).await?;
    live::publish_change(&mut tx, request_id, "photos").await?;
    tx.commit().await
}
