//! Queries for the live dashboard: a hub's bookings around now with who booked them, the latest
//! presence reading of each space, door states, open alarms, and acknowledging an alarm. What
//! a combination of them means is decided in `service::console::live`, not here.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::access::AlarmRow;
use super::bookings::Booking;
use super::schema::{alarms, bookings, door_states, presence_readings, sensors, spaces, users};
use super::{DbConn, DbError};

/// A booking with its booker's name (`None` once the account is deleted).
#[derive(Debug, Clone)]
pub struct BookingWithBooker {
    pub booking: Booking,
    pub booker: Option<String>,
}

/// The hub's bookings with one of `statuses` that meet `[from, until)`, by start.
///
/// # Errors
/// On a database error.
pub fn hub_bookings_between(
    conn: &mut DbConn,
    hub_id: &str,
    statuses: &[&str],
    from: NaiveDateTime,
    until: NaiveDateTime,
) -> Result<Vec<BookingWithBooker>, DbError> {
    let rows: Vec<(Booking, Option<String>)> = bookings::table
        .inner_join(spaces::table)
        .left_join(users::table.on(users::id.nullable().eq(bookings::user_id)))
        .filter(spaces::hub_id.eq(hub_id))
        .filter(bookings::status.eq_any(statuses))
        .filter(bookings::start_at.lt(until))
        .filter(bookings::end_at.gt(from))
        .order((bookings::start_at.asc(), bookings::id.asc()))
        .select((Booking::as_select(), users::name.nullable()))
        .load(conn)?;
    Ok(rows.into_iter().map(|(booking, booker)| BookingWithBooker { booking, booker }).collect())
}

/// The newest presence reading of a space, from the bridge's report for the space or from a
/// sensor assigned to it: (`present`/`empty`/`unknown`, observed at).
///
/// # Errors
/// On a database error.
pub fn latest_presence(conn: &mut DbConn, space_id: &str) -> Result<Option<(String, NaiveDateTime)>, DbError> {
    let space_sensors = sensors::table.filter(sensors::space_id.eq(space_id)).select(sensors::id.nullable());
    Ok(presence_readings::table
        .filter(presence_readings::space_id.eq(space_id).or(presence_readings::sensor_id.eq_any(space_sensors)))
        .order((presence_readings::observed_at.desc(), presence_readings::id.desc()))
        .select((presence_readings::presence, presence_readings::observed_at))
        .first(conn)
        .optional()?)
}

/// The latest known state of each of these doors: (door id, state, since).
///
/// # Errors
/// On a database error.
pub fn door_states_of(conn: &mut DbConn, door_ids: &[String]) -> Result<Vec<(String, String, NaiveDateTime)>, DbError> {
    Ok(door_states::table
        .filter(door_states::door_id.eq_any(door_ids))
        .select((door_states::door_id, door_states::state, door_states::updated_at))
        .load(conn)?)
}

/// The hub's alarms not cleared yet, newest first, with the name of whoever acknowledged each.
///
/// # Errors
/// On a database error.
pub fn open_alarms(conn: &mut DbConn, hub_id: &str) -> Result<Vec<(AlarmRow, Option<String>)>, DbError> {
    Ok(alarms::table
        .left_join(users::table.on(alarms::acknowledged_by.eq(users::id.nullable())))
        .filter(alarms::hub_id.eq(hub_id))
        .filter(alarms::cleared_at.is_null())
        .order((alarms::raised_at.desc(), alarms::id.desc()))
        .select((AlarmRow::as_select(), users::name.nullable()))
        .load(conn)?)
}

/// The alarm with this id, if any.
///
/// # Errors
/// On a database error.
pub fn find_alarm(conn: &mut DbConn, alarm_id: &str) -> Result<Option<AlarmRow>, DbError> {
    Ok(alarms::table.find(alarm_id).select(AlarmRow::as_select()).first(conn).optional()?)
}

/// Records who acknowledged the alarm, unless someone did already; returns whether this did.
///
/// # Errors
/// On a database error.
pub fn acknowledge_alarm(conn: &mut DbConn, alarm_id: &str, user_id: &str, at: NaiveDateTime) -> Result<bool, DbError> {
    Ok(diesel::update(alarms::table.find(alarm_id).filter(alarms::acknowledged_at.is_null()))
        .set((alarms::acknowledged_by.eq(Some(user_id)), alarms::acknowledged_at.eq(Some(at))))
        .execute(conn)?
        > 0)
}
