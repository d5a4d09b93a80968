//! The bridge's shared state behind one lock: hub-wide status (central reachable, snapshot,
//! clock, lockdown), every door's runtime, and the event and relay hooks. The integrator sets
//! status through the setters here; the Modbus service reads and writes registers through
//! `handle_modbus`; the ticker calls `tick`. Every credential decision happens here, under the
//! lock, so two connections can never race on one door's mailbox or command.

use std::net::IpAddr;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use tokio::sync::mpsc;
use tokio_modbus::{ExceptionCode, Request, Response};

use crate::decision::{DecisionPolicy, decide, decide_staff_opening};
use crate::protocol::{
    AccessEvent, AccessEventKind, AccessRequest, AccessSnapshot, Alarm, BookingId, Credential, CredentialKind,
    Decision, DenyReason, DoorId, RemoteUnlock,
};

use super::clock::{Clock, SystemClock};
use super::door::{CommandSpec, DoorEvent, DoorRuntime};
use super::mailbox::{MailboxRequest, credential_of, parse_mailbox};
use super::maintenance;
use super::registers::{
    DI_BRIDGE_HEALTHY, DI_COUNT, DI_UNLOCK_WINDOW, HR_CMD_ACK_SEQ, HR_CTRL_HEARTBEAT, HR_DOOR_STATE_BITS, HR_FIRST,
    HR_LAST, HR_REQ_SEQ, INPUT_BLOCK_LEN, InputBlock, MAP_VERSION, RequestResult, status,
};
use super::runtime::{
    BridgeSettings, ControllerMode, DoorInputs, DoorRuntimeConfig, DoorStateSource, Presence, UnlockOrder,
};

/// A setter named a door the bridge does not serve.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("door {0} is not configured on this bridge")]
pub struct UnknownDoorError(pub DoorId);

/// What became of a remote unlock command from the central service.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RemoteUnlockOutcome {
    /// The door rule granted it: command `cmd_seq` waits for the controller or relay, whose
    /// confirmation becomes the `remote_unlock_result` event.
    Issued { cmd_seq: u16 },
    /// Its deadline had passed when it arrived; never carried out.
    Expired,
    /// Refused (offline, unknown door, or the door rule said no).
    Denied(DenyReason),
}

/// Who a grant is for.
enum Holder {
    Booking(BookingId),
    /// A maintenance credential, by name.
    Maintenance(String),
    /// A hub manager's opening "for someone at the door": no booking.
    Staff,
}

/// The limits a remote unlock brings along.
struct RemoteLimits {
    command_id: String,
    pulse: Duration,
    deadline: DateTime<Utc>,
}

/// Modbus allows at most 125 registers or 2000 bits in one read.
const MAX_READ_REGISTERS: u16 = 125;
const MAX_READ_BITS: u16 = 2000;

/// Handle to the bridge state; cheap to clone, shared by the server, the ticker and the
/// integrator's tasks.
#[derive(Clone)]
pub struct SharedBridgeState {
    inner: Arc<Mutex<BridgeState>>,
    clock: Arc<dyn Clock>,
}

impl std::fmt::Debug for SharedBridgeState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SharedBridgeState").finish_non_exhaustive()
    }
}

struct BridgeState {
    settings: BridgeSettings,
    started: Instant,
    heartbeat: u16,
    last_tick: Option<Instant>,
    central_reachable: bool,
    clock_synced: bool,
    lockdown: bool,
    deciding_offline: bool,
    snapshot: Option<AccessSnapshot>,
    doors: Vec<DoorRuntime>,
    events: Option<mpsc::UnboundedSender<AccessEvent>>,
    unlock_orders: Option<mpsc::Sender<UnlockOrder>>,
}

impl SharedBridgeState {
    /// State on the machine's clocks. Until the integrator says otherwise the central service
    /// counts as unreachable, the clock as not synced and there is no snapshot, so nothing
    /// is granted.
    pub fn new(settings: BridgeSettings) -> Self {
        Self::with_clock(settings, Arc::new(SystemClock))
    }

    /// State on an injected clock (tests, simulation).
    pub fn with_clock(settings: BridgeSettings, clock: Arc<dyn Clock>) -> Self {
        let started = clock.now_instant();
        let state = BridgeState {
            settings,
            started,
            heartbeat: 0,
            last_tick: None,
            central_reachable: false,
            clock_synced: false,
            lockdown: false,
            deciding_offline: false,
            snapshot: None,
            doors: Vec::new(),
            events: None,
            unlock_orders: None,
        };
        Self { inner: Arc::new(Mutex::new(state)), clock }
    }

    fn lock(&self) -> MutexGuard<'_, BridgeState> {
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Where every decision and door event goes; the integrator persists them for upload.
    pub fn set_event_sink(&self, sink: mpsc::UnboundedSender<AccessEvent>) {
        self.lock().events = Some(sink);
    }

