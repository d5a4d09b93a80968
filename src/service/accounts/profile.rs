//! Changing what an account holds: name, e-mail address (re-verified), password, language, and
//! personal API tokens; and blocking an account, which ends its sessions.

use chrono::{DateTime, Utc};

use super::account_mail::{AccountMailKind, Recipient, send_account_mail, send_account_mail_with};
use super::links::{issue_link, link_url};
use super::{TOKEN_PREFIX, random_urlsafe, token_hash};
use crate::db::users::{self as user_rows, ApiToken, User};
use crate::db::{self, DbConn, sessions};
use crate::domain::account::{DisplayName, TokenPurpose};
use crate::domain::email::EmailAddress;
use crate::domain::ids::UserId;
use crate::domain::vocabulary::UserStatus;
use crate::i18n::Lang;
use crate::service::ErrorCode;
use crate::service::UnitOfWork;
use crate::service::{ServiceError, to_db_time};

/// The longest label of an API token.
pub const MAX_TOKEN_NAME_CHARS: usize = 60;

/// # Errors
/// On a database error.
pub fn change_name(
    tx: &mut UnitOfWork<'_>,
    user_id: &UserId,
    name: &DisplayName,
    now: DateTime<Utc>,
) -> Result<(), ServiceError> {
    tx.write_transaction(|tx| user_rows::update_user_name(tx, user_id, name.as_str(), to_db_time(now)))?;
    Ok(())
}

/// Stores the language pages and e-mails use for this person.
///
/// # Errors
/// On a database error.
pub fn set_language(
    tx: &mut UnitOfWork<'_>,
    user_id: &UserId,
    lang: Lang,
    now: DateTime<Utc>,
) -> Result<(), ServiceError> {
    tx.write_transaction(|tx| user_rows::update_user_locale(tx, user_id, lang.code(), to_db_time(now)))?;
    Ok(())
}

/// Sends a confirmation link to the new address; the login changes only when it is clicked. If
/// the new address has an account already, its owner gets "you already have an account" instead
/// and the caller answers the same, so the form cannot be used to probe addresses. Either way
/// the old address is told, in `lang`, that a change to a (masked) new address was asked for,
/// with a way to reset the password, so a taken-over session cannot move the account quietly.
/// The caller has checked the current password.
///
/// # Errors
/// `Invalid` (`email_unchanged`) when the address is the current one; a database error.
pub fn request_email_change(
    tx: &mut UnitOfWork<'_>,
    user: &User,
    new_email: &EmailAddress,
    lang: Lang,
    public_url: &str,
    now: DateTime<Utc>,
) -> Result<(), ServiceError> {
    if new_email.as_str() == user.email {
        return Err(ServiceError::Invalid {
            field: "email",
            code: ErrorCode::EmailUnchanged,
            message: "this is the current address".to_owned(),
        });
    }
    tx.write_transaction(|tx| {
        let old = Recipient { email: &user.email, name: &user.name, lang };
        let reset = format!("{}/password/forgot", public_url.trim_end_matches('/'));
        let args = vec![("new_email", masked_email(new_email))];
        send_account_mail_with(tx, old, AccountMailKind::EmailChangeRequested, &reset, args, now)?;
        if let Some(owner) = user_rows::find_user_by_email(tx, new_email.as_str())? {
            let to = Recipient {
                email: new_email.as_str(),
                name: &owner.name,
                lang: Lang::parse(&owner.locale).unwrap_or(lang),
            };
            let link = format!("{}/password/forgot", public_url.trim_end_matches('/'));
            return send_account_mail(tx, to, AccountMailKind::AlreadyRegistered, &link, now);
        }
        let secret = issue_link(tx, &user.id, TokenPurpose::ChangeEmail, Some(new_email.as_str()), now)?;
        let to = Recipient { email: new_email.as_str(), name: &user.name, lang };
        send_account_mail(tx, to, AccountMailKind::ConfirmNewEmail, &link_url(public_url, "verify", &secret), now)
    })
}

/// Enough of an address for its owner to recognise it, too little for anyone else to use:
/// `maria.meier@example.org` becomes `m…@e….org`.
fn masked_email(email: &EmailAddress) -> String {
    let (local, domain) = email.as_str().rsplit_once('@').unwrap_or((email.as_str(), ""));
    let first = |text: &str| text.chars().next().map(String::from).unwrap_or_default();
    let domain = match domain.rsplit_once('.') {
        Some((name, top)) => format!("{}….{top}", first(name)),
        None => format!("{}…", first(domain)),
    };
    format!("{}…@{domain}", first(local))
}

