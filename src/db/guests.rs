//! Rows and queries of a booking's guests: the name, address and language the member typed and
//! the keyed verifier of the guest's PIN (never the PIN), and the access-snapshot grants they
//! make. Also a space's `guests_allowed` switch, kept out of [`super::catalog::Space`] like the
//! check-in modes so the catalogue's rows stay as they are. Who may invite is decided in
//! `domain::guests` and `service::guests`.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::access::GrantRow;
use super::bookings::{overlapping, pin_holding};
use super::schema::{booking_guests, bookings, spaces, users};
use super::{DbConn, DbError};
use crate::domain::ids::{BookingId, HubId, SpaceId};
use crate::domain::vocabulary::SpaceKind;

/// A guest invited to a booking. `withdrawn_at` set means the PIN opens nothing any more.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = booking_guests)]
pub struct Guest {
    pub id: String,
    pub booking_id: BookingId,
    pub name: String,
    pub email: String,
    /// The language of the guest's mails (`de`, `en`).
    pub locale: String,
    pub pin_verifier: String,
    pub created_at: NaiveDateTime,
    pub withdrawn_at: Option<NaiveDateTime>,
}

/// Stores an invitation; `false` when the address is already invited to the booking (the unique
/// index decides, so two invitations at once cannot both win).
///
/// # Errors
/// On any other database error.
pub fn insert_guest(conn: &mut DbConn, guest: &Guest) -> Result<bool, DbError> {
    match diesel::insert_into(booking_guests::table).values(guest).execute(conn) {
        Ok(_) => Ok(true),
        Err(diesel::result::Error::DatabaseError(diesel::result::DatabaseErrorKind::UniqueViolation, _)) => Ok(false),
        Err(error) => Err(error.into()),
    }
}

/// Every invitation of the booking, withdrawn ones too, oldest first.
///
/// # Errors
/// On a database error.
pub fn booking_guests(conn: &mut DbConn, booking_id: &BookingId) -> Result<Vec<Guest>, DbError> {
    Ok(booking_guests::table
        .filter(booking_guests::booking_id.eq(booking_id))
        .order((booking_guests::created_at.asc(), booking_guests::id.asc()))
        .select(Guest::as_select())
        .load(conn)?)
}

/// The booking's invitations that are not withdrawn.
///
/// # Errors
/// On a database error.
pub fn active_guests(conn: &mut DbConn, booking_id: &BookingId) -> Result<Vec<Guest>, DbError> {
    Ok(booking_guests::table
        .filter(booking_guests::booking_id.eq(booking_id))
        .filter(booking_guests::withdrawn_at.is_null())
        .order((booking_guests::created_at.asc(), booking_guests::id.asc()))
        .select(Guest::as_select())
        .load(conn)?)
}

/// Whether the address has an active invitation to the booking.
///
/// # Errors
/// On a database error.
pub fn is_invited(conn: &mut DbConn, booking_id: &BookingId, email: &str) -> Result<bool, DbError> {
    let found: i64 = booking_guests::table
        .filter(booking_guests::booking_id.eq(booking_id))
        .filter(booking_guests::email.eq(email))
        .filter(booking_guests::withdrawn_at.is_null())
        .count()
        .get_result(conn)?;
    Ok(found > 0)
}

/// The booking's invitation with this id, if any.
///
/// # Errors
/// On a database error.
pub fn find_guest(conn: &mut DbConn, booking_id: &BookingId, guest_id: &str) -> Result<Option<Guest>, DbError> {
    Ok(booking_guests::table
        .find(guest_id)
        .filter(booking_guests::booking_id.eq(booking_id))
        .select(Guest::as_select())
        .first(conn)
        .optional()?)
}

/// Withdraws an active invitation; returns whether it was active.
///
/// # Errors
/// On a database error.
pub fn withdraw_guest(conn: &mut DbConn, guest_id: &str, at: NaiveDateTime) -> Result<bool, DbError> {
    Ok(diesel::update(booking_guests::table.find(guest_id).filter(booking_guests::withdrawn_at.is_null()))
        .set(booking_guests::withdrawn_at.eq(Some(at)))
        .execute(conn)?
        > 0)
}

/// The verifiers of the hub's active guest PINs whose booking's window `[start - grace, end)`
/// overlaps `[from, until)`: a new PIN (a booking's or a guest's) must differ from them, as from
/// the bookings' own ([`super::pins::overlapping_verifiers`]).
///
/// # Errors
/// On a database error.
pub fn overlapping_guest_verifiers(
    conn: &mut DbConn,
    hub_id: &HubId,
    grace: chrono::Duration,
    from: NaiveDateTime,
    until: NaiveDateTime,
) -> Result<Vec<String>, DbError> {
    Ok(bookings::table
        .inner_join(spaces::table)
        .inner_join(booking_guests::table)
        .filter(spaces::hub_id.eq(hub_id))
        .filter(pin_holding())
        .filter(booking_guests::withdrawn_at.is_null())
        .filter(overlapping(from, until + grace))
        .select(booking_guests::pin_verifier)
        .load(conn)?)
}

