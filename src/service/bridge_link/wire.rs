//! The JSON the bridge and the central service exchange beyond the shared snapshot types: the
//! remote-unlock command and the event batch. Shaped exactly like the contract's
//! `regiohub_hardware::protocol` additions (`RemoteUnlock`, the extended `AccessEventKind`), so
//! the bridge's own types parse these bodies and these types parse the bridge's. Unknown event
//! kinds are kept in the access log as `other` instead of failing the whole batch.

use chrono::{DateTime, Utc};
use regiohub_hardware::protocol::{Alarm, BookingId, DenyReason, DoorId, SpaceId};
use serde::{Deserialize, Serialize};

/// A remote unlock for the bridge to carry out before `deadline`, never after.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RemoteUnlock {
    pub id: String,
    pub door_id: DoorId,
    pub booking_id: BookingId,
    pub deadline: DateTime<Utc>,
    pub pulse_ms: u32,
}

/// The body of `GET /commands`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct CommandBatch {
    pub commands: Vec<RemoteUnlock>,
}

/// The body of `POST /events`, in the order the events happened.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct EventBatch {
    pub events: Vec<BridgeEvent>,
}

/// The answer to `POST /events`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventReceipt {
    pub accepted: usize,
    pub duplicates: usize,
}

/// One event as the bridge reports it (`regiohub_hardware::protocol::AccessEvent`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BridgeEvent {
    /// The bridge's event id; the same id twice is the same event.
    pub id: String,
    pub at: DateTime<Utc>,
    pub door: DoorId,
    pub kind: EventKind,
    #[serde(default)]
    pub booking_id: Option<BookingId>,
    #[serde(default)]
    pub offline: bool,
}

/// What happened. The names and fields follow `protocol::AccessEventKind`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "type")]
pub enum EventKind {
    Granted {
        #[serde(default)]
        cmd_seq: u16,
    },
    Denied {
        reason: DenyReason,
    },
    Executed {
        #[serde(default)]
        cmd_seq: u16,
    },
    NotExecuted {
        #[serde(default)]
        cmd_seq: u16,
    },
    HeldOpen {},
    ForcedOpen {},
    ControllerSilent {},
    ControllerBack {},
    FieldIoFault {},
    LockedOut {
        #[serde(default)]
        seconds: u32,
    },
    AlarmCleared {
        alarm: Alarm,
    },
    Presence {
        space_id: SpaceId,
        presence: PresenceState,
    },
    DoorState {
        state: DoorStateKind,
    },
    RemoteUnlockResult {
        command_id: String,
        executed: bool,
    },
    /// A kind this version of the service does not know yet.
    #[serde(other)]
    Other,
}

/// What an occupancy sensor says about a space.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PresenceState {
    Present,
    Empty,
    Unknown,
}

impl PresenceState {
    /// The stored spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Present => "present",
            Self::Empty => "empty",
            Self::Unknown => "unknown",
        }
    }
}

/// What a door contact says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DoorStateKind {
    Closed,
    Open,
    HeldOpen,
    Unknown,
}

impl DoorStateKind {
    /// The stored spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Closed => "closed",
            Self::Open => "open",
            Self::HeldOpen => "held_open",
            Self::Unknown => "unknown",
        }
    }
}

impl EventKind {
    /// The `access_events.kind` spelling.
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Granted { .. } => "granted",
            Self::Denied { .. } => "denied",
            Self::Executed { .. } => "executed",
            Self::NotExecuted { .. } => "not_executed",
            Self::HeldOpen {} => "held_open",
            Self::ForcedOpen {} => "forced_open",
            Self::ControllerSilent {} => "controller_silent",
            Self::ControllerBack {} => "controller_back",
            Self::FieldIoFault {} => "field_io_fault",
            Self::LockedOut { .. } => "locked_out",
            Self::AlarmCleared { .. } => "alarm_cleared",
            Self::Presence { .. } => "presence",
            Self::DoorState { .. } => "door_state",
            Self::RemoteUnlockResult { executed: true, .. } => "remote_unlock_executed",
            Self::RemoteUnlockResult { executed: false, .. } => "remote_unlock_failed",
            Self::Other => "other",
        }
    }
}
