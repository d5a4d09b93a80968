//! Guests with their own door access (issue 16): the member who booked a room invites people by
//! e-mail, each gets their own PIN for the booking's window at the hub's entrance and that
//! room's doors, and the member can withdraw an invitation. Guests never get an account: an
//! invitation is a row of the booking (`db::guests`), and the guest hears only by mail.
//!
//! The guest's PIN is drawn by `pin::draw_free_pin`, so it differs from every PIN valid at the
//! hub in an overlapping window, and only its verifier is stored. It reaches the bridge as one
//! more grant of the booking (`bridge_link::build_snapshot`), which follows the booking's status
//! and window: a cancelled, released or no-show booking, or one whose PIN was revoked, takes
//! its guests' grants with it. The guests of a cancelled booking are told by mail
//! ([`end_with_booking`], called from the cancellation mails).

use chrono::{DateTime, Utc};

use super::booking::{BookingView, find_own_booking};
use super::booking_context::BookingContext;
use super::booking_mail::booking_facts;
use super::console::catalog::{CatalogError, Problems};
use super::context::ServiceContext;
use super::pin::{self, PinSource};
use super::{ServiceError, from_db_time, to_db_time};
use crate::db::bookings::Booking;
use crate::db::guests::{self as rows, Guest};
use crate::db::users::User;
use crate::db::{self, DbConn};
use crate::domain::email::EmailAddress;
use crate::domain::guests::{GuestRefusal, GuestSeat, MAX_GUEST_NAME_CHARS, guest_limit, guests_possible, may_invite};
use crate::domain::ids::BookingId;
use crate::i18n::{self, Lang};
use crate::mail;
use crate::mail::facts::RenderedMail;
use crate::mail::guest_messages::{GuestEnd, GuestEndedMail, GuestInvitationMail};
use crate::service::UnitOfWork;

/// The invitation form as typed.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct GuestInput {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub email: String,
    /// The language of the guest's mails: `de` or `en`.
    #[serde(default)]
    pub language: String,
}

/// A booking with its guests, for the member's guests page.
#[derive(Debug, Clone)]
pub struct GuestsOfBooking {
    pub view: BookingView,
    /// Every invitation, withdrawn ones too, oldest first.
    pub guests: Vec<Guest>,
    /// How many guests the room takes beside the member.
    pub limit: usize,
    /// Why guests cannot be invited to this booking at all (before counting seats).
    pub closed: Option<GuestRefusal>,
    /// Whether one more guest may be invited now.
    pub may_invite: Result<(), GuestRefusal>,
}

fn seat(conn: &mut DbConn, view: &BookingView, active_guests: usize) -> Result<GuestSeat, ServiceError> {
    let guests_allowed = rows::space_guests_allowed(conn, &view.space.id)?.ok_or(ServiceError::NotFound)?;
    Ok(GuestSeat {
        kind: view.space.kind,
        guests_allowed,
        capacity: view.space.capacity,
        status: view.booking.status,
        end: from_db_time(view.booking.end_at),
        active_guests,
    })
}

/// One of the member's own bookings with its guests; someone else's is `NotFound`.
///
/// # Errors
/// `NotFound`; on a database failure.
pub fn own_booking_guests(
    conn: &mut DbConn,
    user: &User,
    booking_id: &BookingId,
    now: DateTime<Utc>,
) -> Result<GuestsOfBooking, ServiceError> {
    let view = find_own_booking(conn, user, booking_id)?;
    let guests = rows::booking_guests(conn, &view.booking.id)?;
    let active = guests.iter().filter(|g| g.withdrawn_at.is_none()).count();
    let seat = seat(conn, &view, active)?;
    Ok(GuestsOfBooking {
        limit: guest_limit(view.space.capacity),
        closed: guests_possible(&seat, now).err(),
        may_invite: may_invite(&seat, now),
        guests,
        view,
    })
}

/// The guest's name: trimmed, 1 to [`MAX_GUEST_NAME_CHARS`] characters, no control characters
/// (it goes into a mail's greeting).
fn guest_name(text: &str) -> Result<String, &'static str> {
    let name = text.trim();
    if name.is_empty() {
        return Err("name-required");
    }
    if name.chars().count() > MAX_GUEST_NAME_CHARS {
        return Err("name-too-long");
    }
    if name.chars().any(char::is_control) {
        return Err("name-invalid");
    }
    Ok(name.to_owned())
}

/// The most invitations one booking may send, withdrawn ones included.
pub const MAX_INVITATIONS_PER_BOOKING: usize = 30;

