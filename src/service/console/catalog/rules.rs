//! Reading the console's catalogue forms into checked values: texts, numbers in range, slugs,
//! time zones, days, opening hours and space booking rules. Pure functions without I/O; a
//! refusal carries a stable code (and the allowed range) that the page turns into a sentence.

use chrono::{NaiveDate, NaiveTime, Timelike};
use chrono_tz::Tz;

use crate::domain::booking::LONGEST_ALLOWED_MINUTES;
use crate::domain::check_in::CheckInModes;
use crate::domain::vocabulary::{BookingUnit, SpaceKind};

/// Minutes in a day; daily spaces count whole days of this length.
pub const MINUTES_PER_DAY: i32 = 1440;
/// The longest booking a daily space may allow (the domain's limit, as the form's number type).
const LONGEST_ALLOWED_MINUTES_I32: i32 = LONGEST_ALLOWED_MINUTES as i32;
/// A slug that would collide with a console path (`/console/hubs/new`).
const RESERVED_SLUGS: [&str; 1] = ["new"];

/// Why a value was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Refusal {
    pub code: &'static str,
    pub range: Option<(i64, i64)>,
}

impl Refusal {
    fn code(code: &'static str) -> Refusal {
        Refusal { code, range: None }
    }

    fn range(min: i64, max: i64) -> Refusal {
        Refusal { code: "out-of-range", range: Some((min, max)) }
    }
}

type Checked<T> = Result<T, Refusal>;

/// A required one-line text of at most `max` characters, trimmed.
pub fn required_text(value: &str, max: usize) -> Checked<String> {
    let value = value.trim();
    if value.is_empty() { Err(Refusal::code("required")) } else { optional_text(value, max) }
}

/// A required name of at most `max` characters on one line, trimmed: a name is shown in lists,
/// headings, mail subjects and calendar entries, where a line break or another control
/// character could start a line of its own, so any of them is refused.
pub fn name(value: &str, max: usize) -> Checked<String> {
    if value.trim().chars().any(char::is_control) {
        Err(Refusal::code("control-characters"))
    } else {
        required_text(value, max)
    }
}

/// A text that may be empty, of at most `max` characters, trimmed; line breaks are kept.
pub fn optional_text(value: &str, max: usize) -> Checked<String> {
    let value = value.trim();
    if value.chars().count() > max {
        Err(Refusal { code: "too-long", range: Some((0, i64::try_from(max).unwrap_or(i64::MAX))) })
    } else if value.chars().any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t') {
        Err(Refusal::code("control-characters"))
    } else {
        Ok(value.to_owned())
    }
}

/// A whole number in `[min, max]`.
pub fn number(value: &str, min: i32, max: i32) -> Checked<i32> {
    match value.trim().parse::<i32>() {
        Ok(n) if (min..=max).contains(&n) => Ok(n),
        _ => Err(Refusal::range(i64::from(min), i64::from(max))),
    }
}

/// A whole number in `[min, max]`, or `None` for an empty field.
pub fn optional_number(value: &str, min: i32, max: i32) -> Checked<Option<i32>> {
    if value.trim().is_empty() { Ok(None) } else { number(value, min, max).map(Some) }
}

/// A hub's slug: 2–40 characters of `a-z`, `0-9` and single inner hyphens, not a console word.
pub fn slug(value: &str) -> Checked<String> {
    let value = value.trim();
    let well_formed = (2..=40).contains(&value.len())
        && value.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !value.starts_with('-')
        && !value.ends_with('-')
        && !value.contains("--");
    if !well_formed {
        Err(Refusal::code("slug-format"))
    } else if RESERVED_SLUGS.contains(&value) {
        Err(Refusal::code("slug-reserved"))
    } else {
        Ok(value.to_owned())
    }
}

/// An IANA time zone such as `Europe/Berlin`.
pub fn time_zone(value: &str) -> Checked<Tz> {
    value.trim().parse::<Tz>().map_err(|_| Refusal::code("time-zone"))
}

/// A day as a date field sends it (`YYYY-MM-DD`).
pub fn day(value: &str) -> Checked<NaiveDate> {
    NaiveDate::parse_from_str(value.trim(), "%Y-%m-%d").map_err(|_| Refusal::code("date-format"))
}