    /// Where grants go to pulse the bridge's own relay (the field client). Orders that do not
    /// fit are dropped, never delayed: a late unlock is worse than none.
    pub fn set_unlock_orders(&self, orders: mpsc::Sender<UnlockOrder>) {
        self.lock().unlock_orders = Some(orders);
    }

    /// Replaces the snapshot unless it is older than the one held; returns whether it was taken.
    pub fn set_snapshot(&self, snapshot: AccessSnapshot) -> bool {
        let mut state = self.lock();
        if let Some(current) = &state.snapshot
            && current.hub_id == snapshot.hub_id
            && current.version > snapshot.version
        {
            tracing::warn!(
                hub.id = %snapshot.hub_id,
                snapshot.version = snapshot.version,
                current.version = current.version,
                "ignoring an older access snapshot"
            );
            return false;
        }
        tracing::info!(
            hub.id = %snapshot.hub_id,
            snapshot.version = snapshot.version,
            grants = snapshot.grants.len(),
            "access snapshot installed"
        );
        let (now, now_utc) = (self.clock.now_instant(), self.clock.now_utc());
        state.install_snapshot(snapshot, now, now_utc);
        true
    }

    /// Installs a snapshot from the central service whatever its version: the central
    /// service is the authority (its version counter may have been reset by a restore).
    pub fn replace_snapshot(&self, snapshot: AccessSnapshot) {
        let (hub, version, grants) = (snapshot.hub_id.clone(), snapshot.version, snapshot.grants.len());
        let (now, now_utc) = (self.clock.now_instant(), self.clock.now_utc());
        self.lock().install_snapshot(snapshot, now, now_utc);
        tracing::info!(hub.id = %hub, snapshot.version = version, grants, "access snapshot installed");
    }

    /// The central service said the snapshot `version` is still current: its age now counts
    /// from this moment, so an unchanged booking list does not run into the offline limit
    /// while the link is up. Ignored while the clock is not synced (a wrong clock must never
    /// make a snapshot look young). Returns whether the snapshot was confirmed.
    pub fn confirm_snapshot(&self, version: u64) -> bool {
        let now_utc = self.clock.now_utc();
        let mut state = self.lock();
        if !state.clock_synced {
            return false;
        }
        match &mut state.snapshot {
            Some(snapshot) if snapshot.version == version => {
                snapshot.generated_at = snapshot.generated_at.max(now_utc);
                true
            }
            _ => false,
        }
    }

    /// The version of the snapshot held, if any.
    pub fn snapshot_version(&self) -> Option<u64> {
        self.lock().snapshot.as_ref().map(|snapshot| snapshot.version)
    }

    /// A copy of the snapshot held (with `generated_at` moved by [`Self::confirm_snapshot`]).
    pub fn snapshot(&self) -> Option<AccessSnapshot> {
        self.lock().snapshot.clone()
    }

    /// The bridge's wall-clock time, as its decisions see it.
    pub fn now_utc(&self) -> DateTime<Utc> {
        self.clock.now_utc()
    }

    /// Whether the clock counts as synced (status bit 2).
    pub fn is_clock_synced(&self) -> bool {
        self.lock().clock_synced
    }

    /// Whether decisions are being made without the central service (status bit 5).
    pub fn is_deciding_offline(&self) -> bool {
        self.lock().deciding_offline
    }

    /// Records an event that did not come from a door decision (presence, a dropped remote
    /// command), with the same id, time and offline flag as every other event.
    pub fn record_event(&self, door: &DoorId, kind: AccessEventKind, booking: Option<BookingId>) {
        let now_utc = self.clock.now_utc();
        self.lock().emit_as(door, vec![(kind, booking)], now_utc);
    }

    /// Status bit 0.
    pub fn set_central_reachable(&self, reachable: bool) {
        self.lock().central_reachable = reachable;
    }

    /// Status bit 2; while false every time-window decision is denied.
    pub fn set_clock_synced(&self, synced: bool) {
        self.lock().clock_synced = synced;
    }

    /// The bridge's own lockdown flag; status bit 4 shows it OR the snapshot's. While on every
    /// request but a maintenance credential is denied and pending commands are dropped.
    pub fn set_lockdown(&self, lockdown: bool) {
        let now = self.clock.now_instant();
        let now_utc = self.clock.now_utc();
        let mut state = self.lock();
        state.lockdown = lockdown;
        if lockdown {
            for index in 0..state.doors.len() {
                let mut events = Vec::new();
                state.doors[index].drop_command_now(now, &mut events);
                state.emit(index, events, now_utc);
            }
        }
    }

    /// Status bit 5: decisions come from the cached snapshot without the central service.
    /// Denials then read `req_result` 4, and remote unlocks are refused.
    /// Going offline drops remote unlock commands not yet carried out.
    pub fn set_deciding_offline(&self, offline: bool) {
        let now = self.clock.now_instant();
        let now_utc = self.clock.now_utc();
        let mut state = self.lock();
        state.deciding_offline = offline;
        if offline {
            for index in 0..state.doors.len() {
                let mut events = Vec::new();
                state.doors[index].drop_remote_command(now, &mut events);
                state.emit(index, events, now_utc);
            }
        }
    }

