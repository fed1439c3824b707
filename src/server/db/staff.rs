//! Staff accounts: who may sign in, their roles, invites and set-password links.
use crate::model::staff::{AccountStatus, StaffRole, StaffUser, TeamMember};
use chrono::{Duration, Utc};
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

/// An account that may sign in: active, with a password set.
pub async fn by_email(
    pool: &PgPool,
    email: &str,
) -> Result<Option<(StaffUser, String)>, sqlx::Error> {
    let row = sqlx::query!(
        r#"SELECT id, email, display_name, role AS "role: StaffRole", password_hash AS "password_hash!"
         FROM staff WHERE email = $1 AND active AND password_hash IS NOT NULL"#,
        email,
    )
    .fetch_optional(pool)
    .await?;
    Ok(row.map(|r| {
        let user = StaffUser {
            id: r.id,
            email: r.email,
            display_name: r.display_name,
            role: r.role,
        };
        (user, r.password_hash)
    }))
}

/// An active account, whether or not its password is set yet (for reset links).
pub async fn active_by_email(pool: &PgPool, email: &str) -> Result<Option<StaffUser>, sqlx::Error> {
    sqlx::query_as!(
        StaffUser,
        r#"SELECT id, email, display_name, role AS "role: StaffRole" FROM staff WHERE email = $1 AND active"#,
        email,
    )
    .fetch_optional(pool)
    .await
}

/// The account behind a session. Deactivated accounts are nobody.
pub async fn by_id(pool: &PgPool, id: Uuid) -> Result<Option<StaffUser>, sqlx::Error> {
    sqlx::query_as!(
        StaffUser,
        r#"SELECT id, email, display_name, role AS "role: StaffRole" FROM staff WHERE id = $1 AND active"#,
        id,
    )
    .fetch_optional(pool)
    .await
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
    let row = sqlx::query!(
        r#"SELECT id, email, display_name, role AS "role: StaffRole", active, is_demo,
                password_hash IS NOT NULL AS "has_password!",
                COALESCE(invited_at > now() - interval '2 minutes', false) AS "invited_recently!"
         FROM staff WHERE email = $1 OR id = $2"#,
        email,
        id,
    )
    .fetch_optional(conn)
    .await?;
    Ok(row.map(|r| AccountRow {
        user: StaffUser {
            id: r.id,
            email: r.email,
            display_name: r.display_name,
            role: r.role,
        },
        active: r.active,
        has_password: r.has_password,
        is_demo: r.is_demo,
        invited_recently: r.invited_recently,
    }))
}

/// Serialises changes to who is staff and who is owner (first-run setup, role changes,
/// deactivation), so two concurrent changes can't leave the business without an owner.
pub async fn lock_accounts(conn: &mut PgConnection) -> Result<(), sqlx::Error> {
    sqlx::query!("SELECT pg_advisory_xact_lock(hashtext('cr_staff_accounts'))")
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn count(conn: &mut PgConnection, real_only: bool) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar!(
        r#"SELECT count(*) AS "count!" FROM staff WHERE NOT (is_demo AND $1)"#,
        real_only
    )
    .fetch_one(conn)
    .await
}

pub async fn any_exist(pool: &PgPool) -> Result<bool, sqlx::Error> {
    sqlx::query_scalar!(r#"SELECT EXISTS (SELECT 1 FROM staff) AS "any!""#)
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
    sqlx::query_as!(
        OwnerRow,
        r#"SELECT email, password_hash IS NOT NULL AS "has_password!", is_demo FROM staff
         WHERE role = 'owner' AND active AND ($1::uuid IS NULL OR id <> $1) ORDER BY created_at"#,
        except,
    )
    .fetch_all(conn)
    .await
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
    sqlx::query_scalar!(
        "INSERT INTO staff (id, email, display_name, role, password_hash, is_demo, invited_at)
         VALUES ($1, $2, $3, $4, $5, $6, CASE WHEN $5::text IS NULL THEN now() END)
         ON CONFLICT (email) DO NOTHING RETURNING id",
        Uuid::new_v4(),
        s.email,
        s.display_name,
        s.role as _,
        s.password_hash,
        s.is_demo,
    )
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
    sqlx::query!(
        "UPDATE staff SET display_name = $2, role = $3, invited_at = now() WHERE id = $1",
        id,
        display_name,
        role as _,
    )
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn set_role(
    conn: &mut PgConnection,
    id: Uuid,
    role: StaffRole,
) -> Result<(), sqlx::Error> {
    sqlx::query!("UPDATE staff SET role = $2 WHERE id = $1", id, role as _)
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn set_active(
    conn: &mut PgConnection,
    id: Uuid,
    active: bool,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "UPDATE staff SET active = $2, deactivated_at = CASE WHEN $2 THEN NULL ELSE COALESCE(deactivated_at, now()) END
         WHERE id = $1",
        id,
        active,
    )
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn set_password(
    conn: &mut PgConnection,
    id: Uuid,
    password_hash: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "UPDATE staff SET password_hash = $2 WHERE id = $1",
        id,
        password_hash
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Everyone, owners first, then by name.
pub async fn list(pool: &PgPool) -> Result<Vec<TeamMember>, sqlx::Error> {
    let rows = sqlx::query!(
        r#"SELECT id, email, display_name, role AS "role: StaffRole", active, is_demo,
                password_hash IS NOT NULL AS "has_password!"
         FROM staff
         ORDER BY active DESC, CASE role WHEN 'owner' THEN 0 WHEN 'office' THEN 1 ELSE 2 END, display_name"#,
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let status = match (r.active, r.has_password) {
                (false, _) => AccountStatus::Deactivated,
                (true, false) => AccountStatus::Invited,
                (true, true) => AccountStatus::Active,
            };
            TeamMember {
                id: r.id,
                email: r.email,
                display_name: r.display_name,
                role: r.role,
                status,
                is_demo: r.is_demo,
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
    sqlx::query!(
        "INSERT INTO access_tokens (token_hash, purpose, staff_id, expires_at) VALUES ($1, 'staff_reset', $2, $3)",
        token_hash,
        staff_id,
        Utc::now() + lifetime,
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Ends every unused set-password link of an account.
pub async fn delete_password_links(
    conn: &mut PgConnection,
    staff_id: Uuid,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "DELETE FROM access_tokens WHERE staff_id = $1 AND purpose = 'staff_reset'",
        staff_id
    )
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
    sqlx::query_scalar!(
        "INSERT INTO staff (id, email, display_name, role, password_hash) VALUES ($1,$2,$3,$4,$5)
         ON CONFLICT (email) DO UPDATE SET display_name = EXCLUDED.display_name, role = EXCLUDED.role
         RETURNING id",
        Uuid::new_v4(),
        email,
        display_name,
        role as _,
        password_hash,
    )
    .fetch_one(pool)
    .await
}

/// Who a job can be assigned to: active accounts, technicians first, then by name.
pub async fn assignable(pool: &PgPool) -> Result<Vec<(Uuid, String)>, sqlx::Error> {
    let rows = sqlx::query!(
        "SELECT id, display_name FROM staff WHERE active
         ORDER BY CASE role WHEN 'technician' THEN 0 ELSE 1 END, display_name",
    )
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().map(|r| (r.id, r.display_name)).collect())
}

/// The name of an active account, which can be given a job; `None` for anyone else.
pub async fn assignable_name(
    conn: &mut PgConnection,
    id: Uuid,
) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar!(
        "SELECT display_name FROM staff WHERE id = $1 AND active",
        id
    )
    .fetch_optional(conn)
    .await
}
