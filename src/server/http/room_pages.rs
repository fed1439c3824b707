//! A customer's room page, rendered once and answered again while nothing in it changed.
//!
//! A phone reopening its room from a text, the page's own live refreshes and a customer
//! tapping back and forth ask for the same page many times between changes. Each answer
//! still checks the session and reads the room's `view_version` (two indexed reads, under
//! the room's own access rule); only when the version is the one this page was rendered
//! at, and the page is under [`FRESH_FOR`] old, is the render skipped. The database moves
//! the version in the same transaction as every change the room shows (see the
//! `room_view_version` migration), so a kept page is never older than what a fresh render
//! would show — on this instance or any other sharing the database.
//!
//! Kept per customer session and reference (hashed session, never the cookie), for GETs of
//! `/room/<reference>` with no query string from a browser without a staff cookie. What a
//! render makes new every time is made new on every answer: the script nonce (and the CSP
//! naming it) and the form key plain forms send for their retries.
use crate::{
    model::reference::Reference,
    server::{auth::session, state::AppState},
};
use axum::{
    body::Body,
    extract::{Request, State},
    http::{header, HeaderMap, HeaderValue, Method, StatusCode},
    middleware::Next,
    response::{IntoResponse, Response},
};
use std::{
    sync::{
        atomic::{AtomicU64, Ordering},
        Arc, OnceLock,
    },
    time::{Duration, Instant},
};
use uuid::Uuid;

/// How long a kept page may answer at most. Bounds what only the clock changes ("2 minutes
/// ago", a link or device that just expired, a quote past its date) and a device's last-seen
/// time, which does not move the version.
pub const FRESH_FOR: Duration = Duration::from_secs(20);
/// Bytes of page kept in all (a room page is 30–60 KB before compression).
const CAPACITY_BYTES: u64 = 64 * 1024 * 1024;
/// A page larger than this is sent but not kept.
const MAX_PAGE: usize = 2 * 1024 * 1024;

/// What a room render is handed (in the request's extensions) and hands back: the form key
/// it gives its plain forms (`RoomView::form_key`), chosen here so a kept page can be answered
/// with a new one, and the `view_version` its read saw, which the page is kept under — from
/// the same statement as the data, so no separate version read is made before a render.
#[derive(Clone, Debug)]
pub struct PageRender {
    pub form_key: Uuid,
    version: Arc<OnceLock<i64>>,
}

impl PageRender {
    /// The version of the room this render read (the first read, if a render read twice).
    pub fn read_at(&self, version: i64) {
        let _ = self.version.set(version);
    }
}

type Key = (Vec<u8>, String);

struct Page {
    version: i64,
    at: Instant,
    headers: HeaderMap,
    /// The page cut where its nonce and form key stand: `pieces[0] slot[0] pieces[1] …`, so
    /// an answer is one copy with the new values put in, not a search through the page.
    pieces: Vec<String>,
    slots: Vec<Slot>,
    len: usize,
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Slot {
    Nonce,
    FormKey,
}

/// `body` cut at every occurrence of `nonce` and `form_key`.
fn cut(body: &str, nonce: &str, form_key: &str) -> (Vec<String>, Vec<Slot>) {
    let (mut pieces, mut slots, mut rest) = (Vec::new(), Vec::new(), body);
    loop {
        let next = [(Slot::Nonce, nonce), (Slot::FormKey, form_key)]
            .into_iter()
            .filter_map(|(slot, needle)| rest.find(needle).map(|at| (at, slot, needle.len())))
            .min_by_key(|(at, _, _)| *at);
        let Some((at, slot, len)) = next else {
            pieces.push(rest.to_string());
            return (pieces, slots);
        };
        pieces.push(rest[..at].to_string());
        slots.push(slot);
        rest = &rest[at + len..];
    }
}

impl Page {
    fn body(&self, nonce: &str, form_key: &str) -> String {
        let mut out = String::with_capacity(self.len + 64);
        for (i, piece) in self.pieces.iter().enumerate() {
            out.push_str(piece);
            match self.slots.get(i) {
                Some(Slot::Nonce) => out.push_str(nonce),
                Some(Slot::FormKey) => out.push_str(form_key),
                None => {}
            }
        }
        out
    }
}

#[derive(Clone)]
struct PageWeight;

impl quick_cache::Weighter<Key, Arc<Page>> for PageWeight {
    fn weight(&self, _key: &Key, page: &Arc<Page>) -> u64 {
        page.len as u64 + 512
    }
}

pub struct RoomPages {
    pages: quick_cache::sync::Cache<Key, Arc<Page>, PageWeight>,
    answered: AtomicU64,
    rendered: AtomicU64,
}

impl Default for RoomPages {
    fn default() -> Self {
        RoomPages {
            pages: quick_cache::sync::Cache::with_weighter(2_000, CAPACITY_BYTES, PageWeight),
            answered: AtomicU64::new(0),
            rendered: AtomicU64::new(0),
        }
    }
}

impl RoomPages {
    /// (answered from a kept page, rendered and kept) since start — for tests and the bench.
    pub fn counts(&self) -> (u64, u64) {
        (
            self.answered.load(Ordering::Relaxed),
            self.rendered.load(Ordering::Relaxed),
        )
    }

