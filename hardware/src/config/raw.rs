//! The configuration file exactly as written: serde shapes of the TOML tables, with every
//! optional key still optional. Nothing here checks meaning or cross-references; that is
//! `validate`'s job, which turns these into the runtime types.

use serde::Deserialize;

/// The whole file. Unknown keys are refused everywhere so a typo cannot silently fall back
/// to a default.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawConfig {
    pub bridge: RawBridge,
    #[serde(default)]
    pub hub: Vec<RawHub>,
    #[serde(default)]
    pub device: Vec<RawDevice>,
    #[serde(default)]
    pub door: Vec<RawDoor>,
    #[serde(default)]
    pub presence: Vec<RawPresence>,
    #[serde(default)]
    pub maintenance: Vec<RawMaintenance>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawBridge {
    pub hub_id: Option<String>,
    pub modbus_listen: Option<String>,
    pub controller_silent_after_s: Option<u64>,
    pub state_dir: Option<String>,
    pub snapshot_path: Option<String>,
    pub offline_limit_h: Option<u64>,
    pub central_url: Option<String>,
    pub token_file: Option<String>,
    pub pin_key_file: Option<String>,
    pub clock: Option<String>,
    pub max_connections: Option<u32>,
    pub max_connections_per_peer: Option<u32>,
    pub idle_timeout_s: Option<u64>,
    pub metrics_listen: Option<String>,
}

/// A serial `port` is a device path, a network `port` a number; Home Assistant uses the same
/// key for both.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub(super) enum RawPort {
    Number(i64),
    Path(String),
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawHub {
    pub name: Option<String>,
    #[serde(rename = "type")]
    pub kind: Option<String>,
    pub host: Option<String>,
    pub port: Option<RawPort>,
    pub baudrate: Option<u32>,
    pub parity: Option<String>,
    pub stopbits: Option<u8>,
    pub bytesize: Option<u8>,
    pub timeout_ms: Option<u64>,
    pub message_wait_milliseconds: Option<u64>,
}

/// Addresses may be written as numbers or as strings such as `"0x10"`, as in device manuals.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub(super) enum RawAddress {
    Number(i64),
    Text(String),
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawPoint {
    pub name: Option<String>,
    pub input_type: Option<String>,
    pub address: Option<RawAddress>,
    pub scan_interval_ms: Option<u64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawDevice {
    pub name: Option<String>,
    pub hub: Option<String>,
    pub device_address: Option<i64>,
    pub profile: Option<String>,
    pub channels: Option<u16>,
    pub motion_threshold: Option<u16>,
    pub safety_timeout_s: Option<u16>,
    #[serde(default)]
    pub points: Vec<RawPoint>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawController {
    pub unit_id: Option<i64>,
    #[serde(default)]
    pub allowed_peers: Vec<String>,
    pub allow_any_peer: Option<bool>,
    pub mode: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawLock {
    pub device: Option<String>,
    pub channel: Option<i64>,
    pub pulse_ms: Option<u64>,
    pub mode: Option<String>,
}

/// A binary input of a door: its contact (`closed_when`) or its exit button (`pressed_when`).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawInput {
    pub device: Option<String>,
    pub input_type: Option<String>,
    pub address: Option<RawAddress>,
    pub closed_when: Option<bool>,
    pub pressed_when: Option<bool>,
    pub scan_interval_ms: Option<u64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawPinLockout {
    pub attempts: Option<u32>,
    pub lock_s: Option<u64>,
    pub escalated_lock_s: Option<u64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawDoor {
    pub id: Option<String>,
    pub controller: Option<RawController>,
    pub lock: Option<RawLock>,
    pub contact: Option<RawInput>,
    pub exit_button: Option<RawInput>,
    pub held_open_s: Option<u64>,
    pub pin_lockout: Option<RawPinLockout>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawPresence {
    pub space: Option<String>,
    pub device: Option<String>,
    pub point: Option<String>,
    pub scan_interval_ms: Option<u64>,
}

/// A credential for service staff that opens doors when bookings cannot decide or may not open
/// them (lockdown, disabled door).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawMaintenance {
    pub name: Option<String>,
    pub pin_verifier: Option<String>,
    #[serde(default)]
    pub doors: Vec<String>,
}
