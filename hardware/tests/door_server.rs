//! The door controller server driven over real Modbus TCP on 127.0.0.1: the handshake, every
//! exception, lockout, simple mode, supervision, allow-list, idle peers and garbage frames.
#![cfg(feature = "bridge")]
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod door_server {
    pub mod harness;
}

use std::net::SocketAddr;
use std::time::Duration;

use door_server::harness::{
    self, BOOKING, Bridge, ENTRANCE, PIN, ROOM_A, ROOM_B, WRONG_PIN, door_id, settings, standard_doors,
};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use regiohub_hardware::bridge::registers::{
    HR_CMD_ACK_SEQ, HR_CTRL_HEARTBEAT, HR_DOOR_STATE_BITS, HR_REQ_SEQ, MAP_VERSION, RequestResult, door_state,
    req_type, status,
};
use regiohub_hardware::bridge::sim_controller::{SimController, mailbox_words};
use regiohub_hardware::bridge::{
    DoorInputs, DoorRuntimeConfig, DoorStateSource, LockoutPolicy, PeerAllowList, Presence,
};
use regiohub_hardware::protocol::{AccessEventKind, Alarm, BookingId, Decision, DenyReason};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpSocket, TcpStream};
use tokio_modbus::client::{Context, Reader, Writer};
use tokio_modbus::slave::SlaveContext;
use tokio_modbus::{ExceptionCode, Slave};

async fn controller(bridge: &Bridge, unit: u8) -> SimController {
    SimController::connect(bridge.addr, unit).await.unwrap()
}

fn exception<T: std::fmt::Debug>(result: tokio_modbus::Result<T>) -> ExceptionCode {
    match result {
        Ok(Err(code)) => code,
        other => panic!("expected a Modbus exception, got {other:?}"),
    }
}

async fn write_mailbox(ctx: &mut Context, seq: u16, kind: u16, data: &[u8]) -> tokio_modbus::Result<()> {
    let words = mailbox_words(seq, kind, data).unwrap();
    ctx.write_multiple_registers(HR_REQ_SEQ, &words).await
}

#[tokio::test]
async fn right_pin_is_granted_and_acknowledged_through_the_handshake() {
    let mut bridge = harness::start().await;
    let mut ctrl = controller(&bridge, ROOM_A).await;
    ctrl.beat().await.unwrap();

    let before = ctrl.read_block().await.unwrap();
    assert_eq!(before.map_version, MAP_VERSION);
    assert_eq!(before.cmd_seq, 0);
    assert_eq!(before.req_result, 0);

    let outcome = ctrl.enter_pin(PIN).await.unwrap();
    assert_eq!(outcome.result, Some(RequestResult::Granted));
    assert_eq!(outcome.reason_code, 0);
    let block = outcome.block;
    assert_eq!(block.req_seq_echo, outcome.req_seq);
    assert_eq!(block.cmd_seq, 1);
    assert_eq!(block.cmd_remaining_100ms, 50, "default validity 5 s");
    assert_eq!(block.cmd_pulse_100ms, 50, "default pulse 5 s");
    assert_eq!(block.booking_end_s, 90 * 60, "booking ends at 12:00, now 10:30");
    assert_eq!(i64::from(block.unix_time), harness::start_time().timestamp());
    assert!(outcome.unlocked, "the controller carried out the fresh command");

    let events = bridge.drain_events();
    let kinds: Vec<_> = events.iter().map(|e| e.kind.clone()).collect();
    assert_eq!(kinds, vec![AccessEventKind::Granted { cmd_seq: 1 }, AccessEventKind::Executed { cmd_seq: 1 }]);
    assert!(events.iter().all(|e| e.booking_id == Some(BookingId::new(BOOKING))));
    assert!(events.iter().all(|e| e.door == door_id(ROOM_A) && !e.offline));
    assert_ne!(events[0].id, events[1].id);

    let order = bridge.orders.try_recv().expect("a relay order for the grant");
    assert_eq!(order.door, door_id(ROOM_A));
    assert_eq!(order.cmd_seq, 1);
    assert_eq!(order.pulse, Duration::from_secs(5));
    assert_eq!(order.booking_id, Some(BookingId::new(BOOKING)));

    // Holding registers read back what was written.
    let mut ctx = bridge.client(ROOM_A).await;
    let holding = ctx.read_holding_registers(100, 29).await.unwrap().unwrap();
    assert_eq!(holding[usize::from(HR_CMD_ACK_SEQ - 100)], 1);
    assert_eq!(holding[usize::from(HR_REQ_SEQ - 100)], outcome.req_seq);
    assert_eq!(holding[11], req_type::PIN);
    assert_eq!(holding[12], 6);
    assert_eq!(holding[13], u16::from_be_bytes([b'4', b'8']));
    bridge.stop().await;
}

#[tokio::test]
async fn the_entrance_opens_for_any_booking_and_other_rooms_do_not() {
    let bridge = harness::start().await;
    let mut entrance = controller(&bridge, ENTRANCE).await;
    let granted = entrance.enter_pin(PIN).await.unwrap();
    assert_eq!(granted.result, Some(RequestResult::Granted));

    let mut room_b = controller(&bridge, ROOM_B).await;
    let denied = room_b.enter_pin(PIN).await.unwrap();
    assert_eq!(denied.result, Some(RequestResult::Denied));
    assert_eq!(denied.reason_code, DenyReason::NoBooking.code(), "the keypad never says the PIN exists");
    assert_eq!(denied.block.cmd_seq, 0);
    assert!(!denied.unlocked);
    bridge.stop().await;
}

