//! Start-up level (wiring, like `startup`): the whole door loop on one machine, for `regiohub
//! demo`: one hub's simulated field devices on loopback, the real bridge
//! (`regiohub_hardware::app`) in this process linked to this web service with a bridge token,
//! and a simulated controller at each door. Only wiring lives here: the layout and token come
//! from `super::door_bridge` (service level), the keypad pages are `super::door_page` (web).

mod config;
mod keypad;
mod site;

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::path::PathBuf;
use std::time::Duration;

use regiohub_hardware::app::{self, RunError, RunOptions};
use regiohub_hardware::bridge::SharedBridgeState;
use regiohub_hardware::config::ConfigError;
use regiohub_hardware::sim::{DEFAULT_OPEN_FOR, SimBind, SimError, Simulator};
use regiohub_hardware::uplink::{BridgeToken, EventQueue};
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

pub use site::{DemoSite, KeypadAnswer, KeypadEntry};

use super::door_bridge::DemoHubLayout;
use keypad::Keypads;

/// How long the bridge may take to open its Modbus port.
const START_TIMEOUT: Duration = Duration::from_secs(10);

/// What the loop is started with.
pub struct DemoLoopSettings {
    /// The hub's doors and spaces (`door_bridge::demo_bridge_link`).
    pub layout: DemoHubLayout,
    /// The bridge's token; kept in memory only.
    pub token: String,
    /// The hub's PIN key (`SecretKey::hub_pin_key`); written to the bridge's key file.
    pub pin_key: [u8; 32],
    /// The web service as the bridge reaches it (`http://127.0.0.1:<port>`).
    pub central_url: String,
    /// Where the bridge serves door controllers.
    pub modbus_listen: SocketAddr,
    /// The bridge's folder: its key file and state (event queue, last snapshot).
    pub dir: PathBuf,
}

impl std::fmt::Debug for DemoLoopSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DemoLoopSettings")
            .field("hub", &self.layout.slug)
            .field("central_url", &self.central_url)
            .field("modbus_listen", &self.modbus_listen)
            .field("dir", &self.dir)
            .finish_non_exhaustive()
    }
}

