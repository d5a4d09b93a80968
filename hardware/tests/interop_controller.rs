//! Interop: pymodbus (pinned 3.16.1) plays the door controller against the bridge's Modbus
//! server, so the register map is checked by an implementation that is not tokio-modbus.
//! Needs `REGIOHUB_PYTHON` pointing at a Python with pymodbus; `.ci/run` sets it.
#![cfg(feature = "bridge")]
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod door_server {
    pub mod harness;
}

use std::path::PathBuf;
use std::process::Stdio;
use std::time::Duration;

use door_server::harness::{self, PIN, ROOM_A, WRONG_PIN};
use regiohub_hardware::bridge::registers::MAP_VERSION;
use regiohub_hardware::protocol::{AccessEventKind, DenyReason};
use serde_json::Value;

fn python() -> String {
    std::env::var("REGIOHUB_PYTHON").unwrap_or_else(|_| {
        panic!(
            "REGIOHUB_PYTHON is not set: point it at a Python with pymodbus==3.16.1 \
             (e.g. /work/.venv-pymodbus/bin/python); this test must not pass without the peer"
        )
    })
}

#[tokio::test]
#[ignore = "needs pymodbus: set REGIOHUB_PYTHON (done by .ci/run)"]
async fn pymodbus_controller_gets_a_grant_for_the_right_pin_and_a_denial_for_a_wrong_one() {
    let python = python();
    let mut bridge = harness::start().await;
    let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/peers/controller.py");
    let mut child = std::process::Command::new(python)
        .arg(script)
        .args(["--port", &bridge.addr.port().to_string()])
        .args(["--unit", &ROOM_A.to_string()])
        .args(["--pin", PIN, "--wrong-pin", WRONG_PIN])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the pymodbus controller starts");
    // The bridge runs on this runtime, so wait for the child without blocking it.
    let deadline = tokio::time::Instant::now() + Duration::from_secs(60);
    while child.try_wait().expect("child status").is_none() {
        if tokio::time::Instant::now() >= deadline {
            let _ = child.kill();
            panic!("the pymodbus controller did not finish within 60 s");
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let output = child.wait_with_output().expect("child output");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "controller.py failed: {stderr}");
    let report: Value = serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|e| panic!("controller.py printed no JSON ({e}); stderr: {stderr}"));

    let wrong = &report["wrong"];
    assert_eq!(wrong["result"], 2, "{report}");
    assert_eq!(wrong["reason"], DenyReason::NoBooking.code());
    assert_eq!(wrong["cmd_seq_after"], wrong["cmd_seq_before"]);
    assert_eq!(wrong["acked"], false);
    assert_eq!(wrong["map_version"], MAP_VERSION);

    let right = &report["right"];
    assert_eq!(right["result"], 1, "{report}");
    assert_eq!(right["reason"], 0);
    assert_eq!(right["cmd_seq_after"], 1);
    assert_eq!(right["pulse_100ms"], 50);
    assert!(right["remaining_100ms"].as_u64().unwrap() > 0);
    assert_eq!(right["acked"], true);
    assert_eq!(right["readback"], serde_json::json!([2, 1, 6]));

    assert_eq!(report["malformed_exception"], 3);
    assert_eq!(report["unknown_unit_exception"], 0x0B);
    assert_eq!(report["outside_exception"], 2);

    let kinds: Vec<_> = bridge.drain_events().into_iter().map(|e| e.kind).collect();
    assert!(kinds.contains(&AccessEventKind::Denied { reason: DenyReason::NoBooking }));
    assert!(kinds.contains(&AccessEventKind::Granted { cmd_seq: 1 }));
    assert!(kinds.contains(&AccessEventKind::Executed { cmd_seq: 1 }));
    assert_eq!(bridge.orders.try_recv().unwrap().cmd_seq, 1);
    bridge.stop().await;
}
