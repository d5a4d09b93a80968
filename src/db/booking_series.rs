//! Rows and queries for booking series: the rule a member's repeating booking was made with, and
//! which bookings belong to it. The bookings themselves are ordinary rows (`db::bookings`).

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::bookings::Booking;
use super::schema::{booking_series, booking_series_dates, bookings};
use super::{DbConn, DbError};
use crate::domain::ids::{BookingId, SpaceId, UserId};

/// A series as it was made.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = booking_series)]
pub struct BookingSeries {
    pub id: String,
    pub user_id: Option<UserId>,
    pub space_id: SpaceId,
    /// `domain::recurrence::Frequency` as text.
    pub frequency: String,
    pub interval_count: i32,
    /// ISO weekday numbers, comma-separated.
    pub weekdays: String,
    pub until_date: Option<NaiveDate>,
    pub occurrences: Option<i32>,
    pub created_at: NaiveDateTime,
}

/// # Errors
/// On a database error.
pub fn insert_series(conn: &mut DbConn, series: &BookingSeries, booking_ids: &[BookingId]) -> Result<(), DbError> {
    diesel::insert_into(booking_series::table).values(series).execute(conn)?;
    for booking_id in booking_ids {
        diesel::insert_into(booking_series_dates::table)
            .values((booking_series_dates::booking_id.eq(booking_id), booking_series_dates::series_id.eq(&series.id)))
            .execute(conn)?;
    }
    Ok(())
}

/// The user's series with this id; someone else's is `None`.
///
/// # Errors
/// On a database error.
pub fn find_user_series(
    conn: &mut DbConn,
    user_id: &UserId,
    series_id: &str,
) -> Result<Option<BookingSeries>, DbError> {
    Ok(booking_series::table
        .filter(booking_series::id.eq(series_id))
        .filter(booking_series::user_id.eq(user_id))
        .select(BookingSeries::as_select())
        .first(conn)
        .optional()?)
}

/// The bookings of a series, soonest first.
///
/// # Errors
/// On a database error.
pub fn series_bookings(conn: &mut DbConn, series_id: &str) -> Result<Vec<Booking>, DbError> {
    Ok(booking_series_dates::table
        .inner_join(bookings::table)
        .filter(booking_series_dates::series_id.eq(series_id))
        .order(bookings::start_at.asc())
        .select(Booking::as_select())
        .load(conn)?)
}

/// Which of the user's bookings belong to a series: (booking, series) pairs.
///
/// # Errors
/// On a database error.
pub fn user_series_members(conn: &mut DbConn, user_id: &UserId) -> Result<Vec<(BookingId, String)>, DbError> {
    Ok(booking_series_dates::table
        .inner_join(booking_series::table)
        .filter(booking_series::user_id.eq(user_id))
        .select((booking_series_dates::booking_id, booking_series_dates::series_id))
        .load(conn)?)
}

/// The series a booking belongs to, if any.
///
/// # Errors
/// On a database error.
pub fn series_of_booking(conn: &mut DbConn, booking_id: &BookingId) -> Result<Option<String>, DbError> {
    Ok(booking_series_dates::table.find(booking_id).select(booking_series_dates::series_id).first(conn).optional()?)
}
