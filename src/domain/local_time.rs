//! Turning a hub's local wall-clock times into UTC instants, with daylight saving time done right.
//!
//! Times are stored in UTC and people think in Europe/Berlin. On the spring change day a local time
//! between 02:00 and 03:00 does not exist; on the autumn change day it exists twice; those days have
//! 23 and 25 hours. Resolving what a person typed refuses both cases with a sentence that explains
//! why; computing calendar boundaries (days, opening hours) never fails and picks the sensible
//! instant instead.

use crate::domain::slot::Slot;
use chrono::{DateTime, LocalResult, NaiveDate, NaiveDateTime, NaiveTime, TimeDelta, TimeZone, Timelike, Utc};
use chrono_tz::Tz;
use std::fmt;

/// The time zone of every RegioHub today; hubs carry their own so another region needs no code change.
pub const DEFAULT_TIME_ZONE: Tz = chrono_tz::Europe::Berlin;

/// The longest DST gap or overlap searched for; real ones are at most a day (Samoa, 2011).
const MAX_TRANSITION_MINUTES: i64 = 48 * 60;

/// Why a local date and time cannot name one instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum LocalTimeError {
    /// The clocks jumped over this time (spring forward).
    #[error(
        "{} {} does not exist in {tz}: the clocks go forward from {} to {}",
        date,
        ClockTime(*time),
        ClockTime(*clocks_from),
        ClockTime(*clocks_to)
    )]
    Nonexistent { date: NaiveDate, time: NaiveTime, tz: Tz, clocks_from: NaiveTime, clocks_to: NaiveTime },
    /// The clocks passed this time twice (fall back); an offset is needed to say which is meant.
    #[error(
        "{} {} happens twice in {tz}: the clocks go back from {} to {}, so give the time with its UTC offset",
        date,
        ClockTime(*time),
        ClockTime(*clocks_from),
        ClockTime(*clocks_to)
    )]
    Ambiguous { date: NaiveDate, time: NaiveTime, tz: Tz, clocks_from: NaiveTime, clocks_to: NaiveTime },
}

/// Shows a wall-clock time as people write it: `02:30`, with seconds only when there are any.
struct ClockTime(NaiveTime);

impl fmt::Display for ClockTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.second() == 0 && self.0.nanosecond() == 0 {
            write!(f, "{}", self.0.format("%H:%M"))
        } else {
            write!(f, "{}", self.0.format("%H:%M:%S"))
        }
    }
}

/// Resolves a local date and time typed by a person to the one UTC instant it names.
///
/// Refuses times skipped or repeated by a DST change instead of guessing, because a guessed hour
/// would silently book the wrong hour.
pub fn resolve_local(date: NaiveDate, time: NaiveTime, tz: Tz) -> Result<DateTime<Utc>, LocalTimeError> {
    let local = date.and_time(time);
    match tz.from_local_datetime(&local) {
        LocalResult::Single(instant) => Ok(instant.with_timezone(&Utc)),
        LocalResult::Ambiguous(_, _) => {
            let (repeat_start, repeat_end) = transition_around(local, tz, is_ambiguous);
            Err(LocalTimeError::Ambiguous {
                date,
                time,
                tz,
                clocks_from: repeat_end.time(),
                clocks_to: repeat_start.time(),
            })
        }
        LocalResult::None => {
            let (gap_start, gap_end) = transition_around(local, tz, is_nonexistent);
            Err(LocalTimeError::Nonexistent {
                date,
                time,
                tz,
                clocks_from: gap_start.time(),
                clocks_to: gap_end.time(),
            })
        }
    }
}

/// The local day `date` as UTC instants: from its first instant to the next day's first instant.
///
/// That is 24 hours on most days and 23 or 25 hours on DST change days. Where a zone skips local
/// midnight the day starts at the first local time that exists.
pub fn local_day_bounds(date: NaiveDate, tz: Tz) -> Slot {
    let start = start_of_local_day(date, tz).unwrap_or(DateTime::<Utc>::MIN_UTC);
    let end = date.succ_opt().and_then(|next| start_of_local_day(next, tz)).unwrap_or(DateTime::<Utc>::MAX_UTC);
    Slot::new(start, end).unwrap_or_else(|_| Slot::everything())
}

