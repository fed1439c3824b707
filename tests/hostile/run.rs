//! Watching (the log, row counts) and the run that sends each call.
use super::*;

// ---------------------------------------------------------------------------------------
// Watching: the log, and every table's row count.

#[derive(Clone, Default)]
pub(crate) struct Log(Arc<Mutex<Vec<u8>>>);

impl Write for Log {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// This test's log: each test captures on its own thread (tokio::test runs each on its own
/// current-thread runtime, the app's tasks included), so the parts can run side by side
/// without reading each other's lines.
pub(crate) fn log() -> Log {
    thread_local! {
        static LOG: (Log, tracing::subscriber::DefaultGuard) = {
            let log = Log::default();
            let writer = log.clone();
            let subscriber = tracing_subscriber::fmt()
                .with_max_level(tracing::Level::WARN)
                .with_ansi(false)
                .with_writer(move || writer.clone())
                .finish();
            (log, tracing::subscriber::set_default(subscriber))
        };
    }
    LOG.with(|(log, _)| log.clone())
}

pub(crate) fn take_log() -> String {
    let log = log();
    let mut buf = log.0.lock().unwrap();
    let text = String::from_utf8_lossy(&buf).into_owned();
    buf.clear();
    text
}

pub(crate) async fn row_counts(pool: &PgPool) -> BTreeMap<String, i64> {
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

pub(crate) struct Who {
    pub(crate) name: &'static str,
    pub(crate) cookie: Option<String>,
}

pub(crate) struct Run {
    pub(crate) pool: PgPool,
    pub(crate) app: TestApp,
    pub(crate) sent_on_app: usize,
    pub(crate) peer: u8,
    pub(crate) calls: usize,
    pub(crate) five_xx: Vec<String>,
    pub(crate) failures: Vec<String>,
    pub(crate) counts: BTreeMap<String, i64>,
    pub(crate) statuses: BTreeMap<u16, usize>,
}

impl Run {
    /// Rate limits live in the app's state; a fresh app (same database) every few calls
    /// keeps them from answering 429 before the corpus reaches the parsers.
    pub(crate) async fn app(&mut self) -> &TestApp {
        if self.sent_on_app >= 8 {
            self.peer = self.peer.wrapping_add(1).max(1);
            self.app = TestApp::from_peer(self.pool.clone(), [10, 9, 0, self.peer]).await;
            self.sent_on_app = 0;
        }
        self.sent_on_app += 1;
        &self.app
    }

    pub(crate) async fn send(
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

pub(crate) fn short(s: &str) -> String {
    s.chars().take(300).collect()
}

pub(crate) async fn customer_cookie(app: &TestApp, email: &str) -> String {
    let res = app
        .call("request_room_link", &[("contact", email)], None)
        .await;
    assert!(res.status.is_success(), "{}", res.body);
    open_latest_link(app, email)
        .await
        .1
        .expect("a room session")
}

pub(crate) async fn staff_session(app: &TestApp) -> String {
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
pub(crate) async fn fresh_sessions(app: &TestApp, reference: &str, who: &mut [Who]) {
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
