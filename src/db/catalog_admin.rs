//! Queries the console needs to change what can be booked: operators, hub details and calendars,
//! spaces, doors with their spaces, sensors, and the lists behind those pages. Reading for
//! members stays in `catalog`; whether a change is allowed is decided in the service layer.

use crate::domain::ids::{DoorId, HubId, OperatorId, SpaceId};
use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::access::Bridge;
use super::bookings::Booking;
use super::catalog::{Closure, Door, DoorSpace};
use super::schema::{bookings, bridges, closures, door_spaces, doors, hubs, operators, sensors, spaces};
use super::{DbConn, DbError};

/// A presence sensor: which space it watches and which bridge reads it.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = sensors)]
pub struct Sensor {
    pub id: String,
    pub hub_id: HubId,
    pub space_id: Option<SpaceId>,
    pub bridge_id: Option<String>,
    pub name: String,
    pub created_at: NaiveDateTime,
}

/// What an operator's form changes.
#[derive(Debug, Clone, AsChangeset)]
#[diesel(table_name = operators)]
pub struct OperatorChanges<'a> {
    pub name: &'a str,
    pub legal_contact: &'a str,
    pub privacy_contact: &'a str,
    pub imprint: &'a str,
    pub privacy_policy: &'a str,
    pub accessibility_statement: &'a str,
    pub access_log_retention_days: i32,
}

/// What a hub's details form changes.
#[derive(Debug, Clone, AsChangeset)]
#[diesel(table_name = hubs)]
pub struct HubDetailChanges<'a> {
    pub operator_id: &'a OperatorId,
    pub slug: &'a str,
    pub name: &'a str,
    pub street: &'a str,
    pub postcode: &'a str,
    pub town: &'a str,
}

/// How many bookings one person may hold at a hub.
#[derive(Debug, Clone, Copy, AsChangeset)]
#[diesel(table_name = hubs)]
pub struct HubLimitChanges {
    pub max_concurrent_per_user: i32,
    pub max_upcoming_per_user: i32,
}

/// A hub's time windows: when an unchecked booking is released, how early a PIN opens.
#[derive(Debug, Clone, Copy, AsChangeset)]
#[diesel(table_name = hubs)]
pub struct HubTimeChanges {
    pub no_show_minutes: i32,
    pub pin_grace_minutes: i32,
}

/// What a space's form changes.
#[derive(Debug, Clone, AsChangeset)]
#[diesel(table_name = spaces)]
pub struct SpaceChanges<'a> {
    pub name: &'a str,
    pub kind: &'a str,
    pub capacity: i32,
    pub booking_unit: &'a str,
    pub slot_minutes: i32,
    pub min_minutes: i32,
    pub max_minutes: i32,
    pub max_days_ahead: i32,
    pub approval_required: bool,
    pub position: i32,
}

/// What a door's form changes (its spaces are replaced separately).
#[derive(Debug, Clone, AsChangeset)]
#[diesel(table_name = doors, treat_none_as_null = true)]
pub struct DoorChanges<'a> {
    pub name: &'a str,
    pub is_entrance: bool,
    pub bridge_id: Option<&'a str>,
    pub modbus_unit_id: Option<i32>,
}

/// What a sensor's form changes.
#[derive(Debug, Clone, AsChangeset)]
#[diesel(table_name = sensors, treat_none_as_null = true)]
pub struct SensorChanges<'a> {
    pub name: &'a str,
    pub space_id: Option<&'a SpaceId>,
    pub bridge_id: Option<&'a str>,
}

/// # Errors
/// On a database error.
pub fn update_operator(
    conn: &mut DbConn,
    operator_id: &OperatorId,
    changes: &OperatorChanges<'_>,
) -> Result<(), DbError> {
    diesel::update(operators::table.find(operator_id)).set(changes).execute(conn)?;
    Ok(())
}

