//! Check-in use cases: a space's check-in modes and the default of a new one, what the hub's
//! devices (and its lockdown) make possible now (for the no-show job), and a member checking in
//! by hand — from the booking page, the API or the space's QR code — which writes the same
//! check-in a door or sensor does plus an entry in the access log. The rules themselves are in
//! `domain::check_in`; the no-show release is in `presence`.

use chrono::{DateTime, Duration, Utc};

use super::booking::{BookingView, find_own_booking};
use super::calendar::hub_calendar;
use super::context::ServiceContext;
use super::{ServiceError, from_db_time, to_db_time};
use crate::db::access::{self, AccessEventRow};
use crate::db::bookings::Booking;
use crate::db::catalog::{self, Hub, Space};
use crate::db::check_in::{self as rows, HubDevices};
use crate::db::users::User;
use crate::db::{self, DbConn, pins};
use crate::domain::calendar::HubCalendar;
use crate::domain::check_in::{
    CheckInDevices, CheckInMode, CheckInModes, CheckInRefusal, DeviceReach, ManualCheckIn, ManualCheckInWindow,
    NoShowDecision, NoShowKeep, manual_check_in, no_show_decision, no_show_window_start,
};
use crate::domain::ids::{BookingId, DoorId, HubId, SpaceId};
use crate::domain::slot::Slot;
use crate::domain::vocabulary::BookingStatus;
use crate::service::{ErrorCode, UnitOfWork};

/// A bridge not heard from for this long counts as silent: the entries and presence it saw may
/// still be queued at the hub, so its devices judge nobody absent. Bridges poll for commands
/// every few seconds while they are online.
pub const BRIDGE_SILENT_AFTER: Duration = Duration::minutes(10);

/// How far ahead the QR page looks for the member's booking of its space: one later today is
/// named with the time check-in opens.
pub const QR_LOOKAHEAD: Duration = Duration::hours(12);

/// The access-log kind of a check-in by hand.
pub const CHECKED_IN_KIND: &str = "checked_in";

/// How a member checked in by hand; stored as the access-log entry's reason.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CheckInVia {
    /// The button on the booking page, or the API.
    Manual,
    /// The space's QR code.
    Qr,
}

impl CheckInVia {
    pub fn as_str(self) -> &'static str {
        match self {
            CheckInVia::Manual => "manual",
            CheckInVia::Qr => "qr",
        }
    }
}

fn stored_modes(stored: &str) -> Result<CheckInModes, ServiceError> {
    CheckInModes::parse(stored).map_err(|error| ServiceError::Invalid {
        field: "check_in_modes",
        code: ErrorCode::InvalidStoredValue,
        message: error.to_string(),
    })
}

/// The check-in modes a space is set up for.
///
/// # Errors
/// `NotFound` for an unknown space; `Invalid` naming `spaces.check_in_modes` when the stored
/// list holds something that is not a mode.
pub fn space_modes(conn: &mut DbConn, space_id: &SpaceId) -> Result<CheckInModes, ServiceError> {
    let stored = rows::space_check_in_modes(conn, space_id)?.ok_or(ServiceError::NotFound)?;
    stored_modes(&stored)
}

/// Stores a space's check-in modes (within the caller's transaction).
///
/// # Errors
/// On a database failure.
pub fn set_space_modes(conn: &mut DbConn, space_id: &SpaceId, modes: CheckInModes) -> Result<(), ServiceError> {
    rows::set_space_check_in_modes(conn, space_id, &modes.as_stored())?;
    Ok(())
}

/// What the hub's devices offer `space_id` at `now`, with its lockdown (in which nothing does;
/// the domain decides). Pass an id no door or sensor names (a space not yet stored) to learn
/// what the hub alone offers: its entrances.
pub fn devices_for_space(devices: &HubDevices, space_id: &SpaceId, now: DateTime<Utc>) -> CheckInDevices {
    let heard = |seen: Option<chrono::NaiveDateTime>| seen.is_some_and(|t| from_db_time(t) + BRIDGE_SILENT_AFTER > now);
    let reach = |found: &mut dyn Iterator<Item = Option<chrono::NaiveDateTime>>| {
        let mut reach = DeviceReach::Absent;
        for seen in found {
            if !heard(seen) {
                return DeviceReach::Silent;
            }
            reach = DeviceReach::Reporting;
        }
        reach
    };
    let leads_here = |door_id: &DoorId| devices.door_spaces.iter().any(|(d, s)| d == door_id && s == space_id);
    let mut doors = devices
        .doors
        .iter()
        .filter(|door| !door.disabled && (door.is_entrance || leads_here(&door.door_id)))
        .map(|door| door.bridge_last_seen_at);
    let mut sensors =
        devices.sensors.iter().filter(|sensor| sensor.space_id == *space_id).map(|sensor| sensor.bridge_last_seen_at);
    CheckInDevices { lockdown: devices.lockdown, door: reach(&mut doors), presence: reach(&mut sensors) }
}

