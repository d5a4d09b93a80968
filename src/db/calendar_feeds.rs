//! Rows and queries for members' calendar feeds (a secret address per member that calendar apps
//! subscribe to) and the bookings a feed lists. Only the SHA-256 of a feed's secret is stored.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::bookings::Booking;
use super::schema::{bookings, calendar_feeds, users};
use super::users::User;
use super::{DbConn, DbError};
use crate::domain::ids::UserId;

/// One feed address of a member; it works while `revoked_at` is empty.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = calendar_feeds)]
pub struct CalendarFeed {
    pub id: String,
    pub user_id: UserId,
    pub token_hash: String,
    pub created_at: NaiveDateTime,
    pub last_used_at: Option<NaiveDateTime>,
    pub revoked_at: Option<NaiveDateTime>,
}

/// # Errors
/// On a database error.
pub fn insert_feed(conn: &mut DbConn, feed: &CalendarFeed) -> Result<(), DbError> {
    diesel::insert_into(calendar_feeds::table).values(feed).execute(conn)?;
    Ok(())
}

/// Revokes every working feed of the user; returns how many there were.
///
/// # Errors
/// On a database error.
pub fn revoke_user_feeds(conn: &mut DbConn, user_id: &UserId, at: NaiveDateTime) -> Result<usize, DbError> {
    Ok(diesel::update(
        calendar_feeds::table.filter(calendar_feeds::user_id.eq(user_id)).filter(calendar_feeds::revoked_at.is_null()),
    )
    .set(calendar_feeds::revoked_at.eq(Some(at)))
    .execute(conn)?)
}

/// The user's working feed, if there is one.
///
/// # Errors
/// On a database error.
pub fn find_user_feed(conn: &mut DbConn, user_id: &UserId) -> Result<Option<CalendarFeed>, DbError> {
    Ok(calendar_feeds::table
        .filter(calendar_feeds::user_id.eq(user_id))
        .filter(calendar_feeds::revoked_at.is_null())
        .order(calendar_feeds::created_at.desc())
        .select(CalendarFeed::as_select())
        .first(conn)
        .optional()?)
}

/// The working feed with this secret's hash, and its member.
///
/// # Errors
/// On a database error.
pub fn find_feed_by_hash(conn: &mut DbConn, token_hash: &str) -> Result<Option<(CalendarFeed, User)>, DbError> {
    Ok(calendar_feeds::table
        .inner_join(users::table)
        .filter(calendar_feeds::token_hash.eq(token_hash))
        .filter(calendar_feeds::revoked_at.is_null())
        .select((CalendarFeed::as_select(), User::as_select()))
        .first(conn)
        .optional()?)
}

/// Records when a calendar app last fetched the feed, so its member can tell a feed in use.
///
/// # Errors
/// On a database error.
pub fn touch_feed(conn: &mut DbConn, feed_id: &str, at: NaiveDateTime) -> Result<(), DbError> {
    diesel::update(calendar_feeds::table.find(feed_id)).set(calendar_feeds::last_used_at.eq(Some(at))).execute(conn)?;
    Ok(())
}

/// The user's bookings that start after `from`, soonest first, each with its calendar revision.
/// Bounded from below on the `(user_id, start_at)` index, so years of history cost nothing.
///
/// # Errors
/// On a database error.
pub fn feed_bookings(conn: &mut DbConn, user_id: &UserId, from: NaiveDateTime) -> Result<Vec<(Booking, i32)>, DbError> {
    Ok(bookings::table
        .filter(bookings::user_id.eq(user_id))
        .filter(bookings::start_at.gt(from))
        .order(bookings::start_at.asc())
        .select((Booking::as_select(), bookings::calendar_sequence))
        .load(conn)?)
}
