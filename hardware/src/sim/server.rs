//! The simulator's Modbus servers: one listener per hub, Modbus TCP or RTU framing over TCP,
//! answering for every unit id configured on that hub. A silent device gets no reply, as a
//! dead RS-485 device would; an unknown unit on a TCP hub gets exception 0x0B, as gateways do.

use std::future::{Ready, ready};
use std::io;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;
use tokio::time::Instant;
use tokio_modbus::server::Service;
use tokio_modbus::{ExceptionCode, Response, SlaveRequest};

use super::world::World;

/// Which framing a hub's listener speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Framing {
    Tcp,
    Rtu,
}

struct SimService {
    world: Arc<Mutex<World>>,
    hub: usize,
    framing: Framing,
}

impl Service for SimService {
    type Request = SlaveRequest<'static>;
    type Response = Option<Response>;
    type Exception = ExceptionCode;
    type Future = Ready<Result<Self::Response, Self::Exception>>;

    fn call(&self, req: Self::Request) -> Self::Future {
        ready(self.answer(&req))
    }
}

impl SimService {
    fn answer(&self, req: &SlaveRequest<'static>) -> Result<Option<Response>, ExceptionCode> {
        let Ok(mut world) = self.world.lock() else {
            return Err(ExceptionCode::ServerDeviceFailure);
        };
        let Some(index) = world.units.get(&(self.hub, req.slave)).copied() else {
            return match self.framing {
                Framing::Tcp => Err(ExceptionCode::GatewayTargetDevice),
                Framing::Rtu => Ok(None),
            };
        };
        let Some(device) = world.devices.get_mut(index) else {
            return Ok(None);
        };
        if device.silent {
            return Ok(None);
        }
        device.handle(&req.request, Instant::now()).map(Some)
    }
}

/// Serves one hub on `listener` until the returned task is aborted.
pub(super) fn serve(listener: TcpListener, world: Arc<Mutex<World>>, hub: usize, framing: Framing) -> JoinHandle<()> {
    tokio::spawn(async move {
        let on_connected = |stream: TcpStream, _peer: SocketAddr| {
            let service = SimService { world: Arc::clone(&world), hub, framing };
            ready(io::Result::Ok(Some((service, stream))))
        };
        let on_error = |error: io::Error| {
            tracing::debug!(%error, "simulator connection ended with an error");
        };
        let result = match framing {
            Framing::Tcp => tokio_modbus::server::tcp::Server::new(listener).serve(&on_connected, on_error).await,
            Framing::Rtu => {
                tokio_modbus::server::rtu_over_tcp::Server::new(listener).serve(&on_connected, on_error).await
            }
        };
        if let Err(error) = result {
            tracing::error!(%error, "simulator listener stopped");
        }
    })
}
