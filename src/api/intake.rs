use crate::model::{
    intake::{FieldErrors, IntakeFields, KeptFile},
    AppError,
};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Everything the request form needs to render: the choices, a fresh submit key, and —
/// after a failed plain form post — what the person typed and which files we kept.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct IntakeFormData {
    pub key: Uuid,
    pub services: Vec<String>,
    pub fields: IntakeFields,
    pub errors: FieldErrors,
    pub kept_files: Vec<KeptFile>,
    pub returning_customer: bool,
    pub business_name: String,
}

#[server(endpoint = "intake_form")]
pub async fn intake_form() -> Result<IntakeFormData, AppError> {
    use super::ctx;
    use crate::server::{
        auth::session::{read_cookie, Caller, DRAFT_COOKIE},
        db,
        intake::form_key::{form_cookie, FormBrowser},
    };
    let state = ctx::state();
    let headers = ctx::parts().headers;
    let https = state.config.is_https();
    // The form's key is bound to this browser by a secret cookie set with the form itself.
    ctx::set_cookie(form_cookie(&headers, https));
    let browser = FormBrowser::from_headers(&headers, https);
    let mut form = IntakeFormData {
        key: Uuid::new_v4(),
        services: state.config.service_types.clone(),
        business_name: state.config.business_name.clone(),
        ..Default::default()
    };
    let draft_key = read_cookie(&headers, DRAFT_COOKIE).and_then(|k| Uuid::parse_str(&k).ok());
    if let Some(key) = draft_key {
        let submitted = db::requests::by_idempotency_key(&state.pool, key)
            .await?
            .is_some();
        // Only this browser's draft of that key: a copied key finds nothing here.
        let draft = browser.draft_id(key);
        if let (false, Some((fields, errors))) =
            (submitted, db::drafts::load(&state.pool, draft).await?)
        {
            form.key = key;
            form.fields = fields;
            form.errors = errors;
            form.kept_files = db::attachments::for_draft(&state.pool, draft)
                .await?
                .into_iter()
                .map(|a| KeptFile {
                    name: a.file_name,
                    size: a.byte_size,
                })
                .collect();
            return Ok(form);
        }
    }
    if let Caller::Customer {
        contact,
        request_id,
    } = ctx::caller().await?
    {
        if let Some(known) =
            db::requests::latest_contact(&state.pool, contact.as_deref(), request_id).await?
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
