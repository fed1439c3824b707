//! Wiring: state, router, background workers, serving with graceful shutdown.
use super::{
    auth::limits::Limiters,
    config::Config,
    db,
    files::store::FileStore,
    http,
    live::LiveHub,
    notify, routes, seed,
    state::{AppState, Shared},
};
use crate::app::{shell, App};
use axum::{
    extract::DefaultBodyLimit,
    routing::{get, post},
    Router,
};
use leptos::prelude::*;
use leptos_axum::{generate_route_list, LeptosRoutes};
use secrecy::ExposeSecret;
use std::sync::Arc;

pub async fn build_state(
    config: Config,
    leptos_options: LeptosOptions,
) -> Result<AppState, Box<dyn std::error::Error>> {
    let pool = db::connect(config.database_url.expose_secret()).await?;
    db::migrate(&pool).await?;
    let storage = FileStore::from_url(config.storage_url.as_deref(), &config.data_dir)?;
    tracing::info!(store = storage.kind(), "file store ready");
    Ok(AppState::new(Shared {
        pool,
        config: Arc::new(config),
        leptos_options,
        live: LiveHub::default(),
        limits: Arc::new(Limiters::default()),
        room_pages: Arc::default(),
        storage: Arc::new(storage),
    }))
}

pub fn router(state: AppState) -> Router {
    let routes = generate_route_list(App);
    let upload_limit = (state.config.max_upload_mb + 1) * 1024 * 1024 * 11;
    let leptos_options = state.leptos_options.clone();
    Router::new()
        .route("/healthz", get(routes::healthz))
        .route(
            "/requests",
            post(routes::submit_request).layer(DefaultBodyLimit::max(upload_limit)),
        )
        .route("/r/{token}", get(routes::open_room_link))
        .route("/r/switch", post(routes::switch_room_link))
        .route(
            "/room/{reference}/photos",
            post(super::files::room_photos::add_photos).layer(DefaultBodyLimit::max(upload_limit)),
        )
        .route("/files/{id}", get(routes::file_display))
        .route("/files/{id}/thumb", get(routes::file_thumb))
        .route("/events", get(routes::events))
        // notify::sms::STATUS_PATH, the StatusCallback every text names.
        .route("/webhooks/sms", post(routes::sms_inbound))
        .route("/webhooks/sms/status", post(routes::sms_status))
        .leptos_routes_with_context(
            &state,
            routes,
            {
                let state = state.clone();
                move || provide_context(state.clone())
            },
            move || shell(leptos_options.clone()),
        )
        .fallback(leptos_axum::file_and_error_handler::<AppState, _>(shell))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            http::room_pages::serve,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            super::auth::policy::enforce,
        ))
        // Outermost last: headers go on every answer, refusals included.
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            http::back::restore_referer,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            http::origin::refuse_cross_site,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            http::headers::security_headers,
        ))
        // Pages and JSON go out brotli/gzip like the precompressed assets; the default
        // predicate leaves `/events` (text/event-stream), images and tiny answers alone.
        .layer(tower_http::compression::CompressionLayer::new())
        // Outermost of all: no request's reactive owner is current while another runs.
        .layer(axum::middleware::from_fn(http::owner::isolate))
        .with_state(state)
}

pub async fn run() -> Result<(), Box<dyn std::error::Error>> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "info,sqlx=warn,tower_http=info".into()),
        )
        .init();
    let config = Config::from_env()?;
    let conf = get_configuration(None)?;
    let mut leptos_options = conf.leptos_options;
    leptos_options.site_addr = config.listen;
    let listen = config.listen;
    let state = build_state(config, leptos_options).await?;
    state.live.spawn_listener(state.pool.clone());
    let transport = notify::Transport::from_config(&state.config)?;
    notify::spawn_worker(state.pool.clone(), transport);
    super::files::sweep::spawn(state.clone());
    super::auth::limits::spawn_forgetting(state.limits.clone());
    if state.config.seed_demo {
        seed::seed_demo(&state).await?;
    }
    let app = router(state);
    let listener = tokio::net::TcpListener::bind(listen).await?;
    tracing::info!("Customer Room listening on http://{listen}");
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown_signal())
    .await?;
    tracing::info!("shut down cleanly");
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    let terminate = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            s.recv().await;
        }
    };
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
}
