//! Where the bridge reads time: wall-clock UTC for booking windows and the `unix_time`
//! register, a monotonic instant for pulses, deadlines, lockouts and watchdogs. Behind a trait
//! so tests can move time forward instead of sleeping for minutes.

use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use chrono::{DateTime, TimeDelta, Utc};

/// A source of both kinds of time.
pub trait Clock: Send + Sync {
    /// Wall-clock time, only trusted for decisions while the clock is marked synced.
    fn now_utc(&self) -> DateTime<Utc>;
    /// Monotonic time, never jumps; all timers of the bridge use it.
    fn now_instant(&self) -> Instant;
}

/// The machine's clocks.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now_utc(&self) -> DateTime<Utc> {
        Utc::now()
    }

    fn now_instant(&self) -> Instant {
        Instant::now()
    }
}

/// A clock that moves only when told to, so a test can cross a 60 s lockout or a 30 s
/// held-open timer at once. Both kinds of time advance together.
#[derive(Debug, Clone)]
pub struct ManualClock {
    base_utc: DateTime<Utc>,
    base_instant: Instant,
    offset: Arc<Mutex<Duration>>,
}

impl ManualClock {
    /// A clock that reads `start` until advanced.
    pub fn new(start: DateTime<Utc>) -> Self {
        Self { base_utc: start, base_instant: Instant::now(), offset: Arc::new(Mutex::new(Duration::ZERO)) }
    }

    /// Moves both clocks forward.
    pub fn advance(&self, by: Duration) {
        let mut offset = self.offset.lock().unwrap_or_else(PoisonError::into_inner);
        *offset = offset.saturating_add(by);
    }

    fn offset(&self) -> Duration {
        *self.offset.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl Clock for ManualClock {
    fn now_utc(&self) -> DateTime<Utc> {
        let delta = TimeDelta::from_std(self.offset()).unwrap_or(TimeDelta::MAX);
        self.base_utc.checked_add_signed(delta).unwrap_or(DateTime::<Utc>::MAX_UTC)
    }

    fn now_instant(&self) -> Instant {
        let offset = self.offset();
        self.base_instant.checked_add(offset).unwrap_or(self.base_instant)
    }
}
