//! Changing a booking after it was made: moving an upcoming one to another time and/or another
//! space of the same hub (by its member, or by the hub's staff from the console), and releasing a
//! running one early. Each is one write transaction that re-checks under lock, like a new
//! booking, so a move can never take a slot someone else holds: if the new time is taken, nothing
//! changes and the old time stays held. The write itself applies only while the booking still has
//! the state the change was decided on: a check-in at the door or a no-show release landing in
//! between is never undone; the change is refused (`booking_changed_meanwhile`) and rolls back.
//!
//! What a move does to the status (members): the new space decides, as for a new booking — a
//! space that needs approval makes the booking wait again (its PIN stops and its calendar entry is
//! withdrawn until the hub confirms), a space that does not confirms it. Staff are the approvers:
//! their moves keep the status. A confirmed booking that stays confirmed keeps its door PIN;
//! only if the old PIN clashes with another live PIN of the hub at the new time is a new one
//! drawn (and mailed). Every change that reaches the calendar goes out as one update mail with
//! the same UID and a raised `SEQUENCE`; the hub's bridges are woken after the commit.

use chrono::{DateTime, Duration, Utc};
use chrono_tz::Tz;

use super::booking::{BookingTime, BookingView, count, positive, slot_taken, space_rules};
use super::booking_context::BookingContext;
use super::booking_mail::{ChangeNotice, Confirmation};
use super::calendar::hub_calendar;
use super::console::StaffScope;
use super::console::audit::{self, Change};
use super::context::ServiceContext;
use super::pin::{self, DoorPin, OsRngPins};
use super::{ServiceError, approval_mail, booking_mail, from_db_time, to_db_time};
use crate::db::booking_changes::{self as change_rows, EndedBooking, MovedBooking};
use crate::db::bookings::{self as booking_rows, Booking};
use crate::db::catalog::{self, Hub, Space};
use crate::db::console_people::count_other_space_overlaps;
use crate::db::users::{self as user_rows, User};
use crate::db::{self, DbConn, access, booking_mail as mail_rows, pins};
use crate::domain::booking::{BookingCheck, check_booking};
use crate::domain::booking_change::{ChangeRefusal, may_change, release_end};
use crate::domain::ids::{BookingId, HubId, SpaceId, UserId};
use crate::domain::local_time::resolve_local;
use crate::domain::slot::Slot;
use crate::domain::vocabulary::{BookingStatus, UserStatus};
use crate::mail::booking_change_messages::BookingUpdate;
use crate::service::ErrorCode;
use crate::service::UnitOfWork;

/// What to change; `None` keeps what the booking has. A new start without a new end keeps the
/// booking's length, so giving only `start` moves the booking.
#[derive(Debug, Clone, Default)]
pub struct BookingChange {
    pub space_id: Option<SpaceId>,
    pub start: Option<BookingTime>,
    pub end: Option<BookingTime>,
}

/// A booking after a move, with a door PIN in clear when the move had to issue one (a request
/// that became confirmed, or a PIN that clashed at the new time) — the only time it is known.
#[derive(Debug, Clone)]
pub struct ChangedBooking {
    pub view: BookingView,
    pub pin: Option<DoorPin>,
}

/// Who moves a booking.
#[derive(Debug, Clone, Copy)]
enum Mover<'a> {
    Member,
    Staff { actor_id: &'a UserId },
}

/// Moves one of the user's own upcoming bookings (see the module comment for the rules).
///
/// # Errors
/// `NotFound` for a booking that is not the user's; `Invalid` for a space of another hub
/// (`space_id`) or a reversed time (`end`); `LocalTime` for a wall-clock time a DST change skips or
/// repeats; `Rule` when a booking rule refuses; `Conflict` (`not_changeable`, `slot_taken`,
/// `pin_unavailable`, `booking_changed_meanwhile`); `Db` on a database failure. Nothing is written unless the move is.
pub fn change_own_booking(
    tx: &mut UnitOfWork<'_>,
    ctx: &ServiceContext,
    user: &User,
    booking_id: &BookingId,
    change: &BookingChange,
    now: DateTime<Utc>,
) -> Result<ChangedBooking, ServiceError> {
    let booking = booking_rows::find_user_booking(tx, &user.id, booking_id)?.ok_or(ServiceError::NotFound)?;
    move_booking(tx, ctx, user, &booking, change, Mover::Member, now)
}

