//! The access snapshot from a JSON file (`AccessSnapshot` as in `protocol`) when no
//! `bridge.central_url` is configured: read at start and again whenever the file changes (its
//! modification time or length), then installed into the bridge state. The file stands in for
//! the central service: status b0 "central reachable" is set while the file reads and parses, b5
//! "deciding offline" while it does not, and the bridge keeps deciding from the last good
//! snapshot. Write the file to a temporary name and rename it, so no half file is ever read.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use tokio::sync::watch;

use crate::bridge::SharedBridgeState;
use crate::protocol::{AccessSnapshot, HubId};

/// How often the file's metadata is looked at; a changed booking list reaches the doors
/// within this time.
pub(super) const POLL_EVERY: Duration = Duration::from_secs(1);

/// The file's identity as far as re-reading is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Stamp {
    modified: Option<SystemTime>,
    len: u64,
}

/// Why the file could not be used; one line, no booking data.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub(super) enum SnapshotError {
    #[error("cannot read {path}: {detail}")]
    Unreadable { path: String, detail: String },
    #[error("{path} is not an access snapshot: {detail}")]
    Invalid { path: String, detail: String },
    #[error("{path} belongs to hub \"{found}\", this bridge is hub \"{expected}\"")]
    WrongHub { path: String, found: String, expected: String },
}

/// The snapshot file of one bridge and what was last read from it.
pub(super) struct SnapshotFile {
    path: PathBuf,
    hub: HubId,
    seen: Option<Stamp>,
    last_error: Option<SnapshotError>,
}

impl SnapshotFile {
    pub(super) fn new(path: PathBuf, hub: HubId) -> Self {
        Self { path, hub, seen: None, last_error: None }
    }

    /// Reads the file if it changed since the last good read. `Ok(None)`: unchanged.
    async fn read_if_changed(&mut self) -> Result<Option<AccessSnapshot>, SnapshotError> {
        let shown = self.path.display().to_string();
        let unreadable =
            |error: std::io::Error| SnapshotError::Unreadable { path: shown.clone(), detail: error.to_string() };
        let metadata = tokio::fs::metadata(&self.path).await.map_err(unreadable)?;
        let stamp = Stamp { modified: metadata.modified().ok(), len: metadata.len() };
        if self.seen == Some(stamp) {
            return Ok(None);
        }
        let bytes = tokio::fs::read(&self.path).await.map_err(unreadable)?;
        let snapshot: AccessSnapshot = serde_json::from_slice(&bytes)
            .map_err(|error| SnapshotError::Invalid { path: shown.clone(), detail: error.to_string() })?;
        if snapshot.hub_id != self.hub {
            return Err(SnapshotError::WrongHub {
                path: shown,
                found: snapshot.hub_id.to_string(),
                expected: self.hub.to_string(),
            });
        }
        // Only a good read is remembered: a file caught half-written is read again next time.
        self.seen = Some(stamp);
        Ok(Some(snapshot))
    }

    /// One look at the file: installs a changed snapshot and sets the source status bits.
    /// Publishes every installed snapshot on `installed` (presence needs the door layout).
    pub(super) async fn refresh(
        &mut self,
        state: &SharedBridgeState,
        installed: &watch::Sender<Option<Arc<AccessSnapshot>>>,
    ) {
        match self.read_if_changed().await {
            Ok(changed) => {
                if self.last_error.take().is_some() {
                    tracing::info!(path = %self.path.display(), "snapshot file readable again");
                }
                if let Some(snapshot) = changed {
                    let snapshot = Arc::new(snapshot);
                    if state.set_snapshot(snapshot.as_ref().clone()) {
                        installed.send_replace(Some(snapshot));
                    }
                }
                state.set_central_reachable(true);
                state.set_deciding_offline(false);
            }
            Err(error) => {
                if self.last_error.as_ref() != Some(&error) {
                    tracing::warn!(%error, "snapshot source unusable; deciding from the last good snapshot");
                    self.last_error = Some(error);
                }
                state.set_central_reachable(false);
                state.set_deciding_offline(true);
            }
        }
    }
}

/// Looks at the snapshot file every [`POLL_EVERY`] until the task is aborted.
pub(super) async fn watch_file(
    mut file: SnapshotFile,
    state: SharedBridgeState,
    installed: watch::Sender<Option<Arc<AccessSnapshot>>>,
) {
    let mut interval = tokio::time::interval(POLL_EVERY);
    interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
    loop {
        interval.tick().await;
        file.refresh(&state, &installed).await;
    }
}
