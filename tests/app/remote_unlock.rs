//! Remote unlock: the door rule grants only the booker and only inside the booking's window;
//! the command reaches the hub's bridge once, never after its deadline, and counts as opened
//! only after the bridge's acknowledgement.

use std::time::Duration;

use regiohub::db::users::find_user_by_email;
use regiohub::service::ServiceError;
use regiohub::service::remote_unlock::{self, UnlockOutcome};
use regiohub_hardware::protocol::DenyReason;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::bridge_api::event;
use crate::helpers::{Backend, TestApp, utc};
use crate::on_both_backends;

on_both_backends!(
    only_the_booker_inside_the_window_gets_the_door_opened,
    a_command_is_delivered_once_and_opened_only_on_acknowledgement,
    a_command_past_its_deadline_is_never_delivered,
);

impl TestApp {
    fn unlock(&self, email: &str, booking: &str, door: &str) -> Result<UnlockOutcome, ServiceError> {
        let user = find_user_by_email(&mut self.conn(), email).unwrap().unwrap();
        remote_unlock::request(&mut self.conn(), &user, booking, door, self.clock.now())
    }

    fn latest_status(&self, email: &str, booking: &str) -> Option<String> {
        let user = find_user_by_email(&mut self.conn(), email).unwrap().unwrap();
        let doors = remote_unlock::unlockable_doors(&mut self.conn(), &user, booking).unwrap();
        doors[0].latest.as_ref().map(|c| c.status.clone())
    }
}

async fn booked(app: &TestApp, token: &str, space: &str) -> String {
    let (status, booking) = app.book(token, space, "2026-11-23T10:00:00+01:00", "2026-11-23T12:00:00+01:00").await;
    assert_eq!(status, StatusCode::CREATED, "{booking}");
    booking["id"].as_str().unwrap().to_owned()
}

fn denied(outcome: Result<UnlockOutcome, ServiceError>) -> DenyReason {
    match outcome {
        Ok(UnlockOutcome::Denied(reason)) => reason,
        other => panic!("expected a denial, got {other:?}"),
    }
}

async fn only_the_booker_inside_the_window_gets_the_door_opened(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let f = app.fixture();
    let door = app.entrance(&f.hub.id);
    let id = booked(&app, &f.alice_token, &f.desk.id).await;

    assert_eq!(denied(app.unlock("alice@example.org", &id, &door.id)), DenyReason::TooEarly, "07:00, booking at 09:00");
    app.clock.set(utc("2026-11-23T09:10:00Z"));
    assert!(matches!(app.unlock("bob@example.org", &id, &door.id), Err(ServiceError::NotFound)), "not Bob's booking");
    assert!(matches!(app.unlock("alice@example.org", &id, "no-such-door"), Err(ServiceError::NotFound)));
    let Ok(UnlockOutcome::Requested(command)) = app.unlock("alice@example.org", &id, &door.id) else {
        panic!("the booker inside the window gets the door opened");
    };
    assert_eq!(command.status, "requested");
    assert_eq!(command.deadline, crate::helpers::db_time(utc("2026-11-23T09:10:10Z")));
    let log = regiohub::db::access::list_access_events(&mut app.conn(), &f.hub.id).unwrap();
    assert_eq!(
        log.iter().filter(|e| e.kind == "remote_unlock_requested").count(),
        1,
        "the request is in the access log"
    );

    app.clock.set(utc("2026-11-23T11:00:00Z"));
    assert_eq!(denied(app.unlock("alice@example.org", &id, &door.id)), DenyReason::TooLate, "the booking has ended");

    // A cancelled booking opens nothing.
    app.clock.set(utc("2026-11-23T07:00:00Z"));
    let (status, _) = app.delete(&format!("/api/v1/bookings/{id}"), &f.alice_token).await;
    assert!(status.is_success());
    app.clock.set(utc("2026-11-23T09:10:00Z"));
    assert_eq!(denied(app.unlock("alice@example.org", &id, &door.id)), DenyReason::Revoked);
}

