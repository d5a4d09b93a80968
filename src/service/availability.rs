//! What is free and what is taken at a hub on one local day. A taken interval never says who
//! booked it.

use chrono::NaiveDate;

use super::calendar::hub_calendar;
use super::{ServiceError, from_db_time, to_db_time};
use crate::db::DbConn;
use crate::db::bookings as booking_rows;
use crate::db::catalog::{self, Hub, Space};
use crate::domain::calendar::free_intervals;
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

/// The hub's day `date` (in the hub's time zone).
///
/// # Errors
/// `NotFound` for an unknown hub; `Db` on a database failure.
pub fn hub_day(conn: &mut DbConn, hub_id: &HubId, date: NaiveDate) -> Result<HubDay, ServiceError> {
    let hub = catalog::find_hub_with_calendar(conn, hub_id)?.ok_or(ServiceError::NotFound)?;
    let calendar = hub_calendar(&hub)?;
    let day = local_day_bounds(date, calendar.tz);
    let closed = calendar.closure_on(date).map(|c| c.label.clone());
    let opening = calendar.opening_slots_on(date);
    let taken_rows =
        booking_rows::list_taken_for_hub(conn, &hub.hub.id, to_db_time(day.start()), to_db_time(day.end()))?;
    let spaces = catalog::list_spaces(conn, &hub.hub.id)?
        .into_iter()
        .map(|space| {
            let taken: Vec<Slot> = taken_rows
                .iter()
                .filter(|t| t.space_id == space.id)
                .filter_map(|t| clip(from_db_time(t.start_at), from_db_time(t.end_at), &day))
                .collect();
            let free = if space.enabled { free_intervals(&opening, &taken) } else { Vec::new() };
            SpaceDay { space, free, taken }
        })
        .collect();
    Ok(HubDay { hub: hub.hub, date, day, closed, opening, spaces })
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

/// Every hub's today, as of `now`.
///
/// # Errors
/// On a database failure.
pub fn hubs_today(conn: &mut DbConn, now: chrono::DateTime<chrono::Utc>) -> Result<Vec<HubToday>, ServiceError> {
    let hubs = catalog::list_hubs(conn)?;
    let mut result = Vec::with_capacity(hubs.len());
    for hub in hubs {
        let calendar = match catalog::find_hub_with_calendar(conn, &hub.id)? {
            Some(with_calendar) => hub_calendar(&with_calendar)?,
            None => continue,
        };
        let today = calendar.local_date_of(now);
        let day = hub_day(conn, &hub.id, today)?;
        let free_desks = day
            .spaces
            .iter()
            .filter(|s| s.space.kind == SpaceKind::Desk && s.space.enabled)
            .filter(|s| s.free.iter().any(|free| free.end() > now))
            .count();
        let operator_name = catalog::find_operator(conn, &hub.operator_id)?.map(|o| o.name).unwrap_or_default();
        result.push(HubToday { hub, operator_name, opening: day.opening, closed: day.closed, free_desks });
    }
    Ok(result)
}
