//! A hub manager's hold on the doors of their hub, beyond bookings: opening a door now with a
//! reason (a door command without a booking, fetched by the hub's bridge like a remote unlock),
//! disabling and enabling a door, and putting the whole hub in lockdown and lifting it.
//!
//! Every use case resolves the hub and door through the caller's [`StaffScope`](super::console::StaffScope)
//! (another hub's door is `NotFound`), makes its change, its audit entry and (for an opening) its
//! access-log entry in one write transaction, and marks the hub's access changed so that waiting
//! bridges fetch the new snapshot or command at once. The bridge enforces disabled doors and
//! lockdown from the snapshot; nothing here talks to a door.

use chrono::{DateTime, Utc};

use super::console::audit::{self, Change};
use super::console::catalog::{CatalogError, Problems, Staff};
use super::remote_unlock::COMMAND_VALIDITY;
use super::{ServiceError, from_db_time, to_db_time};
use crate::db::access::{self as access_rows, AccessEventRow};
use crate::db::catalog::{self, Door, Hub};
use crate::db::door_controls::{self as rows, StaffCommand};
use crate::db::{self, DbConn, dashboard, users};
use crate::domain::ids::{DoorId, HubId};
use crate::domain::vocabulary::CommandStatus;
use crate::service::UnitOfWork;

/// The access-log kind of a door opened by staff.
pub const STAFF_UNLOCK_KIND: &str = "staff_unlock";
/// The longest reason accepted for opening a door.
pub const MAX_REASON_CHARS: usize = 200;
/// How many of the latest staff openings the controls page lists.
const RECENT_OPENINGS: i64 = 10;

/// One door on the controls page.
#[derive(Debug, Clone)]
pub struct ControlledDoor {
    pub door: Door,
    pub disabled: bool,
    /// The last state its bridge reported (`closed`, `open`, `held_open`…), if any.
    pub state: Option<String>,
}

/// A door opened by staff, as the controls page lists it.
#[derive(Debug, Clone)]
pub struct StaffOpening {
    pub command: StaffCommand,
    pub door_name: String,
    /// Who ordered it; `None` when their account was deleted.
    pub actor_name: Option<String>,
}

/// What the controls page shows.
#[derive(Debug, Clone)]
pub struct DoorControls {
    pub hub: Hub,
    pub lockdown_since: Option<DateTime<Utc>>,
    pub doors: Vec<ControlledDoor>,
    pub openings: Vec<StaffOpening>,
}

/// The hub's doors with their switches, its lockdown and the latest staff openings.
///
/// # Errors
/// `NotFound` outside the caller's scope; on a database error.
pub fn overview(conn: &mut DbConn, staff: Staff<'_>, hub: &str) -> Result<DoorControls, ServiceError> {
    let hub = staff.scope.hub(conn, hub)?;
    let lockdown_since = rows::lockdown_since(conn, &hub.id)?.map(from_db_time);
    let disabled = rows::disabled_doors(conn, &hub.id)?;
    let doors: Vec<Door> = catalog::list_doors(conn, &hub.id)?.into_iter().map(|(door, _)| door).collect();
    let door_ids: Vec<DoorId> = doors.iter().map(|d| d.id.clone()).collect();
    let states = dashboard::door_states_of(conn, &door_ids)?;
    let openings = rows::recent_staff_commands(conn, &hub.id, RECENT_OPENINGS)?
        .into_iter()
        .map(|(command, actor_name)| StaffOpening {
            door_name: doors.iter().find(|d| d.id == command.door_id).map(|d| d.name.clone()).unwrap_or_default(),
            command,
            actor_name,
        })
        .collect();
    let doors = doors
        .into_iter()
        .map(|door| ControlledDoor {
            disabled: disabled.contains(&door.id),
            state: states.iter().find(|(id, _, _)| *id == door.id).map(|(_, s, _)| s.clone()),
            door,
        })
        .collect();
    Ok(DoorControls { hub, lockdown_since, doors, openings })
}

/// Since when the hub is in lockdown, for the banner of the console's pages.
///
/// # Errors
/// On a database error.
pub fn lockdown_since(conn: &mut DbConn, hub_id: &HubId) -> Result<Option<DateTime<Utc>>, ServiceError> {
    Ok(rows::lockdown_since(conn, hub_id)?.map(from_db_time))
}

/// Whether the hub is in lockdown (since when) and which of its doors are disabled, for the
/// demo's door pages, which show them to anyone (only `regiohub demo` registers those pages).
///
/// # Errors
/// On a database error.
pub fn door_status(conn: &mut DbConn, hub_id: &HubId) -> Result<(Option<DateTime<Utc>>, Vec<DoorId>), ServiceError> {
    Ok((lockdown_since(conn, hub_id)?, rows::disabled_doors(conn, hub_id)?))
}

/// The hub (in the scope) and one of its doors.
fn door_of_hub(conn: &mut DbConn, staff: Staff<'_>, hub: &str, door_id: &DoorId) -> Result<(Hub, Door), ServiceError> {
    let hub = staff.scope.hub(conn, hub)?;
    let door = catalog::list_doors(conn, &hub.id)?
        .into_iter()
        .map(|(door, _)| door)
        .find(|door| door.id == *door_id)
        .ok_or(ServiceError::NotFound)?;
    Ok((hub, door))
}

