//! The bridge's shared state behind one lock: hub-wide status (central reachable, snapshot,
//! clock, lockdown), every door's runtime, and the event and relay hooks. The integrator sets
//! status through the setters here, the ticker calls `tick`, and the Modbus adapter reaches
//! one door's registers through `with_unit`. The verdicts themselves are pure (`decision`,
//! `keypad`); they are asked and carried out here, under the lock, so two connections can never
//! race on one door's mailbox or command. Sub-modules: the snapshot's setters, remote unlocks,
//! carrying out a grant, and one door's registers as one Modbus request sees them.

mod grant;
mod remote;
mod snapshot;
mod unit;

use std::net::IpAddr;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use tokio::sync::mpsc;

use crate::decision::{DecisionPolicy, HubConditions, lockdown_in_force};
use crate::protocol::{AccessEvent, AccessEventKind, AccessSnapshot, Alarm, BookingId, DoorId};

use super::clock::{Clock, SystemClock};
use super::door::{DoorEvent, DoorRuntime};
use super::registers::InputBlock;
use super::runtime::{
    BridgeSettings, ControllerMode, DoorInputs, DoorRuntimeConfig, DoorStateSource, Presence, UnlockOrder,
};

pub use remote::RemoteUnlockOutcome;
pub(crate) use unit::{MailboxRefused, UnitAccess, Unrouted};

/// A setter named a door the bridge does not serve.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("door {0} is not configured on this bridge")]
pub struct UnknownDoorError(pub DoorId);

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
}

impl BridgeState {
    /// Doors without a controller have no unit id on the wire.
    fn door_index_by_unit(&self, unit: u8) -> Option<usize> {
        self.doors.iter().position(|d| d.config.controller != ControllerMode::NoController && d.config.unit_id == unit)
    }

    fn door_index_by_id(&self, id: &DoorId) -> Option<usize> {
        self.doors.iter().position(|d| &d.config.id == id)
    }

    /// What the hub-wide refusals look at for door `index`.
    fn conditions(&self, index: usize) -> HubConditions<'_> {
        HubConditions {
            snapshot: self.snapshot.as_ref(),
            own_lockdown: self.lockdown,
            own_door_enabled: self.doors[index].enabled,
            clock_synced: self.clock_synced,
            deciding_offline: self.deciding_offline,
        }
    }

    /// The door rule's knobs at door `index`.
    fn policy(&self, index: usize) -> DecisionPolicy {
        DecisionPolicy {
            max_snapshot_age: self.settings.max_snapshot_age,
            pulse: self.doors[index].config.pulse,
            command_validity: self.settings.command_validity,
        }
    }

    /// Lockdown as status bit 4 shows it.
    fn lockdown_in_force(&self) -> bool {
        lockdown_in_force(self.lockdown, self.snapshot.as_ref())
    }

    /// Whether door `index` may open, as status bit 3 shows it.
    fn door_enabled(&self, index: usize) -> bool {
        self.conditions(index).door_enabled(&self.doors[index].config.id)
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
