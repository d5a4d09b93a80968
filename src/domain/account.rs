//! Rules for accounts: what a display name and a new password must look like, what the single-use
//! e-mail links are for and how long they last, when a session has run out, and when failed logins
//! are throttled. Pure: every time is a parameter.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

/// The shortest password accepted: long enough that a throttled online guesser gets nowhere.
pub const MIN_PASSWORD_CHARS: usize = 12;
/// The longest password accepted; hashing is bounded, and nobody types more.
pub const MAX_PASSWORD_BYTES: usize = 1024;
/// The longest display name, so pages and e-mails stay readable.
pub const MAX_NAME_CHARS: usize = 100;

/// Why a name or password is refused; each variant has a stable code the pages translate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum AccountInputError {
    #[error("a name is required")]
    MissingName,
    #[error("the name is longer than 100 characters")]
    NameTooLong,
    #[error("the name must not contain control characters")]
    NameHasControlCharacters,
    #[error("a password needs at least 12 characters")]
    PasswordTooShort,
    #[error("the password is longer than 1024 bytes")]
    PasswordTooLong,
}

impl AccountInputError {
    /// Every refusal, for documentation and exhaustive tests.
    pub const ALL: [AccountInputError; 5] = [
        AccountInputError::MissingName,
        AccountInputError::NameTooLong,
        AccountInputError::NameHasControlCharacters,
        AccountInputError::PasswordTooShort,
        AccountInputError::PasswordTooLong,
    ];

    /// The stable code, e.g. for the catalogue key `account-error-<code>`.
    pub fn code(&self) -> &'static str {
        match self {
            AccountInputError::MissingName => "missing_name",
            AccountInputError::NameTooLong => "name_too_long",
            AccountInputError::NameHasControlCharacters => "name_control_characters",
            AccountInputError::PasswordTooShort => "password_too_short",
            AccountInputError::PasswordTooLong => "password_too_long",
        }
    }

    /// The form field the error belongs next to.
    pub fn field(&self) -> &'static str {
        match self {
            AccountInputError::MissingName
            | AccountInputError::NameTooLong
            | AccountInputError::NameHasControlCharacters => "name",
            AccountInputError::PasswordTooShort | AccountInputError::PasswordTooLong => "password",
        }
    }
}

/// A person's name as shown on pages and in e-mails: trimmed, not empty, printable.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DisplayName(String);

impl DisplayName {
    /// Parses what a person typed.
    pub fn parse(text: &str) -> Result<DisplayName, AccountInputError> {
        let name = text.trim();
        if name.is_empty() {
            return Err(AccountInputError::MissingName);
        }
        if name.chars().count() > MAX_NAME_CHARS {
            return Err(AccountInputError::NameTooLong);
        }
        if name.chars().any(char::is_control) {
            return Err(AccountInputError::NameHasControlCharacters);
        }
        Ok(DisplayName(name.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Checks a password someone chooses (not one they log in with: old passwords stay valid).
pub fn check_new_password(password: &str) -> Result<(), AccountInputError> {
    if password.len() > MAX_PASSWORD_BYTES {
        return Err(AccountInputError::PasswordTooLong);
    }
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(AccountInputError::PasswordTooShort);
    }
    Ok(())
}

/// What a single-use e-mail link does when clicked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum TokenPurpose {
    /// Confirms the address of a new account, which activates it.
    #[serde(rename = "verify")]
    Verify,
    /// Lets the owner of the address choose a new password.
    #[serde(rename = "reset")]
    Reset,
    /// Confirms a new address for an existing account, which then becomes its login.
    #[serde(rename = "change_email")]
    ChangeEmail,
}

impl TokenPurpose {
    /// The stable text used in storage.
    pub fn as_str(self) -> &'static str {
        match self {
            TokenPurpose::Verify => "verify",
            TokenPurpose::Reset => "reset",
            TokenPurpose::ChangeEmail => "change_email",
        }
    }

    /// Reads the text written by `as_str`.
    pub fn parse(text: &str) -> Option<TokenPurpose> {
        match text {
            "verify" => Some(TokenPurpose::Verify),
            "reset" => Some(TokenPurpose::Reset),
            "change_email" => Some(TokenPurpose::ChangeEmail),
            _ => None,
        }
    }

    /// How long a link stays valid: a day is enough to find the mail, short enough that an old
    /// mailbox leak is worthless.
    pub fn lifetime(self) -> Duration {
        Duration::hours(24)
    }
}

/// Why an e-mail link cannot be used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum LinkError {
    #[error("the link is unknown or meant for something else")]
    Unknown,
    #[error("the link has been used already")]
    Used,
    #[error("the link has expired")]
    Expired,
}

