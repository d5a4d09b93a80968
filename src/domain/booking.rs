//! Booking intervals and the pure rules check a booking must pass before it is stored.
//!
//! `check_booking` answers "may this user book this space for this slot, given these counts and
//! this moment?" with either the status the new booking gets or the first broken rule. It does not
//! look at other people's bookings of the same space: that a space is free is proven by the storage
//! step, inside the transaction that inserts the booking.

use crate::domain::calendar::HubCalendar;
use crate::domain::local_time::start_of_local_day;
use crate::domain::slot::Slot;
use crate::domain::vocabulary::{BookingStatus, BookingUnit, UserStatus};
use chrono::{DateTime, Datelike, Days, NaiveDate, NaiveTime, TimeDelta, Timelike, Utc};
use serde::{Deserialize, Serialize};
use std::fmt;

const MINUTES_PER_DAY: u32 = 24 * 60;

/// The longest any space may allow a booking to last, in the rules' minutes: 30 local days (a
/// daily space's limit in the console).
pub const LONGEST_ALLOWED_MINUTES: u32 = 30 * MINUTES_PER_DAY;

/// The longest any stored booking lasts: 30 local days are under 31 days even across a
/// daylight-saving change. The database refuses a longer one (a CHECK on PostgreSQL, a trigger
/// on SQLite), so every "overlaps `[start, end)`" query can begin its index range at
/// `start - LONGEST_BOOKING` instead of walking the whole history.
pub const LONGEST_BOOKING: TimeDelta = TimeDelta::days(31);

/// How a space may be booked; set per space by its hub manager.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct SpaceRules {
    /// Booked in time slots within a day, or in whole local days.
    pub unit: BookingUnit,
    /// Hourly spaces: the grid step, counted from local midnight (0 is treated as 1).
    pub slot_minutes: u32,
    /// Shortest allowed booking; daily spaces count 1440 minutes per local day.
    pub min_minutes: u32,
    /// Longest allowed booking; daily spaces count 1440 minutes per local day.
    pub max_minutes: u32,
    /// How many local calendar days after today a booking may start at the latest.
    pub max_days_ahead: u32,
    /// New bookings wait for a hub manager (status pending) instead of being confirmed at once.
    pub approval_required: bool,
}

/// Everything the rules check needs besides the slot, gathered by the service layer.
///
/// The counts include only bookings whose status occupies a space (`BookingStatus::occupies_space`).
#[derive(Debug, Clone, Copy)]
pub struct BookingCheck<'a> {
    pub calendar: &'a HubCalendar,
    pub rules: &'a SpaceRules,
    pub space_enabled: bool,
    pub user_status: UserStatus,
    /// The user's occupying bookings that overlap the slot, in any space.
    pub user_overlapping_bookings: u32,
    /// How many bookings a user may hold at the same time; 0 allows none.
    pub max_concurrent_per_user: u32,
    /// The user's occupying bookings that have not ended yet.
    pub user_upcoming_bookings: u32,
    /// How many not-yet-ended bookings a user may hold; 0 allows none.
    pub max_upcoming_per_user: u32,
    /// The moment of the check; passed in so the rules never read the clock.
    pub now: DateTime<Utc>,
}

/// The first booking rule a request breaks; `code` is stable for machines, `Display` is for people.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RuleViolation {
    #[error("Your account is not active, so you cannot book.")]
    UserNotActive,
    #[error("This space cannot be booked at the moment.")]
    SpaceDisabled,
    #[error("Start and end must fall on the {minutes}-minute steps of this space, counted from midnight.")]
    SlotGranularity { minutes: u32 },
    #[error("This space is booked by whole days: start and end must be at midnight.")]
    WholeDaysOnly,
    #[error("The booking would start in the past.")]
    StartsInPast,
    #[error("Bookings can start at most {} ahead.", Count(*max_days, "day", "days"))]
    TooFarAhead { max_days: u32 },
    #[error("{}", closed_sentence(*date, label))]
    HubClosed { date: NaiveDate, label: String },
    #[error("The hub is not open for the whole of the requested time.")]
    OutsideOpeningHours,
    #[error("A booking of this space must last at least {}.", Span(*min_minutes))]
    TooShort { min_minutes: u32 },
    #[error("A booking of this space can last at most {}.", Span(*max_minutes))]
    TooLong { max_minutes: u32 },
    #[error("You already have {} at this time, the most allowed.", Count(*max, "booking", "bookings"))]
    ConcurrentLimit { max: u32 },
    #[error("You already have {}, the most allowed.", Count(*max, "upcoming booking", "upcoming bookings"))]
    UpcomingLimit { max: u32 },
}

