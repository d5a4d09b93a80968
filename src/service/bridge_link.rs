//! The central service's side of the bridge link: bridges and their tokens, the access snapshot
//! a hub's bridge decides from, remote-unlock commands on their way to it, and the events it
//! reports (access log, check-in, door states, alarms, presence, unlock results). HTTP lives in
//! `web::bridge_api`; the door rule itself lives in `regiohub_hardware::decision`.

pub mod numbering;
pub mod signals;
pub mod wire;

use std::collections::HashMap;

use chrono::{DateTime, Duration, Utc};
use rand::RngCore;
use regiohub_hardware::protocol::{AccessSnapshot, BookingId, DoorId, HubId, SnapshotDoor, SnapshotGrant, SpaceId};
use serde::Serialize;
use sha2::{Digest, Sha256};

use super::catalogue::Catalogue;
use super::{ServiceError, from_db_time, to_db_time};
use crate::db::access::{self as rows, AccessEventRow, AlarmRow, Bridge, PresenceReadingRow};
use crate::db::catalog::{self, Door};
use crate::db::{self, DbConn, cards, door_controls, guests, pins};
use crate::domain::vocabulary::{AlarmKind, BookingStatus, CommandStatus};
use crate::secrets::SecretKey;
use crate::service::ErrorCode;
use crate::service::UnitOfWork;
pub use numbering::numbered_snapshot;
pub use signals::{HubSignals, SnapshotPacing};
use wire::{BridgeEvent, EventKind, EventReceipt, RemoteUnlock};

/// Bridge tokens start with this, so a leaked one is recognisable.
pub const BRIDGE_TOKEN_PREFIX: &str = "rhb_";
/// At most this many events per upload; the bridge sends the rest in the next one.
pub const MAX_EVENTS_PER_BATCH: usize = regiohub_hardware::protocol::MAX_EVENTS_PER_UPLOAD;
/// How long the lock of a remote unlock is energised.
pub const REMOTE_UNLOCK_PULSE_MS: u32 = 5000;

/// Creates a bridge for the hub with this id and returns it with its token, which is shown this
/// once and stored only as a hash.
///
/// # Errors
/// `NotFound` for an unknown hub, `Invalid` for an empty name.
pub fn create_bridge(
    conn: &mut DbConn,
    hub_id: &HubId,
    name: &str,
    now: DateTime<Utc>,
) -> Result<(Bridge, String), ServiceError> {
    let name = name.trim();
    if name.is_empty() || name.len() > 100 {
        return Err(ServiceError::Invalid {
            field: "name",
            code: ErrorCode::InvalidName,
            message: "a bridge needs a name of 1 to 100 characters".to_owned(),
        });
    }
    let hub = catalog::find_hub_by_id(conn, hub_id)?.ok_or(ServiceError::NotFound)?;
    let token = new_token();
    let bridge = Bridge {
        id: db::new_id(),
        hub_id: hub.id,
        name: name.to_owned(),
        token_hash: token_hash(&token),
        created_at: to_db_time(now),
        rotated_at: None,
        last_seen_at: None,
    };
    rows::insert_bridge(conn, &bridge)?;
    tracing::info!(bridge.id = %bridge.id, hub.id = %bridge.hub_id, "bridge created");
    Ok((bridge, token))
}

/// The PIN key of the hub with this id, for its bridge's `bridge.pin_key_file`: the bridge
/// checks PINs typed at the hub's keypads against verifiers made with it.
///
/// # Errors
/// `NotFound` for an unknown hub.
pub fn hub_pin_key(conn: &mut DbConn, secret: &SecretKey, hub_id: &HubId) -> Result<[u8; 32], ServiceError> {
    let hub = catalog::find_hub_by_id(conn, hub_id)?.ok_or(ServiceError::NotFound)?;
    Ok(secret.hub_pin_key(&hub.id))
}

