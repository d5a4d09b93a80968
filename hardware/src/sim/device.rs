//! One simulated field device: its four Modbus tables, filled from its profile's register
//! map and the points the configuration uses, and how it answers each request (including
//! the Eletechsup RYN4xx channel commands and their device-timed pulse). No networking here.

use std::collections::BTreeMap;
use std::time::Duration;

use tokio::time::Instant;
use tokio_modbus::{ExceptionCode, Request, Response};

use crate::config::{InputType, Profile, RYN_RELAY_BITMAP, RelayCommand, WB_MR6C_SAFETY_TIMEOUT, decode_ryn_command};

/// Most writes a device remembers for inspection; older ones are forgotten.
const WRITE_LOG_LIMIT: usize = 1000;

/// A write the simulated device received, for tests that check what went over the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SimWrite {
    /// Modbus function code (5 single coil, 6 single register, 15, 16).
    pub function: u8,
    pub address: u16,
    /// The coil (0/1) or register value.
    pub value: u16,
}

pub(super) struct SimDevice {
    pub(super) name: String,
    pub(super) profile: Profile,
    pub(super) silent: bool,
    coils: BTreeMap<u16, bool>,
    discrete: BTreeMap<u16, bool>,
    holding: BTreeMap<u16, u16>,
    input: BTreeMap<u16, u16>,
    /// Device-timed pulses: channel → when the device itself switches it off.
    relay_off_at: BTreeMap<u16, Instant>,
    last_traffic: Instant,
    writes: Vec<SimWrite>,
}

impl SimDevice {
    pub(super) fn new(name: String, profile: Profile, now: Instant) -> Self {
        let mut device = Self {
            name,
            profile,
            silent: false,
            coils: BTreeMap::new(),
            discrete: BTreeMap::new(),
            holding: BTreeMap::new(),
            input: BTreeMap::new(),
            relay_off_at: BTreeMap::new(),
            last_traffic: now,
            writes: Vec::new(),
        };
        device.fill_profile_map();
        device
    }

    fn fill_profile_map(&mut self) {
        let channels = self.profile.relay_channels();
        match self.profile {
            Profile::GenericRelay { .. } | Profile::WaveshareRelay { .. } => {
                for c in 0..channels {
                    self.coils.insert(c, false);
                }
                for i in 0..8 {
                    self.discrete.insert(i, false);
                }
            }
            Profile::EletechsupRyn404e | Profile::EletechsupRyn408f => {
                for c in 1..=channels {
                    self.holding.insert(c, 0);
                }
                self.holding.insert(RYN_RELAY_BITMAP, 0);
                for (address, value) in [(0xF0, channels), (0xF1, 1), (0xF2, 0), (0xFC, 0)] {
                    self.holding.insert(address, value);
                }
            }
            Profile::WbMr6c { .. } => {
                for c in 0..channels {
                    self.coils.insert(c, false);
                }
                for i in 0..8 {
                    self.discrete.insert(i, false);
                }
                self.holding.insert(WB_MR6C_SAFETY_TIMEOUT, 0);
            }
            Profile::WbMswV3 { .. } => {
                for (address, value) in [(0, 215), (1, 450), (3, 3500), (4, 2150), (5, 4500)] {
                    self.input.insert(address, value);
                }
                for address in [8, 9, 10, 11, 280, 281, 283] {
                    self.input.insert(address, 0);
                }
                self.input.insert(8, 450);
                self.holding.insert(282, 10);
                for coil in [0, 10, 11] {
                    self.coils.insert(coil, false);
                }
            }
            Profile::Mtdx62Mb => {
                for (address, value) in [(0, 0), (1, 0), (2, 0), (3, 1)] {
                    self.input.insert(address, value);
                }
                for address in 0..=0x0C {
                    self.holding.insert(address, 0);
                }
                self.holding.insert(0x0A, 2);
            }
            Profile::Generic => {}
        }
    }

