//! Turns a hub's stored hours and closures into the domain's `HubCalendar`.

use chrono::{NaiveTime, Weekday};
use chrono_tz::Tz;

use super::ServiceError;
use crate::db::catalog::HubWithCalendar;
use crate::domain::calendar::{Closure, HubCalendar, OpeningInterval, WeeklyHours};
use crate::service::ErrorCode;

/// The calendar the booking rules check against.
///
/// # Errors
/// When stored values are broken (an unknown time zone, a weekday outside 1–7): that is a data
/// error, reported as such instead of being guessed around.
pub fn hub_calendar(hub: &HubWithCalendar) -> Result<HubCalendar, ServiceError> {
    let tz: Tz = hub.hub.time_zone.parse().map_err(|_| invalid_data("time_zone", &hub.hub.time_zone))?;
    let mut entries = Vec::with_capacity(hub.opening_hours.len());
    for row in &hub.opening_hours {
        let weekday = weekday_from_iso(row.weekday).ok_or_else(|| invalid_data("weekday", &row.weekday.to_string()))?;
        let opens = time_of_minute(row.opens_minute)
            .ok_or_else(|| invalid_data("opens_minute", &row.opens_minute.to_string()))?;
        let closes = time_of_minute(row.closes_minute)
            .ok_or_else(|| invalid_data("closes_minute", &row.closes_minute.to_string()))?;
        entries.push((weekday, OpeningInterval { opens, closes }));
    }
    let weekly = WeeklyHours::new(entries).map_err(|e| invalid_data("opening_hours", &e.to_string()))?;
    let closures = hub
        .closures
        .iter()
        .map(|c| Closure { first_day: c.first_day, last_day: c.last_day, label: c.label.clone() })
        .collect();
    Ok(HubCalendar { tz, weekly, closures })
}

/// ISO weekday number (1 = Monday) as stored in `opening_hours.weekday`.
pub fn weekday_from_iso(n: i32) -> Option<Weekday> {
    match n {
        1 => Some(Weekday::Mon),
        2 => Some(Weekday::Tue),
        3 => Some(Weekday::Wed),
        4 => Some(Weekday::Thu),
        5 => Some(Weekday::Fri),
        6 => Some(Weekday::Sat),
        7 => Some(Weekday::Sun),
        _ => None,
    }
}

/// Minutes after local midnight as a time of day; 1440 ("until midnight") is 00:00, which the
/// domain reads as the end of the day.
fn time_of_minute(minute: i32) -> Option<NaiveTime> {
    if minute == 1440 {
        return Some(NaiveTime::MIN);
    }
    let minute = u32::try_from(minute).ok()?;
    NaiveTime::from_hms_opt(minute / 60, minute % 60, 0)
}

fn invalid_data(field: &'static str, value: &str) -> ServiceError {
    ServiceError::Invalid {
        field,
        code: ErrorCode::InvalidStoredValue,
        message: format!("stored value {value:?} is not valid"),
    }
}
