//! The access snapshot from the central service: a long-poll loop that asks for anything
//! newer than the version held, persists each new snapshot atomically (so a restart while
//! offline still decides) before installing it, and counts a `304` as the central service
//! vouching that the held snapshot is still current. Also the start-up read of the persisted
//! snapshot.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use chrono::TimeDelta;
use tokio::sync::watch;

use super::LONG_POLL;
use super::atomic_file::write_atomically;
use super::backoff::Backoff;
use super::client::{CentralClient, SnapshotPoll, UplinkError};
use super::link::{Link, Part};
use crate::bridge::SharedBridgeState;
use crate::protocol::{AccessSnapshot, HubId};

/// A confirmed (unchanged) snapshot is written back to disk at most this often, so its age
/// after a restart is right to within this much without wearing out an SD card.
const PERSIST_CONFIRMATION_EVERY: TimeDelta = TimeDelta::minutes(10);

/// Why the persisted snapshot cannot be used; one line, no booking data.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SnapshotLoadError {
    #[error("cannot read {path}: {detail}")]
    Unreadable { path: String, detail: String },
    #[error("{path} is not an access snapshot: {detail}")]
    Invalid { path: String, detail: String },
    #[error("{path} belongs to hub \"{found}\", this bridge is hub \"{expected}\"")]
    WrongHub { path: String, found: String, expected: String },
}

/// Reads the persisted snapshot; `Ok(None)` when there is none yet.
///
/// # Errors
/// The file exists but cannot be read, is not a snapshot, or is another hub's.
pub fn load_snapshot(path: &Path, hub: &HubId) -> Result<Option<AccessSnapshot>, SnapshotLoadError> {
    let shown = path.display().to_string();
    let bytes = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(error) => return Err(SnapshotLoadError::Unreadable { path: shown, detail: error.to_string() }),
    };
    let snapshot: AccessSnapshot = serde_json::from_slice(&bytes)
        .map_err(|error| SnapshotLoadError::Invalid { path: shown.clone(), detail: error.to_string() })?;
    if &snapshot.hub_id != hub {
        return Err(SnapshotLoadError::WrongHub {
            path: shown,
            found: snapshot.hub_id.to_string(),
            expected: hub.to_string(),
        });
    }
    Ok(Some(snapshot))
}

/// Writes `snapshot` to `path` atomically, off the async threads.
async fn persist(path: &Path, snapshot: &AccessSnapshot) -> std::io::Result<()> {
    let bytes = serde_json::to_vec(snapshot)?;
    let path = path.to_path_buf();
    tokio::task::spawn_blocking(move || write_atomically(&path, &bytes)).await.map_err(std::io::Error::other)?
}

/// Follows the central service's snapshot until the task is aborted.
pub(super) async fn follow(
    client: CentralClient,
    hub: HubId,
    path: PathBuf,
    state: SharedBridgeState,
    installed: watch::Sender<Option<Arc<AccessSnapshot>>>,
    link: Link,
) {
    let mut backoff = Backoff::default();
    let mut persisted_at = state.snapshot().map(|snapshot| snapshot.generated_at);
    loop {
        let held = state.snapshot_version();
        // After a failure, probe without waiting so the link status is known at once.
        let wait = if link.is_up(Part::Snapshot) { LONG_POLL } else { Duration::ZERO };
        match client.snapshot(held, wait).await {
            Ok(SnapshotPoll::Changed(snapshot)) if snapshot.hub_id != hub => {
                let error = UplinkError::WrongHub { found: snapshot.hub_id.to_string(), expected: hub.to_string() };
                link.down(Part::Snapshot, &error);
                backoff.wait().await;
            }
            Ok(SnapshotPoll::Changed(snapshot)) => {
                let snapshot = *snapshot;
                let unchanged = held == Some(snapshot.version);
                if let Err(error) = persist(&path, &snapshot).await {
                    // Still used: deciding on the newest bookings matters more than the copy.
                    tracing::error!(path = %path.display(), %error, "cannot persist the access snapshot");
                } else {
                    persisted_at = Some(snapshot.generated_at);
                }
                let shared = Arc::new(snapshot.clone());
                state.replace_snapshot(snapshot);
                installed.send_replace(Some(shared));
                link.up(Part::Snapshot);
                backoff.reset();
                if unchanged {
                    // The contract answers 200 only for a different version; do not spin
                    // on a service that does otherwise.
                    tokio::time::sleep(Duration::from_secs(1)).await;
                }
            }
            Ok(SnapshotPoll::Unchanged) => {
                link.up(Part::Snapshot);
                backoff.reset();
                if let Some(version) = held
                    && state.confirm_snapshot(version)
                    && let Some(snapshot) = state.snapshot()
                    && persisted_at.is_none_or(|at| snapshot.generated_at - at >= PERSIST_CONFIRMATION_EVERY)
                {
                    match persist(&path, &snapshot).await {
                        Ok(()) => persisted_at = Some(snapshot.generated_at),
                        Err(error) => {
                            tracing::error!(path = %path.display(), %error, "cannot persist the access snapshot");
                        }
                    }
                }
            }
            Err(error) => {
                link.down(Part::Snapshot, &error);
                backoff.wait().await;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use chrono::Utc;

    fn snapshot(hub: &str) -> AccessSnapshot {
        AccessSnapshot {
            lockdown: false,
            hub_id: HubId::new(hub),
            version: 4,
            generated_at: Utc::now(),
            grace_period_s: 0,
            doors: Vec::new(),
            grants: Vec::new(),
        }
    }

    #[tokio::test]
    async fn a_persisted_snapshot_loads_back_and_another_hubs_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("snapshot.json");
        let hub = HubId::new("polch");
        assert_eq!(load_snapshot(&path, &hub), Ok(None));
        persist(&path, &snapshot("polch")).await.unwrap();
        assert_eq!(load_snapshot(&path, &hub).unwrap().unwrap().version, 4);
        persist(&path, &snapshot("mayen")).await.unwrap();
        assert!(matches!(load_snapshot(&path, &hub), Err(SnapshotLoadError::WrongHub { .. })));
        std::fs::write(&path, b"{not json").unwrap();
        assert!(matches!(load_snapshot(&path, &hub), Err(SnapshotLoadError::Invalid { .. })));
    }
}
