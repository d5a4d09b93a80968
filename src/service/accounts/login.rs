//! Logging in, and the throttles in front of every password hash (logging in, registering,
//! asking for a reset link): an attempt is counted in the database — one atomic step, before the
//! slow hash — against the typed address and the client address, and refused once either is
//! over its limit. Finding whose password to check and the outcome once it has been checked
//! live here too; the check itself runs in between, behind the password gate, outside any
//! database connection.

use chrono::{DateTime, Duration, Utc};
use hmac::{Hmac, Mac};
use sha2::Sha256;

use super::account_mail::{AccountMailKind, Recipient, send_account_mail};
use super::links::{issue_link, link_url};
use super::{random_urlsafe, token_hash};
use crate::db::login_failures::{self as counters, TakenAttempt};
use crate::db::password_reset_requests::{self as reset_request_rows, ResetRequest};
use crate::db::users::{self as user_rows, User};
use crate::db::{self, DbConn};
use crate::domain::account::{LoginThrottle, TokenPurpose};
use crate::domain::email::EmailAddress;
use crate::domain::vocabulary::UserStatus;
use crate::i18n::Lang;
use crate::secrets::SecretKey;
use crate::service::UnitOfWork;
use crate::service::{ServiceError, to_db_time};

/// At most `limit` attempts per key within `window` (a fixed window from the key's first
/// attempt).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Throttle {
    pub window: Duration,
    pub limit: i32,
}

/// Registrations per typed address: each may mail the address's owner.
pub const REGISTER_PER_ACCOUNT: Throttle = Throttle { window: Duration::hours(1), limit: 5 };
/// Registrations per client address; a hub's shared uplink may carry a whole workshop.
pub const REGISTER_PER_ADDRESS: Throttle = Throttle { window: Duration::hours(1), limit: 30 };
/// Reset requests per typed address: each mails its owner.
pub const RESET_PER_ACCOUNT: Throttle = Throttle { window: Duration::hours(1), limit: 3 };
/// Reset requests per client address.
pub const RESET_PER_ADDRESS: Throttle = Throttle { window: Duration::hours(1), limit: 10 };

/// What attempts are counted against: the typed address (known or not, so throttling does not
/// reveal which exist) and the client address, each under its own limit. Only hashes are stored.
#[derive(Debug, Clone)]
pub struct ThrottleKeys {
    keys: Vec<(String, Throttle)>,
}

impl ThrottleKeys {
    /// A login (or a password typed to confirm an action): per account and per client address.
    pub fn for_login(typed_email: &str, client_address: &str, throttle: LoginThrottle) -> ThrottleKeys {
        let limit = |n: i64| i32::try_from(n).unwrap_or(i32::MAX);
        ThrottleKeys {
            keys: vec![
                (
                    key("login-account", &normalised(typed_email)),
                    Throttle { window: throttle.window, limit: limit(throttle.per_account) },
                ),
                (
                    key("login-address", client_address),
                    Throttle { window: throttle.window, limit: limit(throttle.per_address) },
                ),
            ],
        }
    }

    /// A login from a device the typed address's owner logged in on before (see
    /// [`known_device`]): counted against that device instead of the account, so guesses from
    /// elsewhere that lock the account for unknown devices do not lock its owner out; the client
    /// address counts as for any login.
    pub fn for_login_from_known_device(
        device: &KnownDevice,
        client_address: &str,
        throttle: LoginThrottle,
    ) -> ThrottleKeys {
        let limit = |n: i64| i32::try_from(n).unwrap_or(i32::MAX);
        ThrottleKeys {
            keys: vec![
                (
                    key("login-device", &device.0),
                    Throttle { window: throttle.window, limit: limit(throttle.per_account) },
                ),
                (
                    key("login-address", client_address),
                    Throttle { window: throttle.window, limit: limit(throttle.per_address) },
                ),
            ],
        }
    }

    /// A registration.
    pub fn for_registration(typed_email: &str, client_address: &str) -> ThrottleKeys {
        ThrottleKeys {
            keys: vec![
                (key("register-account", &normalised(typed_email)), REGISTER_PER_ACCOUNT),
                (key("register-address", client_address), REGISTER_PER_ADDRESS),
            ],
        }
    }

    /// A request for a password reset link.
    pub fn for_reset_request(typed_email: &str, client_address: &str) -> ThrottleKeys {
        ThrottleKeys {
            keys: vec![
                (key("reset-account", &normalised(typed_email)), RESET_PER_ACCOUNT),
                (key("reset-address", client_address), RESET_PER_ADDRESS),
            ],
        }
    }
}

/// A device cookie that proves this browser logged in to the typed address's account before.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KnownDevice(String);

const DEVICE_KEY_LABEL: &[u8] = b"known device cookie v1";

fn device_mac(secret: &SecretKey, email: &str, nonce: &str) -> Option<Hmac<Sha256>> {
    let mut mac = Hmac::<Sha256>::new_from_slice(&secret.derived_key(DEVICE_KEY_LABEL)).ok()?;
    mac.update(key_of_email(email).as_bytes());
    mac.update(b":");
    mac.update(nonce.as_bytes());
    Some(mac)
}

