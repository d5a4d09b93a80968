//! Typed identifiers for the domain's entities.
//!
//! Ids are opaque text (UUIDv7 made by the storage layer); wrapping each kind in its own type keeps
//! a hub id from being passed where a space id is expected. They are defined once, in the hardware
//! crate's vocabulary, so the access snapshot and the web service use the very same types.
//! Generating and parsing ids is not done here.

pub use regiohub_hardware::vocabulary::{BookingId, DoorId, HubId, OperatorId, SpaceId, UserId};