/// One of a closed set's text forms, e.g. a space kind.
pub fn one_of<T>(
    value: &str,
    parse: impl Fn(&str) -> Result<T, crate::domain::vocabulary::UnknownValue>,
) -> Checked<T> {
    parse(value.trim()).map_err(|_| Refusal::code("choose-one"))
}

/// A checkbox: present (any value) means yes.
pub fn checkbox(value: Option<&str>) -> bool {
    value.is_some_and(|v| !v.is_empty())
}

/// A wall-clock time `HH:MM` as minutes after midnight; `24:00` (1440) only when `end` is set.
pub fn clock_minutes(value: &str, end: bool) -> Checked<i32> {
    let value = value.trim();
    if end && value == "24:00" {
        return Ok(MINUTES_PER_DAY);
    }
    let time = NaiveTime::parse_from_str(value, "%H:%M").map_err(|_| Refusal::code("time-format"))?;
    let minutes = i32::try_from(time.hour() * 60 + time.minute()).map_err(|_| Refusal::code("time-format"))?;
    Ok(minutes)
}

/// `HH:MM` of minutes after midnight (1440 is `24:00`).
pub fn clock_text(minutes: i32) -> String {
    format!("{:02}:{:02}", minutes / 60, minutes % 60)
}

/// The opening intervals of one weekday as typed: two pairs of `HH:MM` fields.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DayHoursInput {
    pub intervals: [(String, String); 2],
}

/// Reads one weekday: no interval (closed), or up to two intervals that each close after they
/// open and do not overlap. Returns `(opens, closes)` minute pairs, earliest first.
pub fn day_hours(input: &DayHoursInput) -> Checked<Vec<(i32, i32)>> {
    let mut intervals = Vec::new();
    for (opens, closes) in &input.intervals {
        match (opens.trim().is_empty(), closes.trim().is_empty()) {
            (true, true) => continue,
            (false, false) => {}
            _ => return Err(Refusal::code("interval-incomplete")),
        }
        let (opens, closes) = (clock_minutes(opens, false)?, clock_minutes(closes, true)?);
        if closes <= opens {
            return Err(Refusal::code("closes-before-opens"));
        }
        intervals.push((opens, closes));
    }
    intervals.sort_unstable();
    if let [first, second] = intervals.as_slice()
        && second.0 < first.1
    {
        return Err(Refusal::code("intervals-overlap"));
    }
    Ok(intervals)
}

/// The booking rules of a space as its form sends them.
#[derive(Debug, Clone, Default)]
pub struct SpaceInput {
    pub name: String,
    pub kind: String,
    pub capacity: String,
    pub booking_unit: String,
    pub slot_minutes: String,
    pub min_minutes: String,
    pub max_minutes: String,
    pub max_days_ahead: String,
    pub approval_required: bool,
    /// The space asks for a purpose and a head count on booking (stored apart from the space).
    pub asks_purpose: bool,
    /// Ticked boxes always read as modes; none ticked means no check-in (and no no-show release).
    pub check_in_modes: CheckInModes,
    /// Where the space comes in lists; empty means 0.
    pub position: String,
    /// Whether a room's bookers may invite guests with their own PIN (issue 16).
    pub guests_allowed: bool,
}

/// A space's checked settings, ready to store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpaceSettings {
    pub name: String,
    pub kind: SpaceKind,
    pub capacity: i32,
    pub unit: BookingUnit,
    pub slot_minutes: i32,
    pub min_minutes: i32,
    pub max_minutes: i32,
    pub max_days_ahead: i32,
    pub approval_required: bool,
    pub position: i32,
}

