//! The rules for changing a booking that exists: which bookings may still be moved, which may be
//! released early, and where an early release ends. Whether the new time and space are allowed is
//! the ordinary booking check ([`crate::domain::booking::check_booking`]); this module only adds
//! what is particular to a change. Pure: `now` is a parameter.

use chrono::{DateTime, LocalResult, NaiveTime, TimeDelta, TimeZone, Utc};
use chrono_tz::Tz;

use crate::domain::booking::SpaceRules;
use crate::domain::local_time::local_day_bounds;
use crate::domain::slot::Slot;
use crate::domain::vocabulary::{BookingStatus, BookingUnit};

const MINUTES_PER_DAY: u32 = 24 * 60;

/// Why a booking cannot be changed or released; `code` is stable for machines.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ChangeRefusal {
    /// Moving needs a booking that is pending or confirmed and has not started.
    #[error("Only a booking that has not started yet can be changed.")]
    NotChangeable,
    /// Releasing needs a confirmed or checked-in booking that is running now.
    #[error("Only a booking that is running now can be released.")]
    NotRunning,
    /// The booking ends at the next step of the space's grid anyway.
    #[error("The booking already ends at the next possible time; there is nothing to release.")]
    NothingToRelease,
}

impl ChangeRefusal {
    /// Every refusal, for documentation and exhaustive tests.
    pub const ALL: [ChangeRefusal; 3] =
        [ChangeRefusal::NotChangeable, ChangeRefusal::NotRunning, ChangeRefusal::NothingToRelease];

    /// A stable snake_case name, for the JSON API and the translations.
    pub fn code(&self) -> &'static str {
        match self {
            ChangeRefusal::NotChangeable => "not_changeable",
            ChangeRefusal::NotRunning => "not_running",
            ChangeRefusal::NothingToRelease => "nothing_to_release",
        }
    }
}

/// Whether a booking may still be moved: pending or confirmed, and not started at `now`. A
/// booking that has started is released, not moved, so nobody moves time they already used.
pub fn may_change(status: BookingStatus, booked: &Slot, now: DateTime<Utc>) -> Result<(), ChangeRefusal> {
    if matches!(status, BookingStatus::Pending | BookingStatus::Confirmed) && booked.start() > now {
        Ok(())
    } else {
        Err(ChangeRefusal::NotChangeable)
    }
}

/// Whether a booking is running at `now` in a state that may be released early: confirmed or
/// checked in, and `start <= now < end`.
pub fn may_release(status: BookingStatus, booked: &Slot, now: DateTime<Utc>) -> bool {
    matches!(status, BookingStatus::Confirmed | BookingStatus::CheckedIn) && booked.start() <= now && now < booked.end()
}

/// Where a booking released early at `now` ends: `now` rounded up to the space's grid (hourly
/// spaces: the next wall-clock multiple of `slot_minutes` after local midnight; whole-day spaces:
/// the end of today), never before the first step of the booking and never after its old end.
///
/// # Errors
/// `NotRunning` unless the booking is confirmed or checked in and `start <= now < end`;
/// `NothingToRelease` when the rounded end is the old end.
pub fn release_end(
    status: BookingStatus,
    booked: &Slot,
    rules: &SpaceRules,
    tz: Tz,
    now: DateTime<Utc>,
) -> Result<DateTime<Utc>, ChangeRefusal> {
    if !may_release(status, booked, now) {
        return Err(ChangeRefusal::NotRunning);
    }
    // Released in its first instant, a booking still keeps its first step: an empty booking
    // cannot exist, and the member was there.
    let from = if now <= booked.start() { booked.start() + TimeDelta::nanoseconds(1) } else { now };
    let rounded = match rules.unit {
        BookingUnit::Daily => local_day_bounds(from.with_timezone(&tz).date_naive(), tz).end(),
        BookingUnit::Hourly => next_grid_point(from, rules.slot_minutes.max(1), tz),
    };
    let end = rounded.min(booked.end());
    if end >= booked.end() {
        return Err(ChangeRefusal::NothingToRelease);
    }
    Ok(end)
}