/// Gives a bridge a new token; the old one stops working at once.
///
/// # Errors
/// `NotFound` for an unknown bridge.
pub fn rotate_bridge_token(conn: &mut DbConn, bridge_id: &str, now: DateTime<Utc>) -> Result<String, ServiceError> {
    let token = new_token();
    if rows::set_bridge_token(conn, bridge_id, &token_hash(&token), to_db_time(now))? == 0 {
        return Err(ServiceError::NotFound);
    }
    tracing::info!(bridge.id = %bridge_id, "bridge token rotated");
    Ok(token)
}

/// The bridge a bearer token belongs to; records that it called in.
///
/// # Errors
/// On a database failure; an unknown token is `Ok(None)`.
pub fn authenticate_bridge(
    tx: &mut UnitOfWork<'_>,
    token: &str,
    now: DateTime<Utc>,
) -> Result<Option<Bridge>, ServiceError> {
    if !token.starts_with(BRIDGE_TOKEN_PREFIX) {
        return Ok(None);
    }
    let Some(bridge) = rows::find_bridge_by_token_hash(tx, &token_hash(token))? else {
        return Ok(None);
    };
    // Written at most once a minute, as sessions are: a long-polling bridge calls every few
    // seconds, and "silent" means minutes.
    let recently =
        bridge.last_seen_at.is_some_and(|seen| now - from_db_time(seen) < crate::service::sessions::TOUCH_EVERY);
    if !recently {
        tx.write_transaction(|tx| rows::touch_bridge(tx, &bridge.id, to_db_time(now)))?;
    }
    Ok(Some(bridge))
}

fn new_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    format!("{BRIDGE_TOKEN_PREFIX}{}", hex::encode(bytes))
}

fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// What a snapshot says, without when it was built: equal content, equal hash.
#[derive(Serialize)]
struct SnapshotContent<'a> {
    hub_id: &'a HubId,
    grace_period_s: u32,
    lockdown: bool,
    doors: &'a [SnapshotDoor],
    grants: &'a [SnapshotGrant],
}

/// Builds the hub's access snapshot: its doors from the catalogue (a disabled one marked), whether the hub is in
/// lockdown, and every booking holding a PIN whose window meets `[now, now + horizon)`, once
/// with the PIN's verifier, once more for each active card of the booker at the hub and once
/// more for each guest invited and not withdrawn.
/// `version` is left 0 and the content hash returned beside it; [`numbered_snapshot`] turns
/// the hash into the version the bridge sees.
///
/// # Errors
/// `NotFound` for an unknown hub; on a database failure.
pub fn build_snapshot(
    conn: &mut DbConn,
    catalogue: &Catalogue,
    hub_id: &HubId,
    now: DateTime<Utc>,
    horizon: Duration,
) -> Result<(AccessSnapshot, u64), ServiceError> {
    let grace_minutes = pins::hub_pin_grace_minutes(conn, hub_id)?.ok_or(ServiceError::NotFound)?.max(0);
    let grace = Duration::minutes(i64::from(grace_minutes));
    let lockdown = door_controls::lockdown_since(conn, hub_id)?.is_some();
    let disabled = door_controls::disabled_doors(conn, hub_id)?;
    let mut doors: Vec<SnapshotDoor> = catalogue
        .doors_of(hub_id)
        .map(|(door, space_ids)| {
            let mut space_ids = space_ids.clone();
            space_ids.sort();
            SnapshotDoor {
                disabled: disabled.contains(&door.id),
                id: door.id.clone(),
                entrance: door.is_entrance,
                space_ids,
            }
        })
        .collect();
    doors.sort_by(|a, b| a.id.cmp(&b.id));
    let until = now.checked_add_signed(horizon).unwrap_or(now);
    let (from_db, until_db) = (to_db_time(now), to_db_time(until));
    // A member's cards open what their PIN opens: one more grant per card and booking.
    let mut held = rows::grant_rows(conn, hub_id, grace, from_db, until_db)?;
    held.extend(cards::card_grant_rows(conn, hub_id, grace, from_db, until_db)?);
    // A booking's invited guests open what its PIN opens, each with their own PIN (issue 16).
    held.extend(guests::guest_grant_rows(conn, hub_id, grace, from_db, until_db)?);
    let mut grants: Vec<SnapshotGrant> = held
        .into_iter()
        .filter_map(|row| {
            let status = Some(row.status).filter(|status| status.opens_doors())?;
            Some(SnapshotGrant {
                booking_id: row.booking_id,
                space_id: row.space_id,
                credential_verifier: row.pin_verifier?,
                valid_from: from_db_time(row.start_at),
                valid_until: from_db_time(row.end_at),
                status,
                user_active: row.user_status.is_some_and(|s| s.opens_doors()),
                revoked: false,
            })
        })
        .collect();
    grants.sort_by(|a, b| {
        a.booking_id.cmp(&b.booking_id).then_with(|| a.credential_verifier.cmp(&b.credential_verifier))
    });
    let hub = hub_id.clone();
    let grace_period_s = u32::try_from(grace_minutes).unwrap_or(0).saturating_mul(60);
    let content = SnapshotContent { hub_id: &hub, grace_period_s, lockdown, doors: &doors, grants: &grants };
    let hash = content_hash(&content);
    let snapshot =
        AccessSnapshot { lockdown, hub_id: hub, version: 0, generated_at: now, grace_period_s, doors, grants };
    Ok((snapshot, hash))
}