/// Orders the door opened now: a command without a booking, with `reason`, that the hub's
/// bridge fetches within [`COMMAND_VALIDITY`] or never. The access log gets a `staff_unlock`
/// entry naming who and why; the bridge's result follows as its own entry.
///
/// # Errors
/// `NotFound` outside the scope or for another hub's door; `Invalid` for a missing or long
/// reason (`reason`), a disabled door or a hub in lockdown (`door`), where the bridge would
/// refuse it anyway.
pub fn open_door(
    tx: &mut UnitOfWork<'_>,
    staff: Staff<'_>,
    hub: &str,
    door_id: &DoorId,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<StaffCommand, CatalogError> {
    tx.write_transaction(|tx| {
        let (hub, door) = door_of_hub(tx, staff, hub, door_id)?;
        let reason = reason.trim();
        let mut problems = Problems::default();
        if reason.is_empty() {
            problems.add("reason", "reason-required");
        } else if reason.chars().count() > MAX_REASON_CHARS {
            problems.add("reason", "reason-too-long");
        }
        if rows::disabled_doors(tx, &hub.id)?.contains(&door.id) {
            problems.add("door", "door-disabled");
        } else if rows::lockdown_since(tx, &hub.id)?.is_some() {
            problems.add("door", "hub-lockdown");
        }
        problems.finish()?;
        let actor = users::find_user(tx, staff.user_id)?.map(|u| u.name).unwrap_or_default();
        let command = StaffCommand {
            id: db::new_id(),
            hub_id: hub.id.clone(),
            door_id: door.id.clone(),
            booking_id: None,
            requested_by: Some(staff.user_id.clone()),
            status: CommandStatus::Requested,
            requested_at: to_db_time(now),
            deadline: to_db_time(now + COMMAND_VALIDITY),
            updated_at: to_db_time(now),
            reason: Some(reason.to_owned()),
        };
        rows::insert_staff_command(tx, &command)?;
        access_rows::insert_access_event(
            tx,
            &AccessEventRow {
                id: db::new_id(),
                hub_id: hub.id.clone(),
                door_id: Some(door.id.clone()),
                booking_id: None,
                kind: STAFF_UNLOCK_KIND.to_owned(),
                reason: Some(format!("{actor}: {reason}")),
                offline: false,
                occurred_at: to_db_time(now),
                received_at: to_db_time(now),
            },
        )?;
        let change = Change {
            actor_id: staff.user_id,
            hub_id: Some(&hub.id),
            action: "door_opened_by_staff",
            subject: &door.name,
            details: format!("reason: {reason:?}"),
        };
        audit::record(tx, change, now)?;
        tx.access_changed(&hub.id);
        tracing::info!(command.id = %command.id, door.id = %door.id, hub.id = %hub.id, "door opening ordered by staff");
        Ok(command)
    })
}

/// Disables (`true`) or enables a door; the hub's bridge refuses every credential at a
/// disabled door from its next snapshot on. Switching to the state it is in changes nothing.
///
/// # Errors
/// `NotFound` outside the scope or for another hub's door; on a database error.
pub fn set_door_disabled(
    tx: &mut UnitOfWork<'_>,
    staff: Staff<'_>,
    hub: &str,
    door_id: &DoorId,
    disabled: bool,
    now: DateTime<Utc>,
) -> Result<Door, ServiceError> {
    tx.write_transaction(|tx| {
        let (hub, door) = door_of_hub(tx, staff, hub, door_id)?;
        if rows::set_door_disabled(tx, &door.id, disabled)? {
            let action = if disabled { "door_disabled" } else { "door_enabled" };
            let change = Change {
                actor_id: staff.user_id,
                hub_id: Some(&hub.id),
                action,
                subject: &door.name,
                details: String::new(),
            };
            audit::record(tx, change, now)?;
            tx.access_changed(&hub.id);
            tracing::info!(door.id = %door.id, hub.id = %hub.id, disabled, "door switched by staff");
        }
        Ok(door)
    })
}

/// Puts the hub in lockdown (`true`) or lifts it: in lockdown every door of the hub refuses
/// everything but the bridge's maintenance credentials and no booking is released as a no-show;
/// after the lift the no-show window starts no earlier than `now`. Switching to the state it is
/// in changes nothing (a lockdown keeps its start).
///
/// # Errors
/// `NotFound` outside the scope; on a database error.
pub fn set_lockdown(
    tx: &mut UnitOfWork<'_>,
    staff: Staff<'_>,
    hub: &str,
    lockdown: bool,
    now: DateTime<Utc>,
) -> Result<Hub, ServiceError> {
    tx.write_transaction(|tx| {
        let hub = staff.scope.hub(tx, hub)?;
        if rows::set_lockdown(tx, &hub.id, lockdown, to_db_time(now))? {
            let action = if lockdown { "lockdown_started" } else { "lockdown_lifted" };
            let change = Change {
                actor_id: staff.user_id,
                hub_id: Some(&hub.id),
                action,
                subject: &hub.name,
                details: String::new(),
            };
            audit::record(tx, change, now)?;
            tx.access_changed(&hub.id);
            tracing::warn!(hub.id = %hub.id, lockdown, "hub lockdown switched by staff");
        }
        // Open dashboards show (or drop) the lockdown banner at once.
        tx.dashboard_changed(&hub.id);
        Ok(hub)
    })
}
