//! Repeating bookings: which dates a series falls on. Daily or weekly (on chosen weekdays), every
//! n days or weeks, until a date or n times. The booking rules then decide date by date; this
//! module only counts dates, in the hub's local calendar.

use chrono::{Datelike, Days, NaiveDate, Weekday};

/// The most dates one series may have: a year of weekly meetings, and a bound on the work one
/// request can cause.
pub const MAX_DATES: u32 = 60;

/// The most days a series may span from its first date; the space's `max_days_ahead` usually
/// ends it much earlier.
pub const MAX_SPAN_DAYS: u64 = 400;

/// The largest "every n days / weeks".
pub const MAX_INTERVAL: u32 = 8;

/// How often a series repeats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Frequency {
    Daily,
    Weekly,
}

impl Frequency {
    pub fn as_str(self) -> &'static str {
        match self {
            Frequency::Daily => "daily",
            Frequency::Weekly => "weekly",
        }
    }

    pub fn parse(text: &str) -> Option<Frequency> {
        match text {
            "daily" => Some(Frequency::Daily),
            "weekly" => Some(Frequency::Weekly),
            _ => None,
        }
    }
}

/// When a series stops.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SeriesEnd {
    /// The last date it may fall on (inclusive).
    Until(NaiveDate),
    /// How many dates it has.
    Count(u32),
}

/// A checked repetition rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recurrence {
    frequency: Frequency,
    interval: u32,
    /// Weekly only: the weekdays, Monday first, no repeats; empty means the first date's weekday.
    weekdays: Vec<Weekday>,
    end: SeriesEnd,
}

/// Why a rule cannot be used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum RecurrenceError {
    #[error("the interval must be between 1 and {MAX_INTERVAL}")]
    Interval,
    #[error("a series has between 2 and {MAX_DATES} dates")]
    Count,
    #[error("the last date must not be before the first")]
    UntilBeforeFirst,
    #[error("a series may span at most {MAX_SPAN_DAYS} days")]
    TooLong,
    #[error("the series falls on no date (or just one): check the weekdays and the end")]
    NoDates,
}

impl RecurrenceError {
    /// Every error, for the API document's list of codes.
    pub const ALL: [RecurrenceError; 5] = [
        RecurrenceError::Interval,
        RecurrenceError::Count,
        RecurrenceError::UntilBeforeFirst,
        RecurrenceError::TooLong,
        RecurrenceError::NoDates,
    ];

    /// A stable snake_case name for the JSON API and for translations.
    pub fn code(self) -> &'static str {
        match self {
            RecurrenceError::Interval => "series_interval",
            RecurrenceError::Count => "series_count",
            RecurrenceError::UntilBeforeFirst => "series_until_before_first",
            RecurrenceError::TooLong => "series_too_long",
            RecurrenceError::NoDates => "series_no_dates",
        }
    }
}

impl Recurrence {
    /// Checks a rule; the weekdays are sorted from Monday and repeats dropped.
    ///
    /// # Errors
    /// An interval outside 1..=[`MAX_INTERVAL`], a count outside 2..=[`MAX_DATES`].
    pub fn new(
        frequency: Frequency,
        interval: u32,
        mut weekdays: Vec<Weekday>,
        end: SeriesEnd,
    ) -> Result<Recurrence, RecurrenceError> {
        if !(1..=MAX_INTERVAL).contains(&interval) {
            return Err(RecurrenceError::Interval);
        }
        if let SeriesEnd::Count(n) = end
            && !(2..=MAX_DATES).contains(&n)
        {
            return Err(RecurrenceError::Count);
        }
        weekdays.sort_by_key(Weekday::num_days_from_monday);
        weekdays.dedup();
        if frequency == Frequency::Daily {
            weekdays.clear();
        }
        Ok(Recurrence { frequency, interval, weekdays, end })
    }

    pub fn frequency(&self) -> Frequency {
        self.frequency
    }

    pub fn interval(&self) -> u32 {
        self.interval
    }

    pub fn weekdays(&self) -> &[Weekday] {
        &self.weekdays
    }

    pub fn end(&self) -> SeriesEnd {
        self.end
    }

