//! Turns the checked configuration into the door server's runtime values: the hub-wide
//! settings (with the PIN key read from its file) and one `DoorRuntimeConfig` per door.
//! Nothing here starts tasks; start-up problems come back as one-line `ConfigError`s.

use std::path::Path;
use std::time::Duration;

use crate::bridge::{
    BridgeSettings as ServerSettings, ControllerMode, DoorRuntimeConfig, DoorStateSource, LockoutPolicy,
    MaintenanceCredential, PeerAllowList,
};
use crate::config::{BridgeConfig, ConfigError, ControllerProtocol, Door};
use crate::protocol::DoorId;
use crate::uplink::BridgeToken;

/// The pulse a controller is told to give when the door has no bridge relay whose pulse the
/// configuration names; the README documents it as the default.
pub(super) const DEFAULT_CONTROLLER_PULSE: Duration = Duration::from_secs(5);

/// A shorter key would make PIN verifiers guessable offline.
const MIN_KEY_BYTES: usize = 16;

/// The door server's hub-wide settings from `[bridge]` and the PIN key.
pub(super) fn server_settings(config: &BridgeConfig, hub_key: Vec<u8>) -> ServerSettings {
    ServerSettings {
        hub_key,
        max_snapshot_age: config.bridge.offline_limit,
        controller_silent_after: config.bridge.controller_silent_after,
        idle_timeout: config.bridge.idle_timeout,
        max_connections: config.bridge.max_connections,
        max_connections_per_peer: config.bridge.max_connections_per_peer,
        maintenance: config
            .maintenance
            .iter()
            .map(|entry| MaintenanceCredential {
                name: entry.name.clone(),
                verifier: entry.pin_verifier.clone(),
                doors: entry.doors.iter().map(|door| DoorId::new(door.clone())).collect(),
            })
            .collect(),
        ..ServerSettings::default()
    }
}

/// One runtime entry per configured door, in file order.
pub(super) fn door_runtimes(config: &BridgeConfig) -> Vec<DoorRuntimeConfig> {
    config.doors.iter().map(door_runtime).collect()
}

fn door_runtime(door: &Door) -> DoorRuntimeConfig {
    let (unit_id, allowed_peers, controller) = match &door.controller {
        Some(controller) => {
            // Validation lets the list be empty only with `allow_any_peer = true`.
            let peers = if controller.allowed_peers.is_empty() {
                PeerAllowList::Any
            } else {
                PeerAllowList::Only(controller.allowed_peers.iter().map(|ip| ip.to_canonical()).collect())
            };
            let mode = match controller.mode {
                ControllerProtocol::Handshake => ControllerMode::Handshake,
                ControllerProtocol::Simple => ControllerMode::Simple,
            };
            (controller.unit_id, peers, mode)
        }
        // No unit id on the wire: the server never routes a request to this door.
        None => (0, PeerAllowList::Only(Vec::new()), ControllerMode::NoController),
    };
    // The bridge's own contact wins: it is read directly, a controller's bits are hearsay.
    let door_state_source = if door.contact.is_some() {
        DoorStateSource::Field
    } else if controller == ControllerMode::Handshake {
        DoorStateSource::Controller
    } else {
        DoorStateSource::None
    };
    DoorRuntimeConfig {
        id: DoorId::new(door.id.clone()),
        unit_id,
        pulse: door.lock.as_ref().map_or(DEFAULT_CONTROLLER_PULSE, |lock| lock.pulse),
        allowed_peers,
        controller,
        door_state_source,
        held_open_after: Some(door.held_open),
        lockout: Some(LockoutPolicy {
            threshold: door.pin_lockout.attempts,
            first: door.pin_lockout.lock,
            max: door.pin_lockout.escalated_lock,
            ..LockoutPolicy::default()
        }),
    }
}

/// Reads the hub's PIN key (hex, surrounding whitespace ignored) from `bridge.pin_key_file`.
pub(super) fn read_pin_key(config: &BridgeConfig) -> Result<Vec<u8>, ConfigError> {
    let problem = |text: String| ConfigError {
        file: config.source.display().to_string(),
        key: "bridge.pin_key_file".to_owned(),
        problem: text,
    };
    let Some(path) = &config.bridge.pin_key_file else {
        return Err(problem("required: the file with this hub's PIN key (hex), so typed PINs can be checked".into()));
    };
    let path = config.resolve(path);
    let text =
        std::fs::read_to_string(&path).map_err(|error| problem(format!("cannot read {}: {error}", shown(&path))))?;
    let key = hex::decode(text.trim()).map_err(|_| problem(format!("{} does not hold a hex key", shown(&path))))?;
    if key.len() < MIN_KEY_BYTES {
        return Err(problem(format!("the key in {} is shorter than {MIN_KEY_BYTES} bytes", shown(&path))));
    }
    Ok(key)
}