/// Moves a booking of a hub in the staff scope, for its member (console). Staff moves keep the
/// status and are written to the audit trail.
///
/// # Errors
/// `NotFound` for a hub outside the scope or a booking of another hub; `Conflict`
/// (`person_gone`) for a booking whose person deleted their account; otherwise as
/// [`change_own_booking`].
#[allow(clippy::too_many_arguments, reason = "a use case: who, where, which, what, when")]
pub fn change_hub_booking(
    tx: &mut UnitOfWork<'_>,
    ctx: &ServiceContext,
    scope: &StaffScope,
    actor_id: &UserId,
    hub_ref: &str,
    booking_id: &BookingId,
    change: &BookingChange,
    now: DateTime<Utc>,
) -> Result<ChangedBooking, ServiceError> {
    let (_, booking, person) = find_hub_booking(tx, scope, hub_ref, booking_id)?;
    let person = person.ok_or_else(|| ServiceError::Conflict {
        code: ErrorCode::PersonGone,
        message: "The person deleted their account; the booking cannot be moved.".to_owned(),
    })?;
    move_booking(tx, ctx, &person, &booking, change, Mover::Staff { actor_id }, now)
}

/// One booking of a hub in the staff scope with its space and person, for the console's move
/// form.
///
/// # Errors
/// `NotFound` for a hub outside the scope or a booking of another hub; on a database error.
pub fn find_hub_booking(
    conn: &mut DbConn,
    scope: &StaffScope,
    hub_ref: &str,
    booking_id: &BookingId,
) -> Result<(BookingView, Booking, Option<User>), ServiceError> {
    let hub = scope.hub(conn, hub_ref)?;
    let booking = access::find_booking(conn, booking_id)?.ok_or(ServiceError::NotFound)?;
    let space = catalog::find_space(conn, &booking.space_id)?.ok_or(ServiceError::NotFound)?;
    scope.require_in(&space.hub_id, &hub)?;
    let person = match &booking.user_id {
        Some(id) => user_rows::find_user(conn, id)?,
        None => None,
    };
    Ok((BookingView { booking: booking.clone(), space, hub }, booking, person))
}

/// The spaces of the booking's hub a booking may be moved to (enabled ones, by name).
///
/// # Errors
/// On a database failure.
pub fn spaces_of_hub(conn: &mut DbConn, hub_id: &HubId) -> Result<Vec<Space>, ServiceError> {
    let mut spaces: Vec<Space> = catalog::list_spaces(conn, hub_id)?.into_iter().filter(|s| s.enabled).collect();
    spaces.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(spaces)
}

/// Ends one of the user's running bookings early ("release now"): the end moves to `now`
/// rounded up to the space's grid (the end of today for whole-day spaces), the rest is free at
/// once, the door PIN stops at the new end, and the calendar entry is updated. When the new end
/// is `now` the booking is completed at once; otherwise it runs to the new end.
///
/// # Errors
/// `NotFound` for a booking that is not the user's; `Conflict` (`not_running`,
/// `nothing_to_release`, `booking_changed_meanwhile`); `Db` on a database failure.
pub fn release_own_booking(
    tx: &mut UnitOfWork<'_>,
    ctx: &ServiceContext,
    user: &User,
    booking_id: &BookingId,
    now: DateTime<Utc>,
) -> Result<BookingView, ServiceError> {
    tx.write_transaction(|tx| {
        let found = booking_rows::find_user_booking(tx, &user.id, booking_id)?.ok_or(ServiceError::NotFound)?;
        // Two releases of one booking at once are served one after the other.
        booking_rows::lock_space_and_user(tx, &found.space_id, &user.id)?;
        let booking = booking_rows::find_user_booking(tx, &user.id, booking_id)?.ok_or(ServiceError::NotFound)?;
        let space = catalog::find_space(tx, &booking.space_id)?.ok_or(ServiceError::NotFound)?;
        let hub = catalog::find_hub_by_id(tx, &space.hub_id)?.ok_or(ServiceError::NotFound)?;
        let status = booking.status;
        let booked = Slot::new(from_db_time(booking.start_at), from_db_time(booking.end_at))?;
        let end = release_end(status, &booked, &space_rules(&space), hub.zone(), now).map_err(refused)?;
        let completed = end <= now;
        let ended = EndedBooking {
            end_at: to_db_time(end),
            status: if completed { BookingStatus::Completed.as_str() } else { status.as_str() },
            // Completed at once without anyone having come: never counted as attended.
            completed_without_check_in: completed && status == BookingStatus::Confirmed,
        };
        if !change_rows::end_booking_at(tx, &booking, ended, to_db_time(now))? {
            return Err(changed_meanwhile());
        }
        tx.access_changed(&hub.id);
        let released = access::find_booking(tx, &booking.id)?.ok_or(ServiceError::NotFound)?;
        let place = BookingContext { space, hub };
        let notice = ChangeNotice {
            place: &place,
            booking: &released,
            previous: None,
            update: BookingUpdate::Released,
            by_hub: false,
            pin: None,
        };
        booking_mail::enqueue_update(tx, ctx, user, notice, now)?;
        tracing::info!(booking.id = %booking.id, hub.id = %place.hub.id, "booking released early");
        Ok(BookingView { booking: released, space: place.space, hub: place.hub })
    })
}