#[tokio::test]
async fn a_denied_pin_never_moves_cmd_seq() {
    let mut bridge = harness::start().await;
    let mut ctrl = controller(&bridge, ROOM_A).await;

    let denied = ctrl.enter_pin(WRONG_PIN).await.unwrap();
    assert_eq!(denied.result, Some(RequestResult::Denied));
    assert_eq!(denied.reason_code, DenyReason::NoBooking.code());
    assert_eq!(denied.block.cmd_seq, 0);
    assert_eq!(denied.block.cmd_remaining_100ms, 0);
    assert!(!denied.unlocked);

    let granted = ctrl.enter_pin(PIN).await.unwrap();
    assert_eq!(granted.block.cmd_seq, 1);

    for _ in 0..3 {
        let denied = ctrl.enter_pin(WRONG_PIN).await.unwrap();
        assert_eq!(denied.result, Some(RequestResult::Denied));
        assert_eq!(denied.block.cmd_seq, 1);
        assert!(!denied.unlocked);
    }
    // A malformed-but-parsable PIN is a bad request and does not move it either.
    let bad = ctrl.present(req_type::PIN, b"12ab").await.unwrap();
    assert_eq!(bad.result, Some(RequestResult::BadRequest));
    assert_eq!(bad.reason_code, DenyReason::BadRequest.code());
    assert_eq!(bad.block.cmd_seq, 1);

    let denials =
        bridge.drain_events().into_iter().filter(|e| matches!(e.kind, AccessEventKind::Denied { .. })).count();
    assert_eq!(denials, 5);
    assert_eq!(bridge.orders.try_recv().map(|o| o.cmd_seq).ok(), Some(1));
    assert!(bridge.orders.try_recv().is_err(), "denials send no relay order");
    bridge.stop().await;
}

#[tokio::test]
async fn an_expired_command_never_becomes_valid_again() {
    let mut bridge = harness::start().await;
    let mut ctx = bridge.client(ROOM_A).await;
    write_mailbox(&mut ctx, 1, req_type::PIN, PIN.as_bytes()).await.unwrap().unwrap();
    let granted = bridge.block(ROOM_A);
    assert_eq!(granted.cmd_seq, 1);
    assert!(granted.cmd_remaining_100ms > 0);

    bridge.advance(Duration::from_secs(2)).await;
    ctx.write_single_register(HR_CTRL_HEARTBEAT, 1).await.unwrap().unwrap();
    assert_eq!(bridge.block(ROOM_A).cmd_remaining_100ms, 30);

    bridge.advance(Duration::from_secs(3)).await;
    let expired = bridge.block(ROOM_A);
    assert_eq!(expired.cmd_seq, 1);
    assert_eq!(expired.cmd_remaining_100ms, 0);
    assert_eq!(expired.cmd_pulse_100ms, 0);

    for step in 0..5 {
        ctx.write_single_register(HR_CTRL_HEARTBEAT, 2 + step).await.unwrap().unwrap();
        bridge.advance(Duration::from_secs(3)).await;
        let regs = ctx.read_input_registers(3, 3).await.unwrap().unwrap();
        assert_eq!(regs, vec![1, 0, 0], "cmd_seq stays, remaining and pulse stay 0");
    }
    let not_executed = bridge.wait_for_event(|e| matches!(e.kind, AccessEventKind::NotExecuted { cmd_seq: 1 })).await;
    assert_eq!(not_executed.booking_id, Some(BookingId::new(BOOKING)));

    // A late acknowledgement is not recorded as executed.
    ctx.write_single_register(HR_CMD_ACK_SEQ, 1).await.unwrap().unwrap();
    assert!(bridge.drain_events().iter().all(|e| !matches!(e.kind, AccessEventKind::Executed { .. })));
    bridge.stop().await;
}

#[tokio::test]
async fn every_exception_code_is_answered() {
    let bridge = harness::start().await;
    let mut unknown = bridge.client(99).await;
    assert_eq!(exception(unknown.read_input_registers(0, 16).await), ExceptionCode::GatewayTargetDevice);

    let mut ctx = bridge.client(ROOM_A).await;
    // 0x02: outside the map, and writes to input-register addresses or reserved holding ones.
    for result in [
        ctx.read_input_registers(0, 17).await,
        ctx.read_input_registers(16, 1).await,
        ctx.read_holding_registers(99, 2).await,
        ctx.read_holding_registers(128, 2).await,
        ctx.read_holding_registers(0, 1).await,
    ] {
        assert_eq!(exception(result), ExceptionCode::IllegalDataAddress);
    }
    assert_eq!(exception(ctx.read_discrete_inputs(1, 2).await), ExceptionCode::IllegalDataAddress);
    for result in [
        ctx.write_single_register(3, 7).await,
        ctx.write_single_register(103, 7).await,
        ctx.write_single_register(129, 7).await,
        ctx.write_multiple_registers(0, &[1, 2]).await,
        ctx.write_multiple_registers(100, &[0; 11]).await,
        ctx.write_multiple_registers(120, &[0; 10]).await,
    ] {
        assert_eq!(exception(result), ExceptionCode::IllegalDataAddress);
    }

    // 0x03: malformed mailbox, or a mailbox not written whole.
    let mut too_long = vec![1, req_type::PIN, 33];
    too_long.extend([0x3131; 16]);
    for result in [
        ctx.write_multiple_registers(HR_REQ_SEQ, &too_long).await,
        ctx.write_multiple_registers(HR_REQ_SEQ, &[1, 9, 4, 0x3131, 0x3131]).await,
        ctx.write_multiple_registers(HR_REQ_SEQ, &[0, 1, 4, 0x3131, 0x3131]).await,
        ctx.write_multiple_registers(HR_REQ_SEQ, &[1, 1, 6, 0x3131]).await,
        ctx.write_multiple_registers(111, &[1, 4, 0x3131, 0x3131]).await,
        ctx.write_single_register(HR_REQ_SEQ, 5).await,
    ] {
        assert_eq!(exception(result), ExceptionCode::IllegalDataValue);
    }

    // 0x01: functions the map does not use.
    assert_eq!(exception(ctx.read_coils(0, 1).await), ExceptionCode::IllegalFunction);
    assert_eq!(exception(ctx.write_single_coil(0, true).await), ExceptionCode::IllegalFunction);
    assert_eq!(exception(ctx.masked_write_register(100, 0, 1).await), ExceptionCode::IllegalFunction);
    assert_eq!(exception(ctx.read_write_multiple_registers(0, 1, 100, &[1]).await), ExceptionCode::IllegalFunction);

    // Nothing refused was stored or decided.
    let holding = ctx.read_holding_registers(100, 29).await.unwrap().unwrap();
    assert!(holding.iter().all(|v| *v == 0), "{holding:?}");
    let block = bridge.block(ROOM_A);
    assert_eq!((block.req_seq_echo, block.req_result, block.cmd_seq), (0, 0, 0));

    // 0x06: the eleventh credential request within a minute.
    for seq in 1..=10 {
        write_mailbox(&mut ctx, seq, req_type::PIN, b"12").await.unwrap().unwrap();
        assert_eq!(bridge.block(ROOM_A).result(), Some(RequestResult::BadRequest));
    }
    assert_eq!(
        exception(write_mailbox(&mut ctx, 11, req_type::PIN, PIN.as_bytes()).await),
        ExceptionCode::ServerDeviceBusy
    );
    assert_eq!(bridge.block(ROOM_A).req_seq_echo, 10, "the busy request was not decided");
    // Other doors have their own budget.
    let mut other = bridge.client(ENTRANCE).await;
    write_mailbox(&mut other, 1, req_type::PIN, PIN.as_bytes()).await.unwrap().unwrap();
    // A minute later the door takes requests again.
    bridge.advance(Duration::from_secs(60)).await;
    write_mailbox(&mut ctx, 11, req_type::PIN, PIN.as_bytes()).await.unwrap().unwrap();
    assert_eq!(bridge.block(ROOM_A).result(), Some(RequestResult::Granted));
    bridge.stop().await;
}

