//! The task that owns one hub's Modbus connection: it connects with back-off, forces lock
//! outputs OFF, carries out pulse commands, ends bridge-timed pulses, polls inputs on their
//! own intervals and tracks each device's health. Only this task touches the `Context`.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::{mpsc, oneshot, watch};
use tokio::time::{Instant, sleep_until, timeout};
use tokio_modbus::client::{Client, Context};
use tokio_modbus::slave::SlaveContext;
use tokio_modbus::{Request, Response, Slave};

use super::health::{DeviceHealth, HealthChange, reconnect_delay};
use super::plan::{HubPlan, PollTarget};
use super::publish::Publishers;
use super::{ContactState, FieldError, LockOutput, Presence, PulseOutcome, connection};
use crate::config::{InputType, PulseMode, RelayCommand, RelayWrite};
use crate::metrics::{FieldErrorCounter, FieldErrorKind};

/// Lock outputs are re-asserted OFF this often while no pulse runs (the write is idempotent).
const REASSERT_OFF_EVERY: Duration = Duration::from_secs(5);
/// A failed OFF write is retried this soon (the device's back-off still applies).
const OFF_RETRY: Duration = Duration::from_millis(250);
/// A device-timed pulse is followed by a confirming OFF this long after it should have ended.
const DEVICE_TIMED_MARGIN: Duration = Duration::from_millis(300);
/// Longest sleep when nothing is due, so shutdown and clocks are looked at regularly.
const IDLE_WAKE: Duration = Duration::from_millis(500);

/// A request from the handle to the hub task.
pub(super) enum Command {
    Pulse { lock: usize, pulse: Duration, deadline: Instant, reply: oneshot::Sender<Result<PulseOutcome, FieldError>> },
}

struct DeviceState {
    health: DeviceHealth,
    /// The comms watchdog still has to be programmed on this connection.
    needs_setup: bool,
}

struct LockState {
    /// A pulse is running until then; periodic OFF is held back meanwhile.
    pulse_until: Option<Instant>,
    /// An OFF write is owed from then on (pulse end, reconnect, stray ON, retry).
    off_due: Option<Instant>,
    next_reassert: Instant,
}

/// The result of one Modbus call, classified by what the bridge must do next.
enum CallResult {
    Read(u16),
    /// A write answered with this echo matching the request.
    Written {
        echo_ok: bool,
    },
    /// The device answered with a Modbus exception: the link is fine.
    Exception(u8),
    /// Timeout, transport or protocol error: the connection has been dropped.
    Broken {
        timed_out: bool,
        detail: String,
    },
}

pub(super) struct Worker {
    plan: HubPlan,
    publishers: Arc<Publishers>,
    commands: mpsc::Receiver<Command>,
    commands_closed: bool,
    stop: watch::Receiver<bool>,
    ctx: Option<Context>,
    connect_at: Instant,
    connect_failures: u32,
    last_request: Instant,
    devices: Vec<DeviceState>,
    locks: Vec<LockState>,
    poll_due: Vec<Instant>,
    errors: FieldErrorCounter,
}

impl Worker {
    pub(super) fn new(
        plan: HubPlan,
        publishers: Arc<Publishers>,
        commands: mpsc::Receiver<Command>,
        stop: watch::Receiver<bool>,
        errors: FieldErrorCounter,
    ) -> Self {
        let now = Instant::now();
        let devices =
            plan.devices.iter().map(|_| DeviceState { health: DeviceHealth::new(now), needs_setup: false }).collect();
        let locks = plan
            .locks
            .iter()
            .map(|_| LockState { pulse_until: None, off_due: Some(now), next_reassert: now + REASSERT_OFF_EVERY })
            .collect();
        let poll_due = plan.polls.iter().map(|_| now).collect();
        Self {
            plan,
            publishers,
            commands,
            commands_closed: false,
            stop,
            ctx: None,
            connect_at: now,
            connect_failures: 0,
            last_request: now,
            devices,
            locks,
            poll_due,
            errors,
        }
    }

