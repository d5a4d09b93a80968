//! `/metrics`: absent without a token, refused with a wrong one, and with the right one the
//! counters move as bookings, cancellations and bridge events happen over HTTP, requests are
//! labelled by route pattern, and the database figures (outbox, bridges) are read at scrape time.
//! `promtool check metrics` accepts the output.

use std::collections::HashMap;
use std::io::Write;
use std::process::{Command, Stdio};

use chrono::Duration;
use regiohub::db::outbox::{self, OutboxRow};
use reqwest::StatusCode;
use serde_json::json;

use crate::bridge_api::event;
use crate::helpers::{Backend, TestApp, db_time, default_now};
use crate::on_both_backends;

const TOKEN: &str = "a-scraper-token-of-decent-length";

on_both_backends!(counters_move_with_what_happens_and_gauges_read_the_database);

impl TestApp {
    /// Scrapes `/metrics` with the scraper's token; every sample by its series.
    async fn scrape(&self) -> (String, HashMap<String, f64>) {
        let response = self.client.get(self.url("/metrics")).bearer_auth(TOKEN).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        let content_type = response.headers()["content-type"].to_str().unwrap().to_owned();
        assert!(content_type.starts_with("text/plain; version=0.0.4"), "{content_type}");
        let text = response.text().await.unwrap();
        (text.clone(), samples(&text))
    }
}

fn samples(text: &str) -> HashMap<String, f64> {
    text.lines()
        .filter(|line| !line.starts_with('#') && !line.is_empty())
        .map(|line| {
            let (series, value) = line.rsplit_once(' ').unwrap();
            (series.to_owned(), value.parse().unwrap())
        })
        .collect()
}

fn value(samples: &HashMap<String, f64>, series: &str) -> f64 {
    samples.get(series).copied().unwrap_or(0.0)
}

#[tokio::test]
async fn metrics_are_not_found_without_a_token_and_refused_with_a_wrong_one() {
    let closed = TestApp::spawn(Backend::Sqlite).await;
    let response = closed.client.get(closed.url("/metrics")).bearer_auth("anything").send().await.unwrap();
    assert_eq!(response.status(), StatusCode::NOT_FOUND);

    let app = TestApp::spawn_with(Backend::Sqlite, |s| s.metrics_token = TOKEN.to_owned()).await;
    for wrong in [None, Some(""), Some("a-scraper-token-of-decent-lengtH"), Some("a-scraper")] {
        let mut request = app.client.get(app.url("/metrics"));
        if let Some(token) = wrong {
            request = request.bearer_auth(token);
        }
        let response = request.send().await.unwrap();
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED, "{wrong:?}");
        let body = response.text().await.unwrap();
        assert!(!body.contains("regiohub_"), "no metric leaks: {body}");
        assert!(!body.contains(TOKEN));
    }
    let (text, _) = app.scrape().await;
    assert!(text.contains("# TYPE regiohub_bookings_created_total counter"));
}

