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
use crate::common;
mod corpus;
mod endpoints;
mod run;

use axum::{
    body::Body,
    http::{header, Method, Request, StatusCode},
};
use common::*;
use corpus::*;
use endpoints::*;
use run::*;
use sqlx::{PgPool, Row};
use std::{
    collections::{BTreeMap, BTreeSet},
    io::Write,
    path::Path,
    sync::{Arc, Mutex},
};

/// Tables a refusal is meant to write: failed attempts are counted (`auth_throttle`), and a
/// refused request form keeps what was typed (`intake_drafts`, issue 18 point 3).
const WRITTEN_BY_REFUSALS: &[&str] = &["auth_throttle", "intake_drafts"];

/// The endpoints are dealt into parts of about the same number of calls (see [`deal`]), each
/// its own test with its own database, so they run side by side (the corpus is about two
/// minutes of calls on one core); .config/nextest.toml starts them first.
const PARTS: usize = 6;

#[tokio::test]
async fn hostile_input_gets_a_4xx_and_changes_nothing_part_1() {
    hostile_input(fresh_db().await, 0).await;
}

#[tokio::test]
async fn hostile_input_gets_a_4xx_and_changes_nothing_part_2() {
    hostile_input(fresh_db().await, 1).await;
}

#[tokio::test]
async fn hostile_input_gets_a_4xx_and_changes_nothing_part_3() {
    hostile_input(fresh_db().await, 2).await;
}

#[tokio::test]
async fn hostile_input_gets_a_4xx_and_changes_nothing_part_4() {
    hostile_input(fresh_db().await, 3).await;
}

#[tokio::test]
async fn hostile_input_gets_a_4xx_and_changes_nothing_part_5() {
    hostile_input(fresh_db().await, 4).await;
}

#[tokio::test]
async fn hostile_input_gets_a_4xx_and_changes_nothing_part_6() {
    hostile_input(fresh_db().await, 5).await;
}

async fn hostile_input(pool: PgPool, part: usize) {
    // The watch on the log must see this test's lines, or "nothing was logged" means nothing.
    log();
    tracing::warn!("hostile: log capture check");
    assert!(
        take_log().contains("log capture check"),
        "the log is not captured"
    );
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
    for ep in &deal(endpoints, part, &request_form) {
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
                    let body = hostile_multipart_body(ep, ("*", &bad), &reference);
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
                        let body = hostile_multipart_body(ep, (arg, &bad), &reference);
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
    for (route, methods) in router_routes().into_iter().skip(part).step_by(PARTS) {
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
        "hostile input, part {} of {PARTS}: {} calls, {} answered 5xx",
        part + 1,
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

/// How many calls the loop in [`hostile_input`] makes to an endpoint, for each caller.
fn calls_per_caller(ep: &Endpoint, request_form: &BTreeSet<String>) -> usize {
    let cases = corpus();
    let compact_cases = cases.iter().filter(|(case, _)| compact(case)).count();
    let whole = body_cases().len() + if ep.multipart { cases.len() } else { 1 };
    let per_arg = |arg: &String| match (ep.multipart, request_form.contains(arg)) {
        (true, true) => compact_cases,
        (true, false) => 0,
        // Every case as the app's call, the compact ones also as a no-JS form post.
        (false, _) => cases.len() + compact_cases,
    };
    whole + ep.args.iter().map(|(arg, _)| per_arg(arg)).sum::<usize>()
}

/// This part's endpoints: the largest first, each to the part with the fewest calls so far.
fn deal(endpoints: Vec<Endpoint>, part: usize, request_form: &BTreeSet<String>) -> Vec<Endpoint> {
    let mut sized: Vec<(usize, Endpoint)> = endpoints
        .into_iter()
        .map(|ep| (calls_per_caller(&ep, request_form), ep))
        .collect();
    sized.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.path.cmp(&b.1.path)));
    let mut totals = [0usize; PARTS];
    let mut mine = Vec::new();
    for (calls, ep) in sized {
        let smallest = (0..PARTS).min_by_key(|&p| (totals[p], p)).unwrap_or(0);
        totals[smallest] += calls;
        if smallest == part {
            mine.push(ep);
        }
    }
    mine
}
