#![cfg(feature = "ssr")]
//! Hostile input over every endpoint: each server function the app registers and each
//! plain POST route its router declares gets a corpus of bad values in every argument, as
//! anonymous, as a customer and as staff. No answer may be a 5xx, the app keeps answering
//! `/healthz`, a refusal writes nothing, and no database error caused by input is logged.
//!
//! The endpoint lists come from the app itself (the server-function registry, the `#[server]`
//! signatures under `src/api`, the `.route(…)` lines of `src/server/app.rs`), so a new
//! endpoint is covered without editing this file.
//!
//! `CR_HOSTILE_SUMMARY=1` also prints the summary to stderr unbuffered (scripts/bench.sh greps it).
mod common;

use axum::{
    body::Body,
    http::{header, Method, Request, StatusCode},
};
use common::*;
use sqlx::{PgPool, Row};
use std::{
    collections::{BTreeMap, BTreeSet},
    io::Write,
    path::Path,
    sync::{Arc, Mutex, OnceLock},
};

/// Tables a refusal is meant to write: failed attempts are counted (`auth_throttle`), and a
/// refused request form keeps what was typed (`intake_drafts`, issue 18 point 3).
const WRITTEN_BY_REFUSALS: &[&str] = &["auth_throttle", "intake_drafts"];

// ---------------------------------------------------------------------------------------
// The endpoints, from the app.

#[derive(Debug, Clone)]
struct Endpoint {
    /// `/api/room_message`, `/requests`, `/room/{reference}/photos`.
    path: String,
    /// Argument names; `true` when the argument may be left out (`#[server(default)]`).
    args: Vec<(String, bool)>,
    multipart: bool,
}

fn manifest(rel: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)
}

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let p = entry.path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "rs") {
            out.push(p);
        }
    }
}

/// The text between the `(` at `open` and its matching `)`.
fn balanced(s: &str, open: usize) -> &str {
    let mut depth = 0;
    for (i, c) in s[open..].char_indices() {
        match c {
            '(' => depth += 1,
            ')' => {
                depth -= 1;
                if depth == 0 {
                    return &s[open + 1..open + i];
                }
            }
            _ => {}
        }
    }
    panic!("unbalanced parentheses")
}

