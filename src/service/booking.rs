//! Booking and cancelling: the domain rules decide, then one write transaction stores the
//! booking, re-checking under lock so that two requests can never both win a slot.

use chrono::{DateTime, NaiveDateTime, Utc};
use chrono_tz::Tz;

use super::booking_context::BookingContext;
use super::booking_mail::Confirmation;
use super::calendar::hub_calendar;
use super::catalogue::Catalogue;
use super::context::ServiceContext;
use super::house_rules::{self, BookingTerms};
use super::pin::{self, DoorPin, OsRngPins};
use super::{ServiceError, approval_mail, booking_mail, from_db_time, to_db_time};
use crate::db::bookings::{self as booking_rows, Booking};
use crate::db::catalog::{self, Hub, Space};
use crate::db::users::User;
use crate::db::{self, DbConn};
use crate::domain::booking::{BookingCheck, SpaceRules, check_booking};
use crate::domain::ids::{BookingId, SpaceId, UserId};
use crate::domain::local_time::resolve_local;
use crate::domain::slot::Slot;
use crate::domain::vocabulary::{BookingStatus, UserStatus};
use crate::service::ErrorCode;
use crate::service::UnitOfWork;

/// A start or end as a client gives it: an instant (RFC 3339 with an offset), or a wall-clock
/// time in the hub's time zone, which may not exist or be ambiguous on a DST day.
#[derive(Debug, Clone, Copy)]
pub enum BookingTime {
    Instant(DateTime<Utc>),
    Local(NaiveDateTime),
}

impl BookingTime {
    pub(crate) fn resolve(self, tz: Tz) -> Result<DateTime<Utc>, ServiceError> {
        match self {
            BookingTime::Instant(t) => Ok(t),
            BookingTime::Local(t) => Ok(resolve_local(t.date(), t.time(), tz)?),
        }
    }
}

/// What someone asks to book.
#[derive(Debug, Clone)]
pub struct NewBookingRequest {
    pub space_id: SpaceId,
    pub start: BookingTime,
    pub end: BookingTime,
}

/// A stored booking together with its space and hub.
#[derive(Debug, Clone)]
pub struct BookingView {
    pub booking: Booking,
    pub space: Space,
    pub hub: Hub,
}

/// A booking just made, with its door PIN in clear — the only time the PIN is known. Pending
/// bookings (waiting for approval) get their PIN when they are confirmed.
#[derive(Debug, Clone)]
pub struct CreatedBooking {
    pub view: BookingView,
    pub pin: Option<DoorPin>,
}

/// A member of staff booking for someone (the console's "book on behalf").
#[derive(Debug, Clone, Copy)]
pub struct OnBehalf<'a> {
    /// The member of staff, stored as the booking's `created_by`.
    pub staff_id: &'a UserId,
    /// A link that lets a person without a password claim the account made for them; the
    /// confirmation mail carries it.
    pub claim_link: Option<&'a str>,
}

/// Books a space for `user`. With `on_behalf` a member of staff books for them: the booking is
/// confirmed even where the space needs approval (staff are the approvers), and a `pending`
/// account made for a walk-in may hold it (staff vouch for the person; a blocked one may not).
/// A confirmed booking gets a door PIN, and its confirmation mail is queued in the same
/// transaction (sent later by the mail job, so a mail server that is down changes nothing here);
/// a request waiting for approval queues "request received" and the managers' "please decide".
///
/// # Errors
/// `NotFound` for an unknown space; `Rule` when a booking rule refuses; `Conflict` when the
/// time is taken; `Db` on a database failure. Nothing is written unless the booking is.
pub fn create_booking(
    tx: &mut UnitOfWork<'_>,
    ctx: &ServiceContext,
    user: &User,
    request: &NewBookingRequest,
    on_behalf: Option<&OnBehalf<'_>>,
    now: DateTime<Utc>,
) -> Result<CreatedBooking, ServiceError> {
    create_booking_with_terms(tx, ctx, user, request, &BookingTerms::default(), on_behalf, now)
}