    /// The bridge's own flag for one door; status bit 3 is clear while it or the snapshot
    /// disables the door. A disabled door denies everything but a maintenance credential.
    pub fn set_door_enabled(&self, door: &DoorId, enabled: bool) -> Result<(), UnknownDoorError> {
        self.with_door(door, |door, _, _, _| door.enabled = enabled)
    }

    /// Register 12 of one door.
    pub fn set_presence(&self, door: &DoorId, presence: Presence) -> Result<(), UnknownDoorError> {
        self.with_door(door, |door, _, _, _| door.presence = presence)
    }

    /// Status bit 6 and alarm bit 3 of one door, from the field client.
    pub fn set_field_io_healthy(&self, door: &DoorId, healthy: bool) -> Result<(), UnknownDoorError> {
        self.with_door(door, |door, _, _, events| {
            door.set_field_io_healthy(healthy, events);
        })
    }

    /// Door contact and request-to-exit from the bridge's own field inputs (`None` when the
    /// inputs cannot be read). Used for supervision only if the door's state source is
    /// `DoorStateSource::Field`.
    pub fn feed_door_inputs(&self, door: &DoorId, inputs: Option<DoorInputs>) -> Result<(), UnknownDoorError> {
        self.with_door(door, |door, settings, now, events| {
            if door.config.door_state_source == DoorStateSource::Field {
                door.observe_inputs(inputs, now, settings, events);
            }
        })
    }

    /// The central service has seen this alarm; it clears once its condition has ended.
    pub fn mark_alarm_seen(&self, door: &DoorId, alarm: Alarm) -> Result<(), UnknownDoorError> {
        self.with_door(door, |door, _, _, events| door.mark_alarm_seen(alarm, events))
    }

    /// A remote unlock the central service forwarded for a signed-in member. Refused while the
    /// bridge decides offline: remote unlocks must never work without the central service.
    pub fn remote_unlock(&self, door: &DoorId, booking: BookingId) -> Result<Decision, UnknownDoorError> {
        let now = self.clock.now_instant();
        let now_utc = self.clock.now_utc();
        let mut state = self.lock();
        let index = state.door_index_by_id(door).ok_or_else(|| UnknownDoorError(door.clone()))?;
        let mut events = Vec::new();
        let decision = if state.deciding_offline {
            Decision::Deny { reason: DenyReason::RemoteUnlockOffline }
        } else {
            state.decide_for_door(index, Credential::Booking(booking.clone()), CredentialKind::Remote, now_utc)
        };
        match &decision {
            Decision::Grant { booking_id, .. } => {
                state.grant(index, Holder::Booking(booking_id.clone()), None, now, now_utc, &mut events);
            }
            Decision::Deny { reason } => {
                events.push((AccessEventKind::Denied { reason: *reason }, Some(booking)));
            }
        }
        state.emit(index, events, now_utc);
        Ok(decision)
    }

    /// Carries out a remote unlock command from the central service through the door rule
    /// (a staff-ordered opening without a booking through every check but the booking),
    /// within the command's deadline and pulse. Every refusal is recorded as a
    /// `remote_unlock_result` event with `executed: false`; an issued command reports its
    /// result once the controller or relay confirmed it (or it expired).
    pub fn remote_unlock_command(&self, command: &RemoteUnlock) -> RemoteUnlockOutcome {
        let now = self.clock.now_instant();
        let now_utc = self.clock.now_utc();
        let mut state = self.lock();
        let booking = command.booking_id.clone();
        let not_executed = AccessEventKind::RemoteUnlockResult { command_id: command.id.clone(), executed: false };
        let Some(index) = state.door_index_by_id(&command.door_id) else {
            let events = vec![
                (AccessEventKind::Denied { reason: DenyReason::UnknownDoor }, booking.clone()),
                (not_executed, booking),
            ];
            state.emit_as(&command.door_id, events, now_utc);
            return RemoteUnlockOutcome::Denied(DenyReason::UnknownDoor);
        };
        let mut events = Vec::new();
        let outcome = if state.deciding_offline {
            RemoteUnlockOutcome::Denied(DenyReason::RemoteUnlockOffline)
        } else if now_utc >= command.deadline {
            RemoteUnlockOutcome::Expired
        } else {
            let decided = match &command.booking_id {
                Some(booking) => {
                    let credential = Credential::Booking(booking.clone());
                    match state.decide_for_door(index, credential, CredentialKind::Remote, now_utc) {
                        Decision::Grant { booking_id, .. } => Ok(Holder::Booking(booking_id)),
                        Decision::Deny { reason } => Err(reason),
                    }
                }
                None => state.decide_staff_opening(index, now_utc).map(|()| Holder::Staff),
            };
            match decided {
                Ok(holder) => {
                    let limits = RemoteLimits {
                        command_id: command.id.clone(),
                        pulse: Duration::from_millis(u64::from(command.pulse_ms)),
                        deadline: command.deadline,
                    };
                    let cmd_seq = state.grant(index, holder, Some(limits), now, now_utc, &mut events);
                    RemoteUnlockOutcome::Issued { cmd_seq }
                }
                Err(reason) => RemoteUnlockOutcome::Denied(reason),
            }
        };
        match outcome {
            RemoteUnlockOutcome::Issued { .. } => {}
            RemoteUnlockOutcome::Expired => events.push((not_executed, booking)),
            RemoteUnlockOutcome::Denied(reason) => {
                events.push((AccessEventKind::Denied { reason }, booking.clone()));
                events.push((not_executed, booking));
            }
        }
        tracing::info!(
            door.id = %command.door_id,
            booking.id = command.booking_id.as_ref().map_or("", BookingId::as_str),
            staff = command.booking_id.is_none(),
            command.id = %command.id,
            outcome = ?outcome,
            "remote unlock"
        );
        state.emit(index, events, now_utc);
        outcome
    }