/// The first instant of a local date, or `None` only at the edges of chrono's date range.
pub(crate) fn start_of_local_day(date: NaiveDate, tz: Tz) -> Option<DateTime<Utc>> {
    boundary_instant(date.and_time(NaiveTime::MIN), tz, Boundary::Earliest)
}

/// Which instant a boundary that the DST change made ambiguous should stand for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Boundary {
    /// The first of two candidates: used where an interval opens.
    Earliest,
    /// The last of two candidates: used where an interval closes.
    Latest,
}

/// The instant a wall-clock boundary (an opening time, a midnight) stands for, without failing.
///
/// A repeated time resolves to the earliest or latest candidate as asked; a skipped time resolves
/// to the moment the clocks jumped, i.e. the first local time after the gap. `None` only at the
/// edges of chrono's date range.
pub(crate) fn boundary_instant(local: NaiveDateTime, tz: Tz, pick: Boundary) -> Option<DateTime<Utc>> {
    match tz.from_local_datetime(&local) {
        LocalResult::Single(instant) => Some(instant.with_timezone(&Utc)),
        LocalResult::Ambiguous(earliest, latest) => Some(match pick {
            Boundary::Earliest => earliest.with_timezone(&Utc),
            Boundary::Latest => latest.with_timezone(&Utc),
        }),
        LocalResult::None => {
            let (_, after_gap) = transition_around(local, tz, is_nonexistent);
            tz.from_local_datetime(&after_gap).earliest().map(|instant| instant.with_timezone(&Utc))
        }
    }
}

fn is_nonexistent(local: NaiveDateTime, tz: Tz) -> bool {
    matches!(tz.from_local_datetime(&local), LocalResult::None)
}

fn is_ambiguous(local: NaiveDateTime, tz: Tz) -> bool {
    matches!(tz.from_local_datetime(&local), LocalResult::Ambiguous(_, _))
}

