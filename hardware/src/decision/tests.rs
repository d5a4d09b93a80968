//! The door rule's cases, to the second: time windows, doors and spaces, booking states,
//! credentials, the clock, the snapshot's age and the managers' vetoes.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::fixtures::{KEY, at, grant, pin_request, policy, snapshot};
use super::*;
use crate::protocol::{BookingId, BookingStatus, CredentialKind, DoorId, pin_verifier};

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
