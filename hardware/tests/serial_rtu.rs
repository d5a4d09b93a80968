//! The field client's serial RTU path (hub `type = "serial"`) over a real serial line: `socat`
//! makes a pseudo-terminal and carries its bytes to the simulator's RTU-over-TCP listener,
//! so the bridge opens a tty with `tokio-serial`, sets 19200 8E1 on it and speaks RTU frames
//! through it, exactly as it would on a USB RS-485 adapter. Needs `socat` (`.ci/run`
//! installs it); without it the test fails with a message saying so.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use regiohub_hardware::config::{BridgeConfig, PulseMode, Transport};
use regiohub_hardware::field::{self, ContactState, DoorInputs, LockOutput};
use regiohub_hardware::sim::{SimBind, SimHandle, SimWrite, Simulator};
use tokio::sync::watch;

/// Generous bound for anything that should happen "within seconds".
const WAIT: Duration = Duration::from_secs(20);

/// A WB-MR6C relay board on a serial hub: channel 1 drives the room door's lock (switched on
/// and off by the bridge), its discrete input 0 is the door contact.
fn site(tty: &Path) -> String {
    format!(
        r#"
[bridge]
hub_id = "serial-test"
state_dir = "state"

[[hub]]
name = "rs485"
type = "serial"
port = "{tty}"
baudrate = 19200
parity = "E"
stopbits = 1
bytesize = 8
timeout_ms = 500

[[device]]
name = "mr6c"
hub = "rs485"
device_address = 3
profile = "wb_mr6c"

[[door]]
id = "room"
lock = {{ device = "mr6c", channel = 1, pulse_ms = 1500, mode = "bridge_timed" }}
contact = {{ device = "mr6c", input_type = "discrete_input", address = 0, closed_when = false }}
"#,
        tty = tty.display()
    )
}

/// The `socat` process joining the pty to the simulator; killed when the test ends, however
/// it ends.
struct SerialLine {
    child: Child,
}

impl Drop for SerialLine {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts `socat` with a pty linked at `tty` whose other side is a TCP connection to the
/// simulator, and waits until the link exists.
async fn serial_line(tty: &Path, simulator: std::net::SocketAddr) -> SerialLine {
    let child = Command::new("socat")
        .arg("-d")
        .arg("-d")
        .arg(format!("pty,raw,echo=0,link={}", tty.display()))
        .arg(format!("tcp:{simulator}"))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .spawn();
    let child = match child {
        Ok(child) => child,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            panic!("socat is not installed; install it (apt-get install socat; .ci/run does) to test serial RTU")
        }
        Err(e) => panic!("cannot start socat: {e}"),
    };
    let mut line = SerialLine { child };
    let appeared = tokio::time::timeout(WAIT, async {
        while !tty.exists() {
            if let Some(status) = line.child.try_wait().unwrap() {
                panic!("socat exited before creating the pty ({status}); see its messages above");
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    })
    .await;
    assert!(appeared.is_ok(), "socat did not create {} in time", tty.display());
    line
}

async fn wait_door(rx: &mut watch::Receiver<DoorInputs>, what: &str, check: impl FnMut(&DoorInputs) -> bool) {
    let ok = tokio::time::timeout(WAIT, rx.wait_for(check)).await.is_ok_and(|r| r.is_ok());
    assert!(ok, "timed out waiting for door: {what}; last {:?}", *rx.borrow());
}

async fn wait_relay(devices: &SimHandle, on: bool, what: &str) {
    let reached = tokio::time::timeout(WAIT, async {
        while devices.relay("mr6c", 1).unwrap() != on {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    })
    .await;
    assert!(reached.is_ok(), "timed out waiting for: {what}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs socat: .ci/run installs it"]
async fn serial_rtu_forces_the_lock_off_pulses_it_and_reads_the_contact() {
    let dir = tempfile::tempdir().unwrap();
    let tty: PathBuf = dir.path().join("ttyBRIDGE");
    let file = dir.path().join("bridge.toml");
    std::fs::write(&file, site(&tty)).unwrap();
    let config = BridgeConfig::load(&file).unwrap();
    let Some(hub) = config.hubs.first() else { panic!("the site has one hub") };
    let Transport::Serial(settings) = &hub.transport else { panic!("the hub is serial: {:?}", hub.transport) };
    assert_eq!(settings.baudrate, 19200);

    // The simulator serves the serial hub as RTU over TCP; socat puts a tty in front of it.
    let sim = Simulator::start(&config, SimBind::Ephemeral, Duration::from_millis(800)).await.unwrap();
    let devices = sim.handle();
    devices.set_relay("mr6c", 1, true).unwrap();
    let line = serial_line(&tty, sim.hub_addr("rs485").unwrap()).await;

    // The bridge's own client with the configuration as written: the serial port, not TCP.
    let (field, tasks) = field::start(&config);
    let mut room = field.door_inputs("room").unwrap();

    wait_relay(&devices, false, "the lock left ON is forced OFF at start").await;
    wait_door(&mut room, "lock off and door closed, read over the serial line", |d| {
        d.lock_output == LockOutput::Off && d.contact == ContactState::Closed && d.healthy
    })
    .await;
    let setup = SimWrite { function: 6, address: 8, value: 10 };
    assert!(
        !devices.writes("mr6c").unwrap().contains(&setup),
        "no watchdog setup without safety_timeout_s, so the writes below are all the bridge's own"
    );

    let outcome = field.pulse_lock("room", Duration::from_secs(1)).await.unwrap();
    assert!(outcome.switched, "the device confirmed the ON write: {outcome:?}");
    assert_eq!(outcome.mode, PulseMode::BridgeTimed);
    assert!(devices.relay("mr6c", 1).unwrap(), "relay ON as the device sees it after a confirmed pulse");
    wait_door(&mut room, "the contact reports the door opened by the pulse", |d| d.contact == ContactState::Open).await;
    wait_relay(&devices, false, "the bridge switches the relay OFF after the pulse").await;
    wait_door(&mut room, "the contact reports the door closed again", |d| d.contact == ContactState::Closed).await;

    let writes = devices.writes("mr6c").unwrap();
    let on = writes
        .iter()
        .position(|w| *w == SimWrite { function: 5, address: 0, value: 1 })
        .expect("an FC05 ON write to coil 0");
    assert!(
        writes[..on].contains(&SimWrite { function: 5, address: 0, value: 0 }),
        "the forced OFF at start came before the pulse: {writes:?}"
    );
    assert!(
        writes[on..].contains(&SimWrite { function: 5, address: 0, value: 0 }),
        "an FC05 OFF write after the ON: {writes:?}"
    );

    // A contact change by hand (a forced door) arrives too, not only the pulse's own.
    devices.set_door_open("room", true).unwrap();
    wait_door(&mut room, "a door pushed open by hand is read as open", |d| d.contact == ContactState::Open).await;
    devices.set_door_open("room", false).unwrap();
    wait_door(&mut room, "and closed again", |d| d.contact == ContactState::Closed).await;

    tasks.shutdown().await;
    drop(line);
    sim.shutdown().await;
}
