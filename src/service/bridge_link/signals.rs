//! Waking who waits for a hub (bridges long-polling for their snapshot or commands, live
//! dashboards), and pacing the snapshots they are answered. A change is recorded on the unit of work that makes it
//! (`UnitOfWork::access_changed`) and announced through these signals by `AppState::db` after the
//! commit: announced earlier, a bridge would rebuild before the change is visible and miss it.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use tokio::sync::Notify;
use tokio::time::Instant;

use crate::domain::ids::HubId;

/// One wake-up signal per hub; bridges long-polling for a snapshot or commands wait on it.
#[derive(Debug, Clone, Default)]
pub struct HubSignals {
    hubs: Arc<Mutex<HashMap<HubId, Arc<Notify>>>>,
}

impl HubSignals {
    /// The hub's signal, to wait on.
    pub fn of(&self, hub_id: &HubId) -> Arc<Notify> {
        let mut hubs = self.hubs.lock().unwrap_or_else(PoisonError::into_inner);
        hubs.entry(hub_id.clone()).or_default().clone()
    }

    /// Wakes everyone waiting on the hub (every hub for `None`).
    pub fn notify(&self, hub_id: Option<&HubId>) {
        let hubs = self.hubs.lock().unwrap_or_else(PoisonError::into_inner);
        match hub_id {
            Some(id) => {
                if let Some(signal) = hubs.get(id) {
                    signal.notify_waiters();
                }
            }
            None => hubs.values().for_each(|signal| signal.notify_waiters()),
        }
    }
}

/// Paces the snapshots this instance answers as changed to a bridge that did not get its last
/// one from here, per bridge. Correctness does not depend on it (versions come from the database); it keeps
/// a bridge from spinning when two instances keep building different content, as they do for
/// the minutes a booking's edge lies between their clocks when one clock runs ahead: the bridge
/// then brings each instance the other's version, and each answers at once with its own. A
/// bridge that asks after the version this instance answered it last is never held back, so a
/// change reaches it at once.
#[derive(Debug, Clone, Default)]
pub struct SnapshotPacing {
    answered: Arc<Mutex<HashMap<String, (Instant, u64)>>>,
}

impl SnapshotPacing {
    /// The shortest time between two changed snapshots for one bridge when it comes with
    /// another instance's version.
    pub const SPACING: Duration = Duration::from_secs(1);

    /// How long to hold back a changed snapshot for the bridge with this id, which holds
    /// `after`; `None` means answer now.
    pub fn hold_back(&self, bridge_id: &str, after: Option<u64>, now: Instant) -> Option<Duration> {
        let answered = self.answered.lock().unwrap_or_else(PoisonError::into_inner);
        let (at, version) = answered.get(bridge_id)?;
        if after == Some(*version) {
            return None;
        }
        Some(Self::SPACING.saturating_sub(now.saturating_duration_since(*at))).filter(|rest| !rest.is_zero())
    }

    /// Records that the bridge with this id was answered `version` now.
    pub fn answered(&self, bridge_id: &str, version: u64, now: Instant) {
        self.answered.lock().unwrap_or_else(PoisonError::into_inner).insert(bridge_id.to_owned(), (now, version));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bridge_bringing_another_instances_version_is_held_back_for_the_rest_of_the_spacing() {
        let pacing = SnapshotPacing::default();
        let start = Instant::now();
        assert_eq!(pacing.hold_back("bridge-a", Some(5), start), None, "nothing answered yet");
        pacing.answered("bridge-a", 7, start);
        let soon = start + Duration::from_millis(300);
        assert_eq!(pacing.hold_back("bridge-a", Some(7), soon), None, "a bridge holding our last answer hears at once");
        assert_eq!(pacing.hold_back("bridge-a", Some(8), soon), Some(Duration::from_millis(700)), "another's version");
        assert_eq!(pacing.hold_back("bridge-a", None, soon), Some(Duration::from_millis(700)));
        assert_eq!(pacing.hold_back("bridge-b", Some(8), soon), None, "each bridge is paced on its own");
        assert_eq!(pacing.hold_back("bridge-a", Some(8), start + SnapshotPacing::SPACING), None);
    }
}
