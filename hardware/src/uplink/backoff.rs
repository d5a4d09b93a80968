//! Waiting after a failed call to the central service: 1 s, doubling up to 30 s, each wait
//! drawn at random from its upper half so that the bridges of a county do not all knock at
//! once after an outage. A success starts over.

use std::time::Duration;

/// First wait after a failure.
pub const FIRST: Duration = Duration::from_secs(1);
/// Longest wait between attempts.
pub const MAX: Duration = Duration::from_secs(30);

/// The back-off of one loop.
#[derive(Debug, Clone)]
pub struct Backoff {
    next: Duration,
}

impl Default for Backoff {
    fn default() -> Self {
        Self { next: FIRST }
    }
}

impl Backoff {
    /// The wait before the next attempt (between half of the current step and the step), and
    /// doubles the step.
    pub fn next_wait(&mut self) -> Duration {
        let step = self.next;
        self.next = (step * 2).min(MAX);
        let half = step / 2;
        let jitter_ms = u64::try_from(half.as_millis()).unwrap_or(u64::MAX);
        half + Duration::from_millis(rand::random_range(0..=jitter_ms))
    }

    /// The call worked: the next failure waits [`FIRST`] again.
    pub fn reset(&mut self) {
        self.next = FIRST;
    }

    /// Sleeps for [`Backoff::next_wait`].
    pub async fn wait(&mut self) {
        tokio::time::sleep(self.next_wait()).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waits_grow_to_the_cap_with_jitter_and_reset() {
        let mut backoff = Backoff::default();
        let steps = [1, 2, 4, 8, 16, 30, 30, 30];
        for step in steps {
            let step = Duration::from_secs(step);
            let wait = backoff.next_wait();
            assert!(wait >= step / 2 && wait <= step, "{wait:?} outside {:?}..={step:?}", step / 2);
        }
        backoff.reset();
        assert!(backoff.next_wait() <= FIRST);
    }
}
