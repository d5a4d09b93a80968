//! A hub's calendar: weekly opening hours, closures and holidays, in the hub's own time zone.
//!
//! This module answers "when is the hub open on this date, in UTC?" and "what is still free?".
//! Whether a particular booking is allowed is decided in `booking`, which builds on these answers.

use crate::domain::local_time::{Boundary, boundary_instant, start_of_local_day};
use crate::domain::slot::Slot;
use chrono::{DateTime, Datelike, NaiveDate, NaiveTime, Timelike, Utc, Weekday};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

const SECONDS_PER_DAY: u32 = 24 * 60 * 60;

/// One stretch of a day during which a hub is open, in local wall-clock time.
///
/// `closes` is after `opens` on the same day; `closes` = 00:00 means "until midnight", so that a
/// hub can be open until the end of the day (or around the clock with 00:00–00:00).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct OpeningInterval {
    pub opens: NaiveTime,
    pub closes: NaiveTime,
}

impl OpeningInterval {
    /// Builds an interval, refusing one that closes before (or when) it opens.
    pub fn new(opens: NaiveTime, closes: NaiveTime) -> Result<Self, CalendarError> {
        let interval = Self { opens, closes };
        if interval.closes_seconds() <= interval.opens_seconds() {
            return Err(CalendarError::ClosesNotAfterOpens { opens, closes });
        }
        Ok(interval)
    }

    /// Whether the hub stays open until the end of the local day.
    pub fn closes_at_midnight(&self) -> bool {
        self.closes == NaiveTime::MIN
    }

    fn opens_seconds(&self) -> u32 {
        self.opens.num_seconds_from_midnight()
    }

    fn closes_seconds(&self) -> u32 {
        if self.closes_at_midnight() { SECONDS_PER_DAY } else { self.closes.num_seconds_from_midnight() }
    }
}

/// Why opening hours or a closure cannot be stored as given.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CalendarError {
    #[error("an opening interval must close after it opens (got {opens} to {closes})")]
    ClosesNotAfterOpens { opens: NaiveTime, closes: NaiveTime },
    #[error("opening intervals on {day} overlap")]
    Overlapping { day: Weekday },
    #[error("a closure must not end ({last_day}) before it starts ({first_day})")]
    ClosureEndsBeforeStart { first_day: NaiveDate, last_day: NaiveDate },
}

/// The regular opening hours of a hub for each day of the week.
///
/// Per day the intervals are sorted and do not overlap; intervals that touch (12:00–14:00 and
/// 14:00–18:00) are merged, so a booking across the seam lies inside one interval.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WeeklyHours {
    days: [Vec<OpeningInterval>; 7],
}

impl WeeklyHours {
    /// Collects intervals per weekday, refusing invalid or overlapping ones.
    pub fn new(entries: Vec<(Weekday, OpeningInterval)>) -> Result<Self, CalendarError> {
        let mut days: [Vec<OpeningInterval>; 7] = Default::default();
        for (day, interval) in entries {
            let checked = OpeningInterval::new(interval.opens, interval.closes)?;
            days[day_index(day)].push(checked);
        }
        for (index, intervals) in days.iter_mut().enumerate() {
            intervals.sort_by_key(OpeningInterval::opens_seconds);
            let mut merged: Vec<OpeningInterval> = Vec::with_capacity(intervals.len());
            for interval in intervals.drain(..) {
                match merged.last_mut() {
                    Some(last) if last.closes_seconds() > interval.opens_seconds() => {
                        return Err(CalendarError::Overlapping { day: weekday_at(index) });
                    }
                    Some(last) if last.closes_seconds() == interval.opens_seconds() => {
                        last.closes = interval.closes;
                    }
                    _ => merged.push(interval),
                }
            }
            *intervals = merged;
        }
        Ok(Self { days })
    }

    /// The opening intervals of a weekday, sorted; empty when the hub is closed that day.
    pub fn on(&self, day: Weekday) -> &[OpeningInterval] {
        &self.days[day_index(day)]
    }

    /// Every interval with its weekday, Monday first, e.g. for storing or showing the week.
    pub fn entries(&self) -> Vec<(Weekday, OpeningInterval)> {
        self.days
            .iter()
            .enumerate()
            .flat_map(|(index, intervals)| intervals.iter().map(move |i| (weekday_at(index), *i)))
            .collect()
    }
}

fn day_index(day: Weekday) -> usize {
    day.num_days_from_monday() as usize
}

/// The days of the week in the order `WeeklyHours` stores them.
const WEEK: [Weekday; 7] =
    [Weekday::Mon, Weekday::Tue, Weekday::Wed, Weekday::Thu, Weekday::Fri, Weekday::Sat, Weekday::Sun];