/// Invites a guest to one of the member's own bookings: checks the form and the rule, draws the
/// guest's PIN, stores the invitation with the PIN's verifier and queues the invitation mail
/// with the PIN in the guest's language, all in one transaction; the hub's bridges hear of the
/// new grant after the commit.
///
/// # Errors
/// `Service(NotFound)` for someone else's booking; `Invalid` with the form's problems (nothing
/// written): `name`, `email` (unreadable, the member's own, already invited), `language`, and
/// for the rule (no room, guests off, not confirmed, over, full) the form as a whole (`""`).
pub fn invite(
    tx: &mut UnitOfWork<'_>,
    ctx: &ServiceContext,
    user: &User,
    booking_id: &BookingId,
    input: &GuestInput,
    now: DateTime<Utc>,
    source: &mut dyn PinSource,
) -> Result<Guest, CatalogError> {
    tx.write_transaction(|tx| {
        let view = find_own_booking(tx, user, booking_id)?;
        // Counted under the hub's and the booking's row locks (PostgreSQL; SQLite has its one
        // writer), so two invitations at once cannot both take the last seat and a cancellation
        // cannot slip in between. The hub first, as every PIN draw takes it.
        db::pins::lock_hub_pins(tx, &view.hub.id)?;
        rows::lock_booking(tx, &view.booking.id)?;
        let view = find_own_booking(tx, user, booking_id)?;
        let active = rows::active_guests(tx, &view.booking.id)?.len();
        let seat = seat(tx, &view, active)?;
        if let Err(refusal) = may_invite(&seat, now) {
            return Err(CatalogError::field("", refusal.code()));
        }
        // Withdrawn invitations count here: inviting and withdrawing over and over would
        // otherwise send any address typed in an unbounded number of mails.
        if rows::booking_guests(tx, &view.booking.id)?.len() >= MAX_INVITATIONS_PER_BOOKING {
            return Err(CatalogError::field("", "too-many-invitations"));
        }
        let mut problems = Problems::default();
        let name = guest_name(&input.name).map_err(|code| problems.add("name", code)).ok();
        let email = match EmailAddress::parse(&input.email) {
            Err(_) => {
                problems.add("email", "email-invalid");
                None
            }
            Ok(email) if email.as_str() == user.email.to_lowercase() => {
                problems.add("email", "email-own");
                None
            }
            Ok(email) => {
                if rows::is_invited(tx, &view.booking.id, email.as_str())? {
                    problems.add("email", "email-taken");
                }
                Some(email)
            }
        };
        let lang = Lang::parse(&input.language).filter(|_| !input.language.trim().is_empty());
        if lang.is_none() {
            problems.add("language", "language-invalid");
        }
        problems.finish()?;
        let (Some(name), Some(email), Some(lang)) = (name, email, lang) else {
            return Err(CatalogError::field("", "form-invalid"));
        };
        let (door_pin, verifier) = pin::draw_free_pin(tx, ctx, &view.hub.id, &view.booking, source)?;
        let guest = Guest {
            id: db::new_id(),
            booking_id: view.booking.id.clone(),
            name,
            email: email.as_str().to_owned(),
            locale: lang.code().to_owned(),
            pin_verifier: verifier,
            created_at: to_db_time(now),
            withdrawn_at: None,
        };
        if !rows::insert_guest(tx, &guest)? {
            return Err(CatalogError::field("email", "email-taken"));
        }
        let place = BookingContext { space: view.space.clone(), hub: view.hub.clone() };
        let message = GuestInvitationMail {
            lang,
            name: guest.name.clone(),
            host: user.name.clone(),
            booking: booking_facts(ctx, &place, &view.booking, lang),
            pin: door_pin.as_str().to_owned(),
            pin_valid_from: i18n::format_date_time(lang, door_pin.valid_from(), view.hub.zone()),
        };
        queue(tx, &guest, message.render(), now)?;
        tx.access_changed(&view.hub.id);
        tracing::info!(booking.id = %view.booking.id, guest.id = %guest.id, hub.id = %view.hub.id, "guest invited");
        Ok(guest)
    })
}