    /// Makes a point readable (and writable for coils/holding) with this value, as the
    /// configuration's contacts, buttons and generic points need.
    pub(super) fn define(&mut self, input_type: InputType, address: u16, value: u16) {
        match input_type {
            InputType::Coil => {
                self.coils.insert(address, value != 0);
            }
            InputType::DiscreteInput => {
                self.discrete.insert(address, value != 0);
            }
            InputType::Holding => {
                self.holding.insert(address, value);
            }
            InputType::Input => {
                self.input.insert(address, value);
            }
        }
    }

    /// Sets a defined point from outside (a person walking by, a door opening). Returns
    /// false if the point does not exist.
    pub(super) fn set_point(&mut self, input_type: InputType, address: u16, value: u16) -> bool {
        let slot_exists = match input_type {
            InputType::Coil => self.coils.contains_key(&address),
            InputType::DiscreteInput => self.discrete.contains_key(&address),
            InputType::Holding => self.holding.contains_key(&address),
            InputType::Input => self.input.contains_key(&address),
        };
        if slot_exists {
            self.define(input_type, address, value);
        }
        slot_exists
    }

    pub(super) fn point(&self, input_type: InputType, address: u16) -> Option<u16> {
        match input_type {
            InputType::Coil => self.coils.get(&address).map(|b| u16::from(*b)),
            InputType::DiscreteInput => self.discrete.get(&address).map(|b| u16::from(*b)),
            InputType::Holding => self.holding.get(&address).copied(),
            InputType::Input => self.input.get(&address).copied(),
        }
    }

    /// The state of a 1-based relay channel; `None` if there is no such channel.
    pub(super) fn relay(&self, channel: u16) -> Option<bool> {
        let readback = self.profile.relay_readback(channel)?;
        self.point(readback.input_type, readback.address).map(|v| v != 0)
    }

    pub(super) fn set_relay(&mut self, channel: u16, on: bool) -> bool {
        let Some(readback) = self.profile.relay_readback(channel) else {
            return false;
        };
        self.relay_off_at.remove(&channel);
        self.define(readback.input_type, readback.address, u16::from(on));
        if matches!(self.profile, Profile::EletechsupRyn404e | Profile::EletechsupRyn408f) {
            let bit = 1u16 << (channel - 1);
            let bitmap = self.holding.get(&RYN_RELAY_BITMAP).copied().unwrap_or(0);
            let bitmap = if on { bitmap | bit } else { bitmap & !bit };
            self.holding.insert(RYN_RELAY_BITMAP, bitmap);
        }
        true
    }

    pub(super) fn writes(&self) -> Vec<SimWrite> {
        self.writes.clone()
    }

    /// Advances device-internal timers: device-timed pulses end, and a WB-MR6C whose
    /// watchdog is programmed drops its outputs when the master has gone quiet.
    pub(super) fn tick(&mut self, now: Instant) {
        let ended: Vec<u16> =
            self.relay_off_at.iter().filter(|(_, at)| **at <= now).map(|(channel, _)| *channel).collect();
        for channel in ended {
            self.set_relay(channel, false);
        }
        if let Profile::WbMr6c { .. } = self.profile {
            let watchdog = self.holding.get(&WB_MR6C_SAFETY_TIMEOUT).copied().unwrap_or(0);
            let quiet = Duration::from_secs(u64::from(watchdog));
            if watchdog > 0 && now.duration_since(self.last_traffic) >= quiet {
                for channel in 1..=self.profile.relay_channels() {
                    if self.relay(channel) == Some(true) {
                        self.set_relay(channel, false);
                    }
                }
            }
        }
    }

