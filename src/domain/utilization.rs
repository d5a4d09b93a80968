//! Utilization figures of a hub's spaces over a range of local days: booked versus present
//! seconds by local hour of day and weekday, no-shows, busiest times, and an hour-by-hour ledger
//! for exports. Pure: the caller loads bookings and presence buckets and passes the zone.
//!
//! Counting rules, decided once here:
//! - "Booked" is every booking that is not cancelled (pending and no-show included: the space was
//!   held for someone), clipped to the range.
//! - The no-show rate is no-show bookings over all bookings that *started* in the range,
//!   cancelled ones left out.
//! - The hub's totals leave out equipment ([`counts_for_hub`]).
//! - Time is split at local hour boundaries in the hub's zone, so a booking across midnight
//!   counts on both days and DST days have 23 or 25 hours (the repeated autumn hour counts twice).

use std::collections::BTreeMap;

use chrono::{DateTime, Datelike, Months, NaiveDate, TimeDelta, TimeZone, Timelike, Utc, Weekday};
use chrono_tz::Tz;

use crate::domain::ids::SpaceId;
use crate::domain::local_time::local_day_bounds;
use crate::domain::slot::Slot;
use crate::domain::vocabulary::{BookingStatus, SpaceKind};

/// The longest range a report covers: a leap year.
pub const MAX_RANGE_DAYS: i64 = 366;

/// A range of whole local days, first and last included, at most [`MAX_RANGE_DAYS`] long.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateRange {
    first: NaiveDate,
    last: NaiveDate,
}

/// Why two dates do not make a report range.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum RangeError {
    #[error("the last day is before the first")]
    EndBeforeStart,
    #[error("the range is longer than {MAX_RANGE_DAYS} days")]
    TooLong,
}

impl DateRange {
    /// The days `first..=last`.
    ///
    /// # Errors
    /// When `last` is before `first` or the range has more than [`MAX_RANGE_DAYS`] days.
    pub fn new(first: NaiveDate, last: NaiveDate) -> Result<DateRange, RangeError> {
        if last < first {
            return Err(RangeError::EndBeforeStart);
        }
        if (last - first).num_days() + 1 > MAX_RANGE_DAYS {
            return Err(RangeError::TooLong);
        }
        Ok(DateRange { first, last })
    }

    /// The last full calendar month before the month of `today`.
    pub fn previous_month(today: NaiveDate) -> DateRange {
        let this_month = today.with_day(1).unwrap_or(today);
        let first = this_month.checked_sub_months(Months::new(1)).unwrap_or(this_month);
        let last = this_month.pred_opt().unwrap_or(this_month);
        DateRange { first: first.min(last), last }
    }

    pub fn first(&self) -> NaiveDate {
        self.first
    }

    pub fn last(&self) -> NaiveDate {
        self.last
    }

    /// The range as UTC instants: from the first day's first instant to the instant after the
    /// last day (DST-correct).
    pub fn window(&self, tz: Tz) -> Slot {
        let start = local_day_bounds(self.first, tz).start();
        let end = local_day_bounds(self.last, tz).end();
        Slot::new(start, end).unwrap_or_else(|_| local_day_bounds(self.first, tz))
    }
}

/// A booking as the figures need it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BookedSpan {
    pub space_id: SpaceId,
    pub slot: Slot,
    pub status: BookingStatus,
}

/// A presence bucket (five minutes, aligned so that it never straddles a local hour in any zone
/// whose offset is a multiple of five minutes, which all zones in use are).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PresentBucket {
    pub space_id: SpaceId,
    pub start: DateTime<Utc>,
    pub present_seconds: i64,
}

/// Seconds by weekday (Monday first) and local hour of day.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WeekGrid([[i64; 24]; 7]);

impl WeekGrid {
    fn add(&mut self, weekday: Weekday, hour: u32, seconds: i64) {
        let day = weekday.num_days_from_monday() as usize;
        if let Some(cell) = self.0.get_mut(day).and_then(|hours| hours.get_mut(hour as usize)) {
            *cell += seconds;
        }
    }

