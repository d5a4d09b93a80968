//! Rows and queries for changing a booking that exists: moving it to another time or space and
//! ending it early. The counts leave the booking being changed out, so a move is checked against
//! the person's other bookings only. Intervals are half-open `[start_at, end_at)` in UTC.

use crate::domain::ids::{BookingId, SpaceId, UserId};
use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::bookings::{Booking, ending_after, occupying, overlapping};
use super::schema::bookings;
use super::{DbConn, DbError};

/// How many of the user's occupying bookings other than `booking_id` overlap `[start, end)`.
///
/// # Errors
/// On a database error.
pub fn count_other_user_overlaps(
    conn: &mut DbConn,
    user_id: &UserId,
    booking_id: &BookingId,
    start: NaiveDateTime,
    end: NaiveDateTime,
) -> Result<i64, DbError> {
    Ok(bookings::table
        .filter(bookings::user_id.eq(user_id))
        .filter(bookings::id.ne(booking_id))
        .filter(occupying())
        .filter(overlapping(start, end))
        .count()
        .get_result(conn)?)
}

/// How many of the user's occupying bookings other than `booking_id` have not ended at `now`.
///
/// # Errors
/// On a database error.
pub fn count_other_user_upcoming(
    conn: &mut DbConn,
    user_id: &UserId,
    booking_id: &BookingId,
    now: NaiveDateTime,
) -> Result<i64, DbError> {
    Ok(bookings::table
        .filter(bookings::user_id.eq(user_id))
        .filter(bookings::id.ne(booking_id))
        .filter(occupying())
        .filter(ending_after(now))
        .count()
        .get_result(conn)?)
}

/// Where a booking moves to.
#[derive(Debug, Clone, Copy)]
pub struct MovedBooking<'a> {
    pub space_id: &'a SpaceId,
    pub start_at: NaiveDateTime,
    pub end_at: NaiveDateTime,
    pub status: &'a str,
}

/// Moves a booking to another space, time or status in one statement. The PIN verifier and the
/// calendar sequence stay on the row. The write applies only while the row still has the space,
/// time and status of `seen`, the state the move was decided on: a check-in or a release that
/// landed in between is never undone. Returns whether the row was written; `false` means it
/// changed meanwhile (or is gone) and the caller must roll back.
///
/// # Errors
/// On a database error; an overlap refused by the database (PostgreSQL's exclusion constraint,
/// SQLite's trigger) is recognised with [`super::is_booking_overlap`].
pub fn move_booking(
    conn: &mut DbConn,
    seen: &Booking,
    to: MovedBooking<'_>,
    at: NaiveDateTime,
) -> Result<bool, diesel::result::Error> {
    let written = diesel::update(
        bookings::table
            .find(&seen.id)
            .filter(bookings::status.eq(seen.status.as_str()))
            .filter(bookings::space_id.eq(&seen.space_id))
            .filter(bookings::start_at.eq(seen.start_at))
            .filter(bookings::end_at.eq(seen.end_at)),
    )
    .set((
        bookings::space_id.eq(to.space_id),
        bookings::start_at.eq(to.start_at),
        bookings::end_at.eq(to.end_at),
        bookings::status.eq(to.status),
        bookings::updated_at.eq(at),
    ))
    .execute(conn)?;
    Ok(written == 1)
}

/// How a booking ends early.
#[derive(Debug, Clone, Copy)]
pub struct EndedBooking<'a> {
    pub end_at: NaiveDateTime,
    /// The status from then on.
    pub status: &'a str,
    /// Set when the booking is completed at once without anyone having checked in, so it is
    /// never counted as attended.
    pub completed_without_check_in: bool,
}

/// Ends a booking early. Like [`move_booking`], the write applies only while the row still has
/// the state of `seen`; returns whether the row was written.
///
/// # Errors
/// On a database error.
pub fn end_booking_at(
    conn: &mut DbConn,
    seen: &Booking,
    ended: EndedBooking<'_>,
    at: NaiveDateTime,
) -> Result<bool, DbError> {
    let written = diesel::update(
        bookings::table
            .find(&seen.id)
            .filter(bookings::status.eq(seen.status.as_str()))
            .filter(bookings::space_id.eq(&seen.space_id))
            .filter(bookings::start_at.eq(seen.start_at))
            .filter(bookings::end_at.eq(seen.end_at)),
    )
    .set((
        bookings::end_at.eq(ended.end_at),
        bookings::status.eq(ended.status),
        bookings::completed_without_check_in.eq(ended.completed_without_check_in),
        bookings::updated_at.eq(at),
    ))
    .execute(conn)?;
    Ok(written == 1)
}