/// As [`create_booking`], with what the member says besides the time: the house-rules version
/// they accept, and the purpose and head count a room may ask for. A member's booking at an
/// operator whose current house rules they have not accepted, or in a room that asks without a
/// usable purpose, is refused here whichever way it came (form, API, series), so no caller can
/// skip the check; staff booking on behalf are exempt (they vouch for the person and may not
/// know the purpose).
///
/// # Errors
/// As [`create_booking`]; `Invalid` with `house_rules_not_accepted` or a purpose code.
pub fn create_booking_with_terms(
    tx: &mut UnitOfWork<'_>,
    ctx: &ServiceContext,
    user: &User,
    request: &NewBookingRequest,
    terms: &BookingTerms,
    on_behalf: Option<&OnBehalf<'_>>,
    now: DateTime<Utc>,
) -> Result<CreatedBooking, ServiceError> {
    let catalogue = ctx.catalogue.current(tx)?;
    let space = catalogue.space(&request.space_id).ok_or(ServiceError::NotFound)?;
    let hub = catalogue.hub(&space.hub_id).ok_or(ServiceError::NotFound)?;
    let calendar = hub_calendar(hub)?;
    // Read once: the rules, the PIN, the mails and the answer all take them from here.
    let place = BookingContext { space: space.clone(), hub: hub.hub.clone() };
    let slot = Slot::new(request.start.resolve(calendar.tz)?, request.end.resolve(calendar.tz)?)?;
    let mut rules = space_rules(&place.space);
    let mut user_status = user.status;
    if on_behalf.is_some() {
        rules.approval_required = false;
        if user_status == UserStatus::Pending {
            user_status = UserStatus::Active;
        }
    }
    let (start, end) = (to_db_time(slot.start()), to_db_time(slot.end()));

    tx.write_transaction(|tx| {
        booking_rows::lock_space_and_user(tx, &place.space.id, &user.id)?;
        let check = BookingCheck {
            calendar: &calendar,
            rules: &rules,
            space_enabled: place.space.enabled,
            user_status,
            user_overlapping_bookings: count(booking_rows::count_user_overlaps(tx, &user.id, start, end)?),
            max_concurrent_per_user: positive(place.hub.max_concurrent_per_user),
            user_upcoming_bookings: count(booking_rows::count_user_upcoming(tx, &user.id, to_db_time(now))?),
            max_upcoming_per_user: positive(place.hub.max_upcoming_per_user),
            now,
        };
        let status = check_booking(&check, &slot)?;
        let purpose = match on_behalf {
            None => house_rules::check_terms(tx, &user.id, &place.space, &place.hub, terms, now)?,
            Some(_) => None,
        };
        if booking_rows::count_space_overlaps(tx, &place.space.id, start, end)? > 0 {
            return Err(slot_taken());
        }
        // A freed slot offered to someone on its waitlist is theirs until the offer runs out.
        if crate::db::waitlist::count_holds_for_others(tx, &place.space.id, start, end, &user.id, to_db_time(now))? > 0
        {
            return Err(slot_taken());
        }
        let booking = Booking {
            id: BookingId::from(db::new_id()),
            space_id: place.space.id.clone(),
            user_id: Some(user.id.clone()),
            start_at: start,
            end_at: end,
            status,
            created_by: on_behalf.map(|b| b.staff_id.clone()),
            created_at: to_db_time(now),
            updated_at: to_db_time(now),
            cancelled_at: None,
        };
        booking_rows::insert_booking(tx, &booking)
            .map_err(|e| if db::is_booking_overlap(&e) { slot_taken() } else { ServiceError::from(e) })?;
        if let Some(purpose) = &purpose {
            house_rules::store_purpose(tx, &booking.id, purpose)?;
        }
        let pin = if status == BookingStatus::Confirmed {
            let pin = pin::issue_pin(tx, ctx, &place.hub.id, &booking, &mut OsRngPins)?;
            let claim_link = on_behalf.and_then(|b| b.claim_link);
            let confirmation =
                Confirmation { place: &place, person: user, booking: &booking, pin: Some(&pin), claim_link };
            booking_mail::enqueue_confirmation(tx, ctx, confirmation, now)?;
            Some(pin)
        } else {
            // A request: the member hears it arrived, the hub's managers are asked to decide.
            approval_mail::enqueue_request_mails(tx, ctx, &place, user, &booking, now)?;
            None
        };
        let view = BookingView { booking, space: place.space.clone(), hub: place.hub.clone() };
        Ok(CreatedBooking { view, pin })
    })
}

/// The user's own bookings, newest first, each with its space and hub from the catalogue.
///
/// # Errors
/// On a database failure.
pub fn list_own_bookings(
    conn: &mut DbConn,
    catalogue: &Catalogue,
    user: &User,
) -> Result<Vec<BookingView>, ServiceError> {
    let bookings = booking_rows::list_user_bookings(conn, &user.id)?;
    bookings
        .into_iter()
        .map(|booking| match catalogue.space(&booking.space_id).and_then(|s| Some((s, catalogue.hub(&s.hub_id)?))) {
            Some((space, hub)) => Ok(BookingView { booking, space: space.clone(), hub: hub.hub.clone() }),
            // A space added after the catalogue was read: read it as it is now.
            None => with_space(conn, booking),
        })
        .collect()
}

