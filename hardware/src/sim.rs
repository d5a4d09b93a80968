//! The field-device simulator: serves the configured relay boards, door contacts, exit
//! buttons and presence sensors as Modbus servers on loopback (one listener per `[[hub]]`,
//! all its unit ids on one port), with doors that open when their lock relay switches on
//! and close a few seconds later. [`SimHandle`] sets presence, presses exit buttons, reads
//! relays and doors, and makes devices stop answering for fault tests. The door controller
//! simulation belongs to the server side, not here.
//!
//! Two ways to bind, see [`SimBind`]: `regiohub-bridge simulate` uses the hub addresses
//! written in the file (the demo config points at fixed loopback ports, so a separate
//! `regiohub-bridge run` with the same file finds the devices); tests and the in-process
//! demo use ephemeral ports and [`Simulator::bridge_config`] for the rewritten hubs.

pub mod console;
mod device;
mod server;
mod world;

use std::collections::BTreeMap;
use std::future::Future;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use tokio::net::TcpListener;
use tokio::task::JoinHandle;
use tokio::time::Instant;

pub use device::SimWrite;

use crate::config::{BridgeConfig, Transport};
use server::Framing;
use world::World;

/// How long a simulated door stays open after its lock released it, unless configured.
pub const DEFAULT_OPEN_FOR: Duration = Duration::from_secs(3);
const TICK: Duration = Duration::from_millis(20);

/// Where the simulator listens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SimBind {
    /// Each tcp / rtuovertcp hub on exactly its configured host and port, which must be a
    /// loopback address. Serial hubs are skipped (they cannot be served this way).
    AsConfigured,
    /// Every hub on 127.0.0.1 port 0; serial hubs become RTU-over-TCP listeners.
    Ephemeral,
}

/// Why the simulator cannot start, or a control request names something unknown.
#[derive(Debug, thiserror::Error)]
pub enum SimError {
    #[error(
        "hub \"{hub}\": host \"{host}\" is not a loopback address; the simulator only serves 127.0.0.1 / ::1 / localhost"
    )]
    NotLoopback { hub: String, host: String },
    #[error("hub \"{hub}\": cannot listen on {addr}: {source}")]
    Bind { hub: String, addr: String, source: std::io::Error },
    #[error("no simulated {kind} named \"{name}\"")]
    Unknown { kind: &'static str, name: String },
    #[error("the simulator state is poisoned by an earlier panic")]
    Poisoned,
}

/// Control over a running simulation. Cheap to clone.
#[derive(Clone)]
pub struct SimHandle {
    world: Arc<Mutex<World>>,
}