fn move_booking(
    tx: &mut UnitOfWork<'_>,
    ctx: &ServiceContext,
    person: &User,
    current: &Booking,
    change: &BookingChange,
    mover: Mover<'_>,
    now: DateTime<Utc>,
) -> Result<ChangedBooking, ServiceError> {
    let old_space = catalog::find_space(tx, &current.space_id)?.ok_or(ServiceError::NotFound)?;
    let space = match &change.space_id {
        Some(id) if *id != old_space.id => catalog::find_space(tx, id)?
            .filter(|s| s.hub_id == old_space.hub_id)
            .ok_or_else(|| ServiceError::Invalid {
                field: "space_id",
                code: ErrorCode::SpaceNotInHub,
                message: "A booking can only move to another space of the same hub.".to_owned(),
            })?,
        _ => old_space.clone(),
    };
    let hub = catalog::find_hub_with_calendar(tx, &space.hub_id)?.ok_or(ServiceError::NotFound)?;
    let calendar = hub_calendar(&hub)?;
    // What the mails say of the booking's new place, without reading it again.
    let place = BookingContext { space: space.clone(), hub: hub.hub.clone() };
    let mut rules = space_rules(&space);
    let mut user_status = person.status;
    if matches!(mover, Mover::Staff { .. }) {
        rules.approval_required = false;
        if user_status == UserStatus::Pending {
            user_status = UserStatus::Active;
        }
    }

    tx.write_transaction(|tx| {
        // The hub's PIN lock first, as every PIN draw and guest invitation takes it: a move may
        // draw a PIN and ends the booking's guests.
        crate::db::pins::lock_hub_pins(tx, &space.hub_id)?;
        booking_rows::lock_space_and_user(tx, &space.id, &person.id)?;
        // Read again under the lock: another change may have come first.
        let before = access::find_booking(tx, &current.id)?.ok_or(ServiceError::NotFound)?;
        let old_status = before.status;
        let old_slot = Slot::new(from_db_time(before.start_at), from_db_time(before.end_at))?;
        may_change(old_status, &old_slot, now).map_err(refused)?;
        let slot = new_slot(&old_slot, change, calendar.tz)?;
        if slot == old_slot && space.id == before.space_id {
            let view = BookingView { booking: before, space: space.clone(), hub: hub.hub.clone() };
            return Ok(ChangedBooking { view, pin: None });
        }
        let (start, end) = (to_db_time(slot.start()), to_db_time(slot.end()));
        let check = BookingCheck {
            calendar: &calendar,
            rules: &rules,
            space_enabled: space.enabled,
            user_status,
            user_overlapping_bookings: count(change_rows::count_other_user_overlaps(
                tx, &person.id, &before.id, start, end,
            )?),
            max_concurrent_per_user: positive(hub.hub.max_concurrent_per_user),
            user_upcoming_bookings: count(change_rows::count_other_user_upcoming(
                tx,
                &person.id,
                &before.id,
                to_db_time(now),
            )?),
            max_upcoming_per_user: positive(hub.hub.max_upcoming_per_user),
            now,
        };
        let checked = check_booking(&check, &slot)?;
        let status = match mover {
            Mover::Member => checked,
            Mover::Staff { .. } => old_status,
        };
        if count_other_space_overlaps(tx, &space.id, &before.id, start, end)? > 0 {
            return Err(slot_taken());
        }
        // A freed slot offered to someone on its waitlist is theirs until the offer runs out.
        if crate::db::waitlist::count_holds_for_others(tx, &space.id, start, end, &person.id, to_db_time(now))? > 0 {
            return Err(slot_taken());
        }
        let to = MovedBooking { space_id: &space.id, start_at: start, end_at: end, status: status.as_str() };
        let written = change_rows::move_booking(tx, &before, to, to_db_time(now))
            .map_err(|e| if db::is_booking_overlap(&e) { slot_taken() } else { ServiceError::from(e) })?;
        if !written {
            return Err(changed_meanwhile());
        }
        crate::service::guests::end_with_move(tx, ctx, person, &before, now)?;
        let after = access::find_booking(tx, &before.id)?.ok_or(ServiceError::NotFound)?;
        let by_hub = matches!(mover, Mover::Staff { .. });
        // Where the booking was, as read under the lock (moves stay within the hub).
        let old_place = if before.space_id == old_space.id {
            BookingContext { space: old_space.clone(), hub: hub.hub.clone() }
        } else {
            BookingContext::load(tx, &before.space_id)?
        };
        let notice = |update, pin| ChangeNotice {
            place: &place,
            booking: &after,
            previous: Some((&old_place, &before)),
            update,
            by_hub,
            pin,
        };
        let hub_id = &space.hub_id;
        let pin = match (old_status, status) {
            (BookingStatus::Pending, BookingStatus::Confirmed) => {
                // A request that was confirmed once had its entry withdrawn with the last
                // SEQUENCE; the new entry must supersede that withdrawal.
                if mail_rows::calendar_sequence(tx, &after.id)? > 0 {
                    mail_rows::raise_calendar_sequence(tx, &after.id)?;
                }
                let pin = pin::issue_pin(tx, ctx, hub_id, &after, &mut OsRngPins)?;
                let confirmation =
                    Confirmation { place: &place, person, booking: &after, pin: Some(&pin), claim_link: None };
                booking_mail::enqueue_confirmation(tx, ctx, confirmation, now)?;
                Some(pin)
            }
            (BookingStatus::Confirmed, BookingStatus::Pending) => {
                pin::revoke_pin(tx, &after.id)?;
                let update = BookingUpdate::AwaitsApproval;
                booking_mail::enqueue_update(tx, ctx, person, notice(update, None), now)?;
                approval_mail::notify_deciders(tx, ctx, &place, person, &after, now)?;
                None
            }
            (BookingStatus::Pending, _) => {
                let update = BookingUpdate::RequestMoved;
                booking_mail::enqueue_update(tx, ctx, person, notice(update, None), now)?;
                // Staff moving a request are the deciders themselves; a member's move is news to them.
                if !by_hub {
                    approval_mail::notify_deciders(tx, ctx, &place, person, &after, now)?;
                }
                None
            }
            _ => {
                let pin = keep_or_redraw_pin(tx, ctx, hub_id, &after)?;
                tx.access_changed(hub_id);
                booking_mail::enqueue_update(tx, ctx, person, notice(BookingUpdate::Moved, pin.as_ref()), now)?;
                pin
            }
        };
        if let Mover::Staff { actor_id } = mover {
            record_move(tx, actor_id, &hub.hub, person, (&old_space, &before), (&space, &after), now)?;
        }
        tracing::info!(booking.id = %after.id, hub.id = %hub_id, status = %status.as_str(), "booking moved");
        let view = BookingView { booking: after, space: space.clone(), hub: hub.hub.clone() };
        Ok(ChangedBooking { view, pin })
    })
}

