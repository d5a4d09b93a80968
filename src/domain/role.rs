//! Roles and the small closed sets of states that users, bookings and spaces can be in.
//!
//! Each set is an enum with a stable text form (`as_str` / `parse`) used by storage, the CLI and
//! the JSON API, so the words on disk and on the wire never drift from the code. What a state
//! allows is decided in the booking rules, not here.

use crate::domain::ids::HubId;
use serde::{Deserialize, Serialize};
use std::fmt;

/// What a user may do: members book, hub managers also run the hubs they manage, admins run all.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Member,
    HubManager(HubId),
    Admin,
}

/// Why a role text (from the CLI or a form) was not understood.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RoleError {
    #[error("unknown role {given:?}: use member, admin or manager:<hub>")]
    Unknown { given: String },
    #[error("the manager role needs a hub: use manager:<hub>")]
    MissingHub,
}

impl Role {
    /// Parses `member`, `admin` or `manager:<hub>`; the hub text is kept as given (slug or id) and
    /// the caller resolves it to a real hub id.
    pub fn parse(text: &str) -> Result<Role, RoleError> {
        let trimmed = text.trim();
        if trimmed.eq_ignore_ascii_case("member") {
            return Ok(Role::Member);
        }
        if trimmed.eq_ignore_ascii_case("admin") {
            return Ok(Role::Admin);
        }
        let (keyword, hub) = trimmed.split_once(':').unwrap_or((trimmed, ""));
        if keyword.trim().eq_ignore_ascii_case("manager") {
            let hub = hub.trim();
            if hub.is_empty() {
                return Err(RoleError::MissingHub);
            }
            return Ok(Role::HubManager(HubId(hub.to_owned())));
        }
        Err(RoleError::Unknown { given: trimmed.chars().take(40).collect() })
    }

    /// Whether this role may see and run the given hub (its bookings, spaces and doors).
    pub fn manages(&self, hub: &HubId) -> bool {
        match self {
            Role::Admin => true,
            Role::HubManager(managed) => managed == hub,
            Role::Member => false,
        }
    }
}

/// The same text `Role::parse` reads, so a role can be printed and read back.
impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Role::Member => f.write_str("member"),
            Role::Admin => f.write_str("admin"),
            Role::HubManager(hub) => write!(f, "manager:{hub}"),
        }
    }
}

/// A text that names none of the values of a closed set; `kind` says which set was expected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{given:?} is not a valid {kind}")]
pub struct UnknownValue {
    pub kind: &'static str,
    pub given: String,
}