fn weekday_at(index: usize) -> Weekday {
    WEEK.get(index).copied().unwrap_or(Weekday::Mon)
}

/// Days on which a hub is closed despite its weekly hours (holidays, maintenance); inclusive.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Closure {
    pub first_day: NaiveDate,
    pub last_day: NaiveDate,
    /// Shown to members so they know why the hub is closed, e.g. "Weihnachten".
    pub label: String,
}

impl Closure {
    /// Builds a closure, refusing a range that ends before it starts.
    pub fn new(first_day: NaiveDate, last_day: NaiveDate, label: impl Into<String>) -> Result<Self, CalendarError> {
        if last_day < first_day {
            return Err(CalendarError::ClosureEndsBeforeStart { first_day, last_day });
        }
        Ok(Self { first_day, last_day, label: label.into() })
    }

    /// Whether the hub is closed on this date because of this closure.
    pub fn covers(&self, date: NaiveDate) -> bool {
        self.first_day <= date && date <= self.last_day
    }
}

/// Everything needed to tell when a hub is open: its zone, its week and its exceptions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HubCalendar {
    pub tz: Tz,
    pub weekly: WeeklyHours,
    pub closures: Vec<Closure>,
}

impl HubCalendar {
    /// The closure in force on a local date, if any (the first listed wins when several overlap).
    pub fn closure_on(&self, date: NaiveDate) -> Option<&Closure> {
        self.closures.iter().find(|closure| closure.covers(date))
    }

    /// The earliest date in `first..=last` on which a closure applies, with that closure.
    pub fn first_closure_within(&self, first: NaiveDate, last: NaiveDate) -> Option<(NaiveDate, &Closure)> {
        self.closures
            .iter()
            .filter(|closure| closure.first_day <= last && first <= closure.last_day)
            .map(|closure| (closure.first_day.max(first), closure))
            .min_by_key(|(date, _)| *date)
    }

    /// The hub's opening hours on a local date as UTC slots; empty when it is closed.
    ///
    /// DST-correct: 08:00–20:00 is 11 hours on the spring change day and 13 on the autumn one. An
    /// opening time that a DST change skips starts when the clocks land; a repeated one opens at
    /// its first and closes at its second occurrence.
    pub fn opening_slots_on(&self, date: NaiveDate) -> Vec<Slot> {
        if self.closure_on(date).is_some() {
            return Vec::new();
        }
        self.weekly
            .on(date.weekday())
            .iter()
            .filter_map(|interval| {
                let start = boundary_instant(date.and_time(interval.opens), self.tz, Boundary::Earliest)?;
                let end = if interval.closes_at_midnight() {
                    start_of_local_day(date.succ_opt()?, self.tz)?
                } else {
                    boundary_instant(date.and_time(interval.closes), self.tz, Boundary::Latest)?
                };
                Slot::new(start, end).ok()
            })
            .collect()
    }

    /// Whether the hub opens at all on a local date.
    pub fn is_open_on(&self, date: NaiveDate) -> bool {
        !self.opening_slots_on(date).is_empty()
    }

    /// The hub's local calendar date at an instant, which is what opening hours and limits refer to.
    pub fn local_date_of(&self, instant: DateTime<Utc>) -> NaiveDate {
        instant.with_timezone(&self.tz).date_naive()
    }
}

