//! Logging in: the throttle that stops guessing (per account and per client address), finding
//! whose password to check, and the outcome once the password has been checked. The password
//! check itself runs in between, behind the password gate, outside any database connection.

use chrono::{DateTime, Utc};

use super::token_hash;
use crate::db::users::{self as user_rows, User};
use crate::db::{self, DbConn, login_failures};
use crate::domain::account::LoginThrottle;
use crate::domain::email::EmailAddress;
use crate::domain::role::UserStatus;
use crate::service::{ServiceError, to_db_time};

/// What failed logins are counted against: the typed address (known or not, so throttling does
/// not reveal which exist) and the client address. Only hashes are stored.
#[derive(Debug, Clone)]
pub struct ThrottleKeys {
    account: String,
    address: String,
}

impl ThrottleKeys {
    pub fn new(typed_email: &str, client_address: &str) -> ThrottleKeys {
        let account = EmailAddress::parse(typed_email)
            .map(|e| e.as_str().to_owned())
            .unwrap_or_else(|_| typed_email.trim().to_lowercase());
        ThrottleKeys {
            account: token_hash(&format!("login-account:{account}")),
            address: token_hash(&format!("login-address:{client_address}")),
        }
    }
}

/// How a login attempt ended.
#[derive(Debug, Clone)]
pub enum LoginOutcome {
    /// The password matches an active account.
    LoggedIn(User),
    /// Unknown address or wrong password; the two are not told apart.
    WrongCredentials,
    /// The password matches, but the address is not confirmed yet.
    NotVerified,
    /// The password matches a blocked account.
    Blocked,
}

/// Whether this attempt is refused because of earlier failures.
///
/// # Errors
/// On a database error.
pub fn login_throttled(
    conn: &mut DbConn,
    keys: &ThrottleKeys,
    throttle: LoginThrottle,
    now: DateTime<Utc>,
) -> Result<bool, ServiceError> {
    let since = to_db_time(now - throttle.window);
    let account = login_failures::count_login_failures_since(conn, &keys.account, since)?;
    let address = login_failures::count_login_failures_since(conn, &keys.address, since)?;
    let refused = throttle.refuses(account, address);
    if refused {
        tracing::warn!(failures.account = account, failures.address = address, "login throttled");
    }
    Ok(refused)
}

/// The account whose password to check, if the typed address has one.
///
/// # Errors
/// On a database error.
pub fn find_login_account(conn: &mut DbConn, typed_email: &str) -> Result<Option<User>, ServiceError> {
    let Ok(email) = EmailAddress::parse(typed_email) else {
        return Ok(None);
    };
    Ok(user_rows::find_user_by_email(conn, email.as_str())?)
}

/// Decides the outcome once the password was checked, and counts a failure against both keys.
///
/// # Errors
/// On a database error.
pub fn finish_login(
    conn: &mut DbConn,
    account: Option<User>,
    password_matches: bool,
    keys: &ThrottleKeys,
    throttle: LoginThrottle,
    now: DateTime<Utc>,
) -> Result<LoginOutcome, ServiceError> {
    let outcome = match account {
        Some(user) if password_matches => match UserStatus::parse(&user.status) {
            Ok(UserStatus::Active) => LoginOutcome::LoggedIn(user),
            Ok(UserStatus::Pending) => LoginOutcome::NotVerified,
            _ => LoginOutcome::Blocked,
        },
        _ => LoginOutcome::WrongCredentials,
    };
    if matches!(outcome, LoginOutcome::WrongCredentials) {
        db::write_transaction(conn, |conn| {
            login_failures::prune_login_failures(conn, to_db_time(now - throttle.window))?;
            login_failures::record_login_failure(conn, &keys.account, to_db_time(now))?;
            login_failures::record_login_failure(conn, &keys.address, to_db_time(now))?;
            Ok::<_, ServiceError>(())
        })?;
    }
    Ok(outcome)
}
