//! Inviting a person: an active account without a password, and an emailed link to the
//! set-password page. A retried invite (double tap) sends nothing twice.
use super::accounts::INVITE_LIFETIME;
use crate::{
    model::{
        staff::{StaffRole, StaffUser},
        values::{Email, PersonName},
        AppError,
    },
    server::{
        auth::tokens,
        config::Config,
        db::{self, staff::NewStaff},
        notify::templates::Rendered,
    },
};
use sqlx::PgPool;

pub enum Invited {
    Sent,
    /// The same invite was sent moments ago: nothing more was sent.
    AlreadySent,
}

pub async fn invite(
    pool: &PgPool,
    config: &Config,
    inviter: &StaffUser,
    email: &Email,
    name: &PersonName,
    role: StaffRole,
) -> Result<Invited, AppError> {
    let (email, name) = (email.as_str(), name.as_str());
    let mut tx = pool.begin().await?;
    db::staff::lock_accounts(&mut tx).await?;
    let id = match db::staff::find(&mut tx, Some(email), None).await? {
        None => {
            let new = NewStaff {
                email,
                display_name: name,
                role,
                password_hash: None,
                is_demo: false,
            };
            db::staff::insert(&mut tx, &new)
                .await?
                .ok_or(AppError::Internal)?
        }
        Some(a) if !a.active => {
            return Err(AppError::Invalid(format!(
                "{email} has a deactivated account. Reactivate it in the list below instead."
            )))
        }
        Some(a) if a.has_password => {
            return Err(AppError::Invalid(format!(
                "{email} already has an account."
            )))
        }
        Some(a) if a.invited_recently => return Ok(Invited::AlreadySent),
        Some(a) => {
            db::staff::refresh_invite(&mut tx, a.user.id, name, role).await?;
            a.user.id
        }
    };
    let (token, hash) = tokens::new_token();
    db::staff::delete_password_links(&mut tx, id).await?;
    db::staff::insert_password_link(&mut tx, &hash, id, INVITE_LIFETIME).await?;
    let link = super::accounts::set_password_link(config, &token);
    let m = invite_email(config, &inviter.display_name, name, role, &link);
    db::outbox::enqueue(&mut tx, "email", email, &m, None).await?;
    tx.commit().await?;
    tracing::info!(staff = %email, by = %inviter.email, "staff invited");
    Ok(Invited::Sent)
}

fn invite_email(
    config: &Config,
    inviter: &str,
    name: &str,
    role: StaffRole,
    link: &str,
) -> Rendered {
    let business = &config.business_name;
    Rendered {
        template: "staff_invite",
        subject: format!("You're invited to {business}'s Customer Room"),
        body: format!(
            "Hi {name},\n\n{inviter} added you to {business}'s Customer Room as {}.\n\
             Choose your password here within 7 days:\n{link}\n\n\
             If you weren't expecting this, ignore this email.\n\n{business}",
            role.label().to_lowercase()
        ),
    }
}