    /// The page kept for `key`, if it is young enough to be answered again.
    fn young(&self, key: &Key) -> Option<Arc<Page>> {
        self.pages
            .get(key)
            .filter(|page| page.at.elapsed() < FRESH_FOR)
    }

    fn answer(&self, page: &Page, version: i64) -> Option<Response> {
        if page.version != version {
            return None;
        }
        let nonce = Uuid::new_v4().simple().to_string();
        let form_key = Uuid::new_v4().to_string();
        let mut res = Response::new(Body::from(page.body(&nonce, &form_key)));
        *res.headers_mut() = page.headers.clone();
        let csp = HeaderValue::from_str(&super::headers::page_csp(&nonce)).ok()?;
        res.headers_mut()
            .insert(header::CONTENT_SECURITY_POLICY, csp);
        self.answered.fetch_add(1, Ordering::Relaxed);
        Some(res)
    }

    fn keep(&self, key: Key, version: i64, form_key: Uuid, headers: &HeaderMap, body: &[u8]) {
        let (Some(nonce), Ok(body)) = (script_nonce(headers), std::str::from_utf8(body)) else {
            return;
        };
        let form_key = form_key.to_string();
        // A render that did not use the key it was given (or has no nonce) can't be renewed.
        if !body.contains(&form_key) && body.contains("client_key") {
            return;
        }
        let mut headers = headers.clone();
        headers.remove(header::CONTENT_LENGTH);
        let (pieces, slots) = cut(body, &nonce, &form_key);
        self.pages.insert(
            key,
            Arc::new(Page {
                version,
                at: Instant::now(),
                headers,
                pieces,
                slots,
                len: body.len(),
            }),
        );
        self.rendered.fetch_add(1, Ordering::Relaxed);
    }
}

/// The reference of a plain room page GET, the only answer kept.
fn room_page(method: &Method, uri: &axum::http::Uri) -> Option<Reference> {
    if method != Method::GET || uri.query().is_some() {
        return None;
    }
    let rest = uri.path().strip_prefix("/room/")?;
    if rest.contains('/') {
        return None;
    }
    rest.parse().ok()
}

fn script_nonce(headers: &HeaderMap) -> Option<String> {
    let csp = headers
        .get(header::CONTENT_SECURITY_POLICY)?
        .to_str()
        .ok()?;
    let start = csp.find("'nonce-")? + "'nonce-".len();
    let len = csp[start..].find('\'')?;
    (len > 0).then(|| csp[start..start + len].to_string())
}

/// Only a whole 200 page whose cookies are the same for every render of it (the plain-form
/// return path, `http::back`) may be kept.
fn keepable(res: &Response) -> bool {
    res.status() == StatusCode::OK
        && res
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|t| t.starts_with("text/html"))
        && res
            .headers()
            .get_all(header::SET_COOKIE)
            .iter()
            .all(|c| c.as_bytes().starts_with(b"cr_back="))
}

