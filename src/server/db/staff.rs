//! Staff accounts: who may sign in, their roles, invites and set-password links.
use crate::model::staff::{AccountStatus, StaffRole, StaffUser, TeamMember};
use chrono::{Duration, Utc};
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

/// An account that may sign in: active, with a password set.
pub async fn by_email(
    pool: &PgPool,
    email: &str,
) -> Result<Option<(StaffUser, String)>, sqlx::Error> {
    let row = sqlx::query(
        "SELECT * FROM staff WHERE email = $1 AND active AND password_hash IS NOT NULL",
    )
    .bind(email)
    .fetch_optional(pool)
    .await?;
    Ok(row.map(|r| (user(&r), r.get("password_hash"))))
}

/// An active account, whether or not its password is set yet (for reset links).
pub async fn active_by_email(pool: &PgPool, email: &str) -> Result<Option<StaffUser>, sqlx::Error> {
    let row = sqlx::query("SELECT * FROM staff WHERE email = $1 AND active")
        .bind(email)
        .fetch_optional(pool)
        .await?;
    Ok(row.as_ref().map(user))
}

/// The account behind a session. Deactivated accounts are nobody.
pub async fn by_id(pool: &PgPool, id: Uuid) -> Result<Option<StaffUser>, sqlx::Error> {
    let row = sqlx::query("SELECT * FROM staff WHERE id = $1 AND active")
        .bind(id)
        .fetch_optional(pool)
        .await?;
    Ok(row.as_ref().map(user))
}

pub struct AccountRow {
    pub user: StaffUser,
    pub active: bool,
    pub has_password: bool,
    pub is_demo: bool,
    pub invited_recently: bool,
}

/// Any account with this email or id, active or not.
pub async fn find(
    conn: &mut PgConnection,
    email: Option<&str>,
    id: Option<Uuid>,
) -> Result<Option<AccountRow>, sqlx::Error> {
    let row = sqlx::query(
        "SELECT *, password_hash IS NOT NULL AS has_password,
                COALESCE(invited_at > now() - interval '2 minutes', false) AS invited_recently
         FROM staff WHERE email = $1 OR id = $2",
    )
    .bind(email)
    .bind(id)
    .fetch_optional(conn)
    .await?;
    Ok(row.map(|r| AccountRow {
        user: user(&r),
        active: r.get("active"),
        has_password: r.get("has_password"),
        is_demo: r.get("is_demo"),
        invited_recently: r.get("invited_recently"),
    }))
}

/// Serialises changes to who is staff and who is owner (first-run setup, role changes,
/// deactivation), so two concurrent changes can't leave the business without an owner.
pub async fn lock_accounts(conn: &mut PgConnection) -> Result<(), sqlx::Error> {
    sqlx::query("SELECT pg_advisory_xact_lock(hashtext('cr_staff_accounts'))")
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn count(conn: &mut PgConnection, real_only: bool) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT count(*) FROM staff WHERE NOT (is_demo AND $1)")
        .bind(real_only)
        .fetch_one(conn)
        .await
}

pub async fn any_exist(pool: &PgPool) -> Result<bool, sqlx::Error> {
    sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM staff)")
        .fetch_one(pool)
        .await
}

pub struct OwnerRow {
    pub email: String,
    pub has_password: bool,
    pub is_demo: bool,
}

/// Active owners other than `except`.
pub async fn other_active_owners(
    conn: &mut PgConnection,
    except: Option<Uuid>,
) -> Result<Vec<OwnerRow>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT email, password_hash IS NOT NULL AS has_password, is_demo FROM staff
         WHERE role = 'owner' AND active AND ($1::uuid IS NULL OR id <> $1) ORDER BY created_at",
    )
    .bind(except)
    .fetch_all(conn)
    .await?;
    Ok(rows
        .iter()
        .map(|r| OwnerRow {
            email: r.get("email"),
            has_password: r.get("has_password"),
            is_demo: r.get("is_demo"),
        })
        .collect())
}

