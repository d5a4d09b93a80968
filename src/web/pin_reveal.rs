//! Shows a fresh door PIN once on the booking page after the redirect that follows booking (or
//! asking for a new PIN). The PIN waits here, in memory only, for at most ten minutes and for
//! the one person and booking it belongs to; it is never written to disk or to a log.

use crate::domain::ids::{BookingId, UserId};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

/// How long an unshown PIN waits; afterwards only the confirmation e-mail has it.
const KEEP_FOR: Duration = Duration::from_secs(600);

/// (user id, booking id) → (PIN, when it was kept).
type Waiting = HashMap<(UserId, BookingId), (String, Instant)>;

/// PINs waiting to be shown, by user and booking.
#[derive(Clone, Default)]
pub struct PinReveals {
    waiting: Arc<Mutex<Waiting>>,
}

impl PinReveals {
    /// Keeps `pin` for the booking page of `user_id`'s booking.
    pub fn keep(&self, user_id: &UserId, booking_id: &BookingId, pin: &str) {
        let mut waiting = self.waiting.lock().unwrap_or_else(PoisonError::into_inner);
        waiting.retain(|_, (_, since)| since.elapsed() < KEEP_FOR);
        waiting.insert((user_id.clone(), booking_id.clone()), (pin.to_owned(), Instant::now()));
    }

    /// The waiting PIN of this booking for this user, removed as it is taken.
    pub fn take(&self, user_id: &UserId, booking_id: &BookingId) -> Option<String> {
        let mut waiting = self.waiting.lock().unwrap_or_else(PoisonError::into_inner);
        let (pin, since) = waiting.remove(&(user_id.clone(), booking_id.clone()))?;
        (since.elapsed() < KEEP_FOR).then_some(pin)
    }
}

impl std::fmt::Debug for PinReveals {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PinReveals(<redacted>)")
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[test]
    fn a_pin_is_shown_once_and_only_to_its_owner() {
        let reveals = PinReveals::default();
        reveals.keep(&UserId::new("alice"), &BookingId::new("b1"), "123456");
        assert_eq!(reveals.take(&UserId::new("bob"), &BookingId::new("b1")), None);
        assert_eq!(reveals.take(&UserId::new("alice"), &BookingId::new("b2")), None);
        assert_eq!(reveals.take(&UserId::new("alice"), &BookingId::new("b1")).as_deref(), Some("123456"));
        assert_eq!(reveals.take(&UserId::new("alice"), &BookingId::new("b1")), None);
        assert!(!format!("{reveals:?}").contains("123456"));
    }
}
