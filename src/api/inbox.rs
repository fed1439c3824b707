//! /staff/inbox: texts that came in, where each went and why; each person's alert choice;
//! the point of contact. The rules live in `server::inbound`.
use crate::model::{inbox::InboxView, AppError};
use leptos::prelude::*;

/// Every staff member: the office sees every text, a technician those routed to them.
#[server(endpoint = "staff_inbox")]
pub async fn staff_inbox() -> Result<InboxView, AppError> {
    let user = super::ctx::require_staff().await?;
    crate::server::inbound::inbox(&super::ctx::state()?, &user).await
}

/// Marks a text dealt with.
#[server(endpoint = "staff_inbox_done")]
pub async fn inbox_done(id: String) -> Result<(), AppError> {
    use super::ctx;
    let user = ctx::require_staff().await?;
    let id = uuid::Uuid::parse_str(id.trim()).map_err(|_| AppError::NotFound)?;
    crate::server::inbound::mark_handled(&ctx::state()?, &user, id).await
}

/// The caller's own alerts: by email, by text to `phone`, or none.
#[server(endpoint = "staff_my_alerts")]
pub async fn my_alerts(channel: String, phone: String) -> Result<(), AppError> {
    use super::ctx;
    use crate::model::{field::Field, values::Phone};
    let user = ctx::require_staff().await?;
    let state = ctx::state()?;
    let phone = match phone.trim() {
        "" => None,
        p => Some(Phone::parse_in(Field::Phone, p, state.config.region).map_err(AppError::Field)?),
    };
    crate::server::inbound::set_alert_choice(&state, &user, &channel, phone).await?;
    ctx::back_to_page_with("alerts=saved");
    Ok(())
}

/// Owner and office: who answers texts while no technician is on the way ("" = the owner).
#[server(endpoint = "staff_point_of_contact")]
pub async fn point_of_contact(staff_id: String) -> Result<(), AppError> {
    use super::ctx;
    ctx::require_staff().await?;
    let id = match staff_id.trim() {
        "" => None,
        s => Some(uuid::Uuid::parse_str(s).map_err(|_| AppError::NotFound)?),
    };
    crate::server::inbound::set_point_of_contact(&ctx::state()?, id).await?;
    ctx::back_to_page_with("contact=saved");
    Ok(())
}
