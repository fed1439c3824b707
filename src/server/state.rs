use super::{auth::limits::Limiters, config::Config, files::store::FileStore, live::LiveHub};
use axum::extract::FromRef;
use leptos::config::LeptosOptions;
use sqlx::PgPool;
use std::sync::Arc;

/// Shared by every handler and server function (server functions take it with
/// `api::ctx::state()`, which answers 503 once the request has gone).
#[derive(Clone, FromRef)]
pub struct AppState {
    pub pool: PgPool,
    pub config: Arc<Config>,
    pub leptos_options: LeptosOptions,
    pub live: LiveHub,
    pub limits: Arc<Limiters>,
    pub storage: Arc<FileStore>,
    pub room_pages: Arc<super::http::room_pages::RoomPages>,
}
