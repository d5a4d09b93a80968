//! The simulated site: every configured device, the doors (which open when their lock relay
//! switches on and close again a while later), exit buttons and presence sensors. One
//! mutex-guarded value shared by the Modbus servers, the clock task and the control handle.

use std::collections::BTreeMap;
use std::time::Duration;

use tokio::time::Instant;

use super::device::SimDevice;
use crate::config::{BinaryInput, BridgeConfig, InputType, Profile};

/// How a sensor signals presence in its registers.
pub(super) struct SimSensor {
    pub(super) device: usize,
    pub(super) input_type: InputType,
    pub(super) address: u16,
    /// Written when present (bits: 1; WB-MSW: well above its threshold).
    pub(super) present_value: u16,
}

pub(super) struct SimDoor {
    pub(super) id: String,
    /// (device, 1-based channel) of the lock relay.
    pub(super) lock: Option<(usize, u16)>,
    pub(super) contact: Option<BinaryInput>,
    pub(super) exit_button: Option<BinaryInput>,
    pub(super) open: bool,
    /// A door opened by its lock falls shut at this time (once the lock is off again).
    close_at: Option<Instant>,
}

pub(super) struct World {
    pub(super) devices: Vec<SimDevice>,
    /// (hub index, unit id) → device index.
    pub(super) units: BTreeMap<(usize, u8), usize>,
    pub(super) doors: Vec<SimDoor>,
    pub(super) sensors: BTreeMap<String, SimSensor>,
    /// How long a door stays open after its lock released it.
    pub(super) open_for: Duration,
}

impl World {
    pub(super) fn new(config: &BridgeConfig, open_for: Duration, now: Instant) -> Self {
        let mut devices: Vec<SimDevice> =
            config.devices.iter().map(|d| SimDevice::new(d.name.clone(), d.profile.clone(), now)).collect();
        let units = config.devices.iter().enumerate().map(|(i, d)| ((d.hub, d.device_address), i)).collect();
        for (device, spec) in devices.iter_mut().zip(&config.devices) {
            for point in &spec.points {
                device.define(point.input_type, point.address, 0);
            }
        }
        let doors = config
            .doors
            .iter()
            .map(|door| {
                if let Some(contact) = &door.contact
                    && let Some(device) = devices.get_mut(contact.device)
                {
                    device.define(contact.input_type, contact.address, u16::from(contact.active_when));
                }
                if let Some(exit) = &door.exit_button
                    && let Some(device) = devices.get_mut(exit.device)
                {
                    device.define(exit.input_type, exit.address, u16::from(!exit.active_when));
                }
                SimDoor {
                    id: door.id.clone(),
                    lock: door.lock.as_ref().map(|l| (l.device, l.channel)),
                    contact: door.contact.clone(),
                    exit_button: door.exit_button.clone(),
                    open: false,
                    close_at: None,
                }
            })
            .collect();
        let mut sensors = BTreeMap::new();
        for sensor in &config.presence {
            let Some(device) = devices.get_mut(sensor.device) else {
                continue;
            };
            if device.point(sensor.input_type, sensor.address).is_none() {
                device.define(sensor.input_type, sensor.address, 0);
            }
            let present_value = match (&device.profile, sensor.input_type) {
                (_, InputType::Coil | InputType::DiscreteInput) => 1,
                (Profile::WbMswV3 { .. }, _) => sensor.threshold.saturating_add(100),
                _ => sensor.threshold.saturating_add(1),
            };
            sensors.insert(
                sensor.space.clone(),
                SimSensor {
                    device: sensor.device,
                    input_type: sensor.input_type,
                    address: sensor.address,
                    present_value,
                },
            );
        }
        Self { devices, units, doors, sensors, open_for }
    }

    pub(super) fn device_index(&self, name: &str) -> Option<usize> {
        self.devices.iter().position(|d| d.name == name)
    }

    pub(super) fn door_index(&self, id: &str) -> Option<usize> {
        self.doors.iter().position(|d| d.id == id)
    }

    /// Opens or closes a door by hand (someone pushes it), updating its contact.
    pub(super) fn set_door_open(&mut self, door: usize, open: bool) {
        let Some(sim_door) = self.doors.get_mut(door) else {
            return;
        };
        sim_door.open = open;
        sim_door.close_at = None;
        if let Some(contact) = &sim_door.contact
            && let Some(device) = self.devices.get_mut(contact.device)
        {
            let closed_reading = contact.active_when;
            let reading = if open { !closed_reading } else { closed_reading };
            device.set_point(contact.input_type, contact.address, u16::from(reading));
        }
    }

    pub(super) fn press_exit(&mut self, door: usize, pressed: bool) -> bool {
        let Some(exit) = self.doors.get(door).and_then(|d| d.exit_button.clone()) else {
            return false;
        };
        let reading = if pressed { exit.active_when } else { !exit.active_when };
        self.devices
            .get_mut(exit.device)
            .is_some_and(|d| d.set_point(exit.input_type, exit.address, u16::from(reading)))
    }

    /// Advances time: device timers, then doors that open under a released lock and fall
    /// shut `open_for` after opening once the lock is off.
    pub(super) fn tick(&mut self, now: Instant) {
        for device in &mut self.devices {
            device.tick(now);
        }
        for index in 0..self.doors.len() {
            let Some(door) = self.doors.get(index) else {
                continue;
            };
            let released =
                door.lock.and_then(|(device, channel)| self.devices.get(device)?.relay(channel)).unwrap_or(false);
            let (open, close_at) = (door.open, door.close_at);
            if released && !open {
                self.set_door_open(index, true);
                if let Some(door) = self.doors.get_mut(index) {
                    door.close_at = Some(now + self.open_for);
                }
            } else if open && !released && close_at.is_some_and(|at| at <= now) {
                self.set_door_open(index, false);
            }
        }
    }
}
