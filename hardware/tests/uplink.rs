//! The bridge's link to the central service, end to end: the real `regiohub-bridge` binary (or
//! the in-process entry point) against a fake central service on loopback that implements the
//! bridge API contract and records what it got, with door controllers speaking real Modbus
//! TCP. Snapshots, long-poll changes, offline decisions across a restart, the offline limit and
//! maintenance credentials, the durable event queue (delivered in order, exactly once, also
//! after a kill and from a torn file) and remote unlock commands.
#![cfg(feature = "bridge")]
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod uplink {
    pub mod central;
}
// Shared with the end-to-end tests; not every helper is used here.
#[allow(dead_code)]
#[path = "bridge_e2e/support.rs"]
mod support;

use std::net::SocketAddr;
use std::path::Path;
use std::time::Duration;

use chrono::{TimeDelta, Utc};
use regiohub_hardware::app::{self, RunOptions};
use regiohub_hardware::bridge::registers::{
    HR_CMD_ACK_SEQ, HR_DOOR_STATE_BITS, InputBlock, RequestResult, door_state, status,
};
use regiohub_hardware::config::BridgeConfig;
use regiohub_hardware::protocol::{
    AccessEvent, AccessEventKind, AccessSnapshot, Alarm, BookingId, BookingStatus, DenyReason, DoorId, DoorStateKind,
    HubId, RemoteUnlock, SnapshotDoor, SnapshotGrant, SpaceId, pin_verifier,
};
use regiohub_hardware::uplink::BridgeToken;
use support::{KEY, PIN, Process, RawController, Site, WAIT, eventually, free_port, run_to_end, wait_listening};
use tokio_modbus::client::Writer;
use uplink::central::{Central, TOKEN};

const HUB: &str = "polch";
const ENTRANCE: u8 = 1;
const ROOM: u8 = 2;
/// A booking that ended a minute ago.
const ENDED_PIN: &str = "555000";
const ENDED_BOOKING: &str = "booking-ended";
const MAINTENANCE_PIN: &str = "97531864";
const BOOKING: &str = support::BOOKING;

fn config_text(listen: u16, central: &str, offline_limit_h: u32) -> String {
    let maintenance = pin_verifier(&KEY, MAINTENANCE_PIN);
    format!(
        r#"
[bridge]
hub_id = "{HUB}"
modbus_listen = "127.0.0.1:{listen}"
state_dir = "state"
pin_key_file = "pin.key"
clock = "assume_synced"
central_url = "{central}"
token_file = "token"
offline_limit_h = {offline_limit_h}

[[door]]
id = "entrance"
controller = {{ unit_id = {ENTRANCE}, allowed_peers = ["127.0.0.1"] }}

[[door]]
id = "room"
controller = {{ unit_id = {ROOM}, allowed_peers = ["127.0.0.1"] }}

[[maintenance]]
name = "service"
pin_verifier = "{maintenance}"
doors = ["entrance"]
"#
    )
}

/// The hub's doors; `PIN` books the room (valid now for two hours), `ENDED_PIN` a booking
/// that ended a minute ago.
fn snapshot(version: u64, status: BookingStatus) -> AccessSnapshot {
    let now = Utc::now();
    let grant = |booking: &str, pin: &str, from: TimeDelta, until: TimeDelta, status| SnapshotGrant {
        booking_id: BookingId::new(booking),
        space_id: SpaceId::new("room"),
        credential_verifier: pin_verifier(&KEY, pin),
        valid_from: now + from,
        valid_until: now + until,
        status,
        user_active: true,
        revoked: false,
    };
    AccessSnapshot {
        lockdown: false,
        hub_id: HubId::new(HUB),
        version,
        generated_at: now,
        grace_period_s: 0,
        doors: vec![
            SnapshotDoor { disabled: false, id: DoorId::new("entrance"), entrance: true, space_ids: Vec::new() },
            SnapshotDoor {
                disabled: false,
                id: DoorId::new("room"),
                entrance: false,
                space_ids: vec![SpaceId::new("room")],
            },
        ],
        grants: vec![
            grant(BOOKING, PIN, TimeDelta::hours(-1), TimeDelta::hours(2), status),
            grant(ENDED_BOOKING, ENDED_PIN, TimeDelta::hours(-2), TimeDelta::minutes(-1), BookingStatus::Confirmed),
        ],
    }
}

