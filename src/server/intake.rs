//! Intake service: the request form from serving it to the request it makes — checks,
//! customer, reference, links, messages — for the plain and the enhanced form alike, which
//! both post to `POST /requests` ([`http`]) and go through [`receive`].
mod create;
mod draft;
pub mod form_key;
pub mod http;

pub use draft::{form_start, FormStart};

use crate::{
    model::{intake::FieldErrors, request::AttachmentInfo},
    server::{
        auth::session,
        db::{self, access::SessionOwner},
        error::ServerResult,
        files::multipart::FormData,
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

/// A posted form, with its files, under its submit `key`: a repeat of a key that already
/// made a request is answered by [`repeat`] before any file is stored; anything else keeps
/// its files on this browser's draft and is checked and created by [`create::submit`].
pub async fn receive(
    state: &AppState,
    key: Uuid,
    browser: &FormBrowser,
    form: FormData,
) -> ServerResult<IntakeOutcome> {
    if let Some(outcome) = repeat(state, key, browser).await? {
        return Ok(outcome);
    }
    let (fields, file_errors) = draft::keep_files(state, key, browser, form).await?;
    create::submit(state, key, browser, fields, file_errors).await
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