#[tokio::test]
async fn a_repeated_request_is_not_decided_twice() {
    let mut bridge = harness::start().await;
    let mut ctx = bridge.client(ROOM_A).await;
    write_mailbox(&mut ctx, 7, req_type::PIN, PIN.as_bytes()).await.unwrap().unwrap();
    write_mailbox(&mut ctx, 7, req_type::PIN, PIN.as_bytes()).await.unwrap().unwrap();
    assert_eq!(bridge.block(ROOM_A).cmd_seq, 1);
    let grants =
        bridge.drain_events().into_iter().filter(|e| matches!(e.kind, AccessEventKind::Granted { .. })).count();
    assert_eq!(grants, 1);
    bridge.stop().await;
}

#[tokio::test]
async fn a_different_credential_under_a_reused_req_seq_is_decided_afresh() {
    // A controller restarted between two keypad entries counts from req_seq 1 again.
    let bridge = harness::start().await;
    let mut ctx = bridge.client(ROOM_A).await;
    write_mailbox(&mut ctx, 1, req_type::PIN, PIN.as_bytes()).await.unwrap().unwrap();
    assert_eq!(bridge.block(ROOM_A).result(), Some(RequestResult::Granted));
    write_mailbox(&mut ctx, 1, req_type::PIN, b"999999").await.unwrap().unwrap();
    let block = bridge.block(ROOM_A);
    assert_eq!(block.result(), Some(RequestResult::Denied));
    assert_eq!(block.req_reason, DenyReason::NoBooking.code());
    assert_eq!(block.cmd_seq, 1);
    bridge.stop().await;
}

#[tokio::test]
async fn five_wrong_pins_lock_the_keypad_and_lockouts_escalate() {
    let mut settings = settings();
    settings.requests_per_minute = 1000;
    settings.lockout = LockoutPolicy {
        threshold: 5,
        first: Duration::from_secs(60),
        max: Duration::from_secs(15 * 60),
        forgive_after: Duration::from_secs(3600),
    };
    let mut bridge = harness::start_with(settings, standard_doors(), true).await;
    let mut ctrl = controller(&bridge, ROOM_A).await;

    for _ in 0..4 {
        let denied = ctrl.enter_pin(WRONG_PIN).await.unwrap();
        assert_eq!(denied.result, Some(RequestResult::Denied));
        assert_eq!(denied.block.lockout_remaining_s, 0);
    }
    let fifth = ctrl.enter_pin(WRONG_PIN).await.unwrap();
    assert_eq!(fifth.result, Some(RequestResult::LockedOut));
    assert_eq!(fifth.reason_code, DenyReason::LockedOut.code());
    assert_eq!(fifth.block.lockout_remaining_s, 60);

    // While locked out even the right PIN is refused, and nothing is unlocked.
    let refused = ctrl.enter_pin(PIN).await.unwrap();
    assert_eq!(refused.result, Some(RequestResult::LockedOut));
    assert_eq!(refused.block.cmd_seq, 0);
    assert!(bridge.drain_events().iter().any(|e| e.kind == AccessEventKind::LockedOut { seconds: 60 }));

    // Other doors are not locked.
    let mut entrance = controller(&bridge, ENTRANCE).await;
    assert_eq!(entrance.enter_pin(PIN).await.unwrap().result, Some(RequestResult::Granted));

    bridge.advance(Duration::from_secs(61)).await;
    ctrl.beat().await.unwrap();
    assert_eq!(bridge.block(ROOM_A).lockout_remaining_s, 0);

    // The second round of five locks for longer.
    for _ in 0..4 {
        assert_eq!(ctrl.enter_pin(WRONG_PIN).await.unwrap().result, Some(RequestResult::Denied));
    }
    let second = ctrl.enter_pin(WRONG_PIN).await.unwrap();
    assert_eq!(second.result, Some(RequestResult::LockedOut));
    assert_eq!(second.block.lockout_remaining_s, 120);

    bridge.advance(Duration::from_secs(121)).await;
    ctrl.beat().await.unwrap();
    // A success resets nothing: the next round locks for longer still.
    assert_eq!(ctrl.enter_pin(PIN).await.unwrap().result, Some(RequestResult::Granted));
    for _ in 0..4 {
        assert_eq!(ctrl.enter_pin(WRONG_PIN).await.unwrap().result, Some(RequestResult::Denied));
    }
    let third = ctrl.enter_pin(WRONG_PIN).await.unwrap();
    assert_eq!(third.result, Some(RequestResult::LockedOut));
    assert_eq!(third.block.lockout_remaining_s, 240, "the grant did not reset the escalation");
    bridge.stop().await;
}