/// The member withdraws one of their guests' invitations: the PIN stops at once (the hub's
/// bridges are woken for a snapshot without it) and the guest is told by mail. Withdrawing
/// twice is harmless.
///
/// # Errors
/// `NotFound` for someone else's booking or an unknown guest; on a database failure.
pub fn withdraw(
    tx: &mut UnitOfWork<'_>,
    ctx: &ServiceContext,
    user: &User,
    booking_id: &BookingId,
    guest_id: &str,
    now: DateTime<Utc>,
) -> Result<Guest, ServiceError> {
    tx.write_transaction(|tx| {
        let view = find_own_booking(tx, user, booking_id)?;
        let guest = rows::find_guest(tx, &view.booking.id, guest_id)?.ok_or(ServiceError::NotFound)?;
        if !rows::withdraw_guest(tx, &guest.id, to_db_time(now))? {
            return Ok(guest);
        }
        tx.access_changed(&view.hub.id);
        let place = BookingContext { space: view.space.clone(), hub: view.hub.clone() };
        let ended = ended_mail(ctx, &place, &view.booking, &guest, &user.name, GuestEnd::Withdrawn);
        queue(tx, &guest, ended.render(), now)?;
        tracing::info!(booking.id = %view.booking.id, guest.id = %guest.id, hub.id = %view.hub.id, "guest invitation withdrawn");
        Ok(guest)
    })
}

/// Ends the invitations of a booking that was cancelled (by its member or the hub), declined or
/// released as a no-show, and tells each guest by mail. Their grants are gone already with the
/// booking's status; this marks the invitations withdrawn so they stay ended should the booking
/// hold a PIN again. Call in the transaction of the cancellation.
///
/// # Errors
/// On a database failure.
pub fn end_with_booking(
    tx: &mut UnitOfWork<'_>,
    ctx: &ServiceContext,
    host: &User,
    booking: &Booking,
    now: DateTime<Utc>,
) -> Result<(), ServiceError> {
    end_invitations(tx, ctx, host, booking, now, GuestEnd::BookingCancelled)
}

/// Ends the invitations of a booking that was moved (`before` is the booking as it was), and
/// tells each guest by mail: a guest's PIN was drawn unique for the old time only, the seat and
/// the switch were the old space's; the member invites again for the new time. Call in the
/// transaction of the move.
///
/// # Errors
/// On a database failure.
pub fn end_with_move(
    tx: &mut UnitOfWork<'_>,
    ctx: &ServiceContext,
    host: &User,
    before: &Booking,
    now: DateTime<Utc>,
) -> Result<(), ServiceError> {
    end_invitations(tx, ctx, host, before, now, GuestEnd::BookingMoved)
}

fn end_invitations(
    tx: &mut UnitOfWork<'_>,
    ctx: &ServiceContext,
    host: &User,
    booking: &Booking,
    now: DateTime<Utc>,
    why: GuestEnd,
) -> Result<(), ServiceError> {
    let guests = rows::active_guests(tx, &booking.id)?;
    if guests.is_empty() {
        return Ok(());
    }
    let place = BookingContext::load(tx, &booking.space_id)?;
    for guest in &guests {
        if !rows::withdraw_guest(tx, &guest.id, to_db_time(now))? {
            continue;
        }
        let ended = ended_mail(ctx, &place, booking, guest, &host.name, why);
        queue(tx, guest, ended.render(), now)?;
    }
    tx.access_changed(&place.hub.id);
    tracing::info!(booking.id = %booking.id, guests = guests.len(), "guest invitations ended with the booking");
    Ok(())
}

fn ended_mail(
    ctx: &ServiceContext,
    place: &BookingContext,
    booking: &Booking,
    guest: &Guest,
    host: &str,
    why: GuestEnd,
) -> GuestEndedMail {
    let lang = Lang::parse(&guest.locale).unwrap_or_default();
    GuestEndedMail {
        lang,
        name: guest.name.clone(),
        host: host.to_owned(),
        booking: booking_facts(ctx, place, booking, lang),
        why,
    }
}

/// Writes a guest's mail into the outbox. A mail that cannot be rendered is a bug: logged and
/// skipped, so it never costs the member their booking.
fn queue(
    tx: &mut UnitOfWork<'_>,
    guest: &Guest,
    rendered: Result<RenderedMail, askama::Error>,
    now: DateTime<Utc>,
) -> Result<(), ServiceError> {
    match rendered {
        Ok(rendered) => {
            mail::enqueue(tx, rendered.to(&guest.email), now)?;
        }
        Err(error) => tracing::error!(guest.id = %guest.id, error = %error, "guest mail could not be rendered"),
    }
    Ok(())
}

/// Which of `booking_ids` have (or had) guests: the door reports which booking a PIN belonged
/// to, not whose PIN it was, so an entry under such a booking may be the member's or a guest's,
/// and the access log says so.
///
/// # Errors
/// On a database failure.
pub fn bookings_with_guests(
    conn: &mut DbConn,
    booking_ids: &[BookingId],
) -> Result<std::collections::HashSet<BookingId>, ServiceError> {
    Ok(rows::bookings_with_guests(conn, booking_ids)?.into_iter().collect())
}
