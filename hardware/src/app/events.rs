//! The event log: every access event the bridge state emits is appended as one JSON line to
//! `<state_dir>/events.jsonl` and flushed to disk (fsync) before the next batch. A later
//! issue turns this file into the durable queue uploaded to the central service. Events carry
//! no PIN, verifier or e-mail address (see `protocol::AccessEvent`).

use std::path::{Path, PathBuf};

use tokio::io::AsyncWriteExt;
use tokio::sync::{mpsc, watch};

use crate::protocol::AccessEvent;

/// The file name inside `state_dir`.
pub const EVENTS_FILE: &str = "events.jsonl";

/// The open event log.
pub(super) struct EventLog {
    path: PathBuf,
    file: tokio::fs::File,
}

impl EventLog {
    /// Creates `state_dir` if needed and opens the log for appending.
    pub(super) fn open(state_dir: &Path) -> std::io::Result<Self> {
        std::fs::create_dir_all(state_dir)?;
        let path = state_dir.join(EVENTS_FILE);
        let file = std::fs::OpenOptions::new().create(true).append(true).open(&path)?;
        Ok(Self { path, file: tokio::fs::File::from_std(file) })
    }

    pub(super) fn path(&self) -> &Path {
        &self.path
    }

    /// Appends `events` and waits until they are on disk.
    async fn append(&mut self, events: &[AccessEvent]) -> std::io::Result<()> {
        let mut lines = Vec::new();
        for event in events {
            serde_json::to_writer(&mut lines, event)?;
            lines.push(b'\n');
        }
        self.file.write_all(&lines).await?;
        self.file.flush().await?;
        self.file.sync_data().await
    }

    /// Writes events as they come until `stop` turns true, then writes what is still queued.
    pub(super) async fn run(
        mut self,
        mut events: mpsc::UnboundedReceiver<AccessEvent>,
        mut stop: watch::Receiver<bool>,
    ) {
        loop {
            let first = tokio::select! {
                event = events.recv() => event,
                _ = stop.wait_for(|stopped| *stopped) => None,
            };
            let Some(first) = first else {
                break;
            };
            let mut batch = vec![first];
            while let Ok(event) = events.try_recv() {
                batch.push(event);
            }
            self.write_batch(&batch).await;
        }
        let mut rest = Vec::new();
        while let Ok(event) = events.try_recv() {
            rest.push(event);
        }
        if !rest.is_empty() {
            self.write_batch(&rest).await;
        }
    }

    async fn write_batch(&mut self, batch: &[AccessEvent]) {
        if let Err(error) = self.append(batch).await {
            tracing::error!(path = %self.path.display(), %error, lost = batch.len(), "cannot write access events");
        }
    }
}