/// Settings whose rate limit never gets in the way of counting guesses.
fn guessing_settings() -> regiohub_hardware::bridge::BridgeSettings {
    let mut settings = settings();
    settings.requests_per_minute = 10_000;
    settings
}

#[tokio::test]
async fn a_grant_between_wrong_guesses_does_not_reset_the_count() {
    let bridge = harness::start_with(guessing_settings(), standard_doors(), true).await;
    let mut ctrl = controller(&bridge, ROOM_A).await;
    // An attacker alternates guesses with their own valid PIN.
    for round in 0..2 {
        for _ in 0..2 {
            assert_eq!(ctrl.enter_pin(WRONG_PIN).await.unwrap().result, Some(RequestResult::Denied), "round {round}");
        }
        assert_eq!(ctrl.enter_pin(PIN).await.unwrap().result, Some(RequestResult::Granted), "round {round}");
    }
    let fifth_wrong = ctrl.enter_pin(WRONG_PIN).await.unwrap();
    assert_eq!(fifth_wrong.result, Some(RequestResult::LockedOut));
    assert_eq!(fifth_wrong.block.lockout_remaining_s, 60);
    bridge.stop().await;
}

/// The standard snapshot plus a booking of room A from 14:00 to 15:00 under `LATER_PIN`.
const LATER_PIN: &str = "731905";

fn with_later_booking(bridge: &Bridge) {
    use regiohub_hardware::protocol::{BookingStatus, SnapshotGrant, SpaceId, pin_verifier};
    let mut snapshot = harness::snapshot();
    snapshot.version = 2;
    snapshot.grants.push(SnapshotGrant {
        booking_id: BookingId::new("booking-later"),
        space_id: SpaceId::new("room-a"),
        credential_verifier: pin_verifier(harness::HUB_KEY, LATER_PIN),
        valid_from: harness::at(14, 0, 0),
        valid_until: harness::at(15, 0, 0),
        status: BookingStatus::Confirmed,
        user_active: true,
        revoked: false,
    });
    assert!(bridge.state.set_snapshot(snapshot));
}

#[tokio::test]
async fn too_early_and_wrong_door_count_as_wrong_guesses() {
    let bridge = harness::start_with(guessing_settings(), standard_doors(), true).await;
    with_later_booking(&bridge);
    // Room B does not lead to the booked room: five tries of a real PIN lock it.
    let mut room_b = controller(&bridge, ROOM_B).await;
    for _ in 0..4 {
        assert_eq!(room_b.enter_pin(PIN).await.unwrap().result, Some(RequestResult::Denied));
    }
    assert_eq!(room_b.enter_pin(PIN).await.unwrap().result, Some(RequestResult::LockedOut));
    // At room A the later booking's PIN is too early at 10:30: five tries lock it too.
    let mut room_a = controller(&bridge, ROOM_A).await;
    for _ in 0..4 {
        assert_eq!(room_a.enter_pin(LATER_PIN).await.unwrap().result, Some(RequestResult::Denied));
    }
    let locked = room_a.enter_pin(LATER_PIN).await.unwrap();
    assert_eq!(locked.result, Some(RequestResult::LockedOut));
    assert_eq!(locked.block.lockout_remaining_s, 60);
    bridge.stop().await;
}

#[tokio::test]
async fn a_refused_pin_reads_no_booking_on_the_keypad_and_the_detail_in_the_access_log() {
    let mut bridge = harness::start_with(guessing_settings(), standard_doors(), true).await;
    with_later_booking(&bridge);
    bridge.drain_events();
    let mut room_a = controller(&bridge, ROOM_A).await;
    let mut room_b = controller(&bridge, ROOM_B).await;
    let wrong_door = room_b.enter_pin(PIN).await.unwrap();
    let too_early = room_a.enter_pin(LATER_PIN).await.unwrap();
    let no_booking = room_a.enter_pin(WRONG_PIN).await.unwrap();
    for outcome in [&wrong_door, &too_early, &no_booking] {
        assert_eq!(outcome.result, Some(RequestResult::Denied));
        assert_eq!(outcome.reason_code, DenyReason::NoBooking.code(), "one reason for every refused PIN");
        assert_eq!(outcome.block.req_reason, DenyReason::NoBooking.code());
    }
    let denials: Vec<(DenyReason, String)> = bridge
        .drain_events()
        .into_iter()
        .filter_map(|e| match e.kind {
            AccessEventKind::Denied { reason } => Some((reason, e.door.to_string())),
            _ => None,
        })
        .collect();
    assert_eq!(
        denials,
        vec![
            (DenyReason::WrongDoor, door_id(ROOM_B).to_string()),
            (DenyReason::TooEarly, door_id(ROOM_A).to_string()),
            (DenyReason::NoBooking, door_id(ROOM_A).to_string()),
        ]
    );
    bridge.stop().await;
}

#[tokio::test]
async fn with_the_default_policy_lockouts_escalate_to_four_hours_and_a_long_one_does_not_forgive_itself() {
    let bridge = harness::start_with(guessing_settings(), standard_doors(), true).await;
    let mut ctrl = controller(&bridge, ROOM_A).await;
    let mut lengths = Vec::new();
    for _ in 0..10 {
        for _ in 0..4 {
            assert_eq!(ctrl.enter_pin(WRONG_PIN).await.unwrap().result, Some(RequestResult::Denied));
        }
        let locked = ctrl.enter_pin(WRONG_PIN).await.unwrap();
        assert_eq!(locked.result, Some(RequestResult::LockedOut));
        let seconds = locked.block.lockout_remaining_s;
        lengths.push(seconds);
        bridge.advance(Duration::from_secs(u64::from(seconds) + 1)).await;
    }
    assert_eq!(lengths, vec![60, 120, 240, 480, 960, 1920, 3840, 7680, 14400, 14400]);
    bridge.stop().await;
}