    fn add_grid(&mut self, other: &WeekGrid) {
        for (mine, theirs) in self.0.iter_mut().zip(other.0.iter()) {
            for (a, b) in mine.iter_mut().zip(theirs.iter()) {
                *a += b;
            }
        }
    }

    /// The seconds of one weekday and hour.
    pub fn at(&self, weekday: Weekday, hour: u32) -> i64 {
        self.0[weekday.num_days_from_monday() as usize].get(hour as usize).copied().unwrap_or(0)
    }

    /// All seconds.
    pub fn total(&self) -> i64 {
        self.0.iter().flatten().sum()
    }

    /// Seconds per local hour of day, 0–23, over all weekdays.
    pub fn by_hour(&self) -> [i64; 24] {
        let mut hours = [0; 24];
        for day in &self.0 {
            for (sum, seconds) in hours.iter_mut().zip(day.iter()) {
                *sum += seconds;
            }
        }
        hours
    }

    /// Seconds per weekday, Monday first.
    pub fn by_weekday(&self) -> [i64; 7] {
        let mut days = [0; 7];
        for (sum, day) in days.iter_mut().zip(self.0.iter()) {
            *sum = day.iter().sum();
        }
        days
    }
}

/// The figures of one space, or of several added up.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Figures {
    pub booked: WeekGrid,
    pub present: WeekGrid,
    /// Bookings that started in the range, cancelled ones left out.
    pub bookings: u32,
    /// Of those, the no-shows.
    pub no_shows: u32,
}

/// One of the busiest weekday-and-hour slots.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BusySlot {
    pub weekday: Weekday,
    pub hour: u32,
    pub booked_seconds: i64,
}

impl Figures {
    /// Adds another space's figures to these.
    pub fn add(&mut self, other: &Figures) {
        self.booked.add_grid(&other.booked);
        self.present.add_grid(&other.present);
        self.bookings += other.bookings;
        self.no_shows += other.no_shows;
    }

    /// The sum of several spaces' figures.
    pub fn sum<'a>(all: impl IntoIterator<Item = &'a Figures>) -> Figures {
        let mut total = Figures::default();
        for figures in all {
            total.add(figures);
        }
        total
    }

    /// No-shows per started booking, 0.0–1.0; `None` when nothing started in the range.
    pub fn no_show_rate(&self) -> Option<f64> {
        (self.bookings > 0).then(|| f64::from(self.no_shows) / f64::from(self.bookings))
    }

    /// The `n` weekday-and-hour slots with the most booked time, most first; ties go to the
    /// earlier weekday and hour; slots with nothing booked are never listed.
    pub fn busiest(&self, n: usize) -> Vec<BusySlot> {
        let mut slots: Vec<BusySlot> = all_weekdays()
            .into_iter()
            .flat_map(|weekday| {
                (0..24).map(move |hour| BusySlot { weekday, hour, booked_seconds: self.booked.at(weekday, hour) })
            })
            .filter(|slot| slot.booked_seconds > 0)
            .collect();
        // A stable sort keeps ties in week order.
        slots.sort_by_key(|slot| std::cmp::Reverse(slot.booked_seconds));
        slots.truncate(n);
        slots
    }
}

/// Whether a space's time counts in the hub's totals. Equipment is booked by whole days and has
/// no presence sensor, so its 24-hour bookings would drown the desks and rooms; it keeps its
/// own figures.
pub fn counts_for_hub(kind: SpaceKind) -> bool {
    kind != SpaceKind::Equipment
}

/// Monday to Sunday.
pub fn all_weekdays() -> [Weekday; 7] {
    [Weekday::Mon, Weekday::Tue, Weekday::Wed, Weekday::Thu, Weekday::Fri, Weekday::Sat, Weekday::Sun]
}

