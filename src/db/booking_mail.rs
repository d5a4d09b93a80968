//! Booking columns that only the e-mails about a booking use: the calendar entry's revision
//! number (RFC 5545 `SEQUENCE`) and when the reminder was written.

use crate::domain::ids::BookingId;
use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;

use super::bookings::Booking;
use super::schema::bookings;
use super::{DbConn, DbError};

/// The revision of the booking's calendar entry: 0 when confirmed, raised with every change
/// sent to the member's calendar.
///
/// # Errors
/// On a database error; an unknown booking is 0.
pub fn calendar_sequence(conn: &mut DbConn, booking_id: &BookingId) -> Result<i32, DbError> {
    Ok(bookings::table.find(booking_id).select(bookings::calendar_sequence).first(conn).optional()?.unwrap_or(0))
}

/// Raises the revision and returns the new one, for a change that updates the calendar entry.
///
/// # Errors
/// On a database error.
pub fn raise_calendar_sequence(conn: &mut DbConn, booking_id: &BookingId) -> Result<i32, DbError> {
    diesel::update(bookings::table.find(booking_id))
        .set(bookings::calendar_sequence.eq(bookings::calendar_sequence + 1))
        .execute(conn)?;
    calendar_sequence(conn, booking_id)
}

/// Confirmed bookings that start within `lead` after `now`, have had no reminder, and were
/// booked before their reminder time (someone who books for in two hours has just had the
/// confirmation and needs no reminder). The window is at most a day of bookings, so no limit.
///
/// # Errors
/// On a database error.
pub fn due_reminders(conn: &mut DbConn, now: NaiveDateTime, lead: Duration) -> Result<Vec<Booking>, DbError> {
    let candidates: Vec<Booking> = bookings::table
        .filter(bookings::status.eq("confirmed"))
        .filter(bookings::reminder_sent_at.is_null())
        .filter(bookings::user_id.is_not_null())
        .filter(bookings::start_at.gt(now))
        .filter(bookings::start_at.le(now + lead))
        .order(bookings::start_at.asc())
        .select(Booking::as_select())
        .load(conn)?;
    Ok(candidates.into_iter().filter(|b| b.created_at < b.start_at - lead).collect())
}

/// Marks the reminder as written unless it was already; `true` when this call marked it, so
/// that exactly one caller writes the mail.
///
/// # Errors
/// On a database error.
pub fn mark_reminder_sent(conn: &mut DbConn, booking_id: &BookingId, at: NaiveDateTime) -> Result<bool, DbError> {
    let updated = diesel::update(bookings::table.find(booking_id).filter(bookings::reminder_sent_at.is_null()))
        .set(bookings::reminder_sent_at.eq(Some(at)))
        .execute(conn)?;
    Ok(updated == 1)
}