    pub(super) async fn run(mut self) {
        tracing::info!(hub.name = %self.plan.hub.name, "field hub task started");
        loop {
            if *self.stop.borrow() {
                break;
            }
            while let Ok(command) = self.commands.try_recv() {
                self.handle(command).await;
            }
            if self.ctx.is_none() && Instant::now() >= self.connect_at {
                self.connect().await;
                continue;
            }
            if self.ctx.is_some() && self.do_one_due_job().await {
                continue;
            }
            let wake = self.next_wake();
            tokio::select! {
                biased;
                changed = self.stop.changed() => {
                    if changed.is_err() {
                        break;
                    }
                }
                command = self.commands.recv(), if !self.commands_closed => match command {
                    Some(command) => self.handle(command).await,
                    // A hub without locks has no senders; it keeps polling its inputs.
                    None => self.commands_closed = true,
                },
                () = sleep_until(wake) => {}
            }
        }
        self.switch_all_off_before_exit().await;
        tracing::info!(hub.name = %self.plan.hub.name, "field hub task stopped");
    }

    async fn connect(&mut self) {
        let hub = &self.plan.hub;
        match connection::open(&hub.transport, hub.timeout).await {
            Ok(ctx) => {
                tracing::info!(hub.name = %hub.name, "field hub connected");
                self.ctx = Some(ctx);
                self.connect_failures = 0;
                let now = Instant::now();
                // After every (re)connect: whatever the outputs did meanwhile, force them OFF.
                for lock in &mut self.locks {
                    lock.pulse_until = None;
                    lock.off_due = Some(now);
                }
                for (state, device) in self.devices.iter_mut().zip(&self.plan.devices) {
                    state.needs_setup = device.profile.watchdog_setup().is_some();
                }
            }
            Err(e) => {
                self.connect_failures = self.connect_failures.saturating_add(1);
                let now = Instant::now();
                self.connect_at = now + reconnect_delay(self.connect_failures);
                tracing::warn!(hub.name = %hub.name, error = %e, attempt = self.connect_failures, "field hub connect failed");
                for device in 0..self.devices.len() {
                    self.errors.record(&self.device_name(device), FieldErrorKind::Connect);
                    self.record_failure(device, now);
                }
            }
        }
    }

    /// Drops the connection after an error; the next loop turn reconnects.
    fn drop_connection(&mut self) {
        self.ctx = None;
        self.connect_at = Instant::now();
    }

    /// Does the most urgent due job (setup, OFF writes, then polls). False if none was due.
    async fn do_one_due_job(&mut self) -> bool {
        let now = Instant::now();
        for device in 0..self.devices.len() {
            let due = self.devices.get(device).is_some_and(|d| d.needs_setup && d.health.may_talk(now));
            if due {
                self.program_watchdog(device).await;
                return true;
            }
        }
        for lock in 0..self.locks.len() {
            if self.off_is_due(lock, now) {
                self.switch_off(lock).await;
                return true;
            }
        }
        for poll in 0..self.plan.polls.len() {
            let Some(plan) = self.plan.polls.get(poll) else {
                continue;
            };
            let (device, every) = (plan.device, plan.every);
            let due = self.poll_due.get(poll).is_some_and(|t| *t <= now);
            if !due {
                continue;
            }
            if let Some(slot) = self.poll_due.get_mut(poll) {
                *slot = now + every;
            }
            let may_talk = self.devices.get(device).is_some_and(|d| d.health.may_talk(now));
            if may_talk {
                self.poll(poll).await;
                return true;
            }
        }
        false
    }

    fn off_is_due(&mut self, lock: usize, now: Instant) -> bool {
        let Some(plan) = self.plan.locks.get(lock) else {
            return false;
        };
        let may_talk = self.devices.get(plan.device).is_some_and(|d| d.health.may_talk(now));
        let Some(state) = self.locks.get_mut(lock) else {
            return false;
        };
        if state.pulse_until.is_none() && state.off_due.is_none() && state.next_reassert <= now {
            state.off_due = Some(now);
        }
        may_talk && state.off_due.is_some_and(|t| t <= now)
    }

    fn next_wake(&self) -> Instant {
        let now = Instant::now();
        let mut wake = now + IDLE_WAKE;
        if self.ctx.is_none() {
            return wake.min(self.connect_at).max(now + Duration::from_millis(5));
        }
        let probe = |device: usize| self.devices.get(device).and_then(|d| d.health.next_probe()).unwrap_or(now);
        for (plan, due) in self.plan.polls.iter().zip(&self.poll_due) {
            wake = wake.min((*due).max(probe(plan.device)));
        }
        for (plan, state) in self.plan.locks.iter().zip(&self.locks) {
            let next = state.off_due.or(state.pulse_until).unwrap_or(state.next_reassert);
            wake = wake.min(next.max(probe(plan.device)));
        }
        for (device, state) in self.devices.iter().enumerate() {
            if state.needs_setup {
                wake = wake.min(probe(device));
            }
        }
        wake.max(now + Duration::from_millis(5))
    }