/// The figures of each space that has any booking or presence in the window, by space id.
pub fn figures_by_space(
    window: Slot,
    tz: Tz,
    bookings: &[BookedSpan],
    presence: &[PresentBucket],
) -> BTreeMap<SpaceId, Figures> {
    let mut spaces: BTreeMap<SpaceId, Figures> = BTreeMap::new();
    for booking in bookings.iter().filter(|b| b.status != BookingStatus::Cancelled) {
        let figures = spaces.entry(booking.space_id.clone()).or_default();
        if window.start() <= booking.slot.start() && booking.slot.start() < window.end() {
            figures.bookings += 1;
            if booking.status == BookingStatus::NoShow {
                figures.no_shows += 1;
            }
        }
        if let Some(clipped) = clip(booking.slot, window) {
            for_each_local_hour(clipped, tz, |share| figures.booked.add(share.weekday(), share.hour(), share.seconds));
        }
    }
    for bucket in presence.iter().filter(|b| window.start() <= b.start && b.start < window.end()) {
        let local = bucket.start.with_timezone(&tz);
        spaces.entry(bucket.space_id.clone()).or_default().present.add(
            local.weekday(),
            local.hour(),
            bucket.present_seconds,
        );
    }
    spaces
}

/// One local hour of one space in the ledger.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HourRow {
    pub space_id: SpaceId,
    /// The instant the local hour starts; the autumn DST day has two rows for 02:00.
    pub hour_start: DateTime<Utc>,
    pub booked_seconds: i64,
    pub present_seconds: i64,
}

/// Booked and present seconds per space and local hour, only the hours with any, ordered by
/// space id and time.
pub fn hourly_ledger(window: Slot, tz: Tz, bookings: &[BookedSpan], presence: &[PresentBucket]) -> Vec<HourRow> {
    let mut ledger: BTreeMap<(SpaceId, DateTime<Utc>), (i64, i64)> = BTreeMap::new();
    for booking in bookings.iter().filter(|b| b.status != BookingStatus::Cancelled) {
        if let Some(clipped) = clip(booking.slot, window) {
            for_each_local_hour(clipped, tz, |share| {
                ledger.entry((booking.space_id.clone(), share.hour_start)).or_default().0 += share.seconds;
            });
        }
    }
    for bucket in presence.iter().filter(|b| window.start() <= b.start && b.start < window.end()) {
        let hour_start = local_hour_start(bucket.start, tz);
        ledger.entry((bucket.space_id.clone(), hour_start)).or_default().1 += bucket.present_seconds;
    }
    ledger
        .into_iter()
        .filter(|(_, (booked, present))| *booked > 0 || *present > 0)
        .map(|((space_id, hour_start), (booked_seconds, present_seconds))| HourRow {
            space_id,
            hour_start,
            booked_seconds,
            present_seconds,
        })
        .collect()
}

/// The part of a slot inside the window.
fn clip(slot: Slot, window: Slot) -> Option<Slot> {
    Slot::new(slot.start().max(window.start()), slot.end().min(window.end())).ok()
}

/// A piece of a slot that lies within one local hour.
struct HourShare {
    hour_start: DateTime<Utc>,
    local: DateTime<Tz>,
    seconds: i64,
}

impl HourShare {
    fn weekday(&self) -> Weekday {
        self.local.weekday()
    }

    fn hour(&self) -> u32 {
        self.local.hour()
    }
}

/// The instant the local hour holding `instant` started.
fn local_hour_start(instant: DateTime<Utc>, tz: Tz) -> DateTime<Utc> {
    let local = tz.from_utc_datetime(&instant.naive_utc());
    instant - TimeDelta::seconds(seconds_into_hour(&local))
}

fn seconds_into_hour(local: &DateTime<Tz>) -> i64 {
    i64::from(local.minute()) * 60 + i64::from(local.second())
}