    /// What the bridge's own lock relay did with the unlock order `cmd_seq`. A pulse that
    /// switched counts as executed, like a controller's acknowledgement. A pulse that failed
    /// drops the command at once (not executed) when no controller could still carry it
    /// out; a door that also has a controller keeps the command for it until its deadline.
    pub fn report_relay_outcome(&self, door: &DoorId, cmd_seq: u16, switched: bool) -> Result<(), UnknownDoorError> {
        self.with_door(door, |door, _, now, events| {
            if switched {
                door.acknowledge(cmd_seq, now, events);
            } else if door.config.controller == ControllerMode::NoController && door.cmd_seq() == cmd_seq {
                door.drop_command_now(now, events);
            }
        })
    }

    /// What a controller of this door would read in input registers 0–15 now.
    pub fn input_block(&self, door: &DoorId) -> Option<InputBlock> {
        let now = self.clock.now_instant();
        let now_utc = self.clock.now_utc();
        let state = self.lock();
        let index = state.door_index_by_id(door)?;
        InputBlock::from_registers(&state.input_registers(index, now, now_utc))
    }

    /// Whether any configured door accepts this peer; others are refused at connect.
    pub(crate) fn peer_allowed_anywhere(&self, peer: IpAddr) -> bool {
        self.lock().doors.iter().any(|door| {
            door.config.controller != ControllerMode::NoController && door.config.allowed_peers.allows(peer)
        })
    }

    pub(crate) fn install_doors(&self, doors: Vec<DoorRuntimeConfig>) {
        let now = self.clock.now_instant();
        let mut state = self.lock();
        state.doors = doors.into_iter().map(|config| DoorRuntime::new(config, now)).collect();
    }

    pub(crate) fn tick_interval(&self) -> Duration {
        self.lock().settings.tick
    }

    pub(crate) fn idle_timeout(&self) -> Duration {
        self.lock().settings.idle_timeout
    }

    /// Open connections allowed in total and per peer.
    pub(crate) fn connection_limits(&self) -> (u32, u32) {
        let state = self.lock();
        (state.settings.max_connections, state.settings.max_connections_per_peer)
    }

    /// Advances the bridge heartbeat and runs every door's timers.
    pub(crate) fn tick(&self) {
        let now = self.clock.now_instant();
        let now_utc = self.clock.now_utc();
        let mut state = self.lock();
        let seconds = now.saturating_duration_since(state.started).as_secs();
        state.heartbeat = u16::try_from(seconds & 0xFFFF).unwrap_or(0);
        state.last_tick = Some(now);
        for index in 0..state.doors.len() {
            let mut events = Vec::new();
            let BridgeState { settings, doors, .. } = &mut *state;
            doors[index].refresh(now, settings, &mut events);
            state.emit(index, events, now_utc);
        }
    }

    fn with_door(
        &self,
        door: &DoorId,
        change: impl FnOnce(&mut DoorRuntime, &BridgeSettings, Instant, &mut Vec<DoorEvent>),
    ) -> Result<(), UnknownDoorError> {
        let now = self.clock.now_instant();
        let now_utc = self.clock.now_utc();
        let mut state = self.lock();
        let index = state.door_index_by_id(door).ok_or_else(|| UnknownDoorError(door.clone()))?;
        let mut events = Vec::new();
        let BridgeState { settings, doors, .. } = &mut *state;
        change(&mut doors[index], settings, now, &mut events);
        doors[index].refresh(now, settings, &mut events);
        state.emit(index, events, now_utc);
        Ok(())
    }

