//! The bridge's side toward door controllers: a Modbus TCP server implementing the register
//! map of `hardware/README.md`, the adapter that routes its requests to one door's registers,
//! the shared state the integrator feeds (snapshot, status, field inputs) and that carries out
//! the pure verdicts of `decision` and `keypad`, door supervision, and a simulated door
//! controller. The field-device client and the configuration file live elsewhere.

pub mod clock;
mod connections;
mod door;
mod idle;
mod mailbox;
mod modbus;
pub mod registers;
pub mod runtime;
mod server;
pub mod sim_controller;
mod state;
mod supervision;

pub use clock::{Clock, ManualClock, SystemClock};
pub use runtime::{
    BridgeSettings, ControllerMode, DoorInputs, DoorRuntimeConfig, DoorStateSource, PeerAllowList, Presence,
    UnlockOrder,
};
pub use server::{DoorServer, DoorSetupError};
pub use state::{RemoteUnlockOutcome, SharedBridgeState, UnknownDoorError};

pub use crate::keypad::{LockoutPolicy, MaintenanceCredential};