async fn a_command_is_delivered_once_and_opened_only_on_acknowledgement(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let f = app.fixture();
    let token = app.bridge_token("testhub");
    let other_token = {
        app.other_hub(&f.hub);
        app.bridge_token("otherhub")
    };
    let door = app.entrance(&f.hub.id);
    let id = booked(&app, &f.alice_token, &f.desk.id).await;
    app.clock.set(utc("2026-11-23T09:10:00Z"));

    // A bridge already waiting gets the command as soon as it is requested.
    let poll = {
        let client = app.client.clone();
        let url = app.url("/api/bridge/v1/commands?wait=30");
        let token = token.clone();
        tokio::spawn(async move { client.get(url).bearer_auth(token).send().await.unwrap() })
    };
    tokio::time::sleep(Duration::from_millis(300)).await;
    let Ok(UnlockOutcome::Requested(command)) = app.unlock("alice@example.org", &id, &door.id) else { panic!() };
    let response = tokio::time::timeout(Duration::from_secs(25), poll).await.unwrap().unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let body: Value = response.json().await.unwrap();
    assert_eq!(
        body,
        json!({"commands": [{
            "id": command.id, "door_id": door.id, "booking_id": id,
            "deadline": "2026-11-23T09:10:10Z", "pulse_ms": 5000
        }]})
    );
    let (_, _, again) = app.bridge_get("/commands", &token).await;
    assert_eq!(again, json!({"commands": []}), "a command is handed out once");
    let (_, _, theirs) = app.bridge_get("/commands", &other_token).await;
    assert_eq!(theirs, json!({"commands": []}));
    assert_eq!(app.latest_status("alice@example.org", &id).as_deref(), Some("delivered"), "not opened yet");

    // Another hub's bridge cannot settle it.
    let result = json!({"type": "remote_unlock_result", "command_id": command.id, "executed": true});
    app.bridge_events(&other_token, json!([event("r0", "2026-11-23T09:10:01Z", &door.id, result.clone(), None)])).await;
    assert_eq!(app.latest_status("alice@example.org", &id).as_deref(), Some("delivered"));

    let (status, _) =
        app.bridge_events(&token, json!([event("r1", "2026-11-23T09:10:01Z", &door.id, result, Some(&id))])).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(app.latest_status("alice@example.org", &id).as_deref(), Some("executed"));
}

async fn a_command_past_its_deadline_is_never_delivered(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let f = app.fixture();
    let token = app.bridge_token("testhub");
    let door = app.entrance(&f.hub.id);
    let id = booked(&app, &f.alice_token, &f.desk.id).await;
    app.clock.set(utc("2026-11-23T09:10:00Z"));
    let Ok(UnlockOutcome::Requested(_)) = app.unlock("alice@example.org", &id, &door.id) else { panic!() };
    app.clock.set(utc("2026-11-23T09:10:10Z"));
    let (status, _, body) = app.bridge_get("/commands", &token).await;
    assert_eq!((status, body), (StatusCode::OK, json!({"commands": []})), "at the deadline it is too late");
    assert_eq!(app.latest_status("alice@example.org", &id).as_deref(), Some("expired"));
    let Ok(UnlockOutcome::Requested(fresh)) = app.unlock("alice@example.org", &id, &door.id) else { panic!() };
    let (_, _, body) = app.bridge_get("/commands", &token).await;
    assert_eq!(body["commands"][0]["id"], fresh.id.as_str(), "a fresh request goes through");
    let failed = json!({"type": "remote_unlock_result", "command_id": fresh.id, "executed": false});
    app.bridge_events(&token, json!([event("r2", "2026-11-23T09:10:12Z", &door.id, failed, Some(&id))])).await;
    assert_eq!(app.latest_status("alice@example.org", &id).as_deref(), Some("failed"));
}