impl RuleViolation {
    /// A stable snake_case name of the broken rule, for the JSON API and for translations.
    pub fn code(&self) -> &'static str {
        match self {
            RuleViolation::UserNotActive => "user_not_active",
            RuleViolation::SpaceDisabled => "space_disabled",
            RuleViolation::SlotGranularity { .. } => "slot_granularity",
            RuleViolation::WholeDaysOnly => "whole_days_only",
            RuleViolation::StartsInPast => "starts_in_past",
            RuleViolation::TooFarAhead { .. } => "too_far_ahead",
            RuleViolation::HubClosed { .. } => "hub_closed",
            RuleViolation::OutsideOpeningHours => "outside_opening_hours",
            RuleViolation::TooShort { .. } => "too_short",
            RuleViolation::TooLong { .. } => "too_long",
            RuleViolation::ConcurrentLimit { .. } => "concurrent_limit",
            RuleViolation::UpcomingLimit { .. } => "upcoming_limit",
        }
    }
}

fn closed_sentence(date: NaiveDate, label: &str) -> String {
    if label.trim().is_empty() {
        format!("The hub is closed on {date}.")
    } else {
        format!("The hub is closed on {date} ({label}).")
    }
}

/// "1 day", "3 days": a count with the right English plural.
struct Count(u32, &'static str, &'static str);

impl fmt::Display for Count {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Count(n, one, many) = *self;
        write!(f, "{n} {}", if n == 1 { one } else { many })
    }
}

/// A length in minutes as a person would say it: "2 days", "1 hour 30 minutes".
struct Span(u32);

impl fmt::Display for Span {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let minutes = self.0;
        if minutes > 0 && minutes.is_multiple_of(MINUTES_PER_DAY) {
            return Count(minutes / MINUTES_PER_DAY, "day", "days").fmt(f);
        }
        match (minutes / 60, minutes % 60) {
            (0, rest) => Count(rest, "minute", "minutes").fmt(f),
            (hours, 0) => Count(hours, "hour", "hours").fmt(f),
            (hours, rest) => write!(f, "{} {}", Count(hours, "hour", "hours"), Count(rest, "minute", "minutes")),
        }
    }
}

/// Checks a requested slot against every booking rule, in a fixed order, first failure wins:
/// user status, space enabled, slot shape, past, too far ahead, closed, opening hours, length,
/// concurrent limit, upcoming limit.
///
/// All calendar rules use the hub's local time zone. On success returns the status the new booking
/// gets: pending when the space needs approval, else confirmed.
///
/// Hourly spaces: start and end lie on the slot grid (wall-clock minutes since local midnight
/// divisible by `slot_minutes`, no seconds); the slot lies inside one opening interval of the start's
/// local day; its real duration is within `[min_minutes, max_minutes]`. A start in the past is
/// accepted while it is inside the currently running grid slot (`start > now - slot_minutes`), so
/// someone walking in at 10:20 can still book 10:00–11:00.
///
/// Daily spaces: start and end are local midnights; the booking covers whole local days (a 23- or
/// 25-hour DST day counts as one day, 1440 minutes, against the limits); every day must be open;
/// today may still be booked.
///
/// Both: the start's local date is at most `max_days_ahead` days after today's local date; no
/// local date the slot touches may lie in a closure.
pub fn check_booking(check: &BookingCheck, slot: &Slot) -> Result<BookingStatus, RuleViolation> {
    let calendar = check.calendar;
    let rules = check.rules;

    if check.user_status != UserStatus::Active {
        return Err(RuleViolation::UserNotActive);
    }
    if !check.space_enabled {
        return Err(RuleViolation::SpaceDisabled);
    }

    let first_day = calendar.local_date_of(slot.start());
    let last_day = calendar.local_date_of(slot.end() - TimeDelta::nanoseconds(1));
    let today = calendar.local_date_of(check.now);
    let step = rules.slot_minutes.max(1);

    match rules.unit {
        BookingUnit::Hourly => {
            let on_grid = |instant: DateTime<Utc>| is_on_grid(instant.with_timezone(&calendar.tz).time(), step);
            if !on_grid(slot.start()) || !on_grid(slot.end()) {
                return Err(RuleViolation::SlotGranularity { minutes: step });
            }
            let running_slot_start =
                check.now.checked_sub_signed(TimeDelta::minutes(i64::from(step))).unwrap_or(DateTime::<Utc>::MIN_UTC);
            if slot.start() <= running_slot_start {
                return Err(RuleViolation::StartsInPast);
            }
        }
        BookingUnit::Daily => {
            let starts_at_midnight = start_of_local_day(first_day, calendar.tz) == Some(slot.start());
            let end_day = calendar.local_date_of(slot.end());
            let ends_at_midnight = start_of_local_day(end_day, calendar.tz) == Some(slot.end());
            if !starts_at_midnight || !ends_at_midnight {
                return Err(RuleViolation::WholeDaysOnly);
            }
            if first_day < today {
                return Err(RuleViolation::StartsInPast);
            }
        }
    }

    let latest_start_day = today.checked_add_days(Days::new(u64::from(rules.max_days_ahead)));
    if latest_start_day.is_some_and(|latest| first_day > latest) {
        return Err(RuleViolation::TooFarAhead { max_days: rules.max_days_ahead });
    }

    if let Some((date, closure)) = calendar.first_closure_within(first_day, last_day) {
        return Err(RuleViolation::HubClosed { date, label: closure.label.clone() });
    }

    let booked_minutes = match rules.unit {
        BookingUnit::Hourly => {
            let inside_one_interval = calendar.opening_slots_on(first_day).iter().any(|opening| opening.contains(slot));
            if !inside_one_interval {
                return Err(RuleViolation::OutsideOpeningHours);
            }
            u64::try_from(slot.duration().num_minutes()).unwrap_or(u64::MAX)
        }
        BookingUnit::Daily => {
            if some_day_without_hours(calendar, first_day, last_day) {
                return Err(RuleViolation::OutsideOpeningHours);
            }
            let days = u64::try_from(last_day.signed_duration_since(first_day).num_days() + 1).unwrap_or(u64::MAX);
            days.saturating_mul(u64::from(MINUTES_PER_DAY))
        }
    };
    if booked_minutes < u64::from(rules.min_minutes) {
        return Err(RuleViolation::TooShort { min_minutes: rules.min_minutes });
    }
    let max_minutes = rules.max_minutes.min(LONGEST_ALLOWED_MINUTES);
    if booked_minutes > u64::from(max_minutes) {
        return Err(RuleViolation::TooLong { max_minutes });
    }

    if check.user_overlapping_bookings >= check.max_concurrent_per_user {
        return Err(RuleViolation::ConcurrentLimit { max: check.max_concurrent_per_user });
    }
    if check.user_upcoming_bookings >= check.max_upcoming_per_user {
        return Err(RuleViolation::UpcomingLimit { max: check.max_upcoming_per_user });
    }

    Ok(if rules.approval_required { BookingStatus::Pending } else { BookingStatus::Confirmed })
}