fn key_of_email(email: &str) -> String {
    key("device-account", &normalised(email))
}

/// The value of a new device cookie for the account with `email`, set after a successful login:
/// a random nonce and a keyed hash binding it to the account (which the cookie does not name).
pub fn device_cookie_value(secret: &SecretKey, email: &str) -> String {
    let nonce = random_urlsafe(16);
    let mac = device_mac(secret, email, &nonce).map(|m| hex::encode(m.finalize().into_bytes())).unwrap_or_default();
    format!("{nonce}.{mac}")
}

/// The known device a cookie stands for, when it was issued for the typed address's account.
pub fn known_device(secret: &SecretKey, typed_email: &str, cookie_value: &str) -> Option<KnownDevice> {
    let (nonce, mac) = cookie_value.split_once('.')?;
    let mac = hex::decode(mac).ok()?;
    // Checked in constant time.
    device_mac(secret, typed_email, nonce)?.verify_slice(&mac).ok()?;
    Some(KnownDevice(nonce.to_owned()))
}

fn normalised(typed_email: &str) -> String {
    EmailAddress::parse(typed_email)
        .map(|e| e.as_str().to_owned())
        .unwrap_or_else(|_| typed_email.trim().to_lowercase())
}

fn key(purpose: &str, value: &str) -> String {
    token_hash(&format!("{purpose}:{value}"))
}

/// An attempt counted against every key, which [`give_back_attempt`] can take back.
#[derive(Debug, Clone)]
pub struct CountedAttempt {
    taken: Vec<(String, TakenAttempt)>,
}

/// Whether an attempt may go on to the slow work.
#[derive(Debug, Clone)]
pub enum Admission {
    /// Counted; go on.
    Admitted(CountedAttempt),
    /// Over a limit: nothing was counted; try again in this many seconds.
    Refused { retry_after_secs: u64 },
}

enum TakeError {
    Refused(u64),
    Service(ServiceError),
}

impl From<diesel::result::Error> for TakeError {
    fn from(error: diesel::result::Error) -> TakeError {
        TakeError::Service(ServiceError::from(db::DbError::from(error)))
    }
}

impl From<db::DbError> for TakeError {
    fn from(error: db::DbError) -> TakeError {
        TakeError::Service(ServiceError::from(error))
    }
}

/// Counts an attempt against every key in one transaction, before any slow work. Each key is
/// one atomic upsert that returns the new count, so of many simultaneous attempts exactly the
/// limit get through; a refused attempt is rolled back and counts nothing.
///
/// # Errors
/// On a database error.
pub fn take_attempt(
    tx: &mut UnitOfWork<'_>,
    keys: &ThrottleKeys,
    now: DateTime<Utc>,
) -> Result<Admission, ServiceError> {
    let result = tx.write_transaction(|tx| {
        counters::prune_ended_windows(tx, to_db_time(now))?;
        let mut taken = Vec::with_capacity(keys.keys.len());
        let mut wait: Option<u64> = None;
        for (key_hash, throttle) in &keys.keys {
            let attempt = counters::take_attempt(tx, key_hash, to_db_time(now + throttle.window), to_db_time(now))?;
            if attempt.attempts > throttle.limit {
                let left = (attempt.window_ends_at - to_db_time(now)).num_seconds().max(1);
                let left = u64::try_from(left).unwrap_or(1);
                wait = Some(wait.map_or(left, |w| w.max(left)));
            }
            taken.push((key_hash.clone(), attempt));
        }
        match wait {
            Some(secs) => Err(TakeError::Refused(secs)),
            None => Ok(CountedAttempt { taken }),
        }
    });
    match result {
        Ok(counted) => Ok(Admission::Admitted(counted)),
        Err(TakeError::Refused(retry_after_secs)) => {
            tracing::warn!(retry_after_secs, "attempt throttled");
            Ok(Admission::Refused { retry_after_secs })
        }
        Err(TakeError::Service(error)) => Err(error),
    }
}