#[tokio::test]
async fn escalation_stops_at_the_configured_maximum() {
    let mut settings = settings();
    settings.requests_per_minute = 1000;
    settings.lockout.max = Duration::from_secs(15 * 60);
    let bridge = harness::start_with(settings, standard_doors(), true).await;
    let mut ctrl = controller(&bridge, ROOM_B).await;
    let mut lengths = Vec::new();
    for _ in 0..6 {
        let mut last = None;
        for _ in 0..5 {
            last = Some(ctrl.enter_pin(WRONG_PIN).await.unwrap());
        }
        lengths.push(last.unwrap().block.lockout_remaining_s);
        bridge.advance(Duration::from_secs(15 * 60 + 1)).await;
        ctrl.beat().await.unwrap();
    }
    assert_eq!(lengths, vec![60, 120, 240, 480, 900, 900]);
    bridge.stop().await;
}

#[tokio::test]
async fn simple_mode_shows_the_unlock_window_and_bridge_health() {
    let mut doors = standard_doors();
    doors.push(harness::simple_door(4));
    let bridge = harness::start_with(settings(), doors, false).await;
    let door = door_id(4);
    let mut ctx = bridge.client(4).await;

    // Without a snapshot the bridge is not healthy.
    assert_eq!(ctx.read_discrete_inputs(0, 2).await.unwrap().unwrap(), vec![false, false]);

    let mut snapshot = harness::snapshot();
    snapshot.doors.push(regiohub_hardware::protocol::SnapshotDoor {
        disabled: false,
        id: door.clone(),
        entrance: true,
        space_ids: vec![],
    });
    assert!(bridge.state.set_snapshot(snapshot));
    tokio::time::sleep(Duration::from_millis(60)).await;
    assert_eq!(ctx.read_discrete_inputs(0, 2).await.unwrap().unwrap(), vec![false, true]);

    let decision = bridge.state.remote_unlock(&door, BookingId::new(BOOKING)).unwrap();
    assert!(decision.is_grant(), "{decision:?}");
    assert_eq!(ctx.read_discrete_inputs(0, 1).await.unwrap().unwrap(), vec![true]);

    bridge.advance(Duration::from_secs(4)).await;
    assert_eq!(ctx.read_discrete_inputs(0, 1).await.unwrap().unwrap(), vec![true]);
    bridge.advance(Duration::from_secs(1)).await;
    assert_eq!(ctx.read_discrete_inputs(0, 2).await.unwrap().unwrap(), vec![false, true]);

    // Remote unlocks are refused while deciding offline.
    bridge.state.set_deciding_offline(true);
    assert_eq!(
        bridge.state.remote_unlock(&door, BookingId::new(BOOKING)).unwrap(),
        Decision::Deny { reason: DenyReason::RemoteUnlockOffline }
    );
    assert_eq!(ctx.read_discrete_inputs(0, 1).await.unwrap().unwrap(), vec![false]);
    bridge.stop().await;
}

#[tokio::test]
async fn status_bits_presence_and_time_follow_the_setters() {
    let bridge = harness::start().await;
    let door = door_id(ROOM_A);
    let block = bridge.block(ROOM_A);
    let all = status::CENTRAL_REACHABLE
        | status::SNAPSHOT_VALID
        | status::CLOCK_SYNCED
        | status::DOOR_ENABLED
        | status::FIELD_IO_HEALTHY;
    assert_eq!(block.status_bits, all);
    assert_eq!(block.presence, 0xFFFF);

    bridge.state.set_presence(&door, Presence::Present).unwrap();
    bridge.state.set_lockdown(true);
    bridge.state.set_deciding_offline(true);
    bridge.state.set_central_reachable(false);
    let block = bridge.block(ROOM_A);
    assert_eq!(block.presence, 1);
    assert_eq!(
        block.status_bits,
        status::SNAPSHOT_VALID
            | status::CLOCK_SYNCED
            | status::DOOR_ENABLED
            | status::LOCKDOWN
            | status::DECIDING_OFFLINE
            | status::FIELD_IO_HEALTHY
    );

    // Lockdown denies, offline denials read result 4.
    let mut ctrl = controller(&bridge, ROOM_A).await;
    let outcome = ctrl.enter_pin(PIN).await.unwrap();
    assert_eq!(outcome.result, Some(RequestResult::DeniedOffline));
    assert_eq!(outcome.reason_code, DenyReason::Lockdown.code());
    assert_eq!(outcome.block.cmd_seq, 0);

    bridge.state.set_lockdown(false);
    bridge.state.set_door_enabled(&door, false).unwrap();
    let outcome = ctrl.enter_pin(PIN).await.unwrap();
    assert_eq!(outcome.reason_code, DenyReason::DoorDisabled.code());

    // Offline but otherwise fine: the cached snapshot still grants.
    bridge.state.set_door_enabled(&door, true).unwrap();
    assert_eq!(ctrl.enter_pin(PIN).await.unwrap().result, Some(RequestResult::Granted));

    // Without a synced clock nothing is granted and unix_time reads 0.
    bridge.state.set_clock_synced(false);
    let outcome = ctrl.enter_pin(PIN).await.unwrap();
    assert_eq!(outcome.reason_code, DenyReason::ClockNotSynced.code());
    assert_eq!(outcome.block.unix_time, 0);
    assert_eq!(outcome.block.booking_end_s, 0);
    assert_eq!(outcome.block.status_bits & status::CLOCK_SYNCED, 0);

    // The bridge heartbeat counts seconds.
    let before = bridge.block(ROOM_A).bridge_heartbeat;
    bridge.advance(Duration::from_secs(3)).await;
    assert_eq!(bridge.block(ROOM_A).bridge_heartbeat, before.wrapping_add(3));
    bridge.stop().await;
}

