//! Registering, confirming the address, and resetting a forgotten password. The answers never
//! tell whether an address has an account: the mailbox's owner learns that from the mail.

use chrono::{DateTime, Utc};

use super::account_mail::{AccountMailKind, Recipient, send_account_mail, send_account_mail_with};
use super::links::{issue_link, link_url, peek_link, redeem_link};
use crate::db::users::{self as user_rows, User, UserRole};
use crate::db::{self, DbConn, email_tokens, sessions};
use crate::domain::account::{DisplayName, TokenPurpose};
use crate::domain::email::EmailAddress;
use crate::domain::ids::UserId;
use crate::domain::vocabulary::RoleKind;
use crate::domain::vocabulary::UserStatus;
use crate::i18n::Lang;
use crate::service::ErrorCode;
use crate::service::UnitOfWork;
use crate::service::{ServiceError, to_db_time};

/// What a clicked verification link did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verified {
    /// A new account is active now.
    Account,
    /// The account's login is the new address now.
    NewEmail,
    /// Nothing yet: the account has no password, so the link's holder chooses one first
    /// ([`verify_with_password`]); the link stays usable.
    PasswordNeeded,
}

/// Registers a member, or — when the address has an account — tells the address's owner so.
///
/// A new address gets a pending account with the password and a verification link. A
/// registration for an address that has an account never sets a password: for a pending
/// account it drops the password an earlier registration chose (nobody has proved the mailbox
/// yet, so it may be an intruder's) and mails a link whose page asks the mailbox's owner to
/// choose the password; older links stop working. An address with an active or blocked account
/// gets "you already have an account". The caller shows the same answer in every case and has
/// hashed the password in every case, so neither answer nor time tells them apart.
///
/// # Errors
/// On a database error.
pub fn register(
    tx: &mut UnitOfWork<'_>,
    email: &EmailAddress,
    name: &DisplayName,
    password_hash: &str,
    lang: Lang,
    public_url: &str,
    now: DateTime<Utc>,
) -> Result<(), ServiceError> {
    tx.write_transaction(|tx| {
        let existing = user_rows::find_user_by_email(tx, email.as_str())?;
        let (user_id, kind) = match existing {
            Some(user) if user.status != UserStatus::Pending => {
                let to = Recipient {
                    email: email.as_str(),
                    name: &user.name,
                    lang: Lang::parse(&user.locale).unwrap_or(lang),
                };
                let link = format!("{}/password/forgot", public_url.trim_end_matches('/'));
                return send_account_mail(tx, to, AccountMailKind::AlreadyRegistered, &link, now);
            }
            Some(pending) => {
                user_rows::clear_password_hash(tx, &pending.id, to_db_time(now))?;
                tracing::info!(user.id = %pending.id, "registered again before verification, password to be chosen");
                (pending.id, AccountMailKind::VerifyChoosePassword)
            }
            None => {
                let user = insert_pending_member(tx, email, name, lang, Some(password_hash), now)?;
                tracing::info!(user.id = %user.id, "account registered, waiting for verification");
                (user.id, AccountMailKind::Verify)
            }
        };
        let secret = issue_link(tx, &user_id, TokenPurpose::Verify, None, now)?;
        let to = Recipient { email: email.as_str(), name: name.as_str(), lang };
        send_account_mail(tx, to, kind, &link_url(public_url, "verify", &secret), now)
    })
}

/// A new member account in status `pending`: registered (with a password, until the address is
/// confirmed) or made by staff booking for someone (without one, until the person claims it).
///
/// # Errors
/// On a database error, including an address that has an account already.
pub fn insert_pending_member(
    conn: &mut DbConn,
    email: &EmailAddress,
    name: &DisplayName,
    lang: Lang,
    password_hash: Option<&str>,
    now: DateTime<Utc>,
) -> Result<User, ServiceError> {
    let user = User {
        id: UserId::from(db::new_id()),
        email: email.as_str().to_owned(),
        name: name.as_str().to_owned(),
        locale: lang.code().to_owned(),
        status: UserStatus::Pending,
        password_hash: password_hash.map(str::to_owned),
        created_at: to_db_time(now),
        updated_at: to_db_time(now),
    };
    user_rows::insert_user(conn, &user)?;
    user_rows::grant_role(
        conn,
        &UserRole { id: db::new_id(), user_id: user.id.clone(), role: RoleKind::Member, hub_id: None },
    )?;
    Ok(user)
}

/// Uses a link from a verification or address-change mail.
///
/// # Errors
/// `Invalid` (`link_unknown`, `link_used`, `link_expired`); `Conflict` (`email_taken`) when the
/// new address got an account in the meantime; a database error.
pub fn use_verification_link(
    tx: &mut UnitOfWork<'_>,
    secret: &str,
    now: DateTime<Utc>,
) -> Result<Verified, ServiceError> {
    tx.write_transaction(|tx| {
        let (token, purpose) = peek_link(tx, secret, &[TokenPurpose::Verify, TokenPurpose::ChangeEmail], now)?;
        if purpose == TokenPurpose::Verify
            && user_rows::find_user(tx, &token.user_id)?
                .is_some_and(|u| u.password_hash.is_none() && u.status == UserStatus::Pending)
        {
            return Ok(Verified::PasswordNeeded);
        }
        let (token, purpose) = redeem_link(tx, secret, &[TokenPurpose::Verify, TokenPurpose::ChangeEmail], now)?;
        let user = user_rows::find_user(tx, &token.user_id)?.ok_or(ServiceError::NotFound)?;
        match (purpose, token.new_email) {
            (TokenPurpose::ChangeEmail, Some(new_email)) => {
                if user_rows::find_user_by_email(tx, &new_email)?.is_some_and(|other| other.id != user.id) {
                    return Err(ServiceError::Conflict {
                        code: ErrorCode::EmailTaken,
                        message: "Another account uses this address now.".to_owned(),
                    });
                }
                user_rows::update_user_email(tx, &user.id, &new_email, to_db_time(now))?;
                tracing::info!(user.id = %user.id, "e-mail address changed");
                Ok(Verified::NewEmail)
            }
            _ => {
                if user.status == UserStatus::Pending {
                    user_rows::update_user_status(tx, &user.id, UserStatus::Active, to_db_time(now))?;
                    tracing::info!(user.id = %user.id, "account verified");
                }
                Ok(Verified::Account)
            }
        }
    })
}

