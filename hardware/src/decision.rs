//! The door rule: one pure, total function from (snapshot, request, time) to grant or deny,
//! used by the bridge at the keypad and for remote unlocks and by the web service for remote
//! unlocks, so all follow the same rule, and its booking-less sibling for staff-ordered
//! openings. Default deny. The snapshot's lockdown and disabled doors are vetoes here, so both
//! sides honour them; the refusals only the bridge holds (its own lockdown and door switches,
//! no snapshot, no link for a remote opening) are in `hub`, which every bridge decision passes
//! first. No clock reading, no I/O, no lockout or rate state here: the caller passes `now` and
//! keeps its own counters.

mod hub;

pub use hub::{HubConditions, decide_at_hub, decide_staff_opening_at_hub, lockdown_in_force};

use std::time::Duration;

use chrono::{DateTime, TimeDelta, Utc};

use crate::protocol::{
    AccessRequest, AccessSnapshot, Credential, Decision, DenyReason, DoorId, SnapshotDoor, SnapshotGrant,
    verifiers_match,
};

/// The knobs of the rule that are not part of the snapshot.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DecisionPolicy {
    /// Older snapshots may no longer grant: a booking cancelled centrally must stop working
    /// at the door after at most this long, even offline.
    pub max_snapshot_age: Duration,
    /// How long the lock is energised for a grant.
    pub pulse: Duration,
    /// How long after the decision the controller may still start the unlock.
    pub command_validity: Duration,
}

impl Default for DecisionPolicy {
    fn default() -> Self {
        Self {
            max_snapshot_age: Duration::from_secs(48 * 3600),
            pulse: Duration::from_secs(5),
            command_validity: Duration::from_secs(5),
        }
    }
}

/// Decides one request. `clock_synced` must be false until the bridge's clock is known to be
/// right (NTP); without it no time window can be checked and everything is denied.
pub fn decide(
    snapshot: &AccessSnapshot,
    request: &AccessRequest,
    now: DateTime<Utc>,
    clock_synced: bool,
    policy: &DecisionPolicy,
) -> Decision {
    match grant_for(snapshot, request, now, clock_synced, policy) {
        Ok(grant) => grant,
        Err(reason) => Decision::Deny { reason },
    }
}

/// Decides a staff-ordered opening ("for someone at the door"): everything of the door rule
/// except the booking. The central service checked the manager's right to the door; the
/// bridge still refuses in lockdown, at a disabled door, without a synced clock, on a
/// snapshot past its age limit and at a door the snapshot does not know.
///
/// # Errors
/// The reason the door stays shut.
pub fn decide_staff_opening(
    snapshot: &AccessSnapshot,
    door: &DoorId,
    now: DateTime<Utc>,
    clock_synced: bool,
    policy: &DecisionPolicy,
) -> Result<(), DenyReason> {
    usable_door(snapshot, door, now, clock_synced, policy).map(|_| ())
}

/// The hub-wide and door-wide vetoes every opening passes first. Lockdown and a disabled door
/// come before the clock and the age: they are the managers' explicit word and stay in force
/// in a stale snapshot (fail secure) until a newer snapshot lifts them.
fn usable_door<'a>(
    snapshot: &'a AccessSnapshot,
    door: &DoorId,
    now: DateTime<Utc>,
    clock_synced: bool,
    policy: &DecisionPolicy,
) -> Result<&'a SnapshotDoor, DenyReason> {
    if snapshot.lockdown {
        return Err(DenyReason::Lockdown);
    }
    let door = snapshot.door(door);
    if door.is_some_and(|door| door.disabled) {
        return Err(DenyReason::DoorDisabled);
    }
    if !clock_synced {
        return Err(DenyReason::ClockNotSynced);
    }
    let max_age = to_delta(policy.max_snapshot_age);
    if now.signed_duration_since(snapshot.generated_at) > max_age {
        return Err(DenyReason::SnapshotTooOld);
    }
    door.ok_or(DenyReason::UnknownDoor)
}

fn grant_for(
    snapshot: &AccessSnapshot,
    request: &AccessRequest,
    now: DateTime<Utc>,
    clock_synced: bool,
    policy: &DecisionPolicy,
) -> Result<Decision, DenyReason> {
    let door = usable_door(snapshot, &request.door, now, clock_synced, policy)?;
    if matches!(&request.credential, Credential::Verifier(v) if v.is_empty()) {
        return Err(DenyReason::BadRequest);
    }
    let grace = TimeDelta::seconds(i64::from(snapshot.grace_period_s));

    // One credential may match several bookings (a member with two bookings today): any valid
    // one grants; otherwise keep the deny of the candidate that got furthest, it tells the most.
    let mut best: Result<&SnapshotGrant, (u8, DenyReason)> = Err((0, DenyReason::NoBooking));
    for grant in &snapshot.grants {
        if !credential_matches(grant, &request.credential) {
            continue;
        }
        match check_grant(grant, door, now, grace) {
            Ok(()) => {
                if best.is_err() {
                    best = Ok(grant);
                }
            }
            Err(candidate) => {
                if let Err(current) = best
                    && candidate.0 > current.0
                {
                    best = Err(candidate);
                }
            }
        }
    }
    let grant = best.map_err(|(_, reason)| reason)?;
    let deadline = now.checked_add_signed(to_delta(policy.command_validity)).ok_or(DenyReason::BadRequest)?;
    Ok(Decision::Grant { pulse: policy.pulse, deadline, booking_id: grant.booking_id.clone() })
}

fn credential_matches(grant: &SnapshotGrant, credential: &Credential) -> bool {
    match credential {
        Credential::Verifier(verifier) => verifiers_match(&grant.credential_verifier, verifier),
        Credential::Booking(id) => &grant.booking_id == id,
    }
}

/// Checks one matching grant; a deny carries how far the grant got, so the most telling
/// reason wins when one credential matches several bookings.
fn check_grant(
    grant: &SnapshotGrant,
    door: &SnapshotDoor,
    now: DateTime<Utc>,
    grace: TimeDelta,
) -> Result<(), (u8, DenyReason)> {
    if grant.revoked {
        return Err((1, DenyReason::Revoked));
    }
    if !grant.status.opens_doors() {
        return Err((2, DenyReason::BookingNotActive));
    }
    if !grant.user_active {
        return Err((3, DenyReason::UserInactive));
    }
    if !door.leads_to(&grant.space_id) {
        return Err((4, DenyReason::WrongDoor));
    }
    check_window(grant.valid_from, grant.valid_until, grace, now).map_err(|reason| (5, reason))
}

/// Whether `now` lies in a booking's opening window: from `grace` before its start until its
/// end (half-open). The web service asks this to offer the remote unlock button exactly when
/// the rule would let the booking in by time.
///
/// # Errors
/// `TooEarly` before the window, `TooLate` from its end on.
pub fn check_window(
    valid_from: DateTime<Utc>,
    valid_until: DateTime<Utc>,
    grace: TimeDelta,
    now: DateTime<Utc>,
) -> Result<(), DenyReason> {
    let opens_at = valid_from.checked_sub_signed(grace).unwrap_or(DateTime::<Utc>::MIN_UTC);
    if now < opens_at {
        return Err(DenyReason::TooEarly);
    }
    if now >= valid_until {
        return Err(DenyReason::TooLate);
    }
    Ok(())
}

fn to_delta(duration: Duration) -> TimeDelta {
    TimeDelta::from_std(duration).unwrap_or(TimeDelta::MAX)
}

#[cfg(test)]
pub(crate) mod fixtures;
#[cfg(test)]
mod tests;
