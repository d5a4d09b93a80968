//! Booking intervals and the pure rules check a booking must pass before it is stored.
//!
//! `check_booking` answers "may this user book this space for this slot, given these counts and
//! this moment?" with either the status the new booking gets or the first broken rule. It does not
//! look at other people's bookings of the same space: that a space is free is proven by the storage
//! step, inside the transaction that inserts the booking.

use crate::domain::calendar::HubCalendar;
use crate::domain::local_time::start_of_local_day;
use crate::domain::role::{BookingStatus, BookingUnit, UserStatus};
use chrono::{DateTime, Datelike, Days, NaiveDate, NaiveTime, TimeDelta, Timelike, Utc};
use serde::{Deserialize, Serialize};
use std::fmt;

const MINUTES_PER_DAY: u32 = 24 * 60;

/// A half-open interval of time `[start, end)` with `start < end`.
///
/// Half-open so that back-to-back bookings (10:00–12:00 and 12:00–14:00) do not clash. The fields
/// are private so that an empty or reversed slot cannot exist.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "UncheckedSlot")]
pub struct Slot {
    start: DateTime<Utc>,
    end: DateTime<Utc>,
}

/// Why two instants do not make a slot.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum SlotError {
    #[error("the end of a booking must be after its start")]
    EndNotAfterStart,
}

/// The wire form of a slot before its order is checked.
#[derive(Deserialize)]
struct UncheckedSlot {
    start: DateTime<Utc>,
    end: DateTime<Utc>,
}

impl TryFrom<UncheckedSlot> for Slot {
    type Error = SlotError;

    fn try_from(unchecked: UncheckedSlot) -> Result<Self, Self::Error> {
        Slot::new(unchecked.start, unchecked.end)
    }
}

impl Slot {
    /// Builds a slot, refusing an end that is not after the start.
    pub fn new(start: DateTime<Utc>, end: DateTime<Utc>) -> Result<Slot, SlotError> {
        if end <= start {
            return Err(SlotError::EndNotAfterStart);
        }
        Ok(Slot { start, end })
    }

    /// All representable time; only a fallback for computations at the edge of chrono's range.
    pub(crate) fn everything() -> Slot {
        Slot {
            start: DateTime::<Utc>::MIN_UTC,
            end: DateTime::<Utc>::MAX_UTC,
        }
    }

    /// The first instant of the slot (included).
    pub fn start(&self) -> DateTime<Utc> {
        self.start
    }

    /// The first instant after the slot (excluded).
    pub fn end(&self) -> DateTime<Utc> {
        self.end
    }

    /// The real elapsed time, so a night across a DST change counts its true hours.
    pub fn duration(&self) -> TimeDelta {
        self.end - self.start
    }

    /// Whether the two slots share any instant; slots that only touch do not overlap.
    pub fn overlaps(&self, other: &Slot) -> bool {
        self.start < other.end && other.start < self.end
    }

    /// Whether `other` lies wholly inside this slot (equal slots contain each other).
    pub fn contains(&self, other: &Slot) -> bool {
        self.start <= other.start && other.end <= self.end
    }
}

impl fmt::Display for Slot {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "[{}, {})",
            self.start.to_rfc3339(),
            self.end.to_rfc3339()
        )
    }
}

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
    #[error(
        "Start and end must fall on the {minutes}-minute steps of this space, counted from midnight."
    )]
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
        if minutes > 0 && minutes % MINUTES_PER_DAY == 0 {
            return Count(minutes / MINUTES_PER_DAY, "day", "days").fmt(f);
        }
        match (minutes / 60, minutes % 60) {
            (0, rest) => Count(rest, "minute", "minutes").fmt(f),
            (hours, 0) => Count(hours, "hour", "hours").fmt(f),
            (hours, rest) => write!(
                f,
                "{} {}",
                Count(hours, "hour", "hours"),
                Count(rest, "minute", "minutes")
            ),
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
            let on_grid = |instant: DateTime<Utc>| {
                is_on_grid(instant.with_timezone(&calendar.tz).time(), step)
            };
            if !on_grid(slot.start()) || !on_grid(slot.end()) {
                return Err(RuleViolation::SlotGranularity { minutes: step });
            }
            let running_slot_start = check
                .now
                .checked_sub_signed(TimeDelta::minutes(i64::from(step)))
                .unwrap_or(DateTime::<Utc>::MIN_UTC);
            if slot.start() <= running_slot_start {
                return Err(RuleViolation::StartsInPast);
            }
        }
        BookingUnit::Daily => {
            let starts_at_midnight =
                start_of_local_day(first_day, calendar.tz) == Some(slot.start());
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
        return Err(RuleViolation::TooFarAhead {
            max_days: rules.max_days_ahead,
        });
    }

    if let Some((date, closure)) = calendar.first_closure_within(first_day, last_day) {
        return Err(RuleViolation::HubClosed {
            date,
            label: closure.label.clone(),
        });
    }

    let booked_minutes = match rules.unit {
        BookingUnit::Hourly => {
            let inside_one_interval = calendar
                .opening_slots_on(first_day)
                .iter()
                .any(|opening| opening.contains(slot));
            if !inside_one_interval {
                return Err(RuleViolation::OutsideOpeningHours);
            }
            u64::try_from(slot.duration().num_minutes()).unwrap_or(u64::MAX)
        }
        BookingUnit::Daily => {
            if some_day_without_hours(calendar, first_day, last_day) {
                return Err(RuleViolation::OutsideOpeningHours);
            }
            let days = u64::try_from(last_day.signed_duration_since(first_day).num_days() + 1)
                .unwrap_or(u64::MAX);
            days.saturating_mul(u64::from(MINUTES_PER_DAY))
        }
    };
    if booked_minutes < u64::from(rules.min_minutes) {
        return Err(RuleViolation::TooShort {
            min_minutes: rules.min_minutes,
        });
    }
    if booked_minutes > u64::from(rules.max_minutes) {
        return Err(RuleViolation::TooLong {
            max_minutes: rules.max_minutes,
        });
    }

    if check.user_overlapping_bookings >= check.max_concurrent_per_user {
        return Err(RuleViolation::ConcurrentLimit {
            max: check.max_concurrent_per_user,
        });
    }
    if check.user_upcoming_bookings >= check.max_upcoming_per_user {
        return Err(RuleViolation::UpcomingLimit {
            max: check.max_upcoming_per_user,
        });
    }

    Ok(if rules.approval_required {
        BookingStatus::Pending
    } else {
        BookingStatus::Confirmed
    })
}

/// Whether a local wall-clock time is a whole-minute multiple of `step` minutes after midnight.
fn is_on_grid(time: NaiveTime, step: u32) -> bool {
    time.second() == 0 && time.nanosecond() == 0 && (time.hour() * 60 + time.minute()) % step == 0
}

/// Whether any date in `first..=last` has no weekly opening hours; closures are checked apart.
///
/// Only the first week of the range needs looking at, since weekly hours repeat.
fn some_day_without_hours(calendar: &HubCalendar, first: NaiveDate, last: NaiveDate) -> bool {
    first
        .iter_days()
        .take_while(|day| *day <= last)
        .take(7)
        .any(|day| calendar.weekly.on(day.weekday()).is_empty())
}
