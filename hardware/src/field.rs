//! The bridge's Modbus client for field devices (lock relays, door contacts, exit buttons,
//! presence sensors). The bridge is the only master on each bus: one task per `[[hub]]`
//! owns that connection, polls the inputs and carries out unlock pulses sent to it through
//! a channel. Everything else talks to it through the cloneable [`FieldHandle`].
//!
//! Safety rules kept here: every call and connect is bounded by the hub's timeout; after a
//! timeout, transport or protocol error the connection is dropped and rebuilt (tokio-modbus
//! would otherwise return stale replies); lock outputs are forced OFF at start, after every
//! reconnect, periodically when no pulse runs, and at shutdown; a command past its deadline
//! is dropped, never carried out late. Door supervision (alarms) is not here.

mod connection;
mod health;
mod plan;
mod publish;
mod worker;

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::{mpsc, oneshot, watch};
use tokio::task::JoinHandle;
use tokio::time::Instant;

use crate::config::{BridgeConfig, PulseMode};
use crate::metrics::FieldErrorCounter;
use plan::HubPlan;
use publish::Publishers;
use worker::Command;

/// How long a pulse command may wait for its hub task before it is dropped unexecuted.
pub const COMMAND_DEADLINE: Duration = Duration::from_secs(2);

/// The door contact as last read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ContactState {
    Closed,
    Open,
    /// Not read yet, or its device is in fault: no held/forced-open logic on this.
    Unknown,
    /// The door has no contact configured.
    NotFitted,
}

/// The bridge's lock relay output as last read back or written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LockOutput {
    On,
    Off,
    Unknown,
    /// The door has no bridge-driven lock.
    NotFitted,
}

/// Everything the bridge reads about one door, published on a watch channel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DoorInputs {
    pub contact: ContactState,
    /// The exit button is pressed (false without an exit button).
    pub exit_request: bool,
    pub lock_output: LockOutput,
    /// False while any device this door uses is in fault (status bit b6, alarm b3).
    pub healthy: bool,
}

/// Occupancy of a space from its presence sensor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Presence {
    Present,
    Empty,
    Unknown,
}

/// What an unlock pulse did, from the device's own answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PulseOutcome {
    /// The device confirmed the ON write (a correct echo). False when it refused it with a
    /// Modbus exception or echoed something else: the door did not open.
    pub switched: bool,
    /// Who ends the pulse.
    pub mode: PulseMode,
    /// The pulse actually commanded (clamped to the door's configured maximum; device-timed
    /// pulses are whole seconds).
    pub length: Duration,
    /// The Modbus exception code if the device refused.
    pub exception: Option<u8>,
}

/// Why a pulse could not be attempted or its result is unknown.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FieldError {
    #[error("no door named \"{0}\"")]
    UnknownDoor(String),
    #[error("door \"{0}\" has no bridge-driven lock")]
    NoLock(String),
    #[error("the command passed its deadline before it could be carried out")]
    Expired,
    #[error("hub \"{0}\" is not connected")]
    NotConnected(String),
    #[error("device \"{0}\" is in fault")]
    DeviceFault(String),
    #[error("device \"{0}\" did not answer in time; its output state is unknown")]
    Timeout(String),
    #[error("connection error talking to device \"{device}\": {detail}")]
    Transport { device: String, detail: String },
    #[error("the field I/O task has stopped")]
    Stopped,
}

struct LockRoute {
    sender: mpsc::Sender<Command>,
    lock: usize,
}

/// The rest of the bridge's way to the field devices. Cheap to clone.
#[derive(Clone)]
pub struct FieldHandle {
    routes: Arc<BTreeMap<String, LockRoute>>,
    publishers: Arc<Publishers>,
}

