//! The managers' door controls as the bridge carries them out, driven over real Modbus TCP on
//! 127.0.0.1: a lockdown and a disabled door from the access snapshot (with the maintenance
//! credential that still opens), a staff-ordered opening without a booking, and registered
//! NFC cards presented through the mailbox.
#![cfg(feature = "bridge")]
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod door_server {
    pub mod harness;
}

use std::time::Duration;

use chrono::{DateTime, TimeDelta, Utc};
use door_server::harness::{
    self, BOOKING, Bridge, ENTRANCE, HUB_KEY, PIN, ROOM_A, ROOM_B, at, door_id, settings, standard_doors,
};
use regiohub_hardware::bridge::registers::{HR_REQ_SEQ, RequestResult, req_type, status};
use regiohub_hardware::bridge::sim_controller::{SimController, mailbox_words};
use regiohub_hardware::bridge::{BridgeSettings, MaintenanceCredential, RemoteUnlockOutcome};
use regiohub_hardware::protocol::{
    AccessEvent, AccessEventKind, AccessSnapshot, BookingId, DenyReason, RemoteUnlock, SnapshotGrant, card_uid_bytes,
    card_verifier, pin_verifier,
};
use tokio_modbus::client::Writer;

/// The service technician's PIN; it opens the entrance and room A.
const MAINTENANCE_PIN: &str = "97531864";
/// The member's registered card, as they typed it on their account page.
const CARD: &str = "04:A2:FF:10";
/// A second member's card, for a booking of room A from 11:00 to 11:30.
const LATER_CARD: &str = "04a2ff10223344";
const LATER_BOOKING: &str = "booking-2";

fn with_maintenance() -> BridgeSettings {
    BridgeSettings {
        maintenance: vec![MaintenanceCredential {
            name: "service".into(),
            verifier: pin_verifier(HUB_KEY, MAINTENANCE_PIN),
            doors: vec![door_id(ENTRANCE), door_id(ROOM_A)],
        }],
        ..settings()
    }
}

async fn start_with_maintenance() -> Bridge {
    harness::start_with(with_maintenance(), standard_doors(), true).await
}

/// The harness snapshot as version `version`, changed by `change`.
fn snapshot_v(version: u64, change: impl FnOnce(&mut AccessSnapshot)) -> AccessSnapshot {
    let mut snapshot = harness::snapshot();
    snapshot.version = version;
    change(&mut snapshot);
    snapshot
}

async fn controller(bridge: &Bridge, unit: u8) -> SimController {
    let mut ctrl = SimController::connect(bridge.addr, unit).await.unwrap();
    ctrl.beat().await.unwrap();
    ctrl
}

fn command(id: &str, unit: u8, booking: Option<&str>, deadline: DateTime<Utc>) -> RemoteUnlock {
    RemoteUnlock {
        id: id.into(),
        door_id: door_id(unit),
        booking_id: booking.map(BookingId::new),
        deadline,
        pulse_ms: 2000,
    }
}

fn result_of(events: &[AccessEvent], id: &str) -> Option<bool> {
    events.iter().find_map(|e| match &e.kind {
        AccessEventKind::RemoteUnlockResult { command_id, executed } if command_id == id => Some(*executed),
        _ => None,
    })
}

fn card_grant(booking: &str, uid: &str, from: DateTime<Utc>, until: DateTime<Utc>) -> SnapshotGrant {
    SnapshotGrant {
        booking_id: BookingId::new(booking),
        credential_verifier: card_verifier(HUB_KEY, &card_uid_bytes(uid).unwrap()),
        valid_from: from,
        valid_until: until,
        ..harness::snapshot().grants[0].clone()
    }
}

