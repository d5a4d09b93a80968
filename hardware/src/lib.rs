//! RegioHub hardware: the pure door decision shared with the web service, and (feature
//! `bridge`) the Modbus bridge that answers door controllers and drives field devices.

#[cfg(feature = "bridge")]
pub mod config;
#[cfg(feature = "bridge")]
pub mod field;
#[cfg(feature = "bridge")]
pub mod sim;
