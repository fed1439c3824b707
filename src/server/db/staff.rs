use crate::model::staff::{StaffRole, StaffUser};
use sqlx::{postgres::PgRow, PgConnection, PgPool, Row};
use uuid::Uuid;

fn user(r: &PgRow) -> StaffUser {
    StaffUser {
        id: r.get("id"),
        email: r.get("email"),
        display_name: r.get("display_name"),
        role: StaffRole::parse(r.get("role")).unwrap_or(StaffRole::Technician),
    }
}

pub async fn by_email(
    pool: &PgPool,
    email: &str,
) -> Result<Option<(StaffUser, String)>, sqlx::Error> {
    let row = sqlx::query("SELECT * FROM staff WHERE email = $1")
        .bind(email)
        .fetch_optional(pool)
        .await?;
    Ok(row.map(|r| (user(&r), r.get("password_hash"))))
}

pub async fn by_id(pool: &PgPool, id: Uuid) -> Result<Option<StaffUser>, sqlx::Error> {
    let row = sqlx::query("SELECT * FROM staff WHERE id = $1")
        .bind(id)
        .fetch_optional(pool)
        .await?;
    Ok(row.as_ref().map(user))
}

/// Creates or updates a staff account (used by the demo seed).
pub async fn upsert(
    pool: &PgPool,
    email: &str,
    display_name: &str,
    role: StaffRole,
    password_hash: &str,
) -> Result<Uuid, sqlx::Error> {
    let row = sqlx::query(
        "INSERT INTO staff (id, email, display_name, role, password_hash) VALUES ($1,$2,$3,$4,$5)
         ON CONFLICT (email) DO UPDATE SET display_name = EXCLUDED.display_name, role = EXCLUDED.role
         RETURNING id",
    )
    .bind(Uuid::new_v4())
    .bind(email)
    .bind(display_name)
    .bind(role.as_str())
    .bind(password_hash)
    .fetch_one(pool)
    .await?;
    Ok(row.get(0))
}

pub async fn set_password(
    conn: &mut PgConnection,
    id: Uuid,
    password_hash: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE staff SET password_hash = $2 WHERE id = $1")
        .bind(id)
        .bind(password_hash)
        .execute(conn)
        .await?;
    Ok(())
}