/// The first 8 bytes of SHA-256 over the canonical JSON (fields in declaration order, lists
/// sorted by id).
fn content_hash(content: &SnapshotContent<'_>) -> u64 {
    let json = serde_json::to_vec(content).unwrap_or_default();
    let digest = Sha256::digest(&json);
    let mut first = [0u8; 8];
    first.copy_from_slice(&digest[..8]);
    u64::from_be_bytes(first)
}

/// Hands out the hub's due remote-unlock commands, once each: undelivered commands past their
/// deadline become `expired` and are never handed out; the rest become `delivered`.
///
/// # Errors
/// On a database failure; nothing is marked unless everything is.
pub fn take_commands(
    tx: &mut UnitOfWork<'_>,
    hub_id: &HubId,
    now: DateTime<Utc>,
) -> Result<Vec<RemoteUnlock>, ServiceError> {
    let now_db = to_db_time(now);
    tx.write_transaction(|tx| {
        let expired = rows::expire_commands(tx, hub_id, now_db)?;
        if expired > 0 {
            tracing::info!(hub.id = %hub_id, expired, "remote unlocks expired before a bridge fetched them");
        }
        let mut out = Vec::new();
        for command in rows::pending_commands(tx, hub_id, now_db)? {
            if !rows::move_command(tx, &command.id, &[CommandStatus::Requested], CommandStatus::Delivered, now_db)? {
                continue;
            }
            // No booking: a hub manager's opening for someone at the door; the bridge skips
            // only the booking check.
            let staff = command.booking_id.is_none();
            tracing::info!(command.id = %command.id, door.id = %command.door_id, staff, "remote unlock delivered");
            out.push(RemoteUnlock {
                id: command.id,
                door_id: command.door_id,
                booking_id: command.booking_id,
                deadline: from_db_time(command.deadline),
                pulse_ms: REMOTE_UNLOCK_PULSE_MS,
            });
        }
        Ok(out)
    })
}

/// What [`ingest_events`] stored: the receipt the bridge gets, and the door decisions among the
/// events stored for the first time (a resent event is not counted twice).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IngestedEvents {
    pub receipt: EventReceipt,
    pub decisions: Vec<wire::DoorDecision>,
}

