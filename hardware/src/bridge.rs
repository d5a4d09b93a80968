//! The bridge's side toward door controllers: a Modbus TCP server implementing the register
//! map of `hardware/README.md`, the shared state the integrator feeds (snapshot, status,
//! field inputs), door supervision, and a simulated door controller. The field-device client
//! and the configuration file live elsewhere.

pub mod clock;
mod connections;
mod door;
mod idle;
mod lockout;
mod mailbox;
pub mod maintenance;
pub mod registers;
pub mod runtime;
mod server;
pub mod sim_controller;
mod state;
mod supervision;

pub use clock::{Clock, ManualClock, SystemClock};
pub use maintenance::MaintenanceCredential;
pub use runtime::{
    BridgeSettings, ControllerMode, DoorInputs, DoorRuntimeConfig, DoorStateSource, LockoutPolicy, PeerAllowList,
    Presence, UnlockOrder,
};
pub use server::{DoorServer, DoorSetupError};
pub use state::{RemoteUnlockOutcome, SharedBridgeState, UnknownDoorError};
