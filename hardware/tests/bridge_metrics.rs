//! The bridge's metrics listener (`bridge.metrics_listen`), end to end: the real
//! `regiohub-bridge` binary against simulated field devices and a raw door controller; its
//! counters move with decisions and field errors, the queue and snapshot gauges are there, it
//! answers only `GET /metrics`, and `promtool check metrics` accepts the output.
#![cfg(feature = "bridge")]
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[allow(dead_code)]
mod bridge_e2e {
    pub mod support;
}

use std::collections::HashMap;
use std::io::Write;
use std::net::SocketAddr;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use bridge_e2e::support::{
    PIN, Process, RawController, Site, UNIT, WAIT, WRONG_PIN, free_port, one_door_site, wait_listening,
};
use regiohub_hardware::bridge::registers::RequestResult;
use regiohub_hardware::config::BridgeConfig;
use regiohub_hardware::sim::{SimBind, SimHandle, Simulator};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// A running bridge with metrics on loopback, against an in-process simulator.
struct Rig {
    _site: Site,
    sim: Simulator,
    devices: SimHandle,
    bridge: Process,
    modbus: SocketAddr,
    metrics: SocketAddr,
}

async fn rig() -> Rig {
    let site = Site::new();
    let placeholder = BridgeConfig::parse(Path::new("bridge.toml"), &one_door_site(1, 3, 500, Some(2))).unwrap();
    let sim = Simulator::start(&placeholder, SimBind::Ephemeral, Duration::from_millis(800)).await.unwrap();
    let devices = sim.handle();
    let (listen, metrics) = (free_port(), free_port());
    let config = site.write_config(&one_door_site(listen, sim.hub_addr("field").unwrap().port(), 500, Some(metrics)));
    site.write_snapshot("e2e", &["entrance"]);
    let mut bridge = Process::start(site.dir.path(), "run", &["run", "--config", config.to_str().unwrap()]);
    let modbus: SocketAddr = format!("127.0.0.1:{listen}").parse().unwrap();
    let metrics: SocketAddr = format!("127.0.0.1:{metrics}").parse().unwrap();
    wait_listening(modbus, &mut bridge).await;
    wait_listening(metrics, &mut bridge).await;
    Rig { _site: site, sim, devices, bridge, modbus, metrics }
}

/// One raw HTTP/1.1 exchange; the whole answer as text.
async fn exchange(addr: SocketAddr, request: &str) -> String {
    let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut answer = String::new();
    tokio::time::timeout(WAIT, stream.read_to_string(&mut answer)).await.unwrap().unwrap();
    answer
}

/// `GET /metrics` with an ordinary HTTP client: the text and every sample by its series.
async fn scrape(addr: SocketAddr) -> (String, HashMap<String, f64>) {
    let response = reqwest::get(format!("http://{addr}/metrics")).await.unwrap();
    assert_eq!(response.status(), reqwest::StatusCode::OK);
    let content_type = response.headers()["content-type"].to_str().unwrap().to_owned();
    assert!(content_type.starts_with("text/plain; version=0.0.4"), "{content_type}");
    let text = response.text().await.unwrap();
    let samples = text
        .lines()
        .filter(|line| !line.starts_with('#') && !line.is_empty())
        .map(|line| {
            let (series, value) = line.rsplit_once(' ').unwrap();
            (series.to_owned(), value.parse::<f64>().unwrap())
        })
        .collect();
    (text, samples)
}

/// Scrapes until `holds` does, failing the test after [`WAIT`].
async fn scrape_until(addr: SocketAddr, what: &str, holds: impl Fn(&HashMap<String, f64>) -> bool) -> String {
    let deadline = tokio::time::Instant::now() + WAIT;
    loop {
        let (text, samples) = scrape(addr).await;
        if holds(&samples) {
            return text;
        }
        assert!(tokio::time::Instant::now() < deadline, "timed out waiting for: {what}\n{text}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

fn value(samples: &HashMap<String, f64>, series: &str) -> f64 {
    samples.get(series).copied().unwrap_or(0.0)
}

const DENIED: &str = r#"regiohub_bridge_decisions_total{reason="no_booking",result="denied"}"#;
const GRANTED: &str = r#"regiohub_bridge_decisions_total{reason="booking",result="granted"}"#;
const INPUT_TIMEOUTS: &str = r#"regiohub_bridge_field_errors_total{device="inputs",kind="timeout"}"#;

#[tokio::test]
async fn the_metrics_listener_counts_decisions_and_field_errors_and_shows_queue_and_snapshot() {
    let mut rig = rig().await;
    let (_, before) = scrape(rig.metrics).await;
    assert_eq!(value(&before, DENIED), 0.0);
    assert_eq!(value(&before, GRANTED), 0.0);
    assert!(before.contains_key("regiohub_bridge_snapshot_age_seconds"), "the snapshot file was read");

    let mut controller = RawController::connect(rig.modbus, UNIT).await;
    assert_eq!(controller.enter_pin(WRONG_PIN).await.result(), Some(RequestResult::Denied));
    assert_eq!(controller.enter_pin(PIN).await.result(), Some(RequestResult::Granted));
    let text = scrape_until(rig.metrics, "both decisions counted", |samples| {
        value(samples, DENIED) == 1.0 && value(samples, GRANTED) == 1.0
    })
    .await;
    let (_, samples) = scrape(rig.metrics).await;
    assert!(value(&samples, "regiohub_bridge_event_queue_length") >= 2.0, "{text}");
    let age = samples.get("regiohub_bridge_snapshot_age_seconds");
    assert!(age.is_some_and(|age| age.is_finite() && *age >= 0.0), "a snapshot age is shown: {text}");

    rig.devices.set_silent("inputs", true).unwrap();
    scrape_until(rig.metrics, "a timeout of the silent input module", |samples| value(samples, INPUT_TIMEOUTS) >= 1.0)
        .await;
    rig.devices.set_silent("inputs", false).unwrap();

    let refused = exchange(rig.metrics, "POST /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n").await;
    assert!(refused.starts_with("HTTP/1.1 405 "), "{refused}");
    let elsewhere = exchange(rig.metrics, "GET /snapshot HTTP/1.1\r\nHost: x\r\n\r\n").await;
    assert!(elsewhere.starts_with("HTTP/1.1 404 "), "{elsewhere}");
    let garbage = exchange(rig.metrics, "hello\r\n\r\n").await;
    assert!(garbage.starts_with("HTTP/1.1 400 "), "{garbage}");
    let raw = exchange(rig.metrics, "GET /metrics HTTP/1.0\r\n\r\n").await;
    assert!(raw.starts_with("HTTP/1.1 200 OK\r\n") && raw.contains("regiohub_bridge_decisions_total"), "{raw}");

    rig.bridge.assert_running();
    rig.sim.shutdown().await;
}

#[tokio::test]
#[ignore = "needs promtool (Debian prometheus); .ci/run runs it"]
async fn promtool_accepts_the_bridges_metrics() {
    let rig = rig().await;
    let mut controller = RawController::connect(rig.modbus, UNIT).await;
    assert_eq!(controller.enter_pin(WRONG_PIN).await.result(), Some(RequestResult::Denied));
    let text = scrape_until(rig.metrics, "the decision counted", |samples| value(samples, DENIED) == 1.0).await;
    let mut child = Command::new("promtool")
        .args(["check", "metrics"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|error| panic!("promtool is needed (apt-get install prometheus): {error}"));
    child.stdin.take().unwrap().write_all(text.as_bytes()).unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(
        output.status.success(),
        "promtool check metrics failed:\n{}{}\n--- input ---\n{text}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    rig.sim.shutdown().await;
}