pub struct NewStaff<'a> {
    pub email: &'a str,
    pub display_name: &'a str,
    pub role: StaffRole,
    pub password_hash: Option<&'a str>,
    pub is_demo: bool,
}

/// Creates an account; `None` when the email is already taken.
pub async fn insert(
    conn: &mut PgConnection,
    s: &NewStaff<'_>,
) -> Result<Option<Uuid>, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO staff (id, email, display_name, role, password_hash, is_demo, invited_at)
         VALUES ($1, $2, $3, $4, $5, $6, CASE WHEN $5::text IS NULL THEN now() END)
         ON CONFLICT (email) DO NOTHING RETURNING id",
    )
    .bind(Uuid::new_v4())
    .bind(s.email)
    .bind(s.display_name)
    .bind(s.role.as_str())
    .bind(s.password_hash)
    .bind(s.is_demo)
    .fetch_optional(conn)
    .await
}

/// Updates a pending invite (name, role) and notes when it was last sent.
pub async fn refresh_invite(
    conn: &mut PgConnection,
    id: Uuid,
    display_name: &str,
    role: StaffRole,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE staff SET display_name = $2, role = $3, invited_at = now() WHERE id = $1")
        .bind(id)
        .bind(display_name)
        .bind(role.as_str())
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn set_role(
    conn: &mut PgConnection,
    id: Uuid,
    role: StaffRole,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE staff SET role = $2 WHERE id = $1")
        .bind(id)
        .bind(role.as_str())
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn set_active(
    conn: &mut PgConnection,
    id: Uuid,
    active: bool,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE staff SET active = $2, deactivated_at = CASE WHEN $2 THEN NULL ELSE COALESCE(deactivated_at, now()) END
         WHERE id = $1",
    )
    .bind(id)
    .bind(active)
    .execute(conn)
    .await?;
    Ok(())
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

/// Everyone, owners first, then by name.
pub async fn list(pool: &PgPool) -> Result<Vec<TeamMember>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT *, password_hash IS NOT NULL AS has_password FROM staff
         ORDER BY active DESC, CASE role WHEN 'owner' THEN 0 WHEN 'office' THEN 1 ELSE 2 END, display_name",
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .iter()
        .map(|r| {
            let u = user(r);
            let status = match (r.get::<bool, _>("active"), r.get::<bool, _>("has_password")) {
                (false, _) => AccountStatus::Deactivated,
                (true, false) => AccountStatus::Invited,
                (true, true) => AccountStatus::Active,
            };
            TeamMember {
                id: u.id,
                email: u.email,
                display_name: u.display_name,
                role: u.role,
                status,
                is_demo: r.get("is_demo"),
            }
        })
        .collect())
}

/// A one-time set-password link (the same kind as a reset link, with its own lifetime).
pub async fn insert_password_link(
    conn: &mut PgConnection,
    token_hash: &[u8],
    staff_id: Uuid,
    lifetime: Duration,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO access_tokens (token_hash, purpose, staff_id, expires_at) VALUES ($1, 'staff_reset', $2, $3)",
    )
    .bind(token_hash)
    .bind(staff_id)
    .bind(Utc::now() + lifetime)
    .execute(conn)
    .await?;
    Ok(())
}

/// Ends every unused set-password link of an account.
pub async fn delete_password_links(
    conn: &mut PgConnection,
    staff_id: Uuid,
) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM access_tokens WHERE staff_id = $1 AND purpose = 'staff_reset'")
        .bind(staff_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Creates (or updates the name and role of) an active account with a password, directly.
/// Kept for older integration tests; the app itself creates accounts through
/// `server::staff` (owner, invites, demo seed).
pub async fn upsert(
    pool: &PgPool,
    email: &str,
    display_name: &str,
    role: StaffRole,
    password_hash: &str,
) -> Result<Uuid, sqlx::Error> {
    sqlx::query_scalar(
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
    .await
}