/// A site directory with the configuration, PIN key and token file.
struct Hub {
    site: Site,
    config: std::path::PathBuf,
    addr: SocketAddr,
}

impl Hub {
    fn new(central: &str, offline_limit_h: u32) -> Self {
        let site = Site::new();
        std::fs::write(site.path("token"), format!("{TOKEN}\n")).unwrap();
        let listen = free_port();
        let config = site.write_config(&config_text(listen, central, offline_limit_h));
        Self { site, config, addr: format!("127.0.0.1:{listen}").parse().unwrap() }
    }

    async fn start_bridge(&self) -> Process {
        let mut bridge =
            Process::start(self.site.dir.path(), "run", &["run", "--config", self.config.to_str().unwrap()]);
        wait_listening(self.addr, &mut bridge).await;
        bridge
    }

    async fn controller(&self, unit: u8) -> RawController {
        RawController::connect(self.addr, unit).await
    }

    fn persisted_snapshot(&self) -> Option<AccessSnapshot> {
        let text = std::fs::read(self.site.path("state/snapshot.json")).ok()?;
        serde_json::from_slice(&text).ok()
    }

    /// The events still queued on disk for the central service.
    fn queued(&self) -> Vec<AccessEvent> {
        let text = std::fs::read_to_string(self.site.path("state/events.jsonl")).unwrap_or_default();
        text.lines().filter_map(|line| serde_json::from_str(line).ok()).collect()
    }
}

