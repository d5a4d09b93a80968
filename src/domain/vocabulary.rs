//! The small closed sets of states that users, bookings and spaces can be in.
//!
//! Each set is an enum with a stable text form (`as_str` / `parse`) used by storage, the CLI and
//! the JSON API, so the words on disk and on the wire never drift from the code. The booking
//! status is the hardware crate's, shared with the access snapshot; the sets only the web service
//! knows are defined here with the same macro. What a state allows is decided in the booking
//! rules, not here.

use regiohub_hardware::closed_set;
pub use regiohub_hardware::vocabulary::{BookingStatus, UnknownValue};

closed_set!(
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

closed_set!(
    /// What a space is; shown to members and used to filter availability.
    SpaceKind, "space kind" {
        Desk => "desk",
        Room => "room",
        Equipment => "equipment",
    }
);

closed_set!(
    /// Whether a space is booked by time slots within a day or by whole local days.
    BookingUnit, "booking unit" {
        Hourly => "hour",
        Daily => "day",
    }
);

closed_set!(
    /// The kind of role a `user_roles` row grants; a hub manager's row also names the hub.
    RoleKind, "role kind" {
        Member => "member",
        HubManager => "hub_manager",
        Admin => "admin",
    }
);

closed_set!(
    /// Where a remote unlock is on its way to a door: only the bridge's report settles it as
    /// executed or failed; one no bridge fetched before its deadline expires.
    CommandStatus, "door command status" {
        Requested => "requested",
        Delivered => "delivered",
        Executed => "executed",
        Failed => "failed",
        Expired => "expired",
    }
);

impl CommandStatus {
    /// Whether the command may still reach the door (nobody has settled it yet).
    pub fn is_open(self) -> bool {
        matches!(self, CommandStatus::Requested | CommandStatus::Delivered)
    }
}

closed_set!(
    /// What a door alarm is about.
    AlarmKind, "alarm kind" {
        HeldOpen => "held_open",
        ForcedOpen => "forced_open",
        ControllerSilent => "controller_silent",
        DeviceFault => "device_fault",
        /// Repeated keypad lockouts at one door: someone may be guessing PINs.
        KeypadLockout => "keypad_lockout",
    }
);

closed_set!(
    /// What a presence sensor reported for a space.
    SensedPresence, "presence" {
        Present => "present",
        Empty => "empty",
        /// The sensor could not tell (fault, warming up): not an observation.
        Unknown => "unknown",
    }
);

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;

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

closed_set!(
    /// Where a member's place on a waitlist stands: waiting in line, offered the freed slot (held
    /// for them until the offer expires), or done (booked, expired, left).
    WaitlistStatus, "waitlist status" {
        Waiting => "waiting",
        Offered => "offered",
        Booked => "booked",
        Expired => "expired",
        Left => "left",
    }
);