#[tokio::test]
async fn a_lockdown_in_the_snapshot_denies_the_pin_but_the_maintenance_pin_opens_until_a_snapshot_lifts_it() {
    let mut bridge = start_with_maintenance().await;
    let mut room = controller(&bridge, ROOM_A).await;

    // A grant a controller has not carried out yet when the lockdown arrives.
    let mut raw = bridge.client(ROOM_A).await;
    raw.write_multiple_registers(HR_REQ_SEQ, &mailbox_words(1, req_type::PIN, PIN.as_bytes()).unwrap())
        .await
        .unwrap()
        .unwrap();
    let pending = bridge.block(ROOM_A);
    assert_eq!(pending.result(), Some(RequestResult::Granted));
    assert!(pending.cmd_remaining_100ms > 0);
    room.continue_sequence().await.unwrap();
    bridge.drain_events();

    assert!(bridge.state.set_snapshot(snapshot_v(2, |s| s.lockdown = true)));
    let block = bridge.block(ROOM_A);
    assert_ne!(block.status_bits & status::LOCKDOWN, 0, "b4 set from the snapshot");
    assert_eq!(block.cmd_remaining_100ms, 0, "the pending grant was dropped");
    assert_eq!(block.cmd_pulse_100ms, 0);
    assert_ne!(bridge.block(ENTRANCE).status_bits & status::LOCKDOWN, 0, "hub-wide");
    let dropped = bridge.drain_events();
    assert!(dropped.iter().any(|e| e.kind == AccessEventKind::NotExecuted { cmd_seq: 1 }), "{dropped:?}");

    let denied = room.enter_pin(PIN).await.unwrap();
    assert_eq!(denied.result, Some(RequestResult::Denied));
    assert_eq!(denied.reason_code, DenyReason::Lockdown.code());
    assert_eq!(denied.block.cmd_seq, 1, "a denial never moves cmd_seq");
    assert!(!denied.unlocked);

    let service = room.enter_pin(MAINTENANCE_PIN).await.unwrap();
    assert_eq!(service.result, Some(RequestResult::Granted), "service staff still get in");
    assert_eq!(service.block.cmd_seq, 2);
    assert!(service.unlocked);
    let events = bridge.drain_events();
    assert!(events.iter().any(|e| e.kind == AccessEventKind::Denied { reason: DenyReason::Lockdown }));
    let maintenance = events
        .iter()
        .find(|e| matches!(&e.kind, AccessEventKind::MaintenanceGranted { name, cmd_seq: 2 } if name == "service"))
        .expect("the maintenance grant is recorded");
    assert_eq!(maintenance.booking_id, None);
    // Room B is not one of the maintenance credential's doors.
    let mut room_b = controller(&bridge, ROOM_B).await;
    let elsewhere = room_b.enter_pin(MAINTENANCE_PIN).await.unwrap();
    assert_eq!(elsewhere.reason_code, DenyReason::Lockdown.code());

    // A member's remote unlock is refused too.
    let outcome = bridge.state.remote_unlock_command(&command(
        "cmd-lockdown",
        ROOM_A,
        Some(BOOKING),
        harness::start_time() + TimeDelta::seconds(5),
    ));
    assert_eq!(outcome, RemoteUnlockOutcome::Denied(DenyReason::Lockdown));

    // The next snapshot lifts it: the PIN opens again and the maintenance PIN is a wrong PIN.
    assert!(bridge.state.set_snapshot(snapshot_v(3, |_| {})));
    assert_eq!(bridge.block(ROOM_A).status_bits & status::LOCKDOWN, 0);
    let granted = room.enter_pin(PIN).await.unwrap();
    assert_eq!(granted.result, Some(RequestResult::Granted));
    assert!(granted.unlocked);
    let wrong = room.enter_pin(MAINTENANCE_PIN).await.unwrap();
    assert_eq!(wrong.reason_code, DenyReason::NoBooking.code());

    // The bridge's own flag still works alone, and either flag keeps the hub locked.
    bridge.state.set_lockdown(true);
    assert_eq!(room.enter_pin(PIN).await.unwrap().reason_code, DenyReason::Lockdown.code());
    assert!(bridge.state.set_snapshot(snapshot_v(4, |s| s.lockdown = true)));
    bridge.state.set_lockdown(false);
    assert_eq!(room.enter_pin(PIN).await.unwrap().reason_code, DenyReason::Lockdown.code());
    bridge.stop().await;
}