/// Reads the block until `check` holds, failing after [`WAIT`].
async fn block_until(controller: &mut RawController, what: &str, check: impl Fn(&InputBlock) -> bool) -> InputBlock {
    let deadline = tokio::time::Instant::now() + WAIT;
    loop {
        let block = controller.block().await;
        if check(&block) {
            return block;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "timed out waiting for: {what} (status {:#x})",
            block.status_bits
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

fn online(block: &InputBlock) -> bool {
    block.status_bits & status::CENTRAL_REACHABLE != 0 && block.status_bits & status::DECIDING_OFFLINE == 0
}

fn offline(block: &InputBlock) -> bool {
    block.status_bits & status::CENTRAL_REACHABLE == 0 && block.status_bits & status::DECIDING_OFFLINE != 0
}

async fn central_has(central: &Central, what: &str, check: impl Fn(&[AccessEvent]) -> bool) {
    eventually(what, || central.books(|books| check(&books.events))).await;
}

/// Log text without the terminal colour codes the logger adds.
fn plain(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            for c in chars.by_ref() {
                if c.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

fn is_grant_of(event: &AccessEvent, booking: &str) -> bool {
    matches!(event.kind, AccessEventKind::Granted { .. }) && event.booking_id == Some(BookingId::new(booking))
}

#[tokio::test]
async fn a_snapshot_from_the_central_service_is_persisted_atomically_and_opens_the_door() {
    let central = Central::start().await;
    let served = snapshot(1, BookingStatus::Confirmed);
    central.set_snapshot(served.clone());
    let hub = Hub::new(&central.url(), 48);
    let mut bridge = hub.start_bridge().await;

    let mut room = hub.controller(ROOM).await;
    let block = block_until(&mut room, "the bridge is online", online).await;
    assert_ne!(block.status_bits & status::SNAPSHOT_VALID, 0);
    assert_eq!(hub.persisted_snapshot().as_ref(), Some(&served), "the persisted copy is the served snapshot");
    let leftovers: Vec<String> = std::fs::read_dir(hub.site.path("state"))
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "temporary files left: {leftovers:?}");

    let granted = room.enter_pin(PIN).await;
    assert_eq!(granted.result(), Some(RequestResult::Granted));
    room.ctx.write_single_register(HR_CMD_ACK_SEQ, granted.cmd_seq).await.unwrap().unwrap();
    central_has(&central, "the grant and its execution reach the central service", |events| {
        events.iter().any(|e| is_grant_of(e, BOOKING))
            && events
                .iter()
                .any(|e| matches!(e.kind, AccessEventKind::Executed { cmd_seq } if cmd_seq == granted.cmd_seq))
    })
    .await;
    let events = central.events();
    let grant = events.iter().find(|e| is_grant_of(e, BOOKING)).unwrap();
    assert!(!grant.offline, "decided online");
    assert_eq!(grant.door, DoorId::new("room"));
    let text = serde_json::to_string(&events).unwrap();
    assert!(!text.contains(PIN) && !text.contains(&pin_verifier(&KEY, PIN)), "a PIN or verifier was uploaded");
    assert_eq!(central.books(|books| books.unauthorized), 0);
    eventually("the queue drains once confirmed", || hub.queued().is_empty()).await;
    bridge.assert_running();
}

#[tokio::test]
async fn a_cancellation_arrives_by_long_poll_and_the_pin_stops_working() {
    let central = Central::start().await;
    central.set_snapshot(snapshot(1, BookingStatus::Confirmed));
    let hub = Hub::new(&central.url(), 48);
    let bridge = hub.start_bridge().await;
    let mut room = hub.controller(ROOM).await;
    block_until(&mut room, "the bridge is online", online).await;
    assert_eq!(room.enter_pin(PIN).await.result(), Some(RequestResult::Granted));

    central.set_snapshot(snapshot(2, BookingStatus::Cancelled));
    // The bridge logs the installation after the snapshot is in place.
    eventually("snapshot 2 is installed", || plain(&bridge.stderr_text()).contains("snapshot.version=2")).await;
    let denied = room.enter_pin(PIN).await;
    assert_eq!(denied.result(), Some(RequestResult::Denied));
    assert_eq!(denied.req_reason, DenyReason::NoBooking.code(), "the keypad never says why a PIN is refused");
    assert_eq!(hub.persisted_snapshot().unwrap().version, 2);
}

#[tokio::test]
async fn offline_the_bridge_decides_from_the_persisted_snapshot_also_after_a_restart_and_delivers_everything_once() {
    let mut central = Central::start().await;
    central.set_snapshot(snapshot(1, BookingStatus::Confirmed));
    let hub = Hub::new(&central.url(), 48);
    let bridge = hub.start_bridge().await;
    let mut room = hub.controller(ROOM).await;
    block_until(&mut room, "the bridge is online", online).await;
    assert_eq!(room.enter_pin(PIN).await.result(), Some(RequestResult::Granted));
    central_has(&central, "the online grant is uploaded", |events| events.iter().any(|e| is_grant_of(e, BOOKING)))
        .await;

    // Part outage: snapshots fail, commands still arrive. The bridge is offline and refuses
    // the remote unlock.
    central.set_snapshot_failing(true);
    let block = block_until(&mut room, "the bridge decides offline", offline).await;
    assert_eq!(block.status_bits & status::CENTRAL_REACHABLE, 0, "b0 clear");
    assert_ne!(block.status_bits & status::DECIDING_OFFLINE, 0, "b5 set");
    let cmd_seq_before = block.cmd_seq;
    central.push_command(RemoteUnlock {
        id: "cmd-offline".into(),
        door_id: DoorId::new("room"),
        booking_id: Some(BookingId::new(BOOKING)),
        deadline: Utc::now() + TimeDelta::seconds(20),
        pulse_ms: 2000,
    });
    central_has(&central, "the refused remote unlock is reported not executed", |events| {
        events.iter().any(|e| {
            e.kind == AccessEventKind::RemoteUnlockResult { command_id: "cmd-offline".into(), executed: false }
        })
    })
    .await;
    assert_eq!(room.block().await.cmd_seq, cmd_seq_before, "no unlock command was issued");
    assert!(central.events().iter().any(|e| {
        e.kind == AccessEventKind::Denied { reason: DenyReason::RemoteUnlockOffline } && e.door == DoorId::new("room")
    }));

    // Full outage.
    eventually("everything so far is confirmed", || hub.queued().is_empty()).await;
    central.stop().await;
    let uploaded_before_outage = central.books(|books| books.events.len());
    let granted = room.enter_pin(PIN).await;
    assert_eq!(granted.result(), Some(RequestResult::Granted), "a booked PIN still opens offline");
    let ended = room.enter_pin(ENDED_PIN).await;
    assert_eq!(ended.result(), Some(RequestResult::DeniedOffline));
    assert_eq!(ended.req_reason, DenyReason::NoBooking.code(), "never beyond the booking's own window");

    // Crash the bridge while the central service is down; what is on disk must survive.
    eventually("the offline decisions are queued on disk", || {
        hub.queued().iter().filter(|e| is_grant_of(e, BOOKING) && e.offline).count() == 1
    })
    .await;
    drop(room);
    drop(bridge);
    let queued_at_crash: Vec<String> = hub.queued().into_iter().map(|e| e.id).collect();
    assert!(!queued_at_crash.is_empty());

    let mut bridge = hub.start_bridge().await;
    let mut room = hub.controller(ROOM).await;
    let block = block_until(&mut room, "the restarted bridge decides offline", offline).await;
    assert_ne!(block.status_bits & status::SNAPSHOT_VALID, 0, "the persisted snapshot is valid");
    assert_eq!(room.enter_pin(PIN).await.result(), Some(RequestResult::Granted), "granted offline after a restart");
    let ended = room.enter_pin(ENDED_PIN).await;
    assert_eq!(ended.result(), Some(RequestResult::DeniedOffline));
    assert_eq!(ended.req_reason, DenyReason::NoBooking.code());
    eventually("the restarted bridge queued its grant", || {
        hub.queued().iter().filter(|e| is_grant_of(e, BOOKING) && e.offline).count() == 2
    })
    .await;
    let queued_now: Vec<String> = hub.queued().into_iter().map(|e| e.id).collect();
    assert!(queued_now.starts_with(&queued_at_crash), "the queue kept its order across the crash");

    central.set_snapshot_failing(false);
    central.resume().await;
    block_until(&mut room, "the bridge is online again", online).await;
    eventually("the queue drains", || hub.queued().is_empty()).await;
    let delivered: Vec<String> = central.events().into_iter().skip(uploaded_before_outage).map(|e| e.id).collect();
    assert!(
        delivered.starts_with(&queued_now),
        "queued events arrive first and in order: {delivered:?} vs {queued_now:?}"
    );
    assert_eq!(central.books(|books| books.duplicates), 0, "nothing was confirmed twice");
    let offline_grants = central.events().iter().filter(|e| is_grant_of(e, BOOKING) && e.offline).count();
    assert_eq!(offline_grants, 2, "each offline grant is delivered exactly once, marked offline");
    bridge.assert_running();
}

#[tokio::test]
async fn past_the_offline_limit_only_a_maintenance_credential_opens_its_doors() {
    // The central service is unreachable from the start: a port nobody listens on.
    let hub = Hub::new(&format!("http://127.0.0.1:{}", free_port()), 1);
    let mut old = snapshot(7, BookingStatus::Confirmed);
    old.generated_at = Utc::now() - TimeDelta::hours(2);
    std::fs::create_dir_all(hub.site.path("state")).unwrap();
    std::fs::write(hub.site.path("state/snapshot.json"), serde_json::to_vec(&old).unwrap()).unwrap();
    let mut bridge = hub.start_bridge().await;

    let mut entrance = hub.controller(ENTRANCE).await;
    let block = block_until(&mut entrance, "the bridge decides offline", offline).await;
    assert_eq!(block.status_bits & status::SNAPSHOT_VALID, 0, "a snapshot past the limit is not valid");
    let booked = entrance.enter_pin(PIN).await;
    assert_eq!(booked.result(), Some(RequestResult::DeniedOffline));
    assert_eq!(booked.req_reason, DenyReason::SnapshotTooOld.code());
    let service = entrance.enter_pin(MAINTENANCE_PIN).await;
    assert_eq!(service.result(), Some(RequestResult::Granted), "the maintenance PIN opens the entrance");

    let mut room = hub.controller(ROOM).await;
    let elsewhere = room.enter_pin(MAINTENANCE_PIN).await;
    assert_eq!(elsewhere.result(), Some(RequestResult::DeniedOffline), "not a door of the maintenance credential");
    assert_eq!(elsewhere.req_reason, DenyReason::SnapshotTooOld.code());

    eventually("the maintenance grant is recorded", || {
        hub.queued().iter().any(|e| {
            matches!(&e.kind, AccessEventKind::MaintenanceGranted { name, .. } if name == "service")
                && e.door == DoorId::new("entrance")
                && e.booking_id.is_none()
                && e.offline
        })
    })
    .await;
    let text = std::fs::read_to_string(hub.site.path("state/events.jsonl")).unwrap();
    assert!(!text.contains(MAINTENANCE_PIN) && !text.contains(&pin_verifier(&KEY, MAINTENANCE_PIN)));
    bridge.assert_running();
}

#[tokio::test]
async fn a_torn_queue_file_is_recovered_and_its_whole_events_delivered() {
    let central = Central::start().await;
    central.set_snapshot(snapshot(1, BookingStatus::Confirmed));
    let hub = Hub::new(&central.url(), 48);
    let event = |id: &str| AccessEvent {
        id: id.to_owned(),
        at: Utc::now(),
        door: DoorId::new("entrance"),
        kind: AccessEventKind::Denied { reason: DenyReason::NoBooking },
        booking_id: None,
        offline: true,
    };
    let whole = [event("aaaa0000000000000000000000000001"), event("aaaa0000000000000000000000000002")];
    let mut text = String::new();
    for e in &whole {
        text.push_str(&serde_json::to_string(e).unwrap());
        text.push('\n');
    }
    let torn = serde_json::to_string(&event("aaaa0000000000000000000000000003")).unwrap();
    text.push_str(&torn[..torn.len() / 2]);
    std::fs::create_dir_all(hub.site.path("state")).unwrap();
    std::fs::write(hub.site.path("state/events.jsonl"), text).unwrap();

    let mut bridge = hub.start_bridge().await;
    central_has(&central, "the two whole events arrive", |events| events.len() >= 2).await;
    let ids: Vec<String> = central.events().into_iter().map(|e| e.id).collect();
    assert_eq!(&ids[..2], &[whole[0].id.clone(), whole[1].id.clone()]);
    assert!(!ids.contains(&"aaaa0000000000000000000000000003".to_owned()), "the torn line is not an event");
    assert!(plain(&bridge.stderr_text()).contains("event queue repaired"), "the repair is logged");
    eventually("the queue drains", || hub.queued().is_empty()).await;
    bridge.assert_running();
}

#[tokio::test]
async fn remote_unlocks_run_only_within_their_deadline_and_report_the_real_outcome() {
    let central = Central::start().await;
    central.set_snapshot(snapshot(1, BookingStatus::Confirmed));
    let hub = Hub::new(&central.url(), 48);
    let mut bridge = hub.start_bridge().await;
    let mut room = hub.controller(ROOM).await;
    block_until(&mut room, "the bridge is online", online).await;
    let unlock = |id: &str, deadline| RemoteUnlock {
        id: id.to_owned(),
        door_id: DoorId::new("room"),
        booking_id: Some(BookingId::new(BOOKING)),
        deadline,
        pulse_ms: 2000,
    };
    let result_of = |events: &[AccessEvent], id: &str| {
        events.iter().find_map(|e| match &e.kind {
            AccessEventKind::RemoteUnlockResult { command_id, executed } if command_id == id => Some(*executed),
            _ => None,
        })
    };

    central.push_command(unlock("cmd-late", Utc::now() - TimeDelta::seconds(1)));
    central_has(&central, "the late command is reported", |events| result_of(events, "cmd-late").is_some()).await;
    assert_eq!(result_of(&central.events(), "cmd-late"), Some(false));
    assert_eq!(room.block().await.cmd_seq, 0, "a command past its deadline is never issued");

    central.push_command(unlock("cmd-now", Utc::now() + TimeDelta::seconds(20)));
    let block = block_until(&mut room, "the remote unlock is issued", |b| b.cmd_seq == 1).await;
    assert!(block.cmd_remaining_100ms > 0);
    assert_eq!(block.cmd_pulse_100ms, 20, "the command's pulse");
    assert_eq!(result_of(&central.events(), "cmd-now"), None, "no result before the controller confirmed");
    room.ctx.write_single_register(HR_CMD_ACK_SEQ, 1).await.unwrap().unwrap();
    central_has(&central, "the executed remote unlock is reported", |events| result_of(events, "cmd-now").is_some())
        .await;
    assert_eq!(result_of(&central.events(), "cmd-now"), Some(true));

    // A manager's opening for someone at the door travels the same way, without a booking.
    central.push_command(RemoteUnlock { booking_id: None, ..unlock("cmd-staff", Utc::now() + TimeDelta::seconds(20)) });
    block_until(&mut room, "the staff opening is issued", |b| b.cmd_seq == 2).await;
    room.ctx.write_single_register(HR_CMD_ACK_SEQ, 2).await.unwrap().unwrap();
    central_has(&central, "the staff opening is reported", |events| result_of(events, "cmd-staff").is_some()).await;
    let events = central.events();
    assert_eq!(result_of(&events, "cmd-staff"), Some(true));
    let granted = events.iter().find(|e| e.kind == AccessEventKind::Granted { cmd_seq: 2 }).expect("granted event");
    assert_eq!(granted.booking_id, None);
    bridge.assert_running();
}

#[tokio::test]
async fn door_states_and_alarms_reach_the_central_service_and_a_seen_alarm_clears_when_the_door_shuts() {
    let central = Central::start().await;
    central.set_snapshot(snapshot(1, BookingStatus::Confirmed));
    let hub = Hub::new(&central.url(), 48);
    let mut bridge = hub.start_bridge().await;
    let mut room = hub.controller(ROOM).await;
    block_until(&mut room, "the bridge is online", online).await;
    let door_states = |events: &[AccessEvent]| -> Vec<DoorStateKind> {
        events
            .iter()
            .filter(|e| e.door == DoorId::new("room"))
            .filter_map(|e| match e.kind {
                AccessEventKind::DoorState { state } => Some(state),
                _ => None,
            })
            .collect()
    };

    room.ctx.write_single_register(HR_DOOR_STATE_BITS, door_state::CLOSED).await.unwrap().unwrap();
    central_has(&central, "the closed door is reported", |events| door_states(events) == [DoorStateKind::Closed]).await;

    // Opened without a grant: forced open, latched until seen and shut.
    room.ctx.write_single_register(HR_DOOR_STATE_BITS, 0).await.unwrap().unwrap();
    central_has(&central, "the forced opening is reported", |events| {
        door_states(events).ends_with(&[DoorStateKind::Open])
            && events.iter().any(|e| e.kind == AccessEventKind::ForcedOpen && e.door == DoorId::new("room"))
    })
    .await;
    assert_ne!(room.block().await.alarms_latched & Alarm::ForcedOpen.bit(), 0, "latched while the door is open");

    room.ctx.write_single_register(HR_DOOR_STATE_BITS, door_state::CLOSED).await.unwrap().unwrap();
    block_until(&mut room, "the seen alarm clears once the door is shut", |b| {
        b.alarms_latched & Alarm::ForcedOpen.bit() == 0
    })
    .await;
    central_has(&central, "the cleared alarm and the closed door are reported", |events| {
        events.iter().any(|e| e.kind == AccessEventKind::AlarmCleared { alarm: Alarm::ForcedOpen })
            && door_states(events).ends_with(&[DoorStateKind::Closed])
    })
    .await;
    bridge.assert_running();
}

#[tokio::test]
async fn an_in_process_bridge_takes_its_token_from_memory_and_runs_on_the_callers_runtime() {
    let central = Central::start().await;
    central.set_snapshot(snapshot(1, BookingStatus::Confirmed));
    let site = Site::new();
    let listen = free_port();
    // No token file: the host hands the token over.
    let text = config_text(listen, &central.url(), 48).replace("token_file = \"token\"\n", "");
    let config = BridgeConfig::parse(&site.path("bridge.toml"), &text).unwrap();
    let options = RunOptions { token: Some(BridgeToken::parse(TOKEN).unwrap()), ..RunOptions::default() };
    let prepared = app::prepare(config, options).unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    // `tokio::spawn` needs a Send future: the web service spawns it next to actix.
    let running = tokio::spawn(prepared.run(async {
        let _ = stopped.await;
    }));

    let addr: SocketAddr = format!("127.0.0.1:{listen}").parse().unwrap();
    eventually("the in-process bridge listens", || {
        std::net::TcpStream::connect_timeout(&addr, Duration::from_millis(200)).is_ok()
    })
    .await;
    let mut room = RawController::connect(addr, ROOM).await;
    block_until(&mut room, "the in-process bridge is online", online).await;
    assert_eq!(room.enter_pin(PIN).await.result(), Some(RequestResult::Granted));
    central_has(&central, "its grant reaches the central service", |events| {
        events.iter().any(|e| is_grant_of(e, BOOKING))
    })
    .await;
    drop(room);
    stop.send(()).unwrap();
    tokio::time::timeout(WAIT, running).await.expect("the bridge stops").unwrap().unwrap();
}

#[tokio::test]
async fn a_central_url_without_a_token_or_a_bad_maintenance_entry_is_one_line_and_exit_code_2() {
    let hub = Hub::new("http://127.0.0.1:9", 48);
    let good = std::fs::read_to_string(&hub.config).unwrap();

    let config = hub.site.write_config(&good.replace("token_file = \"token\"\n", ""));
    assert_one_line_exit_2(&config, &["bridge.token_file", "central_url"]);

    let config = hub.site.write_config(&good.replace("doors = [\"entrance\"]", "doors = [\"cellar\"]"));
    assert_one_line_exit_2(&config, &["maintenance[0].doors[0]", "cellar"]);

    let config = hub.site.write_config(&good.replace("http://127.0.0.1:9", "ftp://central"));
    assert_one_line_exit_2(&config, &["bridge.central_url"]);

    let config = hub.site.write_config(&good.replace("clock = \"assume_synced\"", "clock = \"ntp\""));
    assert_one_line_exit_2(&config, &["bridge.clock", "ntp"]);

    std::fs::write(hub.site.path("token"), "  \n").unwrap();
    let config = hub.site.write_config(&good);
    assert_one_line_exit_2(&config, &["bridge.token_file", "empty"]);
}

fn assert_one_line_exit_2(config: &Path, mentions: &[&str]) {
    let output = run_to_end(&["run", "--config", config.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "stderr: {stderr}");
    assert_eq!(stderr.lines().count(), 1, "not one line: {stderr:?}");
    for mention in mentions {
        assert!(stderr.contains(mention), "{stderr:?} does not name {mention}");
    }
}
