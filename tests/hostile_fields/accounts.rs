//! Sign-in, reset, link requests, invites and first-run setup.
use super::*;

#[tokio::test]
async fn sign_in_reset_and_link_requests_refuse_hostile_text() {
    let pool = fresh_db().await;
    let app = TestApp::new(pool).await;
    customer(&app).await;
    staff_cookie(&app).await;

    let sign_in = [
        ("email", "office@example.com"),
        ("password", "correct horse battery"),
    ];
    all_refused(
        &app,
        "staff_sign_in",
        &sign_in,
        "email",
        None,
        Field::StaffEmail,
        true,
    )
    .await;
    let reset = [("email", "office@example.com")];
    all_refused(
        &app,
        "staff_reset_request",
        &reset,
        "email",
        None,
        Field::StaffEmail,
        true,
    )
    .await;

    let link = [("contact", "jo@example.com")];
    all_refused(
        &app,
        "request_room_link",
        &link,
        "contact",
        None,
        Field::Contact,
        false,
    )
    .await;
    refused(
        &app,
        "request_room_link",
        &link,
        "contact",
        "jo\u{202E}@example.com",
        None,
        Field::Contact,
        Reason::HiddenCharacter,
    )
    .await;
    // Without an @ it is read as a phone number, with the same refusal of control characters.
    refused(
        &app,
        "request_room_link",
        &link,
        "contact",
        "0412\x00345678",
        None,
        Field::Contact,
        Reason::ControlCharacter,
    )
    .await;
}

#[tokio::test]
async fn team_invites_refuse_hostile_text() {
    let pool = fresh_db().await;
    let app = TestApp::new(pool).await;
    let team = common::staff::team(&app).await;
    let owner = team[0].1.clone();
    let o = Some(owner.as_str());
    let invite = [
        ("email", "new.person@example.com"),
        ("name", "New Person"),
        ("role", "office"),
    ];
    all_refused(
        &app,
        "staff_team_invite",
        &invite,
        "email",
        o,
        Field::StaffEmail,
        true,
    )
    .await;
    all_refused(
        &app,
        "staff_team_invite",
        &invite,
        "name",
        o,
        Field::StaffName,
        true,
    )
    .await;
}

#[tokio::test]
async fn first_run_setup_refuses_hostile_text() {
    let pool = fresh_db().await;
    let app = TestApp::new(pool).await;
    let setup = [
        ("email", "owner@example.com"),
        ("name", "Olivia"),
        ("password", "correct horse battery"),
        ("confirm", "correct horse battery"),
    ];
    all_refused(
        &app,
        "staff_setup",
        &setup,
        "email",
        None,
        Field::StaffEmail,
        true,
    )
    .await;
    all_refused(
        &app,
        "staff_setup",
        &setup,
        "name",
        None,
        Field::StaffName,
        true,
    )
    .await;
}
