//! A hub's bookings in the console: the list (upcoming or one day, by status, requests waiting
//! for approval first), approving and declining requests, cancelling with notice and re-issuing
//! a door PIN. Each changes one booking of the hub named in the URL, mails the person and wakes
//! the hub's bridges where access changed.

use chrono::{DateTime, NaiveDate, Utc};

use crate::db::access;
use crate::db::bookings::{self as booking_rows, Booking};
use crate::db::catalog::{self, Hub, Space};
use crate::db::console_people::{self as rows, HubBookingFilter};
use crate::db::users::{self as user_rows, User};
use crate::db::{DbConn, booking_mail as mail_rows};
use crate::domain::ids::{BookingId, UserId};
use crate::domain::local_time::local_day_bounds;
use crate::domain::vocabulary::{BookingStatus, UserStatus};
use crate::service::ErrorCode;
use crate::service::UnitOfWork;
use crate::service::booking_context::BookingContext;
use crate::service::booking_mail::Confirmation;
use crate::service::console::StaffScope;
use crate::service::console::audit::{self, Change};
use crate::service::pin::{self, OsRngPins};
use crate::service::{ServiceContext, ServiceError, booking_mail, from_db_time, to_db_time};

/// The most bookings the list shows at once; narrow the filter for more.
pub const BOOKING_LIST_LIMIT: i64 = 500;

/// What the list shows: bookings not yet over (from today on), or those of one day; and
/// optionally only one status.
#[derive(Debug, Clone, Default)]
pub struct BookingListQuery {
    pub day: Option<NaiveDate>,
    pub status: Option<BookingStatus>,
}

/// One booking in the console with its space and person (`None` once the account is deleted).
#[derive(Debug, Clone)]
pub struct HubBookingRow {
    pub booking: Booking,
    pub space: Space,
    pub person: Option<User>,
}

impl HubBookingRow {
    pub fn status(&self) -> BookingStatus {
        self.booking.status
    }
}

/// The list of a hub's bookings as the console shows it.
#[derive(Debug, Clone)]
pub struct HubBookingList {
    /// Requests waiting for approval first, then by start; at most [`BOOKING_LIST_LIMIT`].
    pub rows: Vec<HubBookingRow>,
    /// How many requests pass the filter, those beyond the limit included.
    pub pending: i64,
    /// Whether more bookings pass the filter than the list shows.
    pub limited: bool,
}

/// The hub's bookings for the list: requests waiting for approval first, then by start.
///
/// # Errors
/// `NotFound` for a hub outside the scope; on a database error.
pub fn hub_bookings(
    conn: &mut DbConn,
    scope: &StaffScope,
    hub_ref: &str,
    query: &BookingListQuery,
    now: DateTime<Utc>,
) -> Result<(Hub, HubBookingList), ServiceError> {
    let hub = scope.hub(conn, hub_ref)?;
    let tz = hub.zone();
    let day = query.day.unwrap_or_else(|| now.with_timezone(&tz).date_naive());
    let bounds = local_day_bounds(day, tz);
    let filter = HubBookingFilter {
        ends_after: to_db_time(bounds.start()),
        starts_before: query.day.map(|_| to_db_time(bounds.end())),
        statuses: query.status.map(|s| vec![s.as_str().to_owned()]).unwrap_or_default(),
        // One more than shown tells whether the list is cut.
        limit: BOOKING_LIST_LIMIT + 1,
    };
    let mut rows: Vec<HubBookingRow> = rows::list_hub_bookings(conn, &hub.id, &filter)?
        .into_iter()
        .map(|(booking, space, person)| HubBookingRow { booking, space, person })
        .collect();
    let limited = rows.len() > usize::try_from(BOOKING_LIST_LIMIT).unwrap_or(usize::MAX);
    rows.truncate(usize::try_from(BOOKING_LIST_LIMIT).unwrap_or(usize::MAX));
    let pending = rows::count_pending_hub_bookings(conn, &hub.id, &filter)?;
    Ok((hub, HubBookingList { rows, pending, limited }))
}

