//! Integration tests of the bridge's field side: configuration loading and its one-line
//! errors, and the Modbus client driving the simulator over loopback.
#![allow(clippy::unwrap_used, clippy::expect_used)]

/// The test modules live in `tests/field/`.
mod field {
    mod client;
    mod config;
    mod support;
}