/// The modes a new space of the hub starts with: door when a bridge-attached entrance leads in
/// (no door or sensor names a space not yet made); none otherwise, so nothing is released
/// where nothing can check in. Manual is the hub's choice, never a default.
///
/// # Errors
/// On a database failure.
pub fn default_modes_for_new_space(conn: &mut DbConn, hub_id: &HubId) -> Result<CheckInModes, ServiceError> {
    let devices = rows::hub_devices(conn, hub_id)?;
    let entrance = devices.doors.iter().any(|door| door.is_entrance && !door.disabled);
    Ok(if entrance { CheckInModes::of([CheckInMode::Door]) } else { CheckInModes::NONE })
}

/// The moment a booking's no-show window opens (see [`no_show_window_start`]), given when the
/// hub's last lockdown was lifted.
pub fn window_start(
    calendar: Option<&HubCalendar>,
    booking: &Booking,
    lockdown_lifted_at: Option<chrono::NaiveDateTime>,
) -> DateTime<Utc> {
    let (start, end) = (from_db_time(booking.start_at), from_db_time(booking.end_at));
    let created = from_db_time(booking.created_at);
    let lifted = lockdown_lifted_at.map(from_db_time);
    let Ok(slot) = Slot::new(start, end) else { return start.max(created).max(lifted.unwrap_or(start)) };
    let opening = calendar.map(|c| c.opening_slots_on(c.local_date_of(start))).unwrap_or_default();
    no_show_window_start(&slot, &opening, created, lifted)
}

/// The hub's calendar for the no-show rules; a hub whose stored hours are broken is judged
/// without them (from the booking's start), and the error is logged.
pub fn calendar_of(conn: &mut DbConn, hub_id: &HubId) -> Result<Option<HubCalendar>, ServiceError> {
    let Some(hub) = catalog::find_hub_with_calendar(conn, hub_id)? else { return Ok(None) };
    match hub_calendar(&hub) {
        Ok(calendar) => Ok(Some(calendar)),
        Err(error) => {
            tracing::error!(hub.id = %hub_id, error = %error, "stored opening hours are broken");
            Ok(None)
        }
    }
}

/// What the no-show rule says about one candidate now. A booking whose end is not after its
/// start is over before it begins: kept as ended.
pub fn no_show_due(
    modes: CheckInModes,
    devices: &HubDevices,
    calendar: Option<&HubCalendar>,
    booking: &Booking,
    no_show_minutes: i32,
    now: DateTime<Utc>,
) -> NoShowDecision {
    let Ok(slot) = Slot::new(from_db_time(booking.start_at), from_db_time(booking.end_at)) else {
        return NoShowDecision::Keep(NoShowKeep::Ended);
    };
    let reach = devices_for_space(devices, &booking.space_id, now);
    let window = Duration::minutes(i64::from(no_show_minutes.max(1)));
    let start = window_start(calendar, booking, devices.lockdown_lifted_at);
    no_show_decision(modes, reach, &slot, start, window, now)
}

/// Whether the booker may check in by hand now, and from when to when.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CheckInOffer {
    pub window: ManualCheckInWindow,
    pub state: Result<ManualCheckIn, CheckInRefusal>,
}

impl CheckInOffer {
    /// Whether a check-in button belongs on the page now.
    pub fn can_check_in(&self) -> bool {
        self.state == Ok(ManualCheckIn::CheckIn)
    }
}

/// What checking in by hand would do for this booking at `now`.
///
/// # Errors
/// `Invalid` for broken stored values; on a database failure.
pub fn offer(conn: &mut DbConn, view: &BookingView, now: DateTime<Utc>) -> Result<CheckInOffer, ServiceError> {
    let booking = &view.booking;
    let modes = space_modes(conn, &booking.space_id)?;
    let calendar = calendar_of(conn, &view.hub.id)?;
    let grace = Duration::minutes(i64::from(pins::hub_pin_grace_minutes(conn, &view.hub.id)?.unwrap_or(0).max(0)));
    let (start, end) = (from_db_time(booking.start_at), from_db_time(booking.end_at));
    let slot = Slot::new(start, end)?;
    let no_show = Duration::minutes(i64::from(view.hub.no_show_minutes.max(1)));
    let (_, lifted) = rows::hub_lockdown(conn, &view.hub.id)?;
    let window = ManualCheckInWindow::new(&slot, grace, window_start(calendar.as_ref(), booking, lifted), no_show);
    Ok(CheckInOffer { window, state: manual_check_in(modes, booking.status, window, now) })
}

