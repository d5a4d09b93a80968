//! `regiohub-bridge`: the per-hub Modbus bridge.
fn main() {}
