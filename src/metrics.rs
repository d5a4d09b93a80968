//! The service's Prometheus metrics: their names, help texts and labels, the counters and the
//! request histogram that handlers and jobs move as things happen, and the text exposition,
//! which adds the figures read at scrape time (pool use, outbox, bridges' last contact).
//!
//! Each [`Metrics`] has a registry of its own (never the crate's global one): every `AppState`
//! builds one, so apps sharing a process (the tests) never share counters. Label values come
//! from fixed sets only (route patterns, the enums here, the door rule's reasons), never from
//! what a request carries, so the number of series stays bounded. The endpoint and its token
//! check live in `web::metrics`, the database reads in `service::monitoring`.

use std::time::Duration;

use prometheus::core::Collector;
use prometheus::proto::MetricFamily;
use prometheus::{GaugeVec, HistogramOpts, HistogramVec, IntCounterVec, IntGaugeVec, Opts, Registry, TextEncoder};
use regiohub_hardware::protocol::DenyReason;

use crate::service::bridge_link::wire::DoorDecision;
pub use crate::service::monitoring::StoredFigures;

/// The content type of the text exposition format.
pub const TEXT_CONTENT_TYPE: &str = "text/plain; version=0.0.4; charset=utf-8";

/// The route label of a request no route matched (scanners, typos): one series for all of them.
pub const UNMATCHED_ROUTE: &str = "unmatched";

regiohub_hardware::closed_set!(
    /// Where a booking was made.
    BookingChannel, "booking channel" {
        /// The member site's booking form.
        Web => "web",
        /// `POST /api/v1/bookings`.
        Api => "api",
        /// Staff booking on someone's behalf in the console.
        Console => "console",
    }
);

regiohub_hardware::closed_set!(
    /// Who cancelled a booking.
    CancelledBy, "canceller" {
        Member => "member",
        Staff => "staff",
    }
);

regiohub_hardware::closed_set!(
    /// Why a running or due booking was ended before its time.
    ReleaseReason, "release reason" {
        /// The member released it early ("Jetzt freigeben").
        Member => "member",
        /// Nobody checked in within the hub's no-show window.
        NoShow => "no_show",
    }
);

regiohub_hardware::closed_set!(
    /// The periodic jobs (`crate::jobs`), one label value each.
    Job, "job" {
        Mail => "mail",
        Reminders => "reminders",
        NoShows => "no_shows",
        LifeCycle => "life_cycle",
        PresenceFold => "presence_fold",
        Retention => "retention",
        Waitlist => "waitlist",
    }
);

/// The `result` and `reason` labels of a door decision.
fn decision_labels(decision: DoorDecision) -> [&'static str; 2] {
    match decision {
        DoorDecision::GrantedBooking => ["granted", "booking"],
        DoorDecision::GrantedMaintenance => ["granted", "maintenance"],
        DoorDecision::GrantedStaffOpening => ["granted", "staff_opening"],
        DoorDecision::Denied(reason) => ["denied", reason.as_str()],
    }
}

fn every_decision() -> impl Iterator<Item = DoorDecision> {
    [DoorDecision::GrantedBooking, DoorDecision::GrantedMaintenance, DoorDecision::GrantedStaffOpening]
        .into_iter()
        .chain(DenyReason::ALL.into_iter().map(DoorDecision::Denied))
}

/// The connection pool's use at scrape time (`r2d2::Pool::state` and its size).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PoolUse {
    /// Connections open now, idle or checked out.
    pub open: u32,
    pub idle: u32,
    /// The most the pool opens (`db_pool_size`).
    pub max: u32,
}

/// The registry and the metrics moved as things happen. Cheap to clone (shared handles).
#[derive(Clone)]
pub struct Metrics {
    registry: Registry,
    http_requests: HistogramVec,
    bookings_created: IntCounterVec,
    bookings_cancelled: IntCounterVec,
    bookings_released: IntCounterVec,
    door_decisions: IntCounterVec,
    job_runs: IntCounterVec,
}

impl std::fmt::Debug for Metrics {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Metrics").finish_non_exhaustive()
    }
}

impl Default for Metrics {
    fn default() -> Self {
        Metrics::new()
    }
}

impl Metrics {
    /// A fresh registry with every metric at zero. Called once at start-up (`build_state`).
    ///
    /// # Panics
    /// Never in practice: the names and labels are constants, and
    /// `every_metric_is_registered_and_named_validly` builds them in every test run.
    #[allow(clippy::expect_used, reason = "start-up; constant names, checked by a unit test")]
    #[must_use]
    pub fn new() -> Metrics {
        Metrics::build().expect("the metric definitions are valid")
    }