/// Checks in one of the member's own bookings by hand: status `checked_in` (as a door or sensor
/// would) and an access-log entry `checked_in` with the way as its reason, in one transaction.
/// Checking in a booking already checked in changes nothing. With `at_space` (the QR code's
/// space), a booking of another space or of a disabled space is not found.
///
/// # Errors
/// `NotFound` for someone else's booking; `Conflict` with the refusal's code
/// (`check_in_not_offered`, `check_in_not_confirmed`, `check_in_not_open`, `check_in_closed`).
pub fn check_in_own_booking(
    tx: &mut UnitOfWork<'_>,
    user: &User,
    booking_id: &BookingId,
    at_space: Option<&SpaceId>,
    via: CheckInVia,
    now: DateTime<Utc>,
) -> Result<BookingView, ServiceError> {
    tx.write_transaction(|tx| {
        let view = find_own_booking(tx, user, booking_id)?;
        if at_space.is_some_and(|space_id| *space_id != view.booking.space_id || !view.space.enabled) {
            return Err(ServiceError::NotFound);
        }
        match offer(tx, &view, now)?.state {
            Err(refusal) => Err(ServiceError::Conflict { code: refusal.into(), message: refusal.to_string() }),
            Ok(ManualCheckIn::Already) => Ok(view),
            Ok(ManualCheckIn::CheckIn) => {
                if access::move_booking(
                    tx,
                    &view.booking.id,
                    &[BookingStatus::Confirmed],
                    BookingStatus::CheckedIn,
                    to_db_time(now),
                )? {
                    access::insert_access_event(
                        tx,
                        &AccessEventRow {
                            id: db::new_id(),
                            hub_id: view.hub.id.clone(),
                            door_id: None,
                            booking_id: Some(view.booking.id.clone()),
                            kind: CHECKED_IN_KIND.to_owned(),
                            reason: Some(via.as_str().to_owned()),
                            offline: false,
                            occurred_at: to_db_time(now),
                            received_at: to_db_time(now),
                        },
                    )?;
                    tracing::info!(booking.id = %view.booking.id, via = via.as_str(), "booking checked in by hand");
                }
                find_own_booking(tx, user, booking_id)
            }
        }
    })
}

/// A space as its QR code leads to it, with the member's booking there that the code would check
/// in (the one open for check-in, else the next one), if any.
#[derive(Debug, Clone)]
pub struct SpaceCheckIn {
    pub space: Space,
    pub hub: Hub,
    pub booking: Option<(BookingView, CheckInOffer)>,
}

/// The member's current booking of the space for its QR code: of their bookings of it that are
/// not over and start within [`QR_LOOKAHEAD`], the first they may check in to now (or one
/// already checked in), else the first (so the page can say from when).
///
/// # Errors
/// `NotFound` for an unknown or disabled space; on a database failure.
pub fn space_check_in(
    conn: &mut DbConn,
    user: &User,
    space_id: &SpaceId,
    now: DateTime<Utc>,
) -> Result<SpaceCheckIn, ServiceError> {
    let space = catalog::find_space(conn, space_id)?.filter(|space| space.enabled).ok_or(ServiceError::NotFound)?;
    let hub = catalog::find_hub_by_id(conn, &space.hub_id)?.ok_or(ServiceError::NotFound)?;
    let bookings =
        rows::member_bookings_of_space(conn, &user.id, &space.id, to_db_time(now), to_db_time(now + QR_LOOKAHEAD))?;
    let mut found: Option<(BookingView, CheckInOffer)> = None;
    for booking in bookings {
        let view = BookingView { booking, space: space.clone(), hub: hub.clone() };
        let offer = offer(conn, &view, now)?;
        if offer.state.is_ok() {
            found = Some((view, offer));
            break;
        }
        if found.is_none() {
            found = Some((view, offer));
        }
    }
    Ok(SpaceCheckIn { space, hub, booking: found })
}

/// The absolute address a space's QR code encodes.
pub fn qr_url(ctx: &ServiceContext, space_id: &SpaceId) -> String {
    ctx.link(&format!("/check-in/{space_id}"))
}