/// Stores a batch of the hub's bridge events in one transaction, each at most once, and acts
/// on the new ones: check-in, door state, alarms, remote-unlock results. References to doors,
/// spaces, bookings or commands of another hub are dropped, never followed.
///
/// # Errors
/// `Invalid` for more than [`MAX_EVENTS_PER_BATCH`] events or a malformed id; on a database
/// failure nothing is stored.
pub fn ingest_events(
    tx: &mut UnitOfWork<'_>,
    hub_id: &HubId,
    events: &[BridgeEvent],
    now: DateTime<Utc>,
) -> Result<IngestedEvents, ServiceError> {
    if events.len() > MAX_EVENTS_PER_BATCH {
        return Err(ServiceError::Invalid {
            field: "events",
            code: ErrorCode::TooManyEvents,
            message: format!("at most {MAX_EVENTS_PER_BATCH} events per request"),
        });
    }
    if let Some(bad) = events.iter().find(|e| e.id.is_empty() || e.id.len() > 64) {
        return Err(ServiceError::Invalid {
            field: "events.id",
            code: ErrorCode::InvalidEventId,
            message: format!("event ids have 1 to 64 characters, got {}", bad.id.len()),
        });
    }
    tx.write_transaction(|tx| {
        let grace = Duration::minutes(i64::from(
            pins::hub_pin_grace_minutes(tx, hub_id)?.ok_or(ServiceError::NotFound)?.max(0),
        ));
        let doors: HashMap<DoorId, (Door, Vec<SpaceId>)> =
            catalog::list_doors(tx, hub_id)?.into_iter().map(|(d, s)| (d.id.clone(), (d, s))).collect();
        let spaces: Vec<SpaceId> = catalog::list_spaces(tx, hub_id)?.into_iter().map(|s| s.id).collect();
        let mut receipt = EventReceipt { accepted: 0, duplicates: 0 };
        let mut decisions = Vec::new();
        for event in events {
            let hub = HubContext { hub_id, grace, doors: &doors, spaces: &spaces };
            if ingest_one(tx, &hub, event, now)? {
                receipt.accepted += 1;
                decisions.extend(event.door_decision());
            } else {
                receipt.duplicates += 1;
            }
        }
        if receipt.accepted > 0 {
            tx.dashboard_changed(hub_id);
        }
        Ok(IngestedEvents { receipt, decisions })
    })
}

struct HubContext<'a> {
    hub_id: &'a HubId,
    grace: Duration,
    doors: &'a HashMap<DoorId, (Door, Vec<SpaceId>)>,
    spaces: &'a [SpaceId],
}

