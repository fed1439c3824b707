//! Where a plain (no-JavaScript) form post returns to. Leptos sends a form post back to its
//! `Referer`, but pages are served with `Referrer-Policy: no-referrer` (a room's address must
//! not leak to other sites), so browsers send none. Instead every page remembers its own path
//! in a cookie scoped to `/api` (sent only to server functions, SameSite=Strict), and a form
//! post without a Referer gets that path as its Referer.
use crate::server::{error::accepts_html, state::AppState};
use axum::{
    extract::{Request, State},
    http::{header, HeaderValue},
    middleware::Next,
    response::Response,
};

const BACK_COOKIE: &str = "cr_back";

/// Called while a page shell renders on the server.
pub fn remember_page(path: &str) {
    use leptos::prelude::use_context;
    if !is_safe_path(path) {
        return;
    }
    if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
        let cookie =
            format!("{BACK_COOKIE}={path}; Path=/api; HttpOnly; SameSite=Strict; Max-Age=86400");
        if let Ok(v) = HeaderValue::from_str(&cookie) {
            res.append_header(header::SET_COOKIE, v);
        }
    }
}

pub async fn restore_referer(
    State(state): State<AppState>,
    mut req: Request,
    next: Next,
) -> Response {
    let plain_post = req.method() == axum::http::Method::POST
        && req.uri().path().starts_with("/api/")
        && accepts_html(req.headers())
        && !req.headers().contains_key(header::REFERER);
    if plain_post {
        let back = super::super::auth::session::read_cookie(req.headers(), BACK_COOKIE)
            .filter(|p| is_safe_path(p));
        if let Some(path) = back {
            let url = format!("{}{path}", state.config.public_url);
            if let Ok(v) = HeaderValue::from_str(&url) {
                req.headers_mut().insert(header::REFERER, v);
            }
        }
    }
    next.run(req).await
}

/// A path on our own site with nothing a cookie or header could choke on.
pub fn is_safe_path(p: &str) -> bool {
    p.starts_with('/')
        && !p.starts_with("//")
        && p.len() <= 200
        && p.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"/-_.=&?%".contains(&b))
}

#[cfg(test)]
mod tests {
    use super::is_safe_path;

    #[test]
    fn only_plain_local_paths_are_remembered() {
        assert!(is_safe_path("/room/CR-ABC234"));
        assert!(is_safe_path("/staff/requests/CR-ABC234"));
        assert!(!is_safe_path("//evil.example/x"));
        assert!(!is_safe_path("https://evil.example"));
        assert!(!is_safe_path("/a;b"));
        assert!(!is_safe_path("/a\r\nSet-Cookie: x"));
    }
}
