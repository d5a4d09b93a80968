//! What one hub task has to do, worked out once from the configuration: the devices on the
//! hub with their unit ids and profiles, the lock channels it drives and every input it
//! polls with its interval. No I/O here.

use std::time::Duration;

use crate::config::{BridgeConfig, Hub, InputType, Profile, PulseMode};

/// Relay state is read back this often.
const READBACK_EVERY: Duration = Duration::from_secs(1);

pub(super) struct DevicePlan {
    pub(super) name: String,
    pub(super) unit: u8,
    pub(super) profile: Profile,
}

pub(super) struct LockPlan {
    pub(super) door: String,
    pub(super) device: usize,
    pub(super) channel: u16,
    pub(super) pulse: Duration,
    pub(super) mode: PulseMode,
}

#[derive(Clone)]
pub(super) enum PollTarget {
    Contact { door: String, closed_when: bool },
    Exit { door: String, pressed_when: bool },
    Presence { space: String, threshold: u16 },
    Readback { lock: usize },
}

pub(super) struct PollPlan {
    pub(super) device: usize,
    pub(super) input_type: InputType,
    pub(super) address: u16,
    pub(super) every: Duration,
    pub(super) target: PollTarget,
}

/// What one hub task has to do, taken from the configuration.
pub(super) struct HubPlan {
    pub(super) hub: Hub,
    pub(super) devices: Vec<DevicePlan>,
    pub(super) locks: Vec<LockPlan>,
    pub(super) polls: Vec<PollPlan>,
}

impl HubPlan {
    /// The plan for hub `hub_index`; `None` if there is no such hub.
    pub(super) fn new(config: &BridgeConfig, hub_index: usize) -> Option<Self> {
        let hub = config.hubs.get(hub_index)?.clone();
        let mut local = Vec::new();
        let mut devices = Vec::new();
        for (index, device) in config.devices.iter().enumerate() {
            if device.hub == hub_index {
                local.push(index);
                devices.push(DevicePlan {
                    name: device.name.clone(),
                    unit: device.device_address,
                    profile: device.profile.clone(),
                });
            }
        }
        let local_of = |global: usize| local.iter().position(|g| *g == global);
        let mut locks = Vec::new();
        let mut polls = Vec::new();
        for door in &config.doors {
            if let Some(lock) = &door.lock
                && let Some(device) = local_of(lock.device)
            {
                let lock_index = locks.len();
                locks.push(LockPlan {
                    door: door.id.clone(),
                    device,
                    channel: lock.channel,
                    pulse: lock.pulse,
                    mode: lock.mode,
                });
                let readback = devices.get(device).and_then(|d| d.profile.relay_readback(lock.channel));
                if let Some(readback) = readback {
                    polls.push(PollPlan {
                        device,
                        input_type: readback.input_type,
                        address: readback.address,
                        every: READBACK_EVERY,
                        target: PollTarget::Readback { lock: lock_index },
                    });
                }
            }
            if let Some(contact) = &door.contact
                && let Some(device) = local_of(contact.device)
            {
                polls.push(PollPlan {
                    device,
                    input_type: contact.input_type,
                    address: contact.address,
                    every: contact.scan_interval,
                    target: PollTarget::Contact { door: door.id.clone(), closed_when: contact.active_when },
                });
            }
            if let Some(exit) = &door.exit_button
                && let Some(device) = local_of(exit.device)
            {
                polls.push(PollPlan {
                    device,
                    input_type: exit.input_type,
                    address: exit.address,
                    every: exit.scan_interval,
                    target: PollTarget::Exit { door: door.id.clone(), pressed_when: exit.active_when },
                });
            }
        }
        for sensor in &config.presence {
            if let Some(device) = local_of(sensor.device) {
                polls.push(PollPlan {
                    device,
                    input_type: sensor.input_type,
                    address: sensor.address,
                    every: sensor.scan_interval,
                    target: PollTarget::Presence { space: sensor.space.clone(), threshold: sensor.threshold },
                });
            }
        }
        Some(Self { hub, devices, locks, polls })
    }

    /// A hub with nothing to drive or read is not connected at all.
    pub(super) fn is_idle(&self) -> bool {
        self.locks.is_empty() && self.polls.is_empty()
    }

    /// The doors whose locks this hub drives, in lock-index order.
    pub(super) fn lock_doors(&self) -> impl Iterator<Item = &str> {
        self.locks.iter().map(|l| l.door.as_str())
    }
}
