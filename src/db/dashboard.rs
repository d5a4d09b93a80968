//! Queries for the live dashboard: a hub's bookings around now with who booked them, the latest
//! presence reading of each space, door states, open alarms, and acknowledging an alarm. What
//! a combination of them means is decided in `service::console::live`, not here.

use crate::domain::ids::{DoorId, HubId, SpaceId, UserId};
use chrono::NaiveDateTime;
use diesel::dsl::sql;
use diesel::prelude::*;
use diesel::sql_types::{Nullable, Timestamp};

use super::access::AlarmRow;
use super::bookings::{Booking, overlapping};
use super::schema::{alarms, bookings, door_states, presence_readings, spaces, users};
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
    hub_id: &HubId,
    statuses: &[&str],
    from: NaiveDateTime,
    until: NaiveDateTime,
) -> Result<Vec<BookingWithBooker>, DbError> {
    let rows: Vec<(Booking, Option<String>)> = bookings::table
        .inner_join(spaces::table)
        .left_join(users::table.on(users::id.nullable().eq(bookings::user_id)))
        .filter(spaces::hub_id.eq(hub_id))
        .filter(bookings::status.eq_any(statuses))
        .filter(overlapping(from, until))
        .order((bookings::start_at.asc(), bookings::id.asc()))
        .select((Booking::as_select(), users::name.nullable()))
        .load(conn)?;
    Ok(rows.into_iter().map(|(booking, booker)| BookingWithBooker { booking, booker }).collect())
}

/// Whether the hub has any booking (of any status) that meets `[from, until)`.
///
/// # Errors
/// On a database error.
pub fn hub_has_bookings_between(
    conn: &mut DbConn,
    hub_id: &HubId,
    from: NaiveDateTime,
    until: NaiveDateTime,
) -> Result<bool, DbError> {
    Ok(diesel::select(diesel::dsl::exists(
        bookings::table.inner_join(spaces::table).filter(spaces::hub_id.eq(hub_id)).filter(overlapping(from, until)),
    ))
    .get_result(conn)?)
}

/// The newest presence reading of each of the hub's spaces that has one: (space id,
/// `present`/`empty`/`unknown`, observed at), one row per space (the highest id among readings
/// observed at the same instant). However old the newest reading is, it is returned: the
/// dashboard names when a silent sensor last reported.
///
/// One query for all spaces: the dashboard runs this on every tick of every open stream. The
/// correlated `MAX` refers to the outer space, so both backends look each space's newest reading
/// up in the index `presence_readings_space_time` instead of scanning its readings. Readings
/// are matched by space only: the bridge link stores every reading with its space.
///
/// # Errors
/// On a database error.
pub fn latest_presence_of_hub(
    conn: &mut DbConn,
    hub_id: &HubId,
) -> Result<Vec<(SpaceId, String, NaiveDateTime)>, DbError> {
    // Written as SQL: diesel cannot express a subquery that refers to a table of the outer query.
    let newest_of_space = sql::<Nullable<Timestamp>>(
        "(SELECT MAX(newest.observed_at) FROM presence_readings AS newest WHERE newest.space_id = spaces.id)",
    );
    let rows: Vec<(SpaceId, String, NaiveDateTime)> = spaces::table
        .inner_join(
            presence_readings::table.on(presence_readings::space_id
                .eq(spaces::id.nullable())
                .and(presence_readings::observed_at.nullable().eq(newest_of_space))),
        )
        .filter(spaces::hub_id.eq(hub_id))
        .order((spaces::id.asc(), presence_readings::id.desc()))
        .select((spaces::id, presence_readings::presence, presence_readings::observed_at))
        .load(conn)?;
    let mut latest: Vec<(SpaceId, String, NaiveDateTime)> = Vec::with_capacity(rows.len());
    for row in rows {
        // Ordered by space, then id descending: the first row of a space wins a tie.
        if latest.last().is_none_or(|(space_id, _, _)| *space_id != row.0) {
            latest.push(row);
        }
    }
    Ok(latest)
}

/// The latest known state of each of these doors: (door id, state, since).
///
/// # Errors
/// On a database error.
pub fn door_states_of(conn: &mut DbConn, door_ids: &[DoorId]) -> Result<Vec<(DoorId, String, NaiveDateTime)>, DbError> {
    Ok(door_states::table
        .filter(door_states::door_id.eq_any(door_ids))
        .select((door_states::door_id, door_states::state, door_states::updated_at))
        .load(conn)?)
}

/// The hub's alarms not cleared yet, newest first, with the name of whoever acknowledged each.
///
/// # Errors
/// On a database error.
pub fn open_alarms(conn: &mut DbConn, hub_id: &HubId) -> Result<Vec<(AlarmRow, Option<String>)>, DbError> {
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
pub fn acknowledge_alarm(
    conn: &mut DbConn,
    alarm_id: &str,
    user_id: &UserId,
    at: NaiveDateTime,
) -> Result<bool, DbError> {
    Ok(diesel::update(alarms::table.find(alarm_id).filter(alarms::acknowledged_at.is_null()))
        .set((alarms::acknowledged_by.eq(Some(user_id)), alarms::acknowledged_at.eq(Some(at))))
        .execute(conn)?
        > 0)
}
