//! Rows and queries for door PINs: a booking's PIN verifier (a keyed hash, never the PIN) and a
//! hub's grace period. The verifier is kept out of [`super::bookings::Booking`] on purpose, so it
//! never travels with a booking into views, JSON or logs.

use crate::domain::ids::{BookingId, HubId};
use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;
use diesel::sql_types::Text;

use super::bookings::{overlapping, pin_holding};
use super::schema::{bookings, hubs, spaces};
use super::{DbConn, DbError};

/// Booking statuses whose PIN opens doors (the same as the door rule's).
pub const PIN_HOLDING: [&str; 2] = ["confirmed", "checked_in"];

/// On PostgreSQL, locks the hub row until the transaction ends, so two bookings at one hub
/// draw their PINs one after the other and cannot pick the same one. Call it after
/// [`super::bookings::lock_space_and_user`] (space, user, hub: always in this order). On SQLite
/// the write transaction's `BEGIN IMMEDIATE` already serialises writers.
///
/// # Errors
/// On a database error.
pub fn lock_hub_pins(conn: &mut DbConn, hub_id: &HubId) -> Result<(), DbError> {
    if let DbConn::Postgres(pg) = conn {
        diesel::sql_query("SELECT id FROM hubs WHERE id = $1 FOR UPDATE").bind::<Text, _>(hub_id).execute(pg)?;
    }
    Ok(())
}

/// How many minutes before a booking starts its PIN opens the hub's doors.
///
/// # Errors
/// On a database error; an unknown hub is `Ok(None)`.
pub fn hub_pin_grace_minutes(conn: &mut DbConn, hub_id: &HubId) -> Result<Option<i32>, DbError> {
    Ok(hubs::table.find(hub_id).select(hubs::pin_grace_minutes).first(conn).optional()?)
}

/// Sets a hub's grace period (0–240 minutes, checked by the schema).
///
/// # Errors
/// On a database error, including a value out of range.
pub fn set_hub_pin_grace_minutes(conn: &mut DbConn, hub_id: &HubId, minutes: i32) -> Result<(), DbError> {
    diesel::update(hubs::table.find(hub_id)).set(hubs::pin_grace_minutes.eq(minutes)).execute(conn)?;
    Ok(())
}

/// The verifiers of the hub's live PINs whose validity window `[start - grace, end)` overlaps
/// `[from, until)`, where `grace` is the hub's grace period. A new PIN must differ from all of
/// them, or the door could not tell the two bookings apart.
///
/// # Errors
/// On a database error.
pub fn overlapping_verifiers(
    conn: &mut DbConn,
    hub_id: &HubId,
    grace: Duration,
    from: NaiveDateTime,
    until: NaiveDateTime,
) -> Result<Vec<String>, DbError> {
    let verifiers: Vec<Option<String>> = bookings::table
        .inner_join(spaces::table)
        .filter(spaces::hub_id.eq(hub_id))
        .filter(pin_holding())
        .filter(bookings::pin_verifier.is_not_null())
        .filter(overlapping(from, until + grace))
        .select(bookings::pin_verifier)
        .load(conn)?;
    Ok(verifiers.into_iter().flatten().collect())
}

/// Stores (or with `None` clears, which revokes the PIN at once) a booking's verifier.
///
/// # Errors
/// On a database error.
pub fn set_pin_verifier(conn: &mut DbConn, booking_id: &BookingId, verifier: Option<&str>) -> Result<(), DbError> {
    diesel::update(bookings::table.find(booking_id)).set(bookings::pin_verifier.eq(verifier)).execute(conn)?;
    Ok(())
}

/// The booking's stored verifier, if it has a PIN.
///
/// # Errors
/// On a database error.
pub fn pin_verifier(conn: &mut DbConn, booking_id: &BookingId) -> Result<Option<String>, DbError> {
    Ok(bookings::table.find(booking_id).select(bookings::pin_verifier).first(conn).optional()?.flatten())
}
