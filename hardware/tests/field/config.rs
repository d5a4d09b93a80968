//! Configuration: the shipped files load, and every kind of mistake is refused with one
//! line that names the file, the key and the problem.

use std::path::Path;
use std::time::Duration;

use regiohub_hardware::config::{BridgeConfig, InputType, Profile, PulseMode, Transport};

use super::support::{SITE, parse};

fn manifest_file(name: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(name)
}

#[test]
fn the_commented_example_loads_with_its_documented_meaning() {
    let config = BridgeConfig::load(&manifest_file("bridge.example.toml")).unwrap();
    assert_eq!(config.bridge.hub_id, "polch");
    assert_eq!(config.bridge.controller_silent_after, Duration::from_secs(10));
    assert_eq!(config.hubs.len(), 3);
    assert!(matches!(config.hubs[2].transport, Transport::Serial(_)));
    assert_eq!(config.hubs[2].message_wait, Duration::from_millis(30));

    let entrance = config.door("entrance").unwrap();
    let lock = entrance.lock.as_ref().unwrap();
    assert_eq!(lock.mode, PulseMode::DeviceTimed);
    assert_eq!(config.devices[lock.device].name, "relays_entrance");
    assert_eq!(entrance.controller.as_ref().unwrap().unit_id, 11);
    assert_eq!(entrance.pin_lockout.escalated_lock, Duration::from_secs(4 * 3600));
    assert_eq!(config.bridge.max_connections_per_peer, 8);
    let back_door = config.door("back_door").unwrap().controller.as_ref().unwrap();
    assert!(back_door.allowed_peers.is_empty(), "allow_any_peer = true");

    let inputs = config.device("door_inputs").unwrap();
    assert_eq!(inputs.points[0].address, 0x10, "hex string address");
    assert_eq!(inputs.points[0].input_type, InputType::DiscreteInput);

    let room = config.presence.iter().find(|p| p.space == "room_a").unwrap();
    assert_eq!(room.address, 283, "WB-MSW current motion register");
    assert_eq!(room.threshold, 50);
    assert!(config.door("back_door").unwrap().lock.is_none());
}

#[test]
fn the_demo_config_loads_and_points_only_at_loopback() {
    let config = BridgeConfig::load(&manifest_file("bridge.demo.toml")).unwrap();
    assert!(!config.doors.is_empty());
    for hub in &config.hubs {
        match &hub.transport {
            Transport::Tcp { host, .. } | Transport::RtuOverTcp { host, .. } => {
                assert_eq!(host, "127.0.0.1", "hub {}", hub.name);
            }
            Transport::Serial(_) => panic!("demo must not need a serial port"),
        }
    }
}

#[test]
fn defaults_follow_the_brief() {
    let config = parse(SITE);
    assert_eq!(config.bridge.modbus_listen.to_string(), "127.0.0.1:1502");
    assert_eq!(config.bridge.offline_limit, Duration::from_secs(48 * 3600));
    assert_eq!(config.bridge.snapshot_path, Path::new("state/snapshot.json"));
    let entrance = config.door("entrance").unwrap();
    assert_eq!(entrance.held_open, Duration::from_secs(30));
    assert_eq!(entrance.pin_lockout.attempts, 5);
    assert_eq!(entrance.pin_lockout.lock, Duration::from_secs(60));
    assert_eq!(entrance.pin_lockout.escalated_lock, Duration::from_secs(4 * 3600));
    assert_eq!(config.bridge.max_connections, 64);
    assert_eq!(config.bridge.max_connections_per_peer, 8);
    assert_eq!(config.bridge.idle_timeout, Duration::from_secs(60));
    let back = config.door("back").unwrap().controller.as_ref().unwrap();
    assert_eq!(back.allowed_peers, vec!["10.0.0.9".parse::<std::net::IpAddr>().unwrap()]);
    let contact = entrance.contact.as_ref().unwrap();
    assert_eq!(contact.scan_interval, Duration::from_millis(250));
    let exit = entrance.exit_button.as_ref().unwrap();
    assert_eq!(exit.address, 1);
    assert!(exit.active_when, "pressed_when defaults to true");
    assert_eq!(config.presence[0].scan_interval, Duration::from_millis(1000));
    assert_eq!(config.device("ryn").unwrap().profile, Profile::EletechsupRyn404e);
}

/// Parses `text` and returns the error line, failing if it was accepted.
fn refusal(text: &str) -> String {
    match BridgeConfig::parse(Path::new("bridge.toml"), text) {
        Ok(_) => panic!("configuration was accepted:\n{text}"),
        Err(e) => e.to_string(),
    }
}

fn replaced(from: &str, to: &str) -> String {
    assert!(SITE.contains(from), "test setup: {from:?} not in SITE");
    SITE.replacen(from, to, 1)
}

