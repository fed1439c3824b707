//! What staff do on a request's page: updates, replies, internal notes, asks, status, quotes.
//! The rules and transactions live in `server::staff_room`.
use crate::model::{
    job::Job,
    room::{Quote, RoomView},
    staff::{QuoteLineInput, StaffLogEntry},
    AppError,
};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StaffRoomView {
    /// Exactly what the customer sees.
    pub room: RoomView,
    /// Every version, drafts included, newest first.
    pub quotes: Vec<Quote>,
    pub log: Vec<StaffLogEntry>,
    pub default_tax_bp: i32,
    /// Every job on the request, newest first.
    pub jobs: Vec<Job>,
    /// Who a job can be assigned to: (id, name).
    pub team: Vec<(uuid::Uuid, String)>,
    /// The business's today: the new job form's first day.
    pub today: chrono::NaiveDate,
    /// The customer's card (`/staff/customers/{id}`), for the office.
    pub customer_id: uuid::Uuid,
}

#[server(endpoint = "staff_room")]
pub async fn staff_room(reference: String) -> Result<StaffRoomView, AppError> {
    let (_, id) = staff_request(&reference).await?;
    let r = crate::server::staff_room::load(&super::ctx::state()?, id, &reference).await?;
    Ok(StaffRoomView {
        room: r.room,
        quotes: r.quotes,
        log: r.log,
        default_tax_bp: r.default_tax_bp,
        jobs: r.jobs,
        team: r.team,
        today: r.today,
        customer_id: r.customer_id,
    })
}

#[cfg(feature = "ssr")]
async fn staff_request(
    reference: &str,
) -> Result<(crate::model::staff::StaffUser, uuid::Uuid), AppError> {
    let user = super::ctx::require_staff().await?;
    let (_, id) = super::ctx::require_request(reference).await?;
    // A technician opens only requests they have a job on.
    crate::server::jobs::may_open(&super::ctx::state()?, &user, id).await?;
    Ok((user, id))
}

#[cfg(feature = "ssr")]
fn required_text(
    field: crate::model::field::Field,
    text: &str,
) -> Result<crate::model::values::MessageText, AppError> {
    Ok(crate::model::values::MessageText::parse_as(field, text)?)
}

#[cfg(feature = "ssr")]
fn key(client_key: &str) -> Result<Option<String>, AppError> {
    Ok(crate::model::text::client_key_field(client_key)?)
}

/// An update the customer sees at the top of their room.
#[server(endpoint = "staff_update")]
pub async fn post_update(
    reference: String,
    body: String,
    #[server(default)] client_key: String,
) -> Result<(), AppError> {
    let (user, id) = staff_request(&reference).await?;
    let body = required_text(crate::model::field::Field::Update, &body)?;
    let client_key = key(&client_key)?;
    crate::server::staff_room::post_update(
        &super::ctx::state()?,
        &user,
        id,
        &body,
        client_key.as_deref(),
    )
    .await
}

/// A note for staff only; it never reaches the customer's room.
#[server(endpoint = "staff_note")]
pub async fn add_note(
    reference: String,
    body: String,
    #[server(default)] client_key: String,
) -> Result<(), AppError> {
    let (user, id) = staff_request(&reference).await?;
    let body = required_text(crate::model::field::Field::StaffNote, &body)?;
    let client_key = key(&client_key)?;
    crate::server::staff_room::add_note(
        &super::ctx::state()?,
        &user,
        id,
        &body,
        client_key.as_deref(),
    )
    .await
}

/// Asks the customer for photos or more details, in the staff's own words; it becomes the
/// highlighted next step in the room.
#[server(endpoint = "staff_ask")]
pub async fn ask_customer(reference: String, kind: String, text: String) -> Result<(), AppError> {
    use crate::server::staff_room::{self, Ask};
    let (user, id) = staff_request(&reference).await?;
    let ask = Ask::parse(&kind)?;
    let text = required_text(crate::model::field::Field::AskCustomer, &text)?;
    staff_room::ask_customer(&super::ctx::state()?, &user, id, ask, &text).await
}

/// Moves the request along its workflow (only the moves `RequestStatus::check_move`
/// allows). `reason` is customer-facing: needed to reject, optional to accept.
#[server(endpoint = "staff_status")]
pub async fn set_status(
    reference: String,
    status: String,
    #[server(default)] reason: String,
) -> Result<(), AppError> {
    use crate::server::staff_room;
    let (user, id) = staff_request(&reference).await?;
    let change = staff_room::parse_status_change(&status, &reason)?;
    staff_room::set_status(&super::ctx::state()?, &user, id, change).await
}

#[server(endpoint = "staff_help_done")]
pub async fn resolve_help(reference: String) -> Result<(), AppError> {
    let (user, id) = staff_request(&reference).await?;
    crate::server::staff_room::resolve_help(&super::ctx::state()?, &user, id).await
}

/// Saves the quote being built as a draft (not visible to the customer until sent).
#[server(endpoint = "staff_quote_save")]
pub async fn save_quote(
    reference: String,
    #[server(default)] lines: Vec<QuoteLineInput>,
    valid_until: String,
    #[server(default)] notes: String,
    #[server(default)] tax_percent: String,
) -> Result<(), AppError> {
    use crate::server::staff_room;
    let (user, id) = staff_request(&reference).await?;
    let state = super::ctx::state()?;
    let draft = staff_room::parse_quote(
        &lines,
        &valid_until,
        &notes,
        &tax_percent,
        state.config.tax_rate_bp,
    )?;
    staff_room::save_quote(&state, &user, id, draft).await
}

/// Sends a draft to the customer; it supersedes any earlier version they haven't decided on.
#[server(endpoint = "staff_quote_send")]
pub async fn send_quote(reference: String, quote_id: String) -> Result<(), AppError> {
    let (user, id) = staff_request(&reference).await?;
    let quote_id = uuid::Uuid::parse_str(quote_id.trim()).map_err(|_| AppError::NotFound)?;
    crate::server::staff_room::send_quote(&super::ctx::state()?, &user, id, quote_id).await
}