impl SimHandle {
    fn world(&self) -> Result<MutexGuard<'_, World>, SimError> {
        self.world.lock().map_err(|_| SimError::Poisoned)
    }

    fn unknown(kind: &'static str, name: &str) -> SimError {
        SimError::Unknown { kind, name: name.to_owned() }
    }

    /// Someone enters (true) or leaves (false) the space watched by a presence sensor.
    ///
    /// # Errors
    /// No sensor for this space.
    pub fn set_presence(&self, space: &str, present: bool) -> Result<(), SimError> {
        let mut world = self.world()?;
        let (device, input_type, address, value) = world
            .sensors
            .get(space)
            .map(|s| (s.device, s.input_type, s.address, s.present_value))
            .ok_or_else(|| Self::unknown("presence space", space))?;
        let reading = if present { value } else { 0 };
        if let Some(device) = world.devices.get_mut(device) {
            device.set_point(input_type, address, reading);
        }
        Ok(())
    }

    /// Whether the sensor of this space currently reads someone present (see [`Self::set_presence`]).
    ///
    /// # Errors
    /// No sensor for this space.
    pub fn presence(&self, space: &str) -> Result<bool, SimError> {
        let world = self.world()?;
        let sensor = world.sensors.get(space).ok_or_else(|| Self::unknown("presence space", space))?;
        let reading = world.devices.get(sensor.device).and_then(|d| d.point(sensor.input_type, sensor.address));
        Ok(reading.is_some_and(|value| value >= sensor.present_value))
    }

    /// The state of a relay channel (1-based) of a device.
    ///
    /// # Errors
    /// Unknown device or channel.
    pub fn relay(&self, device: &str, channel: u16) -> Result<bool, SimError> {
        let world = self.world()?;
        world
            .device_index(device)
            .and_then(|i| world.devices.get(i))
            .ok_or_else(|| Self::unknown("device", device))?
            .relay(channel)
            .ok_or_else(|| Self::unknown("relay channel", &format!("{device}/{channel}")))
    }

    /// Switches a relay by hand, e.g. to start a test with a lock left ON.
    ///
    /// # Errors
    /// Unknown device or channel.
    pub fn set_relay(&self, device: &str, channel: u16, on: bool) -> Result<(), SimError> {
        let mut world = self.world()?;
        let index = world.device_index(device).ok_or_else(|| Self::unknown("device", device))?;
        let done = world.devices.get_mut(index).is_some_and(|d| d.set_relay(channel, on));
        if done { Ok(()) } else { Err(Self::unknown("relay channel", &format!("{device}/{channel}"))) }
    }

    /// Whether a simulated door's lock relay is on (the lock released).
    ///
    /// # Errors
    /// For an unknown door or a door without a lock relay.
    pub fn lock_released(&self, door: &str) -> Result<bool, SimError> {
        let world = self.world()?;
        let sim_door = world.door_index(door).and_then(|i| world.doors.get(i));
        let (device, channel) = sim_door.and_then(|d| d.lock).ok_or_else(|| Self::unknown("door lock", door))?;
        world.devices.get(device).and_then(|d| d.relay(channel)).ok_or_else(|| Self::unknown("door lock", door))
    }

    /// Whether a simulated door stands open.
    ///
    /// # Errors
    /// Unknown door.
    pub fn door_open(&self, door: &str) -> Result<bool, SimError> {
        let world = self.world()?;
        world
            .door_index(door)
            .and_then(|i| world.doors.get(i))
            .map(|d| d.open)
            .ok_or_else(|| Self::unknown("door", door))
    }

    /// Pushes a door open or shut by hand (a forced door, a door held open).
    ///
    /// # Errors
    /// Unknown door.
    pub fn set_door_open(&self, door: &str, open: bool) -> Result<(), SimError> {
        let mut world = self.world()?;
        let index = world.door_index(door).ok_or_else(|| Self::unknown("door", door))?;
        world.set_door_open(index, open);
        Ok(())
    }

    /// Presses or releases a door's exit button.
    ///
    /// # Errors
    /// Unknown door, or the door has no exit button.
    pub fn press_exit(&self, door: &str, pressed: bool) -> Result<(), SimError> {
        let mut world = self.world()?;
        let index = world.door_index(door).ok_or_else(|| Self::unknown("door", door))?;
        if world.press_exit(index, pressed) { Ok(()) } else { Err(Self::unknown("exit button of door", door)) }
    }

    /// Makes a device stop answering (true) or answer again (false).
    ///
    /// # Errors
    /// Unknown device.
    pub fn set_silent(&self, device: &str, silent: bool) -> Result<(), SimError> {
        let mut world = self.world()?;
        let index = world.device_index(device).ok_or_else(|| Self::unknown("device", device))?;
        if let Some(device) = world.devices.get_mut(index) {
            device.silent = silent;
        }
        Ok(())
    }

    /// Every write the device has received, oldest first.
    ///
    /// # Errors
    /// Unknown device.
    pub fn writes(&self, device: &str) -> Result<Vec<SimWrite>, SimError> {
        let world = self.world()?;
        world
            .device_index(device)
            .and_then(|i| world.devices.get(i))
            .map(device::SimDevice::writes)
            .ok_or_else(|| Self::unknown("device", device))
    }
}

/// A running simulation. Dropping it without [`Simulator::shutdown`] leaves the tasks to
/// end with the runtime.
pub struct Simulator {
    handle: SimHandle,
    addrs: BTreeMap<String, SocketAddr>,
    config: BridgeConfig,
    tasks: Vec<JoinHandle<()>>,
}

