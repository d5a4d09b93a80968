//! Accounts: creating users with roles, hashing passwords, personal API tokens; registering,
//! verifying, logging in, resetting and changing what an account holds (in the submodules).
//!
//! Passwords are hashed with argon2id (19 MiB, 2 passes, 1 lane, OWASP's minimum); callers on
//! the async runtime must run [`hash_password`] on a blocking thread. API tokens are 32 random
//! bytes; only their SHA-256 is stored, which is enough for a secret of that entropy.

mod account_mail;
mod links;
mod login;
mod password_hash;
mod personal_data;
mod profile;
mod registration;

pub use account_mail::{AccountMailKind, Recipient, send_account_mail};
pub use login::{
    Admission, CountedAttempt, KnownDevice, LoginOutcome, LoginStart, REGISTER_PER_ACCOUNT, REGISTER_PER_ADDRESS,
    RESET_PER_ACCOUNT, RESET_PER_ADDRESS, Throttle, ThrottleKeys, device_cookie_value, find_login_account,
    finish_login, give_back_attempt, known_device, login_throttled, request_reset_link, resolve_reset_requests,
    take_attempt,
};
pub use personal_data::{
    ApiTokenExport, BookingExport, PersonalDataExport, ProfileExport, RoleExport, delete_account, export_personal_data,
};
pub use profile::{
    MAX_TOKEN_NAME_CHARS, block_user, change_name, change_password, create_user_api_token, list_user_api_tokens,
    request_email_change, revoke_user_api_token, set_language,
};
pub use registration::{
    Verified, check_reset_link, insert_pending_member, issue_claim_link, register, reset_password,
    use_verification_link, verify_with_password,
};

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Utc};
use rand::RngCore;
use sha2::{Digest, Sha256};

use super::{ServiceError, from_db_time, to_db_time};
use crate::db::users::{self as user_rows, ApiToken, User, UserRole};
use crate::db::{self, catalog};
use crate::domain::account::AccountInputError;
use crate::domain::email::EmailAddress;
use crate::domain::ids::UserId;
use crate::domain::role::Role;
use crate::domain::vocabulary::RoleKind;
use crate::domain::vocabulary::UserStatus;
use crate::service::{ErrorCode, UnitOfWork};

/// Prefix of every personal API token, so a leaked one is easy to recognise in a scanner.
pub const TOKEN_PREFIX: &str = "rh_";

/// Creates an active user with one role and the given password.
///
/// # Errors
/// `Invalid` for a bad e-mail address, an empty name or an unknown hub in the role; `Conflict`
/// when the e-mail address is taken.
pub fn add_user(
    tx: &mut UnitOfWork<'_>,
    email: &str,
    name: &str,
    role: &Role,
    password: &str,
    now: DateTime<Utc>,
) -> Result<User, ServiceError> {
    let email = EmailAddress::parse(email).map_err(|e| ServiceError::Invalid {
        field: "email",
        code: ErrorCode::InvalidEmail,
        message: e.to_string(),
    })?;
    let name = name.trim();
    if name.is_empty() {
        return Err(ServiceError::Invalid {
            field: "name",
            code: ErrorCode::AccountInput(AccountInputError::MissingName),
            message: "a name is required".to_owned(),
        });
    }
    if password.chars().count() < 12 {
        return Err(ServiceError::Invalid {
            field: "password",
            code: ErrorCode::AccountInput(AccountInputError::PasswordTooShort),
            message: "a password needs at least 12 characters".to_owned(),
        });
    }
    let hash = hash_password(password)?;
    tx.write_transaction(|tx| {
        if user_rows::find_user_by_email(tx, email.as_str())?.is_some() {
            return Err(ServiceError::Conflict {
                code: ErrorCode::EmailTaken,
                message: "An account with this e-mail address exists already.".to_owned(),
            });
        }
        let user = User {
            id: UserId::from(db::new_id()),
            email: email.as_str().to_owned(),
            name: name.to_owned(),
            locale: "de".to_owned(),
            status: UserStatus::Active,
            password_hash: Some(hash),
            created_at: to_db_time(now),
            updated_at: to_db_time(now),
        };
        user_rows::insert_user(tx, &user)?;
        let (role_kind, hub_id) = match role {
            Role::Member => (RoleKind::Member, None),
            Role::Admin => (RoleKind::Admin, None),
            Role::HubManager(hub) => {
                let hub = catalog::find_hub(tx, &hub.0)?.ok_or_else(|| ServiceError::Invalid {
                    field: "role",
                    code: ErrorCode::UnknownHub,
                    message: format!("there is no hub {:?}", hub.0),
                })?;
                (RoleKind::HubManager, Some(hub.id))
            }
        };
        user_rows::grant_role(tx, &UserRole { id: db::new_id(), user_id: user.id.clone(), role: role_kind, hub_id })?;
        Ok(user)
    })
}

