//! One door's registers as one Modbus request sees them, under the lock: what the adapter
//! (`bridge::modbus`) reads and writes once it has routed the unit id and checked the address
//! range. The input block, the holding registers as written, the discrete inputs, the
//! controller's writes and the mailbox, whose credential the keypad verdict decides and this
//! module carries out. No Modbus types here: refusals are named, the adapter picks the
//! exception code.

use std::net::IpAddr;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};

use crate::bridge::door::{DoorEvent, DoorRuntime};
use crate::bridge::mailbox::{MailboxRequest, credential_of, parse_mailbox};
use crate::bridge::registers::{
    HR_CMD_ACK_SEQ, HR_CTRL_HEARTBEAT, HR_DOOR_STATE_BITS, HR_LAST, HR_REQ_SEQ, MAP_VERSION, RequestResult, status,
};
use crate::bridge::runtime::DoorStateSource;
use crate::keypad::{KeypadRequest, KeypadRules, KeypadVerdict, keypad_verdict};
use crate::protocol::{DenyReason, DoorId};

use super::grant::Holder;
use super::{BridgeState, SharedBridgeState};

/// Why a Modbus request reached no door.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Unrouted {
    /// No door with a controller has this unit id.
    NoDoor,
    /// The door behind the unit id does not accept this peer.
    PeerNotAllowed(DoorId),
}

/// Why a mailbox write was refused before anything was decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum MailboxRefused {
    /// Not a mailbox the register map allows.
    Malformed,
    /// More credential requests than the door's limit per minute.
    OverRate,
}

/// The door behind one unit id for the duration of one Modbus request.
pub(crate) struct UnitAccess<'a> {
    state: &'a mut BridgeState,
    index: usize,
    now: Instant,
    now_utc: DateTime<Utc>,
    events: Vec<DoorEvent>,
}

impl SharedBridgeState {
    /// Runs `serve` on the door behind `unit` for one request from `peer`, under the lock. The
    /// request counts as the controller's poll; the door's timers run before and after, and
    /// its events are emitted whatever `serve` answered.
    pub(crate) fn with_unit<R>(
        &self,
        peer: IpAddr,
        unit: u8,
        serve: impl FnOnce(&mut UnitAccess<'_>) -> R,
    ) -> Result<R, Unrouted> {
        let now = self.clock.now_instant();
        let now_utc = self.clock.now_utc();
        let mut guard = self.lock();
        let state = &mut *guard;
        let index = state.door_index_by_unit(unit).ok_or(Unrouted::NoDoor)?;
        if !state.doors[index].config.allowed_peers.allows(peer) {
            return Err(Unrouted::PeerNotAllowed(state.doors[index].config.id.clone()));
        }
        let mut events = Vec::new();
        state.doors[index].controller_polled(now);
        state.doors[index].refresh(now, &state.settings, &mut events);
        let mut unit = UnitAccess { state, index, now, now_utc, events };
        let answer = serve(&mut unit);
        let UnitAccess { state, mut events, .. } = unit;
        state.doors[index].refresh(now, &state.settings, &mut events);
        state.emit(index, events, now_utc);
        Ok(answer)
    }
}

impl UnitAccess<'_> {
    /// Input registers 0–15.
    pub(crate) fn input_registers(&self) -> [u16; 16] {
        self.state.input_registers(self.index, self.now, self.now_utc)
    }

    /// Holding register `address` as last written.
    pub(crate) fn holding_register(&self, address: u16) -> u16 {
        self.state.doors[self.index].holding(address)
    }

    /// Simple mode's discrete input 0.
    pub(crate) fn unlock_window(&self) -> bool {
        self.state.doors[self.index].unlock_window_active(self.now)
    }

    /// Simple mode's discrete input 1.
    pub(crate) fn bridge_healthy(&self) -> bool {
        self.state.bridge_healthy(self.now, self.now_utc)
    }

    /// Registers 100–102: heartbeat, door state, acknowledgement.
    pub(crate) fn write_controller_register(&mut self, address: u16, value: u16) {
        let (now, settings) = (self.now, &self.state.settings);
        let door = &mut self.state.doors[self.index];
        door.store_holding(address, value);
        match address {
            HR_CTRL_HEARTBEAT => door.controller_heartbeat(value, now),
            HR_DOOR_STATE_BITS if door.config.door_state_source == DoorStateSource::Controller => {
                let inputs = DoorRuntime::inputs_from_bits(value);
                door.observe_inputs(Some(inputs), now, settings, &mut self.events);
            }
            HR_CMD_ACK_SEQ => door.acknowledge(value, now, &mut self.events),
            _ => {}
        }
    }

    /// One FC16 write of the whole mailbox starting at 110: validate, rate-limit, decide,
    /// answer.
    pub(crate) fn write_mailbox(&mut self, words: &[u16]) -> Result<(), MailboxRefused> {
        let request = parse_mailbox(words).map_err(|error| {
            tracing::info!(door.id = %self.state.doors[self.index].config.id, %error, "malformed mailbox refused");
            MailboxRefused::Malformed
        })?;
        let requests_per_minute = self.state.settings.requests_per_minute;
        let door = &mut self.state.doors[self.index];
        let same_mailbox =
            (HR_REQ_SEQ..=HR_LAST).zip(words.iter().chain(std::iter::repeat(&0))).all(|(r, w)| door.holding(r) == *w);
        if request.seq == door.req_seq_echo && door.req_result != RequestResult::Pending && same_mailbox {
            // A repeat of the request just answered (e.g. the controller retried the write):
            // nothing new to decide. The whole mailbox must match, not only `req_seq`: a
            // restarted controller counting from 1 again must never read an earlier grant as
            // the answer to a different credential.
            return Ok(());
        }
        if !door.rate.admit(self.now, requests_per_minute) {
            tracing::warn!(door.id = %door.config.id, "credential requests over the rate limit");
            return Err(MailboxRefused::OverRate);
        }
        for register in HR_REQ_SEQ..=HR_LAST {
            door.store_holding(register, 0);
        }
        for (register, value) in (HR_REQ_SEQ..=HR_LAST).zip(words.iter()) {
            door.store_holding(register, *value);
        }
        self.decide_mailbox(&request);
        Ok(())
    }

