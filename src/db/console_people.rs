//! Queries of the console's people area: finding users by name or address, a hub's bookings with
//! who booked them, removing a role, and the bookings whose PINs a block revokes.

use crate::domain::ids::{BookingId, HubId, SpaceId, UserId};
use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel::sql_types::Bool;

use super::bookings::{Booking, ending_after, occupying, overlapping};
use super::catalog::Space;
use super::schema::{bookings, spaces, user_roles, users};
use super::users::User;
use super::{DbConn, DbError, contains_ignoring_case, contains_pattern};

type Backend = <DbConn as diesel::Connection>::Backend;

/// The status of a request waiting for approval (`domain::vocabulary::BookingStatus::Pending`).
const PENDING: &str = "pending";

/// Users whose name or address contains `needle` (any case); every user for an empty one.
fn matching(needle: &str) -> Box<dyn BoxableExpression<users::table, Backend, SqlType = Bool>> {
    match contains_pattern(needle) {
        None => Box::new(diesel::dsl::sql::<Bool>("1 = 1")),
        Some(pattern) => Box::new(
            contains_ignoring_case(users::name, pattern.clone()).or(contains_ignoring_case(users::email, pattern)),
        ),
    }
}

/// One page of the users matching `needle` by name, then address, and how many match in all.
///
/// # Errors
/// On a database error.
pub fn search_users(conn: &mut DbConn, needle: &str, offset: i64, limit: i64) -> Result<(Vec<User>, i64), DbError> {
    let total = users::table.filter(matching(needle)).count().get_result(conn)?;
    let rows = users::table
        .filter(matching(needle))
        .order((users::name.asc(), users::email.asc()))
        .offset(offset)
        .limit(limit)
        .select(User::as_select())
        .load(conn)?;
    Ok((rows, total))
}

/// Removes one role of the user; returns whether it was theirs.
///
/// # Errors
/// On a database error.
pub fn delete_role(conn: &mut DbConn, user_id: &UserId, role_id: &str) -> Result<bool, DbError> {
    let deleted =
        diesel::delete(user_roles::table.filter(user_roles::id.eq(role_id)).filter(user_roles::user_id.eq(user_id)))
            .execute(conn)?;
    Ok(deleted == 1)
}

/// What the console's booking list filters by. Intervals are half-open and in UTC.
#[derive(Debug, Clone)]
pub struct HubBookingFilter {
    /// Only bookings that end after this.
    pub ends_after: NaiveDateTime,
    /// Only bookings that start before this, if given.
    pub starts_before: Option<NaiveDateTime>,
    /// Only these statuses; every status when empty.
    pub statuses: Vec<String>,
    pub limit: i64,
}

/// The bookings, spaces and people the list reads, joined.
type Joined = diesel::dsl::LeftJoinOn<
    diesel::dsl::InnerJoin<bookings::table, spaces::table>,
    users::table,
    diesel::dsl::Eq<bookings::user_id, diesel::dsl::Nullable<users::id>>,
>;

/// A hub's bookings that pass the filter (without its limit), for both the list and its count.
fn filtered_hub_bookings(
    hub_id: &HubId,
    filter: &HubBookingFilter,
) -> diesel::dsl::IntoBoxed<'static, Joined, Backend> {
    let mut query = bookings::table
        .inner_join(spaces::table)
        .left_join(users::table.on(bookings::user_id.eq(users::id.nullable())))
        .into_boxed()
        .filter(spaces::hub_id.eq(hub_id.clone()))
        .filter(ending_after(filter.ends_after));
    if let Some(until) = filter.starts_before {
        query = query.filter(bookings::start_at.lt(until));
    }
    if !filter.statuses.is_empty() {
        query = query.filter(bookings::status.eq_any(filter.statuses.clone()));
    }
    query
}

/// A hub's bookings that pass the filter, at most `filter.limit`, with their space and (unless
/// the account was deleted) the person: requests waiting for approval first, then by start. The
/// order is the database's so that the limit never cuts off a request in favour of an earlier
/// confirmed booking.
///
/// # Errors
/// On a database error.
pub fn list_hub_bookings(
    conn: &mut DbConn,
    hub_id: &HubId,
    filter: &HubBookingFilter,
) -> Result<Vec<(Booking, Space, Option<User>)>, DbError> {
    Ok(filtered_hub_bookings(hub_id, filter)
        // `status <> 'pending'` is false for requests, and false sorts first on both backends.
        .order((bookings::status.ne(PENDING).asc(), bookings::start_at.asc(), bookings::id.asc()))
        .limit(filter.limit)
        .select((Booking::as_select(), Space::as_select(), Option::<User>::as_select()))
        .load(conn)?)
}

/// How many of the hub's bookings that pass the filter (without its limit) are requests waiting
/// for approval.
///
/// # Errors
/// On a database error.
pub fn count_pending_hub_bookings(
    conn: &mut DbConn,
    hub_id: &HubId,
    filter: &HubBookingFilter,
) -> Result<i64, DbError> {
    Ok(filtered_hub_bookings(hub_id, filter).filter(bookings::status.eq(PENDING)).count().get_result(conn)?)
}

/// How many occupying bookings of the space other than `booking_id` overlap `[start, end)`:
/// whether the time of a booking that no longer occupies its space was taken meanwhile.
///
/// # Errors
/// On a database error.
pub fn count_other_space_overlaps(
    conn: &mut DbConn,
    space_id: &SpaceId,
    booking_id: &BookingId,
    start: NaiveDateTime,
    end: NaiveDateTime,
) -> Result<i64, DbError> {
    Ok(bookings::table
        .filter(bookings::space_id.eq(space_id))
        .filter(bookings::id.ne(booking_id))
        .filter(occupying())
        .filter(overlapping(start, end))
        .count()
        .get_result(conn)?)
}

/// The ids of the user's bookings that hold a PIN verifier.
///
/// # Errors
/// On a database error.
pub fn user_bookings_with_pins(conn: &mut DbConn, user_id: &UserId) -> Result<Vec<BookingId>, DbError> {
    Ok(bookings::table
        .filter(bookings::user_id.eq(user_id))
        .filter(bookings::pin_verifier.is_not_null())
        .select(bookings::id)
        .load(conn)?)
}
