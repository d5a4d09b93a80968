//! E-mail addresses, parsed once at the edge so the rest of the code only sees sane ones.
//!
//! The check is deliberately a sane-syntax check, not RFC 5322: the only real proof that an
//! address works is the confirmation mail, which is the mail layer's job.

use serde::{Deserialize, Serialize};
use std::fmt;

/// The longest address that fits into an SMTP path (RFC 5321).
const MAX_ADDRESS_LEN: usize = 254;
/// The longest local part SMTP servers must accept (RFC 5321).
const MAX_LOCAL_PART_LEN: usize = 64;

/// A trimmed, lower-cased e-mail address with sane syntax; the login name of a user.
///
/// Lower-casing makes `Anna@Example.org` and `anna@example.org` the same account. `Debug` shows only
/// the domain, so an address that slips into a log line does not identify a person.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct EmailAddress(String);

/// Why a text is not accepted as an e-mail address; each variant is one thing the person can fix.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EmailError {
    #[error("Please enter an e-mail address.")]
    Empty,
    #[error("The e-mail address is too long (at most 254 characters).")]
    TooLong,
    #[error("The e-mail address must not contain spaces.")]
    ContainsWhitespace,
    #[error("The e-mail address needs exactly one @ sign.")]
    NotExactlyOneAt,
    #[error("The part before the @ sign is empty or longer than 64 characters.")]
    BadLocalPart,
    #[error("The part after the @ sign must be a domain such as example.org.")]
    BadDomain,
}

impl EmailAddress {
    /// Parses what a person typed: surrounding whitespace is ignored, case is folded.
    pub fn parse(text: &str) -> Result<Self, EmailError> {
        let address = text.trim().to_lowercase();
        if address.is_empty() {
            return Err(EmailError::Empty);
        }
        if address.len() > MAX_ADDRESS_LEN {
            return Err(EmailError::TooLong);
        }
        if address.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(EmailError::ContainsWhitespace);
        }
        let mut parts = address.split('@');
        let (Some(local), Some(domain), None) = (parts.next(), parts.next(), parts.next()) else {
            return Err(EmailError::NotExactlyOneAt);
        };
        if local.is_empty() || local.len() > MAX_LOCAL_PART_LEN {
            return Err(EmailError::BadLocalPart);
        }
        if !is_sane_domain(domain) {
            return Err(EmailError::BadDomain);
        }
        Ok(Self(address))
    }

    /// The normalised address, as stored and as used to send mail.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The part after the @, useful for diagnostics that must not name the person.
    pub fn domain(&self) -> &str {
        self.0.rsplit('@').next().unwrap_or_default()
    }
}

/// At least two non-empty dot-separated labels, none starting or ending with a hyphen.
fn is_sane_domain(domain: &str) -> bool {
    let labels: Vec<&str> = domain.split('.').collect();
    labels.len() >= 2
        && labels.iter().all(|label| {
            !label.is_empty()
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label.chars().all(|c| c.is_alphanumeric() || c == '-' || c == '_')
        })
}

impl fmt::Display for EmailAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for EmailAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "EmailAddress(…@{})", self.domain())
    }
}

impl TryFrom<String> for EmailAddress {
    type Error = EmailError;

    fn try_from(text: String) -> Result<Self, Self::Error> {
        Self::parse(&text)
    }
}

impl From<EmailAddress> for String {
    fn from(address: EmailAddress) -> Self {
        address.0
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;

    #[test]
    fn accepts_and_normalises_sane_addresses() {
        let cases = [
            ("anna@example.org", "anna@example.org"),
            ("  Anna.Schmidt@Polch.DE \n", "anna.schmidt@polch.de"),
            ("a+booking@mail.mayen.de", "a+booking@mail.mayen.de"),
            ("jörg@bendorf.de", "jörg@bendorf.de"),
        ];
        for (input, expected) in cases {
            let parsed = EmailAddress::parse(input).unwrap();
            assert_eq!(parsed.as_str(), expected, "input {input:?}");
            assert_eq!(parsed.to_string(), expected);
        }
    }

    #[test]
    fn refuses_broken_addresses_with_the_reason() {
        let long_local = "a".repeat(65);
        let too_long = format!("{}@{}.de", "a".repeat(60), "b".repeat(200));
        let cases = [
            ("", EmailError::Empty),
            ("   ", EmailError::Empty),
            ("anna maria@example.org", EmailError::ContainsWhitespace),
            ("anna@exa\tmple.org", EmailError::ContainsWhitespace),
            ("anna.example.org", EmailError::NotExactlyOneAt),
            ("anna@b@example.org", EmailError::NotExactlyOneAt),
            ("@example.org", EmailError::BadLocalPart),
            (long_local.as_str(), EmailError::NotExactlyOneAt),
            ("anna@localhost", EmailError::BadDomain),
            ("anna@", EmailError::BadDomain),
            ("anna@.example.org", EmailError::BadDomain),
            ("anna@example..org", EmailError::BadDomain),
            ("anna@example.org.", EmailError::BadDomain),
            ("anna@-polch.de", EmailError::BadDomain),
            ("anna@exa(mple).org", EmailError::BadDomain),
            (too_long.as_str(), EmailError::TooLong),
        ];
        for (input, expected) in cases {
            assert_eq!(EmailAddress::parse(input), Err(expected), "input {input:?}");
        }
        let local_65 = format!("{long_local}@example.org");
        assert_eq!(EmailAddress::parse(&local_65), Err(EmailError::BadLocalPart));
    }

    #[test]
    fn length_limit_is_inclusive_at_254() {
        let local = "l".repeat(64);
        let domain = format!("{}.{}.de", "d".repeat(120), "e".repeat(65));
        let at_limit = format!("{local}@{domain}");
        assert_eq!(at_limit.len(), 254);
        assert!(EmailAddress::parse(&at_limit).is_ok());
        let over = format!("{local}@x{domain}");
        assert_eq!(over.len(), 255);
        assert_eq!(EmailAddress::parse(&over), Err(EmailError::TooLong));
    }

    #[test]
    fn debug_output_hides_the_person() {
        let address = EmailAddress::parse("anna@example.org").unwrap();
        let debug = format!("{address:?}");
        assert!(!debug.contains("anna"), "{debug}");
        assert!(debug.contains("example.org"));
    }

    #[test]
    fn serde_round_trip_validates_on_the_way_in() {
        let address = EmailAddress::parse("Anna@Example.org").unwrap();
        assert_eq!(serde_json::to_string(&address).unwrap(), "\"anna@example.org\"");
        let back: EmailAddress = serde_json::from_str("\"ANNA@example.org\"").unwrap();
        assert_eq!(back, address);
        assert!(serde_json::from_str::<EmailAddress>("\"not an address\"").is_err());
    }
}