/// Calls `add` for each local hour the slot touches with the seconds it spends there. Offsets
/// change only at whole local hours in the zones in use, so walking from hour to hour in real
/// time lands on every local hour boundary, including both 02:00 hours of the autumn change.
fn for_each_local_hour(slot: Slot, tz: Tz, mut add: impl FnMut(HourShare)) {
    let mut cursor = slot.start();
    while cursor < slot.end() {
        let local = tz.from_utc_datetime(&cursor.naive_utc());
        let into_hour = seconds_into_hour(&local);
        let hour_start = cursor - TimeDelta::seconds(into_hour);
        let next = (hour_start + TimeDelta::hours(1)).min(slot.end());
        add(HourShare { hour_start, local, seconds: (next - cursor).num_seconds() });
        cursor = next;
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;
    use crate::domain::local_time::DEFAULT_TIME_ZONE;

    const HOUR: i64 = 3600;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn utc(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text).unwrap().with_timezone(&Utc)
    }

    fn booking(space: &str, start: &str, end: &str, status: BookingStatus) -> BookedSpan {
        BookedSpan { space_id: SpaceId::new(space), slot: Slot::new(utc(start), utc(end)).unwrap(), status }
    }

    fn window(first: NaiveDate, last: NaiveDate) -> Slot {
        DateRange::new(first, last).unwrap().window(DEFAULT_TIME_ZONE)
    }

    #[test]
    fn ranges_refuse_reversed_and_overlong_spans() {
        assert_eq!(DateRange::new(date(2026, 11, 2), date(2026, 11, 1)), Err(RangeError::EndBeforeStart));
        assert!(DateRange::new(date(2026, 1, 1), date(2026, 1, 1)).is_ok());
        assert!(DateRange::new(date(2028, 1, 1), date(2028, 12, 31)).is_ok(), "a leap year is 366 days");
        assert_eq!(DateRange::new(date(2026, 1, 1), date(2027, 1, 2)), Err(RangeError::TooLong));
    }

    #[test]
    fn the_previous_month_is_the_last_full_calendar_month() {
        let cases = [
            (date(2026, 11, 23), date(2026, 10, 1), date(2026, 10, 31)),
            (date(2026, 11, 1), date(2026, 10, 1), date(2026, 10, 31)),
            (date(2026, 1, 15), date(2025, 12, 1), date(2025, 12, 31)),
            (date(2028, 3, 31), date(2028, 2, 1), date(2028, 2, 29)),
        ];
        for (today, first, last) in cases {
            let range = DateRange::previous_month(today);
            assert_eq!((range.first(), range.last()), (first, last), "{today}");
        }
    }

    #[test]
    fn windows_follow_local_midnights_across_dst() {
        let october = window(date(2026, 10, 1), date(2026, 10, 31));
        assert_eq!(october.start(), utc("2026-09-30T22:00:00Z"));
        assert_eq!(october.end(), utc("2026-10-31T23:00:00Z"));
        assert_eq!(october.duration(), TimeDelta::hours(31 * 24 + 1), "the autumn change adds an hour");
    }

    /// Where a booking's time should land: (weekday, local hour, seconds).
    type Landing = Vec<(Weekday, u32, i64)>;

    /// A table of bookings (name, start, end) and where their time lands.
    #[test]
    fn booked_time_lands_in_local_hours_and_weekdays() {
        use Weekday::*;
        let cases: Vec<(&str, &str, &str, Landing)> = vec![
            (
                "winter morning, Monday 09:00–11:00 local",
                "2026-11-23T08:00:00Z",
                "2026-11-23T10:00:00Z",
                vec![(Mon, 9, HOUR), (Mon, 10, HOUR)],
            ),
            (
                "half hours, Tuesday 09:30–10:15 local",
                "2026-11-24T08:30:00Z",
                "2026-11-24T09:15:00Z",
                vec![(Tue, 9, 1800), (Tue, 10, 900)],
            ),
            (
                "across midnight, Friday 22:00 – Saturday 02:00 local",
                "2026-11-27T21:00:00Z",
                "2026-11-28T01:00:00Z",
                vec![(Fri, 22, HOUR), (Fri, 23, HOUR), (Sat, 0, HOUR), (Sat, 1, HOUR)],
            ),
            (
                "spring change, Sunday 01:00–04:00 local is two hours, 02:00 does not exist",
                "2026-03-29T00:00:00Z",
                "2026-03-29T02:00:00Z",
                vec![(Sun, 1, HOUR), (Sun, 2, 0), (Sun, 3, HOUR)],
            ),
            (
                "autumn change, Sunday 01:00–04:00 local is four hours, 02:00 happens twice",
                "2026-10-24T23:00:00Z",
                "2026-10-25T03:00:00Z",
                vec![(Sun, 1, HOUR), (Sun, 2, 2 * HOUR), (Sun, 3, HOUR)],
            ),
        ];
        let whole = window(date(2026, 1, 1), date(2026, 12, 31));
        for (name, start, end, expected) in cases {
            let spans = [booking("desk", start, end, BookingStatus::Completed)];
            let figures = figures_by_space(whole, DEFAULT_TIME_ZONE, &spans, &[]);
            let desk = &figures[&SpaceId::new("desk")];
            let expected_total: i64 = expected.iter().map(|(_, _, s)| s).sum();
            assert_eq!(desk.booked.total(), expected_total, "{name}");
            for (weekday, hour, seconds) in expected {
                assert_eq!(desk.booked.at(weekday, hour), seconds, "{name}: {weekday} {hour}:00");
            }
        }
    }

    #[test]
    fn bookings_are_clipped_to_the_range_and_counted_where_they_start() {
        // Range: Tuesday 2026-11-24 only. One booking from Monday 23:00 to Tuesday 01:00 local,
        // one from Tuesday 23:00 to Wednesday 01:00 local.
        let tuesday = window(date(2026, 11, 24), date(2026, 11, 24));
        let spans = [
            booking("desk", "2026-11-23T22:00:00Z", "2026-11-24T00:00:00Z", BookingStatus::Completed),
            booking("desk", "2026-11-24T22:00:00Z", "2026-11-25T00:00:00Z", BookingStatus::NoShow),
        ];
        let figures = &figures_by_space(tuesday, DEFAULT_TIME_ZONE, &spans, &[])[&SpaceId::new("desk")];
        assert_eq!(figures.booked.total(), 2 * HOUR, "one hour of each lies on Tuesday");
        assert_eq!(figures.booked.at(Weekday::Tue, 0), HOUR);
        assert_eq!(figures.booked.at(Weekday::Tue, 23), HOUR);
        assert_eq!((figures.bookings, figures.no_shows), (1, 1), "only the one that started on Tuesday counts");
        assert_eq!(figures.no_show_rate(), Some(1.0));
    }

    #[test]
    fn cancelled_bookings_count_nowhere_and_no_shows_count_as_booked() {
        let november = window(date(2026, 11, 1), date(2026, 11, 30));
        let spans = [
            booking("desk", "2026-11-23T08:00:00Z", "2026-11-23T09:00:00Z", BookingStatus::Completed),
            booking("desk", "2026-11-23T09:00:00Z", "2026-11-23T10:00:00Z", BookingStatus::NoShow),
            booking("desk", "2026-11-23T10:00:00Z", "2026-11-23T11:00:00Z", BookingStatus::Cancelled),
            booking("desk", "2026-11-24T10:00:00Z", "2026-11-24T11:00:00Z", BookingStatus::CheckedIn),
        ];
        let figures = &figures_by_space(november, DEFAULT_TIME_ZONE, &spans, &[])[&SpaceId::new("desk")];
        assert_eq!(figures.booked.total(), 3 * HOUR);
        assert_eq!((figures.bookings, figures.no_shows), (3, 1));
        assert!((figures.no_show_rate().unwrap() - 1.0 / 3.0).abs() < 1e-9);
        assert_eq!(Figures::default().no_show_rate(), None);
    }

    #[test]
    fn presence_lands_in_the_local_hour_of_its_bucket() {
        let november = window(date(2026, 11, 1), date(2026, 11, 30));
        let presence = [
            PresentBucket { space_id: SpaceId::new("desk"), start: utc("2026-11-23T08:00:00Z"), present_seconds: 300 },
            PresentBucket { space_id: SpaceId::new("desk"), start: utc("2026-11-23T08:55:00Z"), present_seconds: 120 },
            PresentBucket { space_id: SpaceId::new("desk"), start: utc("2026-11-23T09:00:00Z"), present_seconds: 300 },
            // Outside the range: October, and December.
            PresentBucket { space_id: SpaceId::new("desk"), start: utc("2026-10-31T22:55:00Z"), present_seconds: 300 },
            PresentBucket { space_id: SpaceId::new("desk"), start: utc("2026-11-30T23:00:00Z"), present_seconds: 300 },
        ];
        let figures = &figures_by_space(november, DEFAULT_TIME_ZONE, &[], &presence)[&SpaceId::new("desk")];
        assert_eq!(figures.present.at(Weekday::Mon, 9), 420);
        assert_eq!(figures.present.at(Weekday::Mon, 10), 300);
        assert_eq!(figures.present.total(), 720);
        assert_eq!(figures.present.by_hour()[9], 420);
        assert_eq!(figures.present.by_weekday()[0], 720);
    }

    #[test]
    fn busiest_slots_are_ranked_by_booked_time() {
        let november = window(date(2026, 11, 1), date(2026, 11, 30));
        let spans = [
            // Mondays 09–11 twice, Tuesday 14–15 once, Wednesday 10:00–10:30.
            booking("a", "2026-11-23T08:00:00Z", "2026-11-23T10:00:00Z", BookingStatus::Completed),
            booking("b", "2026-11-16T08:00:00Z", "2026-11-16T10:00:00Z", BookingStatus::Completed),
            booking("a", "2026-11-24T13:00:00Z", "2026-11-24T14:00:00Z", BookingStatus::Completed),
            booking("a", "2026-11-25T09:00:00Z", "2026-11-25T09:30:00Z", BookingStatus::Completed),
        ];
        let by_space = figures_by_space(november, DEFAULT_TIME_ZONE, &spans, &[]);
        let hub = Figures::sum(by_space.values());
        let busiest = hub.busiest(3);
        let expected = [(Weekday::Mon, 9, 2 * HOUR), (Weekday::Mon, 10, 2 * HOUR), (Weekday::Tue, 14, HOUR)];
        let got: Vec<_> = busiest.iter().map(|s| (s.weekday, s.hour, s.booked_seconds)).collect();
        assert_eq!(got, expected);
        assert!(Figures::default().busiest(3).is_empty());
    }

    #[test]
    fn the_ledger_has_one_row_per_local_hour_with_two_on_the_autumn_change() {
        let october = window(date(2026, 10, 25), date(2026, 10, 25));
        let spans = [booking("desk", "2026-10-24T23:00:00Z", "2026-10-25T02:00:00Z", BookingStatus::Completed)];
        let presence = [PresentBucket {
            space_id: SpaceId::new("desk"),
            start: utc("2026-10-25T01:10:00Z"),
            present_seconds: 300,
        }];
        let rows = hourly_ledger(october, DEFAULT_TIME_ZONE, &spans, &presence);
        let got: Vec<_> = rows.iter().map(|r| (r.hour_start, r.booked_seconds, r.present_seconds)).collect();
        assert_eq!(
            got,
            [
                (utc("2026-10-24T23:00:00Z"), HOUR, 0),
                (utc("2026-10-25T00:00:00Z"), HOUR, 0),
                (utc("2026-10-25T01:00:00Z"), HOUR, 300),
            ]
        );
    }
}
