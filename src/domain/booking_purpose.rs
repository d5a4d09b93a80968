//! What a room's booking is for and how many come: the rule for the two answers a space may
//! ask for (a purpose of at most 200 characters without control characters, a head count from 1
//! to the room's capacity). Pure: the service decides when a space asks.

/// The longest purpose, in characters.
pub const PURPOSE_MAX_CHARS: usize = 200;

/// Why the answers cannot be used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PurposeRefusal {
    Missing,
    TooLong,
    ControlCharacters,
    /// No head count, or one outside 1 … capacity.
    HeadCount,
}

impl PurposeRefusal {
    /// The field the refusal is about.
    pub fn field(self) -> &'static str {
        match self {
            PurposeRefusal::HeadCount => "head_count",
            _ => "purpose",
        }
    }
}

/// The purpose (trimmed) and head count when both are usable for a space of `capacity`.
///
/// # Errors
/// The first answer that cannot be used.
pub fn check_purpose(purpose: &str, head_count: Option<i64>, capacity: i32) -> Result<(String, i32), PurposeRefusal> {
    let purpose = purpose.trim();
    if purpose.is_empty() {
        return Err(PurposeRefusal::Missing);
    }
    if purpose.chars().count() > PURPOSE_MAX_CHARS {
        return Err(PurposeRefusal::TooLong);
    }
    if purpose.chars().any(char::is_control) {
        return Err(PurposeRefusal::ControlCharacters);
    }
    let most = i64::from(capacity.max(1));
    match head_count.and_then(|n| i32::try_from(n).ok()) {
        Some(n) if n >= 1 && i64::from(n) <= most => Ok((purpose.to_owned(), n)),
        _ => Err(PurposeRefusal::HeadCount),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn purpose_and_head_count_are_checked() {
        assert_eq!(check_purpose("  Vereinsabend ", Some(8), 12), Ok(("Vereinsabend".to_owned(), 8)));
        assert_eq!(check_purpose(" ", Some(1), 12), Err(PurposeRefusal::Missing));
        assert_eq!(check_purpose(&"x".repeat(201), Some(1), 12), Err(PurposeRefusal::TooLong));
        assert!(check_purpose(&"ä".repeat(200), Some(1), 12).is_ok());
        assert_eq!(check_purpose("a\u{7}b", Some(1), 12), Err(PurposeRefusal::ControlCharacters));
        assert_eq!(check_purpose("Treffen", Some(13), 12), Err(PurposeRefusal::HeadCount));
        assert_eq!(check_purpose("Treffen", Some(0), 12), Err(PurposeRefusal::HeadCount));
        assert_eq!(check_purpose("Treffen", None, 12), Err(PurposeRefusal::HeadCount));
        assert!(check_purpose("Treffen", Some(12), 12).is_ok());
    }
}
