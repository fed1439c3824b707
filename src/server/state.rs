use super::{auth::limits::Limiters, config::Config, files::store::FileStore, live::LiveHub};
use axum::extract::FromRef;
use leptos::config::LeptosOptions;
use sqlx::PgPool;
use std::{ops::Deref, sync::Arc};

/// Shared by every handler and server function (server functions take it with
/// `api::ctx::state()`, which answers 503 once the request has gone). One `Arc`: every
/// middleware layer and server function takes its own copy per request, and cloning the
/// fields one by one (the Leptos options' strings, the live hub) was ~15% of the server's
/// CPU on a kept room page.
#[derive(Clone)]
pub struct AppState(Arc<Shared>);

/// What [`AppState`] holds.
pub struct Shared {
    pub pool: PgPool,
    pub config: Arc<Config>,
    pub leptos_options: LeptosOptions,
    pub live: LiveHub,
    pub limits: Arc<Limiters>,
    pub storage: Arc<FileStore>,
    pub room_pages: Arc<super::http::room_pages::RoomPages>,
}

impl AppState {
    pub fn new(shared: Shared) -> Self {
        AppState(Arc::new(shared))
    }
}

impl Deref for AppState {
    type Target = Shared;

    fn deref(&self) -> &Shared {
        &self.0
    }
}

/// leptos_axum takes the options from the router's state.
impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}
