//! Private feedback, permissioned proof and the public pages that read them (`/proof`,
//! `/guide`). The rules live in `server::proof` and `server::guide`.
use crate::model::{
    guide::GuideView,
    proof::{FeedbackEntry, ProofPage, StaffProof},
    AppError,
};
use leptos::prelude::*;

/// From the room: where the path felt unclear. Staff only ever read it.
#[server(endpoint = "room_feedback")]
pub async fn send_feedback(
    reference: String,
    step: String,
    body: String,
    client_key: String,
) -> Result<(), AppError> {
    use super::ctx;
    use crate::model::{
        field::{Field, FieldError, Reason},
        guide::GuideStep,
        text::client_key_field,
        values::MessageText,
    };
    let (caller, id) = ctx::require_request(&reference).await?;
    let step = GuideStep::parse(&step)
        .ok_or_else(|| AppError::Field(FieldError::new(Field::FeedbackStep, Reason::NotAChoice)))?;
    let body = MessageText::parse_as(Field::Feedback, &body)?;
    let key = client_key_field(&client_key)?.unwrap_or_else(|| uuid::Uuid::new_v4().to_string());
    crate::server::proof::send_feedback(&ctx::state()?, &caller, id, step, &body, &key).await?;
    ctx::back_to_page_with("feedback=sent");
    Ok(())
}

/// From the room, after the job: the customer's words, with their permission to show them.
#[server(endpoint = "room_proof_offer")]
pub async fn offer_proof(
    reference: String,
    words: String,
    #[server(default)] consent: String,
) -> Result<(), AppError> {
    use super::ctx;
    use crate::model::{
        field::{Field, FieldError, Reason},
        values::MessageText,
    };
    let (caller, id) = ctx::require_request(&reference).await?;
    let words = MessageText::parse_as(Field::ProofWords, &words)?;
    if consent.trim() != "yes" {
        return Err(AppError::Field(FieldError::new(
            Field::ProofConsent,
            Reason::Missing,
        )));
    }
    crate::server::proof::offer(&ctx::state()?, &caller, id, &words).await
}

/// The customer approves the wording staff proposed (`revision`: the one they read).
#[server(endpoint = "room_proof_approve")]
pub async fn approve_proof(reference: String, revision: String) -> Result<(), AppError> {
    use super::ctx;
    let (caller, id) = ctx::require_request(&reference).await?;
    let revision = revision
        .trim()
        .parse::<i32>()
        .map_err(|_| AppError::BadRequest("revision must be a number".into()))?;
    crate::server::proof::approve(&ctx::state()?, &caller, id, revision).await
}

/// The customer takes their words back; they leave the proof page at once.
#[server(endpoint = "room_proof_withdraw")]
pub async fn withdraw_proof(reference: String) -> Result<(), AppError> {
    use super::ctx;
    let (caller, id) = ctx::require_request(&reference).await?;
    crate::server::proof::withdraw_by_customer(&ctx::state()?, &caller, id).await
}

#[server(endpoint = "staff_proofs")]
pub async fn staff_proofs() -> Result<Vec<StaffProof>, AppError> {
    super::ctx::require_staff().await?;
    crate::server::proof::staff_list(&super::ctx::state()?).await
}

/// `action` is "edit" (with `wording`), "publish" or "withdraw".
#[server(endpoint = "staff_proof_change")]
pub async fn change_proof(
    request_id: String,
    action: String,
    #[server(default)] wording: String,
) -> Result<(), AppError> {
    use super::ctx;
    use crate::{
        model::{field::Field, values::MessageText},
        server::proof::StaffChange,
    };
    let user = ctx::require_staff().await?;
    let id = uuid::Uuid::parse_str(request_id.trim()).map_err(|_| AppError::NotFound)?;
    let edited;
    let change = match action.trim() {
        "edit" => {
            edited = MessageText::parse_as(Field::ProofWording, &wording)?;
            StaffChange::Edit(&edited)
        }
        "publish" => StaffChange::Publish,
        "withdraw" => StaffChange::Withdraw,
        _ => return Err(AppError::BadRequest("unknown proof action".into())),
    };
    crate::server::proof::staff_change(&ctx::state()?, &user, id, change).await?;
    ctx::back_to_page_with("proof=saved");
    Ok(())
}

#[server(endpoint = "staff_feedback")]
pub async fn staff_feedback() -> Result<Vec<FeedbackEntry>, AppError> {
    super::ctx::require_staff().await?;
    crate::server::proof::feedback_list(&super::ctx::state()?).await
}

#[server(endpoint = "staff_feedback_read")]
pub async fn feedback_read(id: String) -> Result<(), AppError> {
    use super::ctx;
    let user = ctx::require_staff().await?;
    let id = uuid::Uuid::parse_str(id.trim()).map_err(|_| AppError::NotFound)?;
    crate::server::proof::mark_feedback_read(&ctx::state()?, &user, id).await
}

/// `/proof`: published words, approved by their customer. Anyone may read it.
#[server(endpoint = "proof")]
pub async fn read_proof() -> Result<ProofPage, AppError> {
    crate::server::proof::public_page(&super::ctx::state()?).await
}

/// `/guide`: the path, and where the signed-in customer's newest request is on it.
#[server(endpoint = "guide")]
pub async fn guide() -> Result<GuideView, AppError> {
    use super::ctx;
    let caller = ctx::caller().await?;
    crate::server::guide::view(&ctx::state()?, &caller).await
}
