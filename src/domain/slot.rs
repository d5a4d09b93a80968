//! A half-open interval of time, the one shape every booking, opening hour and free gap takes.
//!
//! Kept apart from the booking rules and the calendar so that both, and the local-time helpers
//! they use, can build on it without depending on each other.

use chrono::{DateTime, TimeDelta, Utc};
use serde::{Deserialize, Serialize};
use std::fmt;

/// A half-open interval of time `[start, end)` with `start < end`.
///
/// Half-open so that back-to-back bookings (10:00–12:00 and 12:00–14:00) do not clash. The fields
/// are private so that an empty or reversed slot cannot exist.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "UncheckedSlot")]
pub struct Slot {
    start: DateTime<Utc>,
    end: DateTime<Utc>,
}

/// Why two instants do not make a slot.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum SlotError {
    #[error("the end of a booking must be after its start")]
    EndNotAfterStart,
}

/// The wire form of a slot before its order is checked.
#[derive(Deserialize)]
struct UncheckedSlot {
    start: DateTime<Utc>,
    end: DateTime<Utc>,
}

impl TryFrom<UncheckedSlot> for Slot {
    type Error = SlotError;

    fn try_from(unchecked: UncheckedSlot) -> Result<Self, Self::Error> {
        Slot::new(unchecked.start, unchecked.end)
    }
}

impl Slot {
    /// Builds a slot, refusing an end that is not after the start.
    pub fn new(start: DateTime<Utc>, end: DateTime<Utc>) -> Result<Slot, SlotError> {
        if end <= start {
            return Err(SlotError::EndNotAfterStart);
        }
        Ok(Slot { start, end })
    }

    /// All representable time; only a fallback for computations at the edge of chrono's range.
    pub(crate) fn everything() -> Slot {
        Slot { start: DateTime::<Utc>::MIN_UTC, end: DateTime::<Utc>::MAX_UTC }
    }

    /// The first instant of the slot (included).
    pub fn start(&self) -> DateTime<Utc> {
        self.start
    }

    /// The first instant after the slot (excluded).
    pub fn end(&self) -> DateTime<Utc> {
        self.end
    }

    /// The real elapsed time, so a night across a DST change counts its true hours.
    pub fn duration(&self) -> TimeDelta {
        self.end - self.start
    }

    /// Whether the two slots share any instant; slots that only touch do not overlap.
    pub fn overlaps(&self, other: &Slot) -> bool {
        self.start < other.end && other.start < self.end
    }

    /// Whether `other` lies wholly inside this slot (equal slots contain each other).
    pub fn contains(&self, other: &Slot) -> bool {
        self.start <= other.start && other.end <= self.end
    }
}

impl fmt::Display for Slot {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "[{}, {})", self.start.to_rfc3339(), self.end.to_rfc3339())
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;

    fn utc(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text).unwrap().with_timezone(&Utc)
    }

    fn slot(start: DateTime<Utc>, end: DateTime<Utc>) -> Slot {
        Slot::new(start, end).unwrap()
    }

    #[test]
    fn slot_refuses_empty_and_reversed_intervals() {
        let t = utc("2026-05-04T10:00:00Z");
        assert_eq!(Slot::new(t, t), Err(SlotError::EndNotAfterStart));
        assert_eq!(Slot::new(t, t - TimeDelta::minutes(1)), Err(SlotError::EndNotAfterStart));
        let ok = Slot::new(t, t + TimeDelta::hours(2)).unwrap();
        assert_eq!((ok.start(), ok.end(), ok.duration()), (t, t + TimeDelta::hours(2), TimeDelta::hours(2)));
    }

    #[test]
    fn half_open_slots_overlap_only_when_sharing_time() {
        let at = |h: u32| utc(&format!("2026-05-04T{h:02}:00:00Z"));
        let ten_to_twelve = slot(at(10), at(12));
        let cases = [
            ("back-to-back after", slot(at(12), at(14)), false),
            ("back-to-back before", slot(at(8), at(10)), false),
            ("overlaps the end", slot(at(11), at(13)), true),
            ("overlaps the start", slot(at(9), at(11)), true),
            ("inside", slot(at(10), at(11)), true),
            ("around", slot(at(9), at(13)), true),
            ("identical", ten_to_twelve, true),
            ("far away", slot(at(15), at(16)), false),
        ];
        for (name, other, expected) in cases {
            assert_eq!(ten_to_twelve.overlaps(&other), expected, "{name}");
            assert_eq!(other.overlaps(&ten_to_twelve), expected, "{name} (swapped)");
        }
    }

    #[test]
    fn containment_includes_the_edges() {
        let at = |h: u32| utc(&format!("2026-05-04T{h:02}:00:00Z"));
        let day = slot(at(8), at(20));
        assert!(day.contains(&day));
        assert!(day.contains(&slot(at(8), at(9))));
        assert!(day.contains(&slot(at(19), at(20))));
        assert!(!day.contains(&slot(at(7), at(9))));
        assert!(!day.contains(&slot(at(19), at(21))));
        assert!(!slot(at(8), at(9)).contains(&day));
    }

    #[test]
    fn slot_deserialization_checks_the_order() {
        let good: Slot =
            serde_json::from_str(r#"{"start":"2026-05-04T10:00:00Z","end":"2026-05-04T12:00:00Z"}"#).unwrap();
        assert_eq!(good.duration(), TimeDelta::hours(2));
        let json = serde_json::to_string(&good).unwrap();
        assert_eq!(serde_json::from_str::<Slot>(&json).unwrap(), good);
        let reversed = serde_json::from_str::<Slot>(r#"{"start":"2026-05-04T12:00:00Z","end":"2026-05-04T10:00:00Z"}"#);
        assert!(reversed.is_err());
    }
}
