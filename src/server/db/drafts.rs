use crate::model::intake::{FieldErrors, IntakeFields};
use sqlx::{types::Json, PgPool};
use uuid::Uuid;

pub async fn save(
    pool: &PgPool,
    key: Uuid,
    fields: &IntakeFields,
    errors: &FieldErrors,
) -> Result<(), sqlx::Error> {
    // jsonb cannot hold U+0000. A NUL is already refused beside its field, so the kept copy
    // drops it and keeps everything else the customer typed.
    let fields = without_nul(fields);
    let fields = &fields;
    sqlx::query!(
        "INSERT INTO intake_drafts (key, fields, errors) VALUES ($1, $2, $3)
         ON CONFLICT (key) DO UPDATE SET fields = EXCLUDED.fields, errors = EXCLUDED.errors, created_at = now()",
        key,
        Json(fields) as _,
        Json(errors) as _,
    )
    .execute(pool)
    .await?;
    Ok(())
}

/// Drafts older than a day are treated as gone.
pub async fn load(
    pool: &PgPool,
    key: Uuid,
) -> Result<Option<(IntakeFields, FieldErrors)>, sqlx::Error> {
    let row = sqlx::query!(
        r#"SELECT fields AS "fields: Json<IntakeFields>", errors AS "errors: Json<FieldErrors>"
         FROM intake_drafts WHERE key = $1 AND created_at > now() - interval '1 day'"#,
        key,
    )
    .fetch_optional(pool)
    .await?;
    Ok(row.map(|r| (r.fields.0, r.errors.0)))
}

pub async fn delete(conn: &mut sqlx::PgConnection, key: Uuid) -> Result<(), sqlx::Error> {
    sqlx::query!("DELETE FROM intake_drafts WHERE key = $1", key)
        .execute(conn)
        .await?;
    Ok(())
}

/// Forms with errors that nobody came back to within `hours`.
pub async fn delete_abandoned(pool: &PgPool, hours: i32) -> Result<u64, sqlx::Error> {
    let done = sqlx::query!(
        "DELETE FROM intake_drafts WHERE created_at < now() - make_interval(hours => $1)",
        hours,
    )
    .execute(pool)
    .await?;
    Ok(done.rows_affected())
}

fn without_nul(fields: &IntakeFields) -> IntakeFields {
    let mut kept = fields.clone();
    for value in kept.all_mut() {
        value.retain(|c| c != '\0');
    }
    kept
}
