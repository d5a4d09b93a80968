//! The door rule: one pure, total function from (snapshot, request, time) to grant or deny,
//! used by the bridge at the keypad and by the web service for remote unlocks, so both follow
//! the same rule, and its booking-less sibling for staff-ordered openings. Default deny. The
//! snapshot's lockdown and disabled doors are vetoes here, so both sides honour them. No clock reading, no I/O, no lockout or rate state here: the
//! caller passes `now` and keeps its own counters.

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
    let opens_at = grant.valid_from.checked_sub_signed(grace).unwrap_or(DateTime::<Utc>::MIN_UTC);
    if now < opens_at {
        return Err((5, DenyReason::TooEarly));
    }
    if now >= grant.valid_until {
        return Err((5, DenyReason::TooLate));
    }
    Ok(())
}

fn to_delta(duration: Duration) -> TimeDelta {
    TimeDelta::from_std(duration).unwrap_or(TimeDelta::MAX)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;
    use crate::protocol::{
        BookingId, BookingStatus, CredentialKind, DoorId, HubId, SnapshotDoor, SpaceId, pin_verifier,
    };
    use chrono::TimeZone;

    const KEY: &[u8] = b"hub-secret";
    const GRACE_S: u32 = 300;

    fn at(h: u32, m: u32, s: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2025, 3, 10, h, m, s).unwrap()
    }

    fn grant(booking: &str, space: &str, pin: &str) -> SnapshotGrant {
        SnapshotGrant {
            booking_id: BookingId::new(booking),
            space_id: SpaceId::new(space),
            credential_verifier: pin_verifier(KEY, pin),
            valid_from: at(10, 0, 0),
            valid_until: at(12, 0, 0),
            status: BookingStatus::Confirmed,
            user_active: true,
            revoked: false,
        }
    }

    fn snapshot(grants: Vec<SnapshotGrant>) -> AccessSnapshot {
        AccessSnapshot {
            lockdown: false,
            hub_id: HubId::new("polch"),
            version: 7,
            generated_at: at(9, 0, 0),
            grace_period_s: GRACE_S,
            doors: vec![
                SnapshotDoor { disabled: false, id: DoorId::new("entrance"), entrance: true, space_ids: vec![] },
                SnapshotDoor {
                    disabled: false,
                    id: DoorId::new("room-a"),
                    entrance: false,
                    space_ids: vec![SpaceId::new("room-a")],
                },
                SnapshotDoor {
                    disabled: false,
                    id: DoorId::new("room-b"),
                    entrance: false,
                    space_ids: vec![SpaceId::new("room-b")],
                },
            ],
            grants,
        }
    }

    fn pin_request(door: &str, pin: &str) -> AccessRequest {
        AccessRequest {
            door: DoorId::new(door),
            credential: Credential::Verifier(pin_verifier(KEY, pin)),
            kind: CredentialKind::Pin,
        }
    }

    fn policy() -> DecisionPolicy {
        DecisionPolicy {
            max_snapshot_age: Duration::from_secs(3600 * 4),
            pulse: Duration::from_secs(5),
            command_validity: Duration::from_secs(8),
        }
    }

    fn outcome(snap: &AccessSnapshot, req: &AccessRequest, now: DateTime<Utc>) -> Decision {
        decide(snap, req, now, true, &policy())
    }

    fn denied(reason: DenyReason) -> Decision {
        Decision::Deny { reason }
    }

    #[test]
    fn time_window_boundaries_to_the_second() {
        let snap = snapshot(vec![grant("b1", "room-a", "4711")]);
        let req = pin_request("room-a", "4711");
        let grace_start = at(9, 55, 0);
        let cases = [
            (grace_start - TimeDelta::seconds(1), Some(DenyReason::TooEarly)),
            (grace_start, None),
            (grace_start + TimeDelta::seconds(1), None),
            (at(10, 0, 0), None),
            (at(11, 59, 59), None),
            (at(12, 0, 0), Some(DenyReason::TooLate)),
            (at(12, 0, 1), Some(DenyReason::TooLate)),
        ];
        for (now, expected) in cases {
            let decision = outcome(&snap, &req, now);
            match expected {
                Some(reason) => assert_eq!(decision, denied(reason), "at {now}"),
                None => assert!(decision.is_grant(), "expected grant at {now}: {decision:?}"),
            }
        }
    }

    #[test]
    fn grant_carries_pulse_deadline_and_booking() {
        let snap = snapshot(vec![grant("b1", "room-a", "4711")]);
        let now = at(10, 30, 0);
        assert_eq!(
            outcome(&snap, &pin_request("room-a", "4711"), now),
            Decision::Grant {
                pulse: Duration::from_secs(5),
                deadline: now + TimeDelta::seconds(8),
                booking_id: BookingId::new("b1"),
            }
        );
    }

    #[test]
    fn zero_grace_opens_exactly_at_start() {
        let mut snap = snapshot(vec![grant("b1", "room-a", "4711")]);
        snap.grace_period_s = 0;
        let req = pin_request("room-a", "4711");
        assert_eq!(outcome(&snap, &req, at(9, 59, 59)), denied(DenyReason::TooEarly));
        assert!(outcome(&snap, &req, at(10, 0, 0)).is_grant());
    }

    #[test]
    fn doors_lead_only_to_their_spaces_and_the_entrance_to_all() {
        let snap = snapshot(vec![grant("b1", "room-a", "4711")]);
        let now = at(10, 30, 0);
        assert!(outcome(&snap, &pin_request("room-a", "4711"), now).is_grant());
        assert!(outcome(&snap, &pin_request("entrance", "4711"), now).is_grant());
        assert_eq!(outcome(&snap, &pin_request("room-b", "4711"), now), denied(DenyReason::WrongDoor));
        assert_eq!(outcome(&snap, &pin_request("cellar", "4711"), now), denied(DenyReason::UnknownDoor));
    }

    #[test]
    fn booking_state_user_and_revocation_are_checked() {
        let now = at(10, 30, 0);
        let req = pin_request("room-a", "4711");
        let statuses = [
            (BookingStatus::Confirmed, None),
            (BookingStatus::CheckedIn, None),
            (BookingStatus::Pending, Some(DenyReason::BookingNotActive)),
            (BookingStatus::Cancelled, Some(DenyReason::BookingNotActive)),
            (BookingStatus::NoShow, Some(DenyReason::BookingNotActive)),
            (BookingStatus::Completed, Some(DenyReason::BookingNotActive)),
        ];
        for (status, expected) in statuses {
            let mut g = grant("b1", "room-a", "4711");
            g.status = status;
            let decision = outcome(&snapshot(vec![g]), &req, now);
            match expected {
                Some(reason) => assert_eq!(decision, denied(reason), "{status:?}"),
                None => assert!(decision.is_grant(), "{status:?}"),
            }
        }

        let mut inactive = grant("b1", "room-a", "4711");
        inactive.user_active = false;
        assert_eq!(outcome(&snapshot(vec![inactive]), &req, now), denied(DenyReason::UserInactive));

        let mut revoked = grant("b1", "room-a", "4711");
        revoked.revoked = true;
        assert_eq!(outcome(&snapshot(vec![revoked]), &req, now), denied(DenyReason::Revoked));
    }

    #[test]
    fn unknown_or_empty_credentials_are_denied() {
        let snap = snapshot(vec![grant("b1", "room-a", "4711")]);
        let now = at(10, 30, 0);
        assert_eq!(outcome(&snap, &pin_request("room-a", "4712"), now), denied(DenyReason::NoBooking));
        let empty = AccessRequest {
            door: DoorId::new("room-a"),
            credential: Credential::Verifier(String::new()),
            kind: CredentialKind::Pin,
        };
        assert_eq!(outcome(&snap, &empty, now), denied(DenyReason::BadRequest));
        assert_eq!(outcome(&snapshot(vec![]), &pin_request("room-a", "4711"), now), denied(DenyReason::NoBooking));
    }

    #[test]
    fn a_pin_from_another_hub_key_does_not_match() {
        let snap = snapshot(vec![grant("b1", "room-a", "4711")]);
        let req = AccessRequest {
            door: DoorId::new("room-a"),
            credential: Credential::Verifier(pin_verifier(b"other-hub", "4711")),
            kind: CredentialKind::Pin,
        };
        assert_eq!(outcome(&snap, &req, at(10, 30, 0)), denied(DenyReason::NoBooking));
    }

    #[test]
    fn clock_and_snapshot_age_are_checked_first() {
        let snap = snapshot(vec![grant("b1", "room-a", "4711")]);
        let req = pin_request("room-a", "4711");
        assert_eq!(decide(&snap, &req, at(10, 30, 0), false, &policy()), denied(DenyReason::ClockNotSynced));
        // generated 09:00, max age 4 h: 13:00:00 is still fine, 13:00:01 is too old.
        let mut long = grant("b1", "room-a", "4711");
        long.valid_until = at(20, 0, 0);
        let snap = snapshot(vec![long]);
        assert!(outcome(&snap, &req, at(13, 0, 0)).is_grant());
        assert_eq!(outcome(&snap, &req, at(13, 0, 1)), denied(DenyReason::SnapshotTooOld));
    }

    #[test]
    fn remote_unlock_names_the_booking() {
        let snap = snapshot(vec![grant("b1", "room-a", "4711")]);
        let remote = |booking: &str| AccessRequest {
            door: DoorId::new("room-a"),
            credential: Credential::Booking(BookingId::new(booking)),
            kind: CredentialKind::Remote,
        };
        assert!(outcome(&snap, &remote("b1"), at(10, 30, 0)).is_grant());
        assert_eq!(outcome(&snap, &remote("b2"), at(10, 30, 0)), denied(DenyReason::NoBooking));
    }

    #[test]
    fn lockdown_and_a_disabled_door_veto_every_credential() {
        let now = at(10, 30, 0);
        let mut snap = snapshot(vec![grant("b1", "room-a", "4711")]);
        snap.lockdown = true;
        assert_eq!(outcome(&snap, &pin_request("room-a", "4711"), now), denied(DenyReason::Lockdown));
        assert_eq!(outcome(&snap, &pin_request("entrance", "4711"), now), denied(DenyReason::Lockdown));
        // The managers' word outlives a stale snapshot and an unsynced clock.
        assert_eq!(decide(&snap, &pin_request("room-a", "4711"), now, false, &policy()), denied(DenyReason::Lockdown));
        assert_eq!(outcome(&snap, &pin_request("room-a", "4711"), at(23, 0, 0)), denied(DenyReason::Lockdown));

        let mut snap = snapshot(vec![grant("b1", "room-a", "4711")]);
        snap.doors[1].disabled = true;
        assert_eq!(outcome(&snap, &pin_request("room-a", "4711"), now), denied(DenyReason::DoorDisabled));
        let remote = AccessRequest {
            door: DoorId::new("room-a"),
            credential: Credential::Booking(BookingId::new("b1")),
            kind: CredentialKind::Remote,
        };
        assert_eq!(outcome(&snap, &remote, now), denied(DenyReason::DoorDisabled));
        // Only that door: the entrance still opens for the booking.
        assert!(outcome(&snap, &pin_request("entrance", "4711"), now).is_grant());
    }

    #[test]
    fn a_card_opens_only_through_its_own_grant_and_the_booking_rules() {
        let uid = crate::protocol::card_uid_bytes("04:A2:FF:10").unwrap();
        let mut card = grant("b1", "room-a", "unused");
        card.credential_verifier = crate::protocol::card_verifier(KEY, &uid);
        let snap = snapshot(vec![grant("b1", "room-a", "4711"), card]);
        let card_request = |door: &str, uid: &[u8]| AccessRequest {
            door: DoorId::new(door),
            credential: Credential::Verifier(crate::protocol::card_verifier(KEY, uid)),
            kind: CredentialKind::NfcUid,
        };
        assert!(outcome(&snap, &card_request("room-a", &uid), at(10, 30, 0)).is_grant());
        assert!(outcome(&snap, &card_request("entrance", &uid), at(10, 30, 0)).is_grant());
        assert_eq!(outcome(&snap, &card_request("room-b", &uid), at(10, 30, 0)), denied(DenyReason::WrongDoor));
        assert_eq!(outcome(&snap, &card_request("room-a", &uid), at(9, 54, 59)), denied(DenyReason::TooEarly));
        assert_eq!(outcome(&snap, &card_request("room-a", &uid), at(12, 0, 0)), denied(DenyReason::TooLate));
        assert_eq!(
            outcome(&snap, &card_request("room-a", &[0x04, 0xA2, 0xFF, 0x11]), at(10, 30, 0)),
            denied(DenyReason::NoBooking)
        );
        // The card's bytes typed as a PIN never match the card's grant, nor the PIN a card.
        let digits = crate::protocol::card_uid_bytes("34:37:31:31").unwrap();
        let snap = snapshot(vec![{
            let mut g = grant("b2", "room-a", "unused");
            g.credential_verifier = crate::protocol::card_verifier(KEY, &digits);
            g
        }]);
        assert_eq!(outcome(&snap, &pin_request("room-a", "4711"), at(10, 30, 0)), denied(DenyReason::NoBooking));
        let snap = snapshot(vec![grant("b1", "room-a", "4711")]);
        assert_eq!(outcome(&snap, &card_request("room-a", b"4711"), at(10, 30, 0)), denied(DenyReason::NoBooking));
    }

    #[test]
    fn a_staff_opening_checks_everything_but_a_booking() {
        let now = at(10, 30, 0);
        let snap = snapshot(vec![]);
        let staff = |snap: &AccessSnapshot, door: &str, now, synced| {
            decide_staff_opening(snap, &DoorId::new(door), now, synced, &policy())
        };
        assert_eq!(staff(&snap, "room-a", now, true), Ok(()));
        assert_eq!(staff(&snap, "cellar", now, true), Err(DenyReason::UnknownDoor));
        assert_eq!(staff(&snap, "room-a", now, false), Err(DenyReason::ClockNotSynced));
        assert_eq!(staff(&snap, "room-a", at(13, 0, 1), true), Err(DenyReason::SnapshotTooOld));
        let mut locked = snap.clone();
        locked.lockdown = true;
        assert_eq!(staff(&locked, "room-a", now, true), Err(DenyReason::Lockdown));
        let mut disabled = snap;
        disabled.doors[1].disabled = true;
        assert_eq!(staff(&disabled, "room-a", now, true), Err(DenyReason::DoorDisabled));
        assert_eq!(staff(&disabled, "room-b", now, true), Ok(()));
    }

    #[test]
    fn when_a_pin_matches_several_bookings_any_valid_one_grants() {
        let mut earlier = grant("b0", "room-a", "4711");
        earlier.valid_from = at(7, 0, 0);
        earlier.valid_until = at(8, 0, 0);
        let current = grant("b1", "room-a", "4711");
        let snap = snapshot(vec![earlier, current]);
        match outcome(&snap, &pin_request("room-a", "4711"), at(10, 30, 0)) {
            Decision::Grant { booking_id, .. } => assert_eq!(booking_id, BookingId::new("b1")),
            other => panic!("expected grant, got {other:?}"),
        }
        // Outside both windows the time reason wins over the less telling ones.
        let mut cancelled = grant("b2", "room-a", "4711");
        cancelled.status = BookingStatus::Cancelled;
        let mut late = grant("b3", "room-a", "4711");
        late.valid_until = at(10, 0, 0);
        let snap = snapshot(vec![cancelled, late]);
        assert_eq!(outcome(&snap, &pin_request("room-a", "4711"), at(10, 30, 0)), denied(DenyReason::TooLate));
    }
}