/// Reads a space's form with the rules the booking check relies on. Hourly spaces: a grid of
/// 5–720 minutes that divides the day (so every day has the same grid from midnight), and
/// shortest and longest bookings on that grid within one day. Daily spaces: the grid is the day;
/// shortest and longest bookings are whole days, at most 30. Each refusal names its field.
pub fn space_settings(input: &SpaceInput) -> Result<SpaceSettings, Vec<(&'static str, Refusal)>> {
    let mut refused = Vec::new();
    let mut note = |field: &'static str, refusal: Refusal| refused.push((field, refusal));
    let name = self::name(&input.name, 100).map_err(|r| note("name", r)).ok();
    let kind = one_of(&input.kind, SpaceKind::parse).map_err(|r| note("kind", r)).ok();
    let capacity = number(&input.capacity, 1, 500).map_err(|r| note("capacity", r)).ok();
    let unit = one_of(&input.booking_unit, BookingUnit::parse).map_err(|r| note("booking_unit", r)).ok();
    let max_days_ahead = number(&input.max_days_ahead, 0, 365).map_err(|r| note("max_days_ahead", r)).ok();
    let position = optional_number(&input.position, 0, 999).map_err(|r| note("position", r)).ok();
    let lengths = match unit {
        Some(BookingUnit::Hourly) => hourly_lengths(input, &mut note),
        Some(BookingUnit::Daily) => daily_lengths(input, &mut note),
        None => None,
    };
    match (name, kind, capacity, unit, max_days_ahead, position, lengths) {
        (
            Some(name),
            Some(kind),
            Some(capacity),
            Some(unit),
            Some(max_days_ahead),
            Some(position),
            Some((slot, min, max)),
        ) if refused.is_empty() => Ok(SpaceSettings {
            name,
            kind,
            capacity,
            unit,
            slot_minutes: slot,
            min_minutes: min,
            max_minutes: max,
            max_days_ahead,
            approval_required: input.approval_required,
            position: position.unwrap_or(0),
        }),
        _ => Err(refused),
    }
}