#[tokio::test]
async fn a_door_disabled_in_the_snapshot_refuses_pins_and_remote_unlocks_but_not_service_staff() {
    let mut bridge = start_with_maintenance().await;
    let disable_room_a = |s: &mut AccessSnapshot| {
        s.doors.iter_mut().filter(|d| d.id == door_id(ROOM_A)).for_each(|d| d.disabled = true);
    };
    assert!(bridge.state.set_snapshot(snapshot_v(2, disable_room_a)));
    assert_eq!(bridge.block(ROOM_A).status_bits & status::DOOR_ENABLED, 0, "b3 clear at the disabled door");
    assert_ne!(bridge.block(ENTRANCE).status_bits & status::DOOR_ENABLED, 0, "other doors stay enabled");
    assert_eq!(bridge.block(ROOM_A).status_bits & status::LOCKDOWN, 0);

    let mut room = controller(&bridge, ROOM_A).await;
    let denied = room.enter_pin(PIN).await.unwrap();
    assert_eq!(denied.result, Some(RequestResult::Denied));
    assert_eq!(denied.reason_code, DenyReason::DoorDisabled.code());
    assert_eq!(denied.block.cmd_seq, 0);
    let mut entrance = controller(&bridge, ENTRANCE).await;
    assert_eq!(entrance.enter_pin(PIN).await.unwrap().result, Some(RequestResult::Granted));

    let deadline = harness::start_time() + TimeDelta::seconds(5);
    let member = bridge.state.remote_unlock_command(&command("cmd-member", ROOM_A, Some(BOOKING), deadline));
    assert_eq!(member, RemoteUnlockOutcome::Denied(DenyReason::DoorDisabled));
    let staff = bridge.state.remote_unlock_command(&command("cmd-staff", ROOM_A, None, deadline));
    assert_eq!(staff, RemoteUnlockOutcome::Denied(DenyReason::DoorDisabled));
    assert_eq!(bridge.block(ROOM_A).cmd_seq, 0);
    let events = bridge.drain_events();
    assert_eq!(result_of(&events, "cmd-member"), Some(false));
    assert_eq!(result_of(&events, "cmd-staff"), Some(false));

    let service = room.enter_pin(MAINTENANCE_PIN).await.unwrap();
    assert_eq!(service.result, Some(RequestResult::Granted), "service staff may fix a disabled door");

    // Enabled again by the next snapshot.
    assert!(bridge.state.set_snapshot(snapshot_v(3, |_| {})));
    assert_ne!(bridge.block(ROOM_A).status_bits & status::DOOR_ENABLED, 0);
    assert_eq!(room.enter_pin(PIN).await.unwrap().result, Some(RequestResult::Granted));
    bridge.stop().await;
}

#[tokio::test]
async fn disabling_a_door_in_the_snapshot_drops_its_pending_grant() {
    let mut bridge = harness::start().await;
    let mut raw = bridge.client(ROOM_A).await;
    raw.write_multiple_registers(HR_REQ_SEQ, &mailbox_words(1, req_type::PIN, PIN.as_bytes()).unwrap())
        .await
        .unwrap()
        .unwrap();
    assert!(bridge.block(ROOM_A).cmd_remaining_100ms > 0);
    bridge.drain_events();
    assert!(bridge.state.set_snapshot(snapshot_v(2, |s| {
        s.doors.iter_mut().filter(|d| d.id == door_id(ROOM_A)).for_each(|d| d.disabled = true);
    })));
    assert_eq!(bridge.block(ROOM_A).cmd_remaining_100ms, 0);
    let events = bridge.drain_events();
    assert!(events.iter().any(|e| e.kind == AccessEventKind::NotExecuted { cmd_seq: 1 }), "{events:?}");
    bridge.stop().await;
}

