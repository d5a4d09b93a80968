//! RegioHub hardware: the pure door decision shared with the web service, and (feature
//! `bridge`) the Modbus bridge that answers door controllers and drives field devices.

pub mod decision;
pub mod protocol;
