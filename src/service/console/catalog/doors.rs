//! A hub's doors: name, entrance or not, the spaces each leads to, and the bridge and Modbus
//! unit id its controller answers at. Every change wakes the hub's bridges, whose snapshot lists
//! the doors. Spaces and bridges named in a form must be this hub's, or the answer is `NotFound`.

use chrono::{DateTime, Utc};

use super::rules::{self, checkbox, optional_number};
use super::{CatalogError, Problems, Staff, changed_fields, chosen_bridge, record, space_of_hub};
use crate::db::access::Bridge;
use crate::db::catalog::{self, Door, Hub, Space};
use crate::db::catalog_admin::{self, DoorChanges};
use crate::db::{self, DbConn, dashboard};
use crate::domain::ids::{DoorId, SpaceId};
use crate::service::UnitOfWork;
use crate::service::{ServiceError, to_db_time};

/// The lowest and highest Modbus unit id.
pub const UNIT_ID_RANGE: (i32, i32) = (1, 247);

/// A door's form as typed. `space_ids` are the ticked spaces; an empty `bridge_id` is none.
#[derive(Debug, Clone, Default)]
pub struct DoorInput {
    pub name: String,
    pub is_entrance: Option<String>,
    pub space_ids: Vec<SpaceId>,
    pub bridge_id: String,
    pub modbus_unit_id: String,
}

impl DoorInput {
    pub fn of(door: &Door, space_ids: &[SpaceId]) -> DoorInput {
        DoorInput {
            name: door.name.clone(),
            is_entrance: door.is_entrance.then(|| "on".to_owned()),
            space_ids: space_ids.to_vec(),
            bridge_id: door.bridge_id.clone().unwrap_or_default(),
            modbus_unit_id: door.modbus_unit_id.map(|u| u.to_string()).unwrap_or_default(),
        }
    }
}

/// A door with the spaces it leads to and its last reported state.
#[derive(Debug, Clone)]
pub struct DoorLine {
    pub door: Door,
    pub space_ids: Vec<SpaceId>,
    pub state: Option<String>,
    /// A manager disabled the door (door controls): it refuses everything.
    pub disabled: bool,
}

/// What the door pages show and choose from.
#[derive(Debug, Clone)]
pub struct DoorsOfHub {
    pub hub: Hub,
    pub doors: Vec<DoorLine>,
    pub spaces: Vec<Space>,
    pub bridges: Vec<Bridge>,
}

/// The hub's doors with their states, spaces and bridges.
///
/// # Errors
/// `NotFound` outside the caller's scope.
pub fn list(conn: &mut DbConn, staff: Staff<'_>, hub: &str) -> Result<DoorsOfHub, ServiceError> {
    let hub = staff.scope.hub(conn, hub)?;
    let doors = catalog::list_doors(conn, &hub.id)?;
    let door_ids: Vec<DoorId> = doors.iter().map(|(door, _)| door.id.clone()).collect();
    let states = dashboard::door_states_of(conn, &door_ids)?;
    let disabled = crate::db::door_controls::disabled_doors(conn, &hub.id)?;
    let doors = doors
        .into_iter()
        .map(|(door, space_ids)| {
            let state = states.iter().find(|(id, _, _)| *id == door.id).map(|(_, s, _)| s.clone());
            DoorLine { disabled: disabled.contains(&door.id), door, space_ids, state }
        })
        .collect();
    let spaces = catalog::list_spaces(conn, &hub.id)?;
    let bridges = catalog_admin::list_bridges(conn, &hub.id)?;
    Ok(DoorsOfHub { hub, doors, spaces, bridges })
}

/// The hub's doors page data and one of its doors.
///
/// # Errors
/// `NotFound` outside the caller's scope or for another hub's door.
pub fn find(
    conn: &mut DbConn,
    staff: Staff<'_>,
    hub: &str,
    door_id: &DoorId,
) -> Result<(DoorsOfHub, DoorLine), ServiceError> {
    let of_hub = list(conn, staff, hub)?;
    // The list holds only this hub's doors: another hub's door is simply not in it.
    let line = of_hub.doors.iter().find(|l| l.door.id == *door_id).cloned().ok_or(ServiceError::NotFound)?;
    Ok((of_hub, line))
}

/// The checked form.
struct DoorValues {
    name: String,
    is_entrance: bool,
    space_ids: Vec<SpaceId>,
    bridge: Option<Bridge>,
    unit_id: Option<i32>,
}

/// Reads the form: ids of other hubs' spaces or bridges are `NotFound` before anything else.
fn read(
    conn: &mut DbConn,
    staff: Staff<'_>,
    hub: &Hub,
    input: &DoorInput,
    door_id: Option<&DoorId>,
) -> Result<DoorValues, CatalogError> {
    let mut space_ids = Vec::new();
    for space_id in &input.space_ids {
        let space_id = space_of_hub(conn, staff, hub, space_id)?.id;
        if !space_ids.contains(&space_id) {
            space_ids.push(space_id);
        }
    }
    let bridge = chosen_bridge(conn, staff, hub, &input.bridge_id)?;
    let mut problems = Problems::default();
    let name = problems.take("name", rules::name(&input.name, 100));
    let unit_id =
        problems.take("modbus_unit_id", optional_number(&input.modbus_unit_id, UNIT_ID_RANGE.0, UNIT_ID_RANGE.1));
    match (&bridge, unit_id.flatten()) {
        (None, Some(_)) => problems.add("modbus_unit_id", "unit-needs-bridge"),
        (Some(bridge), Some(unit)) if catalog_admin::unit_id_taken(conn, &bridge.id, unit, door_id)? => {
            problems.add("modbus_unit_id", "unit-taken");
        }
        _ => {}
    }
    problems.finish()?;
    Ok(DoorValues {
        name: name.unwrap_or_default(),
        is_entrance: checkbox(input.is_entrance.as_deref()),
        space_ids,
        bridge,
        unit_id: unit_id.flatten(),
    })
}

