//! Security headers. Pages get a Content-Security-Policy whose script nonce is the one
//! Leptos puts on its hydration scripts (so hydration runs and nothing injected does);
//! everything else gets a locked-down default. Pages and server-function answers are
//! `no-store`: a room or staff page must not be kept by a shared or back-button cache.
use crate::server::state::AppState;
use axum::{
    extract::{Request, State},
    http::{header, HeaderMap, HeaderValue},
    middleware::Next,
    response::Response,
};

/// For responses that did not set their own policy (plain error pages, files set theirs).
/// It also covers the static files of `public/`: the favicon SVG draws with attributes only.
const DEFAULT_CSP: &str = "default-src 'none'; style-src 'self'; img-src 'self'; \
    form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/// The policy of an app page, with this response's nonce.
pub fn page_csp(nonce: &str) -> String {
    format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; \
         style-src 'self'; img-src 'self' blob: data:; connect-src 'self'; \
         object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    )
}

/// Called while the page shell renders on the server: the nonce exists only there.
pub fn set_page_headers() {
    use leptos::prelude::use_context;
    let (Some(res), Some(nonce)) = (
        use_context::<leptos_axum::ResponseOptions>(),
        leptos::nonce::use_nonce(),
    ) else {
        return;
    };
    if let Ok(v) = HeaderValue::from_str(&page_csp(&nonce)) {
        res.insert_header(header::CONTENT_SECURITY_POLICY, v);
    }
}

pub async fn security_headers(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let path = req.uri().path().to_string();
    let mut res = next.run(req).await;
    let found = res.status().is_success();
    let h = res.headers_mut();
    let is_asset = path.starts_with("/pkg/") || is_public_file(&path);
    set_default(h, header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    set_default(h, header::REFERRER_POLICY, "no-referrer");
    set_default(h, header::X_FRAME_OPTIONS, "DENY");
    set_default(h, header::CONTENT_SECURITY_POLICY, DEFAULT_CSP);
    if found && is_public_file(&path) {
        // Not fingerprinted, so kept a day rather than forever: a new icon shows up by tomorrow.
        set_default(h, header::CACHE_CONTROL, "public, max-age=86400");
    } else if !is_asset {
        set_default(h, header::CACHE_CONTROL, "no-store");
    }
    if state.config.is_https() {
        set_default(
            h,
            header::STRICT_TRANSPORT_SECURITY,
            "max-age=31536000; includeSubDomains",
        );
    }
    res
}

fn is_public_file(path: &str) -> bool {
    matches!(path, "/favicon.ico" | "/favicon.svg" | "/robots.txt") || path.starts_with("/icons/")
}

fn set_default(h: &mut HeaderMap, name: header::HeaderName, value: &'static str) {
    if !h.contains_key(&name) {
        h.insert(name, HeaderValue::from_static(value));
    }
}
