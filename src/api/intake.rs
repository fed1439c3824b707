//! The request form's data. The form itself posts to `POST /requests`
//! (`server::intake::http`), with or without JavaScript.
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
        auth::session::{read_cookie, DRAFT_COOKIE},
        intake::{
            form_key::{form_cookie, FormBrowser},
            form_start,
        },
    };
    let state = ctx::state()?;
    let headers = ctx::parts()?.headers;
    let https = state.config.is_https();
    // The form's key is bound to this browser by a secret cookie set with the form itself.
    ctx::set_cookie(form_cookie(&headers, https));
    let browser = FormBrowser::from_headers(&headers, https);
    let draft_key = read_cookie(&headers, DRAFT_COOKIE).and_then(|k| Uuid::parse_str(&k).ok());
    let caller = ctx::caller().await?;
    let start = form_start(&state, &browser, draft_key, &caller).await?;
    Ok(IntakeFormData {
        key: start.key,
        services: state.config.service_types.clone(),
        fields: start.fields,
        errors: start.errors,
        kept_files: start.kept_files,
        returning_customer: start.returning_customer,
        business_name: state.config.business_name.clone(),
    })
}
