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
    };
    let state = ctx::state();
    let mut form = IntakeFormData {
        key: Uuid::new_v4(),
        services: state.config.service_types.clone(),
        business_name: state.config.business_name.clone(),
        ..Default::default()
    };
    let draft_key =
        read_cookie(&ctx::parts().headers, DRAFT_COOKIE).and_then(|k| Uuid::parse_str(&k).ok());
    if let Some(key) = draft_key {
        let submitted = db::requests::by_idempotency_key(&state.pool, key)
            .await?
            .is_some();
        if let (false, Some((fields, errors))) =
            (submitted, db::drafts::load(&state.pool, key).await?)
        {
            form.key = key;
            form.fields = fields;
            form.errors = errors;
            form.kept_files = db::attachments::for_draft(&state.pool, key)
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
