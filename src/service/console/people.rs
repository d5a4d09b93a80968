//! People and bookings in the console: users (search, roles, block), a hub's bookings (approve,
//! decline, cancel with notice, re-issue a PIN) and bookings on behalf of a person. Every use case
//! resolves its hub and ids through the staff scope and records its change in the audit trail,
//! in the transaction that makes it.

mod bookings;
mod on_behalf;
mod users;

pub use bookings::{
    BOOKING_LIST_LIMIT, BookingListQuery, HubBookingList, HubBookingRow, Notice, approve_booking, end_with_notice,
    find_hub_booking, hub_bookings, reissue_pin,
};
pub use on_behalf::{OnBehalfBooked, OnBehalfRequest, book_on_behalf, bookable_spaces, hub_space};
pub use users::{
    RoleView, USERS_PER_PAGE, UserDetail, UserSearch, UserSummary, add_role, block_user, remove_role, search_users,
    unblock_user, user_detail,
};

use crate::service::ErrorCode;
use crate::service::ServiceError;

/// The longest reason a member of staff may give for declining or cancelling.
pub const MAX_REASON_CHARS: usize = 500;

/// A reason given to a member: trimmed, not empty, at most [`MAX_REASON_CHARS`] characters, no
/// control characters but line breaks.
///
/// # Errors
/// `Invalid` on the `reason` field (`missing_reason`, `reason_too_long`).
pub fn parse_reason(text: &str) -> Result<String, ServiceError> {
    let reason = text.trim();
    let invalid = |code| ServiceError::Invalid { field: "reason", code, message: "the reason is not valid".into() };
    if reason.is_empty() {
        return Err(invalid(ErrorCode::MissingReason));
    }
    if reason.chars().count() > MAX_REASON_CHARS || reason.chars().any(|c| c.is_control() && c != '\n' && c != '\r') {
        return Err(invalid(ErrorCode::ReasonTooLong));
    }
    Ok(reason.replace("\r\n", "\n"))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[test]
    fn reasons_are_trimmed_and_bounded() {
        assert_eq!(parse_reason("  Wasserschaden\r\nim Raum ").unwrap(), "Wasserschaden\nim Raum");
        assert!(matches!(parse_reason(" \n "), Err(ServiceError::Invalid { code: ErrorCode::MissingReason, .. })));
        let long = "x".repeat(MAX_REASON_CHARS + 1);
        assert!(matches!(parse_reason(&long), Err(ServiceError::Invalid { code: ErrorCode::ReasonTooLong, .. })));
        assert!(parse_reason("a\u{7}b").is_err());
    }
}
