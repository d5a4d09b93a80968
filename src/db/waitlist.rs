//! Rows and queries for waitlists: members waiting for a taken slot of a space, and the offers
//! that hold a freed slot for one of them. Intervals are half-open `[start_at, end_at)` in UTC.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::waitlist_entries;
use super::{DbConn, DbError};
use crate::domain::booking::LONGEST_BOOKING;
use crate::domain::ids::{BookingId, SpaceId, UserId};

const WAITING: &str = "waiting";
const OFFERED: &str = "offered";

/// One member's place in the line for one slot.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = waitlist_entries)]
pub struct WaitlistEntry {
    pub id: String,
    pub user_id: UserId,
    pub space_id: SpaceId,
    pub start_at: NaiveDateTime,
    pub end_at: NaiveDateTime,
    /// A `domain::vocabulary::WaitlistStatus`.
    pub status: String,
    pub created_at: NaiveDateTime,
    pub offered_at: Option<NaiveDateTime>,
    pub offer_expires_at: Option<NaiveDateTime>,
    pub booking_id: Option<BookingId>,
}

/// # Errors
/// On a database error.
pub fn insert_entry(conn: &mut DbConn, entry: &WaitlistEntry) -> Result<(), DbError> {
    diesel::insert_into(waitlist_entries::table).values(entry).execute(conn)?;
    Ok(())
}

/// The user's open places (waiting, or offered and still held) whose slot has not started,
/// soonest first. An offer that ran out is not open even before the job's next pass marks it
/// expired: it could no longer be accepted.
///
/// # Errors
/// On a database error.
pub fn open_entries_of(conn: &mut DbConn, user_id: &UserId, now: NaiveDateTime) -> Result<Vec<WaitlistEntry>, DbError> {
    Ok(waitlist_entries::table
        .filter(waitlist_entries::user_id.eq(user_id))
        .filter(
            waitlist_entries::status
                .eq(WAITING)
                .or(waitlist_entries::status.eq(OFFERED).and(waitlist_entries::offer_expires_at.gt(now))),
        )
        .filter(waitlist_entries::start_at.gt(now))
        .order(waitlist_entries::start_at.asc())
        .select(WaitlistEntry::as_select())
        .load(conn)?)
}

/// The user's entry with this id; someone else's is `None`.
///
/// # Errors
/// On a database error.
pub fn find_user_entry(conn: &mut DbConn, user_id: &UserId, id: &str) -> Result<Option<WaitlistEntry>, DbError> {
    Ok(waitlist_entries::table
        .filter(waitlist_entries::id.eq(id))
        .filter(waitlist_entries::user_id.eq(user_id))
        .select(WaitlistEntry::as_select())
        .first(conn)
        .optional()?)
}

/// Every open entry (waiting or offered) whose slot starts after `now`, oldest first: the offer
/// job's work. Bounded by the open entries, not by history.
///
/// # Errors
/// On a database error.
pub fn open_entries(conn: &mut DbConn, now: NaiveDateTime) -> Result<Vec<WaitlistEntry>, DbError> {
    Ok(waitlist_entries::table
        .filter(waitlist_entries::status.eq(WAITING).or(waitlist_entries::status.eq(OFFERED)))
        .filter(waitlist_entries::start_at.gt(now))
        .order(waitlist_entries::created_at.asc())
        .select(WaitlistEntry::as_select())
        .load(conn)?)
}

/// Ends what can no longer be had: open entries whose slot has started, and offers that ran out.
/// Returns how many entries expired.
///
/// # Errors
/// On a database error.
pub fn expire_entries(conn: &mut DbConn, now: NaiveDateTime) -> Result<usize, DbError> {
    let started = diesel::update(
        waitlist_entries::table
            .filter(waitlist_entries::status.eq(WAITING).or(waitlist_entries::status.eq(OFFERED)))
            .filter(waitlist_entries::start_at.le(now)),
    )
    .set(waitlist_entries::status.eq("expired"))
    .execute(conn)?;
    let ran_out = diesel::update(
        waitlist_entries::table
            .filter(waitlist_entries::status.eq(OFFERED))
            .filter(waitlist_entries::offer_expires_at.le(now)),
    )
    .set(waitlist_entries::status.eq("expired"))
    .execute(conn)?;
    Ok(started + ran_out)
}