/// Defines a closed set with fixed text forms, `as_str`, `parse`, `Display` and `ALL`.
macro_rules! text_enum {
    (
        $(#[$doc:meta])*
        $name:ident, $kind:literal { $($(#[$vdoc:meta])* $variant:ident => $text:literal),+ $(,)? }
    ) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        pub enum $name {
            $($(#[$vdoc])* #[serde(rename = $text)] $variant),+
        }

        impl $name {
            /// Every value, for forms, filters and exhaustive tests.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The stable text used in storage, the CLI and the JSON API.
            pub fn as_str(&self) -> &'static str {
                match self {
                    $($name::$variant => $text),+
                }
            }

            /// Reads the text form written by `as_str` (exact match, so stored data stays canonical).
            pub fn parse(text: &str) -> Result<Self, UnknownValue> {
                match text {
                    $($text => Ok($name::$variant),)+
                    _ => Err(UnknownValue {
                        kind: $kind,
                        given: text.chars().take(40).collect(),
                    }),
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

text_enum!(
    /// Whether a user may log in and book: blocked users keep their history but cannot act.
    UserStatus, "user status" {
        Active => "active",
        Blocked => "blocked",
        /// Registered but not yet confirmed by e-mail.
        Pending => "pending",
    }
);

impl UserStatus {
    /// Whether the person's confirmed bookings open doors. A pending account holds only bookings
    /// staff made for it (a self-registered one cannot book before confirming its address), so a
    /// walk-in's PIN works before they claim the account; a blocked account's never does.
    pub fn opens_doors(&self) -> bool {
        !matches!(self, UserStatus::Blocked)
    }
}

text_enum!(
    /// Where a booking is in its life; decides whether it still holds its space.
    BookingStatus, "booking status" {
        /// Waiting for a hub manager's approval; already holds the space.
        Pending => "pending",
        Confirmed => "confirmed",
        Cancelled => "cancelled",
        CheckedIn => "checked_in",
        /// Nobody came; the space was released.
        NoShow => "no_show",
        Completed => "completed",
    }
);

impl BookingStatus {
    /// Whether a booking in this state keeps others from booking the same space and time.
    ///
    /// Completed bookings still occupy their (past) time so history never shows a double booking;
    /// cancelled and no-show bookings have released it.
    pub fn occupies_space(&self) -> bool {
        match self {
            BookingStatus::Pending | BookingStatus::Confirmed | BookingStatus::CheckedIn | BookingStatus::Completed => {
                true
            }
            BookingStatus::Cancelled | BookingStatus::NoShow => false,
        }
    }
}

text_enum!(
    /// What a space is; shown to members and used to filter availability.
    SpaceKind, "space kind" {
        Desk => "desk",
        Room => "room",
        Equipment => "equipment",
    }
);

text_enum!(
    /// Whether a space is booked by time slots within a day or by whole local days.
    BookingUnit, "booking unit" {
        Hourly => "hour",
        Daily => "day",
    }
);

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;

    #[test]
    fn parses_the_three_role_forms() {
        let cases = [
            ("member", Role::Member),
            ("admin", Role::Admin),
            (" Admin ", Role::Admin),
            ("manager:polch", Role::HubManager(HubId("polch".to_owned()))),
            ("manager: 0190a1b2-c3d4-7e5f ", Role::HubManager(HubId("0190a1b2-c3d4-7e5f".to_owned()))),
        ];
        for (input, expected) in cases {
            assert_eq!(Role::parse(input), Ok(expected), "input {input:?}");
        }
    }

    #[test]
    fn refuses_unknown_roles_and_managers_without_hub() {
        assert_eq!(Role::parse("manager"), Err(RoleError::MissingHub));
        assert_eq!(Role::parse("manager:  "), Err(RoleError::MissingHub));
        assert_eq!(Role::parse("root"), Err(RoleError::Unknown { given: "root".to_owned() }));
        assert!(Role::parse("").is_err());
        assert!(Role::parse("members").is_err());
        assert!(Role::parse("admin:polch").is_err());
    }

    #[test]
    fn role_display_round_trips_through_parse() {
        for role in [Role::Member, Role::Admin, Role::HubManager(HubId("rieden".to_owned()))] {
            assert_eq!(Role::parse(&role.to_string()), Ok(role));
        }
    }

    #[test]
    fn managers_manage_only_their_hub_and_admins_all() {
        let polch = HubId("polch".to_owned());
        let mayen = HubId("mayen".to_owned());
        let manager = Role::HubManager(polch.clone());
        assert!(manager.manages(&polch));
        assert!(!manager.manages(&mayen));
        assert!(Role::Admin.manages(&mayen));
        assert!(!Role::Member.manages(&polch));
    }

    #[test]
    fn status_texts_are_stable_and_round_trip() {
        let expected_texts = [
            (BookingStatus::Pending, "pending"),
            (BookingStatus::Confirmed, "confirmed"),
            (BookingStatus::Cancelled, "cancelled"),
            (BookingStatus::CheckedIn, "checked_in"),
            (BookingStatus::NoShow, "no_show"),
            (BookingStatus::Completed, "completed"),
        ];
        assert_eq!(BookingStatus::ALL.len(), expected_texts.len());
        for (status, text) in expected_texts {
            assert_eq!(status.as_str(), text);
            assert_eq!(BookingStatus::parse(text), Ok(status));
            assert_eq!(serde_json::to_string(&status).unwrap(), format!("\"{text}\""));
        }
        for status in UserStatus::ALL {
            assert_eq!(UserStatus::parse(status.as_str()), Ok(*status));
        }
        for kind in SpaceKind::ALL {
            assert_eq!(SpaceKind::parse(kind.as_str()), Ok(*kind));
        }
        for unit in BookingUnit::ALL {
            assert_eq!(BookingUnit::parse(&unit.to_string()), Ok(*unit));
        }
        assert_eq!(UserStatus::Active.as_str(), "active");
        assert_eq!(UserStatus::Blocked.as_str(), "blocked");
        assert_eq!(UserStatus::Pending.as_str(), "pending");
        assert_eq!(BookingUnit::Hourly.as_str(), "hour");
        assert_eq!(BookingUnit::Daily.as_str(), "day");
        assert_eq!(SpaceKind::Equipment.as_str(), "equipment");
    }

    #[test]
    fn unknown_status_texts_are_refused() {
        assert_eq!(
            BookingStatus::parse("checked-in"),
            Err(UnknownValue { kind: "booking status", given: "checked-in".to_owned() })
        );
        assert!(UserStatus::parse("Active").is_err());
        assert!(SpaceKind::parse("").is_err());
        assert!(BookingUnit::parse("hourly").is_err());
    }

    #[test]
    fn only_live_bookings_occupy_their_space() {
        let occupying: Vec<BookingStatus> =
            BookingStatus::ALL.iter().copied().filter(BookingStatus::occupies_space).collect();
        assert_eq!(
            occupying,
            [BookingStatus::Pending, BookingStatus::Confirmed, BookingStatus::CheckedIn, BookingStatus::Completed]
        );
    }
}
