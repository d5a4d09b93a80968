//! The keypad verdict case by case: each hub-wide refusal, the door rule's refusals as the
//! keypad is told them, the lockout, maintenance credentials and the default deny.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::Duration;

use super::*;
use crate::decision::fixtures::{KEY, at, booked, online, policy, snapshot};
use crate::protocol::pin_verifier;

const PIN: &str = "4711";
const MAINTENANCE_PIN: &str = "97531864";

/// While booking `b1` of room A (10:00–12:00) runs.
fn utc() -> DateTime<Utc> {
    at(10, 30, 0)
}

fn maintenance() -> Vec<MaintenanceCredential> {
    vec![MaintenanceCredential {
        name: "service".into(),
        verifier: pin_verifier(KEY, MAINTENANCE_PIN),
        doors: vec![DoorId::new("room-a")],
    }]
}

fn rules(maintenance: &[MaintenanceCredential]) -> KeypadRules<'_> {
    KeypadRules {
        decision: policy(),
        lockout: LockoutPolicy {
            threshold: 3,
            first: Duration::from_secs(60),
            max: Duration::from_secs(600),
            forgive_after: Duration::from_secs(3600),
        },
        maintenance,
    }
}

/// A PIN typed at `door`, decided at `now` with the counter `lockout`.
fn typed(
    hub: &HubConditions<'_>,
    door: &str,
    pin: &str,
    lockout: &PinLockout,
    now: Instant,
    now_utc: DateTime<Utc>,
) -> KeypadOutcome {
    let door = DoorId::new(door);
    let request = KeypadRequest {
        door: &door,
        credential: Some(Credential::Verifier(pin_verifier(KEY, pin))),
        kind: CredentialKind::Pin,
    };
    let list = maintenance();
    keypad_verdict(hub, request, &rules(&list), lockout, now, now_utc)
}

fn at_room_a(hub: &HubConditions<'_>, pin: &str) -> KeypadOutcome {
    typed(hub, "room-a", pin, &PinLockout::default(), Instant::now(), utc())
}

/// Types `pin` at room A twice at `now`, each refused as no booking; the counter after.
fn refused_twice(hub: &HubConditions<'_>, pin: &str, now: Instant) -> PinLockout {
    let mut lockout = PinLockout::default();
    for _ in 0..2 {
        let outcome = typed(hub, "room-a", pin, &lockout, now, utc());
        assert_eq!(outcome.verdict, denied(DenyReason::NoBooking));
        lockout = outcome.lockout;
    }
    lockout
}

fn denied(shown: DenyReason) -> KeypadVerdict {
    KeypadVerdict::Denied { shown, offline: false }
}

fn recorded(reason: DenyReason) -> Vec<AccessEventKind> {
    vec![AccessEventKind::Denied { reason }]
}

#[test]
fn a_valid_pin_opens_for_its_booking_and_records_nothing_more() {
    let snap = booked();
    let outcome = at_room_a(&online(Some(&snap)), PIN);
    assert_eq!(outcome.verdict, KeypadVerdict::Open(BookingId::new("b1")));
    assert!(outcome.record.is_empty());
}

#[test]
fn by_default_a_credential_is_refused_as_no_booking() {
    let snap = booked();
    let outcome = at_room_a(&online(Some(&snap)), "1234");
    assert_eq!(outcome.verdict, denied(DenyReason::NoBooking));
    assert_eq!(outcome.record, recorded(DenyReason::NoBooking));
    let empty = snapshot(Vec::new());
    assert_eq!(at_room_a(&online(Some(&empty)), PIN).verdict, denied(DenyReason::NoBooking));
}

#[test]
fn reasons_that_would_confirm_a_pin_are_recorded_but_shown_as_no_booking() {
    let snap = booked();
    let hub = online(Some(&snap));
    let wrong_door = typed(&hub, "room-b", PIN, &PinLockout::default(), Instant::now(), utc());
    assert_eq!(wrong_door.verdict, denied(DenyReason::NoBooking));
    assert_eq!(wrong_door.record, recorded(DenyReason::WrongDoor));
    let late = typed(&hub, "room-a", PIN, &PinLockout::default(), Instant::now(), at(12, 0, 0));
    assert_eq!(late.verdict, denied(DenyReason::NoBooking));
    assert_eq!(late.record, recorded(DenyReason::TooLate));
    let mut revoked = booked();
    revoked.grants[0].revoked = true;
    let outcome = at_room_a(&online(Some(&revoked)), PIN);
    assert_eq!((outcome.verdict, outcome.record), (denied(DenyReason::NoBooking), recorded(DenyReason::Revoked)));
}

#[test]
fn each_hub_wide_refusal_is_shown_as_it_is() {
    let snap = booked();
    let mut locked = booked();
    locked.lockdown = true;
    let mut disabled = booked();
    disabled.doors[1].disabled = true;
    let cases = [
        (HubConditions { own_lockdown: true, ..online(Some(&snap)) }, DenyReason::Lockdown),
        (online(Some(&locked)), DenyReason::Lockdown),
        (HubConditions { own_door_enabled: false, ..online(Some(&snap)) }, DenyReason::DoorDisabled),
        (online(Some(&disabled)), DenyReason::DoorDisabled),
        (online(None), DenyReason::NoSnapshot),
        (HubConditions { clock_synced: false, ..online(Some(&snap)) }, DenyReason::ClockNotSynced),
    ];
    for (hub, reason) in cases {
        let outcome = at_room_a(&hub, PIN);
        assert_eq!(outcome.verdict, denied(reason), "{reason}");
        assert_eq!(outcome.record, recorded(reason), "{reason}");
    }
    let stale = typed(&online(Some(&snap)), "room-a", PIN, &PinLockout::default(), Instant::now(), at(13, 0, 1));
    assert_eq!(stale.verdict, denied(DenyReason::SnapshotTooOld));
}

