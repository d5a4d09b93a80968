//! Interop of the bridge's field client with an independent Modbus implementation: pymodbus
//! 3.16.1 (`tests/peers/field_devices.py`) plays a relay board and presence radars, over
//! Modbus TCP and over RTU framing on TCP. Needs `REGIOHUB_PYTHON` pointing at a Python with
//! pymodbus; run with `--ignored` (`.ci/run` does). Without it these tests fail loudly.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::{BufRead, BufReader, Write};
use std::net::SocketAddr;
use std::path::Path;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::time::Duration;

use regiohub_hardware::config::BridgeConfig;
use regiohub_hardware::field::{self, ContactState, LockOutput, Presence};
use tokio::sync::watch;
use tokio_modbus::Slave;
use tokio_modbus::client::{Reader, tcp};

const WAIT: Duration = Duration::from_secs(20);

/// The pymodbus peer process; killed when the test ends, however it ends.
struct Peer {
    child: Child,
    stdin: ChildStdin,
    reader: BufReader<std::process::ChildStdout>,
    tcp_port: u16,
    rtu_port: u16,
}

impl Peer {
    fn start() -> Self {
        let python = std::env::var("REGIOHUB_PYTHON")
            .unwrap_or_else(|_| panic!("REGIOHUB_PYTHON is not set: it must name a python with pymodbus==3.16.1"));
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/peers/field_devices.py");
        let mut child = Command::new(&python)
            .arg(&script)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {python}: {e}"));
        let stdin = child.stdin.take().unwrap();
        let mut reader = BufReader::new(child.stdout.take().unwrap());
        let mut line = String::new();
        reader.read_line(&mut line).unwrap();
        let ports: Vec<u16> = line
            .strip_prefix("PORTS ")
            .unwrap_or_else(|| panic!("peer did not start (is pymodbus installed?): {line:?}"))
            .split_whitespace()
            .map(|p| p.parse().unwrap())
            .collect();
        Self { child, stdin, reader, tcp_port: ports[0], rtu_port: ports[1] }
    }

    fn set_presence(&mut self, unit: u8, present: bool) {
        writeln!(self.stdin, "presence {unit} {}", u8::from(present)).unwrap();
        self.stdin.flush().unwrap();
        let mut ack = String::new();
        self.reader.read_line(&mut ack).unwrap();
        assert!(ack.starts_with("OK presence"), "peer answered {ack:?}");
    }

    fn config(&self) -> BridgeConfig {
        let text = format!(
            r#"
[bridge]
hub_id = "interop"
state_dir = "state"

[[hub]]
name = "pymodbus_tcp"
type = "tcp"
host = "127.0.0.1"
port = {tcp}
timeout_ms = 1000

[[hub]]
name = "pymodbus_rtu"
type = "rtuovertcp"
host = "127.0.0.1"
port = {rtu}
timeout_ms = 1000

[[device]]
name = "relays"
hub = "pymodbus_tcp"
device_address = 1
profile = "generic_relay"
channels = 8

[[device]]
name = "radar_desk"
hub = "pymodbus_tcp"
device_address = 2
profile = "mtdx62_mb"

[[device]]
name = "radar_room"
hub = "pymodbus_rtu"
device_address = 3
profile = "mtdx62_mb"

[[door]]
id = "front"
lock = {{ device = "relays", channel = 1, pulse_ms = 1000, mode = "bridge_timed" }}
contact = {{ device = "relays", input_type = "discrete_input", address = 0, closed_when = true }}

[[presence]]
space = "desk"
device = "radar_desk"

[[presence]]
space = "room"
device = "radar_room"
"#,
            tcp = self.tcp_port,
            rtu = self.rtu_port
        );
        BridgeConfig::parse(Path::new("interop.toml"), &text).unwrap()
    }

    /// Reads relay 1 (coil 0) straight from pymodbus with a separate client.
    async fn relay_one(&self) -> bool {
        let addr = SocketAddr::from(([127, 0, 0, 1], self.tcp_port));
        let read = async {
            let mut ctx = tcp::connect_slave(addr, Slave(1)).await.unwrap();
            ctx.read_coils(0, 1).await.unwrap().unwrap()[0]
        };
        tokio::time::timeout(WAIT, read).await.unwrap()
    }
}

impl Drop for Peer {
    fn drop(&mut self) {
        let _ = writeln!(self.stdin, "quit");
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

async fn wait_for<T>(rx: &mut watch::Receiver<T>, what: &str, check: impl FnMut(&T) -> bool) {
    let ok = tokio::time::timeout(WAIT, rx.wait_for(check)).await.is_ok_and(|r| r.is_ok());
    assert!(ok, "timed out waiting for {what}");
}

#[tokio::test]
#[ignore = "needs pymodbus: set REGIOHUB_PYTHON (done by .ci/run)"]
async fn pymodbus_relay_board_is_forced_off_then_pulsed_on_and_off() {
    let peer = Peer::start();
    assert!(peer.relay_one().await, "test premise: the peer starts with relay 1 ON");
    let config = peer.config();
    let (handle, tasks) = field::start(&config);

    let mut front = handle.door_inputs("front").unwrap();
    wait_for(&mut front, "lock forced off and contact closed", |d| {
        d.lock_output == LockOutput::Off && d.contact == ContactState::Closed
    })
    .await;
    assert!(!peer.relay_one().await, "pymodbus relay 1 forced OFF at start");

    let outcome = handle.pulse_lock("front", Duration::from_millis(1000)).await.unwrap();
    assert!(outcome.switched, "pymodbus echoed the ON write");
    assert!(peer.relay_one().await, "relay 1 ON during the pulse");
    let off = tokio::time::timeout(WAIT, async {
        while peer.relay_one().await {
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    })
    .await;
    assert!(off.is_ok(), "relay 1 switched OFF after the pulse");
    tasks.shutdown().await;
}

#[tokio::test]
#[ignore = "needs pymodbus: set REGIOHUB_PYTHON (done by .ci/run)"]
async fn pymodbus_presence_sensors_over_tcp_and_rtu_framing() {
    let mut peer = Peer::start();
    let config = peer.config();
    let (handle, tasks) = field::start(&config);
    let mut desk = handle.presence("desk").unwrap();
    let mut room = handle.presence("room").unwrap();
    wait_for(&mut desk, "desk empty", |p| *p == Presence::Empty).await;
    wait_for(&mut room, "room empty (RTU over TCP)", |p| *p == Presence::Empty).await;

    peer.set_presence(2, true);
    peer.set_presence(3, true);
    wait_for(&mut desk, "desk present", |p| *p == Presence::Present).await;
    wait_for(&mut room, "room present (RTU over TCP)", |p| *p == Presence::Present).await;

    peer.set_presence(3, false);
    wait_for(&mut room, "room empty again", |p| *p == Presence::Empty).await;
    assert_eq!(*desk.borrow(), Presence::Present, "units do not mix up");
    assert!(handle.faults().borrow().is_empty());
    tasks.shutdown().await;
}
