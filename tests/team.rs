//! Staff accounts: the first owner (command line or setup page), invites, roles,
//! deactivation, the last owner, and the opt-in demo data.
use crate::common;

use axum::http::StatusCode;
use common::{
    staff::{cookie, owner, sign_in, user, PASSWORD},
    *,
};
use customer_room::server::{
    seed::{self, Seeded, DEMO_OWNER},
    staff::accounts::LAST_OWNER,
};
use sqlx::PgPool;

fn db_url(pool: &PgPool) -> String {
    let o = pool.connect_options();
    let mut url = format!(
        "postgres://{}@{}:{}/{}",
        o.get_username(),
        o.get_host(),
        o.get_port(),
        o.get_database().expect("a database name")
    );
    if let Some(socket) = o.get_socket() {
        url.push_str(&format!("?host={}", socket.display()));
    }
    url
}

fn cli(pool: &PgPool, args: &[&str]) -> (i32, String, String) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_customer-room"))
        .args(args)
        .env("DATABASE_URL", db_url(pool))
        .env("CR_PUBLIC_URL", "https://room.example.com")
        .output()
        .expect("the binary runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[tokio::test]
async fn the_command_line_creates_the_owner_once_with_a_one_time_link() {
    let pool = fresh_db().await;
    let app = TestApp::new(pool.clone()).await;
    assert_eq!(app.count("SELECT count(*) FROM staff").await, 0);
    let (code, out, err) = cli(&pool, &["staff", "add", "--owner", "Boss@Example.com"]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(
        out.contains("https://room.example.com/staff/reset/"),
        "{out}"
    );
    // Only the hash of the link's token is stored.
    let token = link_token(&out);
    let stored = app
        .count(&format!(
            "SELECT count(*) FROM access_tokens WHERE token_hash::text LIKE '%{token}%'"
        ))
        .await;
    assert_eq!(stored, 0);
    // No password yet: nobody can sign in until the link is used.
    assert!(sign_in(&app, "boss@example.com", "")
        .await
        .error_text()
        .contains("Please enter"));
    common::staff::set_password(&app, &out, PASSWORD).await;
    let c = cookie(&app, "boss@example.com", PASSWORD).await;
    assert_eq!(
        app.get("/staff/team", Some(&c)).await.status,
        StatusCode::OK
    );

    let (code, _, err) = cli(&pool, &["staff", "add", "--owner", "other@example.com"]);
    assert_eq!(code, 1);
    assert!(
        err.contains("already has an owner (boss@example.com)"),
        "{err}"
    );
    assert_eq!(app.count("SELECT count(*) FROM staff").await, 1);
    // A used link is spent; `reset-link` prints a fresh one.
    let (code, again, _) = cli(&pool, &["staff", "reset-link", "boss@example.com"]);
    assert_eq!(code, 0);
    assert_ne!(link_token(&again), token);
    let (code, _, err) = cli(&pool, &["staff", "frobnicate"]);
    assert_eq!(code, 2);
    assert!(err.contains("Usage"));
}

#[tokio::test]
async fn the_setup_page_works_only_while_there_are_no_staff() {
    let pool = fresh_db().await;
    let app = TestApp::new(pool).await;
    let page = app.get("/staff/setup", None).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Create the owner"));
    let form = [
        ("email", "owner@example.com"),
        ("name", "Olivia"),
        ("password", PASSWORD),
        ("confirm", PASSWORD),
    ];
    let done = app.call("staff_setup", &form, None).await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    let c = done.cookie("cr_staff").expect("signed in as the owner");
    let team = app.get("/staff/team", Some(&c)).await;
    assert!(team.body.contains("owner@example.com") && team.body.contains("Invite someone"));

    let closed = app.get("/staff/setup", None).await;
    assert_eq!(closed.status, StatusCode::NOT_FOUND);
    assert!(closed.body.contains("Setup is already done"));
    let again = app
        .call(
            "staff_setup",
            &[
                ("email", "evil@example.com"),
                ("name", "E"),
                ("password", PASSWORD),
                ("confirm", PASSWORD),
            ],
            None,
        )
        .await;
    assert_eq!(again.status, StatusCode::NOT_FOUND);
    assert_eq!(app.count("SELECT count(*) FROM staff").await, 1);
}

async fn invite(app: &TestApp, owner: &str, email: &str, role: &str) -> TestResponse {
    app.call(
        "staff_team_invite",
        &[("email", email), ("name", "Sam"), ("role", role)],
        Some(owner),
    )
    .await
}

#[tokio::test]
async fn the_owner_invites_changes_roles_and_deactivates() {
    let pool = fresh_db().await;
    let app = TestApp::new(pool).await;
    owner(&app, "owner@example.com", PASSWORD).await;
    let boss = cookie(&app, "owner@example.com", PASSWORD).await;
    let sent = invite(&app, &boss, "sam@example.com", "office").await;
    assert_eq!(sent.status, StatusCode::OK, "{}", sent.body);
    assert!(sent.body.contains("Invite sent to sam@example.com"));
    let retried = invite(&app, &boss, "sam@example.com", "office").await;
    assert!(retried.body.contains("just sent"), "{}", retried.body);
    let mail = app.outbox_for("sam@example.com").await;
    assert_eq!(mail.len(), 1, "a retried invite sends one email");
    assert!(app
        .get("/staff/team", Some(&boss))
        .await
        .body
        .contains("Invited"));
    // Invited, no password yet: the same answer as a wrong password.
    let early = sign_in(&app, "sam@example.com", PASSWORD).await;
    assert_eq!(early.status, StatusCode::UNAUTHORIZED, "{}", early.body);
    assert!(early.error_text().contains("don't match"));

    common::staff::set_password(&app, &mail[0].2, PASSWORD).await;
    let sam = cookie(&app, "sam@example.com", PASSWORD).await;
    assert_eq!(app.get("/staff", Some(&sam)).await.status, StatusCode::OK);
    let team = app.get("/staff/team", Some(&sam)).await;
    assert_denied(
        &team,
        StatusCode::FORBIDDEN,
        &["owner@example.com", "Olivia"],
        "the team page",
    );
    let team_data = app.call("staff_team", &[], Some(&sam)).await;
    assert_denied(
        &team_data,
        StatusCode::FORBIDDEN,
        &["owner@example.com", "Olivia"],
        "the team list",
    );
    assert_eq!(
        invite(&app, &sam, "x@example.com", "owner").await.status,
        StatusCode::FORBIDDEN
    );
    assert!(app.outbox_for("x@example.com").await.is_empty());

    let sam_id = user(&app, "sam@example.com").await.id.to_string();
    let r = app
        .call(
            "staff_team_role",
            &[("id", &sam_id), ("role", "technician")],
            Some(&boss),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let sent = submit_request(&app, "jo@example.com", vec![]).await;
    let status = app
        .call(
            "staff_status",
            &[("reference", &sent.reference), ("status", "done")],
            Some(&sam),
        )
        .await;
    assert_eq!(
        status.status,
        StatusCode::FORBIDDEN,
        "the new role applies at once"
    );

    let off = app
        .call(
            "staff_team_active",
            &[("id", &sam_id), ("active", "false")],
            Some(&boss),
        )
        .await;
    assert_eq!(off.status, StatusCode::OK, "{}", off.body);
    assert_eq!(
        app.get("/staff", Some(&sam)).await.status,
        StatusCode::SEE_OTHER,
        "session ended"
    );
    assert_eq!(app.count("SELECT count(*) FROM sessions WHERE staff_id IS NOT NULL AND staff_id <> (SELECT id FROM staff WHERE email = 'owner@example.com')").await, 0);
    let wrong = sign_in(&app, "sam@example.com", "not the password").await;
    let right = sign_in(&app, "sam@example.com", PASSWORD).await;
    assert_eq!(
        right.body, wrong.body,
        "a deactivated account looks like a wrong password"
    );
    assert!(right.cookie("cr_staff").is_none());
    assert!(app
        .get("/staff/team", Some(&boss))
        .await
        .body
        .contains("Deactivated"));

    let on = app
        .call(
            "staff_team_active",
            &[("id", &sam_id), ("active", "true")],
            Some(&boss),
        )
        .await;
    assert_eq!(on.status, StatusCode::OK);
    cookie(&app, "sam@example.com", PASSWORD).await;
}

#[tokio::test]
async fn the_business_always_keeps_an_owner() {
    let pool = fresh_db().await;
    let app = TestApp::new(pool).await;
    let me = owner(&app, "owner@example.com", PASSWORD).await;
    let boss = cookie(&app, "owner@example.com", PASSWORD).await;
    let id = me.id.to_string();
    let demote = app
        .call(
            "staff_team_role",
            &[("id", &id), ("role", "office")],
            Some(&boss),
        )
        .await;
    assert_eq!(demote.error_text(), LAST_OWNER);
    let leave = app
        .call(
            "staff_team_active",
            &[("id", &id), ("active", "false")],
            Some(&boss),
        )
        .await;
    assert_eq!(leave.error_text(), LAST_OWNER);
    assert_eq!(
        app.get("/staff/team", Some(&boss)).await.status,
        StatusCode::OK
    );
    // An invited owner who hasn't set a password doesn't count yet.
    invite(&app, &boss, "second@example.com", "owner").await;
    let still = app
        .call(
            "staff_team_role",
            &[("id", &id), ("role", "office")],
            Some(&boss),
        )
        .await;
    assert_eq!(still.error_text(), LAST_OWNER);
    let mail = app.outbox_for("second@example.com").await;
    common::staff::set_password(&app, &mail[0].2, PASSWORD).await;
    let now = app
        .call(
            "staff_team_role",
            &[("id", &id), ("role", "office")],
            Some(&boss),
        )
        .await;
    assert_eq!(now.status, StatusCode::OK, "{}", now.body);
    assert_eq!(
        app.get("/staff/team", Some(&boss)).await.status,
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn demo_data_is_created_once_with_a_random_password_that_is_never_reset() {
    let pool = fresh_db().await;
    let app = TestApp::new(pool).await;
    let Seeded::Created { password } = seed::seed_demo_with(&app.state, None).await.unwrap() else {
        panic!("first seed creates the demo staff");
    };
    assert!(password.len() >= 16);
    assert!(!include_str!("../src/server/seed.rs").contains(&password));
    cookie(&app, DEMO_OWNER, &password).await;
    // The person changes the demo password; a restart keeps it.
    let link = customer_room::server::staff::accounts::reset_link(
        &app.state.pool,
        &app.state.config,
        DEMO_OWNER,
    )
    .await
    .unwrap();
    common::staff::set_password(&app, &link, "my own password 1").await;
    assert_eq!(
        seed::seed_demo_with(&app.state, None).await.unwrap(),
        Seeded::AlreadyThere
    );
    assert_eq!(
        seed::seed_demo_with(&app.state, Some("given-pass-123".into()))
            .await
            .unwrap(),
        Seeded::AlreadyThere
    );
    cookie(&app, DEMO_OWNER, "my own password 1").await;
    assert!(sign_in(&app, DEMO_OWNER, &password)
        .await
        .cookie("cr_staff")
        .is_none());
    assert_eq!(
        app.count("SELECT count(*) FROM requests WHERE reference LIKE 'CR-DEM%'")
            .await,
        4
    );
    // The demo technician's visit is booked once, however often the demo is seeded.
    assert_eq!(app.count("SELECT count(*) FROM jobs").await, 1);
}

#[tokio::test]
async fn demo_data_is_refused_on_a_database_with_real_staff() {
    let pool = fresh_db().await;
    let app = TestApp::new(pool).await;
    owner(&app, "owner@example.com", PASSWORD).await;
    let seeded = seed::seed_demo_with(&app.state, Some("given-pass-123".into())).await;
    assert_eq!(seeded.unwrap(), Seeded::Refused);
    assert_eq!(app.count("SELECT count(*) FROM staff").await, 1);
    assert_eq!(app.count("SELECT count(*) FROM requests").await, 0);
}

#[tokio::test]
async fn a_demo_password_given_for_the_e2e_tests_is_used() {
    let pool = fresh_db().await;
    let app = TestApp::new(pool).await;
    let seeded = seed::seed_demo_with(&app.state, Some("given-pass-123".into())).await;
    assert_eq!(
        seeded.unwrap(),
        Seeded::Created {
            password: "given-pass-123".into()
        }
    );
    cookie(&app, "tech@demo.customerroom.test", "given-pass-123").await;
}