/// The slot a change asks for: a missing start keeps the start, a missing end keeps the length.
fn new_slot(old: &Slot, change: &BookingChange, tz: Tz) -> Result<Slot, ServiceError> {
    let start = change.start.map(|t| resolve(t, tz)).transpose()?.unwrap_or(old.start());
    let end = match change.end {
        Some(t) => resolve(t, tz)?,
        None => start + old.duration(),
    };
    Ok(Slot::new(start, end)?)
}

fn resolve(time: BookingTime, tz: Tz) -> Result<DateTime<Utc>, ServiceError> {
    match time {
        BookingTime::Instant(t) => Ok(t),
        BookingTime::Local(t) => Ok(resolve_local(t.date(), t.time(), tz)?),
    }
}

/// Keeps the moved booking's PIN unless another live PIN of the hub (a member's or a guest's) with a
/// window overlapping the new one has the same verifier (the door could not tell the two apart);
/// then draws a new one.
fn keep_or_redraw_pin(
    tx: &mut UnitOfWork<'_>,
    ctx: &ServiceContext,
    hub_id: &HubId,
    booking: &Booking,
) -> Result<Option<DoorPin>, ServiceError> {
    let Some(own) = pins::pin_verifier(tx, &booking.id)? else { return Ok(None) };
    pins::lock_hub_pins(tx, hub_id)?;
    let minutes = pins::hub_pin_grace_minutes(tx, hub_id)?.ok_or(ServiceError::NotFound)?;
    let grace = Duration::minutes(i64::from(minutes.max(0)));
    let mut live = pins::overlapping_verifiers(tx, hub_id, grace, booking.start_at - grace, booking.end_at)?;
    // Guests' PINs count too: a door cannot tell a guest's PIN from a member's.
    live.extend(crate::db::guests::overlapping_guest_verifiers(
        tx,
        hub_id,
        grace,
        booking.start_at - grace,
        booking.end_at,
    )?);
    // The booking's own verifier is among them once.
    if live.iter().filter(|v| **v == own).count() > 1 {
        tracing::info!(booking.id = %booking.id, hub.id = %hub_id, "moved PIN clashes at the new time; drawing a new one");
        return Ok(Some(pin::issue_pin(tx, ctx, hub_id, booking, &mut OsRngPins)?));
    }
    Ok(None)
}

