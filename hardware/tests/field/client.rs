//! The field client against the simulator over loopback (Modbus TCP and RTU over TCP):
//! pulses, forced-OFF locks, readings through the watch channels, a device that stops
//! answering in the middle of a pulse, and shutdown.

use std::time::Duration;

use regiohub_hardware::config::PulseMode;
use regiohub_hardware::field::{ContactState, DoorInputs, FieldError, LockOutput, Presence};
use regiohub_hardware::sim::SimWrite;
use tokio::sync::watch;

use super::support::{Rig, SITE, WAIT, eventually, rig};

async fn wait_door(rx: &mut watch::Receiver<DoorInputs>, what: &str, check: impl FnMut(&DoorInputs) -> bool) {
    let ok = tokio::time::timeout(WAIT, rx.wait_for(check)).await.is_ok_and(|r| r.is_ok());
    assert!(ok, "timed out waiting for door: {what}; last {:?}", *rx.borrow());
}

async fn wait_presence(rx: &mut watch::Receiver<Presence>, want: Presence) {
    let ok = tokio::time::timeout(WAIT, rx.wait_for(|p| *p == want)).await.is_ok_and(|r| r.is_ok());
    assert!(ok, "timed out waiting for {want:?}; last {:?}", *rx.borrow());
}

async fn stop(rig: Rig) {
    rig.tasks.shutdown().await;
    rig.sim.shutdown().await;
}

#[tokio::test]
async fn bridge_timed_pulse_switches_the_relay_on_then_off_and_the_door_follows() {
    let rig = rig(SITE, |_| {}).await;
    let mut room = rig.field.door_inputs("room").unwrap();
    wait_door(&mut room, "lock off and door closed", |d| {
        d.lock_output == LockOutput::Off && d.contact == ContactState::Closed
    })
    .await;

    let outcome = rig.field.pulse_lock("room", Duration::from_secs(1)).await.unwrap();
    assert!(outcome.switched);
    assert_eq!(outcome.mode, PulseMode::BridgeTimed);
    assert_eq!(outcome.length, Duration::from_secs(1));
    assert!(rig.devices.relay("mr6c", 1).unwrap(), "relay on after a confirmed pulse");

    let setup = SimWrite { function: 6, address: 8, value: 10 };
    assert!(rig.devices.writes("mr6c").unwrap().contains(&setup), "WB-MR6C comms watchdog programmed after connecting");

    wait_door(&mut room, "door opened by the pulse", |d| d.contact == ContactState::Open).await;
    let devices = rig.devices.clone();
    eventually("relay switched off by the bridge", || !devices.relay("mr6c", 1).unwrap()).await;
    wait_door(&mut room, "door closed again", |d| d.contact == ContactState::Closed).await;

    let writes = rig.devices.writes("mr6c").unwrap();
    let on = writes
        .iter()
        .position(|w| *w == SimWrite { function: 5, address: 0, value: 1 })
        .expect("an FC05 ON write to coil 0");
    assert!(
        writes[on..].contains(&SimWrite { function: 5, address: 0, value: 0 }),
        "an FC05 OFF write after the ON: {writes:?}"
    );
    stop(rig).await;
}

#[tokio::test]
async fn device_timed_pulse_is_one_fc06_delay_command_and_the_device_ends_it() {
    let rig = rig(SITE, |_| {}).await;
    let mut entrance = rig.field.door_inputs("entrance").unwrap();
    wait_door(&mut entrance, "lock forced off", |d| d.lock_output == LockOutput::Off).await;

    // Asking for more than the door's pulse_ms (1000) is clamped to it.
    let outcome = rig.field.pulse_lock("entrance", Duration::from_secs(4)).await.unwrap();
    assert!(outcome.switched);
    assert_eq!(outcome.mode, PulseMode::DeviceTimed);
    assert_eq!(outcome.length, Duration::from_secs(1));
    assert!(rig.devices.relay("ryn", 2).unwrap());

    let writes = rig.devices.writes("ryn").unwrap();
    assert!(
        writes.contains(&SimWrite { function: 6, address: 2, value: 0x0601 }),
        "RYN4xx delay command 0x0601 on channel register 2: {writes:?}"
    );
    assert!(!writes.iter().any(|w| w.value == 0x0100), "no plain ON command for a device-timed pulse: {writes:?}");
    let devices = rig.devices.clone();
    eventually("the device ends its own pulse", || !devices.relay("ryn", 2).unwrap()).await;
    stop(rig).await;
}