#[tokio::test]
async fn a_staff_opening_opens_a_door_without_a_booking_and_never_late_offline_or_in_lockdown() {
    let mut bridge = harness::start().await;
    let mut room_b = controller(&bridge, ROOM_B).await;
    let now = harness::start_time();

    // Room B: no booking leads there, yet a manager may open it for someone at the door.
    let outcome = bridge.state.remote_unlock_command(&command("cmd-1", ROOM_B, None, now + TimeDelta::seconds(4)));
    assert_eq!(outcome, RemoteUnlockOutcome::Issued { cmd_seq: 1 });
    let block = room_b.read_block().await.unwrap();
    assert_eq!(block.cmd_seq, 1);
    assert_eq!(block.cmd_pulse_100ms, 20, "the command's pulse");
    assert_eq!(block.cmd_remaining_100ms, 40, "valid until the command's deadline");
    assert_eq!(block.booking_end_s, 0, "no booking behind it");
    assert!(room_b.carry_out(&block).await.unwrap());
    // The acknowledgement is handled before the write is answered: every event is there.
    let events = bridge.drain_events();
    let kinds: Vec<_> = events.iter().map(|e| e.kind.clone()).collect();
    assert_eq!(
        kinds,
        vec![
            AccessEventKind::Granted { cmd_seq: 1 },
            AccessEventKind::Executed { cmd_seq: 1 },
            AccessEventKind::RemoteUnlockResult { command_id: "cmd-1".into(), executed: true },
        ]
    );
    assert!(events.iter().all(|e| e.booking_id.is_none() && !e.offline), "a staff opening has no booking");
    let order = bridge.orders.try_recv().expect("a relay order for the opening");
    assert_eq!((order.door.clone(), order.cmd_seq, order.booking_id.clone()), (door_id(ROOM_B), 1, None));
    assert_eq!(order.pulse, Duration::from_secs(2));

    // Never after its deadline.
    let late = bridge.state.remote_unlock_command(&command("cmd-late", ROOM_B, None, now - TimeDelta::seconds(1)));
    assert_eq!(late, RemoteUnlockOutcome::Expired);
    // Never while deciding offline.
    bridge.state.set_deciding_offline(true);
    let offline =
        bridge.state.remote_unlock_command(&command("cmd-offline", ROOM_B, None, now + TimeDelta::seconds(4)));
    assert_eq!(offline, RemoteUnlockOutcome::Denied(DenyReason::RemoteUnlockOffline));
    bridge.state.set_deciding_offline(false);
    // Never in lockdown, the snapshot's or the bridge's own.
    assert!(bridge.state.set_snapshot(snapshot_v(2, |s| s.lockdown = true)));
    let locked = bridge.state.remote_unlock_command(&command("cmd-locked", ROOM_B, None, now + TimeDelta::seconds(4)));
    assert_eq!(locked, RemoteUnlockOutcome::Denied(DenyReason::Lockdown));
    assert!(bridge.state.set_snapshot(snapshot_v(3, |_| {})));
    bridge.state.set_lockdown(true);
    let locked = bridge.state.remote_unlock_command(&command("cmd-local", ROOM_B, None, now + TimeDelta::seconds(4)));
    assert_eq!(locked, RemoteUnlockOutcome::Denied(DenyReason::Lockdown));
    bridge.state.set_lockdown(false);
    // Never at a door the snapshot does not know.
    assert!(bridge.state.set_snapshot(snapshot_v(4, |s| s.doors.retain(|d| d.id != door_id(ROOM_B)))));
    let unknown =
        bridge.state.remote_unlock_command(&command("cmd-unknown", ROOM_B, None, now + TimeDelta::seconds(4)));
    assert_eq!(unknown, RemoteUnlockOutcome::Denied(DenyReason::UnknownDoor));

    assert_eq!(room_b.read_block().await.unwrap().cmd_seq, 1, "no refused opening issued a command");
    let events = bridge.drain_events();
    for id in ["cmd-late", "cmd-offline", "cmd-locked", "cmd-local", "cmd-unknown"] {
        assert_eq!(result_of(&events, id), Some(false), "{id}");
    }
    assert!(events.iter().all(|e| e.booking_id.is_none()));
    bridge.stop().await;
}

