//! /staff/outbox: the alerts that went out, and sending a failed one again. The rules live
//! in `server::notify::admin`.
use crate::model::{outbox::OutboxEntry, AppError};
use leptos::prelude::*;

/// Owner and office: the newest messages, failed ones first, recipients masked.
#[server(endpoint = "staff_outbox")]
pub async fn staff_outbox() -> Result<Vec<OutboxEntry>, AppError> {
    super::ctx::require_staff().await?;
    crate::server::notify::admin::list(&super::ctx::state()?).await
}

/// Owner and office: sends a failed message again, as a new message with a fresh room link.
#[server(endpoint = "staff_outbox_retry")]
pub async fn retry_message(id: String) -> Result<(), AppError> {
    use super::ctx;
    let user = ctx::require_staff().await?;
    let id = uuid::Uuid::parse_str(id.trim()).map_err(|_| AppError::NotFound)?;
    crate::server::notify::admin::retry(&ctx::state()?, &user, id).await?;
    ctx::back_to_page_with("retried=1");
    Ok(())
}
