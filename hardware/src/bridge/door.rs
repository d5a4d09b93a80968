//! The state of one door behind its unit id: holding registers as written, the current unlock
//! command and its deadline, the last mailbox answer, lockout, rate limit, watchdog and
//! alarms. Hub-wide facts (snapshot, clock, status) live in `state`; this module only knows
//! one door.

use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};

use crate::keypad::PinLockout;
use crate::protocol::{AccessEventKind, Alarm, BookingId, DenyReason, DoorStateKind};

use super::mailbox::RequestRate;
use super::registers::{HR_FIRST, HR_LAST, RequestResult, door_state};
use super::runtime::{BridgeSettings, ControllerMode, DoorInputs, DoorRuntimeConfig, Presence};
use super::supervision::{AlarmLatch, DoorWatch, Signal, Watchdog};

/// An event of this door, before the hub adds id, time and the offline flag.
pub(crate) type DoorEvent = (AccessEventKind, Option<BookingId>);

const HOLDING_LEN: usize = (HR_LAST - HR_FIRST + 1) as usize;

/// The latest unlock command of a door.
#[derive(Debug)]
struct Command {
    seq: u16,
    granted_at: Instant,
    /// The controller may start the unlock until here; never extended.
    valid_until: Instant,
    /// Simple mode's DI0 is on until here.
    window_until: Instant,
    /// An acknowledgement counts as executed until here.
    ack_until: Instant,
    pulse: Duration,
    booking: Option<BookingId>,
    /// The central service's id when this is a remote unlock; its result is reported.
    remote_id: Option<String>,
    acked: bool,
}

impl Command {
    /// Records that this command will never be carried out.
    fn not_executed(self, events: &mut Vec<DoorEvent>) {
        if self.acked {
            return;
        }
        events.push((AccessEventKind::NotExecuted { cmd_seq: self.seq }, self.booking.clone()));
        if let Some(command_id) = self.remote_id {
            events.push((AccessEventKind::RemoteUnlockResult { command_id, executed: false }, self.booking));
        }
    }
}

/// What a grant may issue: the pulse and how long it may be started, both already capped by
/// the caller (a remote unlock brings its own deadline and pulse).
#[derive(Debug, Clone)]
pub(crate) struct CommandSpec {
    pub(crate) pulse: Duration,
    pub(crate) valid_for: Duration,
    pub(crate) booking: Option<BookingId>,
    pub(crate) remote_id: Option<String>,
}

/// What a grant issued, for the relay order and the event.
#[derive(Debug, Clone, Copy)]
pub(crate) struct IssuedCommand {
    pub(crate) seq: u16,
    pub(crate) pulse: Duration,
}

#[derive(Debug)]
pub(crate) struct DoorRuntime {
    pub(crate) config: DoorRuntimeConfig,
    holding: [u16; HOLDING_LEN],
    cmd_seq: u16,
    command: Option<Command>,
    pub(crate) req_seq_echo: u16,
    pub(crate) req_result: RequestResult,
    pub(crate) req_reason: u16,
    pub(crate) booking_end: Option<DateTime<Utc>>,
    pub(crate) lockout: PinLockout,
    pub(crate) rate: RequestRate,
    watchdog: Watchdog,
    silent: bool,
    watch: DoorWatch,
    alarms: AlarmLatch,
    pub(crate) enabled: bool,
    pub(crate) field_io_healthy: bool,
    pub(crate) presence: Presence,
    /// The door state last reported as an event; unknown until the first reading.
    reported_state: DoorStateKind,
}

impl DoorRuntime {
    pub(crate) fn new(config: DoorRuntimeConfig, now: Instant) -> Self {
        Self {
            config,
            holding: [0; HOLDING_LEN],
            cmd_seq: 0,
            command: None,
            req_seq_echo: 0,
            req_result: RequestResult::Pending,
            req_reason: 0,
            booking_end: None,
            lockout: PinLockout::default(),
            rate: RequestRate::default(),
            watchdog: Watchdog::new(now),
            silent: false,
            watch: DoorWatch::default(),
            alarms: AlarmLatch::default(),
            enabled: true,
            field_io_healthy: true,
            presence: Presence::Unknown,
            reported_state: DoorStateKind::Unknown,
        }
    }