/// Whether a link issued for `purpose` can be used for `wanted` at `now`.
pub fn check_link(
    purpose: Option<TokenPurpose>,
    wanted: &[TokenPurpose],
    expires_at: DateTime<Utc>,
    used: bool,
    now: DateTime<Utc>,
) -> Result<TokenPurpose, LinkError> {
    let purpose = purpose.filter(|p| wanted.contains(p)).ok_or(LinkError::Unknown)?;
    if used {
        return Err(LinkError::Used);
    }
    if now >= expires_at {
        return Err(LinkError::Expired);
    }
    Ok(purpose)
}

/// How long a browser session lives: ended after `idle` without a request, and after `max` in
/// any case.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SessionLifetime {
    pub idle: Duration,
    pub max: Duration,
}

impl SessionLifetime {
    /// Whether a session last seen at `last_seen_at` and ending at `expires_at` still holds.
    pub fn is_alive(&self, last_seen_at: DateTime<Utc>, expires_at: DateTime<Utc>, now: DateTime<Utc>) -> bool {
        now < expires_at && now < last_seen_at + self.idle
    }
}

/// When failed logins stop further attempts: per account (whoever tries) and per client address
/// (whichever accounts it tries), each counted over a sliding window. A successful login resets
/// neither, so an attacker cannot interleave their own account's logins to keep guessing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LoginThrottle {
    pub window: Duration,
    pub per_account: i64,
    pub per_address: i64,
}

impl Default for LoginThrottle {
    fn default() -> Self {
        LoginThrottle { window: Duration::minutes(15), per_account: 5, per_address: 20 }
    }
}

impl LoginThrottle {
    /// Whether another attempt is refused, given the failures within the window.
    pub fn refuses(&self, account_failures: i64, address_failures: i64) -> bool {
        account_failures >= self.per_account || address_failures >= self.per_address
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    fn at(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn names_are_trimmed_and_bounded() {
        assert_eq!(DisplayName::parse("  Anna Beispiel ").unwrap().as_str(), "Anna Beispiel");
        assert_eq!(DisplayName::parse("   "), Err(AccountInputError::MissingName));
        assert_eq!(DisplayName::parse(&"x".repeat(101)), Err(AccountInputError::NameTooLong));
        assert!(DisplayName::parse(&"ä".repeat(100)).is_ok());
        assert_eq!(DisplayName::parse("Anna\u{7}"), Err(AccountInputError::NameHasControlCharacters));
    }

    #[test]
    fn passwords_need_twelve_characters_and_fit_a_bound() {
        assert_eq!(check_new_password("elevenchars"), Err(AccountInputError::PasswordTooShort));
        assert_eq!(check_new_password("twelve chars"), Ok(()));
        // Counted in characters, not bytes: twelve umlauts are twelve characters.
        assert_eq!(check_new_password(&"ü".repeat(12)), Ok(()));
        assert_eq!(check_new_password(&"a".repeat(1025)), Err(AccountInputError::PasswordTooLong));
    }

    #[test]
    fn links_are_single_use_purpose_bound_and_expire() {
        let now = at("2026-11-23T08:00:00Z");
        let expires = at("2026-11-24T08:00:00Z");
        let verify = Some(TokenPurpose::Verify);
        assert_eq!(check_link(verify, &[TokenPurpose::Verify], expires, false, now), Ok(TokenPurpose::Verify));
        assert_eq!(check_link(verify, &[TokenPurpose::Reset], expires, false, now), Err(LinkError::Unknown));
        assert_eq!(check_link(None, &[TokenPurpose::Verify], expires, false, now), Err(LinkError::Unknown));
        assert_eq!(check_link(verify, &[TokenPurpose::Verify], expires, true, now), Err(LinkError::Used));
        assert_eq!(check_link(verify, &[TokenPurpose::Verify], expires, false, expires), Err(LinkError::Expired));
        for purpose in [TokenPurpose::Verify, TokenPurpose::Reset, TokenPurpose::ChangeEmail] {
            assert_eq!(TokenPurpose::parse(purpose.as_str()), Some(purpose));
            assert_eq!(purpose.lifetime(), Duration::hours(24));
        }
    }

    #[test]
    fn sessions_end_when_idle_or_at_their_absolute_end() {
        let lifetime = SessionLifetime { idle: Duration::minutes(30), max: Duration::hours(12) };
        let start = at("2026-11-23T08:00:00Z");
        let end = start + lifetime.max;
        assert!(lifetime.is_alive(start, end, start + Duration::minutes(29)));
        assert!(!lifetime.is_alive(start, end, start + Duration::minutes(30)));
        let recently = end - Duration::minutes(1);
        assert!(lifetime.is_alive(recently, end, end - Duration::seconds(1)));
        assert!(!lifetime.is_alive(recently, end, end));
    }

    #[test]
    fn throttling_counts_each_key_separately() {
        let throttle = LoginThrottle::default();
        assert!(!throttle.refuses(4, 19));
        assert!(throttle.refuses(5, 0));
        assert!(throttle.refuses(0, 20));
    }
}
