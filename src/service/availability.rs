//! What is free and what is taken at a hub on one local day. A taken interval never says who
//! booked it.

use std::collections::HashMap;

use chrono::NaiveDate;

use super::calendar::hub_calendar;
use super::catalogue::Catalogue;
use super::{ServiceError, from_db_time, to_db_time};
use crate::db::DbConn;
use crate::db::bookings::{self as booking_rows, TakenInterval};
use crate::db::catalog::{Hub, HubWithCalendar, Space};
use crate::domain::calendar::{HubCalendar, free_intervals};
use crate::domain::ids::HubId;
use crate::domain::local_time::local_day_bounds;
use crate::domain::slot::Slot;
use crate::domain::vocabulary::SpaceKind;

/// One space's day.
#[derive(Debug, Clone)]
pub struct SpaceDay {
    pub space: Space,
    pub free: Vec<Slot>,
    pub taken: Vec<Slot>,
}

/// A hub's day: its opening intervals and every space's free and taken intervals.
#[derive(Debug, Clone)]
pub struct HubDay {
    pub hub: Hub,
    pub date: NaiveDate,
    /// The whole local day, 23, 24 or 25 hours long.
    pub day: Slot,
    /// The label of the closure (holiday, works) when the hub is closed that day.
    pub closed: Option<String>,
    pub opening: Vec<Slot>,
    pub spaces: Vec<SpaceDay>,
}

/// The hub's day `date` (in the hub's time zone): the hub and its spaces from the kept
/// catalogue, the taken intervals read live.
///
/// # Errors
/// `NotFound` for an unknown hub; `Db` on a database failure.
pub fn hub_day(
    conn: &mut DbConn,
    catalogue: &Catalogue,
    hub_id: &HubId,
    date: NaiveDate,
) -> Result<HubDay, ServiceError> {
    let hub = catalogue.hub(hub_id).ok_or(ServiceError::NotFound)?;
    let calendar = hub_calendar(hub)?;
    let day = local_day_bounds(date, calendar.tz);
    let taken = booking_rows::list_taken_for_hub(conn, &hub.hub.id, to_db_time(day.start()), to_db_time(day.end()))?;
    let spaces = catalogue.spaces_of(&hub.hub.id).cloned().collect();
    day_of(hub, &calendar, spaces, &taken, date)
}

/// A hub's day from what was read: its spaces and the taken intervals that meet the day (others
/// are ignored).
fn day_of(
    hub: &HubWithCalendar,
    calendar: &HubCalendar,
    spaces: Vec<Space>,
    taken: &[TakenInterval],
    date: NaiveDate,
) -> Result<HubDay, ServiceError> {
    let day = local_day_bounds(date, calendar.tz);
    let closed = calendar.closure_on(date).map(|c| c.label.clone());
    let opening = calendar.opening_slots_on(date);
    let spaces = spaces
        .into_iter()
        .map(|space| {
            let taken: Vec<Slot> = taken
                .iter()
                .filter(|t| t.space_id == space.id)
                .filter_map(|t| clip(from_db_time(t.start_at), from_db_time(t.end_at), &day))
                .collect();
            let free = if space.enabled { free_intervals(&opening, &taken) } else { Vec::new() };
            SpaceDay { space, free, taken }
        })
        .collect();
    Ok(HubDay { hub: hub.hub.clone(), date, day, closed, opening, spaces })
}

/// The part of `[start, end)` inside `day`; bookings over several days show only today's part.
fn clip(start: chrono::DateTime<chrono::Utc>, end: chrono::DateTime<chrono::Utc>, day: &Slot) -> Option<Slot> {
    Slot::new(start.max(day.start()), end.min(day.end())).ok()
}

/// A hub on the start page: today's opening intervals and how many desks are still free.
#[derive(Debug, Clone)]
pub struct HubToday {
    pub hub: Hub,
    pub operator_name: String,
    pub opening: Vec<Slot>,
    pub closed: Option<String>,
    /// Enabled desks with a free interval that has not ended yet.
    pub free_desks: usize,
}

/// Every hub's today, as of `now`: the catalogue from memory and one live statement for the
/// taken intervals of all spaces around today, however many hubs there are.
///
/// # Errors
/// On a database failure.
pub fn hubs_today(
    conn: &mut DbConn,
    catalogue: &Catalogue,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<Vec<HubToday>, ServiceError> {
    let mut spaces_of: HashMap<&HubId, Vec<Space>> = HashMap::new();
    for space in catalogue.spaces() {
        spaces_of.entry(&space.hub_id).or_default().push(space.clone());
    }
    // Today differs by time zone; one window covers every hub's today.
    let mut todays = Vec::with_capacity(catalogue.hubs().len());
    for hub in catalogue.hubs() {
        let calendar = hub_calendar(hub)?;
        let today = calendar.local_date_of(now);
        todays.push((hub, calendar, today));
    }
    let days: Vec<Slot> = todays.iter().map(|(_, calendar, today)| local_day_bounds(*today, calendar.tz)).collect();
    let taken = match (days.iter().map(Slot::start).min(), days.iter().map(Slot::end).max()) {
        (Some(start), Some(end)) => booking_rows::list_taken_of_every_space(conn, to_db_time(start), to_db_time(end))?,
        _ => Vec::new(),
    };
    let mut result = Vec::with_capacity(todays.len());
    for (hub, calendar, today) in todays {
        let spaces = spaces_of.remove(&hub.hub.id).unwrap_or_default();
        let operator_name = catalogue.operator(&hub.hub.operator_id).map(|o| o.name.clone()).unwrap_or_default();
        let day = day_of(hub, &calendar, spaces, &taken, today)?;
        let free_desks = day
            .spaces
            .iter()
            .filter(|s| s.space.kind == SpaceKind::Desk && s.space.enabled)
            .filter(|s| s.free.iter().any(|free| free.end() > now))
            .count();
        result.push(HubToday { hub: day.hub, operator_name, opening: day.opening, closed: day.closed, free_desks });
    }
    Ok(result)
}
