//! Rules of booking requests (bookings of spaces that need a manager's approval): until when a
//! request is decided, and how long one has been waiting, in the unit people read it in. The
//! clock is a parameter; storage and mail are elsewhere.

use chrono::{DateTime, Utc};

/// The latest moment a request can be decided: its start. A request still waiting then is
/// declined by the system, so nobody arrives to a space that was never confirmed.
pub fn decided_by(start: DateTime<Utc>) -> DateTime<Utc> {
    start
}

/// How long a request has been waiting, rounded down to the largest unit that fits: minutes
/// under an hour, hours under two days, then days.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WaitingAge {
    Minutes(i64),
    Hours(i64),
    Days(i64),
}

impl WaitingAge {
    /// The age of a request made at `created` as seen at `now`; a clock that went backwards
    /// counts as no wait.
    pub fn between(created: DateTime<Utc>, now: DateTime<Utc>) -> WaitingAge {
        let waited = (now - created).max(chrono::Duration::zero());
        if waited < chrono::Duration::hours(1) {
            WaitingAge::Minutes(waited.num_minutes())
        } else if waited < chrono::Duration::hours(48) {
            WaitingAge::Hours(waited.num_hours())
        } else {
            WaitingAge::Days(waited.num_days())
        }
    }

    /// The unit's word (`minutes`, `hours`, `days`) and the count, for a catalogue lookup.
    pub fn unit_and_count(self) -> (&'static str, i64) {
        match self {
            WaitingAge::Minutes(n) => ("minutes", n),
            WaitingAge::Hours(n) => ("hours", n),
            WaitingAge::Days(n) => ("days", n),
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    fn at(text: &str) -> DateTime<Utc> {
        text.parse().unwrap()
    }

    #[test]
    fn the_age_is_rounded_down_to_the_unit_that_fits() {
        let made = at("2026-11-23T07:00:00Z");
        let cases = [
            ("2026-11-23T07:00:00Z", WaitingAge::Minutes(0)),
            ("2026-11-23T07:59:59Z", WaitingAge::Minutes(59)),
            ("2026-11-23T08:00:00Z", WaitingAge::Hours(1)),
            ("2026-11-23T10:30:00Z", WaitingAge::Hours(3)),
            ("2026-11-25T06:59:00Z", WaitingAge::Hours(47)),
            ("2026-11-25T07:00:00Z", WaitingAge::Days(2)),
            ("2026-11-23T06:00:00Z", WaitingAge::Minutes(0)),
        ];
        for (now, expected) in cases {
            assert_eq!(WaitingAge::between(made, at(now)), expected, "{now}");
        }
    }

    #[test]
    fn a_request_is_decided_by_its_start() {
        assert_eq!(decided_by(at("2026-11-24T09:00:00Z")), at("2026-11-24T09:00:00Z"));
    }
}