#[test]
fn each_mistake_is_one_line_naming_file_key_and_problem() {
    let cases: Vec<(String, &str, &str)> = vec![
        (
            replaced(r#"lock = { device = "mr6c""#, r#"lock = { device = "relay9""#),
            "door[1].lock.device",
            r#"no device named "relay9""#,
        ),
        (replaced("device_address = 4\n", ""), "device[4].device_address", "required"),
        (
            replaced("device_address = 5", "device_address = 1"),
            "device[2].device_address",
            "already used by device \"ryn\"",
        ),
        (replaced("device_address = 5", "device_address = 248"), "device[2].device_address", "248 is not a unit id"),
        (replaced("unit_id = 9", "unit_id = 0"), "door[2].controller.unit_id", "0 is not 1–247"),
        (
            format!("{SITE}\n[[door]]\nid = \"side\"\ncontroller = {{ unit_id = 9, allow_any_peer = true }}\n"),
            "door[3].controller.unit_id",
            "already the unit id of door \"back\"",
        ),
        (
            replaced(r#"lock = { device = "mr6c""#, r#"lock = { device = "radar""#),
            "door[1].lock.device",
            "has no relay outputs",
        ),
        (replaced("channel = 2,", "channel = 5,"), "door[0].lock.channel", "relay channels 1–4, not 5"),
        (replaced("pulse_ms = 1000", "pulse_ms = 600000"), "door[0].lock.pulse_ms", "outside 100–30000 ms"),
        (
            replaced(r#"pulse_ms = 1500, mode = "bridge_timed""#, r#"pulse_ms = 1500, mode = "device_timed""#),
            "door[1].lock.mode",
            "cannot time a pulse itself",
        ),
        (
            replaced(r#"address = "0x01""#, r#"address = "0xZZ""#),
            "door[0].exit_button.address",
            r#""0xZZ" is not an address"#,
        ),
        (
            replaced("address = 0, closed_when = true", "address = 70000, closed_when = true"),
            "door[0].contact.address",
            "outside 0–65535",
        ),
        (replaced(", closed_when = false", ""), "door[1].contact.closed_when", "required"),
        (
            replaced(
                r#"input_type = "discrete_input", address = 0, closed_when = true"#,
                r#"input_type = "register", address = 0, closed_when = true"#,
            ),
            "door[0].contact.input_type",
            r#""register" is not coil, discrete_input, holding or input"#,
        ),
        (replaced(r#"type = "rtuovertcp""#, r#"type = "udp""#), "hub[1].type", "not a hub type"),
        (
            format!("{SITE}\n[[hub]]\nname = \"usb\"\ntype = \"serial\"\nbaudrate = 9600\n"),
            "hub[2].port",
            "required for a serial hub",
        ),
        (replaced(r#"hub = "rtu_hub""#, r#"hub = "nowhere""#), "device[3].hub", r#"no hub named "nowhere""#),
        (replaced(r#"profile = "wb_msw_v3""#, r#"profile = "wb_msw_v9""#), "device[2].profile", "is not a profile"),
        (
            replaced(
                r#"space = "lobby"
device = "msw""#,
                r#"space = "lobby"
device = "inputs""#,
            ),
            "presence[1].point",
            "no default presence point",
        ),
        (replaced("pulse_ms = 1000", r#"pulse_ms = "long""#), "door[0].lock.pulse_ms", "invalid type"),
        (replaced("id = \"back\"", "id = \"back\"\nheld_opn_s = 3"), "door[2]", "unknown field `held_opn_s`"),
        (replaced("state_dir = \"state\"\n", ""), "bridge.state_dir", "required"),
        (
            replaced(r#"allowed_peers = ["10.0.0.9"]"#, "allowed_peers = []"),
            "door[2].controller.allowed_peers",
            "set allow_any_peer = true to let every peer in",
        ),
        (
            replaced(r#"allowed_peers = ["10.0.0.9"]"#, ""),
            "door[2].controller.allowed_peers",
            "required: the controller's IP address(es)",
        ),
        (
            replaced(r#"allowed_peers = ["10.0.0.9"]"#, r#"allowed_peers = ["10.0.0.9"], allow_any_peer = true"#),
            "door[2].controller.allow_any_peer",
            "contradicts allowed_peers",
        ),
        (
            replaced("[bridge]\n", "[bridge]\nmax_connections = 8\nmax_connections_per_peer = 9\n"),
            "bridge.max_connections_per_peer",
            "must be 1–8",
        ),
        (replaced("[bridge]\n", "[bridge]\nmax_connections = 0\n"), "bridge.max_connections", "must be 1–1024"),
        (replaced("[bridge]\n", "[bridge]\nidle_timeout_s = 1\n"), "bridge.idle_timeout_s", "must be 5–3600"),
    ];
    for (text, key, problem) in cases {
        let line = refusal(&text);
        assert!(!line.contains('\n'), "not one line: {line}");
        let prefix = format!("bridge.toml: {key}");
        assert!(line.starts_with(&prefix), "expected key {key}: {line}");
        assert!(line.contains(problem), "expected {problem:?}: {line}");
    }
}

#[test]
fn the_brief_example_message_is_exact() {
    let text = replaced(r#"lock = { device = "mr6c""#, r#"lock = { device = "relay9""#);
    assert_eq!(refusal(&text), r#"bridge.toml: door[1].lock.device: no device named "relay9""#);
}

#[test]
fn toml_syntax_errors_are_one_line_with_the_line_number() {
    let text = SITE.replace("[[door]]\nid = \"back\"", "[[door]]\nid = \"back");
    let line = refusal(&text);
    assert!(line.starts_with("bridge.toml: line "), "{line}");
    assert!(!line.contains('\n'), "{line}");
}

#[test]
fn an_unreadable_file_names_the_file() {
    let missing = Path::new("/nonexistent/regiohub/bridge.toml");
    let line = BridgeConfig::load(missing).unwrap_err().to_string();
    assert!(line.starts_with("/nonexistent/regiohub/bridge.toml: "), "{line}");
    assert!(!line.contains('\n'));
}
