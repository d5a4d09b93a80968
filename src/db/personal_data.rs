//! Queries that gather or remove everything stored about one person: the "download all my data"
//! export and the deletion of an account. Kept together so a new table with personal data has one
//! obvious place to be added to both.

use crate::domain::ids::UserId;
use chrono::NaiveDateTime;
use diesel::prelude::*;

use diesel::sql_types::Text;

use super::bookings::ending_after;
use super::schema::{
    api_tokens, audit_log, booking_purposes, booking_series, bookings, calendar_feeds, email_tokens,
    house_rule_acceptances, hubs, sessions, spaces, user_roles, users, waitlist_entries,
};
use super::stored::BookingsStatus;
use super::{DbConn, DbError, contains_pattern};
use crate::domain::vocabulary::BookingStatus;

/// What the audit trail says instead of a deleted person's name and address.
const DELETED_PERSON: &str = "(deleted account)";

#[diesel::declare_sql_function]
extern "SQL" {
    /// SQL `replace()` (the same on SQLite and PostgreSQL).
    fn replace(text: Text, from: Text, to: Text) -> Text;
}

/// A booking of the person as the export shows it: with the space's and hub's names.
#[derive(Debug, Clone, Queryable)]
pub struct BookingForExport {
    pub id: String,
    pub hub_name: String,
    pub space_name: String,
    pub start_at: NaiveDateTime,
    pub end_at: NaiveDateTime,
    #[diesel(deserialize_as = BookingsStatus)]
    pub status: BookingStatus,
    pub created_at: NaiveDateTime,
    pub cancelled_at: Option<NaiveDateTime>,
}

/// Every booking of the user, oldest first.
///
/// # Errors
/// On a database error.
pub fn list_bookings_for_export(conn: &mut DbConn, user_id: &UserId) -> Result<Vec<BookingForExport>, DbError> {
    Ok(bookings::table
        .inner_join(spaces::table.inner_join(hubs::table))
        .filter(bookings::user_id.eq(user_id))
        .order(bookings::start_at.asc())
        .select((
            bookings::id,
            hubs::name,
            spaces::name,
            bookings::start_at,
            bookings::end_at,
            bookings::status,
            bookings::created_at,
            bookings::cancelled_at,
        ))
        .load(conn)?)
}

/// Cancels the user's bookings that have not ended and still hold their space, so a deleted
/// account leaves no door access behind; returns how many.
///
/// # Errors
/// On a database error.
pub fn cancel_unfinished_bookings(conn: &mut DbConn, user_id: &UserId, now: NaiveDateTime) -> Result<usize, DbError> {
    Ok(diesel::update(
        bookings::table
            .filter(bookings::user_id.eq(user_id))
            .filter(ending_after(now))
            .filter(bookings::status.eq_any(["pending", "confirmed"])),
    )
    .set((
        bookings::status.eq("cancelled"),
        bookings::cancelled_at.eq(Some(now)),
        bookings::updated_at.eq(now),
        // The door PIN goes with the booking at once.
        bookings::pin_verifier.eq(None::<String>),
    ))
    .execute(conn)?)
}

/// Deletes the user and everything that is theirs alone; bookings stay for the hubs' statistics
/// with the person removed (`user_id` and `created_by` set to NULL).
///
/// # Errors
/// On a database error.
pub fn delete_user_and_anonymise(conn: &mut DbConn, user_id: &UserId, now: NaiveDateTime) -> Result<(), DbError> {
    // A booking's purpose may name people: it goes with the person, the booking stays.
    let own_bookings = bookings::table.filter(bookings::user_id.eq(user_id)).select(bookings::id);
    diesel::delete(booking_purposes::table.filter(booking_purposes::booking_id.eq_any(own_bookings))).execute(conn)?;
    diesel::delete(house_rule_acceptances::table.filter(house_rule_acceptances::user_id.eq(user_id))).execute(conn)?;
    diesel::update(bookings::table.filter(bookings::user_id.eq(user_id)))
        .set((bookings::user_id.eq(None::<String>), bookings::updated_at.eq(now)))
        .execute(conn)?;
    diesel::update(bookings::table.filter(bookings::created_by.eq(user_id)))
        .set(bookings::created_by.eq(None::<String>))
        .execute(conn)?;
    diesel::delete(sessions::table.filter(sessions::user_id.eq(user_id))).execute(conn)?;
    diesel::delete(email_tokens::table.filter(email_tokens::user_id.eq(user_id))).execute(conn)?;
    diesel::delete(api_tokens::table.filter(api_tokens::user_id.eq(user_id))).execute(conn)?;
    diesel::delete(calendar_feeds::table.filter(calendar_feeds::user_id.eq(user_id))).execute(conn)?;
    diesel::delete(waitlist_entries::table.filter(waitlist_entries::user_id.eq(user_id))).execute(conn)?;
    diesel::update(booking_series::table.filter(booking_series::user_id.eq(user_id)))
        .set(booking_series::user_id.eq(None::<String>))
        .execute(conn)?;
    diesel::delete(user_roles::table.filter(user_roles::user_id.eq(user_id))).execute(conn)?;
    let person: Option<(String, String)> =
        users::table.find(user_id).select((users::name, users::email)).first(conn).optional()?;
    if let Some((name, email)) = person {
        forget_in_audit_trail(conn, &name, &email)?;
    }
    diesel::delete(users::table.find(user_id)).execute(conn)?;
    Ok(())
}

/// The audit trail names the people staff acted for ("Name <address>", or the address alone);
/// a deleted person's entries keep what was done but no longer say to whom.
fn forget_in_audit_trail(conn: &mut DbConn, name: &str, email: &str) -> Result<(), DbError> {
    let Some(pattern) = contains_pattern(email) else { return Ok(()) };
    let labelled = format!("{name} <{email}>");
    let mentions = || {
        audit_log::subject.like(pattern.clone()).escape('\\').or(audit_log::details.like(pattern.clone()).escape('\\'))
    };
    for text in [labelled.as_str(), email] {
        diesel::update(audit_log::table.filter(mentions()))
            .set((
                audit_log::subject.eq(replace(audit_log::subject, text, DELETED_PERSON)),
                audit_log::details.eq(replace(audit_log::details, text, DELETED_PERSON)),
            ))
            .execute(conn)?;
    }
    Ok(())
}