fn split_top_level(s: &str) -> Vec<&str> {
    let (mut depth, mut start, mut out) = (0i32, 0, vec![]);
    for (i, c) in s.char_indices() {
        match c {
            '(' | '<' | '[' => depth += 1,
            ')' | '>' | ']' => depth -= 1,
            ',' if depth == 0 => {
                out.push(&s[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push(&s[start..]);
    out.into_iter().filter(|p| !p.trim().is_empty()).collect()
}

/// Every `#[server(endpoint = "…")] fn f(args)` under src/api, with its argument names.
fn server_fns_in_source() -> BTreeMap<String, Vec<(String, bool)>> {
    let mut files = vec![];
    rust_files(&manifest("src/api"), &mut files);
    let mut found = BTreeMap::new();
    for f in files {
        let src = std::fs::read_to_string(&f).unwrap();
        let mut at = 0;
        while let Some(i) = src[at..].find("#[server(endpoint") {
            let start = at + i;
            let attr = balanced(&src, start + "#[server".len());
            let endpoint = attr
                .split('"')
                .nth(1)
                .expect("endpoint literal")
                .to_string();
            let fn_at = start + src[start..].find("fn ").expect("fn after #[server]");
            let open = fn_at + src[fn_at..].find('(').unwrap();
            let args = split_top_level(balanced(&src, open))
                .into_iter()
                .map(|a| {
                    let optional = a.contains("#[server(default)]");
                    let a = a.replace("#[server(default)]", "");
                    let name = a.split(':').next().unwrap().trim().to_string();
                    (name, optional)
                })
                .collect();
            found.insert(format!("/api/{endpoint}"), args);
            at = open;
        }
    }
    found
}

/// The registered server functions, with the arguments their signatures declare. The
/// registry is the truth; the source only names the arguments, so the two must agree.
fn server_fns() -> Vec<Endpoint> {
    let registered: BTreeSet<String> = server_fn::axum::server_fn_paths()
        .map(|(p, _)| p.to_string())
        .collect();
    let declared = server_fns_in_source();
    let declared_paths: BTreeSet<String> = declared.keys().cloned().collect();
    assert_eq!(
        registered, declared_paths,
        "the server-function registry and the #[server] signatures under src/api differ"
    );
    assert!(registered.len() > 20, "{registered:?}");
    declared
        .into_iter()
        .map(|(path, args)| Endpoint {
            path,
            args,
            multipart: false,
        })
        .collect()
}

/// Every `.route("path", method(…))` in the router, as (path, method names).
fn router_routes() -> Vec<(String, Vec<String>)> {
    let src = std::fs::read_to_string(manifest("src/server/app.rs")).unwrap();
    let mut out = vec![];
    let mut at = 0;
    while let Some(i) = src[at..].find(".route(") {
        let open = at + i + ".route".len();
        let inner = balanced(&src, open);
        let path = inner
            .split('"')
            .nth(1)
            .expect("route path literal")
            .to_string();
        let rest = &inner[inner.find(',').unwrap() + 1..];
        let methods = ["get", "post", "put", "patch", "delete"]
            .iter()
            .filter(|m| {
                rest.match_indices(&format!("{m}(")).any(|(j, _)| {
                    j == 0 || !rest[..j].ends_with(|c: char| c.is_alphanumeric() || c == '_')
                })
            })
            .map(|m| m.to_string())
            .collect();
        out.push((path, methods));
        at = open + inner.len();
    }
    assert!(out.iter().any(|(p, _)| p == "/requests"), "{out:?}");
    out
}

/// Every form field name the app's own pages and handlers use (`name="…"`, `.text("…")`):
/// the plain routes read their bodies by these names.
fn form_field_names() -> Vec<String> {
    let mut files = vec![];
    rust_files(&manifest("src"), &mut files);
    let mut names = BTreeSet::new();
    for f in files {
        let src = std::fs::read_to_string(&f).unwrap();
        for marker in ["name=\"", ".text(\"", "name == \"", "name != \""] {
            for (i, _) in src.match_indices(marker) {
                let rest = &src[i + marker.len()..];
                let name: String = rest
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect();
                if !name.is_empty() && rest[name.len()..].starts_with('"') {
                    names.insert(name);
                }
            }
        }
    }
    names.into_iter().collect()
}

fn plain_routes() -> Vec<Endpoint> {
    let fields = form_field_names();
    router_routes()
        .into_iter()
        .filter(|(_, methods)| methods.iter().any(|m| m != "get"))
        .map(|(path, _)| {
            let multipart = !path.starts_with("/r/");
            Endpoint {
                path,
                args: fields.iter().map(|f| (f.clone(), true)).collect(),
                multipart,
            }
        })
        .collect()
}

// ---------------------------------------------------------------------------------------
// The corpus.

#[derive(Clone)]
enum Bad {
    /// A value, encoded properly.
    Text(String),
    /// Bytes put into the body as they are (broken encodings).
    Raw(Vec<u8>),
    /// `name[x]=1`: a map where a string belongs.
    Nested,
    /// The argument left out.
    Missing,
}

fn corpus() -> Vec<(&'static str, Bad)> {
    let t = |s: &str| Bad::Text(s.to_string());
    vec![
        ("nul", t("a\0b")),
        ("only_nul", t("\0")),
        ("control", t("a\u{1}\u{7}\u{1b}[31m\u{7f}b")),
        ("crlf", t("a\r\nSet-Cookie: x=1")),
        ("bidi", t("abc\u{202E}fed")),
        ("zero_width", t("a\u{200B}b\u{FEFF}c\u{2060}")),
        ("big_200kb", Bad::Text("x".repeat(200 * 1024))),
        ("big_unicode", Bad::Text("é".repeat(50 * 1024))),
        ("lone_surrogate_escape", t("\\ud800")),
        ("json_lone_surrogate", t("\"\\udc00\"")),
        ("surrogate_bytes", Bad::Raw(b"%ED%A0%80".to_vec())),
        ("broken_percent", Bad::Raw(b"%ZZ%4".to_vec())),
        ("invalid_utf8_escaped", Bad::Raw(b"%FF%FE%C0%AF".to_vec())),
        ("invalid_utf8_raw", Bad::Raw(vec![0xff, 0xfe, 0xc0, 0xaf])),
        ("wrong_type_map", Bad::Nested),
        ("missing", Bad::Missing),
        ("empty", t("")),
        ("whitespace", t(" \t\n ")),
        ("nan", t("NaN")),
        ("inf", t("inf")),
        ("neg_inf", t("-inf")),
        ("1e309", t("1e309")),
        ("minus_one", t("-1")),
        ("i64_overflow", t("9223372036854775808")),
        ("i64_underflow", t("-9223372036854775809")),
        (
            "u128_overflow",
            t("340282366920938463463374607431768211456"),
        ),
        ("html", t("<script>alert(1)</script>")),
        ("sql", t("' OR 1=1; --")),
        ("path", t("../../../etc/passwd")),
        ("bad_uuid", t("00000000-0000-0000-0000-00000000000g")),
    ]
}

/// Whole-body cases: not one argument but the request as a whole is broken.
fn body_cases() -> Vec<(&'static str, &'static str, Vec<u8>)> {
    let form = "application/x-www-form-urlencoded";
    vec![
        ("empty_body", form, vec![]),
        ("broken_percent_body", form, b"%%%ZZ&=&&==%".to_vec()),
        ("invalid_utf8_body", form, vec![0xff, 0xfe, b'=', 0x80]),
        (
            "json_surrogate",
            "application/json",
            br#"{"reference":"\ud800","body":"\udfff"}"#.to_vec(),
        ),
        (
            "json_broken",
            "application/json",
            b"{\"reference\":".to_vec(),
        ),
        ("wrong_content_type", "text/plain", b"hello".to_vec()),
        (
            "multipart_no_boundary",
            "multipart/form-data",
            b"--x\r\n".to_vec(),
        ),
        (
            "multipart_truncated",
            "multipart/form-data; boundary=XYZ",
            b"--XYZ\r\nContent-Disposition: form-data; name=\"token\"\r\n\r\nabc".to_vec(),
        ),
    ]
}

/// The cases also sent as a no-JS form post and to every field of the plain routes (whose
/// field list is every name the app uses, so the full corpus there would be slow).
fn compact(case: &str) -> bool {
    matches!(
        case,
        "nul"
            | "bidi"
            | "big_200kb"
            | "broken_percent"
            | "invalid_utf8_raw"
            | "wrong_type_map"
            | "missing"
    )
}

fn plausible(name: &str, reference: &str) -> String {
    match name {
        "reference" => reference.to_string(),
        "email" | "contact" => "someone@example.com".into(),
        "idempotency_key" | "client_key" => uuid::Uuid::new_v4().to_string(),
        _ => "x".into(),
    }
}

fn urlencoded_body(ep: &Endpoint, target: Option<(&str, &Bad)>, reference: &str) -> Vec<u8> {
    let mut parts: Vec<Vec<u8>> = vec![];
    for (name, _) in &ep.args {
        let value = match target {
            Some((t, bad)) if t == name => bad,
            _ => {
                parts.push(
                    format!("{name}={}", urlencode(&plausible(name, reference))).into_bytes(),
                );
                continue;
            }
        };
        match value {
            Bad::Text(s) => parts.push(format!("{name}={}", urlencode(s)).into_bytes()),
            Bad::Raw(b) => {
                let mut p = format!("{name}=").into_bytes();
                p.extend_from_slice(b);
                parts.push(p);
            }
            Bad::Nested => parts.push(format!("{name}%5Bx%5D=1&{name}%5By%5D=2").into_bytes()),
            Bad::Missing => {}
        }
    }
    if target.is_none() {
        parts.push(b"unknown_field=1".to_vec());
    }
    parts.join(&b'&')
}

fn multipart_body(ep: &Endpoint, target: (&str, &Bad), reference: &str) -> Vec<u8> {
    let boundary = "----crhostileboundary";
    let mut body = vec![];
    // A plain route reads only its own fields, so the request form's valid fields come first
    // and the hostile one replaces its namesake.
    let key = uuid::Uuid::new_v4().to_string();
    let valid: Vec<(String, String)> = form_fields(&key, "hostile@example.com")
        .into_iter()
        .filter_map(|p| match p {
            Part::Text(n, v) => Some((n.to_string(), v.to_string())),
            Part::File(..) => None,
        })
        .collect();
    let (t, bad) = target;
    if t == "*" {
        // Every name the app uses, all carrying the bad value at once.
        for (n, _) in &ep.args {
            body.extend_from_slice(
                format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{n}\"\r\n\r\n")
                    .as_bytes(),
            );
            if let Bad::Text(v) = bad {
                body.extend_from_slice(v.as_bytes());
            } else if let Bad::Raw(v) = bad {
                body.extend_from_slice(v);
            }
            body.extend_from_slice(b"\r\n");
        }
        body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
        return body;
    }
    for (n, v) in valid.iter().filter(|(n, _)| n != t) {
        let v = if n == "reference" { reference } else { v };
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{n}\"\r\n\r\n{v}\r\n")
                .as_bytes(),
        );
    }
    let value: Option<Vec<u8>> = match bad {
        Bad::Text(s) => Some(s.as_bytes().to_vec()),
        Bad::Raw(b) => Some(b.clone()),
        Bad::Nested => Some(b"[object Object]".to_vec()),
        Bad::Missing => None,
    };
    if let Some(v) = value {
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{t}\"\r\n\r\n")
                .as_bytes(),
        );
        body.extend_from_slice(&v);
        body.extend_from_slice(b"\r\n");
        // The same value as a file name, where names are taken from the browser.
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"")
                .as_bytes(),
        );
        body.extend_from_slice(&v[..v.len().min(300)]);
        body.extend_from_slice(b"\"\r\nContent-Type: image/jpeg\r\n\r\nnot really a jpeg\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    body
}