    async fn handle(&mut self, command: Command) {
        match command {
            Command::Pulse { lock, pulse, deadline, reply } => {
                let result = self.pulse(lock, pulse, deadline).await;
                // The caller may have gone away; the pulse still ends on schedule.
                let _ = reply.send(result);
            }
        }
    }

    async fn pulse(&mut self, lock: usize, requested: Duration, deadline: Instant) -> Result<PulseOutcome, FieldError> {
        if Instant::now() >= deadline {
            return Err(FieldError::Expired);
        }
        let Some(plan) = self.plan.locks.get(lock) else {
            return Err(FieldError::Stopped);
        };
        let (door, device, channel, mode, max) = (plan.door.clone(), plan.device, plan.channel, plan.mode, plan.pulse);
        let device_name = self.device_name(device);
        let disconnected = self.devices.get(device).is_none_or(|d| d.health.is_disconnected());
        if disconnected {
            return Err(FieldError::DeviceFault(device_name));
        }
        if self.ctx.is_none() {
            if Instant::now() < self.connect_at {
                return Err(FieldError::NotConnected(self.plan.hub.name.clone()));
            }
            self.connect().await;
            if self.ctx.is_none() {
                return Err(FieldError::NotConnected(self.plan.hub.name.clone()));
            }
        }
        if Instant::now() >= deadline {
            return Err(FieldError::Expired);
        }
        let length = if requested.is_zero() { max } else { requested.min(max) };
        let (command, length) = match mode {
            PulseMode::DeviceTimed => {
                let secs = length.as_millis().div_ceil(1000).clamp(1, 255);
                let secs = u8::try_from(secs).unwrap_or(u8::MAX);
                (RelayCommand::OnForSeconds(secs), Duration::from_secs(u64::from(secs)))
            }
            PulseMode::BridgeTimed => (RelayCommand::On, length),
        };
        let Some(write) = self.plan.devices.get(device).and_then(|d| d.profile.relay_write(channel, command)) else {
            return Err(FieldError::NoLock(door));
        };
        let result = self.call(device, Op::Write(write)).await;
        let now = Instant::now();
        match result {
            CallResult::Written { echo_ok } => {
                if let Some(state) = self.locks.get_mut(lock) {
                    state.pulse_until = Some(now + length);
                    state.off_due = Some(match mode {
                        PulseMode::DeviceTimed => now + length + DEVICE_TIMED_MARGIN,
                        PulseMode::BridgeTimed => now + length,
                    });
                }
                if echo_ok {
                    self.publishers.update_door(&door, |d| d.lock_output = LockOutput::On);
                }
                tracing::info!(door.id = %door, device = %device_name, ?mode, length_ms = length.as_millis(), switched = echo_ok, "unlock pulse");
                Ok(PulseOutcome { switched: echo_ok, mode, length, exception: None })
            }
            CallResult::Exception(code) => {
                tracing::warn!(door.id = %door, device = %device_name, exception = code, "unlock pulse refused by device");
                Ok(PulseOutcome { switched: false, mode, length, exception: Some(code) })
            }
            CallResult::Read(_) => Err(FieldError::Stopped),
            CallResult::Broken { timed_out, detail } => {
                // The ON may have reached the relay: owe an OFF (also forced after reconnect).
                if let Some(state) = self.locks.get_mut(lock) {
                    state.off_due = Some(now);
                }
                tracing::warn!(door.id = %door, device = %device_name, error = %detail, "unlock pulse failed");
                if timed_out {
                    Err(FieldError::Timeout(device_name))
                } else {
                    Err(FieldError::Transport { device: device_name, detail })
                }
            }
        }
    }