#[tokio::test]
async fn a_silent_controller_raises_the_alarm_and_drops_its_command() {
    let mut bridge = harness::start().await;
    let mut ctx = bridge.client(ROOM_A).await;
    ctx.write_single_register(HR_CTRL_HEARTBEAT, 1).await.unwrap().unwrap();
    write_mailbox(&mut ctx, 1, req_type::PIN, PIN.as_bytes()).await.unwrap().unwrap();
    assert!(bridge.block(ROOM_A).cmd_remaining_100ms > 0);

    // The same heartbeat value again is no sign of life.
    ctx.write_single_register(HR_CTRL_HEARTBEAT, 1).await.unwrap().unwrap();
    bridge.clock.advance(Duration::from_secs(10));
    let silent =
        bridge.wait_for_event(|e| e.kind == AccessEventKind::ControllerSilent && e.door == door_id(ROOM_A)).await;
    assert_eq!(silent.booking_id, None);
    let block = bridge.block(ROOM_A);
    assert_eq!(block.alarms_latched & Alarm::ControllerSilent.bit(), Alarm::ControllerSilent.bit());
    assert_eq!(block.cmd_remaining_100ms, 0, "the pending command was dropped");
    let events = bridge.drain_events();
    assert!(events.iter().any(|e| e.kind == AccessEventKind::NotExecuted { cmd_seq: 1 }));

    // The heartbeat moves again: the condition ends, but the alarm stays latched until seen.
    ctx.write_single_register(HR_CTRL_HEARTBEAT, 2).await.unwrap().unwrap();
    let block = bridge.block(ROOM_A);
    assert_eq!(block.alarms_latched, Alarm::ControllerSilent.bit());
    assert!(bridge.drain_events().iter().any(|e| e.kind == AccessEventKind::ControllerBack));
    // The dropped command stays dead.
    assert_eq!(block.cmd_remaining_100ms, 0);

    bridge.state.mark_alarm_seen(&door_id(ROOM_A), Alarm::ControllerSilent).unwrap();
    assert_eq!(bridge.block(ROOM_A).alarms_latched, 0);
    assert!(
        bridge
            .drain_events()
            .iter()
            .any(|e| e.kind == AccessEventKind::AlarmCleared { alarm: Alarm::ControllerSilent })
    );
    bridge.stop().await;
}

#[tokio::test]
async fn forced_and_held_open_doors_latch_alarms_until_seen_and_closed() {
    let mut bridge = harness::start().await;
    let door = door_id(ROOM_A);
    let mut ctrl = controller(&bridge, ROOM_A).await;
    ctrl.beat().await.unwrap();
    ctrl.report_door_state(door_state::CLOSED).await.unwrap();

    // Opened with no grant and no request-to-exit: forced open.
    ctrl.report_door_state(0).await.unwrap();
    assert_eq!(bridge.block(ROOM_A).alarms_latched, Alarm::ForcedOpen.bit());
    assert!(bridge.drain_events().iter().any(|e| e.kind == AccessEventKind::ForcedOpen));
    // Seen but still open: stays latched; closed and seen: cleared.
    bridge.state.mark_alarm_seen(&door, Alarm::ForcedOpen).unwrap();
    assert_eq!(bridge.block(ROOM_A).alarms_latched, Alarm::ForcedOpen.bit());
    ctrl.report_door_state(door_state::CLOSED).await.unwrap();
    assert_eq!(bridge.block(ROOM_A).alarms_latched, 0);

    // Request-to-exit, then open: not forced.
    ctrl.report_door_state(door_state::CLOSED | door_state::REQUEST_TO_EXIT).await.unwrap();
    ctrl.report_door_state(0).await.unwrap();
    ctrl.report_door_state(door_state::CLOSED).await.unwrap();
    assert_eq!(bridge.block(ROOM_A).alarms_latched, 0);

    // A grant, then open: not forced; left open for 30 s: held open. First let the
    // request-to-exit mask (10 s) run out, beating so the controller does not go silent.
    for _ in 0..2 {
        bridge.advance(Duration::from_secs(6)).await;
        ctrl.beat().await.unwrap();
    }
    assert_eq!(ctrl.enter_pin(PIN).await.unwrap().result, Some(RequestResult::Granted));
    ctrl.report_door_state(door_state::LOCK_ENERGISED).await.unwrap();
    assert_eq!(bridge.block(ROOM_A).alarms_latched, 0);
    bridge.drain_events();
    for _ in 0..3 {
        bridge.advance(Duration::from_secs(9)).await;
        ctrl.beat().await.unwrap();
    }
    assert_eq!(bridge.block(ROOM_A).alarms_latched, 0, "27 s open is fine");
    bridge.clock.advance(Duration::from_secs(3));
    bridge.wait_for_event(|e| e.kind == AccessEventKind::HeldOpen).await;
    ctrl.beat().await.unwrap();
    assert_eq!(bridge.block(ROOM_A).alarms_latched, Alarm::HeldOpen.bit());
    ctrl.report_door_state(door_state::CLOSED).await.unwrap();
    assert_eq!(bridge.block(ROOM_A).alarms_latched, Alarm::HeldOpen.bit(), "not seen yet");
    bridge.state.mark_alarm_seen(&door, Alarm::HeldOpen).unwrap();
    assert_eq!(bridge.block(ROOM_A).alarms_latched, 0);
    bridge.stop().await;
}

#[tokio::test]
async fn door_state_from_field_inputs_is_supervised_too() {
    let mut doors = standard_doors();
    doors
        .push(DoorRuntimeConfig { door_state_source: DoorStateSource::Field, ..DoorRuntimeConfig::new(door_id(5), 5) });
    let mut bridge = harness::start_with(settings(), doors, true).await;
    let door = door_id(5);
    let closed = DoorInputs { closed: true, request_to_exit: false };
    let open = DoorInputs { closed: false, request_to_exit: false };
    bridge.state.feed_door_inputs(&door, Some(closed)).unwrap();
    bridge.state.feed_door_inputs(&door, Some(open)).unwrap();
    assert_eq!(bridge.block(5).alarms_latched, Alarm::ForcedOpen.bit());
    assert!(bridge.drain_events().iter().any(|e| e.kind == AccessEventKind::ForcedOpen && e.door == door));

    // Field I/O faults show in status bit 6 and alarm bit 3.
    bridge.state.set_field_io_healthy(&door, false).unwrap();
    let block = bridge.block(5);
    assert_eq!(block.status_bits & status::FIELD_IO_HEALTHY, 0);
    assert_eq!(block.alarms_latched & Alarm::FieldIoFault.bit(), Alarm::FieldIoFault.bit());

    // The controller's door state bits are ignored for a field-supervised door.
    let mut ctx = bridge.client(ROOM_A).await;
    ctx.write_single_register(HR_DOOR_STATE_BITS, door_state::CLOSED).await.unwrap().unwrap();
    ctx.write_single_register(HR_DOOR_STATE_BITS, 0).await.unwrap().unwrap();
    assert_eq!(bridge.block(ROOM_A).alarms_latched, Alarm::ForcedOpen.bit());
    let mut field_ctx = bridge.client(5).await;
    field_ctx.write_single_register(HR_DOOR_STATE_BITS, door_state::CLOSED).await.unwrap().unwrap();
    assert_ne!(bridge.block(5).alarms_latched & Alarm::ForcedOpen.bit(), 0, "still open per field");
    bridge.stop().await;
}

