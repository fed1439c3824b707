//! Turning a submitted form into a request: checks, customer, reference, links, messages.
pub mod form_key;
pub mod http;

use crate::{
    model::{
        intake::{validate, FieldErrors, IntakeFields},
        reference::Reference,
        request::AttachmentInfo,
    },
    server::{
        auth::{session, tokens},
        db::{self, access::SessionOwner, requests::NewRequest},
        error::ServerResult,
        live,
        notify::templates,
        state::AppState,
    },
};
use axum::http::HeaderValue;
use form_key::FormBrowser;
use uuid::Uuid;

pub enum IntakeOutcome {
    Created {
        reference: String,
        session_cookie: HeaderValue,
    },
    /// The same form was submitted again (double tap, retry) by the browser that sent it
    /// first: nothing new was made, and that browser may open its request again.
    AlreadySubmitted {
        reference: String,
        session_cookie: HeaderValue,
    },
    /// The same key again from any other browser: it learns only that we have it.
    AlreadyReceived,
    Invalid {
        errors: FieldErrors,
        kept: Vec<AttachmentInfo>,
    },
}

/// E.164 for the configured region, or a message for the phone field.
pub fn normalise_phone(input: &str, region: phonenumber::country::Id) -> Result<String, String> {
    match phonenumber::parse(Some(region), input) {
        Ok(n) if phonenumber::is_valid(&n) => {
            Ok(n.format().mode(phonenumber::Mode::E164).to_string())
        }
        _ => Err(
            "That phone number doesn't look right — please check the digits (e.g. 0412 345 678)."
                .into(),
        ),
    }
}

pub fn room_link(state: &AppState, token: &str) -> String {
    format!("{}/r/{}", state.config.public_url, token)
}

/// `file_errors` are messages for files already rejected while reading the upload. The caller
/// has checked [`repeat`] first (before storing any file); a race is settled here.
pub async fn submit(
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
    let customer_id = db::customers::find_or_create(
        &mut tx,
        &valid.first_name,
        &valid.last_name,
        Some(&valid.email),
        phone.as_deref(),
    )
    .await?;
    let reference = unused_reference(&mut tx).await?;
    let inserted = db::requests::insert(
        &mut tx,
        &NewRequest {
            customer_id,
            reference: reference.as_str(),
            idempotency_key: key,
            email: Some(&valid.email),
            phone: phone.as_deref(),
            first_name: &valid.first_name,
            last_name: &valid.last_name,
            address_line: &valid.address_line,
            suburb: &valid.suburb,
            state: &valid.state,
            postcode: &valid.postcode,
            service_type: &valid.service_type,
            preferred_date: valid.preferred_date,
            preferred_window: &valid.preferred_window,
            notes: &valid.notes,
        },
    )
    .await;
    let request_id = match inserted {
        Ok(id) => id,
        // Two copies of one submit raced; the other one won.
        Err(e) if db::is_unique_violation(&e, "requests_idempotency_key_key") => {
            drop(tx);
            return repeat(state, key, browser)
                .await?
                .ok_or_else(|| crate::model::AppError::Internal.into());
        }
        Err(e) => return Err(e.into()),
    };
    db::requests::set_form_secret(&mut tx, request_id, browser.secret_hash()).await?;
    db::attachments::adopt_draft(&mut tx, draft, request_id).await?;
    db::drafts::delete(&mut tx, draft).await?;
    db::requests::add_event(
        &mut tx,
        request_id,
        "received",
        "We received your request.",
        true,
        "customer",
    )
    .await?;

    let business = &state.config.business_name;
    let (email_token, email_hash) = tokens::new_token();
    db::access::insert_room_token(&mut tx, &email_hash, request_id, &valid.email).await?;
    let m = templates::request_received_email(
        business,
        &valid.first_name,
        reference.as_str(),
        &room_link(state, &email_token),
    );
    db::outbox::enqueue(
        &mut tx,
        "email",
        &valid.email,
        &m.subject,
        &m.body,
        Some(request_id),
    )
    .await?;
    if let Some(phone) = &phone {
        let (sms_token, sms_hash) = tokens::new_token();
        db::access::insert_room_token(&mut tx, &sms_hash, request_id, phone).await?;
        let m = templates::request_received_sms(
            business,
            reference.as_str(),
            &room_link(state, &sms_token),
        );
        db::outbox::enqueue(&mut tx, "sms", phone, &m.subject, &m.body, Some(request_id)).await?;
    }
    // The browser that sent the form may open this one request straight away; other
    // requests of the same contact need the link sent to that contact.
    let cookie = session::start(
        &mut tx,
        &SessionOwner::Customer {
            contact: None,
            request_id: Some(request_id),
        },
        state.config.is_https(),
    )
    .await?;
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

/// A repeated submit (same key). The one place that decides what it gets: the browser that
/// sent the first one gets the same one-request session its lost first answer carried;
/// anyone else gets [`IntakeOutcome::AlreadyReceived`] and nothing of the request.
/// `None`: this key has not made a request yet.
pub async fn repeat(
    state: &AppState,
    key: Uuid,
    browser: &FormBrowser,
) -> ServerResult<Option<IntakeOutcome>> {
    let Some((request_id, reference, stored)) =
        db::requests::first_submit(&state.pool, key).await?
    else {
        return Ok(None);
    };
    if !browser.sent(stored.as_deref()) {
        tracing::info!("repeated submit from another browser: answered without a session");
        return Ok(Some(IntakeOutcome::AlreadyReceived));
    }
    let mut conn = state.pool.acquire().await?;
    let session_cookie = session::start(
        &mut conn,
        &SessionOwner::Customer {
            contact: None,
            request_id: Some(request_id),
        },
        state.config.is_https(),
    )
    .await?;
    Ok(Some(IntakeOutcome::AlreadySubmitted {
        reference,
        session_cookie,
    }))
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

#[cfg(test)]
mod tests {
    use super::normalise_phone;
    use phonenumber::country::Id;

    #[test]
    fn local_numbers_become_e164_for_the_region() {
        assert_eq!(
            normalise_phone("0412 345 678", Id::AU).unwrap(),
            "+61412345678"
        );
        assert_eq!(
            normalise_phone("(02) 9876 5432", Id::AU).unwrap(),
            "+61298765432"
        );
        assert_eq!(
            normalise_phone("+64 21 123 4567", Id::AU).unwrap(),
            "+64211234567"
        );
        assert!(normalise_phone("0412", Id::AU).is_err());
    }
}
