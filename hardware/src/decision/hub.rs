//! The hub-wide refusals as the bridge holds them: what shuts a door for every credential
//! before a booking is looked at. The snapshot's lockdown and disabled doors are checked by the
//! door rule itself; here come the bridge's own lockdown and door switches, a missing snapshot
//! and, for a remote opening, a missing link to the central service. The keypad, a member's
//! remote unlock and a staff-ordered opening at the bridge all pass here, then the door rule.

use chrono::{DateTime, Utc};

use super::{DecisionPolicy, decide, decide_staff_opening};
use crate::protocol::{AccessRequest, AccessSnapshot, CredentialKind, Decision, DenyReason, DoorId};

/// What the bridge holds about the hub and one door at the moment it decides there.
#[derive(Debug, Clone, Copy)]
pub struct HubConditions<'a> {
    /// The access snapshot held; without one, no booking can open.
    pub snapshot: Option<&'a AccessSnapshot>,
    /// The bridge's own lockdown flag (the snapshot brings its own).
    pub own_lockdown: bool,
    /// The bridge's own switch for the door (the snapshot may still disable it).
    pub own_door_enabled: bool,
    /// False until the bridge's clock is known to be right; no time window can be checked then.
    pub clock_synced: bool,
    /// The bridge decides from its cached snapshot without the central service.
    pub deciding_offline: bool,
}

impl<'a> HubConditions<'a> {
    /// Lockdown as status bit 4 shows it: the bridge's own flag or the snapshot's.
    pub fn lockdown_in_force(&self) -> bool {
        lockdown_in_force(self.own_lockdown, self.snapshot)
    }

    /// Whether `door` may open, as status bit 3 shows it: neither the bridge's own switch nor
    /// the snapshot disables it.
    pub fn door_enabled(&self, door: &DoorId) -> bool {
        let disabled_centrally =
            self.snapshot.and_then(|snapshot| snapshot.door(door)).is_some_and(|door| door.disabled);
        self.own_door_enabled && !disabled_centrally
    }

    /// The snapshot to decide from at `door`, or the hub-wide refusal. A remote opening
    /// (`CredentialKind::Remote`) is refused first while the bridge decides offline: remote
    /// unlocks must never work without the central service. Then lockdown, a disabled door
    /// and a missing snapshot refuse every credential alike.
    ///
    /// # Errors
    /// The reason every credential is refused at `door` now.
    pub fn usable_snapshot(&self, door: &DoorId, kind: CredentialKind) -> Result<&'a AccessSnapshot, DenyReason> {
        if kind == CredentialKind::Remote && self.deciding_offline {
            return Err(DenyReason::RemoteUnlockOffline);
        }
        if self.lockdown_in_force() {
            return Err(DenyReason::Lockdown);
        }
        if !self.door_enabled(door) {
            return Err(DenyReason::DoorDisabled);
        }
        self.snapshot.ok_or(DenyReason::NoSnapshot)
    }
}

/// Lockdown from the bridge's own flag or the snapshot's. A lockdown in a stale snapshot stays
/// in force until a newer one lifts it (fail secure).
pub fn lockdown_in_force(own_lockdown: bool, snapshot: Option<&AccessSnapshot>) -> bool {
    own_lockdown || snapshot.is_some_and(|snapshot| snapshot.lockdown)
}

/// Decides a credential at the bridge: the hub-wide refusals, then the door rule.
pub fn decide_at_hub(
    hub: &HubConditions<'_>,
    request: &AccessRequest,
    now: DateTime<Utc>,
    policy: &DecisionPolicy,
) -> Decision {
    match hub.usable_snapshot(&request.door, request.kind) {
        Ok(snapshot) => decide(snapshot, request, now, hub.clock_synced, policy),
        Err(reason) => Decision::Deny { reason },
    }
}

