//! `regiohub-bridge run`: connects the configuration, the door-controller server, the field
//! client, the access snapshot (from the central service, or a file when no `central_url` is
//! configured), the durable event queue, the clock and the optional metrics listener
//! (`bridge.metrics_listen`), and owns start-up and shutdown. The
//! parts themselves live in `bridge` (server and state), `field` (devices), `uplink` (central
//! service, event queue) and `config`; this module only wires them together.
//!
//! The same entry point serves an embedding process (the web service's demo): `prepare` with
//! a token in memory, then `PreparedBridge::run` on any tokio runtime.

mod clock;
pub mod demo;
mod doors;
mod events;
mod feed;
mod relay;
mod snapshot;

use std::future::Future;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use tokio::net::TcpListener;
use tokio::sync::{mpsc, watch};
use tokio::task::JoinSet;

use crate::bridge::{DoorRuntimeConfig, DoorServer, SharedBridgeState};
use crate::config::{BridgeConfig, ConfigError};
use crate::field;
use crate::metrics::{BridgeMetrics, ScrapeFigures};
use crate::protocol::{AccessSnapshot, HubId};
use crate::uplink::{self, BridgeToken, CentralClient, EventQueue, Recovered, Uplink};

pub use crate::uplink::queue::EVENTS_FILE;

use snapshot::SnapshotFile;

/// What the command line (or an embedding process) adds to the configuration file.
#[derive(Debug, Clone, Default)]
pub struct RunOptions {
    /// Keep the access snapshot here instead of `bridge.snapshot_path`.
    pub snapshot: Option<PathBuf>,
    /// The bridge token for `bridge.central_url`, instead of reading `bridge.token_file` (an
    /// in-process bridge gets it from its host).
    pub token: Option<BridgeToken>,
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
    /// The metrics port (`bridge.metrics_listen`) cannot be opened.
    #[error("cannot listen for metrics scrapes on {addr}: {source}")]
    MetricsListen { addr: SocketAddr, source: std::io::Error },
}

impl RunError {
    /// The process exit code: 2 for a configuration the operator must fix, 1 otherwise.
    #[must_use]
    pub fn exit_code(&self) -> u8 {
        match self {
            Self::Config(_) => 2,
            Self::Listen { .. } | Self::MetricsListen { .. } => 1,
        }
    }
}

/// A bridge whose configuration, PIN key and state directory have been checked; nothing
/// runs yet.
pub struct PreparedBridge {
    config: BridgeConfig,
    doors: Vec<DoorRuntimeConfig>,
    state: SharedBridgeState,
    snapshot_path: PathBuf,
    source: SnapshotSource,
    queue: EventQueue,
    recovered: Recovered,
}

/// Where access snapshots come from.
enum SnapshotSource {
    /// `bridge.central_url`: the bridge API; the snapshot file is the persisted copy.
    Central(CentralClient),
    /// No central service: the snapshot file is read whenever it changes.
    File,
}

impl std::fmt::Debug for PreparedBridge {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PreparedBridge")
            .field("source", &self.config.source)
            .field("snapshot", &self.snapshot_path)
            .field("central", &matches!(self.source, SnapshotSource::Central(_)))
            .field("events", &self.queue.path())
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

/// Checks everything `run` needs before anything starts: the PIN key, the bridge token when
/// a central service is configured, and the state directory (created if missing) with its
/// event queue (a torn last line is cut off).
///
/// # Errors
/// A one-line [`ConfigError`] naming the file and the key (`bridge.pin_key_file`,
/// `bridge.token_file`, `bridge.state_dir`).
pub fn prepare(config: BridgeConfig, options: RunOptions) -> Result<PreparedBridge, ConfigError> {
    let hub_key = doors::read_pin_key(&config)?;
    let source = match &config.bridge.central_url {
        Some(url) => {
            let token = match options.token {
                Some(token) => token,
                None => doors::read_token(&config)?,
            };
            let client = CentralClient::new(url, token).map_err(|error| ConfigError {
                file: config.source.display().to_string(),
                key: "bridge.central_url".to_owned(),
                problem: error.to_string(),
            })?;
            SnapshotSource::Central(client)
        }
        None => SnapshotSource::File,
    };
    let state_dir = config.resolve(&config.bridge.state_dir);
    let (queue, recovered) = EventQueue::open(&state_dir).map_err(|error| ConfigError {
        file: config.source.display().to_string(),
        key: "bridge.state_dir".to_owned(),
        problem: format!("cannot keep the event queue in {}: {error}", state_dir.display()),
    })?;
    let snapshot_path = options.snapshot.unwrap_or_else(|| snapshot_path(&config));
    let state = SharedBridgeState::new(doors::server_settings(&config, hub_key));
    let doors = doors::door_runtimes(&config);
    Ok(PreparedBridge { config, doors, state, snapshot_path, source, queue, recovered })
}

impl PreparedBridge {
    /// The state the server will answer from (tests and embedding read it).
    #[must_use]
    pub fn state(&self) -> &SharedBridgeState {
        &self.state
    }

