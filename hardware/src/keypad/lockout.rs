//! Per-door keypad lockout against PIN guessing: a plain counter over monotonic instants; the
//! caller passes `now`. The lockout only decays with time: a granted credential never resets
//! it, or an attacker holding one valid PIN could interleave it with guesses and never be
//! locked out.

use std::time::{Duration, Instant};

/// PIN brute-force protection per door: after `threshold` refused credentials the keypad is
/// locked for `first`, each further lockout doubles up to `max`. Only time forgives: no
/// refused credential for `forgive_after` (counted from the end of the last lockout) starts
/// over; a grant does not. The defaults make guessing one of ten valid 6-digit PINs take
/// longer than 100 days at a hub (arithmetic in `hardware/README.md`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LockoutPolicy {
    pub threshold: u32,
    pub first: Duration,
    pub max: Duration,
    pub forgive_after: Duration,
}

impl Default for LockoutPolicy {
    fn default() -> Self {
        Self {
            threshold: 5,
            first: Duration::from_secs(60),
            max: Duration::from_secs(4 * 60 * 60),
            forgive_after: Duration::from_secs(24 * 60 * 60),
        }
    }
}

/// Wrong-credential counter and lockout timer of one door.
#[derive(Debug, Clone, Default)]
pub(crate) struct PinLockout {
    failures: u32,
    /// How many lockouts happened since the counter was last forgiven; each one lasts longer.
    level: u32,
    locked_until: Option<Instant>,
    last_failure: Option<Instant>,
}

impl PinLockout {
    /// Time left on a running lockout.
    pub(crate) fn remaining(&self, now: Instant) -> Option<Duration> {
        self.locked_until.and_then(|until| until.checked_duration_since(now)).filter(|left| !left.is_zero())
    }

    /// Counts a wrong credential; returns the lockout length if this one started a lockout.
    pub(crate) fn record_failure(&mut self, now: Instant, policy: &LockoutPolicy) -> Option<Duration> {
        // Quiet time counts from the end of the last lockout, so a lockout longer than
        // `forgive_after` does not forgive itself.
        let quiet_since = match (self.last_failure, self.locked_until) {
            (Some(last), Some(until)) => Some(last.max(until)),
            (last, until) => last.or(until),
        };
        if let Some(since) = quiet_since
            && now.saturating_duration_since(since) >= policy.forgive_after
        {
            self.failures = 0;
            self.level = 0;
        }
        if self.locked_until.is_some() && self.remaining(now).is_none() {
            // A lockout ran out: the next round of tries starts from zero, at the next level.
            self.locked_until = None;
            self.failures = 0;
        }
        self.last_failure = Some(now);
        self.failures = self.failures.saturating_add(1);
        if self.failures < policy.threshold.max(1) {
            return None;
        }
        let factor = 1u32.checked_shl(self.level).unwrap_or(u32::MAX);
        let length = policy.first.saturating_mul(factor).min(policy.max);
        self.level = self.level.saturating_add(1);
        self.failures = 0;
        self.locked_until = now.checked_add(length);
        Some(length)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    fn policy() -> LockoutPolicy {
        LockoutPolicy {
            threshold: 5,
            first: Duration::from_secs(60),
            max: Duration::from_secs(900),
            forgive_after: Duration::from_secs(3600),
        }
    }

    fn fail_times(lockout: &mut PinLockout, now: Instant, n: u32) -> Option<Duration> {
        let mut started = None;
        for _ in 0..n {
            started = lockout.record_failure(now, &policy());
        }
        started
    }

    #[test]
    fn five_wrong_lock_for_a_minute_then_escalate_to_fifteen() {
        let t0 = Instant::now();
        let mut lockout = PinLockout::default();
        assert_eq!(fail_times(&mut lockout, t0, 4), None);
        assert_eq!(lockout.remaining(t0), None);
        assert_eq!(lockout.record_failure(t0, &policy()), Some(Duration::from_secs(60)));
        assert_eq!(lockout.remaining(t0), Some(Duration::from_secs(60)));
        assert_eq!(lockout.remaining(t0 + Duration::from_secs(60)), None);

        let mut now = t0 + Duration::from_secs(61);
        let mut lengths = Vec::new();
        for _ in 0..5 {
            lengths.push(fail_times(&mut lockout, now, 5).unwrap().as_secs());
            now += Duration::from_secs(901);
        }
        assert_eq!(lengths, vec![120, 240, 480, 900, 900]);
    }

    #[test]
    fn a_lockout_longer_than_the_quiet_time_does_not_forgive_itself() {
        let policy = LockoutPolicy { first: Duration::from_secs(7200), max: Duration::from_secs(7200), ..policy() };
        let t0 = Instant::now();
        let mut lockout = PinLockout::default();
        for _ in 0..5 {
            lockout.record_failure(t0, &policy);
        }
        // The lockout ran out 1 s ago; the hour of quiet starts then, not at the last failure.
        let after = t0 + Duration::from_secs(7201);
        for _ in 0..4 {
            assert_eq!(lockout.record_failure(after, &policy), None);
        }
        assert_eq!(lockout.record_failure(after, &policy), Some(Duration::from_secs(7200)));
        assert_eq!(lockout.level, 2);
    }

    #[test]
    fn old_wrong_tries_are_forgiven() {
        let t0 = Instant::now();
        let mut lockout = PinLockout::default();
        fail_times(&mut lockout, t0, 4);
        let later = t0 + Duration::from_secs(3600);
        assert_eq!(lockout.record_failure(later, &policy()), None);
        assert_eq!(lockout.failures, 1);
    }
}