/// Whether a local wall-clock time is a whole-minute multiple of `step` minutes after midnight.
fn is_on_grid(time: NaiveTime, step: u32) -> bool {
    time.second() == 0 && time.nanosecond() == 0 && (time.hour() * 60 + time.minute()).is_multiple_of(step)
}

/// Whether any date in `first..=last` has no weekly opening hours; closures are checked apart.
///
/// Only the first week of the range needs looking at, since weekly hours repeat.
fn some_day_without_hours(calendar: &HubCalendar, first: NaiveDate, last: NaiveDate) -> bool {
    first.iter_days().take_while(|day| *day <= last).take(7).any(|day| calendar.weekly.on(day.weekday()).is_empty())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;
    use crate::domain::calendar::{Closure, OpeningInterval, WeeklyHours};
    use crate::domain::local_time::{DEFAULT_TIME_ZONE, local_day_bounds, resolve_local};
    use chrono::Weekday;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    /// A Berlin wall-clock time on a given date, as UTC.
    fn berlin(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
        let time = NaiveTime::from_hms_opt(h, min, 0).unwrap();
        resolve_local(date(y, m, d), time, DEFAULT_TIME_ZONE).unwrap()
    }

    fn utc(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text).unwrap().with_timezone(&Utc)
    }

    fn slot(start: DateTime<Utc>, end: DateTime<Utc>) -> Slot {
        Slot::new(start, end).unwrap()
    }

    /// A slot between two Berlin wall-clock times on one day.
    fn local(day: (i32, u32, u32), from: (u32, u32), to: (u32, u32)) -> Slot {
        let (y, m, d) = day;
        slot(berlin(y, m, d, from.0, from.1), berlin(y, m, d, to.0, to.1))
    }

    /// Whole local days from `first` up to (not including) `end`.
    fn days(first: NaiveDate, end: NaiveDate) -> Slot {
        slot(local_day_bounds(first, DEFAULT_TIME_ZONE).start(), local_day_bounds(end, DEFAULT_TIME_ZONE).start())
    }

    /// Sun–Fri 08:00–20:00, except Wednesday 08:00–12:00 and 13:00–18:00; Saturday closed.
    /// Both 2026 DST changes fall on a Sunday, so those days are open.
    fn calendar() -> HubCalendar {
        let interval = |from: u32, to: u32| {
            OpeningInterval::new(
                NaiveTime::from_hms_opt(from, 0, 0).unwrap(),
                NaiveTime::from_hms_opt(to, 0, 0).unwrap(),
            )
            .unwrap()
        };
        let mut entries: Vec<(Weekday, OpeningInterval)> =
            [Weekday::Sun, Weekday::Mon, Weekday::Tue, Weekday::Thu, Weekday::Fri]
                .into_iter()
                .map(|day| (day, interval(8, 20)))
                .collect();
        entries.push((Weekday::Wed, interval(8, 12)));
        entries.push((Weekday::Wed, interval(13, 18)));
        HubCalendar {
            tz: DEFAULT_TIME_ZONE,
            weekly: WeeklyHours::new(entries).unwrap(),
            closures: vec![
                Closure::new(date(2026, 4, 6), date(2026, 4, 6), "Ostermontag").unwrap(),
                Closure::new(date(2026, 12, 24), date(2026, 12, 26), "Weihnachten").unwrap(),
            ],
        }
    }

    fn hourly_rules() -> SpaceRules {
        SpaceRules {
            unit: BookingUnit::Hourly,
            slot_minutes: 30,
            min_minutes: 60,
            max_minutes: 240,
            max_days_ahead: 14,
            approval_required: false,
        }
    }

    fn daily_rules() -> SpaceRules {
        SpaceRules {
            unit: BookingUnit::Daily,
            slot_minutes: MINUTES_PER_DAY,
            min_minutes: MINUTES_PER_DAY,
            max_minutes: 3 * MINUTES_PER_DAY,
            max_days_ahead: 14,
            approval_required: false,
        }
    }

    /// Wednesday 2026-03-25, 10:20 in Berlin.
    fn now() -> DateTime<Utc> {
        berlin(2026, 3, 25, 10, 20)
    }

    fn check<'a>(calendar: &'a HubCalendar, rules: &'a SpaceRules) -> BookingCheck<'a> {
        BookingCheck {
            calendar,
            rules,
            space_enabled: true,
            user_status: UserStatus::Active,
            user_overlapping_bookings: 0,
            max_concurrent_per_user: 2,
            user_upcoming_bookings: 0,
            max_upcoming_per_user: 5,
            now: now(),
        }
    }

    const OK: Result<BookingStatus, RuleViolation> = Ok(BookingStatus::Confirmed);

    fn run_table(check: &BookingCheck, cases: Vec<(&str, Slot, Result<BookingStatus, RuleViolation>)>) {
        for (name, slot, expected) in cases {
            assert_eq!(check_booking(check, &slot), expected, "case: {name} {slot}");
        }
    }

    #[test]
    fn hourly_grid_length_and_opening_hours() {
        let calendar = calendar();
        let rules = hourly_rules();
        let check = check(&calendar, &rules);
        let thu = (2026, 3, 26);
        let wed = (2026, 4, 1);
        let grid = Err(RuleViolation::SlotGranularity { minutes: 30 });
        let outside = Err(RuleViolation::OutsideOpeningHours);
        let seconds_off = slot(berlin(2026, 3, 26, 10, 0) + TimeDelta::seconds(30), berlin(2026, 3, 26, 12, 0));
        run_table(
            &check,
            vec![
                ("plain two hours", local(thu, (10, 0), (12, 0)), OK),
                ("on the half hour", local(thu, (10, 30), (12, 0)), OK),
                ("start off grid", local(thu, (10, 15), (12, 0)), grid.clone()),
                ("end off grid", local(thu, (10, 0), (11, 45)), grid.clone()),
                ("seconds are off grid", seconds_off, grid),
                ("exactly min", local(thu, (10, 0), (11, 0)), OK),
                ("min minus one step", local(thu, (10, 0), (10, 30)), Err(RuleViolation::TooShort { min_minutes: 60 })),
                ("exactly max", local(thu, (10, 0), (14, 0)), OK),
                ("max plus one step", local(thu, (10, 0), (14, 30)), Err(RuleViolation::TooLong { max_minutes: 240 })),
                ("from opening time", local(thu, (8, 0), (9, 0)), OK),
                ("until closing time", local(thu, (19, 0), (20, 0)), OK),
                ("starts before opening", local(thu, (7, 30), (8, 30)), outside.clone()),
                ("ends after closing", local(thu, (19, 30), (20, 30)), outside.clone()),
                ("inside the morning interval", local(wed, (11, 0), (12, 0)), OK),
                ("inside the afternoon interval", local(wed, (13, 0), (14, 0)), OK),
                ("across the lunch break", local(wed, (11, 30), (13, 30)), outside.clone()),
                ("during the lunch break", local(wed, (12, 0), (13, 0)), outside.clone()),
                ("closed weekday", local((2026, 3, 28), (10, 0), (11, 0)), outside),
            ],
        );
    }

    #[test]
    fn one_minute_outside_opening_hours_is_refused() {
        let calendar = calendar();
        let rules = SpaceRules { slot_minutes: 1, ..hourly_rules() };
        let check = check(&calendar, &rules);
        let thu = (2026, 3, 26);
        let outside = Err(RuleViolation::OutsideOpeningHours);
        run_table(
            &check,
            vec![
                ("opening minute", local(thu, (8, 0), (9, 0)), OK),
                ("one minute early", local(thu, (7, 59), (9, 0)), outside.clone()),
                ("closing minute", local(thu, (19, 0), (20, 0)), OK),
                ("one minute late", local(thu, (19, 0), (20, 1)), outside),
            ],
        );
    }

    #[test]
    fn past_starts_are_refused_except_in_the_running_grid_slot() {
        let calendar = calendar();
        let rules = hourly_rules();
        let check = check(&calendar, &rules);
        let today = (2026, 3, 25);
        let past = Err(RuleViolation::StartsInPast);
        run_table(
            &check,
            vec![
                ("running slot 10:00-10:30 at 10:20", local(today, (10, 0), (11, 0)), OK),
                ("next slot", local(today, (10, 30), (11, 30)), OK),
                ("previous slot", local(today, (9, 30), (10, 30)), past.clone()),
                ("earlier today", local(today, (8, 0), (9, 0)), past.clone()),
                ("yesterday", local((2026, 3, 24), (10, 0), (11, 0)), past),
            ],
        );
        let at_slot_boundary = BookingCheck { now: berlin(2026, 3, 25, 10, 30), ..check };
        assert_eq!(
            check_booking(&at_slot_boundary, &local(today, (10, 0), (11, 0))),
            Err(RuleViolation::StartsInPast),
            "at 10:30 the 10:00 slot is over"
        );
    }

    #[test]
    fn lead_time_counts_local_calendar_days() {
        let calendar = calendar();
        let rules = hourly_rules();
        let check = check(&calendar, &rules);
        let too_far = Err(RuleViolation::TooFarAhead { max_days: 14 });
        run_table(
            &check,
            vec![
                ("last allowed day, late", local((2026, 4, 8), (13, 0), (14, 0)), OK),
                ("one day too far", local((2026, 4, 9), (8, 0), (9, 0)), too_far.clone()),
            ],
        );

        // 00:30 local on 03-26 is still 03-25 in UTC: the local date decides.
        let just_after_midnight = BookingCheck { now: berlin(2026, 3, 26, 0, 30), ..check };
        assert_eq!(just_after_midnight.now.date_naive(), date(2026, 3, 25));
        assert_eq!(check_booking(&just_after_midnight, &local((2026, 4, 9), (8, 0), (9, 0))), OK);
        let just_before_midnight = BookingCheck { now: berlin(2026, 3, 25, 23, 30), ..check };
        assert_eq!(check_booking(&just_before_midnight, &local((2026, 4, 9), (8, 0), (9, 0))), too_far);
    }

    #[test]
    fn closures_refuse_with_their_date_and_label() {
        let calendar = calendar();
        let rules = hourly_rules();
        let check = check(&calendar, &rules);
        let easter_monday = Err(RuleViolation::HubClosed { date: date(2026, 4, 6), label: "Ostermontag".to_owned() });
        run_table(
            &check,
            vec![
                ("day before", local((2026, 4, 5), (10, 0), (11, 0)), OK),
                ("closed day", local((2026, 4, 6), (10, 0), (11, 0)), easter_monday.clone()),
                ("closed beats opening hours", local((2026, 4, 6), (6, 0), (7, 0)), easter_monday),
                ("day after", local((2026, 4, 7), (10, 0), (11, 0)), OK),
            ],
        );
        let message = check_booking(&check, &local((2026, 4, 6), (10, 0), (11, 0))).unwrap_err();
        assert_eq!(message.to_string(), "The hub is closed on 2026-04-06 (Ostermontag).");
    }

    #[test]
    fn dst_days_use_the_right_utc_instants_for_opening_hours() {
        let calendar = calendar();
        let rules = hourly_rules();
        let spring = check(&calendar, &rules);
        let autumn = BookingCheck { now: berlin(2026, 10, 20, 9, 0), ..spring };
        let outside = Err(RuleViolation::OutsideOpeningHours);
        let utc_slot = |a: &str, b: &str| slot(utc(a), utc(b));
        // 2026-03-29: 08:00-20:00 CEST is 06:00-18:00 UTC.
        run_table(
            &spring,
            vec![
                ("spring, first hour", utc_slot("2026-03-29T06:00:00Z", "2026-03-29T07:00:00Z"), OK),
                ("spring, before opening", utc_slot("2026-03-29T05:00:00Z", "2026-03-29T06:00:00Z"), outside.clone()),
                ("spring, last hour", utc_slot("2026-03-29T17:00:00Z", "2026-03-29T18:00:00Z"), OK),
                ("spring, after closing", utc_slot("2026-03-29T18:00:00Z", "2026-03-29T19:00:00Z"), outside.clone()),
                ("spring, max length", local((2026, 3, 29), (8, 0), (12, 0)), OK),
            ],
        );
        // 2026-10-25: 08:00-20:00 CET is 07:00-19:00 UTC.
        run_table(
            &autumn,
            vec![
                ("autumn, first hour", utc_slot("2026-10-25T07:00:00Z", "2026-10-25T08:00:00Z"), OK),
                ("autumn, before opening", utc_slot("2026-10-25T06:00:00Z", "2026-10-25T07:00:00Z"), outside.clone()),
                ("autumn, last hour", utc_slot("2026-10-25T18:00:00Z", "2026-10-25T19:00:00Z"), OK),
                ("autumn, after closing", utc_slot("2026-10-25T19:00:00Z", "2026-10-25T20:00:00Z"), outside),
            ],
        );
    }

    #[test]
    fn no_space_allows_more_than_thirty_local_days_which_stay_under_the_longest_booking() {
        let every_day = HubCalendar {
            tz: DEFAULT_TIME_ZONE,
            weekly: WeeklyHours::new(
                [Weekday::Mon, Weekday::Tue, Weekday::Wed, Weekday::Thu, Weekday::Fri, Weekday::Sat, Weekday::Sun]
                    .into_iter()
                    .map(|day| (day, OpeningInterval::new(NaiveTime::MIN, NaiveTime::MIN).unwrap()))
                    .collect(),
            )
            .unwrap(),
            closures: Vec::new(),
        };
        // A space whose stored rules allow more (set before the limit, or by hand) still gets 30.
        let rules = SpaceRules { max_minutes: 40 * MINUTES_PER_DAY, max_days_ahead: 400, ..daily_rules() };
        let check = check(&every_day, &rules);
        // 30 local days across the autumn change: 30 days and an hour, under 31 days.
        let thirty = days(date(2026, 10, 10), date(2026, 11, 9));
        assert_eq!(check_booking(&check, &thirty), OK);
        assert!(thirty.duration() > TimeDelta::days(30) && thirty.duration() < LONGEST_BOOKING);
        assert_eq!(
            check_booking(&check, &days(date(2026, 10, 10), date(2026, 11, 10))),
            Err(RuleViolation::TooLong { max_minutes: LONGEST_ALLOWED_MINUTES })
        );
    }

    #[test]
    fn lengths_across_a_dst_change_count_real_time() {
        let night_hub = HubCalendar {
            tz: DEFAULT_TIME_ZONE,
            weekly: WeeklyHours::new(vec![(
                Weekday::Sun,
                OpeningInterval::new(NaiveTime::MIN, NaiveTime::MIN).unwrap(),
            )])
            .unwrap(),
            closures: Vec::new(),
        };
        let rules = SpaceRules { min_minutes: 60, max_minutes: 150, ..hourly_rules() };
        let spring = BookingCheck { now: berlin(2026, 3, 28, 12, 0), ..check(&night_hub, &rules) };
        // 01:00-04:00 on the spring day is two real hours, so it fits a 150-minute maximum.
        assert_eq!(check_booking(&spring, &local((2026, 3, 29), (1, 0), (4, 0))), OK);
        let autumn = BookingCheck { now: berlin(2026, 10, 24, 12, 0), ..spring };
        // The same wall-clock times on the autumn day are four real hours.
        assert_eq!(
            check_booking(&autumn, &local((2026, 10, 25), (1, 0), (4, 0))),
            Err(RuleViolation::TooLong { max_minutes: 150 })
        );
    }

    #[test]
    fn daily_spaces_book_whole_local_days() {
        let calendar = calendar();
        let rules = daily_rules();
        let check = check(&calendar, &rules);
        let whole_days = Err(RuleViolation::WholeDaysOnly);
        let utc_midnights = slot(utc("2026-03-26T00:00:00Z"), utc("2026-03-27T00:00:00Z"));
        let from_eight =
            slot(berlin(2026, 3, 26, 8, 0), local_day_bounds(date(2026, 3, 27), DEFAULT_TIME_ZONE).start());
        run_table(
            &check,
            vec![
                ("one day", days(date(2026, 3, 26), date(2026, 3, 27)), OK),
                ("today", days(date(2026, 3, 25), date(2026, 3, 26)), OK),
                ("yesterday", days(date(2026, 3, 24), date(2026, 3, 25)), Err(RuleViolation::StartsInPast)),
                ("UTC midnights are not local midnights", utc_midnights, whole_days.clone()),
                ("starts at 08:00", from_eight, whole_days),
                (
                    "includes a closed Saturday",
                    days(date(2026, 3, 26), date(2026, 3, 29)),
                    Err(RuleViolation::OutsideOpeningHours),
                ),
                ("23-hour DST Sunday is one day", local_day_bounds(date(2026, 3, 29), DEFAULT_TIME_ZONE), OK),
                ("exactly max: three days across the change", days(date(2026, 3, 29), date(2026, 4, 1)), OK),
                (
                    "one day over max",
                    days(date(2026, 3, 29), date(2026, 4, 2)),
                    Err(RuleViolation::TooLong { max_minutes: 4320 }),
                ),
                (
                    "a closure inside the range",
                    days(date(2026, 4, 5), date(2026, 4, 8)),
                    Err(RuleViolation::HubClosed { date: date(2026, 4, 6), label: "Ostermontag".to_owned() }),
                ),
                ("last allowed start day", days(date(2026, 4, 8), date(2026, 4, 9)), OK),
                (
                    "start day too far",
                    days(date(2026, 4, 9), date(2026, 4, 10)),
                    Err(RuleViolation::TooFarAhead { max_days: 14 }),
                ),
            ],
        );
        let autumn = BookingCheck { now: berlin(2026, 10, 20, 9, 0), ..check };
        let long_day = local_day_bounds(date(2026, 10, 25), DEFAULT_TIME_ZONE);
        assert_eq!(long_day.duration(), TimeDelta::hours(25));
        assert_eq!(check_booking(&autumn, &long_day), OK, "25-hour DST Sunday is one day");

        let two_day_minimum = SpaceRules { min_minutes: 2 * MINUTES_PER_DAY, ..daily_rules() };
        let strict = BookingCheck { rules: &two_day_minimum, ..check };
        assert_eq!(
            check_booking(&strict, &days(date(2026, 3, 26), date(2026, 3, 27))),
            Err(RuleViolation::TooShort { min_minutes: 2880 })
        );
        assert_eq!(check_booking(&strict, &days(date(2026, 3, 26), date(2026, 3, 28))), OK);
    }

    #[test]
    fn per_user_limits() {
        let calendar = calendar();
        let rules = hourly_rules();
        let base = check(&calendar, &rules);
        let slot = local((2026, 3, 26), (10, 0), (12, 0));
        let cases = [
            (1, 4, OK),
            (2, 0, Err(RuleViolation::ConcurrentLimit { max: 2 })),
            (0, 5, Err(RuleViolation::UpcomingLimit { max: 5 })),
            (2, 5, Err(RuleViolation::ConcurrentLimit { max: 2 })),
        ];
        for (overlapping, upcoming, expected) in cases {
            let check =
                BookingCheck { user_overlapping_bookings: overlapping, user_upcoming_bookings: upcoming, ..base };
            assert_eq!(check_booking(&check, &slot), expected, "overlapping {overlapping}, upcoming {upcoming}");
        }
    }

    #[test]
    fn approval_makes_the_booking_pending() {
        let calendar = calendar();
        let rules = SpaceRules { approval_required: true, ..hourly_rules() };
        let check = check(&calendar, &rules);
        assert_eq!(check_booking(&check, &local((2026, 3, 26), (10, 0), (12, 0))), Ok(BookingStatus::Pending));
    }

    #[test]
    fn only_active_users_and_enabled_spaces() {
        let calendar = calendar();
        let rules = hourly_rules();
        let base = check(&calendar, &rules);
        let slot = local((2026, 3, 26), (10, 0), (12, 0));
        for status in [UserStatus::Blocked, UserStatus::Pending] {
            let check = BookingCheck { user_status: status, ..base };
            assert_eq!(check_booking(&check, &slot), Err(RuleViolation::UserNotActive), "{status}");
        }
        let disabled = BookingCheck { space_enabled: false, ..base };
        assert_eq!(check_booking(&disabled, &slot), Err(RuleViolation::SpaceDisabled));
    }

    #[test]
    fn first_broken_rule_in_the_documented_order_wins() {
        let calendar = calendar();
        let rules = hourly_rules();
        let base = check(&calendar, &rules);
        let off_grid_in_past = local((2026, 3, 24), (10, 15), (11, 0));
        let cases = [
            (
                "user before space",
                BookingCheck { user_status: UserStatus::Blocked, space_enabled: false, ..base },
                off_grid_in_past,
                RuleViolation::UserNotActive,
            ),
            (
                "space before shape",
                BookingCheck { space_enabled: false, ..base },
                off_grid_in_past,
                RuleViolation::SpaceDisabled,
            ),
            ("shape before past", base, off_grid_in_past, RuleViolation::SlotGranularity { minutes: 30 }),
            (
                "past before closed",
                BookingCheck { now: berlin(2026, 4, 7, 10, 0), ..base },
                local((2026, 4, 6), (10, 0), (11, 0)),
                RuleViolation::StartsInPast,
            ),
            (
                "too far before closed",
                base,
                local((2026, 12, 24), (10, 0), (11, 0)),
                RuleViolation::TooFarAhead { max_days: 14 },
            ),
            (
                "opening hours before length",
                base,
                local((2026, 3, 26), (20, 0), (20, 30)),
                RuleViolation::OutsideOpeningHours,
            ),
            (
                "length before concurrent",
                BookingCheck { user_overlapping_bookings: 9, ..base },
                local((2026, 3, 26), (10, 0), (18, 0)),
                RuleViolation::TooLong { max_minutes: 240 },
            ),
            (
                "concurrent before upcoming",
                BookingCheck { user_overlapping_bookings: 9, user_upcoming_bookings: 9, ..base },
                local((2026, 3, 26), (10, 0), (12, 0)),
                RuleViolation::ConcurrentLimit { max: 2 },
            ),
        ];
        for (name, check, slot, expected) in cases {
            assert_eq!(check_booking(&check, &slot), Err(expected), "{name}");
        }
    }

    #[test]
    fn zero_slot_minutes_does_not_panic() {
        let calendar = calendar();
        let rules = SpaceRules { slot_minutes: 0, ..hourly_rules() };
        let check = check(&calendar, &rules);
        assert_eq!(check_booking(&check, &local((2026, 3, 26), (10, 7), (11, 13))), OK);
    }

    #[test]
    fn every_rule_has_its_stable_code_and_a_sentence() {
        let cases = [
            (RuleViolation::SpaceDisabled, "space_disabled", "This space cannot be booked at the moment."),
            (RuleViolation::UserNotActive, "user_not_active", "Your account is not active, so you cannot book."),
            (RuleViolation::StartsInPast, "starts_in_past", "The booking would start in the past."),
            (RuleViolation::TooFarAhead { max_days: 1 }, "too_far_ahead", "Bookings can start at most 1 day ahead."),
            (RuleViolation::TooFarAhead { max_days: 30 }, "too_far_ahead", "Bookings can start at most 30 days ahead."),
            (
                RuleViolation::SlotGranularity { minutes: 30 },
                "slot_granularity",
                "Start and end must fall on the 30-minute steps of this space, counted from midnight.",
            ),
            (
                RuleViolation::TooShort { min_minutes: 90 },
                "too_short",
                "A booking of this space must last at least 1 hour 30 minutes.",
            ),
            (
                RuleViolation::TooShort { min_minutes: 30 },
                "too_short",
                "A booking of this space must last at least 30 minutes.",
            ),
            (
                RuleViolation::TooLong { max_minutes: 240 },
                "too_long",
                "A booking of this space can last at most 4 hours.",
            ),
            (
                RuleViolation::TooLong { max_minutes: 2880 },
                "too_long",
                "A booking of this space can last at most 2 days.",
            ),
            (
                RuleViolation::OutsideOpeningHours,
                "outside_opening_hours",
                "The hub is not open for the whole of the requested time.",
            ),
            (
                RuleViolation::HubClosed { date: date(2026, 12, 24), label: "Weihnachten".to_owned() },
                "hub_closed",
                "The hub is closed on 2026-12-24 (Weihnachten).",
            ),
            (
                RuleViolation::HubClosed { date: date(2026, 12, 24), label: String::new() },
                "hub_closed",
                "The hub is closed on 2026-12-24.",
            ),
            (
                RuleViolation::WholeDaysOnly,
                "whole_days_only",
                "This space is booked by whole days: start and end must be at midnight.",
            ),
            (
                RuleViolation::ConcurrentLimit { max: 1 },
                "concurrent_limit",
                "You already have 1 booking at this time, the most allowed.",
            ),
            (
                RuleViolation::UpcomingLimit { max: 5 },
                "upcoming_limit",
                "You already have 5 upcoming bookings, the most allowed.",
            ),
        ];
        for (violation, code, sentence) in cases {
            assert_eq!(violation.code(), code);
            assert_eq!(violation.to_string(), sentence);
        }
    }
}