    async fn switch_off(&mut self, lock: usize) {
        let Some(plan) = self.plan.locks.get(lock) else {
            return;
        };
        let (door, device, channel) = (plan.door.clone(), plan.device, plan.channel);
        let Some(write) = self.plan.devices.get(device).and_then(|d| d.profile.relay_write(channel, RelayCommand::Off))
        else {
            return;
        };
        let result = self.call(device, Op::Write(write)).await;
        let now = Instant::now();
        let Some(state) = self.locks.get_mut(lock) else {
            return;
        };
        if let CallResult::Written { echo_ok: true } = result {
            state.pulse_until = None;
            state.off_due = None;
            state.next_reassert = now + REASSERT_OFF_EVERY;
            self.publishers.update_door(&door, |d| d.lock_output = LockOutput::Off);
        } else {
            state.off_due = Some(now + OFF_RETRY);
            tracing::warn!(door.id = %door, "lock OFF not confirmed; retrying");
        }
    }

    async fn program_watchdog(&mut self, device: usize) {
        let Some(write) = self.plan.devices.get(device).and_then(|d| d.profile.watchdog_setup()) else {
            return;
        };
        if let CallResult::Written { .. } = self.call(device, Op::Write(write)).await
            && let Some(state) = self.devices.get_mut(device)
        {
            state.needs_setup = false;
        }
    }

    async fn poll(&mut self, poll: usize) {
        let Some(plan) = self.plan.polls.get(poll) else {
            return;
        };
        let (device, input_type, address, target) = (plan.device, plan.input_type, plan.address, plan.target.clone());
        let CallResult::Read(value) = self.call(device, Op::Read(input_type, address)).await else {
            return;
        };
        match target {
            PollTarget::Contact { door, closed_when } => {
                let contact = if (value != 0) == closed_when { ContactState::Closed } else { ContactState::Open };
                self.publishers.update_door(&door, |d| d.contact = contact);
            }
            PollTarget::Exit { door, pressed_when } => {
                let pressed = (value != 0) == pressed_when;
                self.publishers.update_door(&door, |d| d.exit_request = pressed);
            }
            PollTarget::Presence { space, threshold } => {
                let present = if matches!(input_type, InputType::Coil | InputType::DiscreteInput) {
                    value != 0
                } else {
                    value > threshold
                };
                let presence = if present { Presence::Present } else { Presence::Empty };
                self.publishers.set_presence(&space, presence);
            }
            PollTarget::Readback { lock } => self.readback(lock, value != 0),
        }
    }

    fn readback(&mut self, lock: usize, on: bool) {
        let Some(plan) = self.plan.locks.get(lock) else {
            return;
        };
        let door = plan.door.clone();
        let Some(state) = self.locks.get_mut(lock) else {
            return;
        };
        if on && state.pulse_until.is_none() && state.off_due.is_none() {
            // ON without a pulse of ours: a stray command or a local input link. Force OFF.
            tracing::warn!(door.id = %door, "lock relay found ON without a pulse; forcing OFF");
            state.off_due = Some(Instant::now());
        }
        let output = if on { LockOutput::On } else { LockOutput::Off };
        self.publishers.update_door(&door, |d| d.lock_output = output);
    }

    fn device_name(&self, device: usize) -> String {
        self.plan.devices.get(device).map(|d| d.name.clone()).unwrap_or_default()
    }

    /// One Modbus call to a device, bounded by the hub timeout, with health bookkeeping.
    async fn call(&mut self, device: usize, op: Op) -> CallResult {
        let Some(unit) = self.plan.devices.get(device).map(|d| d.unit) else {
            return CallResult::Broken { timed_out: false, detail: "unknown device".to_owned() };
        };
        let gap_end = self.last_request + self.plan.hub.message_wait;
        if gap_end > Instant::now() {
            sleep_until(gap_end).await;
        }
        let limit = self.plan.hub.timeout;
        let Some(ctx) = self.ctx.as_mut() else {
            return CallResult::Broken { timed_out: false, detail: "not connected".to_owned() };
        };
        ctx.set_slave(Slave(unit));
        let request = op.request();
        let outcome = timeout(limit, ctx.call(request)).await;
        self.last_request = Instant::now();
        let result = match outcome {
            Err(_) => CallResult::Broken { timed_out: true, detail: "timed out".to_owned() },
            Ok(Err(e)) => CallResult::Broken { timed_out: false, detail: e.to_string() },
            Ok(Ok(Err(exception))) => CallResult::Exception(u8::from(exception)),
            Ok(Ok(Ok(response))) => op.classify(response),
        };
        let now = Instant::now();
        match &result {
            CallResult::Read(_) | CallResult::Written { .. } => self.record_success(device),
            CallResult::Exception(code) => {
                tracing::debug!(device = %self.device_name(device), exception = code, "device answered with an exception");
                self.errors.record(&self.device_name(device), FieldErrorKind::Exception);
                self.record_failure(device, now);
            }
            CallResult::Broken { detail, timed_out } => {
                let kind = if *timed_out { FieldErrorKind::Timeout } else { FieldErrorKind::Transport };
                self.errors.record(&self.device_name(device), kind);
                tracing::debug!(device = %self.device_name(device), error = %detail, "call failed; dropping connection");
                self.drop_connection();
                self.record_failure(device, now);
            }
        }
        result
    }

