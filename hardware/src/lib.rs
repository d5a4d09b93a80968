//! RegioHub hardware: the pure door decision shared with the web service, and (feature
//! `bridge`) the Modbus bridge that answers door controllers, drives field devices and talks
//! to the central service.

#[cfg(feature = "bridge")]
pub mod app;
#[cfg(feature = "bridge")]
pub mod bridge;
#[cfg(feature = "bridge")]
pub mod config;
pub mod decision;
#[cfg(feature = "bridge")]
pub mod field;
#[cfg(feature = "bridge")]
pub mod keypad;
#[cfg(feature = "bridge")]
pub mod metrics;
pub mod protocol;
#[cfg(feature = "bridge")]
pub mod sim;
#[cfg(feature = "bridge")]
pub mod uplink;
pub mod vocabulary;
