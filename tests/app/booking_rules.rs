//! Every booking rule answers 422 with its stable code, and a refused request stores nothing.

use reqwest::StatusCode;

use crate::helpers::{Backend, TestApp, code, utc};
use crate::on_both_backends;

on_both_backends!(every_rule_has_its_422_code, limits_per_person_are_enforced, a_blocked_user_cannot_book);

async fn every_rule_has_its_422_code(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let f = app.fixture();
    // now = Monday 2026-11-23 08:00 Berlin
    let cases: Vec<(&str, &str, &str, &str)> = vec![
        ("space_disabled", f.disabled_desk.id.as_str(), "2026-11-24T10:00:00+01:00", "2026-11-24T11:00:00+01:00"),
        ("starts_in_past", f.desk.id.as_str(), "2026-11-22T10:00:00+01:00", "2026-11-22T11:00:00+01:00"),
        ("too_far_ahead", f.desk.id.as_str(), "2026-12-24T10:00:00+01:00", "2026-12-24T11:00:00+01:00"),
        ("slot_granularity", f.desk.id.as_str(), "2026-11-24T10:15:00+01:00", "2026-11-24T11:15:00+01:00"),
        ("too_short", f.desk.id.as_str(), "2026-11-24T10:00:00+01:00", "2026-11-24T10:30:00+01:00"),
        ("too_long", f.desk.id.as_str(), "2026-11-24T10:00:00+01:00", "2026-11-24T14:30:00+01:00"),
        ("outside_opening_hours", f.desk.id.as_str(), "2026-11-24T07:00:00+01:00", "2026-11-24T09:00:00+01:00"),
        ("outside_opening_hours", f.desk.id.as_str(), "2026-11-24T19:00:00+01:00", "2026-11-24T20:30:00+01:00"),
        ("hub_closed", f.desk.id.as_str(), "2026-12-24T10:00:00+01:00", "2026-12-24T11:00:00+01:00"),
        ("whole_days_only", f.equipment.id.as_str(), "2026-11-24T10:00:00+01:00", "2026-11-24T12:00:00+01:00"),
        ("too_long", f.equipment.id.as_str(), "2026-11-24T00:00:00+01:00", "2026-11-27T00:00:00+01:00"),
        ("end_not_after_start", f.desk.id.as_str(), "2026-11-24T11:00:00+01:00", "2026-11-24T10:00:00+01:00"),
        ("invalid_time", f.desk.id.as_str(), "tomorrow at ten", "2026-11-24T10:00:00+01:00"),
        ("nonexistent_local_time", f.desk.id.as_str(), "2027-03-28T02:30", "2027-03-28T09:00"),
    ];
    // The closure check needs the date within reach: move the clock to mid December.
    for (expected, space, start, end) in cases {
        if expected == "hub_closed" {
            app.clock.set(utc("2026-12-20T09:00:00Z"));
        } else if expected == "nonexistent_local_time" {
            app.clock.set(utc("2027-03-20T09:00:00Z"));
        } else {
            app.clock.set(crate::helpers::default_now());
        }
        let (status, body) = app.book(&f.alice_token, space, start, end).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{expected}: {body}");
        assert_eq!(code(&body), expected, "{body}");
        let message = body["error"]["message"].as_str().unwrap();
        assert!(message.len() > 10, "a human sentence: {message}");
    }
    let (_, mine) = app.get("/api/v1/bookings", &f.alice_token).await;
    assert_eq!(mine, serde_json::json!([]), "no refused request stored anything");

    let (status, body) =
        app.book(&f.alice_token, "no-such-space", "2026-11-24T10:00:00+01:00", "2026-11-24T11:00:00+01:00").await;
    assert_eq!((status, code(&body)), (StatusCode::NOT_FOUND, "not_found"));
}

async fn limits_per_person_are_enforced(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let f = app.fixture();
    let (status, _) =
        app.book(&f.alice_token, f.desk.id.as_str(), "2026-11-24T10:00:00+01:00", "2026-11-24T12:00:00+01:00").await;
    assert_eq!(status, StatusCode::CREATED);
    // One booking at a time per person at this hub.
    let (status, body) =
        app.book(&f.alice_token, f.desk2.id.as_str(), "2026-11-24T11:00:00+01:00", "2026-11-24T13:00:00+01:00").await;
    assert_eq!((status, code(&body)), (StatusCode::UNPROCESSABLE_ENTITY, "concurrent_limit"), "{body}");
    // At most three that have not ended.
    for day in ["25", "26"] {
        let (status, _) = app
            .book(
                &f.alice_token,
                f.desk.id.as_str(),
                &format!("2026-11-{day}T10:00:00+01:00"),
                &format!("2026-11-{day}T12:00:00+01:00"),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED);
    }
    let (status, body) =
        app.book(&f.alice_token, f.desk.id.as_str(), "2026-11-27T10:00:00+01:00", "2026-11-27T12:00:00+01:00").await;
    assert_eq!((status, code(&body)), (StatusCode::UNPROCESSABLE_ENTITY, "upcoming_limit"), "{body}");
    // Once one has passed, there is room again.
    app.clock.set(utc("2026-11-24T12:00:00Z"));
    let (status, _) =
        app.book(&f.alice_token, f.desk.id.as_str(), "2026-11-27T10:00:00+01:00", "2026-11-27T12:00:00+01:00").await;
    assert_eq!(status, StatusCode::CREATED);
}

async fn a_blocked_user_cannot_book(backend: Backend) {
    use diesel::prelude::*;
    use regiohub::db::schema::users;
    let app = TestApp::spawn(backend).await;
    let f = app.fixture();
    diesel::update(users::table.filter(users::email.eq("alice@example.org")))
        .set(users::status.eq("blocked"))
        .execute(&mut *app.conn())
        .unwrap();
    let (status, body) =
        app.book(&f.alice_token, f.desk.id.as_str(), "2026-11-24T10:00:00+01:00", "2026-11-24T12:00:00+01:00").await;
    assert_eq!((status, code(&body)), (StatusCode::FORBIDDEN, "account_blocked"));
    // The service refuses too, whoever calls it (a manager booking on someone's behalf).
    let alice = regiohub::db::users::find_user_by_email(&mut app.conn(), "alice@example.org").unwrap().unwrap();
    let request = regiohub::service::booking::NewBookingRequest {
        space_id: f.desk.id.clone(),
        start: regiohub::service::booking::BookingTime::Instant(utc("2026-11-24T09:00:00Z")),
        end: regiohub::service::booking::BookingTime::Instant(utc("2026-11-24T10:00:00Z")),
    };
    let error = regiohub::service::booking::create_booking(
        &mut regiohub::service::UnitOfWork::new(&mut app.conn()),
        &app.state.context,
        &alice,
        &request,
        None,
        crate::helpers::default_now(),
    )
    .unwrap_err();
    assert!(
        matches!(&error, regiohub::service::ServiceError::Rule(rule) if rule.code() == "user_not_active"),
        "{error:?}"
    );
}
