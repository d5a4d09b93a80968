//! Remote unlock: the door rule grants only the booker and only inside the booking's window;
//! the command reaches the hub's bridge once, never after its deadline, and counts as opened
//! only after the bridge's acknowledgement.

use std::time::Duration;

use regiohub::db::users::find_user_by_email;
use regiohub::domain::ids::{BookingId, DoorId};
use regiohub::service::remote_unlock::{self, UnlockOutcome};
use regiohub::service::{ServiceError, UnitOfWork};
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
    the_booking_page_opens_the_door_and_shows_only_the_real_outcome,
);

impl TestApp {
    fn unlock(&self, email: &str, booking: &BookingId, door: &DoorId) -> Result<UnlockOutcome, ServiceError> {
        let user = find_user_by_email(&mut self.conn(), email).unwrap().unwrap();
        remote_unlock::request(&mut UnitOfWork::new(&mut self.conn()), &user, booking, door, self.clock.now())
    }

    async fn unlock_announced(
        &self,
        email: &str,
        booking: &BookingId,
        door: &DoorId,
    ) -> Result<UnlockOutcome, ServiceError> {
        let user = find_user_by_email(&mut self.conn(), email).unwrap().unwrap();
        let (booking, door, now) = (booking.clone(), door.clone(), self.clock.now());
        self.state.db(move |tx| remote_unlock::request(tx, &user, &booking, &door, now)).await
    }

    fn latest_status_of_booking(&self, booking: &BookingId) -> Option<String> {
        regiohub::db::access::booking_commands(&mut self.conn(), booking)
            .unwrap()
            .first()
            .map(|c| c.status.as_str().to_owned())
    }

    fn latest_status(&self, email: &str, booking: &BookingId) -> Option<String> {
        let user = find_user_by_email(&mut self.conn(), email).unwrap().unwrap();
        let doors = remote_unlock::unlockable_doors(&mut self.conn(), &user, booking).unwrap();
        doors[0].latest.as_ref().map(|c| c.status.as_str().to_owned())
    }
}

