//! Server-side errors, mapped once to what the browser sees: `AppError` carries the status
//! (`AppError::status`), server functions get it through `ResponseOptions`, plain routes
//! through `IntoResponse`.
use crate::model::AppError;
use axum::{
    http::{header, HeaderMap, StatusCode},
    response::{IntoResponse, Response},
    Json,
};

#[derive(Debug, thiserror::Error)]
pub enum ServerError {
    #[error("database: {0}")]
    Db(#[from] sqlx::Error),
    #[error("storage: {0}")]
    Storage(String),
    #[error(transparent)]
    App(#[from] AppError),
}

impl From<ServerError> for AppError {
    fn from(e: ServerError) -> Self {
        match e {
            ServerError::App(app) => app,
            ServerError::Db(sqlx::Error::PoolTimedOut) => {
                tracing::error!("request failed: no database connection free in time");
                AppError::Unavailable
            }
            other => {
                tracing::error!(error = %other, "request failed");
                AppError::Internal
            }
        }
    }
}

impl From<sqlx::Error> for AppError {
    fn from(e: sqlx::Error) -> Self {
        ServerError::Db(e).into()
    }
}

pub type ServerResult<T> = Result<T, ServerError>;

pub fn status_of(e: &AppError) -> StatusCode {
    StatusCode::from_u16(e.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
}

/// Sets a failing server function's status. A plain (no-JS) form post is left alone: it is
/// redirected back to its page, which shows the message.
pub fn set_server_fn_status(e: &AppError) {
    use leptos::prelude::use_context;
    let plain_form =
        use_context::<axum::http::request::Parts>().is_some_and(|p| accepts_html(&p.headers));
    if plain_form {
        return;
    }
    if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
        res.set_status(status_of(e));
    }
}

fn accepts(headers: &HeaderMap, media: &str) -> bool {
    headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains(media))
}

pub fn accepts_html(headers: &HeaderMap) -> bool {
    accepts(headers, "text/html")
}

/// The enhanced forms (intake, room photos) ask for JSON; a plain form post gets a page.
pub fn accepts_json(headers: &HeaderMap) -> bool {
    accepts(headers, "application/json")
}

/// For plain routes: the status and the sentence, as a small page. Routes that answer
/// scripts use `json_response` instead.
impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let status = status_of(&self);
        let title = status.canonical_reason().unwrap_or("Error");
        crate::server::pages::message(
            status,
            title,
            &self.to_string(),
            ("/", "Go to the start page"),
        )
    }
}

/// The same error as the JSON the browser's server-function client understands.
pub fn json_response(e: AppError) -> Response {
    (status_of(&e), Json(e)).into_response()
}
