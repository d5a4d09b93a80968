//! Maintenance credentials: PINs for service staff that open chosen doors only while the
//! bridge cannot decide from bookings — no snapshot yet, the snapshot past the offline limit,
//! or the clock not synced — or while bookings may not open them: the hub is in lockdown or
//! the door is disabled (service staff must still get in to end what caused it). Otherwise
//! they are ordinary wrong PINs, so they never widen access while the bookings can speak.
//! Every use is an event with the credential's name.

use std::fmt;

use crate::protocol::{Credential, DenyReason, DoorId, verifiers_match};

/// One maintenance credential as the door server holds it.
#[derive(Clone, PartialEq, Eq)]
pub struct MaintenanceCredential {
    /// Shown in events and logs instead of the PIN.
    pub name: String,
    /// `pin_verifier(hub key, PIN)`; compared in constant time, never logged.
    pub verifier: String,
    pub doors: Vec<DoorId>,
}

impl fmt::Debug for MaintenanceCredential {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MaintenanceCredential")
            .field("name", &self.name)
            .field("verifier", &"<redacted>")
            .field("doors", &self.doors)
            .finish()
    }
}

/// Whether a denial means "the bookings cannot decide" or "bookings may not open now", the
/// only cases in which a maintenance credential is looked at.
pub(crate) fn opens_instead(reason: DenyReason) -> bool {
    matches!(
        reason,
        DenyReason::NoSnapshot
            | DenyReason::SnapshotTooOld
            | DenyReason::ClockNotSynced
            | DenyReason::Lockdown
            | DenyReason::DoorDisabled
    )
}

/// The maintenance credential that opens `door` for `credential` after the booking rule
/// denied for `reason`, if any.
pub(crate) fn matching<'a>(
    credentials: &'a [MaintenanceCredential],
    door: &DoorId,
    credential: &Credential,
    reason: DenyReason,
) -> Option<&'a MaintenanceCredential> {
    if !opens_instead(reason) {
        return None;
    }
    let Credential::Verifier(typed) = credential else {
        return None;
    };
    credentials.iter().find(|c| c.doors.contains(door) && verifiers_match(&c.verifier, typed))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use crate::protocol::{BookingId, pin_verifier};

    fn service() -> Vec<MaintenanceCredential> {
        vec![MaintenanceCredential {
            name: "service".into(),
            verifier: pin_verifier(b"key", "24680"),
            doors: vec![DoorId::new("entrance")],
        }]
    }

    #[test]
    fn opens_only_its_doors_and_only_when_bookings_cannot_decide_or_may_not_open() {
        let list = service();
        let entrance = DoorId::new("entrance");
        let typed = Credential::Verifier(pin_verifier(b"key", "24680"));
        for reason in [
            DenyReason::NoSnapshot,
            DenyReason::SnapshotTooOld,
            DenyReason::ClockNotSynced,
            DenyReason::Lockdown,
            DenyReason::DoorDisabled,
        ] {
            assert_eq!(matching(&list, &entrance, &typed, reason).map(|c| c.name.as_str()), Some("service"));
        }
        for reason in [
            DenyReason::NoBooking,
            DenyReason::TooLate,
            DenyReason::WrongDoor,
            DenyReason::UnknownDoor,
            DenyReason::RemoteUnlockOffline,
        ] {
            assert!(matching(&list, &entrance, &typed, reason).is_none(), "{reason}");
        }
        assert!(matching(&list, &DoorId::new("room"), &typed, DenyReason::SnapshotTooOld).is_none());
        let wrong = Credential::Verifier(pin_verifier(b"key", "13579"));
        assert!(matching(&list, &entrance, &wrong, DenyReason::SnapshotTooOld).is_none());
        let remote = Credential::Booking(BookingId::new("b1"));
        assert!(matching(&list, &entrance, &remote, DenyReason::SnapshotTooOld).is_none());
    }

    #[test]
    fn debug_hides_the_verifier() {
        let shown = format!("{:?}", service());
        assert!(!shown.contains(&pin_verifier(b"key", "24680")));
    }
}