    /// Answers one Modbus request from `peer` for unit `unit`.
    pub(crate) fn handle_modbus(
        &self,
        peer: IpAddr,
        unit: u8,
        request: &Request<'_>,
    ) -> Result<Option<Response>, ExceptionCode> {
        if unit == 0 {
            // Broadcast: no door listens on it and Modbus forbids answering.
            return Ok(None);
        }
        let now = self.clock.now_instant();
        let now_utc = self.clock.now_utc();
        let mut state = self.lock();
        let Some(index) = state.door_index_by_unit(unit) else {
            return Err(ExceptionCode::GatewayTargetDevice);
        };
        if !state.doors[index].config.allowed_peers.allows(peer) {
            tracing::warn!(
                door.id = %state.doors[index].config.id,
                peer = %peer,
                "peer not on this door's allow-list"
            );
            return Err(ExceptionCode::GatewayTargetDevice);
        }
        let mut events = Vec::new();
        {
            let BridgeState { settings, doors, .. } = &mut *state;
            doors[index].controller_polled(now);
            doors[index].refresh(now, settings, &mut events);
        }
        let answer = state.answer(index, request, now, now_utc, &mut events);
        {
            let BridgeState { settings, doors, .. } = &mut *state;
            doors[index].refresh(now, settings, &mut events);
        }
        state.emit(index, events, now_utc);
        answer.map(Some)
    }
}

impl BridgeState {
    /// Doors without a controller have no unit id on the wire.
    fn door_index_by_unit(&self, unit: u8) -> Option<usize> {
        self.doors.iter().position(|d| d.config.controller != ControllerMode::NoController && d.config.unit_id == unit)
    }

    fn door_index_by_id(&self, id: &DoorId) -> Option<usize> {
        self.doors.iter().position(|d| &d.config.id == id)
    }

    /// Lockdown as status bit 4 shows it: the bridge's own flag or the snapshot's. A lockdown
    /// in a stale snapshot stays in force until a newer one lifts it (fail secure).
    fn lockdown_in_force(&self) -> bool {
        self.lockdown || self.snapshot.as_ref().is_some_and(|snapshot| snapshot.lockdown)
    }

    /// Whether door `index` may open, as status bit 3 shows it: neither the bridge's own flag
    /// nor the snapshot disables it.
    fn door_enabled(&self, index: usize) -> bool {
        let door = &self.doors[index];
        let disabled_centrally = self
            .snapshot
            .as_ref()
            .and_then(|snapshot| snapshot.door(&door.config.id))
            .is_some_and(|door| door.disabled);
        door.enabled && !disabled_centrally
    }

    /// Installs a snapshot. A lockdown or a disabled door it brings in drops the commands
    /// not yet carried out, as the bridge's own setters would: a grant issued a moment before
    /// must not open a door the managers just closed.
    fn install_snapshot(&mut self, snapshot: AccessSnapshot, now: Instant, now_utc: DateTime<Utc>) {
        let was_locked = self.lockdown_in_force();
        let was_enabled: Vec<bool> = (0..self.doors.len()).map(|index| self.door_enabled(index)).collect();
        self.snapshot = Some(snapshot);
        let locked = self.lockdown_in_force();
        if locked != was_locked {
            tracing::warn!(lockdown = locked, "hub lockdown changed by the access snapshot");
        }
        for (index, was_enabled) in was_enabled.into_iter().enumerate() {
            let enabled = self.door_enabled(index);
            if enabled != was_enabled {
                tracing::warn!(door.id = %self.doors[index].config.id, enabled, "door enabled changed by the access snapshot");
            }
            if (locked && !was_locked) || (was_enabled && !enabled) {
                let mut events = Vec::new();
                self.doors[index].drop_command_now(now, &mut events);
                self.emit(index, events, now_utc);
            }
        }
    }

    fn snapshot_valid(&self, now_utc: DateTime<Utc>) -> bool {
        self.snapshot.as_ref().is_some_and(|snapshot| {
            chrono::TimeDelta::from_std(self.settings.max_snapshot_age)
                .is_ok_and(|max| now_utc.signed_duration_since(snapshot.generated_at) <= max)
        })
    }

    fn bridge_healthy(&self, now: Instant, now_utc: DateTime<Utc>) -> bool {
        let beat_limit = self.settings.tick.max(Duration::from_secs(1)) * 2;
        let beating = self.last_tick.is_some_and(|at| now.saturating_duration_since(at) <= beat_limit);
        beating && self.snapshot_valid(now_utc)
    }

