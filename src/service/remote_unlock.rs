//! Remote unlock from the booking page: the same door rule as the keypad
//! (`regiohub_hardware::decision::decide`) decides on a one-booking snapshot; a grant becomes a
//! `door_commands` row with a short deadline that the hub's bridge fetches, and only the
//! bridge's acknowledgement (an event) ever marks it opened or failed.

use chrono::{DateTime, Duration, Utc};
use regiohub_hardware::decision::{DecisionPolicy, check_window, decide};
use regiohub_hardware::protocol::{
    AccessRequest, AccessSnapshot, Credential, CredentialKind, Decision, DenyReason, SnapshotDoor, SnapshotGrant,
};

use super::door_controls;
use super::{ServiceError, from_db_time, to_db_time};
use crate::db::access::{self as rows, AccessEventRow, DoorCommand};
use crate::db::bookings::{self as booking_rows, Booking};
use crate::db::catalog::{self, Door};
use crate::db::users::User;
use crate::db::{self, DbConn, pins};
use crate::domain::ids::{BookingId, DoorId, HubId, SpaceId};
use crate::domain::vocabulary::CommandStatus;
use crate::domain::vocabulary::UserStatus;
use crate::service::UnitOfWork;

/// How long a bridge has to fetch and carry out a remote unlock; later it is dropped.
pub const COMMAND_VALIDITY: Duration = Duration::seconds(10);

/// How many remote unlocks one booking may request per [`UNLOCK_WINDOW`]: enough to come and go
/// through several doors, too few to use a booking as a remote control (or to flood the bridge).
pub const UNLOCKS_PER_WINDOW: i64 = 10;
/// The sliding window [`UNLOCKS_PER_WINDOW`] counts over.
pub const UNLOCK_WINDOW: Duration = Duration::hours(1);

/// What came of pressing "Open the door".
#[derive(Debug, Clone)]
pub enum UnlockOutcome {
    /// The command is on its way to the bridge.
    Requested(DoorCommand),
    /// The door rule said no, and why.
    Denied(DenyReason),
    /// The booking asked for [`UNLOCKS_PER_WINDOW`] unlocks within the last [`UNLOCK_WINDOW`]
    /// already; nothing was sent.
    TooManyUnlocks,
}

/// A door the booking may open remotely, with the latest unlock requested for it.
#[derive(Debug, Clone)]
pub struct UnlockableDoor {
    pub door: Door,
    pub latest: Option<DoorCommand>,
}

/// Asks the booking's hub to open `door_id` for `user`'s booking `booking_id` now.
///
/// # Errors
/// `NotFound` when the booking is not the user's or the door is not at its hub; `Db` on a
/// database failure.
pub fn request(
    tx: &mut UnitOfWork<'_>,
    user: &User,
    booking_id: &BookingId,
    door_id: &DoorId,
    now: DateTime<Utc>,
) -> Result<UnlockOutcome, ServiceError> {
    tx.write_transaction(|tx| {
        let booking = booking_rows::find_user_booking(tx, &user.id, booking_id)?.ok_or(ServiceError::NotFound)?;
        let space = catalog::find_space(tx, &booking.space_id)?.ok_or(ServiceError::NotFound)?;
        let (door, leads_to) = catalog::list_doors(tx, &space.hub_id)?
            .into_iter()
            .find(|(door, _)| door.id == *door_id)
            .ok_or(ServiceError::NotFound)?;
        let grace_minutes = pins::hub_pin_grace_minutes(tx, &space.hub_id)?.ok_or(ServiceError::NotFound)?;
        // The hub's lockdown and a disabled door veto here as they do at the bridge, so the member
        // hears why at once instead of seeing a command fail.
        let (lockdown, disabled_doors) = door_controls::door_status(tx, &space.hub_id)?;
        let vetoes = Vetoes { lockdown: lockdown.is_some(), door_disabled: disabled_doors.contains(&door.id) };
        let snapshot =
            one_booking_snapshot(&space.hub_id, &door, &leads_to, &booking, user, grace_minutes, vetoes, now);
        let ask = AccessRequest {
            door: door.id.clone(),
            credential: Credential::Booking(booking.id.clone()),
            kind: CredentialKind::Remote,
        };
        let deadline = match decide(&snapshot, &ask, now, true, &DecisionPolicy::default()) {
            Decision::Grant { .. } => now + COMMAND_VALIDITY,
            Decision::Deny { reason } => {
                tracing::info!(booking.id = %booking.id, door.id = %door.id, reason = %reason, "remote unlock refused");
                return Ok(UnlockOutcome::Denied(reason));
            }
        };
        // Counted and written in this one transaction, with the booking locked: concurrent presses
        // of one booking are counted one after the other, so none slips past the limit.
        rows::lock_booking_commands(tx, &booking.id)?;
        let recent = rows::count_booking_commands_since(tx, &booking.id, to_db_time(now - UNLOCK_WINDOW))?;
        if recent >= UNLOCKS_PER_WINDOW {
            tracing::warn!(
                booking.id = %booking.id,
                door.id = %door.id,
                hub.id = %space.hub_id,
                recent,
                limit = UNLOCKS_PER_WINDOW,
                "remote unlock refused: too many unlocks for this booking within the hour"
            );
            return Ok(UnlockOutcome::TooManyUnlocks);
        }
        let command = DoorCommand {
            id: db::new_id(),
            hub_id: space.hub_id.clone(),
            door_id: door.id.clone(),
            booking_id: Some(booking.id.clone()),
            requested_by: Some(user.id.clone()),
            status: CommandStatus::Requested,
            requested_at: to_db_time(now),
            deadline: to_db_time(deadline),
            updated_at: to_db_time(now),
        };
        rows::insert_command(tx, &command)?;
        rows::insert_access_event(
            tx,
            &AccessEventRow {
                id: db::new_id(),
                hub_id: space.hub_id.clone(),
                door_id: Some(door.id.clone()),
                booking_id: Some(booking.id.clone()),
                kind: "remote_unlock_requested".to_owned(),
                reason: None,
                offline: false,
                occurred_at: to_db_time(now),
                received_at: to_db_time(now),
            },
        )?;
        tx.access_changed(&space.hub_id);
        tracing::info!(command.id = %command.id, booking.id = %booking.id, door.id = %door.id, "remote unlock requested");
        Ok(UnlockOutcome::Requested(command))
    })
}