async fn booked(app: &TestApp, token: &str, space: &str) -> BookingId {
    let (status, booking) = app.book(token, space, "2026-11-23T10:00:00+01:00", "2026-11-23T12:00:00+01:00").await;
    assert_eq!(status, StatusCode::CREATED, "{booking}");
    BookingId::new(booking["id"].as_str().unwrap())
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
    let id = booked(&app, &f.alice_token, f.desk.id.as_str()).await;

    assert_eq!(denied(app.unlock("alice@example.org", &id, &door.id)), DenyReason::TooEarly, "07:00, booking at 09:00");
    app.clock.set(utc("2026-11-23T09:10:00Z"));
    assert!(matches!(app.unlock("bob@example.org", &id, &door.id), Err(ServiceError::NotFound)), "not Bob's booking");
    assert!(matches!(app.unlock("alice@example.org", &id, &DoorId::new("no-such-door")), Err(ServiceError::NotFound)));
    let Ok(UnlockOutcome::Requested(command)) = app.unlock("alice@example.org", &id, &door.id) else {
        panic!("the booker inside the window gets the door opened");
    };
    assert_eq!(command.status.as_str(), "requested");
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
    let id = booked(&app, &f.alice_token, f.desk.id.as_str()).await;
    app.clock.set(utc("2026-11-23T09:10:00Z"));

    // A bridge already waiting gets the command as soon as it is requested.
    let poll = {
        let client = app.client.clone();
        let url = app.url("/api/bridge/v1/commands?wait=30");
        let token = token.clone();
        tokio::spawn(async move { client.get(url).bearer_auth(token).send().await.unwrap() })
    };
    tokio::time::sleep(Duration::from_millis(300)).await;
    // Requested as the booking page does, through the service's unit of work, which announces
    // the change to the waiting poll (a write beside it would only be found by the poll's
    // safety re-check, after its wait).
    let Ok(UnlockOutcome::Requested(command)) = app.unlock_announced("alice@example.org", &id, &door.id).await else {
        panic!()
    };
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
    app.bridge_events(
        &other_token,
        json!([event("r0", "2026-11-23T09:10:01Z", door.id.as_str(), result.clone(), None)]),
    )
    .await;
    assert_eq!(app.latest_status("alice@example.org", &id).as_deref(), Some("delivered"));

    let (status, _) = app
        .bridge_events(
            &token,
            json!([event("r1", "2026-11-23T09:10:01Z", door.id.as_str(), result, Some(id.as_str()))]),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(app.latest_status("alice@example.org", &id).as_deref(), Some("executed"));
}

async fn a_command_past_its_deadline_is_never_delivered(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let f = app.fixture();
    let token = app.bridge_token("testhub");
    let door = app.entrance(&f.hub.id);
    let id = booked(&app, &f.alice_token, f.desk.id.as_str()).await;
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
    app.bridge_events(
        &token,
        json!([event("r2", "2026-11-23T09:10:12Z", door.id.as_str(), failed, Some(id.as_str()))]),
    )
    .await;
    assert_eq!(app.latest_status("alice@example.org", &id).as_deref(), Some("failed"));
}

async fn the_booking_page_opens_the_door_and_shows_only_the_real_outcome(backend: Backend) {
    use crate::browser::{csrf_token_in, logged_in_member};

    let app = TestApp::spawn(backend).await;
    let f = app.fixture();
    let token = app.bridge_token("testhub");
    let door = app.entrance(&f.hub.id);
    let (browser, _) = logged_in_member(&app, "door").await;
    let form = browser.get(&format!("/spaces/{}/book?date=2026-11-23&from=08:30", f.desk.id)).await;
    let booked = browser
        .post(
            &format!("/spaces/{}/book", f.desk.id),
            &[("csrf_token", &csrf_token_in(&form.body)), ("date", "2026-11-23"), ("from", "08:30"), ("to", "09:30")],
        )
        .await;
    assert_eq!(booked.status, StatusCode::SEE_OTHER, "{}", booked.body);
    let id = BookingId::new(booked.location.unwrap().trim_start_matches("/bookings/").split('?').next().unwrap());
    let page_url = format!("/bookings/{id}");
    let action = format!("/bookings/{id}/doors/{}/open", door.id);

    let early = browser.get(&page_url).await;
    assert!(!early.body.contains(">Tür öffnen</button>"), "no button before the window opens");

    // Sessions end after 30 idle minutes, so the clock moves in small steps.
    app.clock.set(utc("2026-11-23T07:20:00Z"));
    let page = browser.get(&page_url).await;
    assert!(page.body.contains(">Tür öffnen</button>") && page.body.contains(&action), "{}", page.body);
    assert!(!page.body.contains("http-equiv=\"refresh\""), "nothing pending, no refresh");

    let forged = browser.post(&action, &[("csrf_token", "forged")]).await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    assert!(app.latest_status_of_booking(&id).is_none(), "a forged request opens nothing");

    let pressed = browser.submit(&page_url, &action, &[]).await;
    assert_eq!(pressed.status, StatusCode::SEE_OTHER, "{}", pressed.body);
    let page = browser.get(&page_url).await;
    assert!(page.body.contains("Angefordert"), "{}", page.body);
    assert!(page.body.contains("<meta http-equiv=\"refresh\" content=\"2\">"), "refreshes while pending");

    let (_, _, commands) = app.bridge_get("/commands", &token).await;
    let command_id = commands["commands"][0]["id"].as_str().unwrap().to_owned();
    let page = browser.get(&page_url).await;
    assert!(
        page.body.contains("An die Tür übermittelt") && !page.body.contains("status-door-executed"),
        "not opened before the acknowledgement"
    );

    let result = json!({"type": "remote_unlock_result", "command_id": command_id, "executed": true});
    app.bridge_events(
        &token,
        json!([event("ack", "2026-11-23T07:20:01Z", door.id.as_str(), result, Some(id.as_str()))]),
    )
    .await;
    let page = browser.get(&page_url).await;
    assert!(page.body.contains("status-door-executed\" role=\"status\">Geöffnet"), "{}", page.body);
    assert!(!page.body.contains("http-equiv=\"refresh\""), "no refresh once settled");

    app.clock.set(utc("2026-11-23T07:45:00Z"));
    browser.get(&page_url).await;
    app.clock.set(utc("2026-11-23T08:10:00Z"));
    browser.get(&page_url).await;
    app.clock.set(utc("2026-11-23T08:30:00Z"));
    let late = browser.post(&action, &[("csrf_token", &csrf_token_in(&page.body))]).await;
    assert_eq!(late.location.as_deref(), Some(format!("/bookings/{id}?door=too_late").as_str()));
    let page = browser.get(&format!("/bookings/{id}?door=too_late")).await;
    assert!(page.body.contains("Ihre Buchung ist vorbei"), "{}", page.body);
    assert!(!page.body.contains(">Tür öffnen</button>"));
}
