//! Days with a DST change in Europe/Berlin: 23 and 25 hours, opening hours at the right
//! instants, non-existent and ambiguous wall-clock times refused with a clear message.

use reqwest::StatusCode;

use crate::helpers::{Backend, TestApp, code, utc};
use crate::on_both_backends;

on_both_backends!(spring_forward_day_has_23_hours, fall_back_day_has_25_hours);

async fn spring_forward_day_has_23_hours(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let f = app.fixture();
    app.clock.set(utc("2027-03-20T09:00:00Z"));
    let (status, day) = app.get("/api/v1/hubs/testhub/availability?date=2027-03-28", &f.alice_token).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(day["day"], serde_json::json!({"start": "2027-03-27T23:00:00Z", "end": "2027-03-28T22:00:00Z"}));
    // 08:00–20:00 local is summer time already: 06:00–18:00 UTC.
    assert_eq!(day["opening"], serde_json::json!([{"start": "2027-03-28T06:00:00Z", "end": "2027-03-28T18:00:00Z"}]));

    // A whole-day booking of that day is one day of 23 hours.
    let (status, booking) = app
        .book(&f.alice_token, f.equipment.id.as_str(), "2027-03-28T00:00:00+01:00", "2027-03-29T00:00:00+02:00")
        .await;
    assert_eq!(status, StatusCode::CREATED, "{booking}");
    assert_eq!(booking["start"], "2027-03-27T23:00:00Z");
    assert_eq!(booking["end"], "2027-03-28T22:00:00Z");

    // 02:30 does not exist that night.
    let (status, body) = app.book(&f.bob_token, f.desk.id.as_str(), "2027-03-28T02:30", "2027-03-28T04:00").await;
    assert_eq!((status, code(&body)), (StatusCode::UNPROCESSABLE_ENTITY, "nonexistent_local_time"));
    let message = body["error"]["message"].as_str().unwrap();
    assert!(message.contains("02:30") && message.contains("does not exist"), "{message}");

    // Local wall-clock times in the API are read in the hub's zone (CEST here).
    let (status, booking) = app.book(&f.bob_token, f.desk.id.as_str(), "2027-03-28T09:00", "2027-03-28T11:00").await;
    assert_eq!(status, StatusCode::CREATED, "{booking}");
    assert_eq!(booking["start"], "2027-03-28T07:00:00Z");
    assert_eq!(booking["start_local"], "2027-03-28T09:00:00+02:00");
}

async fn fall_back_day_has_25_hours(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let f = app.fixture();
    app.clock.set(utc("2026-10-20T09:00:00Z"));
    let (status, day) = app.get("/api/v1/hubs/testhub/availability?date=2026-10-25", &f.alice_token).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(day["day"], serde_json::json!({"start": "2026-10-24T22:00:00Z", "end": "2026-10-25T23:00:00Z"}));
    assert_eq!(day["opening"], serde_json::json!([{"start": "2026-10-25T07:00:00Z", "end": "2026-10-25T19:00:00Z"}]));

    let (status, booking) = app
        .book(&f.alice_token, f.equipment.id.as_str(), "2026-10-25T00:00:00+02:00", "2026-10-26T00:00:00+01:00")
        .await;
    assert_eq!(status, StatusCode::CREATED, "{booking}");
    assert_eq!(booking["start"], "2026-10-24T22:00:00Z");
    assert_eq!(booking["end"], "2026-10-25T23:00:00Z");

    let (status, body) = app.book(&f.bob_token, f.desk.id.as_str(), "2026-10-25T02:30", "2026-10-25T09:00").await;
    assert_eq!((status, code(&body)), (StatusCode::UNPROCESSABLE_ENTITY, "ambiguous_local_time"));

    // The rest of the day books normally, in winter time.
    let (status, booking) = app.book(&f.bob_token, f.desk.id.as_str(), "2026-10-25T18:00", "2026-10-25T20:00").await;
    assert_eq!(status, StatusCode::CREATED, "{booking}");
    assert_eq!(booking["end"], "2026-10-25T19:00:00Z");
}