/// The wall-clock times around a DST transition containing `local`, found by walking whole minutes:
/// the first minute with the property and the first minute after it without.
///
/// For a gap this is (where the clocks jump from, where they land); for an overlap it is (where the
/// repeated stretch starts, where the clocks are set back from).
fn transition_around(
    local: NaiveDateTime,
    tz: Tz,
    inside: fn(NaiveDateTime, Tz) -> bool,
) -> (NaiveDateTime, NaiveDateTime) {
    let minute = TimeDelta::minutes(1);
    let on_minute = local.with_second(0).and_then(|t| t.with_nanosecond(0)).unwrap_or(local);
    let mut first = on_minute;
    for _ in 0..MAX_TRANSITION_MINUTES {
        match first.checked_sub_signed(minute) {
            Some(earlier) if inside(earlier, tz) => first = earlier,
            _ => break,
        }
    }
    let mut after = on_minute;
    for _ in 0..MAX_TRANSITION_MINUTES {
        match after.checked_add_signed(minute) {
            Some(later) => {
                after = later;
                if !inside(later, tz) {
                    break;
                }
            }
            None => break,
        }
    }
    (first, after)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;
    use chrono::TimeDelta;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn time(h: u32, m: u32) -> NaiveTime {
        NaiveTime::from_hms_opt(h, m, 0).unwrap()
    }

    fn utc(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn ordinary_local_times_resolve_with_the_season_offset() {
        let berlin = DEFAULT_TIME_ZONE;
        assert_eq!(resolve_local(date(2026, 1, 15), time(9, 0), berlin), Ok(utc("2026-01-15T08:00:00Z")));
        assert_eq!(resolve_local(date(2026, 7, 15), time(9, 0), berlin), Ok(utc("2026-07-15T07:00:00Z")));
        assert_eq!(resolve_local(date(2026, 3, 29), time(3, 0), berlin), Ok(utc("2026-03-29T01:00:00Z")));
        assert_eq!(resolve_local(date(2026, 3, 29), time(1, 59), berlin), Ok(utc("2026-03-29T00:59:00Z")));
    }

    #[test]
    fn skipped_spring_time_is_refused_with_a_clear_sentence() {
        let error = resolve_local(date(2026, 3, 29), time(2, 30), DEFAULT_TIME_ZONE).unwrap_err();
        assert_eq!(
            error,
            LocalTimeError::Nonexistent {
                date: date(2026, 3, 29),
                time: time(2, 30),
                tz: DEFAULT_TIME_ZONE,
                clocks_from: time(2, 0),
                clocks_to: time(3, 0),
            }
        );
        assert_eq!(
            error.to_string(),
            "2026-03-29 02:30 does not exist in Europe/Berlin: the clocks go forward from 02:00 to 03:00"
        );
        assert!(resolve_local(date(2026, 3, 29), time(2, 0), DEFAULT_TIME_ZONE).is_err());
    }

    #[test]
    fn repeated_autumn_time_is_refused_as_ambiguous() {
        let error = resolve_local(date(2026, 10, 25), time(2, 30), DEFAULT_TIME_ZONE).unwrap_err();
        assert_eq!(
            error,
            LocalTimeError::Ambiguous {
                date: date(2026, 10, 25),
                time: time(2, 30),
                tz: DEFAULT_TIME_ZONE,
                clocks_from: time(3, 0),
                clocks_to: time(2, 0),
            }
        );
        assert_eq!(
            error.to_string(),
            "2026-10-25 02:30 happens twice in Europe/Berlin: the clocks go back from 03:00 to 02:00, \
             so give the time with its UTC offset"
        );
        assert_eq!(resolve_local(date(2026, 10, 25), time(3, 0), DEFAULT_TIME_ZONE), Ok(utc("2026-10-25T02:00:00Z")));
    }

    #[test]
    fn seconds_are_shown_only_when_present() {
        let with_seconds = NaiveTime::from_hms_opt(2, 30, 15).unwrap();
        let error = resolve_local(date(2026, 3, 29), with_seconds, DEFAULT_TIME_ZONE).unwrap_err();
        assert!(error.to_string().starts_with("2026-03-29 02:30:15 does not exist"), "{error}");
    }

    #[test]
    fn day_bounds_have_23_24_and_25_hours() {
        let cases = [
            (date(2026, 3, 28), "2026-03-27T23:00:00Z", "2026-03-28T23:00:00Z", 24),
            (date(2026, 3, 29), "2026-03-28T23:00:00Z", "2026-03-29T22:00:00Z", 23),
            (date(2026, 10, 25), "2026-10-24T22:00:00Z", "2026-10-25T23:00:00Z", 25),
            (date(2026, 7, 1), "2026-06-30T22:00:00Z", "2026-07-01T22:00:00Z", 24),
        ];
        for (day, start, end, hours) in cases {
            let bounds = local_day_bounds(day, DEFAULT_TIME_ZONE);
            assert_eq!(bounds.start(), utc(start), "{day}");
            assert_eq!(bounds.end(), utc(end), "{day}");
            assert_eq!(bounds.duration(), TimeDelta::hours(hours), "{day}");
        }
    }

    #[test]
    fn consecutive_days_tile_without_gaps() {
        let first = local_day_bounds(date(2026, 3, 29), DEFAULT_TIME_ZONE);
        let second = local_day_bounds(date(2026, 3, 30), DEFAULT_TIME_ZONE);
        assert_eq!(first.end(), second.start());
    }

    #[test]
    fn skipped_midnight_starts_the_day_when_the_clocks_land() {
        // Chile moved its clocks from 00:00 to 01:00 on 2023-09-03.
        let santiago = chrono_tz::America::Santiago;
        let bounds = local_day_bounds(date(2023, 9, 3), santiago);
        assert_eq!(bounds.start(), utc("2023-09-03T04:00:00Z"));
        assert_eq!(bounds.duration(), TimeDelta::hours(23));
    }

    #[test]
    fn boundaries_inside_a_change_resolve_to_the_sensible_instant() {
        let berlin = DEFAULT_TIME_ZONE;
        let skipped = date(2026, 3, 29).and_time(time(2, 30));
        assert_eq!(boundary_instant(skipped, berlin, Boundary::Earliest), Some(utc("2026-03-29T01:00:00Z")));
        let repeated = date(2026, 10, 25).and_time(time(2, 30));
        assert_eq!(boundary_instant(repeated, berlin, Boundary::Earliest), Some(utc("2026-10-25T00:30:00Z")));
        assert_eq!(boundary_instant(repeated, berlin, Boundary::Latest), Some(utc("2026-10-25T01:30:00Z")));
    }

    #[test]
    fn extreme_dates_do_not_panic() {
        let first = local_day_bounds(NaiveDate::MIN, DEFAULT_TIME_ZONE);
        let last = local_day_bounds(NaiveDate::MAX, DEFAULT_TIME_ZONE);
        assert!(first.start() < first.end());
        assert!(last.start() < last.end());
    }
}