#[tokio::test]
async fn the_allow_list_refuses_strangers() {
    let only_other = |unit: u8| DoorRuntimeConfig {
        allowed_peers: PeerAllowList::Only(vec!["127.0.0.2".parse().unwrap()]),
        ..DoorRuntimeConfig::new(door_id(unit), unit)
    };
    // A peer allowed for no door is disconnected at once.
    let bridge = harness::start_with(settings(), vec![only_other(ROOM_A)], true).await;
    let mut stranger = TcpStream::connect(bridge.addr).await.unwrap();
    let mut buf = [0u8; 16];
    let _ = stranger.write_all(&read_input_frame(1, ROOM_A)).await;
    let read = tokio::time::timeout(Duration::from_secs(5), stranger.read(&mut buf)).await.expect("closed in time");
    assert!(matches!(read, Ok(0) | Err(_)), "refused connection must not answer: {read:?}");

    // From the allowed address the same door answers.
    let socket = TcpSocket::new_v4().unwrap();
    socket.bind("127.0.0.2:0".parse().unwrap()).unwrap();
    let stream = socket.connect(bridge.addr).await.unwrap();
    let mut ctx = tokio_modbus::client::tcp::attach_slave(stream, Slave(ROOM_A));
    let block = ctx.read_input_registers(0, 16).await.unwrap().unwrap();
    assert_eq!(block[0], MAP_VERSION);
    bridge.stop().await;

    // A peer allowed for some doors gets 0x0B for the others.
    let doors = vec![DoorRuntimeConfig::new(door_id(ENTRANCE), ENTRANCE), only_other(ROOM_A)];
    let bridge = harness::start_with(settings(), doors, true).await;
    let mut ctx = bridge.client(ENTRANCE).await;
    assert!(ctx.read_input_registers(0, 16).await.unwrap().is_ok());
    ctx.set_slave(Slave(ROOM_A));
    assert_eq!(exception(ctx.read_input_registers(0, 16).await), ExceptionCode::GatewayTargetDevice);
    assert_eq!(
        exception(write_mailbox(&mut ctx, 1, req_type::PIN, PIN.as_bytes()).await),
        ExceptionCode::GatewayTargetDevice
    );
    assert_eq!(bridge.block(ROOM_A).req_seq_echo, 0);
    // Nor may it beat the heartbeat or report the door state of a door not allowed for it.
    assert_eq!(exception(ctx.write_single_register(HR_CTRL_HEARTBEAT, 7).await), ExceptionCode::GatewayTargetDevice);
    assert_eq!(
        exception(ctx.write_multiple_registers(HR_CTRL_HEARTBEAT, &[7, door_state::CLOSED]).await),
        ExceptionCode::GatewayTargetDevice
    );
    let mut allowed = client_from("127.0.0.2", &bridge, ROOM_A).await;
    let holding = allowed.read_holding_registers(HR_CTRL_HEARTBEAT, 2).await.unwrap().unwrap();
    assert_eq!(holding, vec![0, 0], "the stranger's writes changed nothing");
    bridge.stop().await;
}

/// A Modbus client for `unit` connecting from the loopback address `from` (127.0.0.0/8).
async fn client_from(from: &str, bridge: &Bridge, unit: u8) -> Context {
    let socket = TcpSocket::new_v4().unwrap();
    socket.bind(format!("{from}:0").parse().unwrap()).unwrap();
    let stream = socket.connect(bridge.addr).await.unwrap();
    tokio_modbus::client::tcp::attach_slave(stream, Slave(unit))
}

/// Whether a fresh connection from `from` is served (a read answers) or closed at once.
async fn served_from(from: &str, bridge: &Bridge) -> (bool, Context) {
    let mut ctx = client_from(from, bridge, ENTRANCE).await;
    let answer = tokio::time::timeout(Duration::from_secs(5), ctx.read_input_registers(0, 1)).await;
    (matches!(answer, Ok(Ok(Ok(_)))), ctx)
}