    /// Asks the keypad verdict and carries it out: the grant, the answer registers, the
    /// events and the door's new lockout counter.
    fn decide_mailbox(&mut self, request: &MailboxRequest) {
        let (index, now, now_utc) = (self.index, self.now, self.now_utc);
        let state = &mut *self.state;
        let outcome = {
            let door = &state.doors[index];
            let rules = KeypadRules {
                decision: state.policy(index),
                lockout: door.config.lockout.unwrap_or(state.settings.lockout),
                maintenance: &state.settings.maintenance,
            };
            let asked = KeypadRequest {
                door: &door.config.id,
                credential: credential_of(request, &state.settings.hub_key),
                kind: request.kind,
            };
            keypad_verdict(&state.conditions(index), asked, &rules, &door.lockout, now, now_utc)
        };
        state.doors[index].lockout = outcome.lockout;
        self.events.extend(outcome.record.into_iter().map(|kind| (kind, None)));
        let (result, reason) = match outcome.verdict {
            KeypadVerdict::Open(booking) => {
                state.grant(index, Holder::Booking(booking), None, now, now_utc, &mut self.events);
                (RequestResult::Granted, None)
            }
            KeypadVerdict::OpenForMaintenance(name) => {
                tracing::warn!(door.id = %state.doors[index].config.id, maintenance = %name, "maintenance credential used");
                state.grant(index, Holder::Maintenance(name), None, now, now_utc, &mut self.events);
                (RequestResult::Granted, None)
            }
            KeypadVerdict::LockedOut => (RequestResult::LockedOut, Some(DenyReason::LockedOut)),
            KeypadVerdict::BadRequest => (RequestResult::BadRequest, Some(DenyReason::BadRequest)),
            KeypadVerdict::Denied { shown, offline: true } => (RequestResult::DeniedOffline, Some(shown)),
            KeypadVerdict::Denied { shown, offline: false } => (RequestResult::Denied, Some(shown)),
        };
        state.doors[index].answer(request.seq, result, reason);
        tracing::info!(
            door.id = %state.doors[index].config.id,
            req.seq = request.seq,
            req.kind = ?request.kind,
            result = ?result,
            reason = reason.map_or("", DenyReason::as_str),
            offline = state.deciding_offline,
            "credential decided"
        );
    }
}

impl BridgeState {
    /// What a controller of door `index` reads in input registers 0–15 now.
    pub(super) fn input_registers(&self, index: usize, now: Instant, now_utc: DateTime<Utc>) -> [u16; 16] {
        let door = &self.doors[index];
        let mut bits = 0;
        for (on, bit) in [
            (self.central_reachable, status::CENTRAL_REACHABLE),
            (self.snapshot_valid(now_utc), status::SNAPSHOT_VALID),
            (self.clock_synced, status::CLOCK_SYNCED),
            (self.door_enabled(index), status::DOOR_ENABLED),
            (self.lockdown_in_force(), status::LOCKDOWN),
            (self.deciding_offline, status::DECIDING_OFFLINE),
            (door.field_io_healthy, status::FIELD_IO_HEALTHY),
        ] {
            if on {
                bits |= bit;
            }
        }
        let booking_end_s = match door.booking_end {
            Some(end) if self.clock_synced && end > now_utc => {
                let left = end.signed_duration_since(now_utc);
                u32::try_from(ceil_seconds(left.to_std().unwrap_or_default())).unwrap_or(u32::MAX)
            }
            _ => 0,
        };
        let unix_time =
            if self.clock_synced { u32::try_from(now_utc.timestamp().max(0)).unwrap_or(u32::MAX) } else { 0 };
        let lockout_s = door.lockout.remaining(now).map_or(0, ceil_seconds);
        [
            MAP_VERSION,
            self.heartbeat,
            bits,
            door.cmd_seq(),
            saturate_u16(ceil_tenths(door.cmd_remaining(now))),
            saturate_u16(ceil_tenths(door.cmd_pulse(now))),
            door.req_seq_echo,
            door.req_result.code(),
            door.req_reason,
            saturate_u16(lockout_s),
            high_word(booking_end_s),
            low_word(booking_end_s),
            door.presence.register_value(),
            door.alarm_bits(),
            high_word(unix_time),
            low_word(unix_time),
        ]
    }
}

fn ceil_tenths(duration: Duration) -> u64 {
    u64::try_from(duration.as_millis().div_ceil(100)).unwrap_or(u64::MAX)
}

fn ceil_seconds(duration: Duration) -> u64 {
    u64::try_from(duration.as_millis().div_ceil(1000)).unwrap_or(u64::MAX)
}

fn saturate_u16(value: u64) -> u16 {
    u16::try_from(value).unwrap_or(u16::MAX)
}

fn high_word(value: u32) -> u16 {
    u16::try_from(value >> 16).unwrap_or(u16::MAX)
}

fn low_word(value: u32) -> u16 {
    u16::try_from(value & 0xFFFF).unwrap_or(0)
}
