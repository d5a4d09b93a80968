//! Queries of the booking life cycle's periodic passes: requests whose start has come without a
//! decision, and confirmed or checked-in bookings that have ended. Both sets are small by
//! construction (a booking leaves them once decided or completed), so the reads have no lower
//! bound in time and still reach rows left behind by a long outage; each is served by a partial
//! index on the rows in that state (migration `booking_life_cycle`) and limited to a batch,
//! oldest first. Each change is a conditional update, so two service
//! instances running the same pass never both act on one booking. The rules (what happens, who
//! is told) live in `service::approvals`.

use crate::domain::ids::BookingId;
use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::bookings::Booking;
use super::schema::bookings;
use super::{DbConn, DbError};

/// A request waiting for approval (`domain::vocabulary::BookingStatus::Pending`).
const PENDING: &str = "pending";
/// What a declined request becomes (the status set has no "declined"); it frees the space.
const DECLINED: &str = "cancelled";
/// The statuses of a booking that is going to happen or happening.
const CONFIRMED: &str = "confirmed";
const CHECKED_IN: &str = "checked_in";
const COMPLETED: &str = "completed";

/// Requests still waiting whose start is at or before `now`, however long ago, oldest start
/// first, at most `limit`.
///
/// # Errors
/// On a database error.
pub fn undecided_started_requests(conn: &mut DbConn, now: NaiveDateTime, limit: i64) -> Result<Vec<Booking>, DbError> {
    Ok(bookings::table
        .filter(bookings::status.eq(PENDING))
        .filter(bookings::start_at.le(now))
        .order((bookings::start_at.asc(), bookings::id.asc()))
        .limit(limit)
        .select(Booking::as_select())
        .load(conn)?)
}

/// Declines a request if it is still waiting (the space is free again); returns whether it was.
/// The condition makes the decision and the pass exclusive: whoever changes the row first wins.
///
/// # Errors
/// On a database error.
pub fn decline_if_pending(conn: &mut DbConn, booking_id: &BookingId, at: NaiveDateTime) -> Result<bool, DbError> {
    Ok(diesel::update(bookings::table.find(booking_id).filter(bookings::status.eq(PENDING)))
        .set((bookings::status.eq(DECLINED), bookings::cancelled_at.eq(Some(at)), bookings::updated_at.eq(at)))
        .execute(conn)?
        > 0)
}

/// Confirmed or checked-in bookings whose end is at or before `now`, however long ago, oldest
/// end first, at most `limit`; their ids.
///
/// # Errors
/// On a database error.
pub fn ended_holding_bookings(conn: &mut DbConn, now: NaiveDateTime, limit: i64) -> Result<Vec<BookingId>, DbError> {
    Ok(bookings::table
        .filter(bookings::status.eq_any([CONFIRMED, CHECKED_IN]))
        .filter(bookings::end_at.le(now))
        .order((bookings::end_at.asc(), bookings::id.asc()))
        .limit(limit)
        .select(bookings::id)
        .load(conn)?)
}

/// Completes those of `booking_ids` that are still confirmed or checked in and have ended by
/// `now`, in one statement; returns how many. One that was only confirmed is marked as completed
/// without a check-in, so it is never counted as attended. The status condition makes it
/// exclusive: a booking another instance (or the no-show release) changed first is left as it is.
///
/// # Errors
/// On a database error.
pub fn complete_ended(conn: &mut DbConn, booking_ids: &[BookingId], now: NaiveDateTime) -> Result<usize, DbError> {
    if booking_ids.is_empty() {
        return Ok(0);
    }
    Ok(diesel::update(
        bookings::table
            .filter(bookings::id.eq_any(booking_ids))
            .filter(bookings::status.eq_any([CONFIRMED, CHECKED_IN]))
            .filter(bookings::end_at.le(now)),
    )
    .set((
        bookings::completed_without_check_in.eq(bookings::status.eq(CONFIRMED)),
        bookings::status.eq(COMPLETED),
        bookings::updated_at.eq(now),
    ))
    .execute(conn)?)
}

/// Whether a completed booking was completed without anyone checking in.
///
/// # Errors
/// On a database error.
pub fn completed_without_check_in(conn: &mut DbConn, booking_id: &BookingId) -> Result<bool, DbError> {
    Ok(bookings::table
        .find(booking_id)
        .select(bookings::completed_without_check_in)
        .first(conn)
        .optional()?
        .unwrap_or(false))
}