fn record_move(
    conn: &mut DbConn,
    actor_id: &UserId,
    hub: &Hub,
    person: &User,
    (old_space, before): (&Space, &Booking),
    (space, after): (&Space, &Booking),
    now: DateTime<Utc>,
) -> Result<(), ServiceError> {
    let tz = hub.zone();
    let span = |b: &Booking| {
        let start = from_db_time(b.start_at).with_timezone(&tz).format("%Y-%m-%d %H:%M");
        let end = from_db_time(b.end_at).with_timezone(&tz).format("%Y-%m-%d %H:%M");
        format!("{start}–{end}")
    };
    // The person's name, never their e-mail address: the trail outlives the account.
    let details = format!("{}: {}, {} → {}, {}", person.name, old_space.name, span(before), space.name, span(after));
    let change = Change { actor_id, hub_id: Some(&hub.id), action: "booking_moved", subject: &space.name, details };
    audit::record(conn, change, now)
}

fn refused(refusal: ChangeRefusal) -> ServiceError {
    ServiceError::Conflict { code: refusal.into(), message: refusal.to_string() }
}

/// The booking was checked in, released or changed by someone else between reading it and
/// writing the change; nothing is written and the transaction rolls back.
fn changed_meanwhile() -> ServiceError {
    ServiceError::Conflict {
        code: ErrorCode::BookingChangedMeanwhile,
        message: "This booking changed meanwhile; please try again.".to_owned(),
    }
}

/// Where one of the user's bookings would end if released now, for the page that asks first.
///
/// # Errors
/// `NotFound` for a booking that is not the user's; `Conflict` (`not_running`,
/// `nothing_to_release`); `Db` on a database failure.
pub fn own_release_end(
    conn: &mut DbConn,
    user: &User,
    booking_id: &BookingId,
    now: DateTime<Utc>,
) -> Result<(BookingView, DateTime<Utc>), ServiceError> {
    let booking = booking_rows::find_user_booking(conn, &user.id, booking_id)?.ok_or(ServiceError::NotFound)?;
    let space = catalog::find_space(conn, &booking.space_id)?.ok_or(ServiceError::NotFound)?;
    let hub = catalog::find_hub_by_id(conn, &space.hub_id)?.ok_or(ServiceError::NotFound)?;
    let status = booking.status;
    let booked = Slot::new(from_db_time(booking.start_at), from_db_time(booking.end_at))?;
    let end = release_end(status, &booked, &space_rules(&space), hub.zone(), now).map_err(refused)?;
    Ok((BookingView { booking, space, hub }, end))
}
