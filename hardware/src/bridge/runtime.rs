//! The bridge's runtime configuration as plain Rust values: one entry per door and the
//! hub-wide timings. The TOML file is parsed elsewhere and turned into these; nothing here
//! reads files or knows serde.

use std::fmt;
use std::net::IpAddr;
use std::time::Duration;

use chrono::{DateTime, Utc};

use crate::keypad::{LockoutPolicy, MaintenanceCredential};
use crate::protocol::{BookingId, DoorId};

/// One door as the Modbus server sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DoorRuntimeConfig {
    pub id: DoorId,
    /// The Modbus unit id the door controller addresses (1–247), unique per bridge.
    pub unit_id: u8,
    /// How long the lock is energised for a grant at this door.
    pub pulse: Duration,
    /// Which peers may talk to this door's unit id.
    pub allowed_peers: PeerAllowList,
    /// How the controller of this door talks to the bridge; decides how it is watched.
    pub controller: ControllerMode,
    /// Where door contact and request-to-exit come from for supervision.
    pub door_state_source: DoorStateSource,
    /// This door's held-open limit when it differs from the hub's `held_open_after`.
    pub held_open_after: Option<Duration>,
    /// This door's PIN lockout when it differs from the hub's `lockout`.
    pub lockout: Option<LockoutPolicy>,
}

impl DoorRuntimeConfig {
    /// A door polled by a handshake controller from any peer, with the default 5 s pulse and
    /// door state from the controller; adjust the fields as needed.
    pub fn new(id: DoorId, unit_id: u8) -> Self {
        Self {
            id,
            unit_id,
            pulse: Duration::from_secs(5),
            allowed_peers: PeerAllowList::Any,
            controller: ControllerMode::Handshake,
            door_state_source: DoorStateSource::Controller,
            held_open_after: None,
            lockout: None,
        }
    }
}

/// Which TCP peers may address a door. Modbus/TCP has no authentication, so on a shared
/// network this is the only thing between a laptop and the mailbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PeerAllowList {
    /// Every peer; only for an isolated controller VLAN or loopback.
    Any,
    /// Exactly these peer addresses.
    Only(Vec<IpAddr>),
}

impl PeerAllowList {
    /// Whether `peer` may address the door.
    pub fn allows(&self, peer: IpAddr) -> bool {
        match self {
            Self::Any => true,
            Self::Only(peers) => peers.contains(&peer.to_canonical()),
        }
    }
}

/// How a door's controller works with the bridge.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ControllerMode {
    /// Full handshake with heartbeat in holding register 100; silent when it stops changing.
    Handshake,
    /// Simple mode (discrete inputs only); silent when it stops polling altogether.
    Simple,
    /// No controller polls for this door (the bridge's own relay drives it); never silent.
    /// Its unit id is ignored: no Modbus request reaches such a door, so a stranger cannot
    /// open a relay-only door through the mailbox.
    NoController,
}

/// Where supervision learns whether the door is closed and whether someone pressed exit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DoorStateSource {
    /// `door_state_bits` (holding register 101) written by the controller.
    Controller,
    /// The bridge's own field inputs, fed through `SharedBridgeState::feed_door_inputs`.
    Field,
    /// No contact: no held-open or forced-open supervision.
    None,
}

/// Hub-wide settings of the door server.
#[derive(Clone, PartialEq, Eq)]
pub struct BridgeSettings {
    /// The per-hub secret under which PIN verifiers are computed; never logged.
    pub hub_key: Vec<u8>,
    /// A snapshot older than this no longer grants anything.
    pub max_snapshot_age: Duration,
    /// How long after a grant the controller may still start the unlock.
    pub command_validity: Duration,
    /// How long after the validity plus pulse an acknowledgement still counts as executed.
    pub ack_grace: Duration,
    /// Heartbeat unchanged (or, in simple mode, no poll) this long: controller-silent alarm.
    pub controller_silent_after: Duration,
    /// A door open longer than this raises the held-open alarm.
    pub held_open_after: Duration,
    /// Opening within this time after a request-to-exit is not forced.
    pub request_to_exit_mask: Duration,
    pub lockout: LockoutPolicy,
    /// More credential requests than this per minute and door get exception 0x06.
    pub requests_per_minute: u32,
    /// A connection that sends nothing for this long is closed.
    pub idle_timeout: Duration,
    /// Open connections the server keeps at most; one more is closed at once.
    pub max_connections: u32,
    /// Open connections one peer address may hold at most; one more is closed at once.
    pub max_connections_per_peer: u32,
    /// How often timers (heartbeat, deadlines, watchdogs, alarms) are evaluated.
    pub tick: Duration,
    /// PINs for service staff, used only while bookings cannot decide or may not open the door
    /// (lockdown, door disabled).
    pub maintenance: Vec<MaintenanceCredential>,
}

impl Default for BridgeSettings {
    fn default() -> Self {
        Self {
            hub_key: Vec::new(),
            max_snapshot_age: Duration::from_secs(48 * 3600),
            command_validity: Duration::from_secs(5),
            ack_grace: Duration::from_secs(5),
            controller_silent_after: Duration::from_secs(10),
            held_open_after: Duration::from_secs(30),
            request_to_exit_mask: Duration::from_secs(10),
            lockout: LockoutPolicy::default(),
            requests_per_minute: 10,
            idle_timeout: Duration::from_secs(60),
            max_connections: 64,
            max_connections_per_peer: 8,
            tick: Duration::from_millis(100),
            maintenance: Vec::new(),
        }
    }
}

impl fmt::Debug for BridgeSettings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BridgeSettings")
            .field("hub_key", &"<redacted>")
            .field("max_snapshot_age", &self.max_snapshot_age)
            .field("command_validity", &self.command_validity)
            .field("ack_grace", &self.ack_grace)
            .field("controller_silent_after", &self.controller_silent_after)
            .field("held_open_after", &self.held_open_after)
            .field("request_to_exit_mask", &self.request_to_exit_mask)
            .field("lockout", &self.lockout)
            .field("requests_per_minute", &self.requests_per_minute)
            .field("idle_timeout", &self.idle_timeout)
            .field("max_connections", &self.max_connections)
            .field("max_connections_per_peer", &self.max_connections_per_peer)
            .field("tick", &self.tick)
            .field("maintenance", &self.maintenance)
            .finish()
    }
}

/// A grant for the bridge's own relay: the integrator forwards it to the field client,
/// which must not start the pulse after `deadline`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnlockOrder {
    pub door: DoorId,
    pub cmd_seq: u16,
    pub pulse: Duration,
    pub deadline: DateTime<Utc>,
    pub booking_id: Option<BookingId>,
}

/// Occupancy of the room behind a door, from the bridge's sensors.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Presence {
    Empty,
    Present,
    #[default]
    Unknown,
}

impl Presence {
    /// The value of register 12.
    pub fn register_value(self) -> u16 {
        match self {
            Self::Empty => 0,
            Self::Present => 1,
            Self::Unknown => 0xFFFF,
        }
    }
}

/// Door contact and request-to-exit as read from field inputs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DoorInputs {
    pub closed: bool,
    pub request_to_exit: bool,
}
