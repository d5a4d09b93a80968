//! Waitlists: a member who finds a slot taken joins its waitlist; when the slot frees (a
//! cancellation, a release, an early end, a no-show — whatever freed it), the offer job offers it
//! to the first one waiting, by mail, and holds it for them for a set time (bookings of that time
//! by anyone else are refused meanwhile); then the next one is asked. Accepting books it with the
//! usual rules. A member sees and leaves their places.
//!
//! The job looks at open entries only (bounded by the waiting, not by history), so it needs no
//! hook in every use case that frees a slot, and a slot freed by any path is found.

use chrono::{DateTime, Duration, Utc};

use super::booking::{self, BookingTime, CreatedBooking, NewBookingRequest};
use super::booking_context::BookingContext;
use super::context::ServiceContext;
use super::house_rules::BookingTerms;
use super::{ServiceError, booking_mail, from_db_time, to_db_time};
use crate::db::bookings as booking_rows;
use crate::db::users::{self as user_rows, User};
use crate::db::waitlist::{self as rows, WaitlistEntry};
use crate::db::{self, DbConn};
use crate::domain::booking::{BookingCheck, check_booking};
use crate::domain::vocabulary::{UserStatus, WaitlistStatus};
use crate::service::{ErrorCode, UnitOfWork};

/// The most slots one member may wait for at a time.
pub const MAX_OPEN_PER_MEMBER: usize = 5;

/// An open place with its space and hub, for the member's waitlist page.
#[derive(Debug, Clone)]
pub struct OwnEntry {
    pub entry: WaitlistEntry,
    pub place: BookingContext,
}

/// Puts the user on the waitlist of a taken slot.
///
/// # Errors
/// `NotFound` for an unknown space; `Rule` for a time the member could not book were it free
/// (begun, too far ahead, outside the hours, too long, …);
/// `Conflict` with `waitlist_slot_free` (book it instead), `waitlist_already_waiting` or
/// `waitlist_full`; a malformed time; `Db`.
pub fn join(
    tx: &mut UnitOfWork<'_>,
    ctx: &ServiceContext,
    user: &User,
    request: &NewBookingRequest,
    now: DateTime<Utc>,
) -> Result<OwnEntry, ServiceError> {
    let catalogue = ctx.catalogue.current(tx)?;
    let space = catalogue.space(&request.space_id).ok_or(ServiceError::NotFound)?.clone();
    let hub = catalogue.hub(&space.hub_id).ok_or(ServiceError::NotFound)?;
    let place = BookingContext { space: space.clone(), hub: hub.hub.clone() };
    let calendar = super::calendar::hub_calendar(hub)?;
    let slot = crate::domain::slot::Slot::new(request.start.resolve(calendar.tz)?, request.end.resolve(calendar.tz)?)?;
    // Only a time the member could book were it free: the space's rules, the hub's hours, the
    // member's standing. Their limits are counted when the offer is booked.
    let check = BookingCheck {
        calendar: &calendar,
        rules: &booking::space_rules(&space),
        space_enabled: space.enabled,
        user_status: user.status,
        user_overlapping_bookings: 0,
        max_concurrent_per_user: u32::MAX,
        user_upcoming_bookings: 0,
        max_upcoming_per_user: u32::MAX,
        now,
    };
    check_booking(&check, &slot)?;
    let (start, end) = (to_db_time(slot.start()), to_db_time(slot.end()));
    tx.write_transaction(|tx| {
        booking_rows::lock_space_and_user(tx, &space.id, &user.id)?;
        if booking_rows::count_space_overlaps(tx, &space.id, start, end)? == 0
            && rows::count_holds_for_others(tx, &space.id, start, end, &user.id, to_db_time(now))? == 0
        {
            return Err(conflict(ErrorCode::WaitlistSlotFree, "The time is free: book it."));
        }
        if rows::user_waits_for(tx, &user.id, &space.id, (start, end), to_db_time(now))? {
            return Err(conflict(ErrorCode::WaitlistAlreadyWaiting, "You are already waiting for this time."));
        }
        if rows::open_entries_of(tx, &user.id, to_db_time(now))?.len() >= MAX_OPEN_PER_MEMBER {
            return Err(conflict(ErrorCode::WaitlistFull, "You are waiting for as many times as you may."));
        }
        let entry = WaitlistEntry {
            id: db::new_id(),
            user_id: user.id.clone(),
            space_id: space.id.clone(),
            start_at: start,
            end_at: end,
            status: WaitlistStatus::Waiting.as_str().to_owned(),
            created_at: to_db_time(now),
            offered_at: None,
            offer_expires_at: None,
            booking_id: None,
        };
        rows::insert_entry(tx, &entry)?;
        Ok(OwnEntry { entry, place })
    })
}

/// The user's open places (waiting or offered), soonest first, with space and hub.
///
/// # Errors
/// `Db`.
pub fn list_own(
    conn: &mut DbConn,
    ctx: &ServiceContext,
    user: &User,
    now: DateTime<Utc>,
) -> Result<Vec<OwnEntry>, ServiceError> {
    let catalogue = ctx.catalogue.current(conn)?;
    let mut out = Vec::new();
    for entry in rows::open_entries_of(conn, &user.id, to_db_time(now))? {
        let place = match catalogue.space(&entry.space_id).and_then(|s| Some((s, catalogue.hub(&s.hub_id)?))) {
            Some((space, hub)) => BookingContext { space: space.clone(), hub: hub.hub.clone() },
            None => BookingContext::load(conn, &entry.space_id)?,
        };
        out.push(OwnEntry { entry, place });
    }
    Ok(out)
}

