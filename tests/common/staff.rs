//! Staff accounts made the way a business makes them: the owner from the command-line
//! service, everyone else invited by the owner, each choosing a password through the link.
use super::{link_token, TestApp};
use axum::http::StatusCode;
use customer_room::{
    model::staff::{StaffRole, StaffUser},
    server::{
        db,
        staff::{accounts, invites},
    },
};

pub const PASSWORD: &str = "correct horse battery";

/// Sets a password through a set-password link (the real page's server function).
pub async fn set_password(app: &TestApp, link: &str, password: &str) {
    let res = app
        .call(
            "staff_reset_complete",
            &[
                ("token", &link_token(link)),
                ("password", password),
                ("confirm", password),
            ],
            None,
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
}

pub async fn user(app: &TestApp, email: &str) -> StaffUser {
    db::staff::active_by_email(&app.state.pool, email)
        .await
        .unwrap()
        .expect("an active account")
}

/// The first owner, as `customer-room staff add --owner` makes it.
pub async fn owner(app: &TestApp, email: &str, password: &str) -> StaffUser {
    let link = accounts::add_owner(&app.state.pool, &app.state.config, email, "Olivia")
        .await
        .unwrap();
    set_password(app, &link, password).await;
    user(app, email).await
}

/// Someone the owner invited, who followed the emailed link and chose a password.
pub async fn invited(
    app: &TestApp,
    by: &StaffUser,
    email: &str,
    name: &str,
    role: StaffRole,
    password: &str,
) -> StaffUser {
    let (email_v, name_v) = (
        accounts::parse_email(email).unwrap(),
        accounts::parse_name(name, &accounts::parse_email(email).unwrap()).unwrap(),
    );
    invites::invite(
        &app.state.pool,
        &app.state.config,
        by,
        &email_v,
        &name_v,
        role,
    )
    .await
    .unwrap();
    let mail = app.outbox_for(email).await;
    set_password(app, &mail.first().expect("an invite email").2, password).await;
    user(app, email).await
}

pub async fn sign_in(app: &TestApp, email: &str, password: &str) -> super::TestResponse {
    app.call(
        "staff_sign_in",
        &[("email", email), ("password", password)],
        None,
    )
    .await
}

/// Signs in and returns the session cookie.
pub async fn cookie(app: &TestApp, email: &str, password: &str) -> String {
    let res = sign_in(app, email, password).await;
    res.cookie("cr_staff")
        .unwrap_or_else(|| panic!("{email} signed in: {}", res.body))
}

/// An owner, an office person and a technician, signed in: (role, cookie) each.
pub async fn team(app: &TestApp) -> Vec<(StaffRole, String)> {
    let o = owner(app, "owner@example.com", PASSWORD).await;
    invited(
        app,
        &o,
        "office@example.com",
        "Sam",
        StaffRole::Office,
        PASSWORD,
    )
    .await;
    invited(
        app,
        &o,
        "tech@example.com",
        "Jake",
        StaffRole::Technician,
        PASSWORD,
    )
    .await;
    let mut out = Vec::new();
    for (role, email) in [
        (StaffRole::Owner, "owner@example.com"),
        (StaffRole::Office, "office@example.com"),
        (StaffRole::Technician, "tech@example.com"),
    ] {
        out.push((role, cookie(app, email, PASSWORD).await));
    }
    out
}
