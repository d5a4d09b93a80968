//! The bridge's configuration file (`bridge.toml`): the checked runtime types every other
//! part of the bridge reads, and `load`/`parse` that build them. The TOML shapes live in
//! `raw`, the checks in `validate`, device register maps in `profile`. Nothing here does
//! I/O beyond reading the one file.

mod error;
mod profile;
mod raw;
mod validate;

use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::time::Duration;

pub use error::ConfigError;
pub use profile::{
    BuiltinPoint, MTDX62_PRESENCE, Profile, RYN_RELAY_BITMAP, RelayCommand, RelayReadback, RelayWrite,
    WB_MR6C_SAFETY_TIMEOUT, WB_MSW_CURRENT_MOTION, WB_MSW_MAX_MOTION, decode_ryn_command,
};

/// Longest unlock pulse any door may be configured with; a longer one is a configuration
/// error, so a typo cannot hold a door open.
pub const MAX_PULSE: Duration = Duration::from_secs(30);
/// Shortest pulse a strike reliably reacts to.
pub const MIN_PULSE: Duration = Duration::from_millis(100);
/// Default poll interval of door contacts and exit buttons.
pub const DEFAULT_DOOR_SCAN: Duration = Duration::from_millis(250);
/// Default poll interval of presence sensors and generic points.
pub const DEFAULT_PRESENCE_SCAN: Duration = Duration::from_millis(1000);

/// The whole, checked configuration of one bridge.
#[derive(Debug, Clone, PartialEq)]
pub struct BridgeConfig {
    /// The file it came from, for messages.
    pub source: PathBuf,
    pub bridge: BridgeSettings,
    pub hubs: Vec<Hub>,
    pub devices: Vec<Device>,
    pub doors: Vec<Door>,
    pub presence: Vec<PresenceSensor>,
    /// Credentials for service staff (`[[maintenance]]`).
    pub maintenance: Vec<Maintenance>,
}

/// The `[bridge]` table: identity, the door-controller server and the link to the central
/// service.
#[derive(Debug, Clone, PartialEq)]
pub struct BridgeSettings {
    pub hub_id: String,
    /// Where door controllers reach the bridge's Modbus TCP server.
    pub modbus_listen: SocketAddr,
    /// A controller whose heartbeat does not move for this long raises "controller silent".
    pub controller_silent_after: Duration,
    pub state_dir: PathBuf,
    /// The cached access snapshot; defaults to `state_dir/snapshot.json`.
    pub snapshot_path: PathBuf,
    /// How long cached bookings may be used without reaching the central service.
    pub offline_limit: Duration,
    /// The central service (`https://…`); without it `run` reads `snapshot_path` as a file.
    pub central_url: Option<String>,
    /// The file holding the bridge's bearer token for the central service.
    pub token_file: Option<PathBuf>,
    pub pin_key_file: Option<PathBuf>,
    /// Where the bridge learns whether its clock is right.
    pub clock: ClockSource,
    /// Open door-controller connections the server keeps at most; more are closed at once.
    pub max_connections: u32,
    /// Open connections one peer address may hold at most; more are closed at once.
    pub max_connections_per_peer: u32,
    /// A door-controller connection that sends nothing for this long is closed.
    pub idle_timeout: Duration,
    /// Where `GET /metrics` (Prometheus text format, no authentication) is served; `None`
    /// (the default) serves nothing. Loopback or a management network only.
    pub metrics_listen: Option<SocketAddr>,
}

/// How the bridge knows its clock is right (`bridge.clock`). Without a synced clock no booking
/// window can be checked, so every booking credential is denied.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClockSource {
    /// systemd-timesyncd: synced while [`SYSTEMD_SYNCED_FLAG`] exists (the default).
    Systemd,
    /// Trust the host clock (a demo, a test bench, or a host whose NTP is checked elsewhere).
    AssumeSynced,
}

/// The file systemd-timesyncd creates once the clock was synchronised since boot.
pub const SYSTEMD_SYNCED_FLAG: &str = "/run/systemd/timesync/synchronized";

/// A PIN for service staff that opens the listed doors only while the bridge cannot decide
/// from bookings (no snapshot, snapshot past the offline limit, clock not synced) or bookings
/// may not open them (the hub in lockdown, the door disabled). Every use
/// is recorded as a `maintenance_granted` event with the credential's name.
#[derive(Clone, PartialEq, Eq)]
pub struct Maintenance {
    pub name: String,
    /// `pin_verifier(hub key, PIN)` in lower-case hex, as `regiohub-bridge pin-verifier` prints it.
    pub pin_verifier: String,
    pub doors: Vec<String>,
}

impl std::fmt::Debug for Maintenance {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Maintenance")
            .field("name", &self.name)
            .field("pin_verifier", &"<redacted>")
            .field("doors", &self.doors)
            .finish()
    }
}

/// One Modbus connection (`[[hub]]`); the bridge runs one task per hub.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hub {
    pub name: String,
    pub transport: Transport,
    /// Bound on every call and every connect.
    pub timeout: Duration,
    /// Quiet gap between two requests on this connection.
    pub message_wait: Duration,
}

/// How a hub is reached (Home Assistant's `type`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Transport {
    /// Modbus TCP (`type = "tcp"`), e.g. a Modbus TCP gateway or an Ethernet relay board.
    Tcp { host: String, port: u16 },
    /// Raw RTU frames through a transparent gateway (`type = "rtuovertcp"`).
    RtuOverTcp { host: String, port: u16 },
    /// RS-485 on a local serial port (`type = "serial"`).
    Serial(SerialSettings),
}