/// Moves an entry from one status to another; returns whether it was in `from` (so two
/// requests racing each other cannot both move it).
///
/// # Errors
/// On a database error.
pub fn move_entry(conn: &mut DbConn, id: &str, from: &[&str], to: &str) -> Result<bool, DbError> {
    let changed = diesel::update(
        waitlist_entries::table.filter(waitlist_entries::id.eq(id)).filter(waitlist_entries::status.eq_any(from)),
    )
    .set(waitlist_entries::status.eq(to))
    .execute(conn)?;
    Ok(changed == 1)
}

/// Offers the slot to a waiting entry, held until `expires`.
///
/// # Errors
/// On a database error.
pub fn offer_entry(conn: &mut DbConn, id: &str, now: NaiveDateTime, expires: NaiveDateTime) -> Result<bool, DbError> {
    let changed = diesel::update(
        waitlist_entries::table.filter(waitlist_entries::id.eq(id)).filter(waitlist_entries::status.eq(WAITING)),
    )
    .set((
        waitlist_entries::status.eq(OFFERED),
        waitlist_entries::offered_at.eq(Some(now)),
        waitlist_entries::offer_expires_at.eq(Some(expires)),
    ))
    .execute(conn)?;
    Ok(changed == 1)
}

/// Marks an offered entry booked with the booking that took the slot.
///
/// # Errors
/// On a database error.
pub fn mark_booked(conn: &mut DbConn, id: &str, booking_id: &BookingId) -> Result<bool, DbError> {
    let changed = diesel::update(
        waitlist_entries::table.filter(waitlist_entries::id.eq(id)).filter(waitlist_entries::status.eq(OFFERED)),
    )
    .set((waitlist_entries::status.eq("booked"), waitlist_entries::booking_id.eq(Some(booking_id))))
    .execute(conn)?;
    Ok(changed == 1)
}

/// How many offers held for others than `user_id` overlap `[start, end)` of the space at `now`:
/// a booking of such a time is refused while the offer lasts.
///
/// # Errors
/// On a database error.
pub fn count_holds_for_others(
    conn: &mut DbConn,
    space_id: &SpaceId,
    start: NaiveDateTime,
    end: NaiveDateTime,
    user_id: &UserId,
    now: NaiveDateTime,
) -> Result<i64, DbError> {
    let earliest = start.checked_sub_signed(LONGEST_BOOKING).unwrap_or(NaiveDateTime::MIN);
    Ok(waitlist_entries::table
        .filter(waitlist_entries::space_id.eq(space_id))
        .filter(waitlist_entries::start_at.lt(end))
        .filter(waitlist_entries::end_at.gt(start))
        .filter(waitlist_entries::start_at.gt(earliest))
        .filter(waitlist_entries::status.eq(OFFERED))
        .filter(waitlist_entries::offer_expires_at.gt(now))
        .filter(waitlist_entries::user_id.ne(user_id))
        .count()
        .get_result(conn)?)
}

/// Whether the user already waits (or holds an offer still held at `now`) for exactly this slot.
///
/// # Errors
/// On a database error.
pub fn user_waits_for(
    conn: &mut DbConn,
    user_id: &UserId,
    space_id: &SpaceId,
    (start, end): (NaiveDateTime, NaiveDateTime),
    now: NaiveDateTime,
) -> Result<bool, DbError> {
    let n: i64 = waitlist_entries::table
        .filter(waitlist_entries::user_id.eq(user_id))
        .filter(waitlist_entries::space_id.eq(space_id))
        .filter(waitlist_entries::start_at.eq(start))
        .filter(waitlist_entries::end_at.eq(end))
        .filter(
            waitlist_entries::status
                .eq(WAITING)
                .or(waitlist_entries::status.eq(OFFERED).and(waitlist_entries::offer_expires_at.gt(now))),
        )
        .count()
        .get_result(conn)?;
    Ok(n > 0)
}
