//! A hub's state now for the live dashboard (spaces, doors, open alarms, today's bookings) and
//! acknowledging an alarm. Every call resolves the hub through the staff scope first.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use serde::Deserialize;
use serde::de::IntoDeserializer;

use super::occupancy::{self, HeldSlot, Presence, SpaceState};
use crate::db::access::AlarmRow;
use crate::db::catalog::{self, Door, Hub, Space};
use crate::db::dashboard::{self as rows, BookingWithBooker};
use crate::db::{DbConn, users};
use crate::domain::ids::{DoorId, SpaceId, UserId};
use crate::domain::local_time::local_day_bounds;
use crate::domain::vocabulary::{BookingStatus, UserStatus};
use crate::service::UnitOfWork;
use crate::service::bridge_link::wire::{self, DoorStateKind};
use crate::service::console::StaffScope;
use crate::service::console::audit::{self, Change};
use crate::service::console::catalog::sensors;
use crate::service::{ServiceError, from_db_time, to_db_time};

/// The statuses that hold a space for the dashboard (pending ones open no door).
const HOLDING: [&str; 2] = ["confirmed", "checked_in"];
/// The statuses listed in today's bookings (cancelled ones are gone).
const LISTED_TODAY: [&str; 5] = ["pending", "confirmed", "checked_in", "completed", "no_show"];

/// One space now.
#[derive(Debug, Clone)]
pub struct SpaceNow {
    pub space: Space,
    pub state: SpaceState,
    pub presence: Presence,
    /// When the latest reading (fresh or not) was observed.
    pub presence_at: Option<DateTime<Utc>>,
    /// Who holds the space now, or next today.
    pub booker: Option<String>,
}

/// One door now.
#[derive(Debug, Clone)]
pub struct DoorNow {
    pub door: Door,
    /// `closed`, `open`, `held_open` or `unknown` (also when never reported).
    pub state: &'static str,
    pub since: Option<DateTime<Utc>>,
}

/// An alarm not cleared yet.
#[derive(Debug, Clone)]
pub struct OpenAlarm {
    pub alarm: AlarmRow,
    pub door_name: Option<String>,
    /// Who acknowledged it, when someone did (`None` inside also for a deleted account).
    pub acknowledged: Option<(Option<String>, DateTime<Utc>)>,
}

/// One of today's bookings.
#[derive(Debug, Clone)]
pub struct TodayBooking {
    pub space_name: String,
    pub booking: BookingWithBooker,
}

/// The hub's state at `now`.
#[derive(Debug, Clone)]
pub struct Dashboard {
    pub hub: Hub,
    pub now: DateTime<Utc>,
    pub spaces: Vec<SpaceNow>,
    pub doors: Vec<DoorNow>,
    pub alarms: Vec<OpenAlarm>,
    pub today: Vec<TodayBooking>,
    /// Since when the hub is in lockdown, while it is (a banner above everything).
    pub lockdown_since: Option<DateTime<Utc>>,
}

/// The dashboard of the hub (slug or id) if `scope` runs it.
///
/// # Errors
/// `NotFound` outside the scope; on a database error.
pub fn dashboard(
    conn: &mut DbConn,
    scope: &StaffScope,
    hub: &str,
    now: DateTime<Utc>,
) -> Result<Dashboard, ServiceError> {
    let hub = scope.hub(conn, hub)?;
    let tz = hub.zone();
    let today = local_day_bounds(now.with_timezone(&tz).date_naive(), tz);
    let (day_start, day_end) = (to_db_time(today.start()), to_db_time(today.end()));
    let now_db = to_db_time(now);
    // One query for both lists: the bookings holding a space from now on (which may have begun
    // before today) and today's bookings. Every holding status is listed today, and a booking
    // that ends after now ends after the day's start.
    let bookings = rows::hub_bookings_between(conn, &hub.id, &LISTED_TODAY, day_start, day_end)?;
    let held: Vec<&BookingWithBooker> =
        bookings.iter().filter(|b| HOLDING.contains(&b.booking.status.as_str()) && b.booking.end_at > now_db).collect();
    let mut all_spaces = catalog::list_spaces(conn, &hub.id)?;
    // The order the day view and the spaces list show them in.
    all_spaces.sort_by(crate::service::console::catalog::spaces::display_order);
    // The sensors page lists the same sensors: one source for both.
    let mut latest: HashMap<SpaceId, (String, DateTime<Utc>)> = sensors::hub_sensors(conn, &hub.id, &all_spaces)?
        .into_iter()
        .filter_map(|sensor| Some((sensor.space?.id, sensor.latest?)))
        .collect();
    let mut spaces = Vec::new();
    for space in all_spaces {
        let mine: Vec<&BookingWithBooker> = held.iter().filter(|b| b.booking.space_id == space.id).copied().collect();
        let slots: Vec<HeldSlot> = mine
            .iter()
            .map(|b| HeldSlot {
                start: from_db_time(b.booking.start_at),
                end: from_db_time(b.booking.end_at),
                checked_in: b.booking.status == BookingStatus::CheckedIn,
            })
            .collect();
        let latest = latest.remove(&space.id);
        let presence = occupancy::presence_now(latest.as_ref().map(|(p, at)| (p.as_str(), *at)), now);
        let state = occupancy::space_state(space.enabled, &slots, presence, now);
        let booker = match state {
            SpaceState::Booked { .. } | SpaceState::CheckedIn | SpaceState::NoShowRisk => {
                mine.first().map(|b| b.booker.clone().unwrap_or_default())
            }
            _ => None,
        };
        spaces.push(SpaceNow { presence_at: latest.map(|(_, at)| at), space, state, presence, booker });
    }
    let doors = doors_now(conn, &hub)?;
    let alarms = rows::open_alarms(conn, &hub.id)?
        .into_iter()
        .map(|(alarm, acknowledger)| OpenAlarm {
            door_name: alarm
                .door_id
                .as_ref()
                .and_then(|id| doors.iter().find(|d| &d.door.id == id))
                .map(|d| d.door.name.clone()),
            acknowledged: alarm.acknowledged_at.map(|at| (acknowledger, from_db_time(at))),
            alarm,
        })
        .collect();
    let today = bookings
        .into_iter()
        .filter(|b| b.booking.start_at >= day_start)
        .map(|booking| TodayBooking {
            space_name: spaces
                .iter()
                .find(|s| s.space.id == booking.booking.space_id)
                .map(|s| s.space.name.clone())
                .unwrap_or_default(),
            booking,
        })
        .collect();
    let lockdown_since = crate::service::door_controls::lockdown_since(conn, &hub.id)?;
    Ok(Dashboard { hub, now, spaces, doors, alarms, today, lockdown_since })
}