/// Serial line settings for RTU.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SerialSettings {
    pub port: String,
    pub baudrate: u32,
    pub parity: Parity,
    pub stopbits: u8,
    pub bytesize: u8,
}

/// Serial parity (`"N"`, `"E"`, `"O"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Parity {
    None,
    Even,
    Odd,
}

/// One field device on a hub (`[[device]]`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Device {
    pub name: String,
    /// Index into [`BridgeConfig::hubs`].
    pub hub: usize,
    /// The Modbus unit id (1–247). Required: there is no default.
    pub device_address: u8,
    pub profile: Profile,
    /// Points named by the user (for `generic`, and extra points on any profile).
    pub points: Vec<Point>,
}

/// A named readable point of a device.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Point {
    pub name: String,
    pub input_type: InputType,
    /// 0-based PDU address.
    pub address: u16,
    pub scan_interval: Duration,
}

/// Modbus data table (Home Assistant's `input_type`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum InputType {
    Coil,
    DiscreteInput,
    Holding,
    Input,
}

impl InputType {
    /// The configuration spelling.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Self::Coil => "coil",
            Self::DiscreteInput => "discrete_input",
            Self::Holding => "holding",
            Self::Input => "input",
        }
    }
}

/// A door (`[[door]]`), driven by a polling controller, by a bridge relay, or both.
#[derive(Debug, Clone, PartialEq)]
pub struct Door {
    pub id: String,
    pub controller: Option<Controller>,
    pub lock: Option<Lock>,
    pub contact: Option<BinaryInput>,
    pub exit_button: Option<BinaryInput>,
    /// Open this long after a grant raises the held-open alarm.
    pub held_open: Duration,
    pub pin_lockout: PinLockout,
}

/// The door controller that polls the bridge for this door.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Controller {
    /// Modbus unit id of this door on the bridge's server (1–247, unique).
    pub unit_id: u8,
    /// Peers allowed to talk to this unit; empty only with `allow_any_peer = true`, which
    /// lets every peer in (an isolated controller VLAN or loopback).
    pub allowed_peers: Vec<IpAddr>,
    pub mode: ControllerProtocol,
}

/// How a door controller works with the bridge (`controller.mode`); decides how the bridge
/// watches it for silence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ControllerProtocol {
    /// The full mailbox handshake with a heartbeat in holding register 100 (default).
    Handshake,
    /// Discrete inputs only, for controllers that cannot do the handshake.
    Simple,
}

/// The bridge's own lock relay for a door.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lock {
    /// Index into [`BridgeConfig::devices`].
    pub device: usize,
    /// 1-based relay channel as printed on the board.
    pub channel: u16,
    /// The pulse length and the hard maximum for this door.
    pub pulse: Duration,
    pub mode: PulseMode,
}

/// Who ends an unlock pulse.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PulseMode {
    /// The relay module switches off by itself (a bridge crash cannot leave it on).
    DeviceTimed,
    /// The bridge switches on and later off.
    BridgeTimed,
}

/// A binary input: a door contact or an exit button.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BinaryInput {
    /// Index into [`BridgeConfig::devices`].
    pub device: usize,
    pub input_type: InputType,
    pub address: u16,
    /// The reading (bit, or register != 0) that means closed / pressed.
    pub active_when: bool,
    pub scan_interval: Duration,
}

/// PIN brute-force lockout for one door.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PinLockout {
    pub attempts: u32,
    pub lock: Duration,
    pub escalated_lock: Duration,
}

/// A presence sensor feeding one space (`[[presence]]`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PresenceSensor {
    pub space: String,
    /// Index into [`BridgeConfig::devices`].
    pub device: usize,
    pub input_type: InputType,
    pub address: u16,
    /// Register values above this mean present; bits mean present when set.
    pub threshold: u16,
    pub scan_interval: Duration,
}

impl BridgeConfig {
    /// Reads and checks a configuration file; the error is one line naming file and key.
    ///
    /// # Errors
    /// The file cannot be read, is not valid TOML, or fails a check.
    pub fn load(path: &Path) -> Result<Self, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|e| ConfigError::unreadable(path, &e))?;
        Self::parse(path, &text)
    }

    /// Checks configuration text; `source` is only used in messages and `source`.
    ///
    /// # Errors
    /// The text is not valid TOML or fails a check.
    pub fn parse(source: &Path, text: &str) -> Result<Self, ConfigError> {
        validate::parse(source, text)
    }

    /// A path from the `[bridge]` table as the bridge opens it: a relative path counts from
    /// the directory of the configuration file, so the bridge finds its files whatever
    /// directory it was started in.
    #[must_use]
    pub fn resolve(&self, path: &Path) -> PathBuf {
        match self.source.parent() {
            Some(dir) if path.is_relative() => dir.join(path),
            _ => path.to_path_buf(),
        }
    }

    /// The device with this name.
    #[must_use]
    pub fn device(&self, name: &str) -> Option<&Device> {
        self.devices.iter().find(|d| d.name == name)
    }

    /// The door with this id.
    #[must_use]
    pub fn door(&self, id: &str) -> Option<&Door> {
        self.doors.iter().find(|d| d.id == id)
    }
}