/// Stores a new password (the caller checked the current one) and ends every other session, so a
/// session someone else holds stops working.
///
/// # Errors
/// On a database error.
pub fn change_password(
    tx: &mut UnitOfWork<'_>,
    user_id: &UserId,
    new_password_hash: &str,
    current_session_id: &str,
    now: DateTime<Utc>,
) -> Result<(), ServiceError> {
    tx.write_transaction(|tx| {
        user_rows::update_password_hash(tx, user_id, new_password_hash, to_db_time(now))?;
        let keep = token_hash(current_session_id);
        let ended = sessions::delete_user_sessions(tx, user_id, Some(&keep))?;
        tracing::info!(user.id = %user_id, sessions.ended = ended, "password changed");
        Ok(())
    })
}

/// Blocks an account: it can no longer log in, book or use its API tokens, and every session
/// ends at once.
///
/// # Errors
/// `NotFound` for an unknown user; a database error.
pub fn block_user(tx: &mut UnitOfWork<'_>, user_id: &UserId, now: DateTime<Utc>) -> Result<(), ServiceError> {
    tx.write_transaction(|tx| {
        user_rows::find_user(tx, user_id)?.ok_or(ServiceError::NotFound)?;
        user_rows::update_user_status(tx, user_id, UserStatus::Blocked, to_db_time(now))?;
        let ended = sessions::delete_user_sessions(tx, user_id, None)?;
        tracing::info!(user.id = %user_id, sessions.ended = ended, "account blocked");
        Ok(())
    })
}

/// A new personal API token for the user. Returns the secret, shown once and never stored.
///
/// # Errors
/// `Invalid` (`missing_token_name`, `token_name_too_long`); a database error.
pub fn create_user_api_token(
    tx: &mut UnitOfWork<'_>,
    user_id: &UserId,
    name: &str,
    now: DateTime<Utc>,
) -> Result<(ApiToken, String), ServiceError> {
    let name = name.trim();
    if name.is_empty() {
        return Err(ServiceError::Invalid {
            field: "name",
            code: ErrorCode::MissingTokenName,
            message: "a token needs a name".to_owned(),
        });
    }
    if name.chars().count() > MAX_TOKEN_NAME_CHARS || name.chars().any(char::is_control) {
        return Err(ServiceError::Invalid {
            field: "name",
            code: ErrorCode::TokenNameTooLong,
            message: "a token name has at most 60 printable characters".to_owned(),
        });
    }
    let secret = format!("{TOKEN_PREFIX}{}", random_urlsafe(32));
    let token = ApiToken {
        id: db::new_id(),
        user_id: user_id.to_owned(),
        name: name.to_owned(),
        token_hash: token_hash(&secret),
        created_at: to_db_time(now),
        last_used_at: None,
        revoked_at: None,
    };
    tx.write_transaction(|tx| user_rows::insert_api_token(tx, &token))?;
    Ok((token, secret))
}

/// The user's tokens that still work, newest first.
///
/// # Errors
/// On a database error.
pub fn list_user_api_tokens(conn: &mut DbConn, user_id: &UserId) -> Result<Vec<ApiToken>, ServiceError> {
    Ok(user_rows::list_api_tokens(conn, user_id)?.into_iter().filter(|t| t.revoked_at.is_none()).collect())
}

/// Revokes one of the user's own tokens.
///
/// # Errors
/// `NotFound` for a token that is not theirs or revoked already; a database error.
pub fn revoke_user_api_token(
    tx: &mut UnitOfWork<'_>,
    user_id: &UserId,
    token_id: &str,
    now: DateTime<Utc>,
) -> Result<(), ServiceError> {
    if tx.write_transaction(|tx| user_rows::revoke_api_token(tx, user_id, token_id, to_db_time(now)))? {
        Ok(())
    } else {
        Err(ServiceError::NotFound)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[test]
    fn a_masked_address_keeps_first_letters_and_the_top_level_domain() {
        let masked = |text: &str| masked_email(&EmailAddress::parse(text).unwrap());
        assert_eq!(masked("maria.meier@example.org"), "m…@e….org");
        assert_eq!(masked("x@mail.example.de"), "x…@m….de");
    }
}
