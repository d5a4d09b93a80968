//! How the central service reads the bridge's event upload: the same JSON as
//! `regiohub_hardware::protocol::EventUpload`, but an event kind this version does not know yet
//! is kept in the access log as `other` instead of failing the whole batch (a newer bridge must
//! not get stuck on an older service). The other bodies are the protocol's own types.

use crate::domain::vocabulary::SensedPresence;
use chrono::{DateTime, Utc};
use regiohub_hardware::protocol::{Alarm, BookingId, DenyReason, DoorId, SpaceId};
pub use regiohub_hardware::protocol::{DoorStateKind, EventReceipt, PresenceState, RemoteUnlock, RemoteUnlockBatch};
use serde::{Deserialize, Serialize};

/// The body of `POST /events`, in the order the events happened.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct EventBatch {
    pub events: Vec<BridgeEvent>,
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
    MaintenanceGranted {
        #[serde(default)]
        name: String,
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

impl EventKind {
    /// The `access_events.kind` spelling.
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Granted { .. } => "granted",
            Self::MaintenanceGranted { .. } => "maintenance_granted",
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

/// A door decision an event reports: granted (for a booking, a maintenance credential or a staff
/// opening) or denied with the door rule's reason.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DoorDecision {
    GrantedBooking,
    GrantedMaintenance,
    GrantedStaffOpening,
    Denied(DenyReason),
}

impl BridgeEvent {
    /// The door decision this event reports, if it reports one.
    pub fn door_decision(&self) -> Option<DoorDecision> {
        match &self.kind {
            EventKind::Granted { .. } if self.booking_id.is_some() => Some(DoorDecision::GrantedBooking),
            EventKind::Granted { .. } => Some(DoorDecision::GrantedStaffOpening),
            EventKind::MaintenanceGranted { .. } => Some(DoorDecision::GrantedMaintenance),
            EventKind::Denied { reason } => Some(DoorDecision::Denied(*reason)),
            _ => None,
        }
    }
}

/// A presence reading as it is stored.
pub fn sensed_presence(presence: PresenceState) -> SensedPresence {
    match presence {
        PresenceState::Present => SensedPresence::Present,
        PresenceState::Empty => SensedPresence::Empty,
        PresenceState::Unknown => SensedPresence::Unknown,
    }
}

/// The stored spelling of a door state.
pub fn door_state_str(state: DoorStateKind) -> &'static str {
    match state {
        DoorStateKind::Closed => "closed",
        DoorStateKind::Open => "open",
        DoorStateKind::HeldOpen => "held_open",
        DoorStateKind::Unknown => "unknown",
    }
}