// ---------------------------------------------------------------------------------------
// Watching: the log, and every table's row count.

#[derive(Clone, Default)]
struct Log(Arc<Mutex<Vec<u8>>>);

impl Write for Log {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn log() -> &'static Log {
    static LOG: OnceLock<Log> = OnceLock::new();
    LOG.get_or_init(|| {
        let log = Log::default();
        let writer = log.clone();
        let _ = tracing_subscriber::fmt()
            .with_max_level(tracing::Level::WARN)
            .with_ansi(false)
            .with_writer(move || writer.clone())
            .try_init();
        log
    })
}

fn take_log() -> String {
    let mut buf = log().0.lock().unwrap();
    let text = String::from_utf8_lossy(&buf).into_owned();
    buf.clear();
    text
}

async fn row_counts(pool: &PgPool) -> BTreeMap<String, i64> {
    let tables: Vec<String> = sqlx::query(
        "SELECT table_name::text FROM information_schema.tables
         WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name NOT LIKE '\\_sqlx%'",
    )
    .fetch_all(pool)
    .await
    .unwrap()
    .into_iter()
    .map(|r| r.get(0))
    .collect();
    assert!(!tables.is_empty());
    let sql = tables
        .iter()
        .map(|t| format!("SELECT '{t}', count(*) FROM \"{t}\""))
        .collect::<Vec<_>>()
        .join(" UNION ALL ");
    sqlx::query(&sql)
        .fetch_all(pool)
        .await
        .unwrap()
        .into_iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect()
}