/// Takes back a counted attempt: the password was right, or the work was never done (the
/// password gate was full).
///
/// # Errors
/// On a database error.
pub fn give_back_attempt(tx: &mut UnitOfWork<'_>, attempt: &CountedAttempt) -> Result<(), ServiceError> {
    tx.write_transaction(|tx| {
        for (key_hash, taken) in &attempt.taken {
            counters::give_back_attempt(tx, key_hash, *taken)?;
        }
        Ok(())
    })
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

/// The first step of a login: the attempt counted (or refused), and the account whose password
/// to check if the typed address has one.
#[derive(Debug, Clone)]
pub enum LoginStart {
    Throttled { retry_after_secs: u64 },
    Check { account: Option<User>, attempt: CountedAttempt },
}

/// Counts the login attempt before the password is checked, then finds the account.
///
/// # Errors
/// On a database error.
pub fn login_throttled(
    tx: &mut UnitOfWork<'_>,
    keys: &ThrottleKeys,
    typed_email: &str,
    now: DateTime<Utc>,
) -> Result<LoginStart, ServiceError> {
    match take_attempt(tx, keys, now)? {
        Admission::Refused { retry_after_secs } => Ok(LoginStart::Throttled { retry_after_secs }),
        Admission::Admitted(attempt) => {
            Ok(LoginStart::Check { account: find_login_account(tx, typed_email)?, attempt })
        }
    }
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

/// Decides the outcome once the password was checked. The attempt was counted before the
/// check; a right password takes it back, so only failures keep counting.
///
/// # Errors
/// On a database error.
pub fn finish_login(
    tx: &mut UnitOfWork<'_>,
    account: Option<User>,
    password_matches: bool,
    attempt: &CountedAttempt,
) -> Result<LoginOutcome, ServiceError> {
    let outcome = match account {
        Some(user) if password_matches => match user.status {
            UserStatus::Active => LoginOutcome::LoggedIn(user),
            UserStatus::Pending => LoginOutcome::NotVerified,
            UserStatus::Blocked => LoginOutcome::Blocked,
        },
        _ => LoginOutcome::WrongCredentials,
    };
    if !matches!(outcome, LoginOutcome::WrongCredentials) {
        give_back_attempt(tx, attempt)?;
    }
    Ok(outcome)
}

/// A request for a reset link, counted per typed and per client address first, then stored as
/// it was typed: the same one insert whether or not the address has an account, so neither the
/// answer nor its time nor the rows it writes tell them apart. The mail job turns it into a mail
/// afterwards ([`resolve_reset_requests`]).
///
/// # Errors
/// On a database error.
pub fn request_reset_link(
    tx: &mut UnitOfWork<'_>,
    keys: &ThrottleKeys,
    typed_email: &str,
    now: DateTime<Utc>,
) -> Result<Admission, ServiceError> {
    let admission = take_attempt(tx, keys, now)?;
    if matches!(admission, Admission::Refused { .. }) {
        return Ok(admission);
    }
    let Ok(email) = EmailAddress::parse(typed_email) else {
        return Ok(admission);
    };
    tx.write_transaction(|tx| {
        reset_request_rows::insert_reset_request(
            tx,
            &ResetRequest { id: db::new_id(), email: email.as_str().to_owned(), requested_at: to_db_time(now) },
        )
    })?;
    tx.mail_queued();
    Ok(admission)
}

/// How many waiting reset requests one pass of the mail job takes.
const RESET_BATCH: i64 = 50;

/// A request that could not be resolved for this long (it failed every pass) is dropped, so a
/// typed address is never kept longer.
const RESET_REQUEST_KEPT: Duration = Duration::hours(1);

/// Turns waiting reset requests into mails: for an address whose account is not blocked, a new
/// link (older ones stop working) and the reset mail in the account's language; for any other
/// address nothing. Each request is taken once, however many mail jobs run; one that fails is
/// logged and left for the next pass (until [`RESET_REQUEST_KEPT`]), and does not stop the others.
/// Returns how many requests were handled.
///
/// # Errors
/// When the waiting requests cannot be read or the stale ones deleted.
pub fn resolve_reset_requests(
    tx: &mut UnitOfWork<'_>,
    public_url: &str,
    now: DateTime<Utc>,
) -> Result<usize, ServiceError> {
    tx.write_transaction(|tx| {
        reset_request_rows::delete_reset_requests_before(tx, to_db_time(now - RESET_REQUEST_KEPT))
    })?;
    let mut handled = 0;
    let mut failed = std::collections::HashSet::new();
    loop {
        let limit = RESET_BATCH + i64::try_from(failed.len()).unwrap_or(i64::MAX - RESET_BATCH);
        let waiting: Vec<_> = reset_request_rows::oldest_reset_requests(tx, limit)?
            .into_iter()
            .filter(|request| !failed.contains(&request.id))
            .collect();
        if waiting.is_empty() {
            return Ok(handled);
        }
        for request in waiting {
            let outcome = tx.write_transaction(|tx| {
                if !reset_request_rows::take_reset_request(tx, &request.id)? {
                    return Ok(());
                }
                let Some(user) = user_rows::find_user_by_email(tx, &request.email)? else {
                    return Ok(());
                };
                if user.status == UserStatus::Blocked {
                    return Ok(());
                }
                let secret = issue_link(tx, &user.id, TokenPurpose::Reset, None, now)?;
                let to = Recipient {
                    email: &request.email,
                    name: &user.name,
                    lang: Lang::parse(&user.locale).unwrap_or_default(),
                };
                send_account_mail(
                    tx,
                    to,
                    AccountMailKind::PasswordReset,
                    &link_url(public_url, "password/reset", &secret),
                    now,
                )
            });
            match outcome {
                Ok(()) => handled += 1,
                Err(error) => {
                    tracing::error!(request.id = %request.id, error = %error, "password-reset request failed");
                    failed.insert(request.id);
                }
            }
        }
    }
}
