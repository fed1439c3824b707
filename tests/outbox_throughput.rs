//! Many alerts at once through a real SMTP server (aiosmtpd) with two workers on one
//! database, as two instances run: every message is handed off exactly once. `make bench`
//! runs it with `CR_BENCH_ALERTS=<n>` and reads the rate and the delay from the event (the
//! outbox row) to the hand-off that it prints.
use crate::common;

use common::{aiosmtpd::Aiosmtpd, fresh_db};
use customer_room::server::{config::Config, notify};
use sqlx::postgres::PgPoolOptions;
use std::{collections::HashMap, time::Duration};

fn transport(port: u16) -> notify::Transport {
    let mut config = Config::for_tests("postgres://unused", std::env::temp_dir());
    config.smtp_url = Some(format!("smtp://127.0.0.1:{port}?tls=none").into());
    config.mail_from = "Test Plumbing <room@example.com>".into();
    notify::Transport::from_config(&config).unwrap()
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

#[tokio::test]
async fn a_burst_of_alerts_reaches_the_mail_server_once_each() {
    let pool = fresh_db().await;
    let n: usize = std::env::var("CR_BENCH_ALERTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(200);
    let server = Aiosmtpd::start(&[]);
    for _ in 0..2 {
        let own = PgPoolOptions::new()
            .max_connections(16)
            .connect_with((*pool.connect_options()).clone())
            .await
            .unwrap();
        notify::spawn_worker(own, transport(server.port));
    }
    // The workers are listening; now the burst, in one transaction as one NOTIFY.
    tokio::time::sleep(Duration::from_millis(300)).await;
    let mut tx = pool.begin().await.unwrap();
    sqlx::query(
        "INSERT INTO outbox (id, channel, recipient, template, subject, body)
         SELECT gen_random_uuid(), 'email', 'person' || i || '@example.com', 'update_posted',
                'Update ' || i, 'Hello ' || i || E'\\nhttps://room.example/r/x'
         FROM generate_series(1, $1) AS i",
    )
    .bind(n as i32)
    .execute(&mut *tx)
    .await
    .unwrap();
    sqlx::query("SELECT pg_notify('cr_outbox', '')")
        .execute(&mut *tx)
        .await
        .unwrap();
    tx.commit().await.unwrap();

    let got = server.wait_for(n, Duration::from_secs(180)).await;
    assert_eq!(got.len(), n, "every message arrived");
    let mut per: HashMap<&str, usize> = HashMap::new();
    for m in &got {
        *per.entry(m.to[0].as_str()).or_default() += 1;
    }
    assert!(per.values().all(|c| *c == 1), "none twice");
    assert_eq!(per.len(), n);

    let created: Vec<(String, f64)> =
        sqlx::query_as("SELECT recipient, extract(epoch FROM created_at)::float8 FROM outbox")
            .fetch_all(&pool)
            .await
            .unwrap();
    let created: HashMap<String, f64> = created.into_iter().collect();
    let mut delays: Vec<f64> = got
        .iter()
        .map(|m| (m.at - created[&m.to[0]]) * 1000.0)
        .collect();
    delays.sort_by(f64::total_cmp);
    let first = got.iter().map(|m| m.at).fold(f64::MAX, f64::min);
    let last = got.iter().map(|m| m.at).fold(0.0, f64::max);
    let start = created.values().copied().fold(f64::MAX, f64::min);
    let rate = n as f64 / (last - start).max(1e-3);
    println!(
        "ALERTS n={n} rate={rate:.0} p50={:.0} p95={:.0} first={:.0}",
        percentile(&delays, 0.5),
        percentile(&delays, 0.95),
        (first - start) * 1000.0
    );
}
