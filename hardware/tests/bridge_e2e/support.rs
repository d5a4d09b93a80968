//! Helpers for the end-to-end tests: a temporary site (config, PIN key, snapshot), the real
//! `regiohub-bridge` binary as a child process, a raw tokio-modbus door controller, and
//! bounded waits. Ports are chosen free by binding 127.0.0.1:0 first.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::Duration;

use chrono::{TimeDelta, Utc};
use regiohub_hardware::bridge::registers::{HR_CTRL_HEARTBEAT, HR_REQ_SEQ, INPUT_BLOCK_LEN, InputBlock, RequestResult};
use regiohub_hardware::bridge::sim_controller::mailbox_words;
use regiohub_hardware::protocol::{
    AccessSnapshot, BookingId, BookingStatus, DoorId, HubId, SnapshotDoor, SnapshotGrant, SpaceId, pin_verifier,
};
use tokio_modbus::Slave;
use tokio_modbus::client::{Context, Reader, Writer, tcp};

/// Generous bound for anything that should happen "within seconds".
pub const WAIT: Duration = Duration::from_secs(30);
pub const PIN: &str = "123456";
pub const WRONG_PIN: &str = "999999";
pub const KEY: [u8; 32] = [0x5a; 32];
pub const BOOKING: &str = "booking-1";
/// The door controller's Modbus unit in [`one_door_site`].
pub const UNIT: u8 = 11;

pub fn bridge_binary() -> &'static str {
    env!("CARGO_BIN_EXE_regiohub-bridge")
}

/// A loopback port for a server the test starts later, free a moment ago. It is taken below the
/// kernel's ephemeral range (32768 and up on Linux): a port from `bind(…:0)` could be handed to
/// another test's server or outgoing connection before ours binds it, which showed up as a
/// controller talking to some other test's HTTP server.
pub fn free_port() -> u16 {
    static NEXT: std::sync::atomic::AtomicU16 = std::sync::atomic::AtomicU16::new(0);
    // Each test process starts at its own place, so two binaries running at once rarely meet.
    let start = u16::try_from(std::process::id() % 120).unwrap() * 100;
    loop {
        let step = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed) % 12_000;
        let port = 20_000 + (start + step) % 12_000;
        if std::net::TcpListener::bind(("127.0.0.1", port)).is_ok() {
            return port;
        }
    }
}

/// A temporary directory holding `bridge.toml`, `pin.key` and `state/`.
pub struct Site {
    pub dir: tempfile::TempDir,
}

impl Site {
    pub fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("pin.key"), hex::encode(KEY)).unwrap();
        Self { dir }
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    pub fn write_config(&self, text: &str) -> PathBuf {
        let path = self.path("bridge.toml");
        std::fs::write(&path, text).unwrap();
        path
    }

    /// One confirmed booking for `PIN`, valid now, at every door in `doors` (all entrances).
    pub fn write_snapshot(&self, hub: &str, doors: &[&str]) {
        let now = Utc::now();
        let snapshot = AccessSnapshot {
            lockdown: false,
            hub_id: HubId::new(hub),
            version: 1,
            generated_at: now,
            grace_period_s: 0,
            doors: doors
                .iter()
                .map(|door| SnapshotDoor {
                    disabled: false,
                    id: DoorId::new(*door),
                    entrance: true,
                    space_ids: Vec::new(),
                })
                .collect(),
            grants: vec![SnapshotGrant {
                booking_id: BookingId::new(BOOKING),
                space_id: SpaceId::new("desk"),
                credential_verifier: pin_verifier(&KEY, PIN),
                valid_from: now - TimeDelta::hours(1),
                valid_until: now + TimeDelta::hours(2),
                status: BookingStatus::Confirmed,
                user_active: true,
                revoked: false,
            }],
        };
        std::fs::create_dir_all(self.path("state")).unwrap();
        std::fs::write(self.path("state/snapshot.json"), serde_json::to_vec(&snapshot).unwrap()).unwrap();
    }

    /// The event log as JSON values, and its raw text.
    pub fn events(&self) -> (Vec<serde_json::Value>, String) {
        let text = std::fs::read_to_string(self.path("state/events.jsonl")).unwrap_or_default();
        let events = text.lines().map(|line| serde_json::from_str(line).unwrap()).collect();
        (events, text)
    }
}

/// A child process of this test, killed when dropped; its stdout and stderr go to files.
pub struct Process {
    child: Child,
    pub stdout: PathBuf,
    pub stderr: PathBuf,
}

