//! Test harness: the real router and a real PostgreSQL database (one per test, made by
//! [`db::fresh_db`]), driven over HTTP requests without a network socket.
#![allow(dead_code)]
pub mod aiosmtpd;
pub mod db;
pub mod fixtures;
pub mod live;
pub mod sms_api;
pub mod smtp;
pub mod staff;
pub mod workflow;
use axum::{
    body::Body,
    extract::connect_info::MockConnectInfo,
    http::{header, Request, StatusCode},
    Router,
};
use customer_room::server::{
    app::router,
    auth::limits::Limiters,
    config::Config,
    files::store::FileStore,
    live::LiveHub,
    state::{AppState, Shared},
};
#[allow(unused_imports)] // not every test binary makes a database
pub use db::fresh_db;
pub use fixtures::*;
use http_body_util::BodyExt;
use leptos::config::LeptosOptions;
use sqlx::{PgPool, Row};
use std::{net::SocketAddr, sync::Arc};
use tower::ServiceExt;
use uuid::Uuid;

pub struct TestApp {
    pub state: AppState,
    router: Router,
}

pub struct TestResponse {
    pub status: StatusCode,
    pub headers: axum::http::HeaderMap,
    pub body: String,
}

impl TestResponse {
    pub fn location(&self) -> Option<String> {
        self.headers
            .get(header::LOCATION)
            .map(|v| v.to_str().unwrap().to_string())
    }
    /// `name=value` of a cookie this response set, ready to send back.
    pub fn cookie(&self, name: &str) -> Option<String> {
        self.headers
            .get_all(header::SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .filter_map(|v| v.split(';').next())
            .find(|pair| pair.starts_with(&format!("{name}=")) && pair.len() > name.len() + 1)
            .map(str::to_string)
    }
    pub fn set_cookie_header(&self, name: &str) -> Option<String> {
        self.headers
            .get_all(header::SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find(|v| v.starts_with(&format!("{name}=")))
            .map(str::to_string)
    }
    /// The sentence a person would see for a failed server function call.
    pub fn error_text(&self) -> String {
        serde_json::from_str::<customer_room::model::AppError>(&self.body)
            .map(|e| e.to_string())
            .unwrap_or_else(|_| self.body.clone())
    }
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }
}

pub enum Part<'a> {
    Text(&'a str, &'a str),
    File(&'a str, &'a str, Vec<u8>),
}

impl TestApp {
    pub async fn new(pool: PgPool) -> Self {
        Self::from_peer(pool, [10, 0, 0, 1]).await
    }

    pub async fn from_peer(pool: PgPool, ip: [u8; 4]) -> Self {
        Self::build(pool, ip, |_| {}).await
    }

    /// The app as deployed behind https (`__Host-` cookies, `Secure`).
    pub async fn https(pool: PgPool) -> Self {
        Self::build(pool, [10, 0, 0, 1], |c| {
            c.public_url = "https://room.example.com".into()
        })
        .await
    }

    pub async fn build(pool: PgPool, ip: [u8; 4], adjust: impl FnOnce(&mut Config)) -> Self {
        let dir = std::env::temp_dir().join(format!("cr-test-{}", Uuid::new_v4()));
        let store = Arc::new(test_store(&dir));
        Self::assemble(pool, ip, adjust, dir, store)
    }

    /// The app serving its static files (`/pkg/…`) from `site_root`.
    pub async fn serving_site(pool: PgPool, site_root: &std::path::Path) -> Self {
        let dir = std::env::temp_dir().join(format!("cr-test-{}", Uuid::new_v4()));
        let store = Arc::new(test_store(&dir));
        let options = LeptosOptions::builder()
            .output_name("customer-room")
            .site_root(site_root.to_string_lossy().into_owned())
            .build();
        Self::assemble_with(pool, [10, 0, 0, 1], |_| {}, dir, store, options)
    }

    /// Another instance sharing `store` (as two deployed instances share one object store).
    pub async fn sharing_store(pool: PgPool, store: Arc<FileStore>) -> Self {
        let dir = std::env::temp_dir().join(format!("cr-test-{}", Uuid::new_v4()));
        Self::assemble(pool, [10, 0, 0, 1], |_| {}, dir, store)
    }

    fn assemble(
        pool: PgPool,
        ip: [u8; 4],
        adjust: impl FnOnce(&mut Config),
        dir: std::path::PathBuf,
        storage: Arc<FileStore>,
    ) -> Self {
        let options = LeptosOptions::builder()
            .output_name("customer-room")
            .build();
        Self::assemble_with(pool, ip, adjust, dir, storage, options)
    }

    fn assemble_with(
        pool: PgPool,
        ip: [u8; 4],
        adjust: impl FnOnce(&mut Config),
        dir: std::path::PathBuf,
        storage: Arc<FileStore>,
        leptos_options: LeptosOptions,
    ) -> Self {
        let mut config = Config::for_tests("postgres://unused", dir);
        adjust(&mut config);
        let state = AppState::new(Shared {
            pool,
            config: Arc::new(config),
            leptos_options,
            live: LiveHub::default(),
            limits: Arc::new(Limiters::default()),
            storage,
            room_pages: Arc::default(),
        });
        let peer = SocketAddr::from((ip, 40000));
        // MockConnectInfo only feeds the `ConnectInfo` extractor; code that reads the
        // extension directly (session::client_ip) needs the extension itself.
        let router = router(state.clone())
            .layer(axum::middleware::map_request(
                move |mut req: Request<Body>| async move {
                    req.extensions_mut()
                        .insert(axum::extract::ConnectInfo(peer));
                    req
                },
            ))
            .layer(MockConnectInfo(peer));
        TestApp { state, router }
    }