/// Uses a verification link together with the password its holder chose: the account gets the
/// password and is active. Only for accounts still pending, so a link cannot replace the
/// password of an account that is in use.
///
/// # Errors
/// `Invalid` (`link_unknown`, `link_used`, `link_expired`); a database error.
pub fn verify_with_password(
    tx: &mut UnitOfWork<'_>,
    secret: &str,
    password_hash: &str,
    now: DateTime<Utc>,
) -> Result<(), ServiceError> {
    tx.write_transaction(|tx| {
        let (token, _) = redeem_link(tx, secret, &[TokenPurpose::Verify], now)?;
        let user = user_rows::find_user(tx, &token.user_id)?.ok_or(ServiceError::NotFound)?;
        if user.status != UserStatus::Pending {
            return Err(ServiceError::Invalid {
                field: "token",
                code: ErrorCode::LinkUsed,
                message: "the account is not waiting for verification".to_owned(),
            });
        }
        user_rows::update_password_hash(tx, &user.id, password_hash, to_db_time(now))?;
        user_rows::update_user_status(tx, &user.id, UserStatus::Active, to_db_time(now))?;
        tracing::info!(user.id = %user.id, "account verified with a password chosen on the link's page");
        Ok(())
    })
}

/// A link for a person staff made an account for (status `pending`, no password): it opens the
/// "choose a new password" page, which activates the account, so claiming needs nothing new.
/// Returns the absolute link; only its hash is stored. Call inside the transaction that makes
/// the account.
///
/// A pending account may carry a password from a registration nobody confirmed (perhaps not
/// the person at the desk); it is dropped, so whoever confirms the address — with this link or
/// the registration's — chooses the password.
///
/// # Errors
/// On a database error.
pub fn issue_claim_link(
    conn: &mut DbConn,
    user_id: &UserId,
    public_url: &str,
    now: DateTime<Utc>,
) -> Result<String, ServiceError> {
    if user_rows::find_user(conn, user_id)?
        .is_some_and(|u| u.password_hash.is_some() && u.status == UserStatus::Pending)
    {
        user_rows::clear_password_hash(conn, user_id, to_db_time(now))?;
    }
    let secret = issue_link(conn, user_id, TokenPurpose::Reset, None, now)?;
    Ok(link_url(public_url, "password/reset", &secret))
}

/// Whether a reset link can still be used, so the page can say so before anyone types.
///
/// # Errors
/// `Invalid` (`link_unknown`, `link_used`, `link_expired`); a database error.
pub fn check_reset_link(conn: &mut DbConn, secret: &str, now: DateTime<Utc>) -> Result<(), ServiceError> {
    peek_link(conn, secret, &[TokenPurpose::Reset], now).map(|_| ())
}

/// Sets a new password through a reset link and ends what the old password opened: every
/// session, every personal API token and an address change under way. A pending account
/// becomes active: the link proved the mailbox. An active account's owner gets a mail saying
/// what ended.
///
/// # Errors
/// `Invalid` (`link_unknown`, `link_used`, `link_expired`); a database error.
pub fn reset_password(
    tx: &mut UnitOfWork<'_>,
    secret: &str,
    new_password_hash: &str,
    public_url: &str,
    now: DateTime<Utc>,
) -> Result<User, ServiceError> {
    tx.write_transaction(|tx| {
        let (token, _) = redeem_link(tx, secret, &[TokenPurpose::Reset], now)?;
        let user = user_rows::find_user(tx, &token.user_id)?.ok_or(ServiceError::NotFound)?;
        if user.status == UserStatus::Blocked {
            return Err(ServiceError::Invalid {
                field: "token",
                code: ErrorCode::LinkUnknown,
                message: "the account is blocked".to_owned(),
            });
        }
        user_rows::update_password_hash(tx, &user.id, new_password_hash, to_db_time(now))?;
        if user.status == UserStatus::Pending {
            user_rows::update_user_status(tx, &user.id, UserStatus::Active, to_db_time(now))?;
        }
        for purpose in [TokenPurpose::Reset, TokenPurpose::ChangeEmail] {
            email_tokens::retire_user_email_tokens(tx, &user.id, purpose.as_str(), to_db_time(now))?;
        }
        let ended = sessions::delete_user_sessions(tx, &user.id, None)?;
        let tokens = user_rows::revoke_all_api_tokens(tx, &user.id, to_db_time(now))?;
        tracing::info!(user.id = %user.id, sessions.ended = ended, api_tokens.revoked = tokens, "password reset");
        if user.status == UserStatus::Active {
            let to =
                Recipient { email: &user.email, name: &user.name, lang: Lang::parse(&user.locale).unwrap_or_default() };
            let link = format!("{}/account", public_url.trim_end_matches('/'));
            let args = vec![("tokens", tokens.to_string())];
            send_account_mail_with(tx, to, AccountMailKind::PasswordResetDone, &link, args, now)?;
        }
        Ok(user)
    })
}