// ---------------------------------------------------------------------------------------
// The run.

struct Who {
    name: &'static str,
    cookie: Option<String>,
}

struct Run {
    pool: PgPool,
    app: TestApp,
    sent_on_app: usize,
    peer: u8,
    calls: usize,
    five_xx: Vec<String>,
    failures: Vec<String>,
    counts: BTreeMap<String, i64>,
    statuses: BTreeMap<u16, usize>,
}

impl Run {
    /// Rate limits live in the app's state; a fresh app (same database) every few calls
    /// keeps them from answering 429 before the corpus reaches the parsers.
    async fn app(&mut self) -> &TestApp {
        if self.sent_on_app >= 8 {
            self.peer = self.peer.wrapping_add(1).max(1);
            self.app = TestApp::from_peer(self.pool.clone(), [10, 9, 0, self.peer]).await;
            self.sent_on_app = 0;
        }
        self.sent_on_app += 1;
        &self.app
    }

    async fn send(
        &mut self,
        label: (&str, &str, &str),
        who: &Who,
        path: &str,
        content_type: &str,
        accept: &str,
        body: Vec<u8>,
    ) {
        let mut req = Request::builder()
            .method(Method::POST)
            .uri(path)
            .header(header::CONTENT_TYPE, content_type)
            .header(header::ACCEPT, accept);
        if let Some(c) = &who.cookie {
            req = req.header(header::COOKIE, c);
        }
        let req = req.body(Body::from(body)).unwrap();
        let res = self.app().await.send(req).await;
        self.calls += 1;
        *self.statuses.entry(res.status.as_u16()).or_default() += 1;
        let (endpoint, arg, case) = label;
        let what = format!("{} {endpoint} {arg}={case} ({accept})", who.name);
        let logged = take_log();
        if res.status.is_server_error() {
            let line = format!("{what}: {} {}", res.status, short(&res.body));
            self.five_xx.push(line.clone());
            self.failures.push(line);
        } else if logged.contains("database") || logged.contains("panicked") {
            self.failures.push(format!(
                "{what}: {} but logged {}",
                res.status,
                short(&logged)
            ));
        }
        let mut after = row_counts(&self.pool).await;
        after.retain(|t, _| !WRITTEN_BY_REFUSALS.contains(&t.as_str()));
        if res.status.is_client_error() && after != self.counts {
            let changed: Vec<_> = after
                .iter()
                .filter(|(t, n)| self.counts.get(*t) != Some(n))
                .collect();
            self.failures.push(format!(
                "{what}: refused with {} but wrote {changed:?}",
                res.status
            ));
        }
        self.counts = after;
    }
}