    /// The durable event queue (its length is what still waits for the central service).
    #[must_use]
    pub fn queue(&self) -> &EventQueue {
        &self.queue
    }

    /// Runs the bridge until `shutdown` completes, then stops serving, forces every lock
    /// output off and writes the last events. Needs a tokio runtime with time and I/O enabled
    /// (any flavour: it runs next to actix in the web service's demo); the future is `Send`.
    ///
    /// # Errors
    /// The door list is inconsistent (a configuration error) or the listen port cannot be
    /// opened.
    pub async fn run(self, shutdown: impl Future<Output = ()>) -> Result<(), RunError> {
        let Self { config, doors, state, snapshot_path, source, queue, recovered } = self;
        let server = DoorServer::new(doors, state.clone()).map_err(|error| ConfigError {
            file: config.source.display().to_string(),
            key: "door".to_owned(),
            problem: error.to_string(),
        })?;
        let addr = config.bridge.modbus_listen;
        let listener = TcpListener::bind(addr).await.map_err(|source| RunError::Listen { addr, source })?;
        let metrics_listener = match config.bridge.metrics_listen {
            Some(addr) => {
                Some(TcpListener::bind(addr).await.map_err(|source| RunError::MetricsListen { addr, source })?)
            }
            None => None,
        };
        let metrics = BridgeMetrics::new();
        if recovered.torn_bytes > 0 || recovered.skipped_lines > 0 {
            tracing::warn!(
                torn_bytes = recovered.torn_bytes,
                skipped_lines = recovered.skipped_lines,
                "event queue repaired after an unclean stop"
            );
        }

        let (event_sink, event_stream) = mpsc::unbounded_channel();
        state.set_event_sink(event_sink);
        let (stop_events, events_stopped) = watch::channel(false);
        let event_writer =
            tokio::spawn(events::write_events(queue.clone(), metrics.clone(), event_stream, events_stopped));

        let mut helpers = JoinSet::new();
        if let Some(metrics_listener) = metrics_listener {
            if let Ok(addr) = metrics_listener.local_addr() {
                tracing::info!(%addr, "serving metrics at /metrics");
            }
            let render = scrape(metrics.clone(), state.clone(), queue.clone());
            helpers.spawn(crate::metrics::http::serve(metrics_listener, render));
        }
        if let Some((flag, synced)) = clock::initial(config.bridge.clock, &state).await {
            helpers.spawn(clock::follow_flag(flag, state.clone(), synced));
        }
        let (installed, layout) = watch::channel(None);
        let hub = HubId::new(config.bridge.hub_id.clone());
        match source {
            SnapshotSource::Central(client) => {
                load_persisted_snapshot(&snapshot_path, &hub, &state, &installed);
                let uplink = Uplink { client, hub, snapshot_path, state: state.clone(), queue, installed };
                uplink.spawn(&mut helpers);
            }
            SnapshotSource::File => {
                let mut file = SnapshotFile::new(snapshot_path, hub);
                file.refresh(&state, &installed).await;
                helpers.spawn(snapshot::watch_file(file, state.clone(), installed));
            }
        }

        let (field, field_tasks) = field::start_counting(&config, metrics.field_errors());
        feed::spawn_door_feeds(&config, &field, &state, &mut helpers);
        feed::spawn_presence_feed(&config, &field, &state, layout, &mut helpers);
        if config.doors.iter().any(|door| door.lock.is_some()) {
            let (orders, queue) = mpsc::channel(relay::ORDER_QUEUE);
            state.set_unlock_orders(orders);
            helpers.spawn(relay::carry_out_orders(queue, field.clone(), state.clone()));
        }
        tracing::info!(
            hub.id = %config.bridge.hub_id,
            doors = config.doors.len(),
            central = config.bridge.central_url.is_some(),
            "bridge running"
        );

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

/// What a metrics scrape renders: the counters, the queue's length and the snapshot's age now.
fn scrape(metrics: BridgeMetrics, state: SharedBridgeState, queue: EventQueue) -> crate::metrics::http::Render {
    Arc::new(move || {
        let figures = ScrapeFigures { event_queue_length: queue.len(), snapshot_age: state.snapshot_age() };
        metrics.render(figures).inspect_err(|error| tracing::error!(%error, "cannot render metrics")).ok()
    })
}

/// Installs the snapshot persisted by an earlier run, so a bridge restarted while the central
/// service is unreachable still decides (within the offline limit).
fn load_persisted_snapshot(
    path: &std::path::Path,
    hub: &HubId,
    state: &SharedBridgeState,
    installed: &watch::Sender<Option<Arc<AccessSnapshot>>>,
) {
    match uplink::load_snapshot(path, hub) {
        Ok(Some(snapshot)) => {
            let shared = Arc::new(snapshot.clone());
            state.replace_snapshot(snapshot);
            installed.send_replace(Some(shared));
        }
        Ok(None) => tracing::info!(path = %path.display(), "no persisted access snapshot yet"),
        Err(error) => tracing::warn!(%error, "persisted access snapshot unusable; waiting for the central service"),
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
