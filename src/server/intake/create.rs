//! A checked form becoming a request: the customer, a fresh reference, the "received"
//! event, the welcome email and SMS with their room links, and the sending browser's
//! one-request session — all in one transaction.
use super::{normalise_phone, repeat, FormBrowser, IntakeOutcome};
use crate::{
    model::{
        intake::{validate, FieldErrors, IntakeFields, ValidIntake},
        reference::Reference,
        template::AlertKind,
        values::MessageText,
        AppError,
    },
    server::{
        auth::{session, tokens},
        db::{self, access::SessionOwner, requests::NewRequest},
        error::ServerResult,
        live,
        notify::{alerts, staff_alerts},
        state::AppState,
    },
};
use sqlx::PgConnection;
use uuid::Uuid;

/// `file_errors` are messages for files already rejected while reading the upload. The
/// caller has checked [`repeat`] first (before storing any file); a race is settled here.
pub(super) async fn submit(
    state: &AppState,
    key: Uuid,
    browser: &FormBrowser,
    fields: IntakeFields,
    file_errors: Vec<String>,
) -> ServerResult<IntakeOutcome> {
    let draft = browser.draft_id(key);
    let today = chrono::Utc::now().date_naive();
    let (errors, phone) = check(state, &fields, file_errors, today);
    let valid = match validate(&fields, &state.config.service_types, today) {
        Ok(v) if errors.is_empty() => v,
        _ => {
            db::drafts::save(&state.pool, draft, &fields, &errors).await?;
            let kept = db::attachments::for_draft(&state.pool, draft).await?;
            return Ok(IntakeOutcome::Invalid { errors, kept });
        }
    };
    let mut tx = state.pool.begin().await?;
    let reference = unused_reference(&mut tx).await?;
    let Some(request_id) = insert(&mut tx, key, &reference, &valid, phone.as_deref()).await? else {
        // Two copies of one submit raced; the other one won.
        drop(tx);
        return repeat(state, key, browser)
            .await?
            .ok_or_else(|| AppError::Internal.into());
    };
    db::requests::set_form_secret(&mut tx, request_id, browser.secret_hash()).await?;
    db::attachments::adopt_draft(&mut tx, draft, request_id).await?;
    db::drafts::delete(&mut tx, draft).await?;
    db::activity::add_event(
        &mut tx,
        request_id,
        "received",
        "We received your request.",
        true,
        db::activity::Actor::Customer,
    )
    .await?;
    // "We've got your request", by email and (with a phone) by text, each with its own link.
    alerts::alert_customer(&mut tx, state, request_id, AlertKind::RequestReceived).await?;
    staff_alerts::alert_staff(&mut tx, state, request_id, AlertKind::StaffNewRequest).await?;
    // The browser that sent the form may open this one request straight away; other
    // requests of the same contact need the link sent to that contact.
    let owner = SessionOwner::Customer {
        contact: None,
        request_id: Some(request_id),
    };
    let cookie = session::start(&mut tx, &owner, state.config.is_https()).await?;
    live::publish_change(&mut tx, request_id, "request_created").await?;
    tx.commit().await?;
    tracing::info!(reference = %reference, "request received");
    Ok(IntakeOutcome::Created {
        reference: reference.to_string(),
        session_cookie: cookie,
    })
}

/// Every field's message (and the files' refusals), and the phone as E.164.
fn check(
    state: &AppState,
    fields: &IntakeFields,
    mut file_errors: Vec<String>,
    today: chrono::NaiveDate,
) -> (FieldErrors, Option<String>) {
    let mut errors = match validate(fields, &state.config.service_types, today) {
        Ok(_) => FieldErrors::new(),
        Err(e) => e,
    };
    let phone = match fields.phone.trim() {
        "" => None,
        p => match normalise_phone(p, state.config.region) {
            Ok(e164) => Some(e164),
            Err(m) => {
                errors.entry("phone".into()).or_insert(m);
                None
            }
        },
    };
    if !file_errors.is_empty() {
        file_errors.push("Your other details and accepted files are kept — remove or replace the file above and send again.".into());
        errors.insert("_files".into(), file_errors.join("\n"));
    }
    (errors, phone)
}

/// The customer and the request. `None`: another copy of this submit got there first.
async fn insert(
    tx: &mut PgConnection,
    key: Uuid,
    reference: &Reference,
    valid: &ValidIntake,
    phone: Option<&str>,
) -> ServerResult<Option<Uuid>> {
    let customer_id = db::customers::find_or_create(
        &mut *tx,
        valid.first_name.as_str(),
        valid.last_name.as_str(),
        Some(valid.email.as_str()),
        phone,
    )
    .await?;
    let inserted = db::requests::insert(
        tx,
        &NewRequest {
            customer_id,
            reference: reference.as_str(),
            idempotency_key: key,
            email: Some(valid.email.as_str()),
            phone,
            first_name: valid.first_name.as_str(),
            last_name: valid.last_name.as_str(),
            address_line: valid.address_line.as_str(),
            suburb: valid.suburb.as_str(),
            state: &valid.state,
            postcode: &valid.postcode,
            service_type: &valid.service_type,
            preferred_date: valid.preferred_date,
            preferred_window: &valid.preferred_window,
            notes: valid.notes.as_ref().map_or("", MessageText::as_str),
        },
    )
    .await;
    match inserted {
        Ok(id) => Ok(Some(id)),
        Err(e) if db::is_unique_violation(&e, "requests_idempotency_key_key") => Ok(None),
        Err(e) => Err(e.into()),
    }
}

/// Through the open transaction: a second pool connection while one is held can starve a
/// small pool.
async fn unused_reference(conn: &mut sqlx::PgConnection) -> ServerResult<Reference> {
    loop {
        let candidate = Reference::from_random(&tokens::random_bytes());
        if !db::requests::exists_reference(&mut *conn, candidate.as_str()).await? {
            return Ok(candidate);
        }
    }
}