impl Simulator {
    /// Starts serving every hub of `config`; doors stay open `open_for` after a release.
    ///
    /// # Errors
    /// A hub host is not loopback (with [`SimBind::AsConfigured`]) or a port cannot be bound.
    pub async fn start(config: &BridgeConfig, bind: SimBind, open_for: Duration) -> Result<Self, SimError> {
        let world = Arc::new(Mutex::new(World::new(config, open_for, Instant::now())));
        let mut addrs = BTreeMap::new();
        let mut tasks = Vec::new();
        let mut rewritten = config.clone();
        for (index, hub) in config.hubs.iter().enumerate() {
            let (target, framing) = match (&hub.transport, bind) {
                (Transport::Tcp { host, port }, SimBind::AsConfigured) => {
                    (Some(loopback(&hub.name, host, *port)?), Framing::Tcp)
                }
                (Transport::RtuOverTcp { host, port }, SimBind::AsConfigured) => {
                    (Some(loopback(&hub.name, host, *port)?), Framing::Rtu)
                }
                (Transport::Serial(_), SimBind::AsConfigured) => {
                    tracing::warn!(hub.name = %hub.name, "serial hub not simulated with fixed addresses");
                    (None, Framing::Rtu)
                }
                (Transport::Tcp { .. }, SimBind::Ephemeral) => (Some(ephemeral()), Framing::Tcp),
                (_, SimBind::Ephemeral) => (Some(ephemeral()), Framing::Rtu),
            };
            let Some(target) = target else {
                continue;
            };
            let listener = TcpListener::bind(target).await.map_err(|source| SimError::Bind {
                hub: hub.name.clone(),
                addr: target.to_string(),
                source,
            })?;
            let local = listener.local_addr().map_err(|source| SimError::Bind {
                hub: hub.name.clone(),
                addr: target.to_string(),
                source,
            })?;
            tracing::info!(hub.name = %hub.name, addr = %local, ?framing, "simulated hub listening");
            tasks.push(server::serve(listener, Arc::clone(&world), index, framing));
            addrs.insert(hub.name.clone(), local);
            if let Some(hub) = rewritten.hubs.get_mut(index) {
                let host = local.ip().to_string();
                let port = local.port();
                hub.transport = match framing {
                    Framing::Tcp => Transport::Tcp { host, port },
                    Framing::Rtu => Transport::RtuOverTcp { host, port },
                };
            }
        }
        let clock_world = Arc::clone(&world);
        tasks.push(tokio::spawn(async move {
            let mut interval = tokio::time::interval(TICK);
            interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
            loop {
                interval.tick().await;
                match clock_world.lock() {
                    Ok(mut world) => world.tick(Instant::now()),
                    Err(_) => break,
                }
            }
        }));
        Ok(Self { handle: SimHandle { world }, addrs, config: rewritten, tasks })
    }

    /// The control handle.
    #[must_use]
    pub fn handle(&self) -> SimHandle {
        self.handle.clone()
    }

    /// Where a hub is served.
    #[must_use]
    pub fn hub_addr(&self, hub: &str) -> Option<SocketAddr> {
        self.addrs.get(hub).copied()
    }

    /// The configuration with every served hub pointing at the simulator, for a bridge in
    /// the same process.
    #[must_use]
    pub fn bridge_config(&self) -> &BridgeConfig {
        &self.config
    }

    /// Stops the listeners and the clock.
    pub async fn shutdown(self) {
        for task in &self.tasks {
            task.abort();
        }
        for task in self.tasks {
            // An aborted task reports cancellation; nothing else can come back here.
            let _ = task.await;
        }
    }
}

fn ephemeral() -> SocketAddr {
    SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), 0)
}

fn loopback(hub: &str, host: &str, port: u16) -> Result<SocketAddr, SimError> {
    let ip = if host == "localhost" { Some(IpAddr::V4(Ipv4Addr::LOCALHOST)) } else { host.parse::<IpAddr>().ok() };
    match ip {
        Some(ip) if ip.is_loopback() => Ok(SocketAddr::new(ip, port)),
        _ => Err(SimError::NotLoopback { hub: hub.to_owned(), host: host.to_owned() }),
    }
}

/// `regiohub-bridge simulate --config FILE`: serves the file's hubs on their configured
/// loopback addresses until `shutdown` completes, printing relay and door changes and taking
/// console commands on stdin (see [`console`]).
///
/// # Errors
/// As [`Simulator::start`].
pub async fn simulate(config: &BridgeConfig, shutdown: impl Future<Output = ()>) -> Result<(), SimError> {
    let simulator = Simulator::start(config, SimBind::AsConfigured, DEFAULT_OPEN_FOR).await?;
    tracing::info!(hubs = simulator.addrs.len(), "field simulator running");
    for (hub, addr) in &simulator.addrs {
        println!("hub {hub} on {addr}");
    }
    println!("{}", console::HELP);
    tokio::select! {
        () = shutdown => {}
        () = console::run(config, simulator.handle()) => {}
    }
    simulator.shutdown().await;
    Ok(())
}