    /// Holding register `address` (100..=128) as last written; reserved ones read 0.
    pub(crate) fn holding(&self, address: u16) -> u16 {
        address.checked_sub(HR_FIRST).and_then(|i| self.holding.get(usize::from(i))).copied().unwrap_or(0)
    }

    pub(crate) fn store_holding(&mut self, address: u16, value: u16) {
        if let Some(slot) = address.checked_sub(HR_FIRST).and_then(|i| self.holding.get_mut(usize::from(i))) {
            *slot = value;
        }
    }

    pub(crate) fn cmd_seq(&self) -> u16 {
        self.cmd_seq
    }

    /// Time left to start the current command, zero once its deadline passed.
    pub(crate) fn cmd_remaining(&self, now: Instant) -> Duration {
        self.command.as_ref().and_then(|cmd| cmd.valid_until.checked_duration_since(now)).unwrap_or(Duration::ZERO)
    }

    /// Pulse of the current command while it may still be started.
    pub(crate) fn cmd_pulse(&self, now: Instant) -> Duration {
        match &self.command {
            Some(cmd) if now < cmd.valid_until => cmd.pulse,
            _ => Duration::ZERO,
        }
    }

    /// Simple mode's DI0.
    pub(crate) fn unlock_window_active(&self, now: Instant) -> bool {
        self.command.as_ref().is_some_and(|cmd| cmd.granted_at <= now && now < cmd.window_until)
    }

    pub(crate) fn alarm_bits(&self) -> u16 {
        self.alarms.bits()
    }

    /// Issues a new unlock command after a grant. An older unacknowledged command is
    /// superseded and reported as not executed.
    pub(crate) fn issue_command(
        &mut self,
        now: Instant,
        settings: &BridgeSettings,
        spec: CommandSpec,
        events: &mut Vec<DoorEvent>,
    ) -> IssuedCommand {
        if let Some(old) = self.command.take() {
            old.not_executed(events);
        }
        self.cmd_seq = match self.cmd_seq.wrapping_add(1) {
            0 => 1,
            seq => seq,
        };
        let pulse = spec.pulse;
        let valid_until = now + spec.valid_for;
        let ack_until = valid_until + pulse + settings.ack_grace;
        self.watch.authorise(valid_until + pulse);
        self.command = Some(Command {
            seq: self.cmd_seq,
            granted_at: now,
            valid_until,
            window_until: now + pulse,
            ack_until,
            pulse,
            booking: spec.booking,
            remote_id: spec.remote_id,
            acked: false,
        });
        IssuedCommand { seq: self.cmd_seq, pulse }
    }

    /// The controller wrote `cmd_ack_seq`.
    pub(crate) fn acknowledge(&mut self, seq: u16, now: Instant, events: &mut Vec<DoorEvent>) {
        match self.command.as_mut() {
            Some(cmd) if cmd.seq == seq && !cmd.acked && now < cmd.ack_until => {
                cmd.acked = true;
                events.push((AccessEventKind::Executed { cmd_seq: seq }, cmd.booking.clone()));
                if let Some(command_id) = cmd.remote_id.clone() {
                    events.push((
                        AccessEventKind::RemoteUnlockResult { command_id, executed: true },
                        cmd.booking.clone(),
                    ));
                }
            }
            _ => {}
        }
    }

    /// Drops the current command at once: it can never be carried out any more.
    pub(crate) fn drop_command_now(&mut self, now: Instant, events: &mut Vec<DoorEvent>) {
        if let Some(cmd) = self.command.take() {
            cmd.not_executed(events);
        }
        self.watch.revoke_authorisation(now);
    }

    /// Drops the current command if it came from the central service and is not carried out
    /// yet (the link went down: remote unlocks must never happen offline).
    pub(crate) fn drop_remote_command(&mut self, now: Instant, events: &mut Vec<DoorEvent>) {
        if self.command.as_ref().is_some_and(|cmd| cmd.remote_id.is_some() && !cmd.acked) {
            self.drop_command_now(now, events);
        }
    }

