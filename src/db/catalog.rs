//! Rows and queries for what can be booked: operators, hubs with their hours and closures,
//! spaces and doors.

use std::collections::HashMap;

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::schema::{catalogue_version, closures, door_spaces, doors, hubs, opening_hours, operators, spaces};
use super::stored::{SpacesBookingUnit, SpacesKind};
use super::{DbConn, DbError};
use crate::domain::ids::{DoorId, HubId, OperatorId, SpaceId};
use crate::domain::vocabulary::{BookingUnit, SpaceKind};

/// The town or municipality that runs a hub.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = operators)]
pub struct Operator {
    pub id: OperatorId,
    pub name: String,
    pub legal_contact: String,
    pub privacy_contact: String,
    pub created_at: NaiveDateTime,
    /// Impressum, shown as plain paragraphs.
    pub imprint: String,
    /// Datenschutzerklärung.
    pub privacy_policy: String,
    /// Erklärung zur Barrierefreiheit.
    pub accessibility_statement: String,
    /// Days the access log of this operator's hubs is kept.
    pub access_log_retention_days: i32,
}

/// A hub: one building with spaces and doors.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = hubs)]
pub struct Hub {
    pub id: HubId,
    pub operator_id: OperatorId,
    pub slug: String,
    pub name: String,
    pub street: String,
    pub postcode: String,
    pub town: String,
    pub time_zone: String,
    pub max_concurrent_per_user: i32,
    pub max_upcoming_per_user: i32,
    pub created_at: NaiveDateTime,
    /// Minutes after the start without check-in before a booking is released as a no-show.
    pub no_show_minutes: i32,
}

impl Hub {
    /// The hub's time zone. Zones are checked when stored, so the fallback (Berlin) is a guard.
    pub fn zone(&self) -> chrono_tz::Tz {
        self.time_zone.parse().unwrap_or(crate::domain::local_time::DEFAULT_TIME_ZONE)
    }
}

/// One opening interval on a weekday (1 = Monday … 7 = Sunday), in minutes after local midnight.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = opening_hours)]
pub struct OpeningHours {
    pub hub_id: HubId,
    pub weekday: i32,
    pub opens_minute: i32,
    pub closes_minute: i32,
}

/// Days on which a hub is closed (holidays, works), both ends inclusive.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = closures)]
pub struct Closure {
    pub id: String,
    pub hub_id: HubId,
    pub first_day: NaiveDate,
    pub last_day: NaiveDate,
    pub label: String,
}

/// A desk, room or piece of equipment with its booking rules.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = spaces)]
pub struct Space {
    pub id: SpaceId,
    pub hub_id: HubId,
    pub name: String,
    #[diesel(deserialize_as = SpacesKind, serialize_as = String)]
    pub kind: SpaceKind,
    pub capacity: i32,
    pub enabled: bool,
    #[diesel(deserialize_as = SpacesBookingUnit, serialize_as = String)]
    pub booking_unit: BookingUnit,
    pub slot_minutes: i32,
    pub min_minutes: i32,
    pub max_minutes: i32,
    pub max_days_ahead: i32,
    pub approval_required: bool,
    pub created_at: NaiveDateTime,
    /// Where staff want the space in lists: lower first; ties keep the natural kind-and-name
    /// order (see `service::console::catalog::spaces::display_order`).
    pub position: i32,
}

/// A door of a hub; an entrance leads to every space of the hub.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = doors)]
pub struct Door {
    pub id: DoorId,
    pub hub_id: HubId,
    pub name: String,
    pub is_entrance: bool,
    pub created_at: NaiveDateTime,
    /// The bridge that answers this door's controller, and the door's Modbus unit id there.
    pub bridge_id: Option<String>,
    pub modbus_unit_id: Option<i32>,
}

/// Which space a door leads to.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = door_spaces)]
pub struct DoorSpace {
    pub door_id: DoorId,
    pub space_id: SpaceId,
}

/// Everything the booking rules need to know about a hub.
#[derive(Debug, Clone)]
pub struct HubWithCalendar {
    pub hub: Hub,
    pub opening_hours: Vec<OpeningHours>,
    pub closures: Vec<Closure>,
}

/// # Errors
/// On a database error.
pub fn insert_operator(conn: &mut DbConn, operator: &Operator) -> Result<(), DbError> {
    diesel::insert_into(operators::table).values(operator).execute(conn)?;
    Ok(())
}

/// The operator with this id, if any.
///
/// # Errors
/// On a database error.
pub fn find_operator(conn: &mut DbConn, operator_id: &OperatorId) -> Result<Option<Operator>, DbError> {
    Ok(operators::table.find(operator_id).select(Operator::as_select()).first(conn).optional()?)
}