/// # Errors
/// On a database error.
pub fn update_hub_details(conn: &mut DbConn, hub_id: &HubId, changes: &HubDetailChanges<'_>) -> Result<(), DbError> {
    diesel::update(hubs::table.find(hub_id)).set(changes).execute(conn)?;
    Ok(())
}

/// # Errors
/// On a database error.
pub fn update_hub_limits(conn: &mut DbConn, hub_id: &HubId, changes: HubLimitChanges) -> Result<(), DbError> {
    diesel::update(hubs::table.find(hub_id)).set(changes).execute(conn)?;
    Ok(())
}

/// # Errors
/// On a database error.
pub fn update_hub_times(conn: &mut DbConn, hub_id: &HubId, changes: HubTimeChanges) -> Result<(), DbError> {
    diesel::update(hubs::table.find(hub_id)).set(changes).execute(conn)?;
    Ok(())
}

/// Removes every opening interval of the hub (before the new week is written).
///
/// # Errors
/// On a database error.
pub fn clear_opening_hours(conn: &mut DbConn, hub_id: &HubId) -> Result<(), DbError> {
    use super::schema::opening_hours;
    diesel::delete(opening_hours::table.filter(opening_hours::hub_id.eq(hub_id))).execute(conn)?;
    Ok(())
}

/// The closure with this id if it belongs to the hub.
///
/// # Errors
/// On a database error.
pub fn find_closure(conn: &mut DbConn, hub_id: &HubId, closure_id: &str) -> Result<Option<Closure>, DbError> {
    Ok(closures::table
        .filter(closures::id.eq(closure_id))
        .filter(closures::hub_id.eq(hub_id))
        .select(Closure::as_select())
        .first(conn)
        .optional()?)
}

/// # Errors
/// On a database error.
pub fn delete_closure(conn: &mut DbConn, closure_id: &str) -> Result<(), DbError> {
    diesel::delete(closures::table.find(closure_id)).execute(conn)?;
    Ok(())
}

/// # Errors
/// On a database error.
pub fn update_space(conn: &mut DbConn, space_id: &SpaceId, changes: &SpaceChanges<'_>) -> Result<(), DbError> {
    diesel::update(spaces::table.find(space_id)).set(changes).execute(conn)?;
    Ok(())
}

/// The space's bookings that have not started yet and still hold it (pending or confirmed),
/// earliest first.
///
/// # Errors
/// On a database error.
pub fn upcoming_space_bookings(
    conn: &mut DbConn,
    space_id: &SpaceId,
    now: NaiveDateTime,
) -> Result<Vec<Booking>, DbError> {
    Ok(bookings::table
        .filter(bookings::space_id.eq(space_id))
        .filter(bookings::start_at.gt(now))
        .filter(bookings::status.eq_any(["pending", "confirmed"]))
        .order(bookings::start_at.asc())
        .select(Booking::as_select())
        .load(conn)?)
}

/// The door with this id, with the ids of the spaces it leads to.
///
/// # Errors
/// On a database error.
pub fn find_door(conn: &mut DbConn, door_id: &DoorId) -> Result<Option<(Door, Vec<SpaceId>)>, DbError> {
    let Some(door) = doors::table.find(door_id).select(Door::as_select()).first(conn).optional()? else {
        return Ok(None);
    };
    let spaces =
        door_spaces::table.filter(door_spaces::door_id.eq(door_id)).select(door_spaces::space_id).load(conn)?;
    Ok(Some((door, spaces)))
}

/// Changes a door and replaces the spaces it leads to.
///
/// # Errors
/// On a database error (a unit id taken at the bridge breaks a unique index).
pub fn update_door(
    conn: &mut DbConn,
    door_id: &DoorId,
    changes: &DoorChanges<'_>,
    space_ids: &[SpaceId],
) -> Result<(), DbError> {
    diesel::update(doors::table.find(door_id)).set(changes).execute(conn)?;
    diesel::delete(door_spaces::table.filter(door_spaces::door_id.eq(door_id))).execute(conn)?;
    for space_id in space_ids {
        let link = DoorSpace { door_id: door_id.to_owned(), space_id: space_id.clone() };
        diesel::insert_into(door_spaces::table).values(&link).execute(conn)?;
    }
    Ok(())
}

