//! The stable codes a refused use case answers with: in the JSON API's error body, in redirects
//! (`?refused=`) and in the pages' translation keys.
//!
//! One enum, so a code is written once (in `as_str`) and the web layer matches on variants
//! instead of strings. Refusals the domain already names (`ChangeRefusal`, `CheckInRefusal`,
//! `AccountInputError`) are carried as they are, with their own codes. Booking-rule violations
//! and local-time errors have their own `ServiceError` variants and are not listed here.

use std::fmt;

use crate::domain::account::AccountInputError;
use crate::domain::booking_change::ChangeRefusal;
use crate::domain::check_in::CheckInRefusal;
use crate::domain::recurrence::RecurrenceError;

/// Defines the codes that belong to no domain refusal, with their wire text.
macro_rules! service_codes {
    ($($(#[$doc:meta])* $variant:ident => $text:literal),+ $(,)?) => {
        /// Why a use case was refused, as a stable machine-readable code.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum ErrorCode {
            $($(#[$doc])* $variant,)+
            /// A name or password the domain refuses.
            AccountInput(AccountInputError),
            /// A booking that cannot be changed or released.
            Change(ChangeRefusal),
            /// A booking that cannot be checked in by hand.
            CheckIn(CheckInRefusal),
            /// A repeating booking's rule that cannot be used.
            Series(RecurrenceError),
        }

        impl ErrorCode {
            /// The codes that belong to no domain refusal.
            const OWN: &'static [ErrorCode] = &[$(ErrorCode::$variant),+];

            /// The wire text of the code; it never changes meaning.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(ErrorCode::$variant => $text,)+
                    ErrorCode::AccountInput(error) => error.code(),
                    ErrorCode::Change(refusal) => refusal.code(),
                    ErrorCode::CheckIn(refusal) => refusal.code(),
                    ErrorCode::Series(error) => error.code(),
                }
            }
        }
    };
}

service_codes! {
    BlockSelf => "block_self",
    BookingChangedMeanwhile => "booking_changed_meanwhile",
    BookingOver => "booking_over",
    EmailTaken => "email_taken",
    EmailUnchanged => "email_unchanged",
    EndNotAfterStart => "end_not_after_start",
    HashFailed => "hash_failed",
    /// A booking at an operator with house rules whose current version the member has not
    /// accepted (or accepts an older one).
    HouseRulesNotAccepted => "house_rules_not_accepted",
    /// The house rules' text is empty.
    HouseRulesEmpty => "house_rules_empty",
    /// A room that asks how many come: none given, or more than the room holds.
    HeadCountOutOfRange => "head_count_out_of_range",
    InvalidCardUid => "invalid_card_uid",
    InvalidEmail => "invalid_email",
    InvalidEventId => "invalid_event_id",
    InvalidName => "invalid_name",
    InvalidRole => "invalid_role",
    /// A stored value (opening hours, check-in modes) that the domain cannot read.
    InvalidStoredValue => "invalid_stored_value",
    LinkExpired => "link_expired",
    LinkUnknown => "link_unknown",
    LinkUsed => "link_used",
    MailRenderFailed => "mail_render_failed",
    MissingReason => "missing_reason",
    MissingTokenName => "missing_token_name",
    NoPin => "no_pin",
    NotCancellable => "not_cancellable",
    NotPending => "not_pending",
    OwnAdminRole => "own_admin_role",
    PersonBlocked => "person_blocked",
    PersonGone => "person_gone",
    PinUnavailable => "pin_unavailable",
    /// A room that asks what a booking is for, without an answer.
    PurposeMissing => "purpose_missing",
    PurposeTooLong => "purpose_too_long",
    PurposeControlCharacters => "purpose_control_characters",
    ReasonTooLong => "reason_too_long",
    RoleHeld => "role_held",
    /// A booking series none of whose dates could be booked.
    SeriesNothingBookable => "series_nothing_bookable",
    SlotTaken => "slot_taken",
    SpaceNotInHub => "space_not_in_hub",
    TokenNameTooLong => "token_name_too_long",
    TooManyDoors => "too_many_doors",
    TooManyEvents => "too_many_events",
    UnknownHub => "unknown_hub",
    UnknownKind => "unknown_kind",
    UnknownRole => "unknown_role",
    /// Already on the waitlist for this very slot.
    WaitlistAlreadyWaiting => "waitlist_already_waiting",
    /// Waiting for as many slots as a member may.
    WaitlistFull => "waitlist_full",
    /// The offer ran out (or was never made); the slot may have gone to the next in line.
    WaitlistNoOffer => "waitlist_no_offer",
    /// The slot is free: book it instead of waiting.
    WaitlistSlotFree => "waitlist_slot_free",
}

impl ErrorCode {
    /// Every code, the domain refusals' included: for the API document and its test.
    pub fn all() -> Vec<ErrorCode> {
        let own = Self::OWN.iter().copied();
        let account = AccountInputError::ALL.into_iter().map(ErrorCode::AccountInput);
        let change = ChangeRefusal::ALL.into_iter().map(ErrorCode::Change);
        let check_in = CheckInRefusal::ALL.into_iter().map(ErrorCode::CheckIn);
        let series = RecurrenceError::ALL.into_iter().map(ErrorCode::Series);
        own.chain(account).chain(change).chain(check_in).chain(series).collect()
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl From<AccountInputError> for ErrorCode {
    fn from(error: AccountInputError) -> Self {
        ErrorCode::AccountInput(error)
    }
}

impl From<ChangeRefusal> for ErrorCode {
    fn from(refusal: ChangeRefusal) -> Self {
        ErrorCode::Change(refusal)
    }
}

impl From<RecurrenceError> for ErrorCode {
    fn from(error: RecurrenceError) -> Self {
        ErrorCode::Series(error)
    }
}

impl From<CheckInRefusal> for ErrorCode {
    fn from(refusal: CheckInRefusal) -> Self {
        ErrorCode::CheckIn(refusal)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn every_code_is_snake_case_and_names_one_refusal() {
        let all = ErrorCode::all();
        let texts: HashSet<&str> = all.iter().map(|code| code.as_str()).collect();
        assert_eq!(texts.len(), all.len(), "two codes share a text");
        for text in texts {
            assert!(!text.is_empty() && text.chars().all(|c| c.is_ascii_lowercase() || c == '_'), "{text}");
        }
        assert_eq!(ErrorCode::SlotTaken.to_string(), "slot_taken");
        assert_eq!(ErrorCode::CheckIn(CheckInRefusal::Closed).as_str(), "check_in_closed");
    }

    /// The wire texts clients already match on, written out: renaming a variant's text must fail
    /// here, not only in a client. (The OpenAPI test checks the document lists `all()`, which a
    /// changed text would pass.)
    #[test]
    fn the_wire_texts_stay_what_clients_know() {
        let mut texts: Vec<&str> = ErrorCode::all().into_iter().map(ErrorCode::as_str).collect();
        texts.sort_unstable();
        let mut known = vec![
            "block_self",
            "booking_changed_meanwhile",
            "booking_over",
            "email_taken",
            "email_unchanged",
            "end_not_after_start",
            "hash_failed",
            "house_rules_not_accepted",
            "house_rules_empty",
            "head_count_out_of_range",
            "invalid_card_uid",
            "invalid_email",
            "invalid_event_id",
            "invalid_name",
            "invalid_role",
            "invalid_stored_value",
            "link_expired",
            "link_unknown",
            "link_used",
            "mail_render_failed",
            "missing_reason",
            "missing_token_name",
            "no_pin",
            "not_cancellable",
            "not_pending",
            "own_admin_role",
            "person_blocked",
            "person_gone",
            "pin_unavailable",
            "purpose_missing",
            "purpose_too_long",
            "purpose_control_characters",
            "reason_too_long",
            "role_held",
            "slot_taken",
            "space_not_in_hub",
            "token_name_too_long",
            "too_many_doors",
            "too_many_events",
            "unknown_hub",
            "unknown_kind",
            "unknown_role",
            // The domain's own refusals.
            "missing_name",
            "name_too_long",
            "name_control_characters",
            "password_too_short",
            "password_too_long",
            "not_changeable",
            "not_running",
            "nothing_to_release",
            "check_in_not_offered",
            "check_in_not_confirmed",
            "check_in_not_open",
            "check_in_closed",
            "series_interval",
            "series_count",
            "series_until_before_first",
            "series_too_long",
            "series_no_dates",
            "series_nothing_bookable",
            "waitlist_already_waiting",
            "waitlist_full",
            "waitlist_no_offer",
            "waitlist_slot_free",
        ];
        known.sort_unstable();
        assert_eq!(texts, known);
    }
}