    fn build() -> prometheus::Result<Metrics> {
        let registry = Registry::new();
        let http_requests = HistogramVec::new(
            HistogramOpts::new(
                "regiohub_http_request_duration_seconds",
                "Time from receiving an HTTP request to its response, by method, route pattern and status class.",
            ),
            &["method", "route", "status"],
        )?;
        let bookings_created = IntCounterVec::new(
            Opts::new("regiohub_bookings_created_total", "Bookings made, by where they were made."),
            &["channel"],
        )?;
        let bookings_cancelled = IntCounterVec::new(
            Opts::new("regiohub_bookings_cancelled_total", "Bookings cancelled, by who cancelled them."),
            &["by"],
        )?;
        let bookings_released = IntCounterVec::new(
            Opts::new("regiohub_bookings_released_total", "Bookings ended before their time, by why."),
            &["reason"],
        )?;
        let door_decisions = IntCounterVec::new(
            Opts::new(
                "regiohub_door_decisions_total",
                "Door decisions the bridges reported (each event once), by result and reason.",
            ),
            &["result", "reason"],
        )?;
        let job_runs = IntCounterVec::new(
            Opts::new("regiohub_job_runs_total", "Passes of the periodic jobs, by job and result."),
            &["job", "result"],
        )?;
        for channel in BookingChannel::ALL {
            bookings_created.get_metric_with_label_values(&[channel.as_str()])?;
        }
        for by in CancelledBy::ALL {
            bookings_cancelled.get_metric_with_label_values(&[by.as_str()])?;
        }
        for reason in ReleaseReason::ALL {
            bookings_released.get_metric_with_label_values(&[reason.as_str()])?;
        }
        for decision in every_decision() {
            door_decisions.get_metric_with_label_values(&decision_labels(decision))?;
        }
        for job in Job::ALL {
            for result in ["ok", "error"] {
                job_runs.get_metric_with_label_values(&[job.as_str(), result])?;
            }
        }
        let collectors: [Box<dyn Collector>; 6] = [
            Box::new(http_requests.clone()),
            Box::new(bookings_created.clone()),
            Box::new(bookings_cancelled.clone()),
            Box::new(bookings_released.clone()),
            Box::new(door_decisions.clone()),
            Box::new(job_runs.clone()),
        ];
        for collector in collectors {
            registry.register(collector)?;
        }
        Ok(Metrics {
            registry,
            http_requests,
            bookings_created,
            bookings_cancelled,
            bookings_released,
            door_decisions,
            job_runs,
        })
    }

    /// One answered HTTP request. `route` is the matched route's pattern (`None`: no route
    /// matched); unusual methods share the label `other`.
    pub fn observe_request(&self, method: &str, route: Option<&str>, status: u16, elapsed: Duration) {
        let method = match method {
            "GET" | "HEAD" | "POST" | "PUT" | "PATCH" | "DELETE" | "OPTIONS" => method,
            _ => "other",
        };
        let status = match status / 100 {
            1 => "1xx",
            2 => "2xx",
            3 => "3xx",
            4 => "4xx",
            _ => "5xx",
        };
        let labels = [method, route.unwrap_or(UNMATCHED_ROUTE), status];
        match self.http_requests.get_metric_with_label_values(&labels) {
            Ok(histogram) => histogram.observe(elapsed.as_secs_f64()),
            Err(error) => tracing::warn!(%error, "request not counted"),
        }
    }

    /// A booking was made.
    pub fn booking_created(&self, channel: BookingChannel) {
        inc(&self.bookings_created, &[channel.as_str()]);
    }

    /// `count` bookings were cancelled (one cancelled twice counts once).
    pub fn bookings_cancelled(&self, by: CancelledBy, count: usize) {
        inc_by(&self.bookings_cancelled, &[by.as_str()], count);
    }

    /// `count` bookings were ended before their time.
    pub fn bookings_released(&self, reason: ReleaseReason, count: usize) {
        inc_by(&self.bookings_released, &[reason.as_str()], count);
    }

    /// A door decision a bridge reported, stored for the first time.
    pub fn door_decision(&self, decision: DoorDecision) {
        inc(&self.door_decisions, &decision_labels(decision));
    }

    /// One pass of a periodic job ended.
    pub fn job_run(&self, job: Job, succeeded: bool) {
        inc(&self.job_runs, &[job.as_str(), if succeeded { "ok" } else { "error" }]);
    }

    /// Every metric in the text exposition format: the registry's, then the scrape-time
    /// figures (`stored` is `None` when the database could not be read; its gauges are then
    /// left out and `regiohub_database_up` is 0).
    ///
    /// # Errors
    /// When the encoder refuses a family (it cannot for these definitions).
    pub fn render(&self, pool: PoolUse, stored: Option<&StoredFigures>) -> prometheus::Result<String> {
        let mut families = self.registry.gather();
        families.extend(scrape_time_families(pool, stored)?);
        families.sort_by(|a, b| a.name().cmp(b.name()));
        TextEncoder::new().encode_to_string(&families)
    }
}

fn inc(counter: &IntCounterVec, labels: &[&str]) {
    inc_by(counter, labels, 1);
}

fn inc_by(counter: &IntCounterVec, labels: &[&str], count: usize) {
    match counter.get_metric_with_label_values(labels) {
        Ok(counter) => counter.inc_by(u64::try_from(count).unwrap_or(u64::MAX)),
        Err(error) => tracing::warn!(%error, "event not counted"),
    }
}

