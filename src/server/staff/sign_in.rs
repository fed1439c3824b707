//! Checking passwords without letting anyone lock a person out: failed sign-ins slow down
//! per (account, address) pair and, more loosely, per address — a correct password from
//! another address still works. Password reset checks the link before it hashes anything.
use crate::{
    model::{staff::StaffUser, AppError},
    server::{
        auth::{passwords, tokens::hash_token},
        db::{self, throttle},
    },
};
use sqlx::PgPool;
use uuid::Uuid;

/// Failures allowed before the backoff starts, per (account, address) pair.
pub const PAIR_FREE: i32 = 5;
/// The looser limit per address (many accounts tried from one place).
pub const ADDRESS_FREE: i32 = 20;
/// Reset attempts with a wrong link, per address and per link.
pub const RESET_ADDRESS_FREE: i32 = 10;
pub const RESET_TOKEN_FREE: i32 = 5;
/// The longest wait: 15 minutes.
pub const MAX_WAIT_SECS: i64 = 15 * 60;

pub fn pair_key(email: &str, address: &str) -> String {
    format!("signin:{email}|{address}")
}

fn address_key(address: &str) -> String {
    format!("signin-ip:{address}")
}

async fn refuse_while_waiting(pool: &PgPool, keys: &[&str]) -> Result<(), AppError> {
    for key in keys {
        if throttle::wait_secs(pool, key).await? > 0 {
            return Err(AppError::RateLimited);
        }
    }
    Ok(())
}

/// Checks an email and password. Unknown, invited and deactivated accounts get the same
/// answer as a wrong password, after the same work.
pub async fn check_password(
    pool: &PgPool,
    email: &str,
    password: String,
    address: &str,
) -> Result<StaffUser, AppError> {
    let pair = pair_key(email, address);
    let by_address = address_key(address);
    refuse_while_waiting(pool, &[&pair, &by_address]).await?;
    let found = db::staff::by_email(pool, email).await?;
    let ok = match found {
        Some((user, hash)) => passwords::verify(password, hash).await.then_some(user),
        None => {
            passwords::verify_dummy(password).await;
            None
        }
    };
    match ok {
        Some(user) => {
            throttle::clear(pool, &pair).await?;
            Ok(user)
        }
        None => {
            throttle::record_failure(pool, &pair, PAIR_FREE, MAX_WAIT_SECS).await?;
            throttle::record_failure(pool, &by_address, ADDRESS_FREE, MAX_WAIT_SECS).await?;
            Err(AppError::BadCredentials)
        }
    }
}

/// The rules for a new password, checked before anything slow happens.
pub fn check_new_password(password: &str, confirm: &str) -> Result<(), AppError> {
    if password.chars().count() < passwords::MIN_PASSWORD_LEN {
        return Err(AppError::Invalid(format!(
            "Please choose a password of at least {} characters.",
            passwords::MIN_PASSWORD_LEN
        )));
    }
    if password.chars().count() > 200 {
        return Err(AppError::Invalid(
            "Please choose a password under 200 characters.".into(),
        ));
    }
    if password != confirm {
        return Err(AppError::Invalid("The two passwords don't match.".into()));
    }
    Ok(())
}

pub async fn hash_new_password(password: String) -> Result<String, AppError> {
    passwords::hash(password).await.map_err(|e| {
        tracing::error!(error = %e, "password hashing failed");
        AppError::Internal
    })
}

/// Sets a password through a reset or invite link: rate limited per address and per link,
/// the link checked first (argon2 only runs for a valid one), and the account signed out
/// everywhere. Returns the account's id.
pub async fn complete_reset(
    pool: &PgPool,
    token: &str,
    password: String,
    confirm: &str,
    address: &str,
) -> Result<Uuid, AppError> {
    let token_hash = hash_token(token.trim());
    let by_address = format!("reset-ip:{address}");
    let by_token = format!("reset:{}", hex::encode(&token_hash));
    refuse_while_waiting(pool, &[&by_address]).await?;
    if throttle::wait_secs(pool, &by_token).await? > 0 {
        // Hammering one link still counts against the address trying it.
        throttle::record_failure(pool, &by_address, RESET_ADDRESS_FREE, MAX_WAIT_SECS).await?;
        return Err(AppError::RateLimited);
    }
    if let Err(e) = check_new_password(&password, confirm) {
        throttle::record_failure(pool, &by_token, RESET_TOKEN_FREE, MAX_WAIT_SECS).await?;
        return Err(e);
    }
    if !db::access::reset_token_valid(pool, &token_hash).await? {
        throttle::record_failure(pool, &by_address, RESET_ADDRESS_FREE, MAX_WAIT_SECS).await?;
        throttle::record_failure(pool, &by_token, RESET_TOKEN_FREE, MAX_WAIT_SECS).await?;
        return Err(AppError::LinkExpired);
    }
    let hash = hash_new_password(password).await?;
    let mut tx = pool.begin().await?;
    // Used up by a parallel request while we hashed: the same answer as any used link.
    let staff_id = db::access::consume_reset_token(&mut tx, &token_hash)
        .await?
        .ok_or(AppError::LinkExpired)?;
    db::staff::set_password(&mut tx, staff_id, &hash).await?;
    db::staff::delete_password_links(&mut tx, staff_id).await?;
    db::access::delete_staff_sessions(&mut tx, staff_id).await?;
    tx.commit().await?;
    Ok(staff_id)
}
