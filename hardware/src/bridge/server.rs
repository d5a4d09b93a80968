//! The Modbus TCP server door controllers poll: the accept loop with its allow-list check,
//! the per-connection service that hands each request to the Modbus adapter, and the ticker
//! that drives the heartbeat and every timer. Routing and address ranges live in `modbus`,
//! register semantics in `state`.

use std::collections::HashSet;
use std::future::{Future, Ready, ready};
use std::io;
use std::net::{IpAddr, SocketAddr};
use std::time::Duration;

use tokio::net::{TcpListener, TcpStream};
use tokio_modbus::server::Service;
use tokio_modbus::server::tcp::Server;
use tokio_modbus::{ExceptionCode, Response, SlaveRequest};

use super::connections::{ConnectionLimits, ConnectionRefused};
use super::idle::IdleTimeoutStream;
use super::modbus;
use super::runtime::{ControllerMode, DoorRuntimeConfig};
use super::state::SharedBridgeState;

/// Why the door list cannot be served.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DoorSetupError {
    #[error("door {door}: unit id {unit_id} is outside 1..=247")]
    UnitIdOutOfRange { door: String, unit_id: u8 },
    #[error("doors {first} and {second} share unit id {unit_id}")]
    DuplicateUnitId { first: String, second: String, unit_id: u8 },
    #[error("door {0} is configured twice")]
    DuplicateDoor(String),
    #[error("door {door}: pulse must be between 100 ms and 6553.5 s")]
    PulseOutOfRange { door: String },
}

/// The Modbus TCP server for the door controllers of one hub.
#[derive(Debug)]
pub struct DoorServer {
    state: SharedBridgeState,
}

impl DoorServer {
    /// Installs `doors` into `state` after checking that unit ids and door ids are unique.
    pub fn new(doors: Vec<DoorRuntimeConfig>, state: SharedBridgeState) -> Result<Self, DoorSetupError> {
        let mut units: Vec<(u8, String)> = Vec::new();
        let mut ids = HashSet::new();
        for door in &doors {
            let name = door.id.to_string();
            if !ids.insert(door.id.clone()) {
                return Err(DoorSetupError::DuplicateDoor(name));
            }
            if door.pulse < Duration::from_millis(100) || door.pulse > Duration::from_millis(6_553_500) {
                return Err(DoorSetupError::PulseOutOfRange { door: name });
            }
            if door.controller == ControllerMode::NoController {
                continue;
            }
            if !(1..=247).contains(&door.unit_id) {
                return Err(DoorSetupError::UnitIdOutOfRange { door: name, unit_id: door.unit_id });
            }
            if let Some((_, first)) = units.iter().find(|(unit, _)| *unit == door.unit_id) {
                return Err(DoorSetupError::DuplicateUnitId {
                    first: first.clone(),
                    second: name,
                    unit_id: door.unit_id,
                });
            }
            units.push((door.unit_id, name));
        }
        state.install_doors(doors);
        Ok(Self { state })
    }

    /// The state this server answers from, for the integrator's setters.
    pub fn state(&self) -> &SharedBridgeState {
        &self.state
    }

    /// Serves door controllers on `listener` until `shutdown` completes. Accept errors (e.g.
    /// out of file descriptors) do not end serving: the loop backs off and accepts again.
    /// Peers allowed for no door, and connections over the limits in total or per peer, are
    /// closed at connect; see `hardware/README.md`.
    pub async fn serve(self, listener: TcpListener, shutdown: impl Future<Output = ()>) {
        let local = listener.local_addr().ok();
        tracing::info!(listen = ?local, "door controller server listening");
        let ticker = tokio::spawn(run_ticker(self.state.clone()));
        let server = Server::new(listener);
        let idle = self.state.idle_timeout();
        let (max_total, max_per_peer) = self.state.connection_limits();
        let limits = ConnectionLimits::new(max_total, max_per_peer);
        let state = self.state.clone();
        let on_connected = move |stream: TcpStream, peer: SocketAddr| {
            let (state, limits) = (state.clone(), limits.clone());
            async move { Ok::<_, io::Error>(accept(state, &limits, stream, peer, idle)) }
        };
        let on_error = |error: io::Error| {
            tracing::info!(%error, "door controller connection ended with an error");
        };
        tokio::pin!(shutdown);
        let mut backoff = Duration::from_millis(50);
        loop {
            tokio::select! {
                () = &mut shutdown => break,
                result = server.serve(&on_connected, on_error) => {
                    match result {
                        Ok(()) => tracing::warn!("modbus accept loop ended; restarting"),
                        Err(error) => tracing::warn!(%error, "accept failed; serving again shortly"),
                    }
                }
            }
            tokio::select! {
                () = &mut shutdown => break,
                () = tokio::time::sleep(backoff) => {}
            }
            backoff = (backoff * 2).min(Duration::from_secs(2));
        }
        ticker.abort();
        tracing::info!("door controller server stopped");
    }
}

fn accept(
    state: SharedBridgeState,
    limits: &ConnectionLimits,
    stream: TcpStream,
    peer: SocketAddr,
    idle: Duration,
) -> Option<(DoorService, IdleTimeoutStream)> {
    let ip = peer.ip().to_canonical();
    if !state.peer_allowed_anywhere(ip) {
        tracing::warn!(peer = %peer, "connection refused: peer on no door's allow-list");
        return None;
    }
    let permit = match limits.try_open(ip) {
        Ok(permit) => permit,
        Err(ConnectionRefused::PerPeer) => {
            tracing::warn!(peer = %peer, "connection refused: this peer holds its maximum of connections");
            return None;
        }
        Err(ConnectionRefused::Total) => {
            tracing::warn!(peer = %peer, "connection refused: the server holds its maximum of connections");
            return None;
        }
    };
    tracing::debug!(peer = %peer, "door controller connected");
    if let Err(error) = stream.set_nodelay(true) {
        tracing::debug!(%error, "could not disable Nagle");
    }
    Some((DoorService { state, peer: ip }, IdleTimeoutStream::new(stream, idle, permit)))
}

async fn run_ticker(state: SharedBridgeState) {
    let mut interval = tokio::time::interval(state.tick_interval());
    interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
    loop {
        interval.tick().await;
        state.tick();
    }
}

/// One connection's view: the shared state plus who is asking.
struct DoorService {
    state: SharedBridgeState,
    peer: IpAddr,
}

impl Service for DoorService {
    type Request = SlaveRequest<'static>;
    type Response = Option<Response>;
    type Exception = ExceptionCode;
    type Future = Ready<Result<Self::Response, Self::Exception>>;

    fn call(&self, request: Self::Request) -> Self::Future {
        ready(modbus::handle(&self.state, self.peer, request.slave, &request.request))
    }
}