/// A new personal API token for the user with this e-mail address. Returns the secret, which
/// is shown once and never stored.
///
/// # Errors
/// `Invalid` for a malformed address, `NotFound` when no such user exists.
pub fn create_api_token(
    tx: &mut UnitOfWork<'_>,
    email: &str,
    name: &str,
    now: DateTime<Utc>,
) -> Result<(ApiToken, String), ServiceError> {
    let email = EmailAddress::parse(email).map_err(|e| ServiceError::Invalid {
        field: "email",
        code: ErrorCode::InvalidEmail,
        message: e.to_string(),
    })?;
    let user = user_rows::find_user_by_email(tx, email.as_str())?.ok_or(ServiceError::NotFound)?;
    create_user_api_token(tx, &user.id, name, now)
}

/// The user a bearer token belongs to, if the token is valid and not revoked. When it was last
/// used is written at most once a minute.
///
/// # Errors
/// On a database failure.
pub fn authenticate_token(
    tx: &mut UnitOfWork<'_>,
    secret: &str,
    now: DateTime<Utc>,
) -> Result<Option<User>, ServiceError> {
    if !secret.starts_with(TOKEN_PREFIX) {
        return Ok(None);
    }
    let Some((token, user)) = user_rows::find_user_by_token_hash(tx, &token_hash(secret))? else {
        return Ok(None);
    };
    let recently = token.last_used_at.is_some_and(|used| now - from_db_time(used) < super::sessions::TOUCH_EVERY);
    if !recently {
        tx.write_transaction(|tx| user_rows::touch_api_token(tx, &token.id, to_db_time(now)))?;
    }
    Ok(Some(user))
}

/// Hex SHA-256 of a token secret: what the database keeps instead of the token.
pub fn token_hash(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}

/// A random password for `regiohub user add` without `--password-stdin`: 18 bytes, 24
/// characters, well beyond guessing.
pub fn generate_password() -> String {
    random_urlsafe(18)
}

/// An argon2id PHC string for `password`. CPU- and memory-heavy on purpose: keep it off the
/// async executor.
///
/// # Errors
/// Only if argon2 rejects its own parameters, which would be a programming error.
pub fn hash_password(password: &str) -> Result<String, ServiceError> {
    password_hash::hash(password).map_err(|e| ServiceError::Invalid {
        field: "password",
        code: ErrorCode::HashFailed,
        message: e.to_string(),
    })
}

/// Whether `password` matches the stored PHC string; a malformed hash never matches.
pub fn verify_password(hash: &str, password: &str) -> bool {
    password_hash::verify(hash, password)
}

/// `bytes` random bytes from the OS generator as URL-safe text: session ids, link secrets,
/// CSRF tokens.
pub fn random_urlsafe(bytes: usize) -> String {
    let mut buffer = vec![0u8; bytes];
    rand::rng().fill_bytes(&mut buffer);
    URL_SAFE_NO_PAD.encode(buffer)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[test]
    fn passwords_are_argon2id_and_verify() {
        let hash = hash_password("correct horse battery").unwrap();
        assert!(hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{hash}");
        assert!(verify_password(&hash, "correct horse battery"));
        assert!(!verify_password(&hash, "correct horse battery!"));
        assert!(!verify_password("not a hash", "x"));
    }

    #[test]
    fn token_hash_is_not_the_token() {
        let hash = token_hash("rh_secret");
        assert_eq!(hash.len(), 64);
        assert!(!hash.contains("secret"));
    }
}