/// One booking of the hub, for the decline and cancel pages.
///
/// # Errors
/// `NotFound` for a hub outside the scope or a booking of another hub; on a database error.
pub fn find_hub_booking(
    conn: &mut DbConn,
    scope: &StaffScope,
    hub_ref: &str,
    booking_id: &BookingId,
) -> Result<(Hub, HubBookingRow), ServiceError> {
    let hub = scope.hub(conn, hub_ref)?;
    let row = load_row(conn, scope, &hub, booking_id)?;
    Ok((hub, row))
}

/// Approves a request: it becomes confirmed, gets a door PIN, and the person gets the
/// confirmation mail with it. Refused, with nothing changed, when the request is no longer
/// waiting, is over, its person is blocked or gone, or its time is taken meanwhile.
///
/// # Errors
/// `NotFound` outside the scope; `Conflict` (`slot_taken`, `not_pending`, `booking_over`,
/// `person_blocked`, `person_gone`, `pin_unavailable`); on a database error.
pub fn approve_booking(
    tx: &mut UnitOfWork<'_>,
    ctx: &ServiceContext,
    scope: &StaffScope,
    actor_id: &UserId,
    hub_ref: &str,
    booking_id: &BookingId,
    now: DateTime<Utc>,
) -> Result<HubBookingRow, ServiceError> {
    let hub = scope.hub(tx, hub_ref)?;
    tx.write_transaction(|tx| {
        let row = locked_row(tx, scope, &hub, booking_id)?;
        let booking = &row.booking;
        let person = bookable_person(&row)?;
        if row.status() != BookingStatus::Pending {
            return Err(conflict(no_longer_pending(tx, booking)?));
        }
        if from_db_time(booking.end_at) <= now {
            return Err(conflict(ErrorCode::BookingOver));
        }
        // A request already holds its slot (pending is an occupying status, which the PostgreSQL
        // exclusion constraint and the SQLite trigger enforce), so confirming it cannot collide.
        if !access::move_booking(tx, &booking.id, &[BookingStatus::Pending], BookingStatus::Confirmed, to_db_time(now))?
        {
            return Err(conflict(ErrorCode::NotPending));
        }
        // A booking its member moved into approval had its calendar entry withdrawn at the last
        // SEQUENCE; the confirmed entry must supersede that withdrawal or calendars ignore it.
        if mail_rows::calendar_sequence(tx, &booking.id)? > 0 {
            mail_rows::raise_calendar_sequence(tx, &booking.id)?;
        }
        let confirmed = access::find_booking(tx, &booking.id)?.ok_or(ServiceError::NotFound)?;
        mail_new_pin(tx, ctx, &hub, &person, &confirmed, now)?;
        record(tx, actor_id, &hub, "booking_approved", &row, String::new(), now)?;
        Ok(HubBookingRow { booking: confirmed, ..row })
    })
}

/// How staff end a booking with notice: declining a request, or cancelling a confirmed booking
/// that is not over. Either way the person is mailed the reason.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Notice {
    /// A request is declined: it is cancelled (the status set has no "declined") and the
    /// person gets the "declined" mail.
    Decline,
    /// A confirmed booking is cancelled: the person gets the cancellation mail, which removes
    /// the calendar entry. One in use (checked in) or over cannot be cancelled.
    Cancel,
}

impl Notice {
    /// Reads the word of the URL (`decline`, `cancel`).
    pub fn parse(text: &str) -> Option<Notice> {
        match text {
            "decline" => Some(Notice::Decline),
            "cancel" => Some(Notice::Cancel),
            _ => None,
        }
    }

    /// The word of the URL and of the catalogue keys.
    pub fn as_str(self) -> &'static str {
        match self {
            Notice::Decline => "decline",
            Notice::Cancel => "cancel",
        }
    }
}

