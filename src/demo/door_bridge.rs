//! Service level: the demo's door bridge: puts a hub's doors on one bridge named
//! [`DEMO_BRIDGE_NAME`] with stable Modbus unit ids (the entrance 1, the other doors 2, 3 … by
//! name), and hands `regiohub demo` the hub's door layout with a fresh token for its in-process
//! bridge. The wiring of that bridge lives in `super::door_loop`.

use chrono::{DateTime, Utc};

use crate::db::access::{self as rows, Bridge};
use crate::db::catalog::{self, Door};
use crate::db::{self, DbConn};
use crate::domain::ids::{DoorId, HubId, SpaceId};
use crate::service::ErrorCode;
use crate::service::ServiceError;
use crate::service::bridge_link::{create_bridge, rotate_bridge_token};
use crate::service::console::catalog::doors::UNIT_ID_RANGE;

/// The hub whose doors the demo runs with a bridge and simulated devices.
pub const DEMO_DOOR_HUB: &str = "polch";

/// The name of the bridge `regiohub demo` runs in process.
pub const DEMO_BRIDGE_NAME: &str = "Demo-Bridge";

/// A door of the demo bridge as the bridge configuration and the keypad pages need it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoDoor {
    pub id: DoorId,
    pub name: String,
    /// The door controller's unit id on the bridge's Modbus server.
    pub unit_id: u8,
    pub entrance: bool,
}

/// A space of the hub; each gets a simulated presence sensor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoSpace {
    pub id: SpaceId,
    pub name: String,
}

/// One hub's doors (by unit id) and spaces (by name), for its in-process bridge.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoHubLayout {
    pub hub_id: HubId,
    pub slug: String,
    pub name: String,
    /// The hub's zone, for the times the keypad page shows.
    pub time_zone: chrono_tz::Tz,
    pub doors: Vec<DemoDoor>,
    pub spaces: Vec<DemoSpace>,
}

/// The hub's door layout and a new token for its demo bridge, which is created (and given the
/// doors) if need be. The previous token stops working; only the new one's hash is stored.
///
/// # Errors
/// `NotFound` for an unknown hub; `Invalid` when the hub has more doors than unit ids; on a
/// database failure nothing changes.
pub fn demo_bridge_link(
    conn: &mut DbConn,
    hub: &str,
    now: DateTime<Utc>,
) -> Result<(DemoHubLayout, String), ServiceError> {
    db::write_transaction(conn, |conn| {
        let bridge = attach_demo_bridge(conn, hub, now)?;
        let token = rotate_bridge_token(conn, &bridge.id, now)?;
        let hub = catalog::find_hub_by_id(conn, &bridge.hub_id)?.ok_or(ServiceError::NotFound)?;
        let mut doors: Vec<DemoDoor> = catalog::list_doors(conn, &hub.id)?
            .into_iter()
            .filter_map(|(door, _)| {
                let unit_id = u8::try_from(door.modbus_unit_id?).ok()?;
                (door.bridge_id.as_deref() == Some(bridge.id.as_str())).then_some(DemoDoor {
                    id: door.id,
                    name: door.name,
                    unit_id,
                    entrance: door.is_entrance,
                })
            })
            .collect();
        doors.sort_by_key(|door| door.unit_id);
        let spaces = catalog::list_spaces(conn, &hub.id)?
            .into_iter()
            .map(|space| DemoSpace { id: space.id, name: space.name })
            .collect();
        let time_zone = hub.zone();
        Ok((DemoHubLayout { hub_id: hub.id, slug: hub.slug, name: hub.name, time_zone, doors, spaces }, token))
    })
}

/// Creates the hub's demo bridge unless it exists and gives each door of the hub that is on no
/// bridge yet the lowest free unit id: the entrance first, then the others by name. Ids given
/// before stay, so a controller set up against the demo keeps working after a restart.
///
/// # Errors
/// `NotFound` for an unknown hub; `Invalid` when no unit id is left; on a database failure.
fn attach_demo_bridge(conn: &mut DbConn, hub: &str, now: DateTime<Utc>) -> Result<Bridge, ServiceError> {
    db::write_transaction(conn, |conn| {
        let hub = catalog::find_hub(conn, hub)?.ok_or(ServiceError::NotFound)?;
        let bridge = match rows::find_bridge_named(conn, &hub.id, DEMO_BRIDGE_NAME)? {
            Some(bridge) => bridge,
            None => create_bridge(conn, &hub.id, DEMO_BRIDGE_NAME, now)?.0,
        };
        let mut doors: Vec<Door> = catalog::list_doors(conn, &hub.id)?.into_iter().map(|(door, _)| door).collect();
        // Entrances first; the sort is stable, so the rest keep their order by name.
        doors.sort_by_key(|door| !door.is_entrance);
        let ours = |door: &Door| door.bridge_id.as_deref() == Some(bridge.id.as_str());
        let mut taken: Vec<i32> =
            doors.iter().filter(|door| ours(door)).filter_map(|door| door.modbus_unit_id).collect();
        let unplaced =
            doors.iter().filter(|door| door.bridge_id.is_none() || (ours(door) && door.modbus_unit_id.is_none()));
        for door in unplaced {
            let (first, last) = UNIT_ID_RANGE;
            let unit_id = (first..=last).find(|id| !taken.contains(id)).ok_or_else(|| ServiceError::Invalid {
                field: "doors",
                code: ErrorCode::TooManyDoors,
                message: format!("a bridge serves at most {last} door controllers"),
            })?;
            catalog::set_door_bridge(conn, &door.id, Some(&bridge.id), Some(unit_id))?;
            taken.push(unit_id);
        }
        Ok(bridge)
    })
}
