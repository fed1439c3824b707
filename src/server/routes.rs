//! Plain HTTP endpoints that are not server functions. Each lives with its area (intake,
//! files, links, live); this module names them for the router and holds the health check.
use crate::server::state::AppState;
pub use crate::server::{
    files::serve::{file_display, file_thumb},
    intake::http::submit_request,
    links::{open_room_link, switch_room_link},
    live::stream::events,
    notify::webhook::{sms_inbound, sms_status},
};
use axum::{
    extract::State,
    http::StatusCode,
    response::{IntoResponse, Response},
};

pub async fn healthz(State(state): State<AppState>) -> Response {
    match sqlx::query!("SELECT 1 AS up").fetch_one(&state.pool).await {
        Ok(_) => (StatusCode::OK, "ok").into_response(),
        Err(e) => {
            tracing::error!(error = %e, "health check: database unavailable");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable").into_response()
        }
    }
}
