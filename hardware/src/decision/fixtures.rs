//! Test fixtures of the door rule, shared by the tests of everything that asks it: one hub
//! (entrance, room A, room B) on 10 March 2025, its snapshot generated at 09:00 with a grace of
//! five minutes, bookings from 10:00 to 12:00, and PINs under one hub key.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::Duration;

use chrono::{DateTime, TimeZone, Utc};

use super::{DecisionPolicy, HubConditions};
use crate::protocol::{
    AccessRequest, AccessSnapshot, BookingId, BookingStatus, Credential, CredentialKind, DoorId, HubId, SnapshotDoor,
    SnapshotGrant, SpaceId, pin_verifier,
};

pub(crate) const KEY: &[u8] = b"hub-secret";
const GRACE_S: u32 = 300;

pub(crate) fn at(h: u32, m: u32, s: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 3, 10, h, m, s).unwrap()
}

pub(crate) fn grant(booking: &str, space: &str, pin: &str) -> SnapshotGrant {
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

pub(crate) fn snapshot(grants: Vec<SnapshotGrant>) -> AccessSnapshot {
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

pub(crate) fn pin_request(door: &str, pin: &str) -> AccessRequest {
    AccessRequest {
        door: DoorId::new(door),
        credential: Credential::Verifier(pin_verifier(KEY, pin)),
        kind: CredentialKind::Pin,
    }
}

pub(crate) fn policy() -> DecisionPolicy {
    DecisionPolicy {
        max_snapshot_age: Duration::from_secs(3600 * 4),
        pulse: Duration::from_secs(5),
        command_validity: Duration::from_secs(8),
    }
}

/// The hub with booking `b1` of room A for PIN 4711.
pub(crate) fn booked() -> AccessSnapshot {
    snapshot(vec![grant("b1", "room-a", "4711")])
}

/// A bridge with `snapshot`, online, its clock synced, nothing switched off.
pub(crate) fn online(snapshot: Option<&AccessSnapshot>) -> HubConditions<'_> {
    HubConditions { snapshot, own_lockdown: false, own_door_enabled: true, clock_synced: true, deciding_offline: false }
}
