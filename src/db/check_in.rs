//! Rows and queries for check-in: a space's stored check-in modes, the hub's bridge-attached
//! devices that can check a booker in, the confirmed bookings the no-show job looks at, and a
//! member's booking of a space at a moment (the QR code's target). Which of them counts is
//! decided in `domain::check_in`, not here.

use crate::domain::ids::{BookingId, DoorId, HubId, SpaceId, UserId};
use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::bookings::{Booking, ending_after, overlapping};
use super::schema::{bookings, bridges, door_spaces, doors, hubs, sensors, spaces};
use super::{DbConn, DbError};

/// The stored check-in modes of a space (`None` for an unknown space).
///
/// # Errors
/// On a database error.
pub fn space_check_in_modes(conn: &mut DbConn, space_id: &SpaceId) -> Result<Option<String>, DbError> {
    Ok(spaces::table.find(space_id).select(spaces::check_in_modes).first(conn).optional()?)
}

/// Stores a space's check-in modes (the comma-separated form).
///
/// # Errors
/// On a database error.
pub fn set_space_check_in_modes(conn: &mut DbConn, space_id: &SpaceId, modes: &str) -> Result<(), DbError> {
    diesel::update(spaces::table.find(space_id)).set(spaces::check_in_modes.eq(modes)).execute(conn)?;
    Ok(())
}

/// A door on a bridge: whether it can let a booker in, and where to.
#[derive(Debug, Clone, Queryable)]
pub struct AttachedDoor {
    pub door_id: DoorId,
    pub is_entrance: bool,
    pub disabled: bool,
    pub bridge_last_seen_at: Option<NaiveDateTime>,
}

/// A sensor on a bridge watching a space.
#[derive(Debug, Clone, Queryable)]
pub struct AttachedSensor {
    pub space_id: SpaceId,
    pub bridge_last_seen_at: Option<NaiveDateTime>,
}

/// Everything of a hub that could check a booker in.
#[derive(Debug, Clone)]
pub struct HubDevices {
    /// Set while the hub is locked down: no door lets anyone in.
    pub lockdown: bool,
    /// When the hub's last lockdown was lifted: nobody could come in before.
    pub lockdown_lifted_at: Option<NaiveDateTime>,
    pub doors: Vec<AttachedDoor>,
    /// Which space each attached door leads to.
    pub door_spaces: Vec<(DoorId, SpaceId)>,
    pub sensors: Vec<AttachedSensor>,
}

/// Since when the hub is locked down (`None` when it is not) and when its last lockdown was
/// lifted; both `None` for an unknown hub.
///
/// # Errors
/// On a database error.
pub fn hub_lockdown(
    conn: &mut DbConn,
    hub_id: &HubId,
) -> Result<(Option<NaiveDateTime>, Option<NaiveDateTime>), DbError> {
    Ok(hubs::table
        .find(hub_id)
        .select((hubs::lockdown_since, hubs::lockdown_lifted_at))
        .first(conn)
        .optional()?
        .unwrap_or((None, None)))
}

/// The hub's bridge-attached doors and sensors, with when their bridge was last heard from, and
/// its lockdown.
///
/// # Errors
/// On a database error.
pub fn hub_devices(conn: &mut DbConn, hub_id: &HubId) -> Result<HubDevices, DbError> {
    let (lockdown, lockdown_lifted_at) = hub_lockdown(conn, hub_id)?;
    let doors: Vec<AttachedDoor> = doors::table
        .inner_join(bridges::table.on(doors::bridge_id.eq(bridges::id.nullable())))
        .filter(doors::hub_id.eq(hub_id))
        .select((doors::id, doors::is_entrance, doors::disabled, bridges::last_seen_at))
        .load(conn)?;
    let door_ids: Vec<&DoorId> = doors.iter().map(|d| &d.door_id).collect();
    let door_spaces: Vec<(DoorId, SpaceId)> = door_spaces::table
        .filter(door_spaces::door_id.eq_any(&door_ids))
        .select((door_spaces::door_id, door_spaces::space_id))
        .load(conn)?;
    let sensors: Vec<(Option<SpaceId>, Option<NaiveDateTime>)> = sensors::table
        .inner_join(bridges::table.on(sensors::bridge_id.eq(bridges::id.nullable())))
        .filter(sensors::hub_id.eq(hub_id))
        .filter(sensors::space_id.is_not_null())
        .select((sensors::space_id, bridges::last_seen_at))
        .load(conn)?;
    let sensors = sensors
        .into_iter()
        .filter_map(|(space_id, seen)| Some(AttachedSensor { space_id: space_id?, bridge_last_seen_at: seen }))
        .collect();
    Ok(HubDevices { lockdown: lockdown.is_some(), lockdown_lifted_at, doors, door_spaces, sensors })
}

/// A confirmed booking that runs now and may have become a no-show, with what the rule needs.
#[derive(Debug, Clone, Queryable)]
pub struct NoShowCandidate {
    pub booking: Booking,
    pub check_in_modes: String,
    pub hub_id: HubId,
    pub no_show_minutes: i32,
}

/// Confirmed bookings that run at `now` (started by it, end after it: an ended booking is never a
/// no-show), at spaces with at least one check-in mode (a space with none never releases),
/// oldest first. Bounded by the end (the index of confirmed bookings by end), not by history.
///
/// # Errors
/// On a database error.
pub fn no_show_candidates(conn: &mut DbConn, now: NaiveDateTime) -> Result<Vec<NoShowCandidate>, DbError> {
    Ok(bookings::table
        .inner_join(spaces::table.inner_join(hubs::table))
        .filter(bookings::status.eq("confirmed"))
        .filter(bookings::start_at.le(now))
        .filter(ending_after(now))
        .filter(spaces::check_in_modes.ne(""))
        .order(bookings::start_at.asc())
        .select((Booking::as_select(), spaces::check_in_modes, hubs::id, hubs::no_show_minutes))
        .load(conn)?)
}

/// Marks a booking `no_show` if it is still confirmed and still runs at `now` (checked in
/// meanwhile, or shortened so that it has ended, it is left alone); returns whether it was.
///
/// # Errors
/// On a database error.
pub fn mark_no_show(conn: &mut DbConn, booking_id: &BookingId, now: NaiveDateTime) -> Result<bool, DbError> {
    Ok(diesel::update(
        bookings::table
            .find(booking_id)
            .filter(bookings::status.eq("confirmed"))
            .filter(bookings::start_at.le(now))
            .filter(ending_after(now)),
    )
    .set((bookings::status.eq("no_show"), bookings::updated_at.eq(now)))
    .execute(conn)?
        > 0)
}

/// The member's bookings of a space that are not over at `now` and start before `until`,
/// confirmed or checked in, soonest first: the QR code's candidates.
///
/// # Errors
/// On a database error.
pub fn member_bookings_of_space(
    conn: &mut DbConn,
    user_id: &UserId,
    space_id: &SpaceId,
    now: NaiveDateTime,
    until: NaiveDateTime,
) -> Result<Vec<Booking>, DbError> {
    Ok(bookings::table
        .filter(bookings::user_id.eq(user_id))
        .filter(bookings::space_id.eq(space_id))
        .filter(bookings::status.eq_any(["confirmed", "checked_in"]))
        .filter(overlapping(now, until))
        .order(bookings::start_at.asc())
        .select(Booking::as_select())
        .load(conn)?)
}
