//! Rows and queries for bookings. Intervals are half-open `[start_at, end_at)` in UTC.
//!
//! Which bookings count as occupying a space is decided here once (`OCCUPYING`), matching the
//! PostgreSQL exclusion constraint and the SQLite triggers.

use crate::domain::ids::{BookingId, HubId, SpaceId, UserId};
use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel::sql_types::Text;

use super::schema::{bookings, spaces};
use super::stored::BookingsStatus;
use super::{DbConn, DbError};
use crate::domain::booking::LONGEST_BOOKING;
use crate::domain::vocabulary::BookingStatus;

/// Bookings that overlap `[start, end)`: `start_at < end AND end_at > start`, plus the lower
/// bound `start_at > start - LONGEST_BOOKING` below which no overlapping booking can start (the
/// database refuses longer bookings). With it the `(…, start_at)` indexes read only the bookings
/// near the window, however many years of history lie before it.
#[diesel::dsl::auto_type]
pub fn overlapping(start: NaiveDateTime, end: NaiveDateTime) -> _ {
    let earliest: NaiveDateTime = earliest_start_meeting(start);
    bookings::start_at.lt(end).and(bookings::end_at.gt(start)).and(bookings::start_at.gt(earliest))
}

// `pin_holding()` and `occupying()` write their lists out by index: a status added to either list
// must be added there too, and this stops the build until it is.
const _: () = assert!(crate::db::pins::PIN_HOLDING.len() == 2 && OCCUPYING.len() == 4);

/// Bookings whose status holds a door PIN ([`crate::db::pins::PIN_HOLDING`]: confirmed or checked
/// in), as a chain of equalities for the same reason as [`occupying`]: the booking's PIN draw and
/// every bridge snapshot read with it.
#[diesel::dsl::auto_type]
pub fn pin_holding() -> _ {
    let confirmed: &'static str = crate::db::pins::PIN_HOLDING[0];
    let checked_in: &'static str = crate::db::pins::PIN_HOLDING[1];
    bookings::status.eq(confirmed).or(bookings::status.eq(checked_in))
}

/// Bookings whose status occupies their space ([`OCCUPYING`]), as a chain of equalities rather
/// than `status IN (…)`: diesel never caches a statement with an `IN` list on SQLite, so every
/// overlap query would be compiled anew on each use.
#[diesel::dsl::auto_type]
pub fn occupying() -> _ {
    let pending: &'static str = OCCUPYING[0];
    let confirmed: &'static str = OCCUPYING[1];
    let checked_in: &'static str = OCCUPYING[2];
    let completed: &'static str = OCCUPYING[3];
    bookings::status
        .eq(pending)
        .or(bookings::status.eq(confirmed))
        .or(bookings::status.eq(checked_in))
        .or(bookings::status.eq(completed))
}

/// Bookings that have not ended at `moment` (`end_at > moment`), with the same lower bound on
/// `start_at` as [`overlapping`].
#[diesel::dsl::auto_type]
pub fn ending_after(moment: NaiveDateTime) -> _ {
    let earliest: NaiveDateTime = earliest_start_meeting(moment);
    bookings::end_at.gt(moment).and(bookings::start_at.gt(earliest))
}

/// The start before which no booking can still run at `moment`.
fn earliest_start_meeting(moment: NaiveDateTime) -> NaiveDateTime {
    moment.checked_sub_signed(LONGEST_BOOKING).unwrap_or(NaiveDateTime::MIN)
}

/// Statuses that hold a space; cancelled and no-show bookings free it.
pub const OCCUPYING: [&str; 4] = ["pending", "confirmed", "checked_in", "completed"];

/// A booking of one space by one person (`user_id` is empty once the person deleted their
/// account: the booking stays for the hub's statistics, anonymised).
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = bookings)]
pub struct Booking {
    pub id: BookingId,
    pub space_id: SpaceId,
    pub user_id: Option<UserId>,
    pub start_at: NaiveDateTime,
    pub end_at: NaiveDateTime,
    #[diesel(deserialize_as = BookingsStatus, serialize_as = String)]
    pub status: BookingStatus,
    pub created_by: Option<UserId>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub cancelled_at: Option<NaiveDateTime>,
}

/// A taken interval of a space, without who booked it.
#[derive(Debug, Clone, Queryable)]
pub struct TakenInterval {
    pub space_id: SpaceId,
    pub start_at: NaiveDateTime,
    pub end_at: NaiveDateTime,
}

/// On PostgreSQL, locks the space and the user rows until the transaction ends, so that two
/// bookings of one space, or two bookings of one person, are checked one after the other. On
/// SQLite the `BEGIN IMMEDIATE` of [`super::write_transaction`] already serialises writers.
///
/// # Errors
/// On a database error.
pub fn lock_space_and_user(conn: &mut DbConn, space_id: &SpaceId, user_id: &UserId) -> Result<(), DbError> {
    if let DbConn::Postgres(pg) = conn {
        diesel::sql_query("SELECT id FROM spaces WHERE id = $1 FOR UPDATE").bind::<Text, _>(space_id).execute(pg)?;
        diesel::sql_query("SELECT id FROM users WHERE id = $1 FOR UPDATE").bind::<Text, _>(user_id).execute(pg)?;
    }
    Ok(())
}

