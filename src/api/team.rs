//! The owner's team page: invite people, change roles, deactivate accounts.
use crate::model::{staff::TeamMember, AppError};
use leptos::prelude::*;

#[cfg(feature = "ssr")]
async fn require_owner() -> Result<crate::model::staff::StaffUser, AppError> {
    super::ctx::require_role(crate::server::auth::policy::OWNER).await
}

#[cfg(feature = "ssr")]
fn parse_role(role: &str) -> Result<crate::model::staff::StaffRole, AppError> {
    crate::model::staff::StaffRole::parse(role.trim())
        .ok_or_else(|| AppError::Invalid("Choose owner, office or technician.".into()))
}

#[cfg(feature = "ssr")]
fn parse_id(id: &str) -> Result<uuid::Uuid, AppError> {
    uuid::Uuid::parse_str(id.trim()).map_err(|_| AppError::NotFound)
}

#[server(endpoint = "staff_team")]
pub async fn staff_team() -> Result<Vec<TeamMember>, AppError> {
    require_owner().await?;
    crate::server::staff::accounts::team(&super::ctx::state()?.pool).await
}

/// Returns the sentence to show: who was invited. A form post comes back to the team page
/// with `?invited=1` ([`INVITE_SENT`]).
/// What the team page says after a form post invited someone (they appear in the list).
pub const INVITE_SENT: &str =
    "Invite sent — they're in the list below. The link in their email works for 7 days.";

#[server(endpoint = "staff_team_invite")]
pub async fn invite_staff(email: String, name: String, role: String) -> Result<String, AppError> {
    use crate::{
        model::{field::Field, values::PersonName},
        server::staff::{
            accounts::parse_email,
            invites::{invite, Invited},
        },
    };
    let owner = require_owner().await?;
    let role = parse_role(&role)?;
    let email = parse_email(&email)?;
    let name = PersonName::parse_as(Field::StaffName, &name)?;
    let state = super::ctx::state()?;
    let invited = invite(&state.pool, &state.config, &owner, &email, &name, role).await?;
    super::ctx::back_to_page_with("invited=1");
    Ok(match invited {
        Invited::Sent => format!("Invite sent to {email}. The link works for 7 days."),
        Invited::AlreadySent => format!("An invite was just sent to {email}."),
    })
}

#[server(endpoint = "staff_team_role")]
pub async fn set_staff_role(id: String, role: String) -> Result<(), AppError> {
    use crate::server::staff::accounts;
    require_owner().await?;
    let (id, role) = (parse_id(&id)?, parse_role(&role)?);
    accounts::change_role(&super::ctx::state()?.pool, id, role).await
}

/// `active` is "true" to reactivate, anything else to deactivate.
#[server(endpoint = "staff_team_active")]
pub async fn set_staff_active(id: String, active: String) -> Result<(), AppError> {
    use crate::server::staff::accounts;
    require_owner().await?;
    let id = parse_id(&id)?;
    accounts::set_active(&super::ctx::state()?.pool, id, active.trim() == "true").await
}
