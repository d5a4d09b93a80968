//! Rows and queries for changing a booking that exists: moving it to another time or space and
//! ending it early. The counts leave the booking being changed out, so a move is checked against
//! the person's other bookings only. Intervals are half-open `[start_at, end_at)` in UTC.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::bookings::OCCUPYING;
use super::schema::bookings;
use super::{DbConn, DbError};

/// How many of the user's occupying bookings other than `booking_id` overlap `[start, end)`.
///
/// # Errors
/// On a database error.
pub fn count_other_user_overlaps(
    conn: &mut DbConn,
    user_id: &str,
    booking_id: &str,
    start: NaiveDateTime,
    end: NaiveDateTime,
) -> Result<i64, DbError> {
    Ok(bookings::table
        .filter(bookings::user_id.eq(user_id))
        .filter(bookings::id.ne(booking_id))
        .filter(bookings::status.eq_any(OCCUPYING))
        .filter(bookings::start_at.lt(end))
        .filter(bookings::end_at.gt(start))
        .count()
        .get_result(conn)?)
}

/// How many of the user's occupying bookings other than `booking_id` have not ended at `now`.
///
/// # Errors
/// On a database error.
pub fn count_other_user_upcoming(
    conn: &mut DbConn,
    user_id: &str,
    booking_id: &str,
    now: NaiveDateTime,
) -> Result<i64, DbError> {
    Ok(bookings::table
        .filter(bookings::user_id.eq(user_id))
        .filter(bookings::id.ne(booking_id))
        .filter(bookings::status.eq_any(OCCUPYING))
        .filter(bookings::end_at.gt(now))
        .count()
        .get_result(conn)?)
}

/// Where a booking moves to.
#[derive(Debug, Clone, Copy)]
pub struct MovedBooking<'a> {
    pub space_id: &'a str,
    pub start_at: NaiveDateTime,
    pub end_at: NaiveDateTime,
    pub status: &'a str,
}

/// Moves a booking to another space, time or status in one statement. The PIN verifier and the
/// calendar sequence stay on the row.
///
/// # Errors
/// On a database error; an overlap refused by the database (PostgreSQL's exclusion constraint,
/// SQLite's trigger) is recognised with [`super::is_booking_overlap`].
pub fn move_booking(
    conn: &mut DbConn,
    booking_id: &str,
    to: MovedBooking<'_>,
    at: NaiveDateTime,
) -> Result<(), diesel::result::Error> {
    diesel::update(bookings::table.find(booking_id))
        .set((
            bookings::space_id.eq(to.space_id),
            bookings::start_at.eq(to.start_at),
            bookings::end_at.eq(to.end_at),
            bookings::status.eq(to.status),
            bookings::updated_at.eq(at),
        ))
        .execute(conn)?;
    Ok(())
}

/// Ends a booking early at `end`, with the status it has from then on.
///
/// # Errors
/// On a database error.
pub fn end_booking_at(
    conn: &mut DbConn,
    booking_id: &str,
    end: NaiveDateTime,
    status: &str,
    at: NaiveDateTime,
) -> Result<(), DbError> {
    diesel::update(bookings::table.find(booking_id))
        .set((bookings::end_at.eq(end), bookings::status.eq(status), bookings::updated_at.eq(at)))
        .execute(conn)?;
    Ok(())
}
