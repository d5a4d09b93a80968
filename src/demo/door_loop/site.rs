//! What the demo's keypad pages see of the running loop: the hub's doors and spaces, the
//! simulated lock relays, door contacts and presence sensors, the keypad and card reader of each
//! door, and the last answer each got (a keypad's display; no PIN or card UID is kept).

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, PoisonError};

use chrono::{DateTime, Utc};
use regiohub_hardware::bridge::registers::RequestResult;
use regiohub_hardware::protocol::DenyReason;
use regiohub_hardware::sim::{SimError, SimHandle};

use super::keypad::Keypads;
use crate::demo::door_bridge::{DemoDoor, DemoHubLayout};
use crate::domain::ids::{DoorId, SpaceId};

/// What the bridge answered at a keypad.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeypadAnswer {
    Granted,
    /// Refused; `offline` when the bridge decided without the central service.
    Denied {
        reason: Option<DenyReason>,
        offline: bool,
    },
    /// Too many wrong PINs: the keypad is locked for a while.
    LockedOut,
    /// The bridge did not answer (not running, or the connection broke).
    NoAnswer,
}

/// The last answer at a door and when it came.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KeypadEntry {
    pub answer: KeypadAnswer,
    pub at: DateTime<Utc>,
}

/// The running demo site. Cheap to clone.
#[derive(Clone)]
pub struct DemoSite {
    inner: Arc<SiteInner>,
}

struct SiteInner {
    layout: DemoHubLayout,
    modbus: SocketAddr,
    devices: SimHandle,
    keypads: Keypads,
    last: Mutex<BTreeMap<DoorId, KeypadEntry>>,
}

impl DemoSite {
    pub(super) fn new(layout: DemoHubLayout, modbus: SocketAddr, devices: SimHandle, keypads: Keypads) -> DemoSite {
        let inner = SiteInner { layout, modbus, devices, keypads, last: Mutex::default() };
        DemoSite { inner: Arc::new(inner) }
    }

    pub(super) fn stop_keypads(&self) {
        self.inner.keypads.stop();
    }

    /// The hub, its doors (by unit id) and its spaces.
    pub fn layout(&self) -> &DemoHubLayout {
        &self.inner.layout
    }

    /// Where door controllers reach the bridge.
    pub fn modbus_addr(&self) -> SocketAddr {
        self.inner.modbus
    }

    /// The door with this id, if it is on the demo bridge.
    pub fn door(&self, door_id: &DoorId) -> Option<&DemoDoor> {
        self.inner.layout.doors.iter().find(|door| &door.id == door_id)
    }

    /// Whether the door's lock relay is on (the lock released), as the simulated board says.
    pub fn lock_released(&self, door_id: &DoorId) -> Option<bool> {
        self.inner.devices.lock_released(door_id.as_str()).ok()
    }

    /// Whether the simulated door stands open (its contact reads open).
    pub fn door_open(&self, door_id: &DoorId) -> Option<bool> {
        self.inner.devices.door_open(door_id.as_str()).ok()
    }

    /// Whether the simulated sensor of this space reads someone present.
    pub fn presence(&self, space_id: &SpaceId) -> Option<bool> {
        self.inner.devices.presence(space_id.as_str()).ok()
    }

    /// Sets the simulated sensor of this space; the bridge reads it within a second.
    ///
    /// # Errors
    /// No sensor for this space.
    pub fn set_presence(&self, space_id: &SpaceId, present: bool) -> Result<(), SimError> {
        self.inner.devices.set_presence(space_id.as_str(), present)
    }

    /// Types a PIN at the door's keypad and remembers the answer. `None`: no such door.
    pub async fn enter_pin(&self, door_id: &DoorId, pin: &str, now: DateTime<Utc>) -> Option<KeypadEntry> {
        let unit = self.door(door_id)?.unit_id;
        let answer = match self.inner.keypads.enter_pin(unit, pin).await? {
            Ok(outcome) => answer_of(outcome.result, outcome.reason_code),
            Err(error) => {
                tracing::warn!(door.id = %door_id, %error, "demo keypad got no answer from the bridge");
                KeypadAnswer::NoAnswer
            }
        };
        let entry = KeypadEntry { answer, at: now };
        self.inner.last.lock().unwrap_or_else(PoisonError::into_inner).insert(door_id.clone(), entry);
        Some(entry)
    }

    /// Holds a card with this UID to the door's reader and remembers the answer. `None`: no
    /// such door.
    pub async fn present_card(&self, door_id: &DoorId, uid: &[u8], now: DateTime<Utc>) -> Option<KeypadEntry> {
        let unit = self.door(door_id)?.unit_id;
        let answer = match self.inner.keypads.present_card(unit, uid).await? {
            Ok(outcome) => answer_of(outcome.result, outcome.reason_code),
            Err(error) => {
                tracing::warn!(door.id = %door_id, %error, "demo card reader got no answer from the bridge");
                KeypadAnswer::NoAnswer
            }
        };
        let entry = KeypadEntry { answer, at: now };
        self.inner.last.lock().unwrap_or_else(PoisonError::into_inner).insert(door_id.clone(), entry);
        Some(entry)
    }

    /// The last answer the door's keypad got, if any.
    pub fn last_entry(&self, door_id: &DoorId) -> Option<KeypadEntry> {
        self.inner.last.lock().unwrap_or_else(PoisonError::into_inner).get(door_id).copied()
    }
}

fn answer_of(result: Option<RequestResult>, reason_code: u16) -> KeypadAnswer {
    let reason = DenyReason::from_code(reason_code);
    match result {
        Some(RequestResult::Granted) => KeypadAnswer::Granted,
        Some(RequestResult::LockedOut) => KeypadAnswer::LockedOut,
        Some(RequestResult::DeniedOffline) => KeypadAnswer::Denied { reason, offline: true },
        Some(RequestResult::Denied | RequestResult::BadRequest) => KeypadAnswer::Denied { reason, offline: false },
        Some(RequestResult::Pending) | None => KeypadAnswer::NoAnswer,
    }
}