    /// Answers one request as the real device would.
    pub(super) fn handle(&mut self, request: &Request<'_>, now: Instant) -> Result<Response, ExceptionCode> {
        self.last_traffic = now;
        match request {
            Request::ReadCoils(address, count) => {
                read_range(&self.coils, *address, *count, 2000).map(Response::ReadCoils)
            }
            Request::ReadDiscreteInputs(address, count) => {
                read_range(&self.discrete, *address, *count, 2000).map(Response::ReadDiscreteInputs)
            }
            Request::ReadHoldingRegisters(address, count) => {
                read_range(&self.holding, *address, *count, 125).map(Response::ReadHoldingRegisters)
            }
            Request::ReadInputRegisters(address, count) => {
                read_range(&self.input, *address, *count, 125).map(Response::ReadInputRegisters)
            }
            Request::WriteSingleCoil(address, on) => {
                self.write_coil(*address, *on)?;
                self.log(5, *address, u16::from(*on));
                Ok(Response::WriteSingleCoil(*address, *on))
            }
            Request::WriteMultipleCoils(address, values) => {
                let count = u16::try_from(values.len()).map_err(|_| ExceptionCode::IllegalDataValue)?;
                for offset in 0..count {
                    let at = address.checked_add(offset).ok_or(ExceptionCode::IllegalDataAddress)?;
                    if !self.coils.contains_key(&at) {
                        return Err(ExceptionCode::IllegalDataAddress);
                    }
                }
                for (at, on) in (*address..).zip(values.iter()) {
                    self.write_coil(at, *on)?;
                    self.log(15, at, u16::from(*on));
                }
                Ok(Response::WriteMultipleCoils(*address, count))
            }
            Request::WriteSingleRegister(address, value) => {
                self.write_register(*address, *value, now)?;
                self.log(6, *address, *value);
                Ok(Response::WriteSingleRegister(*address, *value))
            }
            Request::WriteMultipleRegisters(address, values) => {
                let count = u16::try_from(values.len()).map_err(|_| ExceptionCode::IllegalDataValue)?;
                for offset in 0..count {
                    let at = address.checked_add(offset).ok_or(ExceptionCode::IllegalDataAddress)?;
                    if !self.holding.contains_key(&at) {
                        return Err(ExceptionCode::IllegalDataAddress);
                    }
                }
                for (at, value) in (*address..).zip(values.iter()) {
                    self.write_register(at, *value, now)?;
                    self.log(16, at, *value);
                }
                Ok(Response::WriteMultipleRegisters(*address, count))
            }
            _ => Err(ExceptionCode::IllegalFunction),
        }
    }

    fn log(&mut self, function: u8, address: u16, value: u16) {
        if self.writes.len() >= WRITE_LOG_LIMIT {
            self.writes.remove(0);
        }
        self.writes.push(SimWrite { function, address, value });
    }

    fn write_coil(&mut self, address: u16, on: bool) -> Result<(), ExceptionCode> {
        let Some(slot) = self.coils.get_mut(&address) else {
            return Err(ExceptionCode::IllegalDataAddress);
        };
        *slot = on;
        Ok(())
    }

    fn write_register(&mut self, address: u16, value: u16, now: Instant) -> Result<(), ExceptionCode> {
        if !self.holding.contains_key(&address) {
            return Err(ExceptionCode::IllegalDataAddress);
        }
        let is_ryn = matches!(self.profile, Profile::EletechsupRyn404e | Profile::EletechsupRyn408f);
        let channels = self.profile.relay_channels();
        if is_ryn && (1..=channels).contains(&address) {
            // Writes carry commands; reads show state (hardware.md §3.2).
            match decode_ryn_command(value) {
                Some(RelayCommand::On) => {
                    self.set_relay(address, true);
                }
                Some(RelayCommand::Off) => {
                    self.set_relay(address, false);
                }
                Some(RelayCommand::OnForSeconds(secs)) => {
                    self.set_relay(address, true);
                    self.relay_off_at.insert(address, now + Duration::from_secs(u64::from(secs)));
                }
                None => return Err(ExceptionCode::IllegalDataValue),
            }
            return Ok(());
        }
        if is_ryn && address == RYN_RELAY_BITMAP {
            for channel in 1..=channels {
                self.set_relay(channel, value & (1 << (channel - 1)) != 0);
            }
            return Ok(());
        }
        self.holding.insert(address, value);
        Ok(())
    }
}

fn read_range<T: Copy>(table: &BTreeMap<u16, T>, address: u16, count: u16, max: u16) -> Result<Vec<T>, ExceptionCode> {
    if count == 0 || count > max {
        return Err(ExceptionCode::IllegalDataValue);
    }
    (0..count)
        .map(|offset| {
            address.checked_add(offset).and_then(|at| table.get(&at).copied()).ok_or(ExceptionCode::IllegalDataAddress)
        })
        .collect()
}