fn doors_now(conn: &mut DbConn, hub: &Hub) -> Result<Vec<DoorNow>, ServiceError> {
    let doors: Vec<Door> = catalog::list_doors(conn, &hub.id)?.into_iter().map(|(door, _)| door).collect();
    let ids: Vec<DoorId> = doors.iter().map(|d| d.id.clone()).collect();
    let states = rows::door_states_of(conn, &ids)?;
    Ok(doors
        .into_iter()
        .map(|door| {
            let known = states.iter().find(|(id, _, _)| *id == door.id);
            let state = known.and_then(|(_, state, _)| door_state(state)).unwrap_or("unknown");
            DoorNow { since: known.map(|(_, _, at)| from_db_time(*at)), door, state }
        })
        .collect())
}

/// A stored door state in the bridge protocol's spelling, or `None` for a word the protocol
/// does not know. Read through the protocol's own type, so a state it adds is known here too.
pub fn door_state(stored: &str) -> Option<&'static str> {
    let parsed: Result<DoorStateKind, serde::de::value::Error> = DoorStateKind::deserialize(stored.into_deserializer());
    parsed.ok().map(wire::door_state_str)
}

/// The dashboard as the member of staff `user_id` may see it now: their account and scope are
/// read afresh, so a long-lived live stream stops as soon as they are blocked or no longer run
/// the hub (a logout ends it at the latest when the stream ends and the browser reconnects).
///
/// # Errors
/// `NotFound` when they are no longer active staff or do not run the hub; on a database error.
pub fn dashboard_for(
    conn: &mut DbConn,
    user_id: &UserId,
    hub: &str,
    now: DateTime<Utc>,
) -> Result<Dashboard, ServiceError> {
    let active = users::find_user(conn, user_id)?.is_some_and(|u| u.status == UserStatus::Active);
    if !active {
        return Err(ServiceError::NotFound);
    }
    let scope = StaffScope::of_user(conn, user_id)?.ok_or(ServiceError::NotFound)?;
    dashboard(conn, &scope, hub, now)
}

/// Marks the hub's alarm acknowledged by `actor_id` (once; acknowledging again changes
/// nothing) and records it in the audit trail; returns the hub.
///
/// # Errors
/// `NotFound` for a hub outside the scope or an alarm of another hub; on a database error
/// nothing changes.
pub fn acknowledge_alarm(
    tx: &mut UnitOfWork<'_>,
    scope: &StaffScope,
    actor_id: &UserId,
    hub: &str,
    alarm_id: &str,
    now: DateTime<Utc>,
) -> Result<Hub, ServiceError> {
    tx.write_transaction(|tx| {
        let hub = scope.hub(tx, hub)?;
        let alarm = rows::find_alarm(tx, alarm_id)?.ok_or(ServiceError::NotFound)?;
        scope.require_in(&alarm.hub_id, &hub)?;
        if rows::acknowledge_alarm(tx, &alarm.id, actor_id, to_db_time(now))? {
            let door = match &alarm.door_id {
                Some(door_id) => catalog::list_doors(tx, &hub.id)?
                    .into_iter()
                    .find(|(door, _)| &door.id == door_id)
                    .map(|(door, _)| door.name),
                None => None,
            };
            let subject = door.unwrap_or_else(|| hub.name.clone());
            audit::record(
                tx,
                Change {
                    actor_id,
                    hub_id: Some(&hub.id),
                    action: "alarm_acknowledged",
                    subject: &subject,
                    details: format!("{} alarm raised {} UTC", alarm.kind, alarm.raised_at.format("%Y-%m-%d %H:%M")),
                },
                now,
            )?;
            tracing::info!(alarm.id = %alarm.id, hub.id = %hub.id, "alarm acknowledged");
        }
        // Every open dashboard of the hub drops the alarm, also one still showing it after a
        // second acknowledgement.
        tx.dashboard_changed(&hub.id);
        Ok(hub)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn door_states_are_read_in_the_protocols_spelling() {
        for kind in [DoorStateKind::Closed, DoorStateKind::Open, DoorStateKind::HeldOpen, DoorStateKind::Unknown] {
            let stored = wire::door_state_str(kind);
            assert_eq!(door_state(stored), Some(stored));
        }
        assert_eq!(door_state("ajar"), None);
        assert_eq!(door_state("Held_Open"), None);
        assert_eq!(door_state(""), None);
    }
}