    /// The dates of the series starting on `first` (which is its first date only when it falls
    /// on one of the weekdays), in order.
    ///
    /// # Errors
    /// `UntilBeforeFirst`; `TooLong` when the series would run past [`MAX_SPAN_DAYS`] or
    /// [`MAX_DATES`] dates; `NoDates` when it has fewer than two dates.
    pub fn dates(&self, first: NaiveDate) -> Result<Vec<NaiveDate>, RecurrenceError> {
        let last_possible = first.checked_add_days(Days::new(MAX_SPAN_DAYS)).ok_or(RecurrenceError::TooLong)?;
        let (until, count) = match self.end {
            SeriesEnd::Until(until) if until < first => return Err(RecurrenceError::UntilBeforeFirst),
            SeriesEnd::Until(until) if until > last_possible => return Err(RecurrenceError::TooLong),
            // Counted only by the end date: more than MAX_DATES dates before it is too long.
            SeriesEnd::Until(until) => (until, u32::MAX),
            SeriesEnd::Count(n) => (last_possible, n),
        };
        let mut dates = Vec::new();
        let mut push = |date: NaiveDate| -> Result<bool, RecurrenceError> {
            if date > until || u32::try_from(dates.len()).unwrap_or(u32::MAX) >= count {
                return Ok(false);
            }
            if dates.len() >= MAX_DATES as usize {
                return Err(RecurrenceError::TooLong);
            }
            dates.push(date);
            Ok(true)
        };
        match self.frequency {
            Frequency::Daily => {
                let mut date = first;
                while push(date)? {
                    date =
                        date.checked_add_days(Days::new(u64::from(self.interval))).ok_or(RecurrenceError::TooLong)?;
                }
            }
            Frequency::Weekly => {
                let weekdays = if self.weekdays.is_empty() { vec![first.weekday()] } else { self.weekdays.clone() };
                let monday = first - Days::new(u64::from(first.weekday().num_days_from_monday()));
                let mut week_start = monday;
                'weeks: loop {
                    for day in &weekdays {
                        let date = week_start + Days::new(u64::from(day.num_days_from_monday()));
                        if date < first {
                            continue;
                        }
                        if !push(date)? {
                            break 'weeks;
                        }
                    }
                    week_start = week_start
                        .checked_add_days(Days::new(7 * u64::from(self.interval)))
                        .ok_or(RecurrenceError::TooLong)?;
                }
            }
        }
        if dates.len() < 2 {
            return Err(RecurrenceError::NoDates);
        }
        Ok(dates)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    fn day(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    #[test]
    fn weekly_on_chosen_weekdays_every_second_week_until_a_date() {
        let rule = Recurrence::new(
            Frequency::Weekly,
            2,
            vec![Weekday::Wed, Weekday::Mon],
            SeriesEnd::Until(day("2026-12-23")),
        )
        .unwrap();
        // Tuesday 24 November: that week's Monday is before the first date and is skipped.
        let dates = rule.dates(day("2026-11-24")).unwrap();
        assert_eq!(
            dates,
            vec![day("2026-11-25"), day("2026-12-07"), day("2026-12-09"), day("2026-12-21"), day("2026-12-23")]
        );
    }

    #[test]
    fn daily_every_n_days_n_times_and_weekly_on_the_first_dates_weekday() {
        let daily = Recurrence::new(Frequency::Daily, 3, vec![Weekday::Fri], SeriesEnd::Count(3)).unwrap();
        assert_eq!(
            daily.dates(day("2026-11-30")).unwrap(),
            vec![day("2026-11-30"), day("2026-12-03"), day("2026-12-06")]
        );
        let weekly = Recurrence::new(Frequency::Weekly, 1, vec![], SeriesEnd::Count(2)).unwrap();
        assert_eq!(weekly.dates(day("2026-11-24")).unwrap(), vec![day("2026-11-24"), day("2026-12-01")]);
    }

    #[test]
    fn rules_out_of_bounds_are_refused() {
        assert_eq!(Recurrence::new(Frequency::Daily, 0, vec![], SeriesEnd::Count(3)), Err(RecurrenceError::Interval));
        assert_eq!(Recurrence::new(Frequency::Daily, 1, vec![], SeriesEnd::Count(1)), Err(RecurrenceError::Count));
        assert_eq!(
            Recurrence::new(Frequency::Daily, 1, vec![], SeriesEnd::Count(MAX_DATES + 1)),
            Err(RecurrenceError::Count)
        );
        let until = |d: &str| Recurrence::new(Frequency::Daily, 1, vec![], SeriesEnd::Until(day(d))).unwrap();
        assert_eq!(until("2026-11-01").dates(day("2026-11-24")), Err(RecurrenceError::UntilBeforeFirst));
        assert_eq!(until("2026-11-24").dates(day("2026-11-24")), Err(RecurrenceError::NoDates));
        // Daily for a year would be far more than MAX_DATES dates.
        assert_eq!(until("2027-11-01").dates(day("2026-11-24")), Err(RecurrenceError::TooLong));
        assert_eq!(until("2030-01-01").dates(day("2026-11-24")), Err(RecurrenceError::TooLong));
    }
}