/// The first instant at or after `at` whose wall-clock time in `tz` is a multiple of `step`
/// minutes after local midnight, or the end of the local day. Grid points the clocks skip (spring)
/// do not exist; those they pass twice (autumn) count twice.
fn next_grid_point(at: DateTime<Utc>, step: u32, tz: Tz) -> DateTime<Utc> {
    let date = at.with_timezone(&tz).date_naive();
    let day_end = local_day_bounds(date, tz).end();
    (0..MINUTES_PER_DAY)
        .step_by(usize::try_from(step.max(1)).unwrap_or(1))
        .filter_map(|minute| NaiveTime::from_hms_opt(minute / 60, minute % 60, 0))
        .flat_map(|wall| match tz.from_local_datetime(&date.and_time(wall)) {
            LocalResult::Single(instant) => vec![instant.with_timezone(&Utc)],
            LocalResult::Ambiguous(first, second) => vec![first.with_timezone(&Utc), second.with_timezone(&Utc)],
            LocalResult::None => Vec::new(),
        })
        .filter(|instant| *instant >= at)
        .min()
        .map_or(day_end, |instant| instant.min(day_end))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    const BERLIN: Tz = chrono_tz::Europe::Berlin;

    fn at(text: &str) -> DateTime<Utc> {
        text.parse().unwrap()
    }

    fn slot(start: &str, end: &str) -> Slot {
        Slot::new(at(start), at(end)).unwrap()
    }

    fn rules(unit: BookingUnit, slot_minutes: u32) -> SpaceRules {
        SpaceRules {
            unit,
            slot_minutes,
            min_minutes: 60,
            max_minutes: 2880,
            max_days_ahead: 30,
            approval_required: false,
        }
    }

    #[test]
    fn a_release_ends_at_the_next_step_of_the_grid() {
        let booked = slot("2026-11-23T09:00:00Z", "2026-11-23T12:00:00Z");
        let hourly = rules(BookingUnit::Hourly, 30);
        let end = release_end(BookingStatus::CheckedIn, &booked, &hourly, BERLIN, at("2026-11-23T09:20:00Z"));
        assert_eq!(end, Ok(at("2026-11-23T09:30:00Z")));
        let on_the_step = release_end(BookingStatus::Confirmed, &booked, &hourly, BERLIN, at("2026-11-23T10:00:00Z"));
        assert_eq!(on_the_step, Ok(at("2026-11-23T10:00:00Z")));
        let one_second_after =
            release_end(BookingStatus::Confirmed, &booked, &hourly, BERLIN, at("2026-11-23T10:00:01Z"));
        assert_eq!(one_second_after, Ok(at("2026-11-23T10:30:00Z")));
        let at_the_start = release_end(BookingStatus::Confirmed, &booked, &hourly, BERLIN, booked.start());
        assert_eq!(at_the_start, Ok(at("2026-11-23T09:30:00Z")), "the first step is kept");
    }

    #[test]
    fn only_a_running_booking_with_time_left_is_released() {
        let booked = slot("2026-11-23T09:00:00Z", "2026-11-23T12:00:00Z");
        let hourly = rules(BookingUnit::Hourly, 30);
        for (status, now) in [
            (BookingStatus::Confirmed, "2026-11-23T08:59:00Z"),
            (BookingStatus::Confirmed, "2026-11-23T12:00:00Z"),
            (BookingStatus::Pending, "2026-11-23T10:00:00Z"),
            (BookingStatus::Cancelled, "2026-11-23T10:00:00Z"),
            (BookingStatus::Completed, "2026-11-23T10:00:00Z"),
        ] {
            assert_eq!(release_end(status, &booked, &hourly, BERLIN, at(now)), Err(ChangeRefusal::NotRunning));
        }
        let last_step = release_end(BookingStatus::Confirmed, &booked, &hourly, BERLIN, at("2026-11-23T11:40:00Z"));
        assert_eq!(last_step, Err(ChangeRefusal::NothingToRelease));
    }

    #[test]
    fn a_whole_day_booking_is_released_at_the_end_of_today() {
        // Two local days, 24 and 25 November.
        let booked = slot("2026-11-23T23:00:00Z", "2026-11-25T23:00:00Z");
        let daily = rules(BookingUnit::Daily, 1440);
        let end = release_end(BookingStatus::Confirmed, &booked, &daily, BERLIN, at("2026-11-24T15:00:00Z"));
        assert_eq!(end, Ok(at("2026-11-24T23:00:00Z")));
        let last_day = release_end(BookingStatus::Confirmed, &booked, &daily, BERLIN, at("2026-11-25T15:00:00Z"));
        assert_eq!(last_day, Err(ChangeRefusal::NothingToRelease));
    }

    #[test]
    fn the_grid_is_wall_clock_time_on_dst_days() {
        // 29 March 2026: 02:00 local does not exist; 01:30 CET (00:30Z) rounds up to the jump.
        assert_eq!(next_grid_point(at("2026-03-29T00:30:00Z"), 60, BERLIN), at("2026-03-29T01:00:00Z"));
        // 25 October 2026: 02:30 local happens twice; in the second pass (01:30Z) it rounds to 03:00 CET.
        assert_eq!(next_grid_point(at("2026-10-25T01:30:00Z"), 60, BERLIN), at("2026-10-25T02:00:00Z"));
        // In the first pass (00:30Z, 02:30 CEST) the next step is 02:00 CET, the second 02:00.
        assert_eq!(next_grid_point(at("2026-10-25T00:30:00Z"), 60, BERLIN), at("2026-10-25T01:00:00Z"));
    }

    #[test]
    fn only_an_upcoming_pending_or_confirmed_booking_may_change() {
        let booked = slot("2026-11-23T09:00:00Z", "2026-11-23T12:00:00Z");
        let before = at("2026-11-23T08:00:00Z");
        assert_eq!(may_change(BookingStatus::Confirmed, &booked, before), Ok(()));
        assert_eq!(may_change(BookingStatus::Pending, &booked, before), Ok(()));
        assert_eq!(may_change(BookingStatus::CheckedIn, &booked, before), Err(ChangeRefusal::NotChangeable));
        assert_eq!(may_change(BookingStatus::Cancelled, &booked, before), Err(ChangeRefusal::NotChangeable));
        assert_eq!(
            may_change(BookingStatus::Confirmed, &booked, at("2026-11-23T09:00:00Z")),
            Err(ChangeRefusal::NotChangeable)
        );
    }
}