pub async fn serve(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let Some(reference) = room_page(req.method(), req.uri()) else {
        return next.run(req).await;
    };
    // Kept only for a customer session alone: a browser that also carries a staff cookie
    // always gets a fresh render.
    let https = state.config.is_https();
    let key = match (
        session::customer_session_hash(req.headers(), https),
        session::staff_session_hash(req.headers(), https),
    ) {
        (Some(hash), None) => Some((hash, reference.as_str().to_string())),
        _ => None,
    };
    let kept = key.as_ref().and_then(|key| state.room_pages.young(key));
    // Resolved once here and handed on, so a render reads no session again. With a page to
    // answer with, the same statement reads the room's version (one round trip in all); a
    // first open is the session check and the render's one read of the room.
    let room = kept.as_ref().map(|_| reference.as_str());
    let (callers, version) = match session::callers_with_room(&state, req.headers(), room).await {
        Ok(c) => c,
        Err(e) => {
            tracing::warn!(error = %e, "room page: could not check the session; rendering");
            return next.run(req).await;
        }
    };
    if let (Some(page), Some(version)) = (&kept, version) {
        if let Some(res) = state.room_pages.answer(page, version) {
            return res;
        }
    }
    let key = key.filter(|_| callers.customer.is_some());
    req.extensions_mut().insert(callers);
    let Some(key) = key else {
        return next.run(req).await;
    };
    let render = PageRender {
        form_key: Uuid::new_v4(),
        version: Arc::default(),
    };
    req.extensions_mut().insert(render.clone());
    let res = next.run(req).await;
    // No version: the render never read the room (an error page, a refused caller).
    let Some(&version) = render.version.get() else {
        return res;
    };
    if !keepable(&res) {
        return res;
    }
    let (parts, body) = res.into_parts();
    match axum::body::to_bytes(body, MAX_PAGE).await {
        Ok(bytes) => {
            state
                .room_pages
                .keep(key, version, render.form_key, &parts.headers, &bytes);
            Response::from_parts(parts, Body::from(bytes))
        }
        Err(e) => {
            // The page was larger than MAX_PAGE or its render failed mid-stream.
            tracing::error!(error = %e, "room page: could not be read whole");
            crate::model::AppError::Internal.into_response()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_plain_room_get_is_kept() {
        let uri = |s: &str| s.parse::<axum::http::Uri>().unwrap();
        assert!(room_page(&Method::GET, &uri("/room/CR-7K3Q9X")).is_some());
        assert!(room_page(&Method::GET, &uri("/room/CR-7K3Q9X?sent=1")).is_none());
        assert!(room_page(&Method::POST, &uri("/room/CR-7K3Q9X")).is_none());
        assert!(room_page(&Method::GET, &uri("/room/CR-7K3Q9X/photos")).is_none());
        assert!(room_page(&Method::GET, &uri("/room/not-a-reference")).is_none());
        assert!(room_page(&Method::GET, &uri("/staff/requests/CR-7K3Q9X")).is_none());
    }

    #[test]
    fn a_kept_page_is_put_back_together_with_new_values() {
        let body = "<script nonce=\"N1\">x</script><input value=\"K1\"><i>N1K1</i>end";
        let (pieces, slots) = cut(body, "N1", "K1");
        assert_eq!(
            slots,
            [Slot::Nonce, Slot::FormKey, Slot::Nonce, Slot::FormKey]
        );
        let page = Page {
            version: 1,
            at: Instant::now(),
            headers: HeaderMap::new(),
            pieces,
            slots,
            len: body.len(),
        };
        assert_eq!(page.body("N1", "K1"), body);
        assert_eq!(
            page.body("nn", "kk"),
            "<script nonce=\"nn\">x</script><input value=\"kk\"><i>nnkk</i>end"
        );
        let (pieces, slots) = cut("no values here", "N1", "K1");
        assert_eq!((pieces.len(), slots.len()), (1, 0));
    }

    #[test]
    fn the_nonce_is_read_from_the_page_policy() {
        let mut h = HeaderMap::new();
        h.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_str(&super::super::headers::page_csp("abc123")).unwrap(),
        );
        assert_eq!(script_nonce(&h).as_deref(), Some("abc123"));
        h.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static("default-src 'none'"),
        );
        assert_eq!(script_nonce(&h), None);
    }
}
