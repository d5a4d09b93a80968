//! Door PINs: six digits per confirmed booking, valid from the hub's grace period before the
//! start until the end. Only a keyed hash is stored (`regiohub_hardware::protocol::pin_verifier`
//! under the hub's key, the same function the door bridge uses), so the PIN is shown once — in
//! the answer to the booking and in the confirmation mail — and a forgotten PIN is replaced, not
//! recovered.
//!
//! No two bookings at one hub whose validity windows overlap share a PIN, or the door could not
//! tell whose booking opened it: a drawn PIN whose verifier matches one of theirs is drawn again.
//! The same holds for the PINs of invited guests (`service::guests`), which are drawn here too.

use std::fmt;

use chrono::{DateTime, Duration, Utc};
use rand::TryRngCore;
use regiohub_hardware::protocol::pin_verifier;

use super::context::ServiceContext;
use super::{ServiceError, from_db_time};
use crate::db::bookings::{self as booking_rows, Booking};
use crate::db::users::User;
use crate::db::{DbConn, catalog, guests, pins};
use crate::domain::ids::{BookingId, HubId};
use crate::service::ErrorCode;
use crate::service::UnitOfWork;

/// How many digits a PIN has.
pub const PIN_DIGITS: usize = 6;
const PIN_SPACE: u32 = 1_000_000;
/// The largest multiple of `PIN_SPACE` below 2^32: drawing below it keeps every PIN equally likely.
const UNBIASED_LIMIT: u32 = (u32::MAX / PIN_SPACE) * PIN_SPACE;
/// With a million PINs and at most a few hundred live ones at a hub, a hundred draws that all
/// collide mean something is broken, not bad luck.
const MAX_DRAWS: u32 = 100;

/// A door PIN in clear, on its way to the member. Never logged: `{:?}` shows no digits.
#[derive(Clone, PartialEq, Eq)]
pub struct DoorPin {
    digits: String,
    valid_from: DateTime<Utc>,
}

impl DoorPin {
    /// The digits, to show the member once.
    pub fn as_str(&self) -> &str {
        &self.digits
    }

    /// When the PIN starts to open doors (the booking's start less the hub's grace period), as
    /// the confirmation mail says it, without reading the hub again.
    pub fn valid_from(&self) -> DateTime<Utc> {
        self.valid_from
    }
}

impl fmt::Debug for DoorPin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("DoorPin(<redacted>)")
    }
}

/// Where PINs come from; tests use a scripted source to force collisions.
pub trait PinSource {
    /// A candidate PIN of [`PIN_DIGITS`] digits.
    ///
    /// # Errors
    /// When no randomness can be had.
    fn next_pin(&mut self) -> Result<String, ServiceError>;
}

/// PINs from the operating system's random number generator, uniform over 000000–999999.
#[derive(Debug, Default, Clone, Copy)]
pub struct OsRngPins;

impl PinSource for OsRngPins {
    fn next_pin(&mut self) -> Result<String, ServiceError> {
        loop {
            let n = rand::rngs::OsRng.try_next_u32().map_err(|_| no_pin_now())?;
            if n < UNBIASED_LIMIT {
                return Ok(format!("{:0width$}", n % PIN_SPACE, width = PIN_DIGITS));
            }
        }
    }
}

/// The verifier of `pin` at `hub_id`, as stored and as the bridge computes it.
pub fn verifier_for(ctx: &ServiceContext, hub_id: &HubId, pin: &str) -> String {
    pin_verifier(&ctx.secret.hub_pin_key(hub_id), pin)
}

/// Draws a PIN for `booking` at `hub_id` that no overlapping booking at the hub holds and stores
/// its verifier. Call inside the booking's write transaction.
///
/// # Errors
/// `Conflict` (`pin_unavailable`) when no free PIN was found; `Db` on a database failure.
pub fn issue_pin(
    tx: &mut UnitOfWork<'_>,
    ctx: &ServiceContext,
    hub_id: &HubId,
    booking: &Booking,
    source: &mut dyn PinSource,
) -> Result<DoorPin, ServiceError> {
    let (pin, verifier) = draw_free_pin(tx, ctx, hub_id, booking, source)?;
    pins::set_pin_verifier(tx, &booking.id, Some(&verifier))?;
    tx.access_changed(hub_id);
    tracing::info!(booking.id = %booking.id, hub.id = %hub_id, "door PIN issued");
    Ok(pin)
}