fn hourly_lengths(input: &SpaceInput, note: &mut impl FnMut(&'static str, Refusal)) -> Option<(i32, i32, i32)> {
    let slot = number(&input.slot_minutes, 5, 720)
        .and_then(|s| if MINUTES_PER_DAY % s == 0 { Ok(s) } else { Err(Refusal::code("slot-divides-day")) })
        .map_err(|r| note("slot_minutes", r))
        .ok()?;
    let on_grid = |value: &str, min: i32| {
        number(value, min, MINUTES_PER_DAY)
            .and_then(|m| if m % slot == 0 { Ok(m) } else { Err(Refusal::code("multiple-of-slot")) })
    };
    let min = on_grid(&input.min_minutes, slot).map_err(|r| note("min_minutes", r)).ok();
    let max = on_grid(&input.max_minutes, slot).map_err(|r| note("max_minutes", r)).ok();
    let (min, max) = (min?, max?);
    if max < min {
        note("max_minutes", Refusal::code("max-below-min"));
        return None;
    }
    Some((slot, min, max))
}

fn daily_lengths(input: &SpaceInput, note: &mut impl FnMut(&'static str, Refusal)) -> Option<(i32, i32, i32)> {
    let whole_days = |value: &str| {
        number(value, MINUTES_PER_DAY, LONGEST_ALLOWED_MINUTES_I32)
            .and_then(|m| if m % MINUTES_PER_DAY == 0 { Ok(m) } else { Err(Refusal::code("whole-days")) })
    };
    let min = whole_days(&input.min_minutes).map_err(|r| note("min_minutes", r)).ok();
    let max = whole_days(&input.max_minutes).map_err(|r| note("max_minutes", r)).ok();
    let (min, max) = (min?, max?);
    if max < min {
        note("max_minutes", Refusal::code("max-below-min"));
        return None;
    }
    Some((MINUTES_PER_DAY, min, max))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    fn hours(a: (&str, &str), b: (&str, &str)) -> DayHoursInput {
        DayHoursInput { intervals: [(a.0.into(), a.1.into()), (b.0.into(), b.1.into())] }
    }

    fn codes(result: Result<SpaceSettings, Vec<(&'static str, Refusal)>>) -> Vec<(&'static str, &'static str)> {
        result.unwrap_err().into_iter().map(|(f, r)| (f, r.code)).collect()
    }

    fn hourly() -> SpaceInput {
        SpaceInput {
            name: " Desk ".into(),
            kind: "desk".into(),
            capacity: "1".into(),
            booking_unit: "hour".into(),
            slot_minutes: "30".into(),
            min_minutes: "60".into(),
            max_minutes: "240".into(),
            max_days_ahead: "30".into(),
            approval_required: false,
            asks_purpose: false,
            check_in_modes: CheckInModes::NONE,
            position: String::new(),
            guests_allowed: true,
        }
    }

    #[test]
    fn slugs_are_lowercase_words_with_inner_hyphens() {
        assert_eq!(slug(" polch-viedel ").unwrap(), "polch-viedel");
        for bad in ["Polch", "-polch", "polch-", "po--lch", "p", "pölch", "po lch", "new", &"a".repeat(41)] {
            assert!(slug(bad).is_err(), "{bad}");
        }
        assert_eq!(slug("new").unwrap_err().code, "slug-reserved");
    }

    #[test]
    fn numbers_texts_and_zones_are_checked() {
        assert_eq!(number(" 90 ", 1, 3650), Ok(90));
        assert_eq!(number("0", 1, 3650).unwrap_err().range, Some((1, 3650)));
        assert!(number("9x", 1, 3650).is_err());
        assert_eq!(optional_number("", 1, 247), Ok(None));
        assert_eq!(required_text("  ", 10).unwrap_err().code, "required");
        assert_eq!(required_text("abcdef", 5).unwrap_err().code, "too-long");
        assert_eq!(optional_text("a\u{0}b", 5).unwrap_err().code, "control-characters");
        assert_eq!(optional_text("Zeile 1\r\nZeile 2", 50).unwrap(), "Zeile 1\r\nZeile 2");
        assert_eq!(name(" Desk 6 ", 10).unwrap(), "Desk 6");
        assert_eq!(name("Desk 6\rATTENDEE:x", 50).unwrap_err().code, "control-characters");
        assert_eq!(name("Desk\t6", 50).unwrap_err().code, "control-characters");
        assert_eq!(name("  ", 10).unwrap_err().code, "required");
        assert!(time_zone("Europe/Berlin").is_ok());
        assert!(time_zone("Mars/Olympus").is_err());
    }

    #[test]
    fn a_day_is_closed_or_has_up_to_two_ordered_intervals() {
        assert_eq!(day_hours(&hours(("", ""), ("", ""))), Ok(vec![]));
        assert_eq!(day_hours(&hours(("13:00", "18:00"), ("08:00", "12:00"))), Ok(vec![(480, 720), (780, 1080)]));
        assert_eq!(day_hours(&hours(("00:00", "24:00"), ("", ""))), Ok(vec![(0, 1440)]));
        assert_eq!(day_hours(&hours(("08:00", "12:00"), ("12:00", "18:00"))), Ok(vec![(480, 720), (720, 1080)]));
        let refused = |a, b| day_hours(&hours(a, b)).unwrap_err().code;
        assert_eq!(refused(("10:00", "09:00"), ("", "")), "closes-before-opens");
        assert_eq!(refused(("08:00", "13:00"), ("12:00", "18:00")), "intervals-overlap");
        assert_eq!(refused(("08:00", ""), ("", "")), "interval-incomplete");
        assert_eq!(refused(("8 Uhr", "12:00"), ("", "")), "time-format");
        assert_eq!(refused(("24:00", "12:00"), ("", "")), "time-format");
    }

    #[test]
    fn hourly_spaces_need_a_grid_that_divides_the_day_and_lengths_on_it() {
        let ok = space_settings(&hourly()).unwrap();
        assert_eq!((ok.name.as_str(), ok.slot_minutes, ok.min_minutes, ok.max_minutes), ("Desk", 30, 60, 240));
        let bad = SpaceInput { slot_minutes: "7".into(), ..hourly() };
        assert_eq!(codes(space_settings(&bad)), vec![("slot_minutes", "slot-divides-day")]);
        let bad = SpaceInput { min_minutes: "45".into(), max_minutes: "30".into(), ..hourly() };
        assert_eq!(codes(space_settings(&bad)), vec![("min_minutes", "multiple-of-slot")]);
        let bad = SpaceInput { min_minutes: "120".into(), max_minutes: "60".into(), ..hourly() };
        assert_eq!(codes(space_settings(&bad)), vec![("max_minutes", "max-below-min")]);
        let bad = SpaceInput { name: String::new(), kind: "sofa".into(), capacity: "0".into(), ..hourly() };
        assert_eq!(
            codes(space_settings(&bad)),
            vec![("name", "required"), ("kind", "choose-one"), ("capacity", "out-of-range")]
        );
    }

    #[test]
    fn daily_spaces_count_whole_days() {
        let daily = SpaceInput {
            booking_unit: "day".into(),
            slot_minutes: String::new(),
            min_minutes: "1440".into(),
            max_minutes: "2880".into(),
            ..hourly()
        };
        let ok = space_settings(&daily).unwrap();
        assert_eq!((ok.slot_minutes, ok.min_minutes, ok.max_minutes), (1440, 1440, 2880));
        let bad = SpaceInput { max_minutes: "2000".into(), ..daily };
        assert_eq!(codes(space_settings(&bad)), vec![("max_minutes", "whole-days")]);
    }
}
