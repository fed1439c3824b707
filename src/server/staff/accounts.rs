//! Staff accounts: the first owner, invites, roles and deactivation. Every change to who
//! is staff or owner runs under one lock, so the business never ends up without an owner.
use crate::{
    model::{
        field::{Field, FieldError, Reason},
        staff::{StaffRole, StaffUser},
        values::{Email, PersonName},
        AppError,
    },
    server::{
        auth::tokens,
        config::Config,
        db::{self, staff::NewStaff},
    },
};
use chrono::Duration;
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

pub const INVITE_LIFETIME: Duration = Duration::days(7);
/// Links printed by the command line (first owner, `staff reset-link`).
pub const CLI_LINK_LIFETIME: Duration = Duration::hours(24);

pub const LAST_OWNER: &str =
    "This is the only owner. Make someone else an owner first, so the business always has one.";

pub fn set_password_link(config: &Config, token: &str) -> String {
    format!("{}/staff/reset/{token}", config.public_url)
}

/// The address of a new account (setup, invites, the command line). Left blank, it gets
/// the same "full email address" sentence as a malformed one, as these forms always said.
pub fn parse_email(email: &str) -> Result<Email, FieldError> {
    Email::parse_as(Field::StaffEmail, email).map_err(|e| match e.reason {
        Reason::Missing => FieldError::new(Field::StaffEmail, Reason::NotAnEmail),
        _ => e,
    })
}

/// A new account's display name; left blank, the part of the address before the @.
pub fn parse_name(name: &str, email: &Email) -> Result<PersonName, FieldError> {
    match PersonName::parse_as(Field::StaffName, name) {
        Err(FieldError {
            reason: Reason::Missing,
            ..
        }) => {
            let local = email.as_str().split('@').next().unwrap_or(email.as_str());
            PersonName::parse_as(Field::StaffName, local)
        }
        other => other,
    }
}

/// A fresh set-password link for an account (older unused links stop working).
async fn new_link(
    conn: &mut PgConnection,
    config: &Config,
    staff_id: Uuid,
    lifetime: Duration,
) -> Result<String, sqlx::Error> {
    let (token, hash) = tokens::new_token();
    db::staff::delete_password_links(conn, staff_id).await?;
    db::staff::insert_password_link(conn, &hash, staff_id, lifetime).await?;
    Ok(set_password_link(config, &token))
}

/// `customer-room staff add --owner EMAIL`: creates the owner without a password and
/// returns the one-time link where they choose one. Refused once a real owner exists.
pub async fn add_owner(
    pool: &PgPool,
    config: &Config,
    email: &str,
    name: &str,
) -> Result<String, AppError> {
    let email = parse_email(email)?;
    let name = parse_name(name, &email)?;
    let (email, name) = (email.as_str(), name.as_str());
    let mut tx = pool.begin().await?;
    db::staff::lock_accounts(&mut tx).await?;
    let owners = db::staff::other_active_owners(&mut tx, None).await?;
    if let Some(o) = owners.iter().find(|o| !o.is_demo) {
        return Err(AppError::Invalid(format!(
            "This business already has an owner ({}). They can invite people from /staff/team; \
             for a new set-password link run `customer-room staff reset-link {}`.",
            o.email, o.email
        )));
    }
    let new = NewStaff {
        email,
        display_name: name,
        role: StaffRole::Owner,
        password_hash: None,
        is_demo: false,
    };
    let Some(id) = db::staff::insert(&mut tx, &new).await? else {
        return Err(AppError::Invalid(format!(
            "{email} already has a staff account. For a new set-password link run \
             `customer-room staff reset-link {email}`."
        )));
    };
    let link = new_link(&mut tx, config, id, CLI_LINK_LIFETIME).await?;
    tx.commit().await?;
    tracing::info!(staff = %email, "owner account created from the command line");
    Ok(link)
}

/// `customer-room staff reset-link EMAIL`: a new set-password link for an active account.
pub async fn reset_link(pool: &PgPool, config: &Config, email: &str) -> Result<String, AppError> {
    let email = parse_email(email)?;
    let user = db::staff::active_by_email(pool, email.as_str())
        .await?
        .ok_or_else(|| AppError::Invalid(format!("No active staff account uses {email}.")))?;
    let mut tx = pool.begin().await?;
    let link = new_link(&mut tx, config, user.id, CLI_LINK_LIFETIME).await?;
    tx.commit().await?;
    Ok(link)
}

/// First-run setup: creates the owner with a password, only while there are no staff.
pub async fn setup_first_owner(
    pool: &PgPool,
    email: &Email,
    name: &PersonName,
    password_hash: &str,
) -> Result<StaffUser, AppError> {
    let mut tx = pool.begin().await?;
    db::staff::lock_accounts(&mut tx).await?;
    if db::staff::count(&mut tx, false).await? > 0 {
        return Err(AppError::NotFound);
    }
    let new = NewStaff {
        email: email.as_str(),
        display_name: name.as_str(),
        role: StaffRole::Owner,
        password_hash: Some(password_hash),
        is_demo: false,
    };
    let id = db::staff::insert(&mut tx, &new)
        .await?
        .ok_or(AppError::NotFound)?;
    tx.commit().await?;
    tracing::info!(staff = %email, "owner account created by first-run setup");
    Ok(StaffUser {
        id,
        email: email.to_string(),
        display_name: name.to_string(),
        role: StaffRole::Owner,
    })
}

/// Changes a role. The last owner can't stop being one.
pub async fn change_role(pool: &PgPool, id: Uuid, role: StaffRole) -> Result<(), AppError> {
    let mut tx = pool.begin().await?;
    db::staff::lock_accounts(&mut tx).await?;
    let target = db::staff::find(&mut tx, None, Some(id))
        .await?
        .ok_or(AppError::NotFound)?;
    if target.user.role == StaffRole::Owner && role != StaffRole::Owner {
        refuse_if_last_owner(&mut tx, id).await?;
    }
    db::staff::set_role(&mut tx, id, role).await?;
    tx.commit().await?;
    tracing::info!(staff = %target.user.email, role = role.as_str(), "staff role changed");
    Ok(())
}

/// Deactivates (its sessions end at once, its links stop working) or reactivates an account.
pub async fn set_active(pool: &PgPool, id: Uuid, active: bool) -> Result<(), AppError> {
    let mut tx = pool.begin().await?;
    db::staff::lock_accounts(&mut tx).await?;
    let target = db::staff::find(&mut tx, None, Some(id))
        .await?
        .ok_or(AppError::NotFound)?;
    if !active && target.user.role == StaffRole::Owner {
        refuse_if_last_owner(&mut tx, id).await?;
    }
    db::staff::set_active(&mut tx, id, active).await?;
    if !active {
        db::access::delete_staff_sessions(&mut tx, id).await?;
        db::staff::delete_password_links(&mut tx, id).await?;
    }
    tx.commit().await?;
    let what = if active { "reactivated" } else { "deactivated" };
    tracing::info!(staff = %target.user.email, "staff account {what}");
    Ok(())
}

/// Another active owner who can sign in must remain.
async fn refuse_if_last_owner(conn: &mut PgConnection, id: Uuid) -> Result<(), AppError> {
    let others = db::staff::other_active_owners(conn, Some(id)).await?;
    if others.iter().any(|o| o.has_password) {
        Ok(())
    } else {
        Err(AppError::Invalid(LAST_OWNER.into()))
    }
}

/// Everyone on the team, for the owner's team page.
pub async fn team(pool: &PgPool) -> Result<Vec<crate::model::staff::TeamMember>, AppError> {
    Ok(db::staff::list(pool).await?)
}
