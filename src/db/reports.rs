//! Queries for the console's reports: a hub's bookings and presence buckets in a time window,
//! and the bookings with their people for the bookings export. No rules or counting here.

use crate::domain::ids::HubId;
use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::bookings::{Booking, overlapping};
use super::presence::PresenceAggregate;
use super::schema::{bookings, presence_aggregates, spaces, users};
use super::{DbConn, DbError};

/// The hub's bookings (any status) that overlap `[start, end)`.
///
/// # Errors
/// On a database error.
pub fn hub_bookings_overlapping(
    conn: &mut DbConn,
    hub_id: &HubId,
    start: NaiveDateTime,
    end: NaiveDateTime,
) -> Result<Vec<Booking>, DbError> {
    Ok(bookings::table
        .inner_join(spaces::table)
        .filter(spaces::hub_id.eq(hub_id))
        .filter(overlapping(start, end))
        .order(bookings::start_at.asc())
        .select(Booking::as_select())
        .load(conn)?)
}

/// The presence buckets of the hub's spaces that start in `[start, end)` and saw anybody.
///
/// # Errors
/// On a database error.
pub fn hub_presence_between(
    conn: &mut DbConn,
    hub_id: &HubId,
    start: NaiveDateTime,
    end: NaiveDateTime,
) -> Result<Vec<PresenceAggregate>, DbError> {
    let hub_spaces = spaces::table.filter(spaces::hub_id.eq(hub_id)).select(spaces::id);
    Ok(presence_aggregates::table
        .filter(presence_aggregates::space_id.eq_any(hub_spaces))
        .filter(presence_aggregates::bucket_start.ge(start))
        .filter(presence_aggregates::bucket_start.lt(end))
        .filter(presence_aggregates::present_seconds.gt(0))
        .order((presence_aggregates::space_id.asc(), presence_aggregates::bucket_start.asc()))
        .select(PresenceAggregate::as_select())
        .load(conn)?)
}

/// One line of the bookings export: the booking, its space's name, and its person's name and
/// e-mail address (`None` once the person deleted their account).
/// The booking, its space's name, the person's name and address (`None` once deleted), and
/// whether it was completed without anyone checking in.
pub type BookingWithPerson = (Booking, String, Option<(String, String)>, bool);

/// The hub's bookings (any status) that start in `[start, end)`, by start.
///
/// # Errors
/// On a database error.
pub fn hub_bookings_starting_with_people(
    conn: &mut DbConn,
    hub_id: &HubId,
    start: NaiveDateTime,
    end: NaiveDateTime,
) -> Result<Vec<BookingWithPerson>, DbError> {
    let rows: Vec<BookingWithPerson> = bookings::table
        .inner_join(spaces::table)
        .left_join(users::table.on(bookings::user_id.eq(users::id.nullable())))
        .filter(spaces::hub_id.eq(hub_id))
        .filter(bookings::start_at.ge(start))
        .filter(bookings::start_at.lt(end))
        .order((bookings::start_at.asc(), spaces::name.asc(), bookings::id.asc()))
        .select((
            Booking::as_select(),
            spaces::name,
            (users::name, users::email).nullable(),
            bookings::completed_without_check_in,
        ))
        .load(conn)?;
    Ok(rows)
}