/// Stores one event; returns false when it was stored before (and then does nothing else).
fn ingest_one(
    tx: &mut UnitOfWork<'_>,
    hub: &HubContext<'_>,
    event: &BridgeEvent,
    now: DateTime<Utc>,
) -> Result<bool, ServiceError> {
    let at = to_db_time(event.at);
    let door = hub.doors.get(&event.door);
    if let EventKind::Presence { space_id, presence } = &event.kind {
        let space_id = hub.spaces.iter().find(|s| *s == space_id).cloned();
        let row = PresenceReadingRow {
            id: event.id.clone(),
            hub_id: hub.hub_id.clone(),
            sensor_id: None,
            space_id: space_id.clone(),
            presence: wire::sensed_presence(*presence),
            observed_at: at,
            received_at: to_db_time(now),
        };
        if !rows::insert_presence_reading(tx, &row)? {
            return Ok(false);
        }
        if let (Some(space_id), wire::PresenceState::Present) = (space_id, presence) {
            check_in_by_presence(tx, &space_id, hub.grace, event.at)?;
        }
        return Ok(true);
    }
    let booking_id = match &event.booking_id {
        Some(id) => rows::booking_in_hub(tx, hub.hub_id, id)?.map(|b| b.id),
        None => None,
    };
    let reason = match &event.kind {
        EventKind::Denied { reason } => Some(reason.as_str().to_owned()),
        EventKind::AlarmCleared { alarm } => Some(alarm_kind(*alarm).as_str().to_owned()),
        EventKind::DoorState { state } => Some(wire::door_state_str(*state).to_owned()),
        _ => None,
    };
    let row = AccessEventRow {
        id: event.id.clone(),
        hub_id: hub.hub_id.clone(),
        door_id: door.map(|(d, _)| d.id.clone()),
        booking_id: booking_id.clone(),
        kind: event.kind.as_str().to_owned(),
        reason,
        offline: event.offline,
        occurred_at: at,
        received_at: to_db_time(now),
    };
    if !rows::insert_access_event(tx, &row)? {
        return Ok(false);
    }
    match (&event.kind, door) {
        (EventKind::Granted { .. }, Some((door, space_ids))) => {
            if let Some(booking_id) = &booking_id {
                check_in_by_entry(tx, door, space_ids, booking_id, hub.grace, event.at)?;
            }
        }
        (EventKind::DoorState { state }, Some((door, _))) => {
            rows::upsert_door_state(tx, &door.id, wire::door_state_str(*state), at)?;
        }
        (EventKind::HeldOpen {}, Some((door, _))) => raise_alarm(tx, hub.hub_id, door, AlarmKind::HeldOpen, at, now)?,
        (EventKind::ForcedOpen {}, Some((door, _))) => {
            raise_alarm(tx, hub.hub_id, door, AlarmKind::ForcedOpen, at, now)?
        }
        (EventKind::ControllerSilent {}, Some((door, _))) => {
            raise_alarm(tx, hub.hub_id, door, AlarmKind::ControllerSilent, at, now)?;
        }
        (EventKind::FieldIoFault {}, Some((door, _))) => {
            raise_alarm(tx, hub.hub_id, door, AlarmKind::DeviceFault, at, now)?
        }
        (EventKind::ControllerBack {}, Some((door, _))) => {
            rows::clear_alarms(tx, &door.id, AlarmKind::ControllerSilent, at)?;
        }
        (EventKind::LockedOut { .. }, Some((door, _))) => keypad_locked_out(tx, hub.hub_id, door, at, now)?,
        (EventKind::AlarmCleared { alarm }, Some((door, _))) => {
            rows::clear_alarms(tx, &door.id, alarm_kind(*alarm), at)?;
        }
        (EventKind::RemoteUnlockResult { command_id, executed }, _) => {
            settle_command(tx, hub.hub_id, command_id, *executed, now)?;
        }
        _ => {}
    }
    Ok(true)
}

fn alarm_kind(alarm: regiohub_hardware::protocol::Alarm) -> AlarmKind {
    use regiohub_hardware::protocol::Alarm;
    match alarm {
        Alarm::HeldOpen => AlarmKind::HeldOpen,
        Alarm::ForcedOpen => AlarmKind::ForcedOpen,
        Alarm::ControllerSilent => AlarmKind::ControllerSilent,
        Alarm::FieldIoFault => AlarmKind::DeviceFault,
    }
}

/// Opens an alarm of this kind at this door unless one is open already, and tells the hub's
/// managers (throttled, see `alarm_mail`).
fn raise_alarm(
    tx: &mut UnitOfWork<'_>,
    hub_id: &HubId,
    door: &Door,
    kind: AlarmKind,
    at: chrono::NaiveDateTime,
    now: DateTime<Utc>,
) -> Result<(), ServiceError> {
    if rows::open_alarm(tx, &door.id, kind)?.is_some() {
        return Ok(());
    }
    let alarm = AlarmRow {
        id: db::new_id(),
        hub_id: hub_id.clone(),
        door_id: Some(door.id.clone()),
        kind: kind.to_owned(),
        raised_at: at,
        cleared_at: None,
        acknowledged_by: None,
        acknowledged_at: None,
        last_notified_at: None,
    };
    rows::insert_alarm(tx, &alarm)?;
    tracing::warn!(alarm.id = %alarm.id, door.id = %door.id, alarm.kind = %kind, "door alarm raised");
    super::alarm_mail::notify_alarm(tx, door, &alarm.id, kind, from_db_time(at), now)?;
    Ok(())
}