#[tokio::test]
async fn contacts_exit_buttons_and_presence_arrive_through_the_watch_channels() {
    let rig = rig(SITE, |_| {}).await;
    let mut room = rig.field.presence("room").unwrap();
    let mut lobby = rig.field.presence("lobby").unwrap();
    wait_presence(&mut room, Presence::Empty).await;
    wait_presence(&mut lobby, Presence::Empty).await;

    assert!(!rig.devices.presence("room").unwrap());
    rig.devices.set_presence("room", true).unwrap();
    rig.devices.set_presence("lobby", true).unwrap();
    assert!(rig.devices.presence("room").unwrap() && rig.devices.presence("lobby").unwrap());
    wait_presence(&mut room, Presence::Present).await;
    wait_presence(&mut lobby, Presence::Present).await;
    rig.devices.set_presence("room", false).unwrap();
    assert!(!rig.devices.presence("room").unwrap(), "the simulator reports what it was set to");
    wait_presence(&mut room, Presence::Empty).await;
    assert!(rig.devices.presence("cellar").is_err(), "no sensor for that space");

    let mut entrance = rig.field.door_inputs("entrance").unwrap();
    wait_door(&mut entrance, "closed", |d| d.contact == ContactState::Closed).await;
    rig.devices.press_exit("entrance", true).unwrap();
    wait_door(&mut entrance, "exit pressed", |d| d.exit_request).await;
    rig.devices.press_exit("entrance", false).unwrap();
    wait_door(&mut entrance, "exit released", |d| !d.exit_request).await;
    rig.devices.set_door_open("entrance", true).unwrap();
    wait_door(&mut entrance, "forced open", |d| d.contact == ContactState::Open).await;

    // The room door's contact reads false when closed (closed_when = false).
    rig.devices.set_door_open("room", true).unwrap();
    let mut room_door = rig.field.door_inputs("room").unwrap();
    wait_door(&mut room_door, "room door open", |d| d.contact == ContactState::Open).await;

    assert!(rig.field.presence("attic").is_none());
    let back = *rig.field.door_inputs("back").unwrap().borrow();
    assert_eq!(back.contact, ContactState::NotFitted);
    assert_eq!(back.lock_output, LockOutput::NotFitted);
    stop(rig).await;
}

#[tokio::test]
async fn locks_left_on_are_forced_off_when_the_bridge_starts() {
    let rig = rig(SITE, |devices| {
        devices.set_relay("ryn", 2, true).unwrap();
        devices.set_relay("mr6c", 1, true).unwrap();
    })
    .await;
    let devices = rig.devices.clone();
    eventually("both lock relays off", || !devices.relay("ryn", 2).unwrap() && !devices.relay("mr6c", 1).unwrap())
        .await;
    stop(rig).await;
}

