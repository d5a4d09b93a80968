//! The keypad verdict: what one credential typed or presented at a door's reader comes to. A
//! running lockout answers before anything is looked at; then an unreadable credential, the
//! hub-wide refusals and the door rule (`decision`), a maintenance credential where bookings
//! cannot decide or may not open, and the lockout counting of every refusal. Pure: no lock, no
//! I/O, no clock reading. The caller passes `now`, what it holds and the door's lockout
//! counter, and carries the verdict out (the unlock command, the answer registers, the events,
//! the new counter).

mod lockout;
mod maintenance;

use std::time::Instant;

use chrono::{DateTime, Utc};

pub use lockout::LockoutPolicy;
pub(crate) use lockout::PinLockout;
pub use maintenance::MaintenanceCredential;

use crate::decision::{DecisionPolicy, HubConditions, decide_at_hub};
use crate::protocol::{
    AccessEventKind, AccessRequest, BookingId, Credential, CredentialKind, Decision, DenyReason, DoorId,
};

/// One credential at one door's reader.
#[derive(Debug, Clone)]
pub(crate) struct KeypadRequest<'a> {
    pub(crate) door: &'a DoorId,
    /// What the reader sent, or `None` when it cannot be a credential of its kind at all.
    pub(crate) credential: Option<Credential>,
    pub(crate) kind: CredentialKind,
}

/// The door's rules beyond the snapshot: the door rule's knobs, the lockout and the
/// maintenance credentials of the hub.
#[derive(Debug, Clone, Copy)]
pub(crate) struct KeypadRules<'a> {
    pub(crate) decision: DecisionPolicy,
    pub(crate) lockout: LockoutPolicy,
    pub(crate) maintenance: &'a [MaintenanceCredential],
}

/// What the keypad's request comes to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum KeypadVerdict {
    /// A booking opens the door.
    Open(BookingId),
    /// The maintenance credential of this name opens it.
    OpenForMaintenance(String),
    /// A lockout is running, or this refusal started one.
    LockedOut,
    /// The credential cannot be one (result 5); it does not count toward the lockout.
    BadRequest,
    /// Refused. `shown` is the reason the keypad is told; `offline` whether the bridge decided
    /// without the central service.
    Denied { shown: DenyReason, offline: bool },
}

/// The verdict, with what to record: the door's events besides a grant's own, and the door's
/// lockout counter after this request.
#[derive(Debug, Clone)]
pub(crate) struct KeypadOutcome {
    pub(crate) verdict: KeypadVerdict,
    pub(crate) record: Vec<AccessEventKind>,
    pub(crate) lockout: PinLockout,
}

/// Decides one keypad request at `now` (monotonic, for the lockout) and `now_utc` (for the
/// booking windows), given the door's lockout counter as it stands.
pub(crate) fn keypad_verdict(
    hub: &HubConditions<'_>,
    request: KeypadRequest<'_>,
    rules: &KeypadRules<'_>,
    lockout: &PinLockout,
    now: Instant,
    now_utc: DateTime<Utc>,
) -> KeypadOutcome {
    let mut lockout = lockout.clone();
    if lockout.remaining(now).is_some() {
        let record = vec![AccessEventKind::Denied { reason: DenyReason::LockedOut }];
        return KeypadOutcome { verdict: KeypadVerdict::LockedOut, record, lockout };
    }
    let Some(credential) = request.credential else {
        let record = vec![AccessEventKind::Denied { reason: DenyReason::BadRequest }];
        return KeypadOutcome { verdict: KeypadVerdict::BadRequest, record, lockout };
    };
    let asked = AccessRequest { door: request.door.clone(), credential, kind: request.kind };
    let reason = match decide_at_hub(hub, &asked, now_utc, &rules.decision) {
        Decision::Grant { booking_id, .. } => {
            return KeypadOutcome { verdict: KeypadVerdict::Open(booking_id), record: Vec::new(), lockout };
        }
        Decision::Deny { reason } => reason,
    };
    if let Some(found) = maintenance::matching(rules.maintenance, request.door, &asked.credential, reason) {
        let verdict = KeypadVerdict::OpenForMaintenance(found.name.clone());
        return KeypadOutcome { verdict, record: Vec::new(), lockout };
    }
    // The access log keeps the detailed reason; the keypad learns only that this credential
    // does not open, so it cannot tell a guessed PIN that exists (too early, wrong door, …)
    // from one that does not. Every refusal counts toward the lockout, whatever its reason.
    let mut record = vec![AccessEventKind::Denied { reason }];
    let verdict = match lockout.record_failure(now, &rules.lockout) {
        Some(length) => {
            let seconds = u32::try_from(length.as_secs()).unwrap_or(u32::MAX);
            record.push(AccessEventKind::LockedOut { seconds });
            KeypadVerdict::LockedOut
        }
        None => KeypadVerdict::Denied { shown: keypad_reason(reason), offline: hub.deciding_offline },
    };
    KeypadOutcome { verdict, record, lockout }
}

/// The reason a keypad or reader is told for a refused credential. Reasons that depend on
/// the credential (it matched a booking that is early, late, elsewhere, revoked, …) would tell
/// a guesser that the PIN exists, so they all read `no_booking`; reasons that hold for every
/// credential alike (lockdown, a disabled door, no valid snapshot, the clock) stay as they
/// are, so a member at the door still learns why nothing opens.
fn keypad_reason(reason: DenyReason) -> DenyReason {
    match reason {
        DenyReason::TooEarly
        | DenyReason::TooLate
        | DenyReason::WrongDoor
        | DenyReason::Revoked
        | DenyReason::UserInactive
        | DenyReason::BookingNotActive => DenyReason::NoBooking,
        other => other,
    }
}

#[cfg(test)]
mod tests;