impl Process {
    pub fn start(dir: &Path, name: &str, args: &[&str]) -> Self {
        let stdout = dir.join(format!("{name}.stdout"));
        let stderr = dir.join(format!("{name}.stderr"));
        let child = Command::new(bridge_binary())
            .args(args)
            .env("RUST_LOG", "info")
            .stdin(Stdio::null())
            .stdout(std::fs::File::create(&stdout).unwrap())
            .stderr(std::fs::File::create(&stderr).unwrap())
            .spawn()
            .unwrap();
        Self { child, stdout, stderr }
    }

    pub fn stdout_text(&self) -> String {
        std::fs::read_to_string(&self.stdout).unwrap_or_default()
    }

    pub fn stderr_text(&self) -> String {
        std::fs::read_to_string(&self.stderr).unwrap_or_default()
    }

    /// Fails the test if the process has already exited.
    pub fn assert_running(&mut self) {
        if let Some(status) = self.child.try_wait().unwrap() {
            panic!("process exited with {status}; stderr:\n{}", self.stderr_text());
        }
    }
}

impl Drop for Process {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Runs the binary to completion.
pub fn run_to_end(args: &[&str]) -> Output {
    Command::new(bridge_binary()).args(args).stdin(Stdio::null()).output().unwrap()
}

/// Waits until `addr` accepts TCP connections.
pub async fn wait_listening(addr: SocketAddr, process: &mut Process) {
    eventually("the bridge listens", || {
        process.assert_running();
        std::net::TcpStream::connect_timeout(&addr, Duration::from_millis(200)).is_ok()
    })
    .await;
}

/// Polls `check` until it holds, failing the test after [`WAIT`].
pub async fn eventually(what: &str, mut check: impl FnMut() -> bool) {
    let waited = tokio::time::timeout(WAIT, async {
        while !check() {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    })
    .await;
    assert!(waited.is_ok(), "timed out waiting for: {what}");
}

/// A door controller written directly on tokio-modbus: it enters credentials but never
/// acknowledges a command, so anything recorded as executed came from the bridge's relay.
pub struct RawController {
    pub ctx: Context,
    seq: u16,
    heartbeat: u16,
}

impl RawController {
    pub async fn connect(addr: SocketAddr, unit: u8) -> Self {
        let ctx = tcp::connect_slave(addr, Slave(unit)).await.unwrap();
        Self { ctx, seq: 0, heartbeat: 0 }
    }

    /// Beats the heartbeat (so the bridge never sees a silent controller) and reads 0–15.
    pub async fn block(&mut self) -> InputBlock {
        self.heartbeat = self.heartbeat.wrapping_add(1);
        self.ctx.write_single_register(HR_CTRL_HEARTBEAT, self.heartbeat).await.unwrap().unwrap();
        let registers = self.ctx.read_input_registers(0, INPUT_BLOCK_LEN).await.unwrap().unwrap();
        InputBlock::from_registers(&registers).unwrap()
    }

    /// Writes the mailbox in one FC16 request and reads the block until the answer is there.
    pub async fn enter_pin(&mut self, pin: &str) -> InputBlock {
        self.seq += 1;
        let words = mailbox_words(self.seq, 1, pin.as_bytes()).unwrap();
        self.ctx.write_multiple_registers(HR_REQ_SEQ, &words).await.unwrap().unwrap();
        let deadline = tokio::time::Instant::now() + WAIT;
        loop {
            let block = self.block().await;
            if block.req_seq_echo == self.seq && block.result() != Some(RequestResult::Pending) {
                return block;
            }
            assert!(tokio::time::Instant::now() < deadline, "no answer to request {}", self.seq);
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
}

/// One door with a controller (unit 11), a bridge-timed lock on a generic relay board and a
/// contact, on one Modbus TCP hub; with `metrics`, the bridge serves its metrics on that port.
pub fn one_door_site(listen: u16, hub_port: u16, pulse_ms: u32, metrics: Option<u16>) -> String {
    let metrics = metrics.map(|port| format!("metrics_listen = \"127.0.0.1:{port}\"\n")).unwrap_or_default();
    format!(
        r#"
[bridge]
hub_id = "e2e"
modbus_listen = "127.0.0.1:{listen}"
{metrics}state_dir = "state"
pin_key_file = "pin.key"
clock = "assume_synced"

[[hub]]
name = "field"
type = "tcp"
host = "127.0.0.1"
port = {hub_port}
timeout_ms = 300

[[device]]
name = "relays"
hub = "field"
device_address = 1
profile = "generic_relay"

[[device]]
name = "inputs"
hub = "field"
device_address = 2
profile = "generic"

[[door]]
id = "entrance"
controller = {{ unit_id = {UNIT}, allowed_peers = ["127.0.0.1"] }}
lock = {{ device = "relays", channel = 1, pulse_ms = {pulse_ms}, mode = "bridge_timed" }}
contact = {{ device = "inputs", input_type = "discrete_input", address = 0, closed_when = true }}
"#
    )
}