impl FieldHandle {
    /// Pulses a door's lock relay: device-timed where the door is configured so, else ON and
    /// later OFF by the hub task (which sends the OFF even if this future is dropped). The
    /// pulse is clamped to the door's configured `pulse_ms`; zero means that length.
    ///
    /// # Errors
    /// Unknown door, no lock, device in fault, not connected, deadline passed, or the device
    /// did not answer (then the bridge forces the output OFF as soon as it can).
    pub async fn pulse_lock(&self, door: &str, pulse: Duration) -> Result<PulseOutcome, FieldError> {
        let Some(route) = self.routes.get(door) else {
            return Err(if self.publishers.door(door).is_some() {
                FieldError::NoLock(door.to_owned())
            } else {
                FieldError::UnknownDoor(door.to_owned())
            });
        };
        let deadline = Instant::now() + COMMAND_DEADLINE;
        let (reply, answer) = oneshot::channel();
        let command = Command::Pulse { lock: route.lock, pulse, deadline, reply };
        match tokio::time::timeout_at(deadline, route.sender.send(command)).await {
            Ok(Ok(())) => {}
            Ok(Err(_)) => return Err(FieldError::Stopped),
            Err(_) => return Err(FieldError::Expired),
        }
        answer.await.map_err(|_| FieldError::Stopped)?
    }

    /// The live inputs of a door; `None` for an unknown door id.
    #[must_use]
    pub fn door_inputs(&self, door: &str) -> Option<watch::Receiver<DoorInputs>> {
        self.publishers.door(door)
    }

    /// The live occupancy of a space; `None` for a space without a sensor.
    #[must_use]
    pub fn presence(&self, space: &str) -> Option<watch::Receiver<Presence>> {
        self.publishers.space(space)
    }

    /// Names of the devices currently in fault (DISCONNECTED), for alarms and status.
    #[must_use]
    pub fn faults(&self) -> watch::Receiver<BTreeSet<String>> {
        self.publishers.faults()
    }
}

/// The running hub tasks. Call [`FieldTasks::shutdown`] to stop them; each forces its lock
/// outputs OFF on the way out.
pub struct FieldTasks {
    stop: watch::Sender<bool>,
    tasks: Vec<JoinHandle<()>>,
}

impl FieldTasks {
    /// Stops every hub task and waits until each has tried to switch its locks OFF.
    pub async fn shutdown(self) {
        self.stop.send_replace(true);
        for task in self.tasks {
            if let Err(e) = task.await {
                tracing::error!(error = %e, "field hub task ended abnormally");
            }
        }
    }
}

/// Starts one task per hub. Must be called inside a tokio runtime.
#[must_use]
pub fn start(config: &BridgeConfig) -> (FieldHandle, FieldTasks) {
    start_counting(config, FieldErrorCounter::uncounted())
}

/// As [`start`], counting every failed call and connect in `errors` (the bridge's metrics).
#[must_use]
pub fn start_counting(config: &BridgeConfig, errors: FieldErrorCounter) -> (FieldHandle, FieldTasks) {
    let publishers = Arc::new(Publishers::new(config));
    let (stop, stopped) = watch::channel(false);
    let mut routes = BTreeMap::new();
    let mut tasks = Vec::new();
    for (hub_index, hub) in config.hubs.iter().enumerate() {
        let Some(plan) = HubPlan::new(config, hub_index) else {
            continue;
        };
        if plan.is_idle() {
            tracing::info!(hub.name = %hub.name, "hub has no doors or sensors in use; not connecting");
            continue;
        }
        let (sender, commands) = mpsc::channel(16);
        for (lock, door) in plan.lock_doors().enumerate() {
            routes.insert(door.to_owned(), LockRoute { sender: sender.clone(), lock });
        }
        let worker = worker::Worker::new(plan, Arc::clone(&publishers), commands, stopped.clone(), errors.clone());
        tasks.push(tokio::spawn(worker.run()));
    }
    for door in &config.doors {
        if door.lock.is_none() {
            routes.remove(&door.id);
        }
    }
    let handle = FieldHandle { routes: Arc::new(routes), publishers };
    (handle, FieldTasks { stop, tasks })
}

impl FieldHandle {
    /// Whether the door exists and has a bridge-driven lock.
    #[must_use]
    pub fn has_lock(&self, door: &str) -> bool {
        self.routes.contains_key(door)
    }
}
