//! The customer card (`/staff/customers/{id}`): read it, edit the details, tag, log a call.
//! Owner and office only; the rules live in `server::customers`.
use crate::model::{customer::CustomerCard, AppError};
use leptos::prelude::*;

#[cfg(feature = "ssr")]
fn customer_id(id: &str) -> Result<uuid::Uuid, AppError> {
    uuid::Uuid::parse_str(id.trim()).map_err(|_| AppError::NotFound)
}

/// The card with history page `page` (0 is the newest).
#[server(endpoint = "staff_customer")]
pub async fn staff_customer(id: String, page: Option<i64>) -> Result<CustomerCard, AppError> {
    use super::ctx;
    ctx::require_staff().await?;
    crate::server::customers::card(&ctx::state()?, customer_id(&id)?, page.unwrap_or(0)).await
}

/// The card of the customer a request belongs to, by reference.
#[server(endpoint = "staff_customer_of")]
pub async fn customer_of(reference: String) -> Result<String, AppError> {
    use super::ctx;
    ctx::require_staff().await?;
    let (_, request) = ctx::require_request(&reference).await?;
    let id = crate::server::customers::of_request(&ctx::state()?, request).await?;
    Ok(id.to_string())
}

#[server(endpoint = "staff_customer_edit")]
pub async fn customer_edit(
    id: String,
    first_name: String,
    last_name: String,
    business_name: String,
    phone: String,
    address: String,
) -> Result<(), AppError> {
    use super::ctx;
    use crate::server::customers::{edit, DetailsInput};
    let user = ctx::require_staff().await?;
    let input = DetailsInput {
        first_name: &first_name,
        last_name: &last_name,
        business_name: &business_name,
        phone: &phone,
        address: &address,
    };
    edit(&ctx::state()?, &user, customer_id(&id)?, input).await?;
    ctx::back_to_page_with("details=saved");
    Ok(())
}

#[server(endpoint = "staff_customer_tag")]
pub async fn customer_tag(id: String, tag: String) -> Result<(), AppError> {
    use super::ctx;
    let user = ctx::require_staff().await?;
    crate::server::customers::add_tag(&ctx::state()?, &user, customer_id(&id)?, &tag).await?;
    ctx::back_to_page_with("tags=saved");
    Ok(())
}

#[server(endpoint = "staff_customer_untag")]
pub async fn customer_untag(id: String, tag: String) -> Result<(), AppError> {
    use super::ctx;
    let user = ctx::require_staff().await?;
    crate::server::customers::remove_tag(&ctx::state()?, &user, customer_id(&id)?, &tag).await?;
    ctx::back_to_page_with("tags=saved");
    Ok(())
}

/// `outcome`: called, no_answer, voicemail or spoke.
#[server(endpoint = "staff_customer_call")]
pub async fn customer_call(
    id: String,
    outcome: String,
    client_key: String,
) -> Result<(), AppError> {
    use super::ctx;
    use crate::model::{customer::CallOutcome, text::client_key_field};
    let user = ctx::require_staff().await?;
    let outcome = CallOutcome::parse(&outcome)
        .ok_or_else(|| AppError::BadRequest("Choose how the call went.".into()))?;
    let key = client_key_field(&client_key)?;
    crate::server::customers::log_call(
        &ctx::state()?,
        &user,
        customer_id(&id)?,
        outcome,
        key.as_deref(),
    )
    .await?;
    ctx::back_to_page_with("call=saved");
    Ok(())
}

/// `/staff/customers?q=`: by name, business name, phone in any format, email or reference.
#[server(endpoint = "staff_customer_search")]
pub async fn customer_search(
    #[server(default)] q: String,
) -> Result<crate::model::customer::CustomerSearchView, AppError> {
    use super::ctx;
    ctx::require_staff().await?;
    crate::server::customer_search::search(&ctx::state()?, &q).await
}

/// Merges the card `gone` into the card `id` (kept); `confirm` = "yes" says staff checked
/// they are one person.
#[server(endpoint = "staff_customer_merge")]
pub async fn customer_merge(
    id: String,
    gone: String,
    #[server(default)] confirm: String,
) -> Result<(), AppError> {
    use super::ctx;
    use crate::model::field::{Field, FieldError, Reason};
    let user = ctx::require_staff().await?;
    if confirm.trim() != "yes" {
        return Err(AppError::Field(FieldError::new(
            Field::MergeConfirm,
            Reason::Missing,
        )));
    }
    let (keep, gone) = (customer_id(&id)?, customer_id(&gone)?);
    crate::server::customer_search::merge(&ctx::state()?, &user, keep, gone).await?;
    ctx::back_to_page_with("merged=1");
    Ok(())
}

/// Writes to the customer from their card: `body` goes into request `reference`'s room and
/// one alert (`channel` "sms" or "email") brings them to it.
#[server(endpoint = "staff_customer_write")]
pub async fn customer_write(
    id: String,
    reference: String,
    #[server(default)] channel: String,
    body: String,
    client_key: String,
) -> Result<(), AppError> {
    use super::ctx;
    use crate::{
        model::{field::Field, template::Channel, text::client_key_field, values::MessageText},
        server::composer::{write, Writing},
    };
    let user = ctx::require_staff().await?;
    let channel = match channel.trim() {
        "sms" => Channel::Sms,
        "email" => Channel::Email,
        _ => {
            return Err(AppError::Invalid(
                "Choose whether to text or email them the link.".into(),
            ))
        }
    };
    let body = MessageText::parse_as(Field::Message, &body)?;
    let key = client_key_field(&client_key)?;
    let w = Writing {
        reference: reference.trim(),
        channel,
        body: &body,
        client_key: key.as_deref(),
    };
    write(&ctx::state()?, &user, customer_id(&id)?, w).await?;
    ctx::back_to_page_with("wrote=1");
    Ok(())
}