/// The parts of `open` not covered by any of `taken`, sorted; for availability views.
///
/// Overlapping or touching open slots are joined first, so the result never has two free intervals
/// that meet.
pub fn free_intervals(open: &[Slot], taken: &[Slot]) -> Vec<Slot> {
    let mut open = open.to_vec();
    open.sort_by_key(Slot::start);
    let mut joined: Vec<Slot> = Vec::with_capacity(open.len());
    for slot in open {
        match joined.last_mut() {
            Some(last) if slot.start() <= last.end() => {
                if slot.end() > last.end() {
                    *last = Slot::new(last.start(), slot.end()).unwrap_or(*last);
                }
            }
            _ => joined.push(slot),
        }
    }
    let mut taken = taken.to_vec();
    taken.sort_by_key(Slot::start);

    let mut free = Vec::new();
    for window in joined {
        let mut cursor = window.start();
        for busy in taken.iter().filter(|busy| busy.end() > window.start() && busy.start() < window.end()) {
            if busy.start() > cursor {
                free.extend(Slot::new(cursor, busy.start()).ok());
            }
            cursor = cursor.max(busy.end());
        }
        if cursor < window.end() {
            free.extend(Slot::new(cursor, window.end()).ok());
        }
    }
    free
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;
    use crate::domain::local_time::DEFAULT_TIME_ZONE;
    use chrono::TimeDelta;

    fn time(h: u32, m: u32) -> NaiveTime {
        NaiveTime::from_hms_opt(h, m, 0).unwrap()
    }

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn utc(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text).unwrap().with_timezone(&Utc)
    }

    fn slot(start: &str, end: &str) -> Slot {
        Slot::new(utc(start), utc(end)).unwrap()
    }

    fn open(opens: (u32, u32), closes: (u32, u32)) -> OpeningInterval {
        OpeningInterval::new(time(opens.0, opens.1), time(closes.0, closes.1)).unwrap()
    }

    /// Open 08:00–20:00 every day, so both 2026 DST Sundays are open.
    fn every_day_8_to_20() -> HubCalendar {
        let entries =
            [Weekday::Mon, Weekday::Tue, Weekday::Wed, Weekday::Thu, Weekday::Fri, Weekday::Sat, Weekday::Sun]
                .into_iter()
                .map(|day| (day, open((8, 0), (20, 0))))
                .collect();
        HubCalendar {
            tz: DEFAULT_TIME_ZONE,
            weekly: WeeklyHours::new(entries).unwrap(),
            closures: vec![Closure::new(date(2026, 12, 24), date(2026, 12, 26), "Weihnachten").unwrap()],
        }
    }

    #[test]
    fn interval_must_close_after_it_opens_but_may_close_at_midnight() {
        assert!(OpeningInterval::new(time(8, 0), time(8, 0)).is_err());
        assert_eq!(
            OpeningInterval::new(time(20, 0), time(8, 0)),
            Err(CalendarError::ClosesNotAfterOpens { opens: time(20, 0), closes: time(8, 0) })
        );
        assert!(OpeningInterval::new(time(8, 0), time(0, 0)).unwrap().closes_at_midnight());
        assert!(OpeningInterval::new(time(0, 0), time(0, 0)).is_ok());
    }

    #[test]
    fn weekly_hours_sort_merge_touching_and_refuse_overlaps() {
        let week = WeeklyHours::new(vec![
            (Weekday::Mon, open((14, 0), (18, 0))),
            (Weekday::Mon, open((8, 0), (12, 0))),
            (Weekday::Mon, open((12, 0), (13, 0))),
            (Weekday::Tue, open((9, 0), (10, 0))),
        ])
        .unwrap();
        assert_eq!(week.on(Weekday::Mon), [open((8, 0), (13, 0)), open((14, 0), (18, 0))]);
        assert_eq!(week.on(Weekday::Tue), [open((9, 0), (10, 0))]);
        assert!(week.on(Weekday::Sun).is_empty());
        assert_eq!(week.entries().len(), 3);

        let overlapping =
            WeeklyHours::new(vec![(Weekday::Fri, open((8, 0), (12, 0))), (Weekday::Fri, open((11, 59), (15, 0)))]);
        assert_eq!(overlapping, Err(CalendarError::Overlapping { day: Weekday::Fri }));

        let sneaky = WeeklyHours::new(vec![(Weekday::Sat, OpeningInterval { opens: time(18, 0), closes: time(9, 0) })]);
        assert!(sneaky.is_err(), "WeeklyHours::new must validate intervals built by hand");
    }

    #[test]
    fn closures_are_inclusive_and_must_be_ordered() {
        let calendar = every_day_8_to_20();
        assert!(calendar.closure_on(date(2026, 12, 23)).is_none());
        assert_eq!(calendar.closure_on(date(2026, 12, 24)).unwrap().label, "Weihnachten");
        assert!(calendar.closure_on(date(2026, 12, 26)).is_some());
        assert!(calendar.closure_on(date(2026, 12, 27)).is_none());
        assert!(calendar.opening_slots_on(date(2026, 12, 25)).is_empty());
        assert!(!calendar.is_open_on(date(2026, 12, 25)));
        assert!(calendar.is_open_on(date(2026, 12, 27)));
        assert!(Closure::new(date(2026, 5, 2), date(2026, 5, 1), "x").is_err());
        assert_eq!(
            calendar.first_closure_within(date(2026, 12, 20), date(2026, 12, 31)).map(|(d, _)| d),
            Some(date(2026, 12, 24))
        );
        assert_eq!(
            calendar.first_closure_within(date(2026, 12, 25), date(2026, 12, 31)).map(|(d, _)| d),
            Some(date(2026, 12, 25))
        );
        assert!(calendar.first_closure_within(date(2026, 12, 27), date(2026, 12, 31)).is_none());
    }

    #[test]
    fn opening_slots_follow_the_dst_change() {
        let calendar = every_day_8_to_20();
        let cases = [
            (date(2026, 3, 28), "2026-03-28T07:00:00Z", "2026-03-28T19:00:00Z"),
            (date(2026, 3, 29), "2026-03-29T06:00:00Z", "2026-03-29T18:00:00Z"),
            (date(2026, 10, 25), "2026-10-25T07:00:00Z", "2026-10-25T19:00:00Z"),
        ];
        for (day, start, end) in cases {
            assert_eq!(calendar.opening_slots_on(day), [slot(start, end)], "{day}");
        }
    }

    #[test]
    fn opening_across_the_change_has_11_or_13_hours() {
        let calendar = HubCalendar {
            tz: DEFAULT_TIME_ZONE,
            weekly: WeeklyHours::new(vec![(Weekday::Sun, open((0, 0), (0, 0)))]).unwrap(),
            closures: Vec::new(),
        };
        let spring = calendar.opening_slots_on(date(2026, 3, 29));
        assert_eq!(spring.len(), 1);
        assert_eq!(spring[0].duration(), TimeDelta::hours(23));
        let autumn = calendar.opening_slots_on(date(2026, 10, 25));
        assert_eq!(autumn[0].duration(), TimeDelta::hours(25));

        let night = HubCalendar {
            tz: DEFAULT_TIME_ZONE,
            weekly: WeeklyHours::new(vec![(Weekday::Sun, open((1, 0), (4, 0)))]).unwrap(),
            closures: Vec::new(),
        };
        assert_eq!(night.opening_slots_on(date(2026, 3, 29))[0].duration(), TimeDelta::hours(2));
        assert_eq!(night.opening_slots_on(date(2026, 10, 25))[0].duration(), TimeDelta::hours(4));
    }

    #[test]
    fn local_date_follows_the_hub_zone_not_utc() {
        let calendar = every_day_8_to_20();
        assert_eq!(calendar.local_date_of(utc("2026-03-28T23:30:00Z")), date(2026, 3, 29));
        assert_eq!(calendar.local_date_of(utc("2026-03-28T22:59:59Z")), date(2026, 3, 28));
        assert_eq!(calendar.local_date_of(utc("2026-07-01T21:59:00Z")), date(2026, 7, 1));
        assert_eq!(calendar.local_date_of(utc("2026-07-01T22:00:00Z")), date(2026, 7, 2));
    }

    #[test]
    fn free_intervals_subtract_taken_time() {
        let open = [slot("2026-05-04T06:00:00Z", "2026-05-04T18:00:00Z")];
        let taken = [
            slot("2026-05-04T10:00:00Z", "2026-05-04T12:00:00Z"),
            slot("2026-05-04T08:00:00Z", "2026-05-04T09:00:00Z"),
            slot("2026-05-04T12:00:00Z", "2026-05-04T13:00:00Z"),
            slot("2026-05-04T17:00:00Z", "2026-05-04T19:00:00Z"),
            slot("2026-05-05T08:00:00Z", "2026-05-05T09:00:00Z"),
        ];
        assert_eq!(
            free_intervals(&open, &taken),
            [
                slot("2026-05-04T06:00:00Z", "2026-05-04T08:00:00Z"),
                slot("2026-05-04T09:00:00Z", "2026-05-04T10:00:00Z"),
                slot("2026-05-04T13:00:00Z", "2026-05-04T17:00:00Z"),
            ]
        );
    }

    #[test]
    fn free_intervals_edge_cases() {
        let day = slot("2026-05-04T06:00:00Z", "2026-05-04T18:00:00Z");
        assert_eq!(free_intervals(&[day], &[]), [day]);
        assert!(free_intervals(&[day], &[day]).is_empty());
        assert!(free_intervals(&[], &[day]).is_empty());
        let covering = slot("2026-05-04T00:00:00Z", "2026-05-05T00:00:00Z");
        assert!(free_intervals(&[day], &[covering]).is_empty());
        let morning = slot("2026-05-04T06:00:00Z", "2026-05-04T10:00:00Z");
        let afternoon = slot("2026-05-04T12:00:00Z", "2026-05-04T18:00:00Z");
        let lunch_booked = slot("2026-05-04T09:00:00Z", "2026-05-04T13:00:00Z");
        assert_eq!(
            free_intervals(&[afternoon, morning], &[lunch_booked]),
            [
                slot("2026-05-04T06:00:00Z", "2026-05-04T09:00:00Z"),
                slot("2026-05-04T13:00:00Z", "2026-05-04T18:00:00Z"),
            ]
        );
        let touching = slot("2026-05-04T10:00:00Z", "2026-05-04T12:00:00Z");
        assert_eq!(
            free_intervals(&[morning, touching, afternoon], &[]),
            [slot("2026-05-04T06:00:00Z", "2026-05-04T18:00:00Z")]
        );
    }
}