    /// The controller wrote its heartbeat.
    pub(crate) fn controller_heartbeat(&mut self, value: u16, now: Instant) {
        if self.config.controller == ControllerMode::Handshake {
            self.watchdog.heartbeat(value, now);
        }
    }

    /// Any request for this unit.
    pub(crate) fn controller_polled(&mut self, now: Instant) {
        if self.config.controller == ControllerMode::Simple {
            self.watchdog.poll(now);
        }
    }

    /// New door inputs from whichever source supervises this door.
    pub(crate) fn observe_inputs(
        &mut self,
        inputs: Option<DoorInputs>,
        now: Instant,
        settings: &BridgeSettings,
        events: &mut Vec<DoorEvent>,
    ) {
        let signals = self.watch.observe(
            inputs.map(|i| (i.closed, i.request_to_exit)),
            now,
            settings.request_to_exit_mask,
            &mut self.alarms,
        );
        push_signals(signals, events);
    }

    /// Door state bits written by the controller, as door inputs.
    pub(crate) fn inputs_from_bits(bits: u16) -> DoorInputs {
        DoorInputs { closed: bits & door_state::CLOSED != 0, request_to_exit: bits & door_state::REQUEST_TO_EXIT != 0 }
    }

    pub(crate) fn set_field_io_healthy(&mut self, healthy: bool, events: &mut Vec<DoorEvent>) {
        self.field_io_healthy = healthy;
        let signal = if healthy {
            self.alarms.condition_ended(Alarm::FieldIoFault)
        } else {
            self.alarms.raise(Alarm::FieldIoFault)
        };
        push_signals(signal, events);
    }

    pub(crate) fn mark_alarm_seen(&mut self, alarm: Alarm, events: &mut Vec<DoorEvent>) {
        push_signals(self.alarms.mark_seen(alarm), events);
    }

    /// Runs the door's timers: command expiry, watchdog, held-open.
    pub(crate) fn refresh(&mut self, now: Instant, settings: &BridgeSettings, events: &mut Vec<DoorEvent>) {
        let ack_window_over = self.command.as_ref().is_some_and(|cmd| now >= cmd.ack_until);
        if ack_window_over && let Some(cmd) = self.command.take() {
            cmd.not_executed(events);
        }

        if self.config.controller != ControllerMode::NoController {
            let silent = self.watchdog.is_silent(now, settings.controller_silent_after);
            if silent && !self.silent {
                self.silent = true;
                push_signals(self.alarms.raise(Alarm::ControllerSilent), events);
                self.drop_command_now(now, events);
            } else if !silent && self.silent {
                self.silent = false;
                events.push((AccessEventKind::ControllerBack, None));
                push_signals(self.alarms.condition_ended(Alarm::ControllerSilent), events);
            }
        }

        let held_open_after = self.config.held_open_after.unwrap_or(settings.held_open_after);
        push_signals(self.watch.check_held_open(now, held_open_after, &mut self.alarms), events);

        let state = self.watch.state(now, held_open_after);
        if state != self.reported_state {
            self.reported_state = state;
            events.push((AccessEventKind::DoorState { state }, None));
        }
    }

    /// Records the answer to a mailbox request.
    pub(crate) fn answer(&mut self, seq: u16, result: RequestResult, reason: Option<DenyReason>) {
        self.req_seq_echo = seq;
        self.req_result = result;
        self.req_reason = reason.map_or(0, DenyReason::code);
    }
}

fn push_signals(signals: impl IntoIterator<Item = Signal>, events: &mut Vec<DoorEvent>) {
    for signal in signals {
        let kind = match signal {
            Signal::Raised(Alarm::HeldOpen) => AccessEventKind::HeldOpen,
            Signal::Raised(Alarm::ForcedOpen) => AccessEventKind::ForcedOpen,
            Signal::Raised(Alarm::ControllerSilent) => AccessEventKind::ControllerSilent,
            Signal::Raised(Alarm::FieldIoFault) => AccessEventKind::FieldIoFault,
            Signal::Cleared(alarm) => AccessEventKind::AlarmCleared { alarm },
        };
        events.push((kind, None));
    }
}
