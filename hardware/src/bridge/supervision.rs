//! Door supervision: latched alarms (register 13), held-open and forced-open detection from
//! the door contact and request-to-exit, and the controller watchdog. Pure state over
//! monotonic instants; the caller turns the returned signals into events.

use std::time::{Duration, Instant};

use crate::protocol::{Alarm, DoorStateKind};

/// What supervision noticed; the caller emits the matching events.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Signal {
    Raised(Alarm),
    Cleared(Alarm),
}

#[derive(Debug, Default, Clone, Copy)]
struct AlarmSlot {
    latched: bool,
    /// The condition is still present.
    active: bool,
    /// The central service has seen the latched alarm.
    seen: bool,
}

/// Latched alarms: an alarm stays latched until its condition ended AND the central service
/// has seen it, so a short forced opening is never lost between two uplink syncs.
#[derive(Debug, Default)]
pub(crate) struct AlarmLatch {
    slots: [AlarmSlot; 4],
}

impl AlarmLatch {
    fn slot(&mut self, alarm: Alarm) -> &mut AlarmSlot {
        let index = match alarm {
            Alarm::HeldOpen => 0,
            Alarm::ForcedOpen => 1,
            Alarm::ControllerSilent => 2,
            Alarm::FieldIoFault => 3,
        };
        &mut self.slots[index]
    }

    /// The condition began; returns a signal only when it was not already active.
    pub(crate) fn raise(&mut self, alarm: Alarm) -> Option<Signal> {
        let slot = self.slot(alarm);
        if slot.active {
            return None;
        }
        *slot = AlarmSlot { latched: true, active: true, seen: false };
        Some(Signal::Raised(alarm))
    }

    /// The condition ended.
    pub(crate) fn condition_ended(&mut self, alarm: Alarm) -> Option<Signal> {
        let slot = self.slot(alarm);
        slot.active = false;
        Self::clear_if_done(slot, alarm)
    }

    /// The central service has seen the alarm.
    pub(crate) fn mark_seen(&mut self, alarm: Alarm) -> Option<Signal> {
        let slot = self.slot(alarm);
        if !slot.latched {
            return None;
        }
        slot.seen = true;
        Self::clear_if_done(slot, alarm)
    }

    fn clear_if_done(slot: &mut AlarmSlot, alarm: Alarm) -> Option<Signal> {
        if slot.latched && !slot.active && slot.seen {
            slot.latched = false;
            return Some(Signal::Cleared(alarm));
        }
        None
    }

    /// Value of `alarms_latched`.
    pub(crate) fn bits(&self) -> u16 {
        Alarm::ALL
            .into_iter()
            .zip(self.slots.iter())
            .filter(|(_, slot)| slot.latched)
            .fold(0, |bits, (alarm, _)| bits | alarm.bit())
    }
}

/// Held-open and forced-open detection for one door.
#[derive(Debug, Default)]
pub(crate) struct DoorWatch {
    /// `None` while the contact state is unknown: no supervision then.
    closed: Option<bool>,
    open_since: Option<Instant>,
    last_request_to_exit: Option<Instant>,
    /// A grant allows opening until this instant (deadline plus pulse).
    authorised_until: Option<Instant>,
}

impl DoorWatch {
    /// A grant was issued; opening the door until `until` is expected.
    pub(crate) fn authorise(&mut self, until: Instant) {
        self.authorised_until = Some(until);
    }

    /// The authorisation of a dropped command ends now.
    pub(crate) fn revoke_authorisation(&mut self, now: Instant) {
        if self.authorised_until.is_some_and(|until| until > now) {
            self.authorised_until = Some(now);
        }
    }

    /// A new reading of the door inputs (`None` = unreadable).
    pub(crate) fn observe(
        &mut self,
        inputs: Option<(bool, bool)>,
        now: Instant,
        rex_mask: Duration,
        alarms: &mut AlarmLatch,
    ) -> Vec<Signal> {
        let mut signals = Vec::new();
        let Some((closed, request_to_exit)) = inputs else {
            self.closed = None;
            self.open_since = None;
            return signals;
        };
        if request_to_exit {
            self.last_request_to_exit = Some(now);
        }
        let was_closed = self.closed;
        self.closed = Some(closed);
        if closed {
            self.open_since = None;
            signals.extend(alarms.condition_ended(Alarm::HeldOpen));
            signals.extend(alarms.condition_ended(Alarm::ForcedOpen));
            return signals;
        }
        if was_closed == Some(true) {
            self.open_since = Some(now);
            let granted = self.authorised_until.is_some_and(|until| now <= until);
            let exiting = self.last_request_to_exit.is_some_and(|at| now.saturating_duration_since(at) <= rex_mask);
            if !granted && !exiting {
                signals.extend(alarms.raise(Alarm::ForcedOpen));
            }
        }
        signals
    }

    /// The door's state for reports: unknown without a reading, held open once open for
    /// `held_open_after`.
    pub(crate) fn state(&self, now: Instant, held_open_after: Duration) -> DoorStateKind {
        match (self.closed, self.open_since) {
            (None, _) => DoorStateKind::Unknown,
            (Some(true), _) => DoorStateKind::Closed,
            (Some(false), Some(since)) if now.saturating_duration_since(since) >= held_open_after => {
                DoorStateKind::HeldOpen
            }
            (Some(false), _) => DoorStateKind::Open,
        }
    }