/// Keypad lockouts at one door within an hour that make someone guessing PINs an alarm.
const LOCKOUTS_FOR_ALARM: i64 = 3;

/// A keypad lockout (stored already): the third at this door within an hour raises a
/// `keypad_lockout` alarm and tells the hub's managers. The bridge's escalating lockout slows a
/// guesser down; only people can stop one. An alarm a manager has acknowledged is closed here, so
/// a guesser who comes back is reported again.
fn keypad_locked_out(
    tx: &mut UnitOfWork<'_>,
    hub_id: &HubId,
    door: &Door,
    at: chrono::NaiveDateTime,
    now: DateTime<Utc>,
) -> Result<(), ServiceError> {
    let lockouts = rows::count_door_events_since(tx, &door.id, "locked_out", at - Duration::hours(1))?;
    if lockouts < LOCKOUTS_FOR_ALARM {
        return Ok(());
    }
    if let Some(open) = rows::open_alarm(tx, &door.id, AlarmKind::KeypadLockout)? {
        if open.acknowledged_at.is_none() {
            return Ok(());
        }
        rows::clear_alarms(tx, &door.id, AlarmKind::KeypadLockout, at)?;
    }
    raise_alarm(tx, hub_id, door, AlarmKind::KeypadLockout, at, now)
}

/// Records a remote unlock's real outcome; a command of another hub is left alone.
fn settle_command(
    conn: &mut DbConn,
    hub_id: &HubId,
    command_id: &str,
    executed: bool,
    now: DateTime<Utc>,
) -> Result<(), ServiceError> {
    let Some(command) = rows::find_command(conn, command_id)? else { return Ok(()) };
    if command.hub_id != *hub_id {
        tracing::warn!(command.id = %command_id, "a bridge reported a command of another hub; ignored");
        return Ok(());
    }
    let to = if executed { CommandStatus::Executed } else { CommandStatus::Failed };
    let open = [CommandStatus::Requested, CommandStatus::Delivered];
    if rows::move_command(conn, command_id, &open, to, to_db_time(now))? {
        tracing::info!(command.id = %command_id, status = %to, "remote unlock settled");
    }
    Ok(())
}

/// A granted entry at a door leading to the booking's space (or the entrance) within the
/// booking's window checks it in.
fn check_in_by_entry(
    conn: &mut DbConn,
    door: &Door,
    space_ids: &[SpaceId],
    booking_id: &BookingId,
    grace: Duration,
    at: DateTime<Utc>,
) -> Result<(), ServiceError> {
    let Some(booking) = rows::find_booking(conn, booking_id)? else { return Ok(()) };
    let leads = door.is_entrance || space_ids.contains(&booking.space_id);
    let start = from_db_time(booking.start_at) - grace;
    if leads && start <= at && at < from_db_time(booking.end_at) {
        check_in(conn, &booking.id, at)?;
    }
    Ok(())
}

/// Presence at a space checks in the confirmed booking whose window holds that moment.
fn check_in_by_presence(
    conn: &mut DbConn,
    space_id: &SpaceId,
    grace: Duration,
    at: DateTime<Utc>,
) -> Result<(), ServiceError> {
    for booking in rows::confirmed_bookings_at(conn, space_id, to_db_time(at), grace)? {
        check_in(conn, &booking.id, at)?;
    }
    Ok(())
}

fn check_in(conn: &mut DbConn, booking_id: &BookingId, at: DateTime<Utc>) -> Result<(), ServiceError> {
    if rows::move_booking(conn, booking_id, &[BookingStatus::Confirmed], BookingStatus::CheckedIn, to_db_time(at))? {
        tracing::info!(booking.id = %booking_id, "booking checked in");
    }
    Ok(())
}