/// Adds a door.
///
/// # Errors
/// `NotFound` outside the caller's scope or for another hub's space or bridge; `Invalid` with
/// the form's problems.
pub fn create(
    tx: &mut UnitOfWork<'_>,
    staff: Staff<'_>,
    hub: &str,
    input: &DoorInput,
    now: DateTime<Utc>,
) -> Result<Door, CatalogError> {
    let of_hub = list(tx, staff, hub)?;
    tx.write_transaction(|tx| {
        let values = read(tx, staff, &of_hub.hub, input, None)?;
        let door = Door {
            id: DoorId::from(db::new_id()),
            hub_id: of_hub.hub.id.clone(),
            name: values.name.clone(),
            is_entrance: values.is_entrance,
            created_at: to_db_time(now),
            bridge_id: values.bridge.as_ref().map(|b| b.id.clone()),
            modbus_unit_id: values.unit_id,
        };
        catalog::insert_door(tx, &door, &values.space_ids)?;
        tx.access_changed(&of_hub.hub.id);
        let details = labelled(describe(&of_hub, &values.space_ids, &door));
        record(tx, staff, &of_hub.hub, &door.name, "door_created", details, now)?;
        Ok(door)
    })
}

/// Changes a door and the spaces it leads to.
///
/// # Errors
/// `NotFound` outside the caller's scope or for another hub's door, space or bridge; `Invalid`
/// with the form's problems.
pub fn update(
    tx: &mut UnitOfWork<'_>,
    staff: Staff<'_>,
    hub: &str,
    door_id: &DoorId,
    input: &DoorInput,
    now: DateTime<Utc>,
) -> Result<Door, CatalogError> {
    let (of_hub, before) = find(tx, staff, hub, door_id)?;
    tx.write_transaction(|tx| {
        let values = read(tx, staff, &of_hub.hub, input, Some(&before.door.id))?;
        let changes = DoorChanges {
            name: &values.name,
            is_entrance: values.is_entrance,
            bridge_id: values.bridge.as_ref().map(|b| b.id.as_str()),
            modbus_unit_id: values.unit_id,
        };
        catalog_admin::update_door(tx, &before.door.id, &changes, &values.space_ids)?;
        tx.access_changed(&of_hub.hub.id);
        let after = Door {
            name: values.name.clone(),
            is_entrance: values.is_entrance,
            bridge_id: values.bridge.as_ref().map(|b| b.id.clone()),
            modbus_unit_id: values.unit_id,
            ..before.door.clone()
        };
        let old = describe(&of_hub, &before.space_ids, &before.door);
        let new = describe(&of_hub, &values.space_ids, &after);
        let fields: Vec<(&str, String, String)> =
            DESCRIBED.iter().zip(old.into_iter().zip(new)).map(|(name, (o, n))| (*name, o, n)).collect();
        record(tx, staff, &of_hub.hub, &after.name, "door_updated", changed_fields(&fields), now)?;
        Ok(after)
    })
}

/// Removes a door. Its access log entries stay, without the door.
///
/// # Errors
/// `NotFound` outside the caller's scope or for another hub's door.
pub fn remove(
    tx: &mut UnitOfWork<'_>,
    staff: Staff<'_>,
    hub: &str,
    door_id: &DoorId,
    now: DateTime<Utc>,
) -> Result<Door, ServiceError> {
    let (of_hub, line) = find(tx, staff, hub, door_id)?;
    tx.write_transaction(|tx| {
        catalog_admin::delete_door(tx, &line.door.id)?;
        tx.access_changed(&of_hub.hub.id);
        let details = labelled(describe(&of_hub, &line.space_ids, &line.door));
        record(tx, staff, &of_hub.hub, &line.door.name, "door_removed", details, now)
    })?;
    Ok(line.door)
}

/// The names of the fields [`describe`] gives, in its order.
const DESCRIBED: [&str; 5] = ["name", "entrance", "spaces", "bridge", "unit_id"];

/// A door's settings as audit texts, in the order of [`DESCRIBED`].
fn describe(of_hub: &DoorsOfHub, space_ids: &[SpaceId], door: &Door) -> [String; 5] {
    let mut spaces: Vec<&str> =
        of_hub.spaces.iter().filter(|s| space_ids.contains(&s.id)).map(|s| s.name.as_str()).collect();
    spaces.sort_unstable();
    let bridge = door
        .bridge_id
        .as_ref()
        .map(|id| of_hub.bridges.iter().find(|b| &b.id == id).map_or(id.clone(), |b| b.name.clone()))
        .unwrap_or_else(|| "none".to_owned());
    [
        door.name.clone(),
        door.is_entrance.to_string(),
        spaces.join(", "),
        bridge,
        door.modbus_unit_id.map_or_else(|| "none".to_owned(), |u| u.to_string()),
    ]
}

/// "name: Eingang; entrance: true; …" for a door created or removed.
fn labelled(values: [String; 5]) -> String {
    DESCRIBED.iter().zip(values).map(|(name, value)| format!("{name}: {value}")).collect::<Vec<_>>().join("; ")
}
