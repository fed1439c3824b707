//! /staff/templates: the business's alert wording over the defaults, each alert on or off
//! per channel, and whether alerts name the technician. A template is checked before it is
//! saved (`model::template::check`): unknown placeholders and a missing room link are refused.
use crate::{
    model::{
        staff::StaffUser,
        template::{check, AlertKind, Channel, TemplateEntry, TemplatesView},
        AppError,
    },
    server::{db, state::AppState},
};

pub async fn list(state: &AppState) -> Result<TemplatesView, AppError> {
    let stored = db::templates::all(&state.pool).await?;
    let mut conn = state.pool.acquire().await?;
    let name_technician = db::templates::names_technician(&mut conn).await?;
    let entries = AlertKind::ALL
        .into_iter()
        .flat_map(|kind| Channel::ALL.map(|channel| (kind, channel)))
        .map(|(kind, channel)| {
            let own = stored
                .iter()
                .find(|t| t.kind == kind.as_str() && t.channel == channel.as_str());
            match own {
                Some(t) => TemplateEntry {
                    kind,
                    channel,
                    enabled: t.enabled,
                    subject: t.subject.clone(),
                    body: t.body.clone(),
                    custom: true,
                },
                None => {
                    let (subject, body) = kind.default_text(channel);
                    TemplateEntry {
                        kind,
                        channel,
                        enabled: kind.on_by_default(channel),
                        subject: subject.into(),
                        body: body.into(),
                        custom: false,
                    }
                }
            }
        })
        .collect();
    Ok(TemplatesView {
        entries,
        name_technician,
        business_name: state.config.business_name.clone(),
    })
}

/// The raw fields of one template's form.
pub struct TemplateInput<'a> {
    pub kind: &'a str,
    pub channel: &'a str,
    pub enabled: bool,
    pub subject: &'a str,
    pub body: &'a str,
}

/// Line breaks and tabs stay; other control characters (a pasted NUL, an escape) go.
fn clean(text: &str) -> String {
    text.replace("\r\n", "\n")
        .chars()
        .filter(|c| !c.is_control() || *c == '\n' || *c == '\t')
        .collect::<String>()
        .trim()
        .to_string()
}

pub async fn save(
    state: &AppState,
    user: &StaffUser,
    input: TemplateInput<'_>,
) -> Result<(), AppError> {
    let kind = AlertKind::parse(input.kind)
        .ok_or_else(|| AppError::Invalid("Choose one of the alerts.".into()))?;
    let channel = Channel::parse(input.channel)
        .ok_or_else(|| AppError::Invalid("Choose email or text message.".into()))?;
    if kind == AlertKind::MagicLink && !input.enabled {
        return Err(AppError::Invalid(
            "The sign-in link can't be turned off: customers need it to get back into their room."
                .into(),
        ));
    }
    // Texts have no subject; a newline in a subject would end the header.
    let subject = match channel {
        Channel::Email => clean(input.subject).replace('\n', " "),
        Channel::Sms => String::new(),
    };
    let body = clean(input.body);
    check(channel, &subject, &body).map_err(|p| AppError::Invalid(p.to_string()))?;
    let row = db::templates::SaveTemplate {
        kind,
        channel,
        enabled: input.enabled,
        subject: &subject,
        body: &body,
        by: user.id,
    };
    db::templates::save(&state.pool, &row).await?;
    tracing::info!(alert = kind.as_str(), channel = channel.as_str(), by = %user.email, "alert template saved");
    Ok(())
}

pub async fn set_naming(state: &AppState, user: &StaffUser, yes: bool) -> Result<(), AppError> {
    db::templates::set_names_technician(&state.pool, yes).await?;
    tracing::info!(name_technician = yes, by = %user.email, "alert naming changed");
    Ok(())
}
