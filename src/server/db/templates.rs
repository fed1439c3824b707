//! Alert templates the business wrote, and its alert settings.
use crate::model::template::{AlertKind, Channel};
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

pub struct TemplateRow {
    pub kind: String,
    pub channel: String,
    pub enabled: bool,
    pub subject: String,
    pub body: String,
}

/// The stored templates for one alert (none, one or both channels).
pub async fn for_kind(
    conn: &mut PgConnection,
    kind: AlertKind,
) -> Result<Vec<TemplateRow>, sqlx::Error> {
    sqlx::query_as!(
        TemplateRow,
        "SELECT kind, channel, enabled, subject, body FROM message_templates WHERE kind = $1",
        kind.as_str(),
    )
    .fetch_all(conn)
    .await
}

pub async fn all(pool: &PgPool) -> Result<Vec<TemplateRow>, sqlx::Error> {
    sqlx::query_as!(
        TemplateRow,
        "SELECT kind, channel, enabled, subject, body FROM message_templates"
    )
    .fetch_all(pool)
    .await
}

pub struct SaveTemplate<'a> {
    pub kind: AlertKind,
    pub channel: Channel,
    pub enabled: bool,
    pub subject: &'a str,
    pub body: &'a str,
    pub by: Uuid,
}

pub async fn save(pool: &PgPool, t: &SaveTemplate<'_>) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "INSERT INTO message_templates (kind, channel, enabled, subject, body, updated_by)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (kind, channel) DO UPDATE SET enabled = $3, subject = $4, body = $5,
            updated_by = $6, updated_at = now()",
        t.kind.as_str(),
        t.channel.as_str(),
        t.enabled,
        t.subject,
        t.body,
        t.by,
    )
    .execute(pool)
    .await?;
    Ok(())
}

/// Whether alerts name the technician (or only the business).
pub async fn names_technician(conn: &mut PgConnection) -> Result<bool, sqlx::Error> {
    let v =
        sqlx::query_scalar!("SELECT alerts_name_technician FROM business_settings WHERE id = 1")
            .fetch_optional(conn)
            .await?;
    Ok(v.unwrap_or(true))
}

pub async fn set_names_technician(pool: &PgPool, yes: bool) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "INSERT INTO business_settings (id, alerts_name_technician) VALUES (1, $1)
         ON CONFLICT (id) DO UPDATE SET alerts_name_technician = $1",
        yes
    )
    .execute(pool)
    .await?;
    Ok(())
}
