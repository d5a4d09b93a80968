//! The bridge's link to the central service (bridge API v1, contract in `hardware/README.md`):
//! an HTTP client, three loops — the access snapshot by long-poll, remote unlock commands by
//! long-poll, and the upload of the durable event queue — and the link status they share,
//! which drives status bits b0 (central reachable) and b5 (deciding offline). Every loop
//! backs off 1–30 s with jitter after a failure and never gives up; the door decisions never
//! wait for the network. The Modbus side, the decision and the configuration live elsewhere.

mod atomic_file;
pub mod backoff;
pub mod client;
mod commands;
mod link;
pub mod queue;
mod snapshots;
mod upload;

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::watch;
use tokio::task::JoinSet;

use crate::bridge::SharedBridgeState;
use crate::protocol::{AccessSnapshot, HubId, MAX_LONG_POLL_S};

pub use atomic_file::{sync_dir, write_atomically};
pub use client::{CentralClient, SnapshotPoll, UplinkError};
pub use queue::{EventQueue, Recovered};
pub use snapshots::{SnapshotLoadError, load_snapshot};

/// How long one long-poll asks the central service to wait for a change.
pub const LONG_POLL: Duration = Duration::from_secs(MAX_LONG_POLL_S as u64);

/// The bridge's bearer token for the central service. Never logged: its `Debug` is redacted.
#[derive(Clone, PartialEq, Eq)]
pub struct BridgeToken(String);

/// Why a text is not a usable token.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum TokenError {
    #[error("the token is empty")]
    Empty,
    #[error("the token may only hold visible ASCII characters (no spaces)")]
    Invalid,
}

impl BridgeToken {
    /// A token as written in the token file (surrounding whitespace ignored).
    ///
    /// # Errors
    /// Empty, or characters an HTTP header cannot carry.
    pub fn parse(text: &str) -> Result<Self, TokenError> {
        let token = text.trim();
        if token.is_empty() {
            return Err(TokenError::Empty);
        }
        if !token.bytes().all(|b| b.is_ascii_graphic()) {
            return Err(TokenError::Invalid);
        }
        Ok(Self(token.to_owned()))
    }

    pub(crate) fn secret(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for BridgeToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("BridgeToken(<redacted>)")
    }
}

/// Everything the three loops need.
#[derive(Debug)]
pub struct Uplink {
    pub client: CentralClient,
    pub hub: HubId,
    /// Where each received snapshot is persisted (atomically) for a restart while offline.
    pub snapshot_path: PathBuf,
    pub state: SharedBridgeState,
    pub queue: EventQueue,
    /// Every installed snapshot is published here (presence needs the door layout).
    pub installed: watch::Sender<Option<Arc<AccessSnapshot>>>,
}

impl Uplink {
    /// Marks the bridge offline until the central service answers, then starts the snapshot,
    /// command and upload loops on `tasks`.
    pub fn spawn(self, tasks: &mut JoinSet<()>) {
        let link = link::Link::new(self.state.clone());
        tasks.spawn(snapshots::follow(
            self.client.clone(),
            self.hub,
            self.snapshot_path,
            self.state.clone(),
            self.installed,
            link.clone(),
        ));
        tasks.spawn(commands::follow(self.client.clone(), self.state.clone(), link));
        tasks.spawn(upload::drain(self.client, self.queue, self.state));
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[test]
    fn a_token_is_trimmed_checked_and_never_shown() {
        let token = BridgeToken::parse("  s3cr3t-Token_1\n").unwrap();
        assert_eq!(token.secret(), "s3cr3t-Token_1");
        assert!(!format!("{token:?}").contains("s3cr3t"));
        assert_eq!(BridgeToken::parse(" \n"), Err(TokenError::Empty));
        assert_eq!(BridgeToken::parse("two words"), Err(TokenError::Invalid));
    }
}