#[tokio::test]
async fn a_registered_card_opens_only_within_its_booking_and_where_the_booking_leads() {
    let mut bridge = harness::start().await;
    assert!(bridge.state.set_snapshot(snapshot_v(2, |s| {
        s.grants.push(card_grant(BOOKING, CARD, at(10, 0, 0), at(12, 0, 0)));
        s.grants.push(card_grant(LATER_BOOKING, LATER_CARD, at(11, 0, 0), at(11, 30, 0)));
    })));
    let card = card_uid_bytes(CARD).unwrap();
    let later_card = card_uid_bytes(LATER_CARD).unwrap();
    let mut room = controller(&bridge, ROOM_A).await;

    let granted = room.present_card(&card).await.unwrap();
    assert_eq!(granted.result, Some(RequestResult::Granted));
    assert!(granted.unlocked);
    assert_eq!(granted.block.booking_end_s, 90 * 60);
    let events = bridge.drain_events();
    let event = events.iter().find(|e| e.kind == AccessEventKind::Granted { cmd_seq: 1 }).unwrap();
    assert_eq!(event.booking_id, Some(BookingId::new(BOOKING)));

    // Not at a door that does not lead to the booked space. The reader hears no_booking for
    // every refused card; the access log keeps the detailed reason.
    let mut room_b = controller(&bridge, ROOM_B).await;
    assert_eq!(room_b.present_card(&card).await.unwrap().reason_code, DenyReason::NoBooking.code());
    assert!(bridge.drain_events().iter().any(|e| e.kind == AccessEventKind::Denied { reason: DenyReason::WrongDoor }));
    // An unregistered card, and a UID no card can have.
    let stranger = room.present_card(&[0x04, 0xA2, 0xFF, 0x11]).await.unwrap();
    assert_eq!((stranger.result, stranger.reason_code), (Some(RequestResult::Denied), DenyReason::NoBooking.code()));
    let short = room.present_card(&[0x04, 0xA2, 0xFF]).await.unwrap();
    assert_eq!((short.result, short.reason_code), (Some(RequestResult::BadRequest), DenyReason::BadRequest.code()));

    // The later booking's card: too early at 10:30, open from 10:55 (grace), shut at 11:30.
    assert_eq!(room.present_card(&later_card).await.unwrap().reason_code, DenyReason::NoBooking.code());
    assert!(bridge.drain_events().iter().any(|e| e.kind == AccessEventKind::Denied { reason: DenyReason::TooEarly }));
    bridge.advance(Duration::from_secs(25 * 60)).await;
    let inside = room.present_card(&later_card).await.unwrap();
    assert_eq!(inside.result, Some(RequestResult::Granted));
    assert_eq!(inside.block.booking_end_s, 35 * 60);
    bridge.advance(Duration::from_secs(35 * 60)).await;
    assert_eq!(room.present_card(&later_card).await.unwrap().reason_code, DenyReason::NoBooking.code());
    assert_eq!(room.present_card(&card).await.unwrap().result, Some(RequestResult::Granted), "11:30 < 12:00");
    bridge.advance(Duration::from_secs(30 * 60)).await;
    assert_eq!(room.present_card(&card).await.unwrap().reason_code, DenyReason::NoBooking.code());
    assert!(bridge.drain_events().iter().any(|e| e.kind == AccessEventKind::Denied { reason: DenyReason::TooLate }));

    // Events name the booking, never the card.
    let text = serde_json::to_string(&bridge.drain_events()).unwrap().to_lowercase();
    assert!(!text.contains("04a2ff10") && !text.contains("04:a2"), "a card UID reached the events");
    bridge.stop().await;
}
