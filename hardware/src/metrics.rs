//! The bridge's Prometheus metrics: door decisions by result and reason, field-device errors by
//! device and kind (counted as they happen), and, read at scrape time, the length of the durable
//! event queue and the age of the access snapshot the bridge decides from. Each
//! [`BridgeMetrics`] has a registry of its own, never the global one. Label values come from
//! fixed sets only (the door rule's reasons, the configured device names).
//!
//! `http` serves them on `bridge.metrics_listen`; the app wires the sources in. Nothing here
//! decides or talks Modbus.

pub mod http;

use std::time::Duration;

use prometheus::core::Collector;
use prometheus::{IntCounterVec, Opts, Registry, TextEncoder};

use crate::protocol::{AccessEventKind, DenyReason};

/// The content type of the text exposition format.
pub const TEXT_CONTENT_TYPE: &str = "text/plain; version=0.0.4; charset=utf-8";

/// What went wrong talking to a field device.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldErrorKind {
    /// No answer within the hub's timeout.
    Timeout,
    /// The connection failed mid-call (reset, refused, garbled frame).
    Transport,
    /// The device answered with a Modbus exception.
    Exception,
    /// The hub's connection could not be opened (counted for each device on it).
    Connect,
}

impl FieldErrorKind {
    fn as_str(self) -> &'static str {
        match self {
            FieldErrorKind::Timeout => "timeout",
            FieldErrorKind::Transport => "transport",
            FieldErrorKind::Exception => "exception",
            FieldErrorKind::Connect => "connect",
        }
    }
}

/// Counts field-device errors; handed to the field client's hub tasks. Cheap to clone.
#[derive(Clone, Default)]
pub struct FieldErrorCounter(Option<IntCounterVec>);

impl FieldErrorCounter {
    /// A counter that counts nothing (a field client without metrics, in tests and tools).
    #[must_use]
    pub fn uncounted() -> Self {
        Self(None)
    }

    /// One error talking to `device`.
    pub fn record(&self, device: &str, kind: FieldErrorKind) {
        if let Some(counter) = &self.0
            && let Ok(counter) = counter.get_metric_with_label_values(&[device, kind.as_str()])
        {
            counter.inc();
        }
    }
}

/// What is read at scrape time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ScrapeFigures {
    /// Events in the durable queue, waiting for the central service.
    pub event_queue_length: usize,
    /// Since the snapshot the bridge decides from was fetched or vouched for (`None`: no
    /// snapshot; the gauge is then left out).
    pub snapshot_age: Option<Duration>,
}

/// The registry and the counters. Cheap to clone (shared handles).
#[derive(Clone)]
pub struct BridgeMetrics {
    registry: Registry,
    decisions: IntCounterVec,
    field_errors: IntCounterVec,
}

impl std::fmt::Debug for BridgeMetrics {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BridgeMetrics").finish_non_exhaustive()
    }
}

impl BridgeMetrics {
    /// A fresh registry with every decision series at zero. Called once when the bridge starts.
    ///
    /// # Panics
    /// Never in practice: the names and labels are constants, and the unit tests build them.
    #[allow(clippy::expect_used, reason = "start-up; constant names, checked by a unit test")]
    #[must_use]
    pub fn new() -> Self {
        Self::build().expect("the metric definitions are valid")
    }

    fn build() -> prometheus::Result<Self> {
        let registry = Registry::new();
        let decisions = IntCounterVec::new(
            Opts::new("regiohub_bridge_decisions_total", "Door decisions this bridge made, by result and reason."),
            &["result", "reason"],
        )?;
        for labels in [["granted", "booking"], ["granted", "maintenance"], ["granted", "staff_opening"]]
            .into_iter()
            .chain(DenyReason::ALL.into_iter().map(|reason| ["denied", reason.as_str()]))
        {
            decisions.get_metric_with_label_values(&labels)?;
        }
        let field_errors = IntCounterVec::new(
            Opts::new(
                "regiohub_bridge_field_errors_total",
                "Failed Modbus calls and connects to field devices, by device and kind.",
            ),
            &["device", "kind"],
        )?;
        let collectors: [Box<dyn Collector>; 2] = [Box::new(decisions.clone()), Box::new(field_errors.clone())];
        for collector in collectors {
            registry.register(collector)?;
        }
        Ok(Self { registry, decisions, field_errors })
    }