/// All operators, by name.
///
/// # Errors
/// On a database error.
pub fn list_operators(conn: &mut DbConn) -> Result<Vec<Operator>, DbError> {
    Ok(operators::table.order(operators::name.asc()).select(Operator::as_select()).load(conn)?)
}

/// # Errors
/// On a database error.
pub fn insert_hub(conn: &mut DbConn, hub: &Hub) -> Result<(), DbError> {
    diesel::insert_into(hubs::table).values(hub.clone()).execute(conn)?;
    Ok(())
}

/// # Errors
/// On a database error.
pub fn insert_opening_hours(conn: &mut DbConn, rows: &[OpeningHours]) -> Result<(), DbError> {
    for row in rows {
        diesel::insert_into(opening_hours::table).values(row).execute(conn)?;
    }
    Ok(())
}

/// # Errors
/// On a database error.
pub fn insert_closure(conn: &mut DbConn, closure: &Closure) -> Result<(), DbError> {
    diesel::insert_into(closures::table).values(closure).execute(conn)?;
    Ok(())
}

/// # Errors
/// On a database error.
pub fn insert_space(conn: &mut DbConn, space: &Space) -> Result<(), DbError> {
    diesel::insert_into(spaces::table).values(space.clone()).execute(conn)?;
    Ok(())
}

/// Sets whether a space can be booked.
///
/// # Errors
/// On a database error.
pub fn set_space_enabled(conn: &mut DbConn, space_id: &SpaceId, enabled: bool) -> Result<(), DbError> {
    diesel::update(spaces::table.find(space_id)).set(spaces::enabled.eq(enabled)).execute(conn)?;
    Ok(())
}

/// Puts a door on a bridge under a Modbus unit id (or takes it off with `None`, `None`).
///
/// # Errors
/// On a database error, e.g. the unit id is taken on that bridge.
pub fn set_door_bridge(
    conn: &mut DbConn,
    door_id: &DoorId,
    bridge_id: Option<&str>,
    unit_id: Option<i32>,
) -> Result<(), DbError> {
    diesel::update(doors::table.find(door_id))
        .set((doors::bridge_id.eq(bridge_id), doors::modbus_unit_id.eq(unit_id)))
        .execute(conn)?;
    Ok(())
}

/// Inserts a door and the spaces it leads to.
///
/// # Errors
/// On a database error.
pub fn insert_door(conn: &mut DbConn, door: &Door, space_ids: &[SpaceId]) -> Result<(), DbError> {
    diesel::insert_into(doors::table).values(door).execute(conn)?;
    for space_id in space_ids {
        let link = DoorSpace { door_id: door.id.clone(), space_id: space_id.clone() };
        diesel::insert_into(door_spaces::table).values(&link).execute(conn)?;
    }
    Ok(())
}

/// All hubs, by town.
///
/// # Errors
/// On a database error.
pub fn list_hubs(conn: &mut DbConn) -> Result<Vec<Hub>, DbError> {
    Ok(hubs::table.order((hubs::town.asc(), hubs::name.asc())).select(Hub::as_select()).load(conn)?)
}

/// The hub with this id or slug, if any.
///
/// # Errors
/// On a database error.
pub fn find_hub(conn: &mut DbConn, id_or_slug: &str) -> Result<Option<Hub>, DbError> {
    Ok(hubs::table
        .filter(hubs::id.eq(id_or_slug).or(hubs::slug.eq(id_or_slug)))
        .select(Hub::as_select())
        .first(conn)
        .optional()?)
}

/// The hub with this id (never a slug), if any.
///
/// # Errors
/// On a database error.
pub fn find_hub_by_id(conn: &mut DbConn, hub_id: &HubId) -> Result<Option<Hub>, DbError> {
    Ok(hubs::table.find(hub_id).select(Hub::as_select()).first(conn).optional()?)
}

/// The hub with its weekly hours and closures.
///
/// # Errors
/// On a database error.
pub fn find_hub_with_calendar(conn: &mut DbConn, hub_id: &HubId) -> Result<Option<HubWithCalendar>, DbError> {
    let Some(hub) = find_hub_by_id(conn, hub_id)? else {
        return Ok(None);
    };
    let opening_hours = opening_hours::table
        .filter(opening_hours::hub_id.eq(&hub.id))
        .order((opening_hours::weekday.asc(), opening_hours::opens_minute.asc()))
        .select(OpeningHours::as_select())
        .load(conn)?;
    let closures = closures::table
        .filter(closures::hub_id.eq(&hub.id))
        .order(closures::first_day.asc())
        .select(Closure::as_select())
        .load(conn)?;
    Ok(Some(HubWithCalendar { hub, opening_hours, closures }))
}