#[tokio::test]
async fn a_device_silent_in_the_middle_of_a_pulse_is_off_when_it_answers_again() {
    let rig = rig(SITE, |_| {}).await;
    let mut room = rig.field.door_inputs("room").unwrap();
    wait_door(&mut room, "lock off", |d| d.lock_output == LockOutput::Off).await;

    let outcome = rig.field.pulse_lock("room", Duration::from_millis(1500)).await.unwrap();
    assert!(outcome.switched);
    rig.devices.set_silent("mr6c", true).unwrap();

    let mut faults = rig.field.faults();
    let raised = tokio::time::timeout(WAIT, faults.wait_for(|f| f.contains("mr6c"))).await.is_ok_and(|r| r.is_ok());
    assert!(raised, "device fault raised for the silent relay module");
    wait_door(&mut room, "door unhealthy, contact unknown", |d| !d.healthy && d.contact == ContactState::Unknown).await;
    let refused = rig.field.pulse_lock("room", Duration::from_secs(1)).await;
    assert!(
        matches!(refused, Err(FieldError::DeviceFault(_) | FieldError::Timeout(_))),
        "no unlock through a faulted device: {refused:?}"
    );
    assert!(rig.devices.relay("mr6c", 1).unwrap(), "test premise: the silent device kept its relay on");

    rig.devices.set_silent("mr6c", false).unwrap();
    let devices = rig.devices.clone();
    eventually("lock off after the device answers again", || !devices.relay("mr6c", 1).unwrap()).await;
    let cleared = tokio::time::timeout(WAIT, faults.wait_for(|f| f.is_empty())).await;
    assert!(cleared.is_ok(), "device fault cleared after reconnect");
    wait_door(&mut room, "healthy with a known contact", |d| {
        d.healthy && d.contact != ContactState::Unknown && d.lock_output == LockOutput::Off
    })
    .await;

    // The rebuilt connection answers each request with its own reply, not a stale one.
    let mut presence = rig.field.presence("room").unwrap();
    rig.devices.set_presence("room", true).unwrap();
    wait_presence(&mut presence, Presence::Present).await;
    let again = rig.field.pulse_lock("room", Duration::from_millis(500)).await.unwrap();
    assert!(again.switched);
    stop(rig).await;
}

#[tokio::test]
async fn shutdown_switches_a_running_pulse_off() {
    let rig = rig(SITE, |_| {}).await;
    let mut room = rig.field.door_inputs("room").unwrap();
    wait_door(&mut room, "lock off", |d| d.lock_output == LockOutput::Off).await;
    let outcome = rig.field.pulse_lock("room", Duration::from_millis(1500)).await.unwrap();
    assert!(outcome.switched);
    let devices = rig.devices.clone();
    rig.tasks.shutdown().await;
    assert!(!devices.relay("mr6c", 1).unwrap(), "relay off once shutdown returns");
    rig.sim.shutdown().await;
}

#[tokio::test]
async fn pulses_for_unknown_doors_or_doors_without_a_lock_are_refused() {
    let rig = rig(SITE, |_| {}).await;
    let unknown = rig.field.pulse_lock("nowhere", Duration::from_secs(1)).await;
    assert_eq!(unknown, Err(FieldError::UnknownDoor("nowhere".to_owned())));
    let no_lock = rig.field.pulse_lock("back", Duration::from_secs(1)).await;
    assert_eq!(no_lock, Err(FieldError::NoLock("back".to_owned())));
    assert!(rig.field.has_lock("room"));
    stop(rig).await;
}

#[tokio::test]
async fn a_hub_with_only_sensors_keeps_polling() {
    let text = r#"
[bridge]
hub_id = "sensors"
state_dir = "state"

[[hub]]
name = "sensor_bus"
type = "rtuovertcp"
host = "127.0.0.1"
port = 1
timeout_ms = 300

[[device]]
name = "radar"
hub = "sensor_bus"
device_address = 4
profile = "mtdx62_mb"

[[presence]]
space = "desk"
device = "radar"
scan_interval_ms = 100
"#;
    let rig = rig(text, |_| {}).await;
    let mut desk = rig.field.presence("desk").unwrap();
    wait_presence(&mut desk, Presence::Empty).await;
    rig.devices.set_presence("desk", true).unwrap();
    wait_presence(&mut desk, Presence::Present).await;
    rig.devices.set_presence("desk", false).unwrap();
    wait_presence(&mut desk, Presence::Empty).await;
    stop(rig).await;
}

#[tokio::test]
async fn the_simulator_refuses_to_serve_hubs_that_are_not_on_loopback() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("bridge.example.toml");
    let config = regiohub_hardware::config::BridgeConfig::load(&path).unwrap();
    let refused = regiohub_hardware::sim::Simulator::start(
        &config,
        regiohub_hardware::sim::SimBind::AsConfigured,
        Duration::from_secs(1),
    )
    .await;
    let message = refused.err().expect("10.20.0.31 must be refused").to_string();
    assert!(message.contains("gateway_ground_floor"), "{message}");
    assert!(message.contains("not a loopback address"), "{message}");
}
