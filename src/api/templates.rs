//! /staff/templates: alert wording, each alert on or off, and whether alerts name the
//! technician. The rules live in `server::notify::editor`.
use crate::model::{template::TemplatesView, AppError};
use leptos::prelude::*;

/// Owner and office: every alert on each channel, the business's wording or the default.
#[server(endpoint = "staff_templates")]
pub async fn staff_templates() -> Result<TemplatesView, AppError> {
    super::ctx::require_staff().await?;
    crate::server::notify::editor::list(&super::ctx::state()?).await
}

/// Owner and office: saves one alert's wording for one channel. `enabled` is a checkbox
/// (present when ticked). Unknown placeholders and a missing {room_link} are refused.
#[server(endpoint = "staff_template_save")]
pub async fn save_template(
    kind: String,
    channel: String,
    #[server(default)] enabled: String,
    #[server(default)] subject: String,
    body: String,
) -> Result<(), AppError> {
    use super::ctx;
    use crate::server::notify::editor::{self, TemplateInput};
    let user = ctx::require_staff().await?;
    let input = TemplateInput {
        kind: &kind,
        channel: &channel,
        enabled: !enabled.trim().is_empty(),
        subject: &subject,
        body: &body,
    };
    editor::save(&ctx::state()?, &user, input).await?;
    ctx::back_to_page_with(&format!("saved={}-{}", kind.trim(), channel.trim()));
    Ok(())
}

/// Owner and office: alerts name the technician (`name_technician` present) or only the
/// business.
#[server(endpoint = "staff_alert_naming")]
pub async fn set_alert_naming(#[server(default)] name_technician: String) -> Result<(), AppError> {
    use super::ctx;
    let user = ctx::require_staff().await?;
    let yes = !name_technician.trim().is_empty();
    crate::server::notify::editor::set_naming(&ctx::state()?, &user, yes).await?;
    ctx::back_to_page_with("saved=naming");
    Ok(())
}
