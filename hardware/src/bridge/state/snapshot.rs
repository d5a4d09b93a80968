//! The access snapshot in the bridge's state: installing a newer one (or the central
//! service's whatever its version), confirming that the one held is still current, and the
//! commands a lockdown or a disabled door it brings in must drop.

use std::time::Instant;

use chrono::{DateTime, Utc};

use crate::protocol::AccessSnapshot;

use super::{BridgeState, SharedBridgeState};

impl SharedBridgeState {
    /// Replaces the snapshot unless it is older than the one held; returns whether it was taken.
    pub fn set_snapshot(&self, snapshot: AccessSnapshot) -> bool {
        let mut state = self.lock();
        if let Some(current) = &state.snapshot
            && current.hub_id == snapshot.hub_id
            && current.version > snapshot.version
        {
            tracing::warn!(
                hub.id = %snapshot.hub_id,
                snapshot.version = snapshot.version,
                current.version = current.version,
                "ignoring an older access snapshot"
            );
            return false;
        }
        tracing::info!(
            hub.id = %snapshot.hub_id,
            snapshot.version = snapshot.version,
            grants = snapshot.grants.len(),
            "access snapshot installed"
        );
        let (now, now_utc) = (self.clock.now_instant(), self.clock.now_utc());
        state.install_snapshot(snapshot, now, now_utc);
        true
    }

    /// Installs a snapshot from the central service whatever its version: the central
    /// service is the authority (its version counter may have been reset by a restore).
    pub fn replace_snapshot(&self, snapshot: AccessSnapshot) {
        let (hub, version, grants) = (snapshot.hub_id.clone(), snapshot.version, snapshot.grants.len());
        let (now, now_utc) = (self.clock.now_instant(), self.clock.now_utc());
        self.lock().install_snapshot(snapshot, now, now_utc);
        tracing::info!(hub.id = %hub, snapshot.version = version, grants, "access snapshot installed");
    }

    /// The central service said the snapshot `version` is still current: its age now counts
    /// from this moment, so an unchanged booking list does not run into the offline limit
    /// while the link is up. Ignored while the clock is not synced (a wrong clock must never
    /// make a snapshot look young). Returns whether the snapshot was confirmed.
    pub fn confirm_snapshot(&self, version: u64) -> bool {
        let now_utc = self.clock.now_utc();
        let mut state = self.lock();
        if !state.clock_synced {
            return false;
        }
        match &mut state.snapshot {
            Some(snapshot) if snapshot.version == version => {
                snapshot.generated_at = snapshot.generated_at.max(now_utc);
                true
            }
            _ => false,
        }
    }

    /// How long ago the snapshot held was fetched or last confirmed current (never negative);
    /// `None` without a snapshot.
    pub fn snapshot_age(&self) -> Option<std::time::Duration> {
        let now_utc = self.clock.now_utc();
        let generated_at = self.lock().snapshot.as_ref().map(|snapshot| snapshot.generated_at)?;
        Some(now_utc.signed_duration_since(generated_at).to_std().unwrap_or_default())
    }

    /// The version of the snapshot held, if any.
    pub fn snapshot_version(&self) -> Option<u64> {
        self.lock().snapshot.as_ref().map(|snapshot| snapshot.version)
    }

    /// A copy of the snapshot held (with `generated_at` moved by [`Self::confirm_snapshot`]).
    pub fn snapshot(&self) -> Option<AccessSnapshot> {
        self.lock().snapshot.clone()
    }
}

impl BridgeState {
    /// Installs a snapshot. A lockdown or a disabled door it brings in drops the commands
    /// not yet carried out, as the bridge's own setters would: a grant issued a moment before
    /// must not open a door the managers just closed.
    fn install_snapshot(&mut self, snapshot: AccessSnapshot, now: Instant, now_utc: DateTime<Utc>) {
        let was_locked = self.lockdown_in_force();
        let was_enabled: Vec<bool> = (0..self.doors.len()).map(|index| self.door_enabled(index)).collect();
        self.snapshot = Some(snapshot);
        let locked = self.lockdown_in_force();
        if locked != was_locked {
            tracing::warn!(lockdown = locked, "hub lockdown changed by the access snapshot");
        }
        for (index, was_enabled) in was_enabled.into_iter().enumerate() {
            let enabled = self.door_enabled(index);
            if enabled != was_enabled {
                tracing::warn!(door.id = %self.doors[index].config.id, enabled, "door enabled changed by the access snapshot");
            }
            if (locked && !was_locked) || (was_enabled && !enabled) {
                let mut events = Vec::new();
                self.doors[index].drop_command_now(now, &mut events);
                self.emit(index, events, now_utc);
            }
        }
    }
}
