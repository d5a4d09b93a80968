//! A hub's presence sensors: which space each watches and which bridge reads it. The bridge's
//! own configuration names a sensor by the space it watches (`[[presence]] space = "<space id>"`)
//! and allows one sensor per space, so the console does too.
//!
//! [`hub_sensors`] is the one answer to "which sensors does this hub have": the registered ones
//! and every space whose presence the hub's bridge reports, each with its latest reading. The
//! dashboard and the sensors page both read it, so one never shows sensors the other denies.

use chrono::{DateTime, Utc};

use crate::db::dashboard;
use crate::domain::ids::{HubId, SpaceId};
use crate::service::UnitOfWork;

use super::rules::required_text;
use super::{CatalogError, Problems, Staff, changed_fields, chosen_bridge, record, space_of_hub};
use crate::db::access::Bridge;
use crate::db::catalog::{self, Hub, Space};
use crate::db::catalog_admin::{self, Sensor, SensorChanges};
use crate::db::{self, DbConn};
use crate::service::{ServiceError, from_db_time, to_db_time};

/// A sensor's form as typed; an empty `bridge_id` is none.
#[derive(Debug, Clone, Default)]
pub struct SensorInput {
    pub name: String,
    pub space_id: String,
    pub bridge_id: String,
}

impl SensorInput {
    pub fn of(sensor: &Sensor) -> SensorInput {
        SensorInput {
            name: sensor.name.clone(),
            space_id: sensor.space_id.clone().map(String::from).unwrap_or_default(),
            bridge_id: sensor.bridge_id.clone().unwrap_or_default(),
        }
    }
}

/// What the sensor pages show and choose from.
#[derive(Debug, Clone)]
pub struct SensorsOfHub {
    pub hub: Hub,
    pub sensors: Vec<Sensor>,
    pub spaces: Vec<Space>,
    pub bridges: Vec<Bridge>,
}

/// A presence sensor of the hub as every console page sees it.
#[derive(Debug, Clone)]
pub struct HubSensor {
    /// The space it watches (the bridge names a sensor by it); `None` only for a registered
    /// sensor whose space was removed.
    pub space: Option<Space>,
    /// The sensor as registered in the console; `None` when the bridge reports the space's
    /// presence and nobody has registered the sensor yet.
    pub registered: Option<Sensor>,
    /// Its latest reading (`present` or `empty`, fresh or not) and when it was observed.
    pub latest: Option<(String, DateTime<Utc>)>,
}

/// The hub's sensors: every registered one and every space with a presence reading, in the
/// order of `spaces` (the hub's), then registered sensors without a space.
///
/// # Errors
/// On a database error.
pub fn hub_sensors(conn: &mut DbConn, hub_id: &HubId, spaces: &[Space]) -> Result<Vec<HubSensor>, ServiceError> {
    let mut registered = catalog_admin::list_sensors(conn, hub_id)?;
    let mut latest = dashboard::latest_presence_of_hub(conn, hub_id)?;
    let mut found = Vec::new();
    for space in spaces {
        let sensor =
            registered.iter().position(|s| s.space_id.as_ref() == Some(&space.id)).map(|at| registered.remove(at));
        let reading = latest
            .iter()
            .position(|(space_id, _, _)| *space_id == space.id)
            .map(|at| latest.remove(at))
            .map(|(_, presence, at)| (presence, from_db_time(at)));
        if sensor.is_some() || reading.is_some() {
            found.push(HubSensor { space: Some(space.clone()), registered: sensor, latest: reading });
        }
    }
    // A sensor of a space that is gone (or of another hub's space) still shows, to be removed.
    found.extend(registered.into_iter().map(|sensor| HubSensor {
        space: None,
        registered: Some(sensor),
        latest: None,
    }));
    Ok(found)
}

/// The hub's sensors page: its sensors, spaces and bridges.
///
/// # Errors
/// `NotFound` outside the caller's scope.
pub fn overview(
    conn: &mut DbConn,
    staff: Staff<'_>,
    hub: &str,
) -> Result<(SensorsOfHub, Vec<HubSensor>), ServiceError> {
    let of_hub = list(conn, staff, hub)?;
    let found = hub_sensors(conn, &of_hub.hub.id, &of_hub.spaces)?;
    Ok((of_hub, found))
}

/// The hub's sensors, spaces and bridges.
///
/// # Errors
/// `NotFound` outside the caller's scope.
pub fn list(conn: &mut DbConn, staff: Staff<'_>, hub: &str) -> Result<SensorsOfHub, ServiceError> {
    let hub = staff.scope.hub(conn, hub)?;
    let sensors = catalog_admin::list_sensors(conn, &hub.id)?;
    let spaces = catalog::list_spaces(conn, &hub.id)?;
    let bridges = catalog_admin::list_bridges(conn, &hub.id)?;
    Ok(SensorsOfHub { hub, sensors, spaces, bridges })
}

/// The hub's sensor page data and one of its sensors.
///
/// # Errors
/// `NotFound` outside the caller's scope or for another hub's sensor.
pub fn find(
    conn: &mut DbConn,
    staff: Staff<'_>,
    hub: &str,
    sensor_id: &str,
) -> Result<(SensorsOfHub, Sensor), ServiceError> {
    let of_hub = list(conn, staff, hub)?;
    // The list holds only this hub's sensors: another hub's sensor is simply not in it.
    let sensor = of_hub.sensors.iter().find(|s| s.id == sensor_id).cloned().ok_or(ServiceError::NotFound)?;
    Ok((of_hub, sensor))
}