    fn answer(
        &mut self,
        index: usize,
        request: &Request<'_>,
        now: Instant,
        now_utc: DateTime<Utc>,
        events: &mut Vec<DoorEvent>,
    ) -> Result<Response, ExceptionCode> {
        match request {
            Request::ReadInputRegisters(address, count) => {
                let range = checked_range(*address, *count, MAX_READ_REGISTERS, 0, INPUT_BLOCK_LEN - 1)?;
                let block = self.input_registers(index, now, now_utc);
                Ok(Response::ReadInputRegisters(range.map(|a| block[usize::from(a)]).collect()))
            }
            Request::ReadHoldingRegisters(address, count) => {
                let range = checked_range(*address, *count, MAX_READ_REGISTERS, HR_FIRST, HR_LAST)?;
                let door = &self.doors[index];
                Ok(Response::ReadHoldingRegisters(range.map(|a| door.holding(a)).collect()))
            }
            Request::ReadDiscreteInputs(address, count) => {
                let range = checked_range(*address, *count, MAX_READ_BITS, 0, DI_COUNT - 1)?;
                let window = self.doors[index].unlock_window_active(now);
                let healthy = self.bridge_healthy(now, now_utc);
                Ok(Response::ReadDiscreteInputs(
                    range
                        .map(|a| match a {
                            DI_UNLOCK_WINDOW => window,
                            DI_BRIDGE_HEALTHY => healthy,
                            _ => false,
                        })
                        .collect(),
                ))
            }
            Request::WriteSingleRegister(address, value) => {
                match *address {
                    HR_CTRL_HEARTBEAT..=HR_CMD_ACK_SEQ => {
                        self.controller_write(index, *address, *value, now, events);
                    }
                    HR_REQ_SEQ..=HR_LAST => return Err(ExceptionCode::IllegalDataValue),
                    _ => return Err(ExceptionCode::IllegalDataAddress),
                }
                Ok(Response::WriteSingleRegister(*address, *value))
            }
            Request::WriteMultipleRegisters(address, words) => {
                let count = u16::try_from(words.len()).map_err(|_| ExceptionCode::IllegalDataValue)?;
                if count == 0 {
                    return Err(ExceptionCode::IllegalDataValue);
                }
                let last = address.checked_add(count - 1).ok_or(ExceptionCode::IllegalDataAddress)?;
                if (HR_CTRL_HEARTBEAT..=HR_CMD_ACK_SEQ).contains(address) && last <= HR_CMD_ACK_SEQ {
                    for (register, value) in (*address..=last).zip(words.iter()) {
                        self.controller_write(index, register, *value, now, events);
                    }
                } else if *address == HR_REQ_SEQ && last <= HR_LAST {
                    self.mailbox_write(index, words, now, now_utc, events)?;
                } else if *address > HR_REQ_SEQ && *address <= HR_LAST && last <= HR_LAST {
                    // Part of the mailbox without req_seq: it must be written whole.
                    return Err(ExceptionCode::IllegalDataValue);
                } else {
                    return Err(ExceptionCode::IllegalDataAddress);
                }
                Ok(Response::WriteMultipleRegisters(*address, count))
            }
            _ => Err(ExceptionCode::IllegalFunction),
        }
    }

    /// Registers 100–102: heartbeat, door state, acknowledgement.
    fn controller_write(&mut self, index: usize, address: u16, value: u16, now: Instant, events: &mut Vec<DoorEvent>) {
        let settings = &self.settings;
        let door = &mut self.doors[index];
        door.store_holding(address, value);
        match address {
            HR_CTRL_HEARTBEAT => door.controller_heartbeat(value, now),
            HR_DOOR_STATE_BITS if door.config.door_state_source == DoorStateSource::Controller => {
                let inputs = DoorRuntime::inputs_from_bits(value);
                door.observe_inputs(Some(inputs), now, settings, events);
            }
            HR_CMD_ACK_SEQ => door.acknowledge(value, now, events),
            _ => {}
        }
    }

    /// One FC16 write of the mailbox starting at 110: validate, rate-limit, decide, answer.
    fn mailbox_write(
        &mut self,
        index: usize,
        words: &[u16],
        now: Instant,
        now_utc: DateTime<Utc>,
        events: &mut Vec<DoorEvent>,
    ) -> Result<(), ExceptionCode> {
        let request = parse_mailbox(words).map_err(|error| {
            tracing::info!(door.id = %self.doors[index].config.id, %error, "malformed mailbox refused");
            ExceptionCode::IllegalDataValue
        })?;
        let door = &mut self.doors[index];
        let same_mailbox =
            (HR_REQ_SEQ..=HR_LAST).zip(words.iter().chain(std::iter::repeat(&0))).all(|(r, w)| door.holding(r) == *w);
        if request.seq == door.req_seq_echo && door.req_result != RequestResult::Pending && same_mailbox {
            // A repeat of the request just answered (e.g. the controller retried the write):
            // nothing new to decide. The whole mailbox must match, not only `req_seq`: a
            // restarted controller counting from 1 again must never read an earlier grant as
            // the answer to a different credential.
            return Ok(());
        }
        if !door.rate.admit(now, self.settings.requests_per_minute) {
            tracing::warn!(door.id = %door.config.id, "credential requests over the rate limit");
            return Err(ExceptionCode::ServerDeviceBusy);
        }
        for register in HR_REQ_SEQ..=HR_LAST {
            door.store_holding(register, 0);
        }
        for (register, value) in (HR_REQ_SEQ..=HR_LAST).zip(words.iter()) {
            door.store_holding(register, *value);
        }
        self.decide_mailbox(index, &request, now, now_utc, events);
        Ok(())
    }

