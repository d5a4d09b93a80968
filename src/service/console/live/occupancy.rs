//! The rule for what a space is doing now, from its bookings and its latest presence reading.
//! Pure: no storage, no clock (`now` is a parameter), so the whole table of cases is unit-tested.

use chrono::{DateTime, Duration, Utc};

/// A reading older than this says nothing about now: the sensor may have gone silent.
pub const PRESENCE_FRESH_FOR: Duration = Duration::minutes(10);

/// What the sensors say about a space now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Presence {
    Present,
    Empty,
    /// No reading, an `unknown` reading, or only a stale one.
    Unknown,
}

impl Presence {
    /// The stable word used in CSS classes and catalogue keys.
    pub fn as_str(self) -> &'static str {
        match self {
            Presence::Present => "present",
            Presence::Empty => "empty",
            Presence::Unknown => "unknown",
        }
    }
}

/// The presence now from the space's latest reading (stored word, observed at): readings older
/// than [`PRESENCE_FRESH_FOR`] and words other than `present`/`empty` count as unknown. A reading
/// from slightly in the future (a bridge clock ahead of ours) counts as fresh.
pub fn presence_now(latest: Option<(&str, DateTime<Utc>)>, now: DateTime<Utc>) -> Presence {
    match latest {
        Some((_, observed_at)) if now - observed_at > PRESENCE_FRESH_FOR => Presence::Unknown,
        Some(("present", _)) => Presence::Present,
        Some(("empty", _)) => Presence::Empty,
        _ => Presence::Unknown,
    }
}

/// A booking holding the space (confirmed or checked in) as the rule needs it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HeldSlot {
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    pub checked_in: bool,
}

/// What a space is doing now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SpaceState {
    /// No booking now or later today, nobody there.
    Free,
    /// Booked later today (from `next_start`), nobody there now.
    Booked { next_start: DateTime<Utc> },
    /// Booked now and the booker is there (checked in, or the sensors see someone).
    CheckedIn,
    /// Someone is there without a booking now.
    WalkIn,
    /// Booked now, not checked in and the sensors see nobody: likely a no-show.
    NoShowRisk,
    /// Taken out of booking by the hub.
    Disabled,
}

impl SpaceState {
    /// The stable word used in CSS classes and catalogue keys.
    pub fn as_str(self) -> &'static str {
        match self {
            SpaceState::Free => "free",
            SpaceState::Booked { .. } => "booked",
            SpaceState::CheckedIn => "checked_in",
            SpaceState::WalkIn => "walk_in",
            SpaceState::NoShowRisk => "no_show_risk",
            SpaceState::Disabled => "disabled",
        }
    }
}

/// The state of a space now. `held` are its confirmed or checked-in bookings that have not ended
/// and start today; presence at a booked space counts as the booker being there (the bridge
/// link checks such a booking in as soon as the reading arrives).
pub fn space_state(enabled: bool, held: &[HeldSlot], presence: Presence, now: DateTime<Utc>) -> SpaceState {
    if !enabled {
        return SpaceState::Disabled;
    }
    let live: Vec<&HeldSlot> = held.iter().filter(|slot| slot.end > now).collect();
    // A booking can be checked in shortly before its start (the PIN grace): it holds the space.
    if live.iter().any(|slot| slot.checked_in) {
        return SpaceState::CheckedIn;
    }
    if live.iter().any(|slot| slot.start <= now) {
        return if presence == Presence::Present { SpaceState::CheckedIn } else { SpaceState::NoShowRisk };
    }
    if presence == Presence::Present {
        return SpaceState::WalkIn;
    }
    match live.iter().map(|slot| slot.start).min() {
        Some(next_start) => SpaceState::Booked { next_start },
        None => SpaceState::Free,
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn at(hour: u32, minute: u32) -> DateTime<Utc> {
        chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap().and_hms_opt(hour, minute, 0).unwrap().and_utc()
    }

    #[test]
    fn stale_and_odd_readings_count_as_unknown() {
        let now = at(9, 0);
        assert_eq!(presence_now(None, now), Presence::Unknown);
        assert_eq!(presence_now(Some(("present", at(8, 50))), now), Presence::Present, "exactly ten minutes");
        assert_eq!(presence_now(Some(("present", at(8, 49))), now), Presence::Unknown);
        assert_eq!(presence_now(Some(("empty", at(8, 59))), now), Presence::Empty);
        assert_eq!(presence_now(Some(("unknown", at(8, 59))), now), Presence::Unknown);
        assert_eq!(presence_now(Some(("present", at(9, 1))), now), Presence::Present, "bridge clock ahead");
    }

    #[test]
    fn every_combination_of_booking_and_presence() {
        let now = at(9, 0);
        let upcoming = [HeldSlot { start: at(11, 0), end: at(12, 0), checked_in: false }];
        let started = [HeldSlot { start: at(8, 30), end: at(10, 0), checked_in: false }];
        let checked_in = [HeldSlot { start: at(8, 30), end: at(10, 0), checked_in: true }];
        let ended = [HeldSlot { start: at(7, 0), end: at(9, 0), checked_in: true }];
        let booked = SpaceState::Booked { next_start: at(11, 0) };
        use Presence::{Empty, Present, Unknown};
        use SpaceState::{CheckedIn, Disabled, Free, NoShowRisk, WalkIn};
        // (enabled, bookings, presence) → state; "stale" readings arrive here as Unknown.
        let table: [(bool, &[HeldSlot], Presence, SpaceState); 24] = [
            (true, &[], Unknown, Free),
            (true, &[], Present, WalkIn),
            (true, &[], Empty, Free),
            (true, &upcoming, Unknown, booked),
            (true, &upcoming, Present, WalkIn),
            (true, &upcoming, Empty, booked),
            (true, &started, Unknown, NoShowRisk),
            (true, &started, Present, CheckedIn),
            (true, &started, Empty, NoShowRisk),
            (true, &checked_in, Unknown, CheckedIn),
            (true, &checked_in, Present, CheckedIn),
            (true, &checked_in, Empty, CheckedIn),
            (false, &[], Unknown, Disabled),
            (false, &[], Present, Disabled),
            (false, &started, Empty, Disabled),
            (false, &checked_in, Present, Disabled),
            (true, &ended, Unknown, Free),
            (true, &ended, Present, WalkIn),
            (true, &[started[0], upcoming[0]], Empty, NoShowRisk),
            (true, &[upcoming[0], started[0]], Present, CheckedIn),
            (true, &[ended[0], upcoming[0]], Empty, booked),
            (true, &[HeldSlot { start: at(9, 10), end: at(10, 0), checked_in: true }], Unknown, CheckedIn),
            (true, &[HeldSlot { start: at(9, 0), end: at(10, 0), checked_in: false }], Unknown, NoShowRisk),
            (
                true,
                &[HeldSlot { start: at(9, 1), end: at(10, 0), checked_in: false }],
                Unknown,
                SpaceState::Booked { next_start: at(9, 1) },
            ),
        ];
        for (i, (enabled, held, presence, expected)) in table.into_iter().enumerate() {
            assert_eq!(space_state(enabled, held, presence, now), expected, "row {i}");
        }
    }
}
