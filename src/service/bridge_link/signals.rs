//! Waking who waits for a hub (bridges long-polling for their snapshot or commands, live
//! dashboards), and numbering snapshots. A change is recorded on the unit of work that makes it
//! (`UnitOfWork::access_changed`) and announced through these signals by `AppState::db` after the
//! commit: announced earlier, a bridge would rebuild before the change is visible and miss it.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use tokio::sync::Notify;

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

/// Turns snapshot content hashes into versions that only grow: the bridge keeps the snapshot
/// with the higher version, so a version taken straight from a hash would make it ignore about
/// half of all changes. A new content gets `max(previous + 1, now in milliseconds)`, which also
/// stays ahead of versions handed out before a restart.
#[derive(Debug, Clone, Default)]
pub struct SnapshotVersions {
    hubs: Arc<Mutex<HashMap<HubId, (u64, u64)>>>,
}

impl SnapshotVersions {
    /// The version of the hub's snapshot whose content hashes to `hash`.
    pub fn version_for(&self, hub_id: &HubId, hash: u64, now_ms: u64) -> u64 {
        let mut hubs = self.hubs.lock().unwrap_or_else(PoisonError::into_inner);
        match hubs.get(hub_id) {
            Some((known, version)) if *known == hash => *version,
            previous => {
                let version = previous.map_or(now_ms, |(_, v)| now_ms.max(v.saturating_add(1)));
                hubs.insert(hub_id.clone(), (hash, version));
                version
            }
        }
    }
}