    fn decide_mailbox(
        &mut self,
        index: usize,
        request: &MailboxRequest,
        now: Instant,
        now_utc: DateTime<Utc>,
        events: &mut Vec<DoorEvent>,
    ) {
        if self.doors[index].lockout.remaining(now).is_some() {
            self.doors[index].answer(request.seq, RequestResult::LockedOut, Some(DenyReason::LockedOut));
            events.push((AccessEventKind::Denied { reason: DenyReason::LockedOut }, None));
            self.log_answer(index, request, RequestResult::LockedOut, Some(DenyReason::LockedOut));
            return;
        }
        let Some(credential) = credential_of(request, &self.settings.hub_key) else {
            self.doors[index].answer(request.seq, RequestResult::BadRequest, Some(DenyReason::BadRequest));
            events.push((AccessEventKind::Denied { reason: DenyReason::BadRequest }, None));
            self.log_answer(index, request, RequestResult::BadRequest, Some(DenyReason::BadRequest));
            return;
        };
        let decision = self.decide_for_door(index, credential.clone(), request.kind, now_utc);
        let door_id = self.doors[index].config.id.clone();
        let maintenance = match &decision {
            Decision::Deny { reason } => {
                maintenance::matching(&self.settings.maintenance, &door_id, &credential, *reason)
                    .map(|found| found.name.clone())
            }
            Decision::Grant { .. } => None,
        };
        let (result, reason) = match (decision, maintenance) {
            (Decision::Grant { booking_id, .. }, _) => {
                self.grant(index, Holder::Booking(booking_id), None, now, now_utc, events);
                (RequestResult::Granted, None)
            }
            (Decision::Deny { .. }, Some(name)) => {
                tracing::warn!(door.id = %door_id, maintenance = %name, "maintenance credential used");
                self.grant(index, Holder::Maintenance(name), None, now, now_utc, events);
                (RequestResult::Granted, None)
            }
            (Decision::Deny { reason }, None) => {
                // The access log keeps the detailed reason; the keypad learns only that this
                // credential does not open, so it cannot tell a guessed PIN that exists (too
                // early, wrong door, …) from one that does not. Every refusal counts toward
                // the lockout, whatever its reason.
                events.push((AccessEventKind::Denied { reason }, None));
                let policy = self.doors[index].config.lockout.unwrap_or(self.settings.lockout);
                let keypad_reason = keypad_reason(reason);
                if let Some(length) = self.doors[index].lockout.record_failure(now, &policy) {
                    let seconds = u32::try_from(length.as_secs()).unwrap_or(u32::MAX);
                    events.push((AccessEventKind::LockedOut { seconds }, None));
                    (RequestResult::LockedOut, Some(DenyReason::LockedOut))
                } else if self.deciding_offline {
                    (RequestResult::DeniedOffline, Some(keypad_reason))
                } else {
                    (RequestResult::Denied, Some(keypad_reason))
                }
            }
        };
        self.doors[index].answer(request.seq, result, reason);
        self.log_answer(index, request, result, reason);
    }

    fn log_answer(&self, index: usize, request: &MailboxRequest, result: RequestResult, reason: Option<DenyReason>) {
        tracing::info!(
            door.id = %self.doors[index].config.id,
            req.seq = request.seq,
            req.kind = ?request.kind,
            result = ?result,
            reason = reason.map_or("", DenyReason::as_str),
            offline = self.deciding_offline,
            "credential decided"
        );
    }

    /// Hub-wide vetoes first (lockdown and a disabled door, the bridge's own or the
    /// snapshot's), then the pure door rule.
    fn decide_for_door(
        &self,
        index: usize,
        credential: Credential,
        kind: CredentialKind,
        now_utc: DateTime<Utc>,
    ) -> Decision {
        let (snapshot, policy) = match self.vetoes(index) {
            Ok(found) => found,
            Err(reason) => return Decision::Deny { reason },
        };
        let request = AccessRequest { door: self.doors[index].config.id.clone(), credential, kind };
        decide(snapshot, &request, now_utc, self.clock_synced, &policy)
    }

    /// The same vetoes and rule for a staff-ordered opening, which has no booking to check.
    fn decide_staff_opening(&self, index: usize, now_utc: DateTime<Utc>) -> Result<(), DenyReason> {
        let (snapshot, policy) = self.vetoes(index)?;
        decide_staff_opening(snapshot, &self.doors[index].config.id, now_utc, self.clock_synced, &policy)
    }

    /// Refuses in lockdown, at a disabled door and without a snapshot; otherwise the snapshot
    /// and the door's policy for the pure rule.
    fn vetoes(&self, index: usize) -> Result<(&AccessSnapshot, DecisionPolicy), DenyReason> {
        if self.lockdown_in_force() {
            return Err(DenyReason::Lockdown);
        }
        if !self.door_enabled(index) {
            return Err(DenyReason::DoorDisabled);
        }
        let snapshot = self.snapshot.as_ref().ok_or(DenyReason::NoSnapshot)?;
        let policy = DecisionPolicy {
            max_snapshot_age: self.settings.max_snapshot_age,
            pulse: self.doors[index].config.pulse,
            command_validity: self.settings.command_validity,
        };
        Ok((snapshot, policy))
    }

