//! Per-device health and back-off, borrowed from wb-mqtt-serial's semantics: a device is
//! DISCONNECTED after at least `DISCONNECT_AFTER` and at least `DISCONNECT_CYCLES` failed
//! cycles; while disconnected it is only probed, with a back-off growing in 500 ms steps up
//! to 10 s. Pure state, no I/O, so the rules can be tested without a device.

use std::time::Duration;

use tokio::time::Instant;

/// A device is declared disconnected only after failing for at least this long…
pub(super) const DISCONNECT_AFTER: Duration = Duration::from_millis(3000);
/// …and in at least this many cycles, so one lost frame does not raise a fault.
pub(super) const DISCONNECT_CYCLES: u32 = 2;
const PROBE_STEP: Duration = Duration::from_millis(500);
const PROBE_MAX: Duration = Duration::from_secs(10);

/// What a recorded result changed, so the caller publishes only transitions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum HealthChange {
    None,
    Disconnected,
    Recovered,
}

#[derive(Debug, Clone)]
pub(super) struct DeviceHealth {
    failures: u32,
    first_failure: Option<Instant>,
    disconnected: bool,
    probe_at: Instant,
    probe_step: u32,
}

impl DeviceHealth {
    pub(super) fn new(now: Instant) -> Self {
        Self { failures: 0, first_failure: None, disconnected: false, probe_at: now, probe_step: 0 }
    }

    pub(super) fn is_disconnected(&self) -> bool {
        self.disconnected
    }

    /// Whether the device may be talked to now: always when connected, only at the next
    /// probe time when disconnected.
    pub(super) fn may_talk(&self, now: Instant) -> bool {
        !self.disconnected || self.probe_at <= now
    }

    /// When a disconnected device may next be probed.
    pub(super) fn next_probe(&self) -> Option<Instant> {
        self.disconnected.then_some(self.probe_at)
    }

    pub(super) fn record_success(&mut self) -> HealthChange {
        let was_disconnected = self.disconnected;
        self.failures = 0;
        self.first_failure = None;
        self.disconnected = false;
        self.probe_step = 0;
        if was_disconnected { HealthChange::Recovered } else { HealthChange::None }
    }

    pub(super) fn record_failure(&mut self, now: Instant) -> HealthChange {
        self.failures = self.failures.saturating_add(1);
        let first = *self.first_failure.get_or_insert(now);
        if self.disconnected {
            self.probe_step = self.probe_step.saturating_add(1);
            self.probe_at = now + (PROBE_STEP * self.probe_step).min(PROBE_MAX);
            return HealthChange::None;
        }
        if self.failures >= DISCONNECT_CYCLES && now.duration_since(first) >= DISCONNECT_AFTER {
            self.disconnected = true;
            self.probe_step = 1;
            self.probe_at = now + PROBE_STEP;
            return HealthChange::Disconnected;
        }
        HealthChange::None
    }
}

/// Back-off for re-opening a connection: 250 ms, then growing by 500 ms up to 5 s.
pub(super) fn reconnect_delay(failed_attempts: u32) -> Duration {
    if failed_attempts == 0 {
        return Duration::ZERO;
    }
    let grown = Duration::from_millis(250) + PROBE_STEP * (failed_attempts - 1);
    grown.min(Duration::from_secs(5))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[test]
    fn one_failure_or_a_short_burst_does_not_disconnect() {
        let start = Instant::now();
        let mut health = DeviceHealth::new(start);
        assert_eq!(health.record_failure(start), HealthChange::None);
        assert_eq!(health.record_failure(start + Duration::from_millis(2000)), HealthChange::None);
        assert!(!health.is_disconnected());
        assert_eq!(health.record_failure(start + DISCONNECT_AFTER), HealthChange::Disconnected);
        assert!(!health.may_talk(start + DISCONNECT_AFTER));
        assert!(health.may_talk(start + DISCONNECT_AFTER + PROBE_STEP));
    }

    #[test]
    fn probes_back_off_to_ten_seconds_and_success_recovers() {
        let start = Instant::now();
        let mut health = DeviceHealth::new(start);
        health.record_failure(start);
        health.record_failure(start + DISCONNECT_AFTER);
        let mut now = start + DISCONNECT_AFTER;
        for _ in 0..40 {
            health.record_failure(now);
            now += Duration::from_secs(1);
        }
        let gap = health.next_probe().unwrap() - (now - Duration::from_secs(1));
        assert_eq!(gap, PROBE_MAX);
        assert_eq!(health.record_success(), HealthChange::Recovered);
        assert!(health.may_talk(now));
    }
}