/// How many occupying bookings of the space overlap `[start, end)`.
///
/// # Errors
/// On a database error.
pub fn count_space_overlaps(
    conn: &mut DbConn,
    space_id: &SpaceId,
    start: NaiveDateTime,
    end: NaiveDateTime,
) -> Result<i64, DbError> {
    Ok(bookings::table
        .filter(bookings::space_id.eq(space_id))
        .filter(occupying())
        .filter(overlapping(start, end))
        .count()
        .get_result(conn)?)
}

/// How many of the user's occupying bookings (any space) overlap `[start, end)`.
///
/// # Errors
/// On a database error.
pub fn count_user_overlaps(
    conn: &mut DbConn,
    user_id: &UserId,
    start: NaiveDateTime,
    end: NaiveDateTime,
) -> Result<i64, DbError> {
    Ok(bookings::table
        .filter(bookings::user_id.eq(user_id))
        .filter(occupying())
        .filter(overlapping(start, end))
        .count()
        .get_result(conn)?)
}

/// How many of the user's occupying bookings have not ended at `now`.
///
/// # Errors
/// On a database error.
pub fn count_user_upcoming(conn: &mut DbConn, user_id: &UserId, now: NaiveDateTime) -> Result<i64, DbError> {
    Ok(bookings::table
        .filter(bookings::user_id.eq(user_id))
        .filter(occupying())
        .filter(ending_after(now))
        .count()
        .get_result(conn)?)
}

/// # Errors
/// On a database error; an overlap refused by the database is recognised with
/// [`super::is_booking_overlap`].
pub fn insert_booking(conn: &mut DbConn, booking: &Booking) -> Result<(), diesel::result::Error> {
    diesel::insert_into(bookings::table).values(booking.clone()).execute(conn)?;
    Ok(())
}

/// The occupying intervals of a hub's spaces that overlap `[start, end)`, by start.
///
/// # Errors
/// On a database error.
pub fn list_taken_for_hub(
    conn: &mut DbConn,
    hub_id: &HubId,
    start: NaiveDateTime,
    end: NaiveDateTime,
) -> Result<Vec<TakenInterval>, DbError> {
    Ok(bookings::table
        .inner_join(spaces::table)
        .filter(spaces::hub_id.eq(hub_id))
        .filter(occupying())
        .filter(overlapping(start, end))
        .order(bookings::start_at.asc())
        .select((bookings::space_id, bookings::start_at, bookings::end_at))
        .load(conn)?)
}

/// The occupying intervals of every space that overlap `[start, end)`, by start (the start page
/// reads all hubs at once). Joined to the spaces rather than filtered by a list of their ids:
/// diesel compiles a statement with an `IN` list anew on every use on SQLite, and the join walks
/// each space's bounded range of `bookings_space_start` just as the hub's day view does.
///
/// # Errors
/// On a database error.
pub fn list_taken_of_every_space(
    conn: &mut DbConn,
    start: NaiveDateTime,
    end: NaiveDateTime,
) -> Result<Vec<TakenInterval>, DbError> {
    Ok(bookings::table
        .inner_join(spaces::table)
        .filter(occupying())
        .filter(overlapping(start, end))
        .order(bookings::start_at.asc())
        .select((bookings::space_id, bookings::start_at, bookings::end_at))
        .load(conn)?)
}

/// The user's bookings, newest start first.
///
/// # Errors
/// On a database error.
pub fn list_user_bookings(conn: &mut DbConn, user_id: &UserId) -> Result<Vec<Booking>, DbError> {
    Ok(bookings::table
        .filter(bookings::user_id.eq(user_id))
        .order(bookings::start_at.desc())
        .select(Booking::as_select())
        .load(conn)?)
}

/// The booking with this id if it belongs to this user; someone else's booking is `None`, so
/// callers cannot tell it from one that does not exist.
///
/// # Errors
/// On a database error.
pub fn find_user_booking(
    conn: &mut DbConn,
    user_id: &UserId,
    booking_id: &BookingId,
) -> Result<Option<Booking>, DbError> {
    Ok(bookings::table
        .filter(bookings::id.eq(booking_id))
        .filter(bookings::user_id.eq(user_id))
        .select(Booking::as_select())
        .first(conn)
        .optional()?)
}

/// Marks a booking cancelled, which frees its space.
///
/// # Errors
/// On a database error.
pub fn cancel_booking(conn: &mut DbConn, booking_id: &BookingId, at: NaiveDateTime) -> Result<(), DbError> {
    diesel::update(bookings::table.find(booking_id))
        .set((bookings::status.eq("cancelled"), bookings::cancelled_at.eq(Some(at)), bookings::updated_at.eq(at)))
        .execute(conn)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn no_booking_meeting_a_moment_starts_more_than_the_longest_booking_before_it() {
        let moment = NaiveDateTime::parse_from_str("2026-11-24 09:00:00", "%Y-%m-%d %H:%M:%S").unwrap();
        let earliest = NaiveDateTime::parse_from_str("2026-10-24 09:00:00", "%Y-%m-%d %H:%M:%S").unwrap();
        assert_eq!(earliest_start_meeting(moment), earliest);
        assert_eq!(earliest_start_meeting(NaiveDateTime::MIN), NaiveDateTime::MIN, "no overflow at the edge");
    }
}
