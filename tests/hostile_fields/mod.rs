//! Hostile text in every typed field: a NUL byte, a direction override (in names, e-mails
//! and keys), and a 200 KB value are each answered 422 with the catalogue's sentence for that
//! field, and nothing in the database changes.
mod accounts;
use crate::common;
mod staff_page;

use axum::http::StatusCode;
use common::*;
use customer_room::model::{
    field::{message, Field, FieldError, Reason},
    AppError,
};

const NUL: &str = "before\0after";
const RLO: &str = "abc\u{202E}def";

fn huge() -> String {
    "a".repeat(200 * 1024)
}

/// Every row a refused call could have written or changed, as one fingerprint. Sessions
/// are left out: reading a session touches its last-used time.
async fn fingerprint(app: &TestApp) -> String {
    let tables = [
        "access_tokens",
        "attachments",
        "auth_throttle",
        "customers",
        "intake_drafts",
        "messages",
        "outbox",
        "quotes",
        "request_events",
        "requests",
        "staff",
    ];
    let mut out = String::new();
    for t in tables {
        let sql = format!(
            "SELECT count(*)::text || ':' || coalesce(md5(string_agg(x::text, ',' ORDER BY x::text)), '') FROM {t} x"
        );
        let row: String = sqlx::query_scalar(&sql)
            .fetch_one(&app.state.pool)
            .await
            .unwrap();
        out.push_str(&format!("{t}={row}\n"));
    }
    out
}

/// Sends `form` with `name` set to `value` and checks the exact refusal.
#[allow(clippy::too_many_arguments)]
async fn refused(
    app: &TestApp,
    endpoint: &str,
    form: &[(&str, &str)],
    name: &str,
    value: &str,
    cookie: Option<&str>,
    field: Field,
    reason: Reason,
) {
    let before = fingerprint(app).await;
    let mut sent: Vec<(&str, &str)> = form.iter().filter(|(k, _)| *k != name).copied().collect();
    sent.push((name, value));
    let res = app.call(endpoint, &sent, cookie).await;
    let what = format!(
        "{endpoint}.{name} = {:?}",
        value.chars().take(20).collect::<String>()
    );
    assert_eq!(
        res.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{what}: {}",
        res.body.chars().take(300).collect::<String>()
    );
    let err: AppError = serde_json::from_str(&res.body).unwrap_or_else(|e| panic!("{what}: {e}"));
    assert_eq!(
        err,
        AppError::Field(FieldError::new(field, reason)),
        "{what}"
    );
    assert_eq!(res.error_text(), message(field, reason), "{what}");
    assert_eq!(fingerprint(app).await, before, "{what}: nothing is written");
}

fn too_long(field: Field) -> Reason {
    Reason::TooLong {
        max: field.max_chars(),
        actual: 200 * 1024,
    }
}

/// NUL and 200 KB for a multi-line field; NUL, an override and 200 KB for one-line ones.
#[allow(clippy::too_many_arguments)]
async fn all_refused(
    app: &TestApp,
    endpoint: &str,
    form: &[(&str, &str)],
    name: &str,
    cookie: Option<&str>,
    field: Field,
    identifier: bool,
) {
    let big = huge();
    refused(
        app,
        endpoint,
        form,
        name,
        NUL,
        cookie,
        field,
        Reason::ControlCharacter,
    )
    .await;
    if identifier {
        refused(
            app,
            endpoint,
            form,
            name,
            RLO,
            cookie,
            field,
            Reason::HiddenCharacter,
        )
        .await;
    }
    refused(
        app,
        endpoint,
        form,
        name,
        &big,
        cookie,
        field,
        too_long(field),
    )
    .await;
}

async fn customer(app: &TestApp) -> (String, String) {
    let sent = submit_request(app, "jo@example.com", vec![]).await;
    let (_, cookie) = open_latest_link(app, "jo@example.com").await;
    (sent.reference, cookie.unwrap())
}

#[test]
fn the_sentences_say_the_field_and_the_limit() {
    assert_eq!(
        message(Field::Message, Reason::ControlCharacter),
        "Your message contains a hidden control character we can't store. Please retype it (copying from another app can add these)."
    );
    assert_eq!(
        message(Field::HelpNote, too_long(Field::HelpNote)),
        "Your note is too long — please keep it under 1000 characters (it has 204800)."
    );
    assert_eq!(
        message(Field::StaffEmail, Reason::HiddenCharacter),
        "The email address contains an invisible or direction-changing character. Please retype it."
    );
}

#[tokio::test]
async fn customer_room_fields_refuse_hostile_text() {
    let pool = fresh_db().await;
    let app = TestApp::new(pool).await;
    let (reference, cookie) = customer(&app).await;
    let c = Some(cookie.as_str());
    let r = reference.as_str();

    let msg = [
        ("reference", r),
        ("body", "hi"),
        ("topic", "general"),
        ("client_key", "k1"),
    ];
    all_refused(&app, "room_message", &msg, "body", c, Field::Message, false).await;
    all_refused(
        &app,
        "room_message",
        &msg,
        "client_key",
        c,
        Field::ClientKey,
        true,
    )
    .await;

    let help = [
        ("reference", r),
        ("callback_window", "any"),
        ("note", "please"),
        ("client_key", "h1"),
    ];
    all_refused(&app, "room_help", &help, "note", c, Field::HelpNote, false).await;
    all_refused(
        &app,
        "room_help",
        &help,
        "client_key",
        c,
        Field::ClientKey,
        true,
    )
    .await;
    refused(
        &app,
        "room_help",
        &help,
        "callback_window",
        NUL,
        c,
        Field::TimeWindow,
        Reason::ControlCharacter,
    )
    .await;
    refused(
        &app,
        "room_help",
        &help,
        "callback_window",
        "midnight",
        c,
        Field::TimeWindow,
        Reason::NotAChoice,
    )
    .await;

    let quote = uuid::Uuid::new_v4().to_string();
    let approve = [
        ("reference", r),
        ("quote_id", quote.as_str()),
        ("typed_name", "Jo"),
    ];
    all_refused(
        &app,
        "quote_approve",
        &approve,
        "typed_name",
        c,
        Field::SignatureName,
        true,
    )
    .await;
    let decline = [
        ("reference", r),
        ("quote_id", quote.as_str()),
        ("reason", "no"),
    ];
    all_refused(
        &app,
        "quote_decline",
        &decline,
        "reason",
        c,
        Field::QuoteReason,
        false,
    )
    .await;

    let caption = [
        ("reference", r),
        ("attachment_id", quote.as_str()),
        ("caption", "sink"),
    ];
    refused(
        &app,
        "photo_caption",
        &caption,
        "caption",
        NUL,
        c,
        Field::Caption,
        Reason::ControlCharacter,
    )
    .await;
    refused(
        &app,
        "photo_caption",
        &caption,
        "caption",
        &huge(),
        c,
        Field::Caption,
        too_long(Field::Caption),
    )
    .await;
}

#[tokio::test]
async fn a_bad_reference_is_not_found_and_writes_nothing() {
    let pool = fresh_db().await;
    let app = TestApp::new(pool).await;
    let (_, cookie) = customer(&app).await;
    let before = fingerprint(&app).await;
    for bad in [NUL, RLO, &huge()] {
        let res = app
            .call(
                "room_message",
                &[
                    ("reference", bad),
                    ("body", "hi"),
                    ("topic", "general"),
                    ("client_key", ""),
                ],
                Some(&cookie),
            )
            .await;
        assert_eq!(res.status, StatusCode::NOT_FOUND, "{}", res.body);
    }
    assert_eq!(fingerprint(&app).await, before);
}
