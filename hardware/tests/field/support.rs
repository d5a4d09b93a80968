//! Shared test helpers: a configuration from text, a simulator plus a running field client
//! wired to it, and bounded waits.

use std::path::Path;
use std::time::Duration;

use regiohub_hardware::config::BridgeConfig;
use regiohub_hardware::field::{self, FieldHandle, FieldTasks};
use regiohub_hardware::sim::{SimBind, SimHandle, Simulator};

/// Generous bound for anything that should happen "within seconds".
pub const WAIT: Duration = Duration::from_secs(20);

pub fn parse(text: &str) -> BridgeConfig {
    BridgeConfig::parse(Path::new("bridge.toml"), text).unwrap()
}

pub struct Rig {
    pub sim: Simulator,
    pub devices: SimHandle,
    pub field: FieldHandle,
    pub tasks: FieldTasks,
}

/// Starts the simulator on ephemeral loopback ports and a field client against it.
pub async fn rig(text: &str, before_client: impl FnOnce(&SimHandle)) -> Rig {
    let config = parse(text);
    let sim = Simulator::start(&config, SimBind::Ephemeral, Duration::from_millis(800)).await.unwrap();
    let devices = sim.handle();
    before_client(&devices);
    let (field, tasks) = field::start(sim.bridge_config());
    Rig { sim, devices, field, tasks }
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

/// A small site: a WB-MR6C (bridge-timed lock, contact on its input 0) on an RTU-over-TCP
/// hub, an RYN404E (device-timed lock) and generic inputs on a Modbus TCP hub, and both
/// presence sensor types.
pub const SITE: &str = r#"
[bridge]
hub_id = "test"
state_dir = "state"

[[hub]]
name = "tcp_hub"
type = "tcp"
host = "127.0.0.1"
port = 1
timeout_ms = 300

[[hub]]
name = "rtu_hub"
type = "rtuovertcp"
host = "127.0.0.1"
port = 2
timeout_ms = 300

[[device]]
name = "ryn"
hub = "tcp_hub"
device_address = 1
profile = "eletechsup_ryn404e"

[[device]]
name = "inputs"
hub = "tcp_hub"
device_address = 2
profile = "generic"

[[device]]
name = "msw"
hub = "tcp_hub"
device_address = 5
profile = "wb_msw_v3"

[[device]]
name = "mr6c"
hub = "rtu_hub"
device_address = 3
profile = "wb_mr6c"
safety_timeout_s = 10

[[device]]
name = "radar"
hub = "rtu_hub"
device_address = 4
profile = "mtdx62_mb"

[[door]]
id = "entrance"
lock = { device = "ryn", channel = 2, pulse_ms = 1000, mode = "device_timed" }
contact = { device = "inputs", input_type = "discrete_input", address = 0, closed_when = true }
exit_button = { device = "inputs", input_type = "discrete_input", address = "0x01" }

[[door]]
id = "room"
lock = { device = "mr6c", channel = 1, pulse_ms = 1500, mode = "bridge_timed" }
contact = { device = "mr6c", input_type = "discrete_input", address = 0, closed_when = false }

[[door]]
id = "back"
controller = { unit_id = 9, allowed_peers = ["10.0.0.9"] }

[[presence]]
space = "room"
device = "radar"

[[presence]]
space = "lobby"
device = "msw"
"#;