/// Cancels one of the user's own bookings. Cancelling twice is harmless; a booking that has
/// ended or is in use cannot be cancelled. The door PIN stops working at once, and a confirmed
/// booking's cancellation mail (removing the calendar entry) is queued in the same transaction.
///
/// # Errors
/// `NotFound` for a booking that is not the user's (or does not exist); `Conflict` when it can
/// no longer be cancelled.
pub fn cancel_own_booking(
    tx: &mut UnitOfWork<'_>,
    ctx: &ServiceContext,
    user: &User,
    booking_id: &BookingId,
    now: DateTime<Utc>,
) -> Result<BookingView, ServiceError> {
    cancel_own_booking_telling(tx, ctx, user, booking_id, now).map(|cancellation| cancellation.view)
}

/// What [`cancel_own_booking_telling`] did.
#[derive(Debug, Clone)]
pub struct Cancellation {
    pub view: BookingView,
    /// False when the booking had been cancelled before (nothing changed): a metric counts
    /// each cancellation once.
    pub newly_cancelled: bool,
}

/// As [`cancel_own_booking`], telling whether this call cancelled the booking.
///
/// # Errors
/// As [`cancel_own_booking`].
pub fn cancel_own_booking_telling(
    tx: &mut UnitOfWork<'_>,
    ctx: &ServiceContext,
    user: &User,
    booking_id: &BookingId,
    now: DateTime<Utc>,
) -> Result<Cancellation, ServiceError> {
    tx.write_transaction(|tx| {
        let booking = booking_rows::find_user_booking(tx, &user.id, booking_id)?.ok_or(ServiceError::NotFound)?;
        let status = booking.status;
        match status {
            BookingStatus::Cancelled => {
                return Ok(Cancellation { view: with_space(tx, booking)?, newly_cancelled: false });
            }
            BookingStatus::Pending | BookingStatus::Confirmed if from_db_time(booking.end_at) > now => {}
            _ => {
                return Err(ServiceError::Conflict {
                    code: ErrorCode::NotCancellable,
                    message: "This booking has ended or is in use and can no longer be cancelled.".to_owned(),
                });
            }
        }
        booking_rows::cancel_booking(tx, &booking.id, to_db_time(now))?;
        pin::revoke_pin(tx, &booking.id)?;
        let cancelled = booking_rows::find_user_booking(tx, &user.id, booking_id)?.ok_or(ServiceError::NotFound)?;
        // Only a confirmed booking was sent as a calendar entry that now has to be removed.
        if status == BookingStatus::Confirmed {
            booking_mail::enqueue_cancellation(tx, ctx, user, &cancelled, now)?;
        }
        Ok(Cancellation { view: with_space(tx, cancelled)?, newly_cancelled: true })
    })
}

/// The rules of a space as the domain understands them.
pub fn space_rules(space: &Space) -> SpaceRules {
    SpaceRules {
        unit: space.booking_unit,
        slot_minutes: positive(space.slot_minutes),
        min_minutes: positive(space.min_minutes),
        max_minutes: positive(space.max_minutes),
        max_days_ahead: u32::try_from(space.max_days_ahead).unwrap_or(0),
        approval_required: space.approval_required,
    }
}

fn with_space(conn: &mut DbConn, booking: Booking) -> Result<BookingView, ServiceError> {
    let space = catalog::find_space(conn, &booking.space_id)?.ok_or(ServiceError::NotFound)?;
    let hub = catalog::find_hub_by_id(conn, &space.hub_id)?.ok_or(ServiceError::NotFound)?;
    Ok(BookingView { booking, space, hub })
}

/// One of the user's own bookings with its space and hub; someone else's is `NotFound`.
///
/// # Errors
/// `NotFound`, or a database failure.
pub fn find_own_booking(conn: &mut DbConn, user: &User, booking_id: &BookingId) -> Result<BookingView, ServiceError> {
    let booking = booking_rows::find_user_booking(conn, &user.id, booking_id)?.ok_or(ServiceError::NotFound)?;
    with_space(conn, booking)
}

pub(crate) fn slot_taken() -> ServiceError {
    ServiceError::Conflict {
        code: ErrorCode::SlotTaken,
        message: "This space is already booked for that time.".to_owned(),
    }
}

/// Counts from the database are never negative and never near `u32::MAX`.
pub(crate) fn count(n: i64) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// Stored limits are checked positive by the schema; a broken one counts as 1, the strictest.
pub(crate) fn positive(n: i32) -> u32 {
    u32::try_from(n).ok().filter(|n| *n > 0).unwrap_or(1)
}
