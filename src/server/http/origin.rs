//! Cross-site request refusal. Every state-changing request (server functions and plain form
//! routes alike) must come from our own pages: browsers say so in `Sec-Fetch-Site`, older ones
//! in `Origin`. Cookies are SameSite=Lax as well, but Lax still lets a top-level cross-site
//! POST through on some browsers and says nothing about same-site subdomains.
use crate::{
    model::AppError,
    server::{
        error::{accepts_html, json_response},
        state::AppState,
    },
};
use axum::{
    extract::{Request, State},
    http::{header, HeaderMap, Method},
    middleware::Next,
    response::{IntoResponse, Response},
};

/// Routes that other systems post to on purpose and that authenticate themselves
/// (provider webhooks verify a signature instead).
const EXEMPT_PREFIXES: &[&str] = &["/webhooks/"];

pub async fn refuse_cross_site(
    State(state): State<AppState>,
    req: Request,
    next: Next,
) -> Response {
    let writes = !matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    let path = req.uri().path();
    if !writes || EXEMPT_PREFIXES.iter().any(|p| path.starts_with(p)) {
        return next.run(req).await;
    }
    if is_same_origin(req.headers(), &state.config.public_url) {
        return next.run(req).await;
    }
    tracing::warn!(
        path,
        origin = ?req.headers().get(header::ORIGIN),
        fetch_site = ?req.headers().get("sec-fetch-site"),
        "refused a cross-site write"
    );
    if accepts_html(req.headers()) {
        AppError::CrossSite.into_response()
    } else {
        json_response(AppError::CrossSite)
    }
}

/// `Sec-Fetch-Site` when the browser sends it; otherwise `Origin` must be our public origin
/// or the origin of the Host asked for. Requests with neither header are not from a browser
/// form (a browser always sends one of them on a POST), so they carry no ambient-cookie risk
/// beyond what the caller itself holds.
pub fn is_same_origin(headers: &HeaderMap, public_url: &str) -> bool {
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        // "none" is a request the person started themselves (typed, bookmarked).
        return matches!(site, "same-origin" | "none");
    }
    let Some(origin) = headers.get(header::ORIGIN) else {
        return true;
    };
    let Ok(origin) = origin.to_str() else {
        return false;
    };
    if origin == origin_of(public_url) {
        return true;
    }
    let host = headers.get(header::HOST).and_then(|v| v.to_str().ok());
    host.is_some_and(|h| origin == format!("http://{h}") || origin == format!("https://{h}"))
}

/// `scheme://host[:port]` of a URL, without path.
fn origin_of(url: &str) -> &str {
    let after_scheme = url.find("://").map(|i| i + 3).unwrap_or(0);
    match url[after_scheme..].find('/') {
        Some(i) => &url[..after_scheme + i],
        None => url,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, HeaderValue::from_static(v));
        }
        h
    }

    const PUBLIC: &str = "https://room.example.com";

    #[test]
    fn fetch_metadata_decides_when_present() {
        assert!(is_same_origin(
            &headers(&[("sec-fetch-site", "same-origin")]),
            PUBLIC
        ));
        assert!(!is_same_origin(
            &headers(&[("sec-fetch-site", "cross-site")]),
            PUBLIC
        ));
        assert!(!is_same_origin(
            &headers(&[("sec-fetch-site", "same-site")]),
            PUBLIC
        ));
        // A matching Origin does not rescue a cross-site fetch.
        assert!(!is_same_origin(
            &headers(&[
                ("sec-fetch-site", "cross-site"),
                ("origin", "https://room.example.com")
            ]),
            PUBLIC
        ));
    }

    #[test]
    fn origin_must_be_ours_when_fetch_metadata_is_missing() {
        assert!(is_same_origin(
            &headers(&[("origin", "https://room.example.com")]),
            PUBLIC
        ));
        assert!(!is_same_origin(
            &headers(&[("origin", "https://evil.example")]),
            PUBLIC
        ));
        assert!(!is_same_origin(&headers(&[("origin", "null")]), PUBLIC));
        assert!(is_same_origin(
            &headers(&[
                ("origin", "http://127.0.0.1:3100"),
                ("host", "127.0.0.1:3100")
            ]),
            PUBLIC
        ));
        assert!(is_same_origin(&headers(&[]), PUBLIC));
    }

    #[test]
    fn origin_of_drops_the_path() {
        assert_eq!(origin_of("https://a.example/x/y"), "https://a.example");
        assert_eq!(origin_of("http://127.0.0.1:3000"), "http://127.0.0.1:3000");
    }
}