/// The doors the booking leads through (its space's doors and the entrances) with their latest
/// unlock, for the booking page. Empty for someone else's booking.
///
/// # Errors
/// On a database failure.
pub fn unlockable_doors(
    conn: &mut DbConn,
    user: &User,
    booking_id: &BookingId,
) -> Result<Vec<UnlockableDoor>, ServiceError> {
    let Some(booking) = booking_rows::find_user_booking(conn, &user.id, booking_id)? else { return Ok(Vec::new()) };
    let space = catalog::find_space(conn, &booking.space_id)?.ok_or(ServiceError::NotFound)?;
    let commands = rows::booking_commands(conn, &booking.id)?;
    Ok(catalog::list_doors(conn, &space.hub_id)?
        .into_iter()
        .filter(|(door, spaces)| door.is_entrance || spaces.contains(&booking.space_id))
        .map(|(door, _)| {
            let latest = commands.iter().find(|c| c.door_id == door.id).cloned();
            UnlockableDoor { door, latest }
        })
        .collect())
}

/// The booking page's door panel: the doors with their latest unlock, and whether the booking's
/// window is open now (the button is offered only then; the door rule still decides on press).
///
/// # Errors
/// On a database failure.
pub fn door_panel(
    conn: &mut DbConn,
    user: &User,
    booking_id: &BookingId,
    now: DateTime<Utc>,
) -> Result<(Vec<UnlockableDoor>, bool), ServiceError> {
    let Some(booking) = booking_rows::find_user_booking(conn, &user.id, booking_id)? else {
        return Ok((Vec::new(), false));
    };
    let space = catalog::find_space(conn, &booking.space_id)?.ok_or(ServiceError::NotFound)?;
    let grace = pins::hub_pin_grace_minutes(conn, &space.hub_id)?.unwrap_or(0);
    let doors = unlockable_doors(conn, user, booking_id)?;
    Ok((doors, window_open(&booking, grace, now)))
}

/// Whether the door rule would let this booking in remotely at `now` (to show the button).
pub fn window_open(booking: &Booking, grace_minutes: i32, now: DateTime<Utc>) -> bool {
    let grace = Duration::minutes(i64::from(grace_minutes.max(0)));
    let holds = booking.status.opens_doors();
    holds && check_window(from_db_time(booking.start_at), from_db_time(booking.end_at), grace, now).is_ok()
}

/// What a manager switched off: the whole hub, or this door.
struct Vetoes {
    lockdown: bool,
    door_disabled: bool,
}

#[allow(clippy::too_many_arguments)]
fn one_booking_snapshot(
    hub_id: &HubId,
    door: &Door,
    leads_to: &[SpaceId],
    booking: &Booking,
    user: &User,
    grace_minutes: i32,
    vetoes: Vetoes,
    now: DateTime<Utc>,
) -> AccessSnapshot {
    AccessSnapshot {
        lockdown: vetoes.lockdown,
        hub_id: hub_id.clone(),
        version: 0,
        generated_at: now,
        grace_period_s: u32::try_from(grace_minutes).unwrap_or(0).saturating_mul(60),
        doors: vec![SnapshotDoor {
            disabled: vetoes.door_disabled,
            id: door.id.clone(),
            entrance: door.is_entrance,
            space_ids: leads_to.to_vec(),
        }],
        grants: vec![SnapshotGrant {
            booking_id: booking.id.clone(),
            space_id: booking.space_id.clone(),
            credential_verifier: String::new(),
            valid_from: from_db_time(booking.start_at),
            valid_until: from_db_time(booking.end_at),
            status: booking.status,
            user_active: user.status == UserStatus::Active,
            revoked: booking.cancelled_at.is_some(),
        }],
    }
}