#[test]
fn offline_the_keypad_still_decides_and_says_so_when_it_refuses() {
    let snap = booked();
    let hub = HubConditions { deciding_offline: true, ..online(Some(&snap)) };
    assert_eq!(at_room_a(&hub, PIN).verdict, KeypadVerdict::Open(BookingId::new("b1")));
    assert_eq!(at_room_a(&hub, "1234").verdict, KeypadVerdict::Denied { shown: DenyReason::NoBooking, offline: true });
}

#[test]
fn an_unreadable_credential_is_a_bad_request_that_does_not_count_toward_the_lockout() {
    let snap = booked();
    let hub = online(Some(&snap));
    let door = DoorId::new("room-a");
    let list = maintenance();
    let mut lockout = PinLockout::default();
    let now = Instant::now();
    for _ in 0..5 {
        let request = KeypadRequest { door: &door, credential: None, kind: CredentialKind::Pin };
        let outcome = keypad_verdict(&hub, request, &rules(&list), &lockout, now, utc());
        assert_eq!(outcome.verdict, KeypadVerdict::BadRequest);
        assert_eq!(outcome.record, recorded(DenyReason::BadRequest));
        lockout = outcome.lockout;
    }
    assert_eq!(typed(&hub, "room-a", "1234", &lockout, now, utc()).verdict, denied(DenyReason::NoBooking));
}

#[test]
fn the_third_refusal_locks_the_keypad_and_a_running_lockout_decides_nothing() {
    let snap = booked();
    let hub = online(Some(&snap));
    let t0 = Instant::now();
    let lockout = refused_twice(&hub, "1234", t0);
    let third = typed(&hub, "room-a", "1234", &lockout, t0, utc());
    assert_eq!(third.verdict, KeypadVerdict::LockedOut);
    assert_eq!(
        third.record,
        vec![AccessEventKind::Denied { reason: DenyReason::NoBooking }, AccessEventKind::LockedOut { seconds: 60 }]
    );
    // The counter passed in is left as it was; the outcome carries the new one.
    assert_eq!(lockout.remaining(t0), None);
    let lockout = third.lockout;
    assert_eq!(lockout.remaining(t0), Some(Duration::from_secs(60)));

    let during = typed(&hub, "room-a", PIN, &lockout, t0 + Duration::from_secs(59), utc());
    assert_eq!(during.verdict, KeypadVerdict::LockedOut);
    assert_eq!(during.record, recorded(DenyReason::LockedOut));
    let service = typed(&hub, "room-a", MAINTENANCE_PIN, &lockout, t0 + Duration::from_secs(59), utc());
    assert_eq!(service.verdict, KeypadVerdict::LockedOut);

    let after = typed(&hub, "room-a", PIN, &lockout, t0 + Duration::from_secs(60), utc());
    assert_eq!(after.verdict, KeypadVerdict::Open(BookingId::new("b1")));
}

#[test]
fn a_grant_between_guesses_does_not_reset_the_count() {
    let snap = booked();
    let hub = online(Some(&snap));
    let t0 = Instant::now();
    let mut lockout = PinLockout::default();
    for pin in ["1234", "2345", PIN] {
        lockout = typed(&hub, "room-a", pin, &lockout, t0, utc()).lockout;
    }
    assert_eq!(typed(&hub, "room-a", "3456", &lockout, t0, utc()).verdict, KeypadVerdict::LockedOut);
}

#[test]
fn a_maintenance_pin_opens_its_doors_only_where_bookings_cannot_decide_or_may_not_open() {
    let snap = booked();
    let mut locked = booked();
    locked.lockdown = true;
    let opened = KeypadVerdict::OpenForMaintenance("service".into());
    for hub in [
        online(None),
        online(Some(&locked)),
        HubConditions { own_door_enabled: false, ..online(Some(&snap)) },
        HubConditions { clock_synced: false, ..online(Some(&snap)) },
    ] {
        let outcome = at_room_a(&hub, MAINTENANCE_PIN);
        assert_eq!(outcome.verdict, opened);
        assert!(outcome.record.is_empty());
        assert_eq!(outcome.lockout.remaining(Instant::now()), None);
    }
    // Not at a door it is not made for, and not while the bookings can speak: then it is an
    // ordinary wrong PIN that counts toward the lockout.
    let elsewhere = typed(&online(None), "room-b", MAINTENANCE_PIN, &PinLockout::default(), Instant::now(), utc());
    assert_eq!(elsewhere.verdict, denied(DenyReason::NoSnapshot));
    let t0 = Instant::now();
    let lockout = refused_twice(&online(Some(&snap)), MAINTENANCE_PIN, t0);
    assert_eq!(
        typed(&online(Some(&snap)), "room-a", MAINTENANCE_PIN, &lockout, t0, utc()).verdict,
        KeypadVerdict::LockedOut
    );
}