/// The checked form.
struct SensorValues {
    name: String,
    space: Space,
    bridge: Option<Bridge>,
}

/// Reads the form: ids of other hubs' spaces or bridges are `NotFound` before anything else.
fn read(
    conn: &mut DbConn,
    staff: Staff<'_>,
    hub: &Hub,
    input: &SensorInput,
    sensor_id: Option<&str>,
) -> Result<SensorValues, CatalogError> {
    let space = match input.space_id.trim() {
        "" => None,
        space_id => Some(space_of_hub(conn, staff, hub, &SpaceId::new(space_id))?),
    };
    let bridge = chosen_bridge(conn, staff, hub, &input.bridge_id)?;
    let mut problems = Problems::default();
    let name = problems.take("name", required_text(&input.name, 100));
    match &space {
        None => problems.add("space_id", "choose-one"),
        Some(space) if catalog_admin::space_watched(conn, &space.id, sensor_id)? => {
            problems.add("space_id", "space-watched");
        }
        Some(_) => {}
    }
    problems.finish()?;
    match space {
        Some(space) => Ok(SensorValues { name: name.unwrap_or_default(), space, bridge }),
        None => Err(CatalogError::field("space_id", "choose-one")),
    }
}

/// Adds a sensor.
///
/// # Errors
/// `NotFound` outside the caller's scope or for another hub's space or bridge; `Invalid` with
/// the form's problems.
pub fn create(
    tx: &mut UnitOfWork<'_>,
    staff: Staff<'_>,
    hub: &str,
    input: &SensorInput,
    now: DateTime<Utc>,
) -> Result<Sensor, CatalogError> {
    let of_hub = list(tx, staff, hub)?;
    tx.write_transaction(|tx| {
        let values = read(tx, staff, &of_hub.hub, input, None)?;
        let sensor = Sensor {
            id: db::new_id(),
            hub_id: of_hub.hub.id.clone(),
            space_id: Some(values.space.id.clone()),
            bridge_id: values.bridge.as_ref().map(|b| b.id.clone()),
            name: values.name.clone(),
            created_at: to_db_time(now),
        };
        catalog_admin::insert_sensor(tx, &sensor)?;
        let [space, bridge] = describe(&of_hub, &sensor);
        let details = format!("space: {space}; bridge: {bridge}");
        record(tx, staff, &of_hub.hub, &sensor.name, "sensor_created", details, now)?;
        Ok(sensor)
    })
}

/// Changes a sensor.
///
/// # Errors
/// `NotFound` outside the caller's scope or for another hub's sensor, space or bridge;
/// `Invalid` with the form's problems.
pub fn update(
    tx: &mut UnitOfWork<'_>,
    staff: Staff<'_>,
    hub: &str,
    sensor_id: &str,
    input: &SensorInput,
    now: DateTime<Utc>,
) -> Result<Sensor, CatalogError> {
    let (of_hub, before) = find(tx, staff, hub, sensor_id)?;
    tx.write_transaction(|tx| {
        let values = read(tx, staff, &of_hub.hub, input, Some(&before.id))?;
        let changes = SensorChanges {
            name: &values.name,
            space_id: Some(&values.space.id),
            bridge_id: values.bridge.as_ref().map(|b| b.id.as_str()),
        };
        catalog_admin::update_sensor(tx, &before.id, &changes)?;
        let after = Sensor {
            name: values.name.clone(),
            space_id: Some(values.space.id.clone()),
            bridge_id: values.bridge.as_ref().map(|b| b.id.clone()),
            ..before.clone()
        };
        let ([space_before, bridge_before], [space_after, bridge_after]) =
            (describe(&of_hub, &before), describe(&of_hub, &after));
        let details = changed_fields(&[
            ("name", before.name.clone(), after.name.clone()),
            ("space", space_before, space_after),
            ("bridge", bridge_before, bridge_after),
        ]);
        record(tx, staff, &of_hub.hub, &after.name, "sensor_updated", details, now)?;
        Ok(after)
    })
}

/// Removes a sensor; its past readings stay, without it.
///
/// # Errors
/// `NotFound` outside the caller's scope or for another hub's sensor.
pub fn remove(
    tx: &mut UnitOfWork<'_>,
    staff: Staff<'_>,
    hub: &str,
    sensor_id: &str,
    now: DateTime<Utc>,
) -> Result<Sensor, ServiceError> {
    let (of_hub, sensor) = find(tx, staff, hub, sensor_id)?;
    tx.write_transaction(|tx| {
        catalog_admin::delete_sensor(tx, &sensor.id)?;
        let [space, bridge] = describe(&of_hub, &sensor);
        let details = format!("space: {space}; bridge: {bridge}");
        record(tx, staff, &of_hub.hub, &sensor.name, "sensor_removed", details, now)
    })?;
    Ok(sensor)
}

/// The names of a sensor's space and bridge, for the audit trail.
fn describe(of_hub: &SensorsOfHub, sensor: &Sensor) -> [String; 2] {
    let space = sensor
        .space_id
        .as_ref()
        .and_then(|id| of_hub.spaces.iter().find(|s| s.id == *id))
        .map_or_else(|| "none".to_owned(), |s| s.name.clone());
    let bridge = sensor
        .bridge_id
        .as_ref()
        .and_then(|id| of_hub.bridges.iter().find(|b| &b.id == id))
        .map_or_else(|| "none".to_owned(), |b| b.name.clone());
    [space, bridge]
}