    fn record_success(&mut self, device: usize) {
        let Some(state) = self.devices.get_mut(device) else {
            return;
        };
        if state.health.record_success() == HealthChange::Recovered {
            let name = self.device_name(device);
            tracing::info!(device = %name, hub.name = %self.plan.hub.name, "field device answers again");
            self.publishers.set_device_fault(&name, false);
        }
    }

    fn record_failure(&mut self, device: usize, now: Instant) {
        let Some(state) = self.devices.get_mut(device) else {
            return;
        };
        if state.health.record_failure(now) != HealthChange::Disconnected {
            return;
        }
        let name = self.device_name(device);
        tracing::warn!(device = %name, hub.name = %self.plan.hub.name, "field device disconnected: device fault");
        self.publishers.set_device_fault(&name, true);
        for poll in self.plan.polls.iter().filter(|p| p.device == device) {
            match &poll.target {
                PollTarget::Contact { door, .. } => {
                    self.publishers.update_door(door, |d| d.contact = ContactState::Unknown)
                }
                PollTarget::Exit { door, .. } => {
                    self.publishers.update_door(door, |d| d.exit_request = false);
                }
                PollTarget::Presence { space, .. } => {
                    self.publishers.set_presence(space, Presence::Unknown);
                }
                PollTarget::Readback { .. } => {}
            }
        }
        for lock in self.plan.locks.iter().filter(|l| l.device == device) {
            self.publishers.update_door(&lock.door, |d| d.lock_output = LockOutput::Unknown);
        }
    }

    /// Best effort at shutdown: every lock OFF, each write bounded by the timeout.
    async fn switch_all_off_before_exit(&mut self) {
        if self.locks.is_empty() {
            return;
        }
        if self.ctx.is_none() {
            self.connect().await;
        }
        for lock in 0..self.locks.len() {
            if self.ctx.is_none() {
                self.connect().await;
            }
            self.switch_off(lock).await;
        }
    }
}

/// One Modbus operation on a device.
enum Op {
    Read(InputType, u16),
    Write(RelayWrite),
}

impl Op {
    fn request(&self) -> Request<'static> {
        match *self {
            Self::Read(InputType::Coil, address) => Request::ReadCoils(address, 1),
            Self::Read(InputType::DiscreteInput, address) => Request::ReadDiscreteInputs(address, 1),
            Self::Read(InputType::Holding, address) => Request::ReadHoldingRegisters(address, 1),
            Self::Read(InputType::Input, address) => Request::ReadInputRegisters(address, 1),
            Self::Write(RelayWrite::Coil { address, on }) => Request::WriteSingleCoil(address, on),
            Self::Write(RelayWrite::Register { address, value }) => Request::WriteSingleRegister(address, value),
        }
    }

    fn classify(&self, response: Response) -> CallResult {
        let first_bit = |bits: &[bool]| bits.first().map(|b| u16::from(*b));
        let value = match (self, response) {
            (Self::Read(..), Response::ReadCoils(bits) | Response::ReadDiscreteInputs(bits)) => first_bit(&bits),
            (Self::Read(..), Response::ReadHoldingRegisters(words) | Response::ReadInputRegisters(words)) => {
                words.first().copied()
            }
            (Self::Write(RelayWrite::Coil { address, on }), Response::WriteSingleCoil(echo_address, echo_on)) => {
                return CallResult::Written { echo_ok: *address == echo_address && *on == echo_on };
            }
            (
                Self::Write(RelayWrite::Register { address, value }),
                Response::WriteSingleRegister(echo_address, echo_value),
            ) => {
                return CallResult::Written { echo_ok: *address == echo_address && *value == echo_value };
            }
            _ => None,
        };
        match value {
            Some(v) => CallResult::Read(v),
            None => CallResult::Broken { timed_out: false, detail: "reply does not match the request".to_owned() },
        }
    }
}