/// Leaves a place; an offer held for the user is given up (the next one is asked). Leaving twice
/// is harmless.
///
/// # Errors
/// `NotFound` for someone else's entry; `Db`.
pub fn leave(tx: &mut UnitOfWork<'_>, user: &User, id: &str) -> Result<(), ServiceError> {
    tx.write_transaction(|tx| {
        rows::find_user_entry(tx, &user.id, id)?.ok_or(ServiceError::NotFound)?;
        rows::move_entry(tx, id, &[WaitlistStatus::Waiting.as_str(), WaitlistStatus::Offered.as_str()], "left")?;
        Ok(())
    })
}

/// Books the slot offered to the user, with the usual rules and the member's `terms` (the house
/// rules to accept, a purpose the room asks for), while the offer holds.
///
/// # Errors
/// `NotFound` for someone else's entry; `Conflict` `waitlist_no_offer` when there is no offer
/// (any more); a booking rule's or the terms' refusal; `Db`. Nothing is written unless the
/// booking is.
pub fn accept(
    tx: &mut UnitOfWork<'_>,
    ctx: &ServiceContext,
    user: &User,
    id: &str,
    terms: &BookingTerms,
    now: DateTime<Utc>,
) -> Result<CreatedBooking, ServiceError> {
    tx.write_transaction(|tx| {
        let entry = rows::find_user_entry(tx, &user.id, id)?.ok_or(ServiceError::NotFound)?;
        let holds = entry.status == WaitlistStatus::Offered.as_str()
            && entry.offer_expires_at.is_some_and(|until| from_db_time(until) > now);
        if !holds {
            return Err(conflict(ErrorCode::WaitlistNoOffer, "There is no offer for you (any more)."));
        }
        let request = NewBookingRequest {
            space_id: entry.space_id.clone(),
            start: BookingTime::Instant(from_db_time(entry.start_at)),
            end: BookingTime::Instant(from_db_time(entry.end_at)),
        };
        let created = booking::create_booking_with_terms(tx, ctx, user, &request, terms, None, now)?;
        rows::mark_booked(tx, &entry.id, &created.view.booking.id)?;
        Ok(created)
    })
}

/// One pass of the offer job: expires started slots and run-out offers, then offers each freed
/// slot (no booking and no other offer on it) to the first one waiting for it, holding it for
/// `hold`. Returns how many offers were made.
///
/// # Errors
/// `Db`. Each offer is its own transaction: one made stays made.
pub fn offer_freed_slots(
    tx: &mut UnitOfWork<'_>,
    ctx: &ServiceContext,
    hold: Duration,
    now: DateTime<Utc>,
) -> Result<usize, ServiceError> {
    let now_db = to_db_time(now);
    let expired = tx.write_transaction(|tx| rows::expire_entries(tx, now_db))?;
    if expired > 0 {
        tracing::info!(expired, "waitlist places expired");
    }
    let open = rows::open_entries(tx, now_db)?;
    let mut offered = 0;
    let mut seen = std::collections::HashSet::new();
    // Oldest first: the first entry of a slot seen is the first in its line.
    for entry in &open {
        let slot = (entry.space_id.clone(), entry.start_at, entry.end_at);
        if seen.contains(&slot) {
            continue;
        }
        let Some(user) = user_rows::find_user(tx, &entry.user_id)? else { continue };
        if entry.status == WaitlistStatus::Waiting.as_str() && user.status != UserStatus::Active {
            // Someone who cannot book now (blocked, not confirmed) loses the place; the next
            // one in line is asked instead of holding the slot for nobody.
            tx.write_transaction(|tx| rows::move_entry(tx, &entry.id, &[WaitlistStatus::Waiting.as_str()], "expired"))?;
            continue;
        }
        seen.insert(slot);
        if entry.status != WaitlistStatus::Waiting.as_str() {
            continue;
        }
        let (start, end) = (entry.start_at, entry.end_at);
        let made = tx.write_transaction(|tx| -> Result<bool, ServiceError> {
            booking_rows::lock_space_and_user(tx, &entry.space_id, &entry.user_id)?;
            // An offer for this slot (to anyone) or a booking of it: not free.
            if booking_rows::count_space_overlaps(tx, &entry.space_id, start, end)? > 0
                || rows::count_holds_for_others(tx, &entry.space_id, start, end, &user.id, now_db)? > 0
            {
                return Ok(false);
            }
            let expires = now + hold;
            if !rows::offer_entry(tx, &entry.id, now_db, to_db_time(expires))? {
                return Ok(false);
            }
            let place = BookingContext::load(tx, &entry.space_id)?;
            booking_mail::enqueue_waitlist_offer(
                tx,
                ctx,
                &user,
                &place,
                from_db_time(start),
                from_db_time(end),
                expires,
                now,
            )?;
            Ok(true)
        })?;
        if made {
            tracing::info!(waitlist.id = %entry.id, space.id = %entry.space_id, "freed slot offered");
            offered += 1;
        }
    }
    Ok(offered)
}

fn conflict(code: ErrorCode, message: &str) -> ServiceError {
    ServiceError::Conflict { code, message: message.to_owned() }
}