/// Every hub with its weekly hours and closures, in three statements (by town and name).
///
/// # Errors
/// On a database error.
pub fn list_hubs_with_calendars(conn: &mut DbConn) -> Result<Vec<HubWithCalendar>, DbError> {
    let hubs = list_hubs(conn)?;
    let mut hours_of: HashMap<HubId, Vec<OpeningHours>> = HashMap::new();
    let hours = opening_hours::table
        .order((opening_hours::weekday.asc(), opening_hours::opens_minute.asc()))
        .select(OpeningHours::as_select())
        .load::<OpeningHours>(conn)?;
    for row in hours {
        hours_of.entry(row.hub_id.clone()).or_default().push(row);
    }
    let mut closures_of: HashMap<HubId, Vec<Closure>> = HashMap::new();
    for row in closures::table.order(closures::first_day.asc()).select(Closure::as_select()).load::<Closure>(conn)? {
        closures_of.entry(row.hub_id.clone()).or_default().push(row);
    }
    Ok(hubs
        .into_iter()
        .map(|hub| HubWithCalendar {
            opening_hours: hours_of.remove(&hub.id).unwrap_or_default(),
            closures: closures_of.remove(&hub.id).unwrap_or_default(),
            hub,
        })
        .collect())
}

/// Every space of every hub, by name.
///
/// # Errors
/// On a database error.
pub fn list_all_spaces(conn: &mut DbConn) -> Result<Vec<Space>, DbError> {
    Ok(spaces::table.order(spaces::name.asc()).select(Space::as_select()).load(conn)?)
}

/// The spaces of a hub, by name.
///
/// # Errors
/// On a database error.
pub fn list_spaces(conn: &mut DbConn, hub_id: &HubId) -> Result<Vec<Space>, DbError> {
    Ok(spaces::table
        .filter(spaces::hub_id.eq(hub_id))
        .order(spaces::name.asc())
        .select(Space::as_select())
        .load(conn)?)
}

/// The space with this id, if any.
///
/// # Errors
/// On a database error.
pub fn find_space(conn: &mut DbConn, space_id: &SpaceId) -> Result<Option<Space>, DbError> {
    Ok(spaces::table.find(space_id).select(Space::as_select()).first(conn).optional()?)
}

/// The doors of a hub with the ids of the spaces each leads to.
///
/// # Errors
/// On a database error.
pub fn list_doors(conn: &mut DbConn, hub_id: &HubId) -> Result<Vec<(Door, Vec<SpaceId>)>, DbError> {
    let doors =
        doors::table.filter(doors::hub_id.eq(hub_id)).order(doors::name.asc()).select(Door::as_select()).load(conn)?;
    let links: Vec<DoorSpace> = door_spaces::table
        .filter(door_spaces::door_id.eq_any(doors.iter().map(|d| &d.id)))
        .select(DoorSpace::as_select())
        .load(conn)?;
    Ok(doors
        .into_iter()
        .map(|door| {
            let spaces = links.iter().filter(|l| l.door_id == door.id).map(|l| l.space_id.clone()).collect();
            (door, spaces)
        })
        .collect())
}

/// Every door of every hub with the ids of the spaces each leads to, by name.
///
/// # Errors
/// On a database error.
pub fn list_all_doors(conn: &mut DbConn) -> Result<Vec<(Door, Vec<SpaceId>)>, DbError> {
    let doors = doors::table.order(doors::name.asc()).select(Door::as_select()).load(conn)?;
    let mut spaces_of: HashMap<DoorId, Vec<SpaceId>> = HashMap::new();
    for link in door_spaces::table.select(DoorSpace::as_select()).load::<DoorSpace>(conn)? {
        spaces_of.entry(link.door_id).or_default().push(link.space_id);
    }
    Ok(doors
        .into_iter()
        .map(|door| {
            let spaces = spaces_of.remove(&door.id).unwrap_or_default();
            (door, spaces)
        })
        .collect())
}

/// The catalogue's version: raised by the database itself (triggers) on every change of
/// operators, hubs, opening hours, closures, spaces, doors and door links, by any connection.
///
/// # Errors
/// On a database error.
pub fn current_catalogue_version(conn: &mut DbConn) -> Result<i64, DbError> {
    Ok(catalogue_version::table.select(catalogue_version::version).first(conn)?)
}