    /// Issues the unlock command for a grant, records it and tells the relay hook; returns
    /// the command's sequence number.
    fn grant(
        &mut self,
        index: usize,
        holder: Holder,
        remote: Option<RemoteLimits>,
        now: Instant,
        now_utc: DateTime<Utc>,
        events: &mut Vec<DoorEvent>,
    ) -> u16 {
        let booking = match &holder {
            Holder::Booking(id) => Some(id.clone()),
            Holder::Maintenance(_) | Holder::Staff => None,
        };
        let booking_end = booking.as_ref().and_then(|booking| {
            self.snapshot.as_ref().and_then(|snapshot| {
                snapshot.grants.iter().find(|grant| &grant.booking_id == booking).map(|grant| grant.valid_until)
            })
        });
        let door_pulse = self.doors[index].config.pulse;
        let mut spec = CommandSpec {
            pulse: door_pulse,
            valid_for: self.settings.command_validity,
            booking: booking.clone(),
            remote_id: None,
        };
        if let Some(remote) = remote {
            // The door's configured pulse stays the hard maximum; 0 means "the door's pulse".
            if !remote.pulse.is_zero() {
                spec.pulse = remote.pulse.min(door_pulse);
            }
            let left = remote.deadline.signed_duration_since(now_utc).to_std().unwrap_or_default();
            spec.valid_for = spec.valid_for.min(left);
            spec.remote_id = Some(remote.command_id);
        }
        let valid_for = spec.valid_for;
        let door = &mut self.doors[index];
        door.booking_end = booking_end;
        let issued = door.issue_command(now, &self.settings, spec, events);
        match holder {
            Holder::Booking(id) => events.push((AccessEventKind::Granted { cmd_seq: issued.seq }, Some(id))),
            Holder::Staff => events.push((AccessEventKind::Granted { cmd_seq: issued.seq }, None)),
            Holder::Maintenance(name) => {
                events.push((AccessEventKind::MaintenanceGranted { name, cmd_seq: issued.seq }, None));
            }
        }
        let deadline = chrono::TimeDelta::from_std(valid_for)
            .ok()
            .and_then(|validity| now_utc.checked_add_signed(validity))
            .unwrap_or(now_utc);
        if let Some(orders) = &self.unlock_orders {
            let order = UnlockOrder {
                door: door.config.id.clone(),
                cmd_seq: issued.seq,
                pulse: issued.pulse,
                deadline,
                booking_id: booking,
            };
            if orders.try_send(order).is_err() {
                tracing::warn!(door.id = %door.config.id, "relay order dropped: relay task busy or gone");
            }
        }
        issued.seq
    }

    fn input_registers(&self, index: usize, now: Instant, now_utc: DateTime<Utc>) -> [u16; 16] {
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

    fn emit(&self, index: usize, events: Vec<DoorEvent>, now_utc: DateTime<Utc>) {
        if let Some(door) = self.doors.get(index) {
            self.emit_as(&door.config.id, events, now_utc);
        }
    }

    /// Sends events of `door` to the sink (the durable queue), stamped with a random id, the
    /// time and the offline flag.
    fn emit_as(&self, door: &DoorId, events: Vec<DoorEvent>, now_utc: DateTime<Utc>) {
        for (kind, booking_id) in events {
            tracing::info!(
                door.id = %door,
                booking.id = booking_id.as_ref().map_or("", |id| id.as_str()),
                event = ?kind,
                offline = self.deciding_offline,
                "door event"
            );
            let event = AccessEvent {
                id: format!("{:032x}", rand::random::<u128>()),
                at: now_utc,
                door: door.clone(),
                kind,
                booking_id,
                offline: self.deciding_offline,
            };
            if let Some(sink) = &self.events
                && sink.send(event).is_err()
            {
                tracing::warn!(door.id = %door, "event sink closed; event not recorded");
            }
        }
    }
}

/// The reason a keypad or reader is told for a refused credential. Reasons that depend on
/// the credential (it matched a booking that is early, late, elsewhere, revoked, …) would tell
/// a guesser that the PIN exists, so they all read `no_booking`; reasons that hold for every
/// credential alike (lockdown, a disabled door, no valid snapshot, the clock) stay as they
/// are, so a member at the door still learns why nothing opens.
fn keypad_reason(reason: DenyReason) -> DenyReason {
    match reason {
        DenyReason::TooEarly
        | DenyReason::TooLate
        | DenyReason::WrongDoor
        | DenyReason::Revoked
        | DenyReason::UserInactive
        | DenyReason::BookingNotActive => DenyReason::NoBooking,
        other => other,
    }
}

/// Addresses `address .. address+count` if all lie in `first..=last`.
fn checked_range(
    address: u16,
    count: u16,
    max_count: u16,
    first: u16,
    last: u16,
) -> Result<std::ops::RangeInclusive<u16>, ExceptionCode> {
    if count == 0 || count > max_count {
        return Err(ExceptionCode::IllegalDataValue);
    }
    let end = address.checked_add(count - 1).ok_or(ExceptionCode::IllegalDataAddress)?;
    if address < first || end > last {
        return Err(ExceptionCode::IllegalDataAddress);
    }
    Ok(address..=end)
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