fn short(s: &str) -> String {
    s.chars().take(300).collect()
}

async fn customer_cookie(app: &TestApp, email: &str) -> String {
    let res = app
        .call("request_room_link", &[("contact", email)], None)
        .await;
    assert!(res.status.is_success(), "{}", res.body);
    open_latest_link(app, email)
        .await
        .1
        .expect("a room session")
}

async fn staff_session(app: &TestApp) -> String {
    let res = app
        .call(
            "staff_sign_in",
            &[
                ("email", "owner@example.com"),
                ("password", staff::PASSWORD),
            ],
            None,
        )
        .await;
    res.cookie(STAFF_COOKIE).expect("owner signed in")
}

/// Signed-out sessions (the corpus reaches `sign_out` too) are replaced before the next
/// endpoint, so every endpoint is tried by all three callers.
async fn fresh_sessions(app: &TestApp, reference: &str, who: &mut [Who]) {
    for w in who.iter_mut() {
        let Some(cookie) = w.cookie.clone() else {
            continue;
        };
        let still = match w.name {
            "staff" => {
                let r = app.call("staff_me", &[], Some(&cookie)).await;
                r.status.is_success() && r.body != "null"
            }
            _ => {
                let r = app
                    .call("room", &[("reference", reference)], Some(&cookie))
                    .await;
                r.status.is_success()
            }
        };
        if !still {
            w.cookie = Some(match w.name {
                "staff" => staff_session(app).await,
                _ => customer_cookie(app, "jo@example.com").await,
            });
        }
    }
}