/// Why the loop could not start; one line each.
#[derive(Debug, thiserror::Error)]
pub enum DemoLoopError {
    #[error("demo bridge folder {path}: {source}")]
    Dir { path: String, source: std::io::Error },
    #[error("cannot listen for door controllers on {addr}: {source} (choose another address with --modbus-listen)")]
    Listen { addr: SocketAddr, source: std::io::Error },
    #[error("demo bridge: {0}")]
    Config(#[from] ConfigError),
    #[error("demo bridge token: {0}")]
    Token(String),
    #[error("simulated devices: {0}")]
    Devices(#[from] SimError),
    #[error("demo bridge: {0}")]
    Bridge(#[from] RunError),
    #[error("demo bridge did not open {addr} within {START_TIMEOUT:?}")]
    NotListening { addr: SocketAddr },
}

/// The running loop: devices, bridge and door controllers.
pub struct DemoLoop {
    site: DemoSite,
    devices: Simulator,
    state: SharedBridgeState,
    queue: EventQueue,
    stop: oneshot::Sender<()>,
    bridge: JoinHandle<Result<(), RunError>>,
}

impl DemoLoop {
    /// Starts the simulated devices, then the bridge, then a controller at each door; returns
    /// once the bridge serves door controllers.
    ///
    /// # Errors
    /// See [`DemoLoopError`]; nothing keeps running after an error.
    pub async fn start(settings: DemoLoopSettings) -> Result<DemoLoop, DemoLoopError> {
        let DemoLoopSettings { layout, token, pin_key, central_url, modbus_listen, dir } = settings;
        let dir_error = |source| DemoLoopError::Dir { path: dir.display().to_string(), source };
        std::fs::create_dir_all(&dir).map_err(dir_error)?;
        crate::secrets::write_pin_key_file(&dir.join(config::PIN_KEY_FILE), &pin_key).map_err(dir_error)?;
        // The bridge binds later, on its own task; a port in use is best told here, at once.
        drop(
            std::net::TcpListener::bind(modbus_listen)
                .map_err(|source| DemoLoopError::Listen { addr: modbus_listen, source })?,
        );
        let planned = config::bridge_config(&dir.join("bridge.toml"), &layout, modbus_listen, &central_url)?;
        let token = BridgeToken::parse(&token).map_err(|error| DemoLoopError::Token(error.to_string()))?;
        let devices = Simulator::start(&planned, SimBind::Ephemeral, DEFAULT_OPEN_FOR).await?;
        let prepared = match app::prepare(
            devices.bridge_config().clone(),
            RunOptions { token: Some(token), ..RunOptions::default() },
        ) {
            Ok(prepared) => prepared,
            Err(error) => {
                devices.shutdown().await;
                return Err(error.into());
            }
        };
        let state = prepared.state().clone();
        let queue = prepared.queue().clone();
        let (stop, stopped) = oneshot::channel::<()>();
        let mut bridge = tokio::spawn(prepared.run(async {
            let _ = stopped.await;
        }));
        let reach = reachable(modbus_listen);
        if let Err(error) = wait_listening(reach, &mut bridge).await {
            bridge.abort();
            devices.shutdown().await;
            return Err(error);
        }
        let keypads = Keypads::start(reach, layout.doors.iter().map(|door| door.unit_id));
        tracing::info!(hub.id = %layout.hub_id, modbus = %modbus_listen, doors = layout.doors.len(), "demo door loop running");
        let site = DemoSite::new(layout, reach, devices.handle(), keypads);
        Ok(DemoLoop { site, devices, state, queue, stop, bridge })
    }

    /// What the keypad pages need.
    pub fn site(&self) -> DemoSite {
        self.site.clone()
    }

    /// The bridge's state (tests ask it for offline decisions and remote unlocks).
    pub fn bridge_state(&self) -> &SharedBridgeState {
        &self.state
    }

    /// The bridge's durable event queue: what still waits for the central service.
    pub fn event_queue(&self) -> &EventQueue {
        &self.queue
    }

    /// Stops the controllers, then the bridge (locks off, last events to disk), then the
    /// devices.
    pub async fn stop(self) {
        self.site.stop_keypads();
        let _ = self.stop.send(());
        match self.bridge.await {
            Ok(Ok(())) => {}
            Ok(Err(error)) => tracing::error!(%error, "demo bridge ended with an error"),
            Err(error) => tracing::error!(%error, "demo bridge task failed"),
        }
        self.devices.shutdown().await;
    }
}

/// The address to connect to for a listen address: an unspecified one (`0.0.0.0`, `::`) is
/// reached on loopback.
#[must_use]
pub fn reachable(listen: SocketAddr) -> SocketAddr {
    match listen.ip() {
        IpAddr::V4(ip) if ip.is_unspecified() => SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), listen.port()),
        IpAddr::V6(ip) if ip.is_unspecified() => SocketAddr::new(IpAddr::V6(Ipv6Addr::LOCALHOST), listen.port()),
        _ => listen,
    }
}

/// Waits until the bridge accepts connections, or reports why it stopped.
async fn wait_listening(addr: SocketAddr, bridge: &mut JoinHandle<Result<(), RunError>>) -> Result<(), DemoLoopError> {
    let deadline = tokio::time::Instant::now() + START_TIMEOUT;
    loop {
        if bridge.is_finished() {
            return match bridge.await {
                Ok(Err(error)) => Err(error.into()),
                _ => Err(DemoLoopError::NotListening { addr }),
            };
        }
        if tokio::net::TcpStream::connect(addr).await.is_ok() {
            return Ok(());
        }
        if tokio::time::Instant::now() >= deadline {
            return Err(DemoLoopError::NotListening { addr });
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}