/// Reads the bridge's bearer token from `bridge.token_file` (required with `central_url`).
pub(super) fn read_token(config: &BridgeConfig) -> Result<BridgeToken, ConfigError> {
    let problem = |text: String| ConfigError {
        file: config.source.display().to_string(),
        key: "bridge.token_file".to_owned(),
        problem: text,
    };
    let Some(path) = &config.bridge.token_file else {
        return Err(problem("required with bridge.central_url: the file holding this bridge's API token".into()));
    };
    let path = config.resolve(path);
    let text =
        std::fs::read_to_string(&path).map_err(|error| problem(format!("cannot read {}: {error}", shown(&path))))?;
    BridgeToken::parse(&text).map_err(|error| problem(format!("{}: {error}", shown(&path))))
}

fn shown(path: &Path) -> String {
    path.display().to_string()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    const DOORS: &str = r#"
[bridge]
hub_id = "t"
state_dir = "state"

[[hub]]
name = "h"
type = "tcp"
host = "127.0.0.1"

[[device]]
name = "relays"
hub = "h"
device_address = 1
profile = "generic_relay"

[[device]]
name = "inputs"
hub = "h"
device_address = 2
profile = "generic"

[[door]]
id = "both"
controller = { unit_id = 3, allowed_peers = ["10.0.0.7"] }
lock = { device = "relays", channel = 1, pulse_ms = 2000 }
contact = { device = "inputs", input_type = "discrete_input", address = 0, closed_when = true }
held_open_s = 45
pin_lockout = { attempts = 3, lock_s = 30, escalated_lock_s = 600 }

[[door]]
id = "relay_only"
lock = { device = "relays", channel = 2 }

[[door]]
id = "simple"
controller = { unit_id = 4, mode = "simple", allow_any_peer = true }
"#;

    fn doors() -> Vec<DoorRuntimeConfig> {
        door_runtimes(&BridgeConfig::parse(Path::new("bridge.toml"), DOORS).unwrap())
    }

    #[test]
    fn a_door_with_contact_is_supervised_from_the_field_with_its_own_limits() {
        let door = &doors()[0];
        assert_eq!(door.unit_id, 3);
        assert_eq!(door.controller, ControllerMode::Handshake);
        assert_eq!(door.door_state_source, DoorStateSource::Field);
        assert_eq!(door.pulse, Duration::from_secs(2));
        assert_eq!(door.allowed_peers, PeerAllowList::Only(vec!["10.0.0.7".parse().unwrap()]));
        assert_eq!(door.held_open_after, Some(Duration::from_secs(45)));
        let lockout = door.lockout.unwrap();
        assert_eq!(
            (lockout.threshold, lockout.first, lockout.max),
            (3, Duration::from_secs(30), Duration::from_secs(600))
        );
    }

    #[test]
    fn a_relay_only_door_is_unreachable_over_modbus() {
        let door = &doors()[1];
        assert_eq!(door.controller, ControllerMode::NoController);
        assert_eq!(door.allowed_peers, PeerAllowList::Only(Vec::new()));
        assert_eq!(door.door_state_source, DoorStateSource::None);
    }

    #[test]
    fn a_simple_controller_without_lock_gets_the_default_pulse_and_no_door_state() {
        let door = &doors()[2];
        assert_eq!(door.controller, ControllerMode::Simple);
        assert_eq!(door.allowed_peers, PeerAllowList::Any);
        assert_eq!(door.pulse, DEFAULT_CONTROLLER_PULSE);
        assert_eq!(door.door_state_source, DoorStateSource::None);
    }

    #[test]
    fn the_pin_key_must_be_there_hex_and_long_enough() {
        let dir = tempfile::tempdir().unwrap();
        let source = dir.path().join("bridge.toml");
        let with_key = |line: &str| {
            let text = DOORS.replacen("state_dir = \"state\"", &format!("state_dir = \"state\"\n{line}"), 1);
            BridgeConfig::parse(&source, &text).unwrap()
        };
        let missing = read_pin_key(&with_key("")).unwrap_err();
        assert_eq!(missing.key, "bridge.pin_key_file");
        assert!(missing.problem.starts_with("required"));

        std::fs::write(dir.path().join("short.hex"), "00ff").unwrap();
        std::fs::write(dir.path().join("bad.hex"), "not hex at all").unwrap();
        std::fs::write(dir.path().join("good.hex"), format!("{}\n", "ab".repeat(32))).unwrap();
        assert!(read_pin_key(&with_key("pin_key_file = \"short.hex\"")).unwrap_err().problem.contains("shorter"));
        assert!(read_pin_key(&with_key("pin_key_file = \"bad.hex\"")).unwrap_err().problem.contains("hex"));
        assert!(read_pin_key(&with_key("pin_key_file = \"absent.hex\"")).unwrap_err().problem.contains("cannot read"));
        assert_eq!(read_pin_key(&with_key("pin_key_file = \"good.hex\"")).unwrap(), vec![0xab; 32]);
    }
}
