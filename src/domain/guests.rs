//! Who may invite guests to a booking, and how many: the pure rule of issue 16's guests. Storage,
//! PINs and mails live in `service::guests`; this module reads no clock and touches no database.

use chrono::{DateTime, Utc};

use super::vocabulary::{BookingStatus, SpaceKind};

/// The longest guest name, in characters.
pub const MAX_GUEST_NAME_CHARS: usize = 100;

/// Why no further guest may be invited to a booking. Each is shown to the member as a sentence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GuestRefusal {
    /// Only rooms take guests: a desk or a piece of equipment is one person's.
    NotARoom,
    /// The hub turned guests off for this room.
    GuestsOff,
    /// The booking is pending, cancelled, released or a no-show: it opens no door.
    NotConfirmed,
    /// The booking is over.
    Ended,
    /// Every seat is taken: the member's own and one per active guest.
    Full,
}

impl GuestRefusal {
    /// The stable code, for the message catalogue (`guests-refusal-<code>`) and the form.
    pub fn code(self) -> &'static str {
        match self {
            GuestRefusal::NotARoom => "not-a-room",
            GuestRefusal::GuestsOff => "guests-off",
            GuestRefusal::NotConfirmed => "not-confirmed",
            GuestRefusal::Ended => "ended",
            GuestRefusal::Full => "full",
        }
    }
}

/// What the rule needs to know about a booking and its room.
#[derive(Debug, Clone, Copy)]
pub struct GuestSeat {
    pub kind: SpaceKind,
    pub guests_allowed: bool,
    pub capacity: i32,
    pub status: BookingStatus,
    pub end: DateTime<Utc>,
    /// Invitations not withdrawn.
    pub active_guests: usize,
}

/// How many guests a room of `capacity` seats takes beside the member, who takes a seat
/// themselves: `capacity - 1`, never below zero.
pub fn guest_limit(capacity: i32) -> usize {
    usize::try_from(capacity.saturating_sub(1)).unwrap_or(0)
}

/// Whether the places a booking may hand out to guests are open at all (the room, the hub's
/// switch, the booking's state and time), before counting seats. A checked-in booking is still
/// a confirmed one in progress.
///
/// # Errors
/// The first reason that applies.
pub fn guests_possible(seat: &GuestSeat, now: DateTime<Utc>) -> Result<(), GuestRefusal> {
    if seat.kind != SpaceKind::Room {
        return Err(GuestRefusal::NotARoom);
    }
    if !seat.guests_allowed {
        return Err(GuestRefusal::GuestsOff);
    }
    if !seat.status.opens_doors() {
        return Err(GuestRefusal::NotConfirmed);
    }
    if seat.end <= now {
        return Err(GuestRefusal::Ended);
    }
    Ok(())
}

/// Whether one more guest may be invited now.
///
/// # Errors
/// The first reason that applies; [`GuestRefusal::Full`] when every seat is taken.
pub fn may_invite(seat: &GuestSeat, now: DateTime<Utc>) -> Result<(), GuestRefusal> {
    guests_possible(seat, now)?;
    if seat.active_guests >= guest_limit(seat.capacity) {
        return Err(GuestRefusal::Full);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn seat() -> GuestSeat {
        GuestSeat {
            kind: SpaceKind::Room,
            guests_allowed: true,
            capacity: 3,
            status: BookingStatus::Confirmed,
            end: "2026-11-23T12:00:00Z".parse().unwrap(),
            active_guests: 0,
        }
    }

    fn now() -> DateTime<Utc> {
        "2026-11-23T10:00:00Z".parse().unwrap()
    }

    #[test]
    fn the_member_takes_a_seat() {
        assert_eq!(guest_limit(3), 2);
        assert_eq!(guest_limit(1), 0);
        assert_eq!(guest_limit(0), 0);
        assert_eq!(may_invite(&GuestSeat { active_guests: 1, ..seat() }, now()), Ok(()));
        assert_eq!(may_invite(&GuestSeat { active_guests: 2, ..seat() }, now()), Err(GuestRefusal::Full));
        assert_eq!(may_invite(&GuestSeat { capacity: 1, ..seat() }, now()), Err(GuestRefusal::Full));
    }

    #[test]
    fn only_confirmed_running_rooms_with_guests_on() {
        assert_eq!(may_invite(&GuestSeat { kind: SpaceKind::Desk, ..seat() }, now()), Err(GuestRefusal::NotARoom));
        assert_eq!(may_invite(&GuestSeat { guests_allowed: false, ..seat() }, now()), Err(GuestRefusal::GuestsOff));
        for status in
            [BookingStatus::Pending, BookingStatus::Cancelled, BookingStatus::NoShow, BookingStatus::Completed]
        {
            assert_eq!(may_invite(&GuestSeat { status, ..seat() }, now()), Err(GuestRefusal::NotConfirmed));
        }
        assert_eq!(may_invite(&GuestSeat { status: BookingStatus::CheckedIn, ..seat() }, now()), Ok(()));
        let end = now();
        assert_eq!(
            may_invite(&GuestSeat { end, ..seat() }, now()),
            Err(GuestRefusal::Ended),
            "half-open: over at its end"
        );
    }
}