/// Decides a staff-ordered opening at the bridge: the hub-wide refusals of a remote opening,
/// then everything of the door rule but the booking.
///
/// # Errors
/// The reason the door stays shut.
pub fn decide_staff_opening_at_hub(
    hub: &HubConditions<'_>,
    door: &DoorId,
    now: DateTime<Utc>,
    policy: &DecisionPolicy,
) -> Result<(), DenyReason> {
    let snapshot = hub.usable_snapshot(door, CredentialKind::Remote)?;
    decide_staff_opening(snapshot, door, now, hub.clock_synced, policy)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;
    use crate::decision::fixtures::{at, booked, online};
    use crate::protocol::{BookingId, Credential};

    fn now() -> DateTime<Utc> {
        at(10, 30, 0)
    }

    fn remote(door: &str) -> AccessRequest {
        AccessRequest {
            door: DoorId::new(door),
            credential: Credential::Booking(BookingId::new("b1")),
            kind: CredentialKind::Remote,
        }
    }

    fn decided(hub: &HubConditions<'_>, request: &AccessRequest) -> Decision {
        decide_at_hub(hub, request, now(), &DecisionPolicy::default())
    }

    fn staff(hub: &HubConditions<'_>, door: &str) -> Result<(), DenyReason> {
        decide_staff_opening_at_hub(hub, &DoorId::new(door), now(), &DecisionPolicy::default())
    }

    fn denied(reason: DenyReason) -> Decision {
        Decision::Deny { reason }
    }

    #[test]
    fn with_nothing_in_the_way_the_door_rule_decides() {
        let snap = booked();
        let hub = online(Some(&snap));
        assert!(decided(&hub, &remote("room-a")).is_grant());
        assert_eq!(staff(&hub, "room-a"), Ok(()));
        let mut unknown = remote("room-a");
        unknown.credential = Credential::Booking(BookingId::new("b2"));
        assert_eq!(decided(&hub, &unknown), denied(DenyReason::NoBooking));
    }

    #[test]
    fn without_a_snapshot_nothing_opens() {
        let hub = online(None);
        assert_eq!(decided(&hub, &remote("room-a")), denied(DenyReason::NoSnapshot));
        assert_eq!(staff(&hub, "room-a"), Err(DenyReason::NoSnapshot));
    }

    #[test]
    fn the_bridges_own_lockdown_refuses_every_opening_and_shows_in_the_status() {
        let snap = booked();
        let hub = HubConditions { own_lockdown: true, ..online(Some(&snap)) };
        assert!(hub.lockdown_in_force());
        assert_eq!(decided(&hub, &remote("room-a")), denied(DenyReason::Lockdown));
        assert_eq!(staff(&hub, "entrance"), Err(DenyReason::Lockdown));
        // Even without a snapshot the lockdown is the reason given, not the missing snapshot.
        let bare = HubConditions { own_lockdown: true, ..online(None) };
        assert_eq!(decided(&bare, &remote("room-a")), denied(DenyReason::Lockdown));
    }

    #[test]
    fn the_snapshots_lockdown_counts_as_the_bridges() {
        let mut snap = booked();
        snap.lockdown = true;
        let hub = online(Some(&snap));
        assert!(hub.lockdown_in_force());
        assert_eq!(decided(&hub, &remote("room-a")), denied(DenyReason::Lockdown));
        assert!(!lockdown_in_force(false, None));
        assert!(lockdown_in_force(true, None));
    }

    #[test]
    fn a_door_switched_off_here_or_centrally_refuses_only_that_door() {
        let snap = booked();
        let here = HubConditions { own_door_enabled: false, ..online(Some(&snap)) };
        assert!(!here.door_enabled(&DoorId::new("room-a")));
        assert_eq!(decided(&here, &remote("room-a")), denied(DenyReason::DoorDisabled));
        assert_eq!(staff(&here, "room-a"), Err(DenyReason::DoorDisabled));

        let mut central = booked();
        central.doors[1].disabled = true;
        let hub = online(Some(&central));
        assert!(!hub.door_enabled(&DoorId::new("room-a")));
        assert!(hub.door_enabled(&DoorId::new("entrance")));
        assert_eq!(decided(&hub, &remote("room-a")), denied(DenyReason::DoorDisabled));
        assert!(decided(&hub, &remote("entrance")).is_grant());
    }

    #[test]
    fn offline_refuses_remote_openings_first_but_not_the_keypad() {
        let mut snap = booked();
        snap.lockdown = true;
        let hub = HubConditions { deciding_offline: true, ..online(Some(&snap)) };
        assert_eq!(decided(&hub, &remote("room-a")), denied(DenyReason::RemoteUnlockOffline));
        assert_eq!(staff(&hub, "room-a"), Err(DenyReason::RemoteUnlockOffline));
        let keypad = AccessRequest { kind: CredentialKind::Pin, ..remote("room-a") };
        assert_eq!(decided(&hub, &keypad), denied(DenyReason::Lockdown));

        let open = booked();
        let hub = HubConditions { deciding_offline: true, ..online(Some(&open)) };
        let card = AccessRequest { kind: CredentialKind::NfcUid, ..remote("room-a") };
        assert_eq!(hub.usable_snapshot(&card.door, card.kind).map(|s| s.version), Ok(7));
    }

    #[test]
    fn the_clock_reaches_the_door_rule() {
        let snap = booked();
        let hub = HubConditions { clock_synced: false, ..online(Some(&snap)) };
        assert_eq!(decided(&hub, &remote("room-a")), denied(DenyReason::ClockNotSynced));
        assert_eq!(staff(&hub, "room-a"), Err(DenyReason::ClockNotSynced));
    }
}
