//! The in-process bridge's configuration for one hub, written as the TOML a real bridge reads,
//! so the hardware crate checks it like any other: one door controller per door under its unit
//! id, the lock relays on one simulated relay board (door n on channel n, in unit-id order), the
//! door contacts and one presence sensor per space on one simulated input module.

use std::net::SocketAddr;
use std::path::Path;

use regiohub_hardware::config::{BridgeConfig, ConfigError};

use crate::demo::door_bridge::DemoHubLayout;

/// The simulated relay board with every door's lock.
const RELAY_BOARD: &str = "locks";
/// The simulated input module with the door contacts and presence sensors.
const INPUTS: &str = "inputs";
/// The discrete input of the first space's presence sensor; door contacts count from 0.
const FIRST_PRESENCE_INPUT: usize = 100;
/// How long a granted PIN energises the lock.
const PULSE_MS: u32 = 3000;
/// The state directory and key file, relative to the configuration's folder.
pub(super) const STATE_DIR: &str = "state";
pub(super) const PIN_KEY_FILE: &str = "pin_key.hex";

/// The configuration for `layout`'s bridge; `file` only names it (relative paths count from
/// its folder). The simulator moves the field hub to the ports it really serves.
///
/// # Errors
/// The hardware crate's one-line check failure (e.g. more doors than a relay board has).
pub(super) fn bridge_config(
    file: &Path,
    layout: &DemoHubLayout,
    modbus_listen: SocketAddr,
    central_url: &str,
) -> Result<BridgeConfig, ConfigError> {
    BridgeConfig::parse(file, &bridge_toml(layout, modbus_listen, central_url))
}

/// The relay channel (1-based) of the door at `index` in the layout.
fn lock_channel(index: usize) -> u16 {
    u16::try_from(index + 1).unwrap_or(u16::MAX)
}

fn bridge_toml(layout: &DemoHubLayout, modbus_listen: SocketAddr, central_url: &str) -> String {
    let mut toml = format!(
        "[bridge]\nhub_id = {hub}\nmodbus_listen = \"{modbus_listen}\"\nstate_dir = \"{STATE_DIR}\"\n\
         pin_key_file = \"{PIN_KEY_FILE}\"\nclock = \"assume_synced\"\ncentral_url = {central}\n\
         max_connections_per_peer = 64\n\n\
         [[hub]]\nname = \"simulator\"\ntype = \"tcp\"\nhost = \"127.0.0.1\"\nport = 502\ntimeout_ms = 500\n\n\
         [[device]]\nname = \"{RELAY_BOARD}\"\nhub = \"simulator\"\ndevice_address = 1\nprofile = \"generic_relay\"\n\
         channels = {channels}\n\n\
         [[device]]\nname = \"{INPUTS}\"\nhub = \"simulator\"\ndevice_address = 2\nprofile = \"generic\"\npoints = [\n",
        hub = quoted(layout.hub_id.as_str()),
        central = quoted(central_url),
        channels = layout.doors.len().max(8),
    );
    for index in 0..layout.spaces.len() {
        toml.push_str(&format!(
            "  {{ name = \"presence_{index}\", input_type = \"discrete_input\", address = {} }},\n",
            FIRST_PRESENCE_INPUT + index
        ));
    }
    toml.push_str("]\n");
    // On loopback the demo's own keypads are the only controllers; on another address a real
    // PLC on the LAN may try the demo, so every peer is let in, explicitly.
    let peers = if modbus_listen.ip().is_loopback() {
        format!("allowed_peers = [\"{}\"]", modbus_listen.ip())
    } else {
        "allow_any_peer = true".to_owned()
    };
    for (index, door) in layout.doors.iter().enumerate() {
        toml.push_str(&format!(
            "\n[[door]]\nid = {id}\ncontroller = {{ unit_id = {unit}, {peers} }}\n\
             lock = {{ device = \"{RELAY_BOARD}\", channel = {channel}, pulse_ms = {PULSE_MS}, mode = \"bridge_timed\" }}\n\
             contact = {{ device = \"{INPUTS}\", input_type = \"discrete_input\", address = {index}, closed_when = true }}\n",
            id = quoted(door.id.as_str()),
            unit = door.unit_id,
            channel = lock_channel(index),
        ));
    }
    for (index, space) in layout.spaces.iter().enumerate() {
        toml.push_str(&format!(
            "\n[[presence]]\nspace = {space}\ndevice = \"{INPUTS}\"\npoint = \"presence_{index}\"\n",
            space = quoted(space.id.as_str())
        ));
    }
    toml
}

/// A TOML basic string: JSON's string escapes are a subset of TOML's (serde_json never writes
/// `\/`), so ids and URLs cannot break out of the quotes.
fn quoted(text: &str) -> String {
    serde_json::to_string(text).unwrap_or_else(|_| "\"\"".to_owned())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use crate::demo::door_bridge::{DemoDoor, DemoSpace};
    use crate::domain::ids::{DoorId, HubId, SpaceId};

    #[test]
    fn every_door_gets_its_unit_a_lock_and_a_contact_and_every_space_a_sensor() {
        let layout = DemoHubLayout {
            hub_id: HubId::new("hub-1"),
            slug: "polch".into(),
            name: "Polch".into(),
            time_zone: crate::domain::local_time::DEFAULT_TIME_ZONE,
            doors: vec![
                DemoDoor { id: DoorId::new("entrance"), name: "Eingang".into(), unit_id: 1, entrance: true },
                DemoDoor { id: DoorId::new("room"), name: "Raum".into(), unit_id: 7, entrance: false },
            ],
            spaces: vec![DemoSpace { id: SpaceId::new("desk-1"), name: "Desk".into() }],
        };
        let listen: SocketAddr = "127.0.0.1:1502".parse().unwrap();
        let config = bridge_config(Path::new("/demo/bridge.toml"), &layout, listen, "http://127.0.0.1:8080").unwrap();
        assert_eq!(config.bridge.hub_id, "hub-1");
        assert_eq!(config.bridge.modbus_listen, listen);
        assert_eq!(config.bridge.central_url.as_deref(), Some("http://127.0.0.1:8080"));
        assert_eq!(config.bridge.max_connections_per_peer, 64, "every demo keypad polls from loopback");
        assert_eq!(config.resolve(&config.bridge.state_dir), Path::new("/demo/state"));
        let units: Vec<(&str, u8, u16)> = config
            .doors
            .iter()
            .map(|d| (d.id.as_str(), d.controller.as_ref().unwrap().unit_id, d.lock.as_ref().unwrap().channel))
            .collect();
        assert_eq!(units, [("entrance", 1, 1), ("room", 7, 2)]);
        let loopback: Vec<std::net::IpAddr> = vec!["127.0.0.1".parse().unwrap()];
        assert!(config.doors.iter().all(|d| d.controller.as_ref().unwrap().allowed_peers == loopback));
        assert!(config.doors.iter().all(|d| d.contact.is_some()));
        assert_eq!(config.presence.len(), 1);
        assert_eq!(config.presence[0].space, "desk-1");

        // An id that is no bridge id stays one string and is refused by name, not as broken TOML.
        let mut odd = layout;
        odd.spaces[0].id = SpaceId::new("desk \"1\"\n");
        let error = bridge_config(Path::new("/demo/bridge.toml"), &odd, listen, "http://127.0.0.1:8080").unwrap_err();
        assert_eq!(error.key, "presence[0].space");
    }
}
