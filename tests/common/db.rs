//! One fresh PostgreSQL database per test, copied from a template the migrations built once.
//!
//! Why not `#[sqlx::test]`: its master pool is a process-wide static whose connections are
//! made on one test's runtime and reused on another's; about one run in fifteen of a test
//! binary hung for good in a test's setup (no query running, every task asleep). Here every
//! connection used to make or drop a database lives and dies on a runtime of its own, on a
//! thread of its own, so nothing crosses from one test's runtime to another's. Copying a
//! template is also faster than running every migration for every test.
use sqlx::{
    migrate::Migrator,
    postgres::{PgConnectOptions, PgPoolOptions},
    ConnectOptions, Connection, Executor, PgConnection, PgPool,
};
use std::{
    cell::RefCell,
    hash::{Hash, Hasher},
    str::FromStr,
    sync::{
        atomic::{AtomicUsize, Ordering},
        OnceLock,
    },
    time::Duration,
};

static MIGRATOR: Migrator = sqlx::migrate!("./migrations");
const PREFIX: &str = "cr_t_";

/// A pool on a new database with every migration applied, dropped when the test's thread
/// ends (passed or failed). Same limits as `#[sqlx::test]` gave: at most 5 connections.
pub async fn fresh_db() -> PgPool {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let name = format!(
        "{PREFIX}{}_{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    );
    let template = template().clone();
    let created = name.clone();
    on_own_runtime(move || async move {
        let mut conn = master().await;
        // FILE_COPY copies the template's few files; the default (WAL_LOG) writes every
        // page through the WAL, about four times the time and most of PostgreSQL's CPU
        // over a run of the tests.
        conn.execute(&*format!(
            "CREATE DATABASE {created} TEMPLATE {template} STRATEGY FILE_COPY"
        ))
        .await
        .expect("create the test database");
        let _ = conn.close().await;
    });
    DROP_ON_EXIT.with(|d| d.0.borrow_mut().push(name.clone()));
    PgPoolOptions::new()
        .max_connections(5)
        .idle_timeout(Some(Duration::from_secs(1)))
        .connect_with(master_options().database(&name))
        .await
        .expect("connect to the test database")
}

fn master_options() -> PgConnectOptions {
    let url = std::env::var("DATABASE_URL").expect("DATABASE_URL (make test sets it)");
    PgConnectOptions::from_str(&url)
        .expect("DATABASE_URL parses")
        .disable_statement_logging()
}

async fn master() -> PgConnection {
    PgConnection::connect_with(&master_options())
        .await
        .expect("connect to the test cluster")
}

/// Runs `f` to completion on a current-thread runtime on a new thread, blocking this one.
fn on_own_runtime<F, Fut>(f: F)
where
    F: FnOnce() -> Fut + Send + 'static,
    Fut: std::future::Future<Output = ()>,
{
    let joined = std::thread::spawn(move || {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a runtime")
            .block_on(f())
    })
    .join();
    if let Err(panic) = joined {
        std::panic::resume_unwind(panic);
    }
}

/// The template for this set of migrations (named by their checksums, so a changed or added
/// migration makes a new one), made once per cluster under a lock; stale copies from dead
/// test processes and templates of older migrations are dropped on the way.
fn template() -> &'static String {
    static TEMPLATE: OnceLock<String> = OnceLock::new();
    TEMPLATE.get_or_init(|| {
        let mut h = std::collections::hash_map::DefaultHasher::new();
        for m in MIGRATOR.iter() {
            (m.version, &m.checksum).hash(&mut h);
        }
        let name = format!("cr_tpl_{:016x}", h.finish());
        let made = name.clone();
        on_own_runtime(move || async move {
            let mut conn = master().await;
            // Session lock: two test binaries never build (or drop) one template at once.
            conn.execute("SELECT pg_advisory_lock(7297883457632175169)")
                .await
                .expect("lock");
            let existing: Vec<String> = sqlx::query_scalar(
                "SELECT datname::text FROM pg_database WHERE datname LIKE 'cr\\_%'",
            )
            .fetch_all(&mut conn)
            .await
            .expect("list databases");
            for db in &existing {
                let stale_copy = db
                    .strip_prefix(PREFIX)
                    .and_then(|rest| rest.split('_').next())
                    .and_then(|pid| pid.parse::<u32>().ok())
                    .is_some_and(|pid| !std::path::Path::new(&format!("/proc/{pid}")).exists());
                let old_template = db.starts_with("cr_tpl_") && *db != made;
                if stale_copy || old_template {
                    let _ = conn
                        .execute(&*format!("DROP DATABASE IF EXISTS {db} WITH (FORCE)"))
                        .await;
                }
            }
            if !existing.contains(&made) {
                let building = format!("{made}_building");
                conn.execute(&*format!("DROP DATABASE IF EXISTS {building} WITH (FORCE)"))
                    .await
                    .expect("drop a half-built template");
                conn.execute(&*format!("CREATE DATABASE {building}"))
                    .await
                    .expect("create the template");
                let mut tpl = PgConnection::connect_with(&master_options().database(&building))
                    .await
                    .expect("connect to the template");
                MIGRATOR.run(&mut tpl).await.expect("migrate the template");
                tpl.close().await.expect("close the template");
                // Renamed only when complete: a run killed half-way leaves no usable template.
                conn.execute(&*format!("ALTER DATABASE {building} RENAME TO {made}"))
                    .await
                    .expect("name the template");
            }
            let _ = conn.close().await;
        });
        name
    })
}

/// This thread's test databases, dropped when the thread (one test, under libtest) ends.
struct DropOnExit(RefCell<Vec<String>>);

impl Drop for DropOnExit {
    fn drop(&mut self) {
        let names = std::mem::take(&mut *self.0.borrow_mut());
        if names.is_empty() {
            return;
        }
        on_own_runtime(move || async move {
            let mut conn = master().await;
            for name in names {
                // FORCE: the app's background tasks may still hold a connection.
                let _ = conn
                    .execute(&*format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                    .await;
            }
            let _ = conn.close().await;
        });
    }
}

thread_local! {
    static DROP_ON_EXIT: DropOnExit = const { DropOnExit(RefCell::new(Vec::new())) };
}