    /// The counter the field client's hub tasks count their errors with.
    #[must_use]
    pub fn field_errors(&self) -> FieldErrorCounter {
        FieldErrorCounter(Some(self.field_errors.clone()))
    }

    /// Counts the event if it is a door decision.
    pub fn observe_event(&self, kind: &AccessEventKind, has_booking: bool) {
        let labels = match kind {
            AccessEventKind::Granted { .. } if has_booking => ["granted", "booking"],
            AccessEventKind::Granted { .. } => ["granted", "staff_opening"],
            AccessEventKind::MaintenanceGranted { .. } => ["granted", "maintenance"],
            AccessEventKind::Denied { reason } => ["denied", reason.as_str()],
            _ => return,
        };
        if let Ok(counter) = self.decisions.get_metric_with_label_values(&labels) {
            counter.inc();
        }
    }

    /// Every metric in the text exposition format, with the scrape-time gauges.
    ///
    /// # Errors
    /// When the encoder refuses a family (it cannot for these definitions).
    pub fn render(&self, figures: ScrapeFigures) -> prometheus::Result<String> {
        let scrape = Registry::new();
        let queue = prometheus::IntGauge::new(
            "regiohub_bridge_event_queue_length",
            "Events in the durable queue waiting for the central service.",
        )?;
        queue.set(i64::try_from(figures.event_queue_length).unwrap_or(i64::MAX));
        scrape.register(Box::new(queue))?;
        if let Some(age) = figures.snapshot_age {
            let gauge = prometheus::Gauge::new(
                "regiohub_bridge_snapshot_age_seconds",
                "Seconds since the access snapshot the bridge decides from was fetched or confirmed current.",
            )?;
            gauge.set(age.as_secs_f64());
            scrape.register(Box::new(gauge))?;
        }
        let mut families = self.registry.gather();
        families.extend(scrape.gather());
        families.sort_by(|a, b| a.name().cmp(b.name()));
        TextEncoder::new().encode_to_string(&families)
    }
}

impl Default for BridgeMetrics {
    fn default() -> Self {
        Self::new()
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::protocol::Alarm;

    #[test]
    fn decisions_and_field_errors_are_counted_and_rendered() {
        let metrics = BridgeMetrics::build().unwrap();
        metrics.observe_event(&AccessEventKind::Denied { reason: DenyReason::TooEarly }, false);
        metrics.observe_event(&AccessEventKind::Granted { cmd_seq: 1 }, true);
        metrics.observe_event(&AccessEventKind::AlarmCleared { alarm: Alarm::HeldOpen }, false);
        metrics.field_errors().record("relays", FieldErrorKind::Timeout);
        FieldErrorCounter::uncounted().record("relays", FieldErrorKind::Timeout);
        let figures = ScrapeFigures { event_queue_length: 3, snapshot_age: Some(Duration::from_secs(42)) };
        let text = metrics.render(figures).unwrap();
        assert!(text.contains(r#"regiohub_bridge_decisions_total{reason="too_early",result="denied"} 1"#), "{text}");
        assert!(text.contains(r#"regiohub_bridge_decisions_total{reason="booking",result="granted"} 1"#));
        assert!(text.contains(r#"regiohub_bridge_decisions_total{reason="no_booking",result="denied"} 0"#));
        assert!(text.contains(r#"regiohub_bridge_field_errors_total{device="relays",kind="timeout"} 1"#));
        assert!(text.contains("regiohub_bridge_event_queue_length 3"));
        assert!(text.contains("regiohub_bridge_snapshot_age_seconds 42"));
        let without = metrics.render(ScrapeFigures { event_queue_length: 0, snapshot_age: None }).unwrap();
        assert!(!without.contains("regiohub_bridge_snapshot_age_seconds"));
    }
}
