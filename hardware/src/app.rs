//! `regiohub-bridge run`: connects the configuration, the door-controller server, the field
//! client, the snapshot file and the event log, and owns start-up and shutdown. The parts
//! themselves live in `bridge` (server and state), `field` (devices) and `config`; this
//! module only wires them together.
//!
//! The clock-synced flag (status b2) is set at start: the bridge trusts the host clock. A later
//! issue ties it to the host's NTP state.

pub mod demo;
mod doors;
mod events;
mod feed;
mod relay;
mod snapshot;

use std::future::Future;
use std::net::SocketAddr;
use std::path::PathBuf;

use tokio::net::TcpListener;
use tokio::sync::{mpsc, watch};
use tokio::task::JoinSet;

use crate::bridge::{DoorRuntimeConfig, DoorServer, SharedBridgeState};
use crate::config::{BridgeConfig, ConfigError};
use crate::field;
use crate::protocol::HubId;

pub use events::EVENTS_FILE;

use events::EventLog;
use snapshot::SnapshotFile;

/// What the command line adds to the configuration file.
#[derive(Debug, Clone, Default)]
pub struct RunOptions {
    /// Read the access snapshot from here instead of `bridge.snapshot_path`.
    pub snapshot: Option<PathBuf>,
}

/// Why the bridge could not run. Every message is one line.
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    /// The configuration (or a file it names) is unusable: the operator must fix it.
    #[error(transparent)]
    Config(#[from] ConfigError),
    /// The door-controller port cannot be opened (in use, no permission).
    #[error("cannot listen for door controllers on {addr}: {source}")]
    Listen { addr: SocketAddr, source: std::io::Error },
}

impl RunError {
    /// The process exit code: 2 for a configuration the operator must fix, 1 otherwise.
    #[must_use]
    pub fn exit_code(&self) -> u8 {
        match self {
            Self::Config(_) => 2,
            Self::Listen { .. } => 1,
        }
    }
}

/// A bridge whose configuration, PIN key and state directory have been checked; nothing
/// runs yet.
pub struct PreparedBridge {
    config: BridgeConfig,
    doors: Vec<DoorRuntimeConfig>,
    state: SharedBridgeState,
    snapshot: SnapshotFile,
    events: EventLog,
}

impl std::fmt::Debug for PreparedBridge {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PreparedBridge")
            .field("source", &self.config.source)
            .field("snapshot", &self.snapshot.path())
            .field("events", &self.events.path())
            .finish_non_exhaustive()
    }
}

/// The hub's PIN key from `bridge.pin_key_file` (hex).
///
/// # Errors
/// The key is not configured, unreadable, not hex or too short; one line naming the key.
pub fn pin_key(config: &BridgeConfig) -> Result<Vec<u8>, ConfigError> {
    doors::read_pin_key(config)
}

/// Where `run` reads the access snapshot unless told otherwise.
#[must_use]
pub fn snapshot_path(config: &BridgeConfig) -> PathBuf {
    config.resolve(&config.bridge.snapshot_path)
}

/// Checks everything `run` needs from disk before anything starts: the PIN key, the state
/// directory (created if missing) and its event log.
///
/// # Errors
/// A one-line [`ConfigError`] naming the file and the key (`bridge.pin_key_file`,
/// `bridge.state_dir`).
pub fn prepare(config: BridgeConfig, options: RunOptions) -> Result<PreparedBridge, ConfigError> {
    let hub_key = doors::read_pin_key(&config)?;
    let state_dir = config.resolve(&config.bridge.state_dir);
    let events = EventLog::open(&state_dir).map_err(|error| ConfigError {
        file: config.source.display().to_string(),
        key: "bridge.state_dir".to_owned(),
        problem: format!("cannot keep the event log in {}: {error}", state_dir.display()),
    })?;
    let snapshot_path = options.snapshot.unwrap_or_else(|| snapshot_path(&config));
    let snapshot = SnapshotFile::new(snapshot_path, HubId::new(config.bridge.hub_id.clone()));
    let state = SharedBridgeState::new(doors::server_settings(&config, hub_key));
    let doors = doors::door_runtimes(&config);
    Ok(PreparedBridge { config, doors, state, snapshot, events })
}

impl PreparedBridge {
    /// The state the server will answer from (tests and embedding read it).
    #[must_use]
    pub fn state(&self) -> &SharedBridgeState {
        &self.state
    }

    /// Runs the bridge until `shutdown` completes, then stops serving, forces every lock
    /// output off and writes the last events.
    ///
    /// # Errors
    /// The door list is inconsistent (a configuration error) or the listen port cannot be
    /// opened.
    pub async fn run(self, shutdown: impl Future<Output = ()>) -> Result<(), RunError> {
        let Self { config, doors, state, mut snapshot, events } = self;
        let server = DoorServer::new(doors, state.clone()).map_err(|error| ConfigError {
            file: config.source.display().to_string(),
            key: "door".to_owned(),
            problem: error.to_string(),
        })?;
        let addr = config.bridge.modbus_listen;
        let listener = TcpListener::bind(addr).await.map_err(|source| RunError::Listen { addr, source })?;

        let (event_sink, event_queue) = mpsc::unbounded_channel();
        state.set_event_sink(event_sink);
        let (stop_events, events_stopped) = watch::channel(false);
        let event_writer = tokio::spawn(events.run(event_queue, events_stopped));

        state.set_clock_synced(true);
        let (installed, layout) = watch::channel(None);
        snapshot.refresh(&state, &installed).await;

        let (field, field_tasks) = field::start(&config);
        let mut helpers = JoinSet::new();
        helpers.spawn(snapshot::watch_file(snapshot, state.clone(), installed));
        feed::spawn_door_feeds(&config, &field, &state, &mut helpers);
        feed::spawn_presence_feed(&config, &field, &state, layout, &mut helpers);
        if config.doors.iter().any(|door| door.lock.is_some()) {
            let (orders, queue) = mpsc::channel(relay::ORDER_QUEUE);
            state.set_unlock_orders(orders);
            helpers.spawn(relay::carry_out_orders(queue, field.clone(), state.clone()));
        }
        tracing::info!(hub.id = %config.bridge.hub_id, doors = config.doors.len(), "bridge running");

        server.serve(listener, shutdown).await;

        tracing::info!("shutting down: locks off, last events to disk");
        helpers.shutdown().await;
        field_tasks.shutdown().await;
        stop_events.send_replace(true);
        if let Err(error) = event_writer.await {
            tracing::error!(%error, "event writer ended abnormally");
        }
        Ok(())
    }
}

/// Completes on Ctrl-C or SIGTERM (systemd's stop).
pub async fn shutdown_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut terminate) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = terminate.recv() => {}
                }
            }
            Err(error) => {
                tracing::warn!(%error, "cannot watch SIGTERM; stopping on Ctrl-C only");
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}