async fn counters_move_with_what_happens_and_gauges_read_the_database(backend: Backend) {
    let app = TestApp::spawn_with(backend, |s| s.metrics_token = TOKEN.to_owned()).await;
    let f = app.fixture();
    let (_, before) = app.scrape().await;

    let (status, booked) =
        app.book(&f.alice_token, f.desk.id.as_str(), "2026-11-24T09:00:00+01:00", "2026-11-24T11:00:00+01:00").await;
    assert_eq!(status, StatusCode::CREATED, "{booked}");
    let booking = booked["id"].as_str().unwrap();
    for _ in 0..2 {
        let (status, _) = app.delete(&format!("/api/v1/bookings/{booking}"), &f.alice_token).await;
        assert_eq!(status, StatusCode::OK);
    }
    let unmatched = app.client.get(app.url("/no/such/page/4711")).send().await.unwrap();
    assert_eq!(unmatched.status(), StatusCode::NOT_FOUND);

    let bridge = app.bridge_token("testhub");
    let door = app.entrance(&f.hub.id);
    let door = door.id.as_str();
    let batch = json!([
        event("m1", "2026-11-23T07:00:01Z", door, json!({"type": "denied", "reason": "no_booking"}), None),
        event("m2", "2026-11-23T07:00:02Z", door, json!({"type": "granted", "cmd_seq": 1}), Some(booking)),
        event("m3", "2026-11-23T07:00:03Z", door, json!({"type": "held_open"}), None),
    ]);
    for _ in 0..2 {
        // The second upload is the bridge resending after a lost answer: nothing counts twice.
        let (status, receipt) = app.bridge_events(&bridge, batch.clone()).await;
        assert_eq!(status, StatusCode::OK, "{receipt}");
    }

    let queued_at = default_now() - Duration::minutes(10);
    let waiting = OutboxRow {
        id: regiohub::db::new_id(),
        recipient: "carol@example.org".into(),
        subject: "Waiting".into(),
        text_body: "text".into(),
        html_body: "<p>html</p>".into(),
        ics: None,
        ics_method: None,
        created_at: db_time(queued_at),
        attempts: 0,
        next_attempt_at: db_time(default_now() + Duration::hours(1)),
        sent_at: None,
        failed_at: None,
        last_error: None,
    };
    outbox::insert(&mut app.conn(), &waiting).unwrap();

    let (text, after) = app.scrape().await;
    let moved = |series: &str| value(&after, series) - value(&before, series);
    assert_eq!(moved(r#"regiohub_bookings_created_total{channel="api"}"#), 1.0, "{text}");
    assert_eq!(moved(r#"regiohub_bookings_cancelled_total{by="member"}"#), 1.0, "a second cancel is no cancellation");
    assert_eq!(moved(r#"regiohub_door_decisions_total{reason="no_booking",result="denied"}"#), 1.0);
    assert_eq!(moved(r#"regiohub_door_decisions_total{reason="booking",result="granted"}"#), 1.0);

    let deletes =
        r#"regiohub_http_request_duration_seconds_count{method="DELETE",route="/api/v1/bookings/{id}",status="2xx"}"#;
    assert_eq!(moved(deletes), 2.0, "{text}");
    let posts = r#"regiohub_http_request_duration_seconds_count{method="POST",route="/api/v1/bookings",status="2xx"}"#;
    assert_eq!(moved(posts), 1.0);
    let lost = r#"regiohub_http_request_duration_seconds_count{method="GET",route="unmatched",status="4xx"}"#;
    assert!(moved(lost) >= 1.0, "{text}");
    assert!(!text.contains(booking) && !text.contains("4711"), "a raw path became a label value");

    assert!(value(&after, "regiohub_outbox_pending_mails") >= 1.0, "{text}");
    assert_eq!(value(&after, "regiohub_outbox_oldest_pending_age_seconds"), 600.0);
    #[allow(clippy::cast_precision_loss)]
    let contact = default_now().timestamp() as f64;
    assert_eq!(value(&after, r#"regiohub_bridge_last_contact_timestamp_seconds{hub="testhub"}"#), contact);
    assert_eq!(value(&after, "regiohub_database_up"), 1.0);
    assert_eq!(value(&after, "regiohub_db_pool_max_connections"), 8.0);
    assert!(after.contains_key(r#"regiohub_db_pool_connections{state="idle"}"#));
}

#[tokio::test]
#[ignore = "needs promtool (Debian prometheus); .ci/run runs it"]
async fn promtool_accepts_the_metrics() {
    let app = TestApp::spawn_with(Backend::Sqlite, |s| s.metrics_token = TOKEN.to_owned()).await;
    let f = app.fixture();
    let (status, _) =
        app.book(&f.alice_token, f.desk.id.as_str(), "2026-11-24T09:00:00+01:00", "2026-11-24T11:00:00+01:00").await;
    assert_eq!(status, StatusCode::CREATED);
    app.bridge_token("testhub");
    let (text, _) = app.scrape().await;
    promtool_check(&text);
}

/// Runs `promtool check metrics` on `text`; fails the test when promtool is missing or objects.
fn promtool_check(text: &str) {
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
}