/// Deletes a door; its spaces, state and pending commands go with it, the access log keeps its
/// entries without the door.
///
/// # Errors
/// On a database error.
pub fn delete_door(conn: &mut DbConn, door_id: &DoorId) -> Result<(), DbError> {
    diesel::delete(doors::table.find(door_id)).execute(conn)?;
    Ok(())
}

/// Whether another door than `except` already answers at this unit id of this bridge.
///
/// # Errors
/// On a database error.
pub fn unit_id_taken(
    conn: &mut DbConn,
    bridge_id: &str,
    unit_id: i32,
    except: Option<&DoorId>,
) -> Result<bool, DbError> {
    let mut query = doors::table
        .filter(doors::bridge_id.eq(bridge_id))
        .filter(doors::modbus_unit_id.eq(unit_id))
        .select(doors::id)
        .into_boxed();
    if let Some(except) = except {
        query = query.filter(doors::id.ne(except.clone()));
    }
    Ok(query.first::<DoorId>(conn).optional()?.is_some())
}

/// The hub's bridges, by name.
///
/// # Errors
/// On a database error.
pub fn list_bridges(conn: &mut DbConn, hub_id: &HubId) -> Result<Vec<Bridge>, DbError> {
    Ok(bridges::table
        .filter(bridges::hub_id.eq(hub_id))
        .order((bridges::name.asc(), bridges::created_at.asc()))
        .select(Bridge::as_select())
        .load(conn)?)
}

/// The hub's sensors, by name.
///
/// # Errors
/// On a database error.
pub fn list_sensors(conn: &mut DbConn, hub_id: &HubId) -> Result<Vec<Sensor>, DbError> {
    Ok(sensors::table
        .filter(sensors::hub_id.eq(hub_id))
        .order((sensors::name.asc(), sensors::created_at.asc()))
        .select(Sensor::as_select())
        .load(conn)?)
}

/// The sensor with this id, if any.
///
/// # Errors
/// On a database error.
pub fn find_sensor(conn: &mut DbConn, sensor_id: &str) -> Result<Option<Sensor>, DbError> {
    Ok(sensors::table.find(sensor_id).select(Sensor::as_select()).first(conn).optional()?)
}

/// # Errors
/// On a database error.
pub fn insert_sensor(conn: &mut DbConn, sensor: &Sensor) -> Result<(), DbError> {
    diesel::insert_into(sensors::table).values(sensor).execute(conn)?;
    Ok(())
}

/// # Errors
/// On a database error.
pub fn update_sensor(conn: &mut DbConn, sensor_id: &str, changes: &SensorChanges<'_>) -> Result<(), DbError> {
    diesel::update(sensors::table.find(sensor_id)).set(changes).execute(conn)?;
    Ok(())
}

/// Deletes a sensor; its past readings stay, without the sensor.
///
/// # Errors
/// On a database error.
pub fn delete_sensor(conn: &mut DbConn, sensor_id: &str) -> Result<(), DbError> {
    diesel::delete(sensors::table.find(sensor_id)).execute(conn)?;
    Ok(())
}

/// Whether a sensor other than `except` already watches the space.
///
/// # Errors
/// On a database error.
pub fn space_watched(conn: &mut DbConn, space_id: &SpaceId, except: Option<&str>) -> Result<bool, DbError> {
    let mut query = sensors::table.filter(sensors::space_id.eq(space_id)).select(sensors::id).into_boxed();
    if let Some(except) = except {
        query = query.filter(sensors::id.ne(except.to_owned()));
    }
    Ok(query.first::<String>(conn).optional()?.is_some())
}