    pub async fn send(&self, req: Request<Body>) -> TestResponse {
        let res = self
            .router
            .clone()
            .oneshot(req)
            .await
            .expect("router answers");
        let status = res.status();
        let headers = res.headers().clone();
        let bytes = res.into_body().collect().await.expect("body").to_bytes();
        TestResponse {
            status,
            headers,
            body: String::from_utf8_lossy(&bytes).into_owned(),
        }
    }

    /// Sends a request and hands back the response with its body still streaming (SSE).
    pub async fn open(&self, req: Request<Body>) -> axum::response::Response {
        self.router
            .clone()
            .oneshot(req)
            .await
            .expect("router answers")
    }

    pub async fn get(&self, path: &str, cookie: Option<&str>) -> TestResponse {
        self.get_with(path, cookie, &[]).await
    }

    /// A GET with extra headers (`User-Agent`, `Sec-Fetch-Site`, …).
    pub async fn get_with(
        &self,
        path: &str,
        cookie: Option<&str>,
        headers: &[(&str, &str)],
    ) -> TestResponse {
        let mut req = Request::get(path).header(header::ACCEPT, "text/html");
        if let Some(c) = cookie {
            req = req.header(header::COOKIE, c);
        }
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        self.send(req.body(Body::empty()).unwrap()).await
    }

    /// A plain HTML form post (URL-encoded), with extra headers.
    pub async fn post_form(
        &self,
        path: &str,
        form: &[(&str, &str)],
        cookie: Option<&str>,
        headers: &[(&str, &str)],
    ) -> TestResponse {
        let body = form
            .iter()
            .map(|(k, v)| format!("{}={}", urlencode(k), urlencode(v)))
            .collect::<Vec<_>>()
            .join("&");
        let mut req = Request::post(path)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::ACCEPT, "text/html");
        if let Some(c) = cookie {
            req = req.header(header::COOKIE, c);
        }
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        self.send(req.body(Body::from(body)).unwrap()).await
    }

    /// Calls a server function the way the hydrated app does (URL-encoded in, JSON out).
    pub async fn call(
        &self,
        endpoint: &str,
        form: &[(&str, &str)],
        cookie: Option<&str>,
    ) -> TestResponse {
        let body = form
            .iter()
            .map(|(k, v)| format!("{}={}", urlencode(k), urlencode(v)))
            .collect::<Vec<_>>()
            .join("&");
        let mut req = Request::post(format!("/api/{endpoint}"))
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::ACCEPT, "application/json");
        if let Some(c) = cookie {
            req = req.header(header::COOKIE, c);
        }
        self.send(req.body(Body::from(body)).unwrap()).await
    }

    /// A multipart post with exactly these extra headers (e.g. a foreign `Origin`).
    pub async fn multipart_with_headers(
        &self,
        path: &str,
        parts: &[Part<'_>],
        headers: &[(&str, &str)],
    ) -> TestResponse {
        let (boundary, body) = multipart_body(parts);
        let mut req = Request::post(path).header(
            header::CONTENT_TYPE,
            format!("multipart/form-data; boundary={boundary}"),
        );
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        self.send(req.body(Body::from(body)).unwrap()).await
    }

    pub async fn multipart(
        &self,
        path: &str,
        parts: &[Part<'_>],
        cookie: Option<&str>,
        json: bool,
    ) -> TestResponse {
        let (boundary, body) = multipart_body(parts);
        let mut req = Request::post(path)
            .header(
                header::CONTENT_TYPE,
                format!("multipart/form-data; boundary={boundary}"),
            )
            .header(
                header::ACCEPT,
                if json {
                    "application/json"
                } else {
                    "text/html"
                },
            );
        if let Some(c) = cookie {
            req = req.header(header::COOKIE, c);
        }
        self.send(req.body(Body::from(body)).unwrap()).await
    }

    /// Every message written to the outbox for this recipient, newest first.
    pub async fn outbox_for(&self, recipient: &str) -> Vec<(String, String, String)> {
        sqlx::query("SELECT channel, subject, body FROM outbox WHERE recipient = $1 ORDER BY created_at DESC")
            .bind(recipient)
            .fetch_all(&self.state.pool)
            .await
            .unwrap()
            .into_iter()
            .map(|r| (r.get(0), r.get(1), r.get(2)))
            .collect()
    }

    pub async fn count(&self, sql: &str) -> i64 {
        sqlx::query(sql)
            .fetch_one(&self.state.pool)
            .await
            .unwrap()
            .get(0)
    }
}

/// The local disk under `dir`, or, when `make test` started an S3-compatible server
/// (`CR_TEST_STORAGE_URL=s3://bucket`), a fresh prefix in that bucket for this app.
pub fn test_store(dir: &std::path::Path) -> FileStore {
    match std::env::var("CR_TEST_STORAGE_URL")
        .ok()
        .filter(|u| !u.is_empty())
    {
        Some(url) => {
            let url = format!("{}/{}", url.trim_end_matches('/'), Uuid::new_v4().simple());
            FileStore::from_url(Some(&url), dir).expect("the test object store")
        }
        None => FileStore::local(dir.join("files")).expect("a local file store"),
    }
}