#[tokio::test]
async fn connections_are_capped_per_peer_and_in_total() {
    let mut settings = settings();
    settings.max_connections = 3;
    settings.max_connections_per_peer = 2;
    let bridge = harness::start_with(settings, standard_doors(), true).await;
    let (first_ok, first) = served_from("127.0.0.1", &bridge).await;
    let (second_ok, _second) = served_from("127.0.0.1", &bridge).await;
    assert!(first_ok && second_ok);
    let (third_ok, _third) = served_from("127.0.0.1", &bridge).await;
    assert!(!third_ok, "a third connection from one peer is closed at once");

    let (other_ok, _other) = served_from("127.0.0.2", &bridge).await;
    assert!(other_ok, "another peer still gets in");
    let (over_total, _over) = served_from("127.0.0.3", &bridge).await;
    assert!(!over_total, "a fourth connection in all is closed at once");

    // A closed connection frees its slot (the server notices the close a moment later).
    drop(first);
    let mut freed = false;
    for _ in 0..100 {
        let (ok, ctx) = served_from("127.0.0.1", &bridge).await;
        if ok {
            freed = true;
            drop(ctx);
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(freed, "the slot of a closed connection is given again");
    bridge.stop().await;
}

#[tokio::test]
async fn idle_peers_are_disconnected() {
    let mut settings = settings();
    settings.idle_timeout = Duration::from_millis(300);
    let bridge = harness::start_with(settings, standard_doors(), true).await;
    let mut idle = TcpStream::connect(bridge.addr).await.unwrap();
    let mut buf = [0u8; 8];
    let read = tokio::time::timeout(Duration::from_secs(10), idle.read(&mut buf))
        .await
        .expect("the bridge closes an idle connection");
    assert!(matches!(read, Ok(0) | Err(_)), "{read:?}");
    // The server still serves others.
    let mut ctrl = controller(&bridge, ROOM_A).await;
    assert_eq!(ctrl.read_block().await.unwrap().map_version, MAP_VERSION);
    bridge.stop().await;
}

/// An FC04 read of the input block, as raw Modbus TCP bytes.
fn read_input_frame(transaction: u16, unit: u8) -> Vec<u8> {
    let mut frame = Vec::new();
    frame.extend(transaction.to_be_bytes());
    frame.extend([0, 0, 0, 6, unit, 0x04, 0, 0, 0, 16]);
    frame
}

/// A random frame: pure noise, a valid header with a random PDU, a truncated frame, or a
/// mailbox write with random content.
fn random_frame(rng: &mut StdRng) -> Vec<u8> {
    let unit = if rng.random_bool(0.7) { rng.random_range(1..=4) } else { rng.random() };
    let transaction: u16 = rng.random();
    match rng.random_range(0..5) {
        0 => (0..rng.random_range(1..300)).map(|_| rng.random()).collect(),
        1 | 2 => {
            let pdu_len = rng.random_range(1..260usize);
            let mut frame = Vec::new();
            frame.extend(transaction.to_be_bytes());
            frame.extend([0, 0]);
            let declared: u16 = if rng.random_bool(0.8) { u16::try_from(pdu_len + 1).unwrap() } else { rng.random() };
            frame.extend(declared.to_be_bytes());
            frame.push(unit);
            let fc: u8 = if rng.random_bool(0.5) { rng.random_range(1..=0x18) } else { rng.random() };
            frame.push(fc);
            frame.extend((1..pdu_len).map(|_| rng.random::<u8>()));
            frame
        }
        3 => {
            let mut frame = read_input_frame(transaction, unit);
            frame.truncate(rng.random_range(1..frame.len()));
            frame
        }
        _ => {
            let count: u8 = rng.random_range(1..=19);
            let mut pdu = vec![0x10, 0, 110, 0, count, count.wrapping_mul(2)];
            for _ in 0..count {
                let word: u16 = if rng.random_bool(0.5) {
                    u16::from_be_bytes([rng.random_range(b'0'..=b'9'), rng.random_range(b'0'..=b'9')])
                } else {
                    rng.random()
                };
                pdu.extend(word.to_be_bytes());
            }
            let mut frame = Vec::new();
            frame.extend(transaction.to_be_bytes());
            frame.extend([0, 0]);
            frame.extend(u16::try_from(pdu.len() + 1).unwrap().to_be_bytes());
            frame.push(unit);
            frame.extend(pdu);
            frame
        }
    }
}

#[tokio::test]
async fn random_and_malformed_frames_never_grant_and_never_stop_the_server() {
    let mut settings = settings();
    settings.idle_timeout = Duration::from_millis(500);
    let mut bridge = harness::start_with(settings, standard_doors(), true).await;
    let addr: SocketAddr = bridge.addr;
    let mut rng = StdRng::seed_from_u64(0x5eed_2025);
    for round in 0..300 {
        let mut stream = TcpStream::connect(addr).await.unwrap();
        for _ in 0..rng.random_range(1..4) {
            let frame = random_frame(&mut rng);
            if stream.write_all(&frame).await.is_err() {
                break;
            }
        }
        if round % 3 == 0 {
            let mut buf = [0u8; 512];
            let _ = tokio::time::timeout(Duration::from_millis(20), stream.read(&mut buf)).await;
        }
    }

    let events = bridge.drain_events();
    assert!(
        events.iter().all(|e| !matches!(e.kind, AccessEventKind::Granted { .. } | AccessEventKind::Executed { .. })),
        "garbage must never grant"
    );
    for unit in [ENTRANCE, ROOM_A, ROOM_B] {
        assert_eq!(bridge.block(unit).cmd_seq, 0, "door {unit}");
    }
    assert!(bridge.orders.try_recv().is_err());

    // Past any lockout and rate limit the garbage may have caused, a real request works.
    bridge.advance(Duration::from_secs(16 * 60)).await;
    let mut ctrl = controller(&bridge, ROOM_A).await;
    ctrl.beat().await.unwrap();
    let outcome = ctrl.enter_pin(PIN).await.unwrap();
    assert_eq!(outcome.result, Some(RequestResult::Granted));
    assert!(outcome.unlocked);
    bridge.stop().await;
}

#[test]
fn door_lists_with_clashing_or_invalid_unit_ids_are_refused() {
    use regiohub_hardware::bridge::{DoorServer, DoorSetupError, SharedBridgeState};
    let state = || SharedBridgeState::new(settings());
    let clash = vec![DoorRuntimeConfig::new(door_id(ENTRANCE), 7), DoorRuntimeConfig::new(door_id(ROOM_A), 7)];
    assert!(matches!(DoorServer::new(clash, state()), Err(DoorSetupError::DuplicateUnitId { unit_id: 7, .. })));
    for unit in [0, 248, 255] {
        assert!(matches!(
            DoorServer::new(vec![DoorRuntimeConfig::new(door_id(ENTRANCE), unit)], state()),
            Err(DoorSetupError::UnitIdOutOfRange { .. })
        ));
    }
    let twice = vec![DoorRuntimeConfig::new(door_id(ENTRANCE), 1), DoorRuntimeConfig::new(door_id(ENTRANCE), 2)];
    assert!(matches!(DoorServer::new(twice, state()), Err(DoorSetupError::DuplicateDoor(_))));
    let no_pulse = DoorRuntimeConfig { pulse: Duration::ZERO, ..DoorRuntimeConfig::new(door_id(ENTRANCE), 1) };
    assert!(matches!(DoorServer::new(vec![no_pulse], state()), Err(DoorSetupError::PulseOutOfRange { .. })));
    assert!(DoorServer::new(standard_doors(), state()).is_ok());
}