#[sqlx::test]
async fn hostile_input_gets_a_4xx_and_changes_nothing(pool: PgPool) {
    log();
    let app = TestApp::new(pool.clone()).await;
    staff::owner(&app, "owner@example.com", staff::PASSWORD).await;
    let sent = submit_request(&app, "jo@example.com", vec![]).await;
    let reference = sent.reference.clone();
    let mut who = vec![
        Who {
            name: "anonymous",
            cookie: None,
        },
        Who {
            name: "customer",
            cookie: Some(open_latest_link(&app, "jo@example.com").await.1.unwrap()),
        },
        Who {
            name: "staff",
            cookie: Some(staff_session(&app).await),
        },
    ];
    let mut endpoints = server_fns();
    endpoints.extend(plain_routes());
    take_log();
    let mut counts = row_counts(&pool).await;
    counts.retain(|t, _| !WRITTEN_BY_REFUSALS.contains(&t.as_str()));
    let mut run = Run {
        pool: pool.clone(),
        app,
        sent_on_app: 0,
        peer: 1,
        calls: 0,
        five_xx: vec![],
        failures: vec![],
        counts,
        statuses: BTreeMap::new(),
    };
    let only = std::env::var("CR_HOSTILE_ONLY").ok();
    let key = uuid::Uuid::new_v4().to_string();
    let request_form: BTreeSet<String> = form_fields(&key, "x@example.com")
        .into_iter()
        .map(|p| match p {
            Part::Text(n, _) | Part::File(n, ..) => n.to_string(),
        })
        .collect();
    for ep in &endpoints {
        if only.as_deref().is_some_and(|o| !ep.path.contains(o)) {
            continue;
        }
        let path = ep.path.replace("{reference}", &reference);
        fresh_sessions(&run.app, &reference, &mut who).await;
        run.counts = row_counts(&pool).await;
        run.counts
            .retain(|t, _| !WRITTEN_BY_REFUSALS.contains(&t.as_str()));
        take_log();
        for w in &who {
            for (case, content_type, body) in body_cases() {
                run.send(
                    (&ep.path, "*", case),
                    w,
                    &path,
                    content_type,
                    "application/json",
                    body,
                )
                .await;
            }
            if !ep.multipart {
                let body = urlencoded_body(ep, None, &reference);
                let ct = "application/x-www-form-urlencoded";
                run.send(
                    (&ep.path, "*", "unknown_field"),
                    w,
                    &path,
                    ct,
                    "application/json",
                    body,
                )
                .await;
            }
            if ep.multipart {
                for (case, bad) in corpus() {
                    let body = multipart_body(ep, ("*", &bad), &reference);
                    let ct = "multipart/form-data; boundary=----crhostileboundary";
                    run.send(
                        (&ep.path, "*", case),
                        w,
                        &path,
                        ct,
                        "application/json",
                        body,
                    )
                    .await;
                }
            }
            for (arg, _) in &ep.args {
                // One field at a time on a plain route: the request form's own fields.
                if ep.multipart && !request_form.contains(arg) {
                    continue;
                }
                for (case, bad) in corpus() {
                    if ep.multipart && !compact(case) {
                        continue;
                    }
                    if ep.multipart {
                        let body = multipart_body(ep, (arg, &bad), &reference);
                        let ct = "multipart/form-data; boundary=----crhostileboundary";
                        run.send(
                            (&ep.path, arg, case),
                            w,
                            &path,
                            ct,
                            "application/json",
                            body,
                        )
                        .await;
                    } else {
                        let body = urlencoded_body(ep, Some((arg, &bad)), &reference);
                        let ct = "application/x-www-form-urlencoded";
                        // The hydrated app's call and the no-JS form post.
                        let accepts: &[&str] = if compact(case) {
                            &["application/json", "text/html"]
                        } else {
                            &["application/json"]
                        };
                        for accept in accepts {
                            run.send((&ep.path, arg, case), w, &path, ct, accept, body.clone())
                                .await;
                        }
                    }
                }
            }
        }
    }

    // Hostile path segments on every route that takes one.
    for (route, methods) in router_routes() {
        if !route.contains('{') {
            continue;
        }
        for seg in [
            "%00",
            "%ZZ",
            "%ED%A0%80",
            "%FF%FE",
            "..%2F..%2Fetc",
            "%E2%80%AE",
        ] {
            let path = route
                .split('/')
                .map(|s| if s.starts_with('{') { seg } else { s })
                .collect::<Vec<_>>()
                .join("/");
            for w in &who {
                for m in &methods {
                    let mut req = Request::builder()
                        .method(m.to_uppercase().as_str())
                        .uri(&path)
                        .header(header::ACCEPT, "text/html");
                    if let Some(c) = &w.cookie {
                        req = req.header(header::COOKIE, c);
                    }
                    let res = run.app().await.send(req.body(Body::empty()).unwrap()).await;
                    run.calls += 1;
                    if res.status.is_server_error() {
                        let line = format!("{} {m} {path}: {}", w.name, res.status);
                        run.five_xx.push(line.clone());
                        run.failures.push(line);
                    }
                }
            }
        }
    }

    let health = run.app().await.get("/healthz", None).await;
    assert_eq!(health.status, StatusCode::OK, "{}", health.body);

    let summary = format!(
        "hostile input: {} calls, {} answered 5xx",
        run.calls,
        run.five_xx.len()
    );
    println!("{summary}");
    println!("statuses: {:?}", run.statuses);
    if std::env::var_os("CR_HOSTILE_SUMMARY").is_some() {
        eprintln!("{summary}");
    }
    assert!(
        run.failures.is_empty(),
        "{summary}; {} unexpected:\n{}",
        run.failures.len(),
        run.failures.join("\n")
    );
}