/// For every active guest at the hub, the guest's booking as an access grant with the guest's
/// verifier — the same bookings as [`grant_rows`](super::access::grant_rows): holding a PIN
/// (a cancelled, released or no-show booking, or one whose PIN was revoked, takes its guests'
/// grants with it), window meeting `[from, until)`, and still in a room (a booking moved to a
/// desk leaves its guests out). The user status is the booker's: a blocked member's guests stay
/// out too.
///
/// # Errors
/// On a database error.
pub fn guest_grant_rows(
    conn: &mut DbConn,
    hub_id: &HubId,
    grace: chrono::Duration,
    from: NaiveDateTime,
    until: NaiveDateTime,
) -> Result<Vec<GrantRow>, DbError> {
    Ok(bookings::table
        .inner_join(spaces::table)
        .inner_join(booking_guests::table)
        .left_join(users::table.on(users::id.nullable().eq(bookings::user_id)))
        .filter(spaces::hub_id.eq(hub_id))
        // A booking moved to a desk or equipment takes no guests along.
        .filter(spaces::kind.eq(SpaceKind::Room.as_str()))
        .filter(booking_guests::withdrawn_at.is_null())
        .filter(pin_holding())
        .filter(bookings::pin_verifier.is_not_null())
        .filter(overlapping(from, until + grace))
        .order((bookings::id.asc(), booking_guests::pin_verifier.asc()))
        .select((
            bookings::id,
            bookings::space_id,
            bookings::start_at,
            bookings::end_at,
            bookings::status,
            booking_guests::pin_verifier.nullable(),
            users::status.nullable(),
        ))
        .load(conn)?)
}

/// Whether the space takes guests (the hub managers' switch; only rooms take any).
///
/// # Errors
/// On a database error; an unknown space is `Ok(None)`.
pub fn space_guests_allowed(conn: &mut DbConn, space_id: &SpaceId) -> Result<Option<bool>, DbError> {
    Ok(spaces::table.find(space_id).select(spaces::guests_allowed).first(conn).optional()?)
}

/// Turns guests on or off for a space.
///
/// # Errors
/// On a database error.
pub fn set_space_guests_allowed(conn: &mut DbConn, space_id: &SpaceId, allowed: bool) -> Result<(), DbError> {
    diesel::update(spaces::table.find(space_id)).set(spaces::guests_allowed.eq(allowed)).execute(conn)?;
    Ok(())
}

/// The booking ids among `booking_ids` that have (or had) guests, for the access log's
/// "member or guest" note.
///
/// # Errors
/// On a database error.
pub fn bookings_with_guests(conn: &mut DbConn, booking_ids: &[BookingId]) -> Result<Vec<BookingId>, DbError> {
    if booking_ids.is_empty() {
        return Ok(Vec::new());
    }
    // In pieces: an export may name tens of thousands of bookings, more than a statement may
    // bind (SQLite 32 766, PostgreSQL 65 535).
    let mut found: Vec<BookingId> = Vec::new();
    for chunk in booking_ids.chunks(500) {
        found.extend(
            booking_guests::table
                .filter(booking_guests::booking_id.eq_any(chunk))
                .select(booking_guests::booking_id)
                .load::<BookingId>(conn)?,
        );
    }
    found.sort();
    found.dedup();
    Ok(found)
}

/// On PostgreSQL, locks the booking's row until the transaction ends, so an invitation counts
/// the seats of a booking that no cancellation or other invitation changes meanwhile. On SQLite
/// the write transaction's one writer already serialises.
///
/// # Errors
/// On a database error.
pub fn lock_booking(conn: &mut DbConn, booking_id: &BookingId) -> Result<(), DbError> {
    if let DbConn::Postgres(pg) = conn {
        diesel::sql_query("SELECT id FROM bookings WHERE id = $1 FOR UPDATE")
            .bind::<diesel::sql_types::Text, _>(booking_id)
            .execute(pg)?;
    }
    Ok(())
}

/// Deletes the invitations of every booking of the person (their account is being deleted: the
/// names and addresses they typed go with it, and the guests' PINs stop). Returns how many.
///
/// # Errors
/// On a database error.
pub fn delete_guests_of_user(conn: &mut DbConn, user_id: &crate::domain::ids::UserId) -> Result<usize, DbError> {
    let of_user = bookings::table.filter(bookings::user_id.eq(user_id)).select(bookings::id);
    Ok(diesel::delete(booking_guests::table.filter(booking_guests::booking_id.eq_any(of_user))).execute(conn)?)
}

/// Every invitation the person made, with its booking, oldest first (their data export).
///
/// # Errors
/// On a database error.
pub fn guests_invited_by(conn: &mut DbConn, user_id: &crate::domain::ids::UserId) -> Result<Vec<Guest>, DbError> {
    Ok(booking_guests::table
        .inner_join(bookings::table)
        .filter(bookings::user_id.eq(user_id))
        .order(booking_guests::created_at.asc())
        .select(Guest::as_select())
        .load(conn)?)
}

/// Deletes the invitations of the hub's bookings that ended a day before `cutoff`: the guests'
/// names and addresses serve nothing once the booking and its access log are past keeping (the
/// day covers the doors' grace after a booking's end, whose entries may still name a guest).
/// Found from the invitations' side, so the cost follows the invitations still kept, not the
/// bookings ever made. Returns how many.
///
/// # Errors
/// On a database error.
pub fn delete_guests_of_bookings_ended_before(
    conn: &mut DbConn,
    hub_id: &HubId,
    cutoff: NaiveDateTime,
) -> Result<usize, DbError> {
    let ids: Vec<String> = booking_guests::table
        .inner_join(bookings::table.inner_join(spaces::table))
        .filter(spaces::hub_id.eq(hub_id))
        .filter(bookings::end_at.lt(cutoff - chrono::Duration::days(1)))
        .select(booking_guests::id)
        .load(conn)?;
    let mut deleted = 0;
    for chunk in ids.chunks(500) {
        deleted += diesel::delete(booking_guests::table.filter(booking_guests::id.eq_any(chunk))).execute(conn)?;
    }
    Ok(deleted)
}