    /// Raises held-open once the door has been open too long.
    pub(crate) fn check_held_open(
        &mut self,
        now: Instant,
        held_open_after: Duration,
        alarms: &mut AlarmLatch,
    ) -> Option<Signal> {
        let since = self.open_since?;
        if now.saturating_duration_since(since) >= held_open_after {
            return alarms.raise(Alarm::HeldOpen);
        }
        None
    }
}

/// Watches a controller's liveness: the heartbeat value in handshake mode, any poll in
/// simple mode.
#[derive(Debug)]
pub(crate) struct Watchdog {
    last_value: Option<u16>,
    last_sign_of_life: Instant,
}

impl Watchdog {
    pub(crate) fn new(now: Instant) -> Self {
        Self { last_value: None, last_sign_of_life: now }
    }

    /// A heartbeat value was written; only a change counts as life.
    pub(crate) fn heartbeat(&mut self, value: u16, now: Instant) {
        if self.last_value != Some(value) {
            self.last_value = Some(value);
            self.last_sign_of_life = now;
        }
    }

    /// Any request counts as life (simple mode).
    pub(crate) fn poll(&mut self, now: Instant) {
        self.last_sign_of_life = now;
    }

    pub(crate) fn is_silent(&self, now: Instant, after: Duration) -> bool {
        now.saturating_duration_since(self.last_sign_of_life) >= after
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    const MASK: Duration = Duration::from_secs(10);

    #[test]
    fn alarm_clears_only_after_condition_ended_and_seen() {
        let mut alarms = AlarmLatch::default();
        assert_eq!(alarms.raise(Alarm::ForcedOpen), Some(Signal::Raised(Alarm::ForcedOpen)));
        assert_eq!(alarms.raise(Alarm::ForcedOpen), None);
        assert_eq!(alarms.mark_seen(Alarm::ForcedOpen), None);
        assert_eq!(alarms.bits(), Alarm::ForcedOpen.bit());
        assert_eq!(alarms.condition_ended(Alarm::ForcedOpen), Some(Signal::Cleared(Alarm::ForcedOpen)));
        assert_eq!(alarms.bits(), 0);

        alarms.raise(Alarm::HeldOpen);
        assert_eq!(alarms.condition_ended(Alarm::HeldOpen), None);
        assert_eq!(alarms.bits(), Alarm::HeldOpen.bit());
        assert_eq!(alarms.mark_seen(Alarm::HeldOpen), Some(Signal::Cleared(Alarm::HeldOpen)));
        assert_eq!(alarms.bits(), 0);
    }

    #[test]
    fn opening_without_grant_or_exit_is_forced() {
        let t0 = Instant::now();
        let mut alarms = AlarmLatch::default();
        let mut watch = DoorWatch::default();
        assert!(watch.observe(Some((true, false)), t0, MASK, &mut alarms).is_empty());
        let signals = watch.observe(Some((false, false)), t0, MASK, &mut alarms);
        assert_eq!(signals, vec![Signal::Raised(Alarm::ForcedOpen)]);
    }

    #[test]
    fn opening_after_grant_or_exit_is_not_forced() {
        let t0 = Instant::now();
        let mut alarms = AlarmLatch::default();
        let mut watch = DoorWatch::default();
        watch.observe(Some((true, false)), t0, MASK, &mut alarms);
        watch.authorise(t0 + Duration::from_secs(10));
        assert!(watch.observe(Some((false, false)), t0, MASK, &mut alarms).is_empty());
        watch.observe(Some((true, false)), t0, MASK, &mut alarms);

        let later = t0 + Duration::from_secs(60);
        watch.observe(Some((true, true)), later, MASK, &mut alarms);
        assert!(watch.observe(Some((false, false)), later, MASK, &mut alarms).is_empty());
        assert_eq!(alarms.bits(), 0);
    }

    #[test]
    fn unknown_contact_state_raises_nothing() {
        let t0 = Instant::now();
        let mut alarms = AlarmLatch::default();
        let mut watch = DoorWatch::default();
        assert!(watch.observe(Some((false, false)), t0, MASK, &mut alarms).is_empty());
        watch.observe(None, t0, MASK, &mut alarms);
        assert!(watch.observe(Some((false, false)), t0, MASK, &mut alarms).is_empty());
        assert_eq!(watch.check_held_open(t0 + Duration::from_secs(99), MASK, &mut alarms), None);
    }

    #[test]
    fn held_open_after_the_limit() {
        let t0 = Instant::now();
        let mut alarms = AlarmLatch::default();
        let mut watch = DoorWatch::default();
        let limit = Duration::from_secs(30);
        watch.observe(Some((true, false)), t0, MASK, &mut alarms);
        watch.authorise(t0 + Duration::from_secs(10));
        watch.observe(Some((false, false)), t0, MASK, &mut alarms);
        assert_eq!(watch.check_held_open(t0 + Duration::from_secs(29), limit, &mut alarms), None);
        assert_eq!(watch.check_held_open(t0 + limit, limit, &mut alarms), Some(Signal::Raised(Alarm::HeldOpen)));
    }

    #[test]
    fn watchdog_counts_only_changes() {
        let t0 = Instant::now();
        let after = Duration::from_secs(10);
        let mut dog = Watchdog::new(t0);
        dog.heartbeat(5, t0 + Duration::from_secs(1));
        dog.heartbeat(5, t0 + Duration::from_secs(9));
        assert!(!dog.is_silent(t0 + Duration::from_secs(10), after));
        assert!(dog.is_silent(t0 + Duration::from_secs(11), after));
        dog.heartbeat(6, t0 + Duration::from_secs(11));
        assert!(!dog.is_silent(t0 + Duration::from_secs(11), after));
    }
}
