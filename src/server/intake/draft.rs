//! A form kept between tries: what a served form starts with (this browser's draft after
//! failed checks, or a returning customer's details), and files stored on the draft as a
//! post arrives.
use super::form_key::FormBrowser;
use crate::{
    model::intake::{FieldErrors, IntakeFields, KeptFile},
    server::{
        auth::session::Caller,
        db,
        error::ServerResult,
        files::{self, multipart::FormData, FileOwner, UploadError},
        state::AppState,
    },
};
use uuid::Uuid;

/// What a served form starts with.
#[derive(Default)]
pub struct FormStart {
    pub key: Uuid,
    pub fields: IntakeFields,
    pub errors: FieldErrors,
    pub kept_files: Vec<KeptFile>,
    pub returning_customer: bool,
}

/// `draft_key` is the key the draft cookie names, after a plain post that failed its checks.
/// Only this browser's draft of that key comes back (a copied key finds nothing), and only
/// while the key has made no request.
pub async fn form_start(
    state: &AppState,
    browser: &FormBrowser,
    draft_key: Option<Uuid>,
    caller: &Caller,
) -> ServerResult<FormStart> {
    if let Some(key) = draft_key {
        let submitted = db::requests::by_idempotency_key(&state.pool, key)
            .await?
            .is_some();
        let draft = browser.draft_id(key);
        if let (false, Some((fields, errors))) =
            (submitted, db::drafts::load(&state.pool, draft).await?)
        {
            let kept_files = db::attachments::for_draft(&state.pool, draft)
                .await?
                .into_iter()
                .map(|a| KeptFile {
                    name: a.file_name,
                    size: a.byte_size,
                })
                .collect();
            return Ok(FormStart {
                key,
                fields,
                errors,
                kept_files,
                returning_customer: false,
            });
        }
    }
    let mut form = FormStart {
        key: Uuid::new_v4(),
        ..Default::default()
    };
    if let Caller::Customer {
        contact,
        request_id,
    } = caller
    {
        if let Some(known) =
            db::requests::latest_contact(&state.pool, contact.as_deref(), *request_id).await?
        {
            form.returning_customer = true;
            form.fields = IntakeFields {
                first_name: known.first_name,
                last_name: known.last_name,
                email: known.email,
                phone: known.phone,
                address_line: known.address_line,
                suburb: known.suburb,
                state: known.state,
                postcode: known.postcode,
                ..Default::default()
            };
        }
    }
    Ok(form)
}

/// Stores the arrived files on this browser's draft of the form (up to the form's limit,
/// counting files kept from earlier tries). Returns the typed values and every file refusal.
pub(super) async fn keep_files(
    state: &AppState,
    key: Uuid,
    browser: &FormBrowser,
    form: FormData,
) -> ServerResult<(IntakeFields, Vec<String>)> {
    let draft = browser.draft_id(key);
    let max = files::limits(state).max_files;
    let mut errors: Vec<String> = form.errors.iter().map(ToString::to_string).collect();
    let mut fields = IntakeFields::default();
    for (name, value) in form.texts {
        if name != "idempotency_key" {
            fields.set(&name, value);
        }
    }
    // A failed read of the kept files is an error, not "none kept": that would let a
    // draft grow past the form's limit.
    let already = db::attachments::for_draft(&state.pool, draft).await?.len();
    for (i, file) in form.files.into_iter().enumerate() {
        if already + i >= max {
            errors.push(UploadError::TooMany { max }.to_string());
            break;
        }
        let upload = files::Upload {
            file,
            uploaded_by: "customer",
            caption: "",
            client_key: None,
        };
        if let Err(e) = files::accept(state, FileOwner::Draft(draft), upload).await {
            errors.push(e.to_string());
        }
    }
    errors.dedup();
    Ok((fields, errors))
}