/// Ends a booking with notice (see [`Notice`]): its PIN stops working at once, the hub's
/// bridges are woken and the person is told why by mail.
///
/// # Errors
/// `NotFound` outside the scope; `Invalid` on the `reason` field; `Conflict` (`not_pending` for a
/// decline, `not_cancellable` for a cancellation); on a database error.
#[allow(clippy::too_many_arguments, reason = "a use case: who, where, which, how, why, when")]
pub fn end_with_notice(
    tx: &mut UnitOfWork<'_>,
    ctx: &ServiceContext,
    scope: &StaffScope,
    actor_id: &UserId,
    hub_ref: &str,
    booking_id: &BookingId,
    notice: Notice,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<HubBookingRow, ServiceError> {
    let hub = scope.hub(tx, hub_ref)?;
    tx.write_transaction(|tx| {
        let row = locked_row(tx, scope, &hub, booking_id)?;
        let reason = super::parse_reason(reason)?;
        let (allowed, refusal, action) = match notice {
            Notice::Decline => (row.status() == BookingStatus::Pending, ErrorCode::NotPending, "booking_declined"),
            Notice::Cancel => (
                row.status() == BookingStatus::Confirmed && from_db_time(row.booking.end_at) > now,
                ErrorCode::NotCancellable,
                "booking_cancelled",
            ),
        };
        if !allowed {
            return Err(conflict(refusal));
        }
        booking_rows::cancel_booking(tx, &row.booking.id, to_db_time(now))?;
        // Revoking the PIN wakes the bridges.
        pin::revoke_pin(tx, &row.booking.id)?;
        let cancelled = access::find_booking(tx, &row.booking.id)?.ok_or(ServiceError::NotFound)?;
        if let Some(person) = &row.person {
            let was_pending = row.status() == BookingStatus::Pending;
            let why = booking_mail::CancelReason::Given(&reason);
            booking_mail::enqueue_ended_by_hub(tx, ctx, person, &cancelled, was_pending, why, now)?;
        }
        record(tx, actor_id, &hub, action, &row, format!("reason: {reason}"), now)?;
        Ok(HubBookingRow { booking: cancelled, ..row })
    })
}

/// Issues a new door PIN for a confirmed or checked-in booking that is not over (after an
/// unblock, or when the person lost it): the old one stops working and the person gets the
/// confirmation mail again with the new one. Staff never see the PIN.
///
/// # Errors
/// `NotFound` outside the scope; `Conflict` (`no_pin`, `person_blocked`, `person_gone`,
/// `pin_unavailable`); on a database error.
pub fn reissue_pin(
    tx: &mut UnitOfWork<'_>,
    ctx: &ServiceContext,
    scope: &StaffScope,
    actor_id: &UserId,
    hub_ref: &str,
    booking_id: &BookingId,
    now: DateTime<Utc>,
) -> Result<HubBookingRow, ServiceError> {
    let hub = scope.hub(tx, hub_ref)?;
    tx.write_transaction(|tx| {
        let row = locked_row(tx, scope, &hub, booking_id)?;
        let person = bookable_person(&row)?;
        let holds_pin = matches!(row.status(), BookingStatus::Confirmed | BookingStatus::CheckedIn);
        if !holds_pin || from_db_time(row.booking.end_at) <= now {
            return Err(conflict(ErrorCode::NoPin));
        }
        mail_new_pin(tx, ctx, &hub, &person, &row.booking, now)?;
        record(tx, actor_id, &hub, "pin_reissued", &row, String::new(), now)?;
        Ok(row)
    })
}

/// [`load_row`] for a change: on PostgreSQL the space and person rows are locked first and the
/// booking read again, so two members of staff changing one booking at once are served one after
/// the other and the second sees what the first did. (SQLite's write transaction serialises.)
fn locked_row(
    conn: &mut DbConn,
    scope: &StaffScope,
    hub: &Hub,
    booking_id: &BookingId,
) -> Result<HubBookingRow, ServiceError> {
    let row = load_row(conn, scope, hub, booking_id)?;
    match &row.person {
        Some(person) if matches!(conn, DbConn::Postgres(_)) => {
            booking_rows::lock_space_and_user(conn, &row.space.id, &person.id)?;
            load_row(conn, scope, hub, booking_id)
        }
        _ => Ok(row),
    }
}

/// Why a request that no longer waits cannot be approved: its time was taken by someone else
/// meanwhile (it was withdrawn or declined and the slot booked again), or it was simply decided.
fn no_longer_pending(conn: &mut DbConn, booking: &Booking) -> Result<ErrorCode, ServiceError> {
    let taken =
        rows::count_other_space_overlaps(conn, &booking.space_id, &booking.id, booking.start_at, booking.end_at)? > 0;
    Ok(if taken { ErrorCode::SlotTaken } else { ErrorCode::NotPending })
}

/// The booking's person, who may still hold a PIN: not gone, not blocked.
fn bookable_person(row: &HubBookingRow) -> Result<User, ServiceError> {
    let person = row.person.clone().ok_or_else(|| conflict(ErrorCode::PersonGone))?;
    if person.status == UserStatus::Blocked {
        return Err(conflict(ErrorCode::PersonBlocked));
    }
    Ok(person)
}

/// Draws a door PIN for the booking and mails it to the person with the confirmation.
fn mail_new_pin(
    tx: &mut UnitOfWork<'_>,
    ctx: &ServiceContext,
    hub: &Hub,
    person: &User,
    booking: &Booking,
    now: DateTime<Utc>,
) -> Result<(), ServiceError> {
    let pin = pin::issue_pin(tx, ctx, &hub.id, booking, &mut OsRngPins)?;
    let space = catalog::find_space(tx, &booking.space_id)?.ok_or(ServiceError::NotFound)?;
    let place = BookingContext { space, hub: hub.clone() };
    let confirmation = Confirmation { place: &place, person, booking, pin: Some(&pin), claim_link: None };
    booking_mail::enqueue_confirmation(tx, ctx, confirmation, now)
}

/// The booking with its space and person, if it belongs to `hub` (which is in the scope).
fn load_row(
    conn: &mut DbConn,
    scope: &StaffScope,
    hub: &Hub,
    booking_id: &BookingId,
) -> Result<HubBookingRow, ServiceError> {
    let booking = access::find_booking(conn, booking_id)?.ok_or(ServiceError::NotFound)?;
    let space = catalog::find_space(conn, &booking.space_id)?.ok_or(ServiceError::NotFound)?;
    scope.require_in(&space.hub_id, hub)?;
    let person = match &booking.user_id {
        Some(id) => user_rows::find_user(conn, id)?,
        None => None,
    };
    Ok(HubBookingRow { booking, space, person })
}

fn record(
    conn: &mut DbConn,
    actor_id: &UserId,
    hub: &Hub,
    action: &'static str,
    row: &HubBookingRow,
    reason: String,
    now: DateTime<Utc>,
) -> Result<(), ServiceError> {
    let who = row.person.as_ref().map_or_else(|| "(deleted account)".to_owned(), |p| p.email.clone());
    let tz = hub.zone();
    let start = from_db_time(row.booking.start_at).with_timezone(&tz);
    let end = from_db_time(row.booking.end_at).with_timezone(&tz);
    let mut details = format!("{who}, {}–{}", start.format("%Y-%m-%d %H:%M"), end.format("%Y-%m-%d %H:%M"));
    if !reason.is_empty() {
        details = format!("{details}; {reason}");
    }
    let change = Change { actor_id, hub_id: Some(&hub.id), action, subject: &row.space.name, details };
    audit::record(conn, change, now)
}

fn conflict(code: ErrorCode) -> ServiceError {
    ServiceError::Conflict { code, message: format!("the booking cannot be changed: {code}") }
}