/// The gauges read at scrape time, in a registry of their own built for this one scrape: no
/// state is kept between scrapes, so a hub that lost its bridges simply drops out.
fn scrape_time_families(pool: PoolUse, stored: Option<&StoredFigures>) -> prometheus::Result<Vec<MetricFamily>> {
    let scrape = Registry::new();
    let connections = IntGaugeVec::new(
        Opts::new("regiohub_db_pool_connections", "Database connections in the pool now, by state."),
        &["state"],
    )?;
    connections.get_metric_with_label_values(&["idle"])?.set(i64::from(pool.idle));
    connections.get_metric_with_label_values(&["in_use"])?.set(i64::from(pool.open.saturating_sub(pool.idle)));
    scrape.register(Box::new(connections))?;
    let max = prometheus::IntGauge::new("regiohub_db_pool_max_connections", "The most connections the pool opens.")?;
    max.set(i64::from(pool.max));
    scrape.register(Box::new(max))?;
    let database_up = prometheus::IntGauge::new(
        "regiohub_database_up",
        "1 when this scrape could read the database figures, else 0 (and they are left out).",
    )?;
    database_up.set(i64::from(stored.is_some()));
    scrape.register(Box::new(database_up))?;
    if let Some(stored) = stored {
        let pending = prometheus::IntGauge::new(
            "regiohub_outbox_pending_mails",
            "Mails in the outbox neither sent nor given up.",
        )?;
        pending.set(i64::try_from(stored.outbox_pending).unwrap_or(i64::MAX));
        scrape.register(Box::new(pending))?;
        let oldest = prometheus::Gauge::new(
            "regiohub_outbox_oldest_pending_age_seconds",
            "How long the oldest waiting mail has waited; 0 when none waits.",
        )?;
        oldest.set(stored.outbox_oldest_pending_age.as_secs_f64());
        scrape.register(Box::new(oldest))?;
        let last_contact = GaugeVec::new(
            Opts::new(
                "regiohub_bridge_last_contact_timestamp_seconds",
                "When a bridge of the hub last called the bridge API (Unix time).",
            ),
            &["hub"],
        )?;
        for (hub, at) in &stored.bridge_last_contact {
            // Seconds and milliseconds as a float: exact to the millisecond for centuries.
            #[allow(clippy::cast_precision_loss, reason = "Unix milliseconds fit a float's 53 bits")]
            let seconds = at.timestamp_millis() as f64 / 1000.0;
            last_contact.get_metric_with_label_values(&[hub])?.set(seconds);
        }
        scrape.register(Box::new(last_contact))?;
    }
    Ok(scrape.gather())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use chrono::DateTime;

    use super::*;

    #[test]
    fn every_metric_is_registered_and_named_validly() {
        let metrics = Metrics::build().unwrap();
        metrics.observe_request("BREW", None, 418, Duration::from_millis(3));
        metrics.booking_created(BookingChannel::Api);
        let stored = StoredFigures {
            outbox_pending: 2,
            outbox_oldest_pending_age: Duration::from_secs(90),
            bridge_last_contact: vec![("polch".to_owned(), DateTime::from_timestamp(1_800_000_000, 0).unwrap())],
        };
        let text = metrics.render(PoolUse { open: 3, idle: 1, max: 10 }, Some(&stored)).unwrap();
        assert!(text.contains(
            r#"regiohub_http_request_duration_seconds_count{method="other",route="unmatched",status="4xx"} 1"#
        ));
        assert!(text.contains(r#"regiohub_bookings_created_total{channel="api"} 1"#));
        assert!(text.contains(r#"regiohub_bookings_created_total{channel="web"} 0"#));
        assert!(text.contains(r#"regiohub_door_decisions_total{reason="no_booking",result="denied"} 0"#));
        assert!(text.contains(r#"regiohub_db_pool_connections{state="in_use"} 2"#));
        assert!(text.contains("regiohub_outbox_oldest_pending_age_seconds 90"));
        assert!(text.contains(r#"regiohub_bridge_last_contact_timestamp_seconds{hub="polch"} 1800000000"#));
        assert!(text.contains("regiohub_database_up 1"));
    }

    #[test]
    fn two_registries_count_apart() {
        let (first, second) = (Metrics::new(), Metrics::new());
        first.bookings_cancelled(CancelledBy::Member, 1);
        let pool = PoolUse { open: 0, idle: 0, max: 1 };
        assert!(first.render(pool, None).unwrap().contains(r#"regiohub_bookings_cancelled_total{by="member"} 1"#));
        let untouched = second.render(pool, None).unwrap();
        assert!(untouched.contains(r#"regiohub_bookings_cancelled_total{by="member"} 0"#));
        assert!(untouched.contains("regiohub_database_up 0"));
        assert!(!untouched.contains("regiohub_outbox_pending_mails"));
    }
}
