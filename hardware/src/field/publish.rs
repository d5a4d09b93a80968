//! The shared outputs of all hub tasks: one watch channel per door and per space, and the
//! set of faulted devices. A door may use devices on several hubs, so door health is worked
//! out here from the health of every device the door uses.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Mutex;

use tokio::sync::watch;

use super::{ContactState, DoorInputs, LockOutput, Presence};
use crate::config::BridgeConfig;

pub(super) struct Publishers {
    doors: BTreeMap<String, watch::Sender<DoorInputs>>,
    spaces: BTreeMap<String, watch::Sender<Presence>>,
    faults: watch::Sender<BTreeSet<String>>,
    /// Device names each door depends on (lock, contact, exit button).
    door_devices: BTreeMap<String, Vec<String>>,
    faulted: Mutex<BTreeSet<String>>,
}

impl Publishers {
    pub(super) fn new(config: &BridgeConfig) -> Self {
        let name = |index: usize| config.devices.get(index).map(|d| d.name.clone()).unwrap_or_default();
        let mut doors = BTreeMap::new();
        let mut door_devices = BTreeMap::new();
        for door in &config.doors {
            let initial = DoorInputs {
                contact: if door.contact.is_some() { ContactState::Unknown } else { ContactState::NotFitted },
                exit_request: false,
                lock_output: if door.lock.is_some() { LockOutput::Unknown } else { LockOutput::NotFitted },
                healthy: true,
            };
            doors.insert(door.id.clone(), watch::Sender::new(initial));
            let devices = [
                door.lock.as_ref().map(|l| l.device),
                door.contact.as_ref().map(|c| c.device),
                door.exit_button.as_ref().map(|e| e.device),
            ];
            door_devices.insert(door.id.clone(), devices.into_iter().flatten().map(name).collect());
        }
        let spaces = config.presence.iter().map(|p| (p.space.clone(), watch::Sender::new(Presence::Unknown))).collect();
        Self {
            doors,
            spaces,
            faults: watch::Sender::new(BTreeSet::new()),
            door_devices,
            faulted: Mutex::new(BTreeSet::new()),
        }
    }

    pub(super) fn door(&self, door: &str) -> Option<watch::Receiver<DoorInputs>> {
        self.doors.get(door).map(watch::Sender::subscribe)
    }

    pub(super) fn space(&self, space: &str) -> Option<watch::Receiver<Presence>> {
        self.spaces.get(space).map(watch::Sender::subscribe)
    }

    pub(super) fn faults(&self) -> watch::Receiver<BTreeSet<String>> {
        self.faults.subscribe()
    }

    /// Changes one door's inputs, notifying watchers only if something changed.
    pub(super) fn update_door(&self, door: &str, change: impl FnOnce(&mut DoorInputs)) {
        if let Some(sender) = self.doors.get(door) {
            sender.send_if_modified(|inputs| {
                let before = *inputs;
                change(inputs);
                before != *inputs
            });
        }
    }

    pub(super) fn set_presence(&self, space: &str, presence: Presence) {
        if let Some(sender) = self.spaces.get(space) {
            sender.send_if_modified(|value| {
                let changed = *value != presence;
                *value = presence;
                changed
            });
        }
    }

    /// Records a device fault or recovery and recomputes the health of the doors using it.
    pub(super) fn set_device_fault(&self, device: &str, faulted: bool) {
        let snapshot = {
            let Ok(mut set) = self.faulted.lock() else {
                return;
            };
            if faulted {
                set.insert(device.to_owned());
            } else {
                set.remove(device);
            }
            set.clone()
        };
        for (door, devices) in &self.door_devices {
            if devices.iter().any(|d| d == device) {
                let healthy = !devices.iter().any(|d| snapshot.contains(d));
                self.update_door(door, |inputs| inputs.healthy = healthy);
            }
        }
        self.faults.send_if_modified(|value| {
            let changed = *value != snapshot;
            *value = snapshot;
            changed
        });
    }
}