/// Draws a PIN valid for `booking`'s window at `hub_id` that no PIN of the hub valid in an
/// overlapping window holds — a booking's or a guest's, this booking's own included — and
/// returns it with its verifier, storing nothing. Guests' PINs (`service::guests`) are drawn
/// here too, so the door can always tell whose PIN it was given. Call inside the write
/// transaction that stores the verifier: on PostgreSQL it locks the hub's row until then.
///
/// # Errors
/// `Conflict` (`pin_unavailable`) when no free PIN was found; `Db` on a database failure.
pub fn draw_free_pin(
    tx: &mut UnitOfWork<'_>,
    ctx: &ServiceContext,
    hub_id: &HubId,
    booking: &Booking,
    source: &mut dyn PinSource,
) -> Result<(DoorPin, String), ServiceError> {
    pins::lock_hub_pins(tx, hub_id)?;
    let grace = hub_grace(tx, hub_id)?;
    let (from, until) = (booking.start_at - grace, booking.end_at);
    let mut taken = pins::overlapping_verifiers(tx, hub_id, grace, from, until)?;
    taken.extend(guests::overlapping_guest_verifiers(tx, hub_id, grace, from, until)?);
    for _ in 0..MAX_DRAWS {
        let pin = source.next_pin()?;
        if pin.len() != PIN_DIGITS || !pin.bytes().all(|b| b.is_ascii_digit()) {
            continue;
        }
        let verifier = verifier_for(ctx, hub_id, &pin);
        if taken.contains(&verifier) {
            tracing::debug!(booking.id = %booking.id, hub.id = %hub_id, "drawn PIN is in use at the hub; drawing again");
            continue;
        }
        return Ok((DoorPin { digits: pin, valid_from: from_db_time(from) }, verifier));
    }
    tracing::error!(booking.id = %booking.id, hub.id = %hub_id, "no free door PIN found");
    Err(no_pin_now())
}

/// Replaces the PIN of one of the user's bookings (a forgotten PIN cannot be shown again): the
/// old one stops working at once and the new one is returned, once.
///
/// # Errors
/// `NotFound` for a booking that is not the user's; `Conflict` (`no_pin`) for a booking that has
/// no PIN to replace (pending, cancelled, or over).
pub fn renew_own_pin(
    tx: &mut UnitOfWork<'_>,
    ctx: &ServiceContext,
    user: &User,
    booking_id: &BookingId,
    now: DateTime<Utc>,
    source: &mut dyn PinSource,
) -> Result<DoorPin, ServiceError> {
    tx.write_transaction(|tx| {
        let booking = booking_rows::find_user_booking(tx, &user.id, booking_id)?.ok_or(ServiceError::NotFound)?;
        let holds_pin = booking.status.opens_doors();
        if !holds_pin || from_db_time(booking.end_at) <= now {
            return Err(ServiceError::Conflict {
                code: ErrorCode::NoPin,
                message: "This booking has no door PIN: it is not confirmed, cancelled or over.".to_owned(),
            });
        }
        let space = catalog::find_space(tx, &booking.space_id)?.ok_or(ServiceError::NotFound)?;
        // The old verifier stays in the "taken" set while drawing, so the new PIN always differs.
        let pin = issue_pin(tx, ctx, &space.hub_id, &booking, source)?;
        tracing::info!(booking.id = %booking.id, "door PIN replaced");
        Ok(pin)
    })
}

/// Revokes a booking's PIN at once (cancellation, no-show): the verifier is deleted, so neither
/// the door nor the next access snapshot knows it any more.
///
/// # Errors
/// On a database failure.
pub fn revoke_pin(tx: &mut UnitOfWork<'_>, booking_id: &BookingId) -> Result<(), ServiceError> {
    pins::set_pin_verifier(tx, booking_id, None)?;
    tx.access_changed_somewhere();
    Ok(())
}

/// When the booking's PIN starts to open doors: its start less the hub's grace period.
///
/// # Errors
/// On a database failure.
pub fn pin_valid_from(conn: &mut DbConn, hub_id: &HubId, booking: &Booking) -> Result<DateTime<Utc>, ServiceError> {
    Ok(from_db_time(booking.start_at - hub_grace(conn, hub_id)?))
}

/// Whether the booking currently has a PIN (for pages that offer "new PIN").
///
/// # Errors
/// On a database failure.
pub fn has_pin(conn: &mut DbConn, booking_id: &BookingId) -> Result<bool, ServiceError> {
    Ok(pins::pin_verifier(conn, booking_id)?.is_some())
}

fn hub_grace(conn: &mut DbConn, hub_id: &HubId) -> Result<Duration, ServiceError> {
    let minutes = pins::hub_pin_grace_minutes(conn, hub_id)?.ok_or(ServiceError::NotFound)?;
    Ok(Duration::minutes(i64::from(minutes.max(0))))
}

fn no_pin_now() -> ServiceError {
    ServiceError::Conflict {
        code: ErrorCode::PinUnavailable,
        message: "No door PIN could be issued just now; please try again.".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[test]
    fn os_pins_are_six_digits_and_vary() {
        let mut source = OsRngPins;
        let pins: Vec<String> = (0..50).map(|_| source.next_pin().unwrap()).collect();
        assert!(pins.iter().all(|p| p.len() == 6 && p.bytes().all(|b| b.is_ascii_digit())));
        let mut distinct = pins.clone();
        distinct.sort();
        distinct.dedup();
        assert!(distinct.len() > 40, "50 draws from a million should hardly repeat: {pins:?}");
    }

    #[test]
    fn the_unbiased_limit_is_a_multiple_of_the_space() {
        assert_eq!(UNBIASED_LIMIT % PIN_SPACE, 0);
        assert!(u64::from(UNBIASED_LIMIT) + u64::from(PIN_SPACE) > u64::from(u32::MAX));
    }
}
