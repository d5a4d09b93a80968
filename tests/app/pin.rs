//! Door PINs: shown once, stored only as the hub-keyed verifier the bridge computes, replaced on
//! request, revoked on cancellation, and never shared by two bookings at a hub whose validity
//! windows (start less the grace period, until the end) overlap.

use regiohub::db::DbError;
use regiohub::db::pins;
use regiohub::db::users::find_user_by_email;
use regiohub::domain::ids::BookingId;
use regiohub::service::UnitOfWork;
use regiohub::service::pin::{self, PinSource};
use regiohub::service::{ErrorCode, ServiceError};
use reqwest::StatusCode;
use serde_json::Value;

use crate::helpers::{Backend, TestApp, code, default_now};
use crate::on_both_backends;

on_both_backends!(
    a_new_pin_replaces_the_old_one_for_the_owner_only,
    cancelling_revokes_the_pin_at_once,
    pending_bookings_get_no_pin,
    overlapping_validity_windows_never_share_a_pin,
);

/// Hands out the PINs it was given, in order.
struct ScriptedPins(Vec<&'static str>);

impl PinSource for ScriptedPins {
    fn next_pin(&mut self) -> Result<String, ServiceError> {
        if self.0.is_empty() {
            return Err(ServiceError::Db(DbError::Task("no more scripted PINs".into())));
        }
        Ok(self.0.remove(0).to_owned())
    }
}

impl TestApp {
    pub async fn new_pin(&self, token: &str, booking_id: &str) -> (StatusCode, Value) {
        let response = self
            .client
            .post(self.url(&format!("/api/v1/bookings/{booking_id}/pin")))
            .bearer_auth(token)
            .send()
            .await
            .unwrap();
        crate::helpers::json_of(response).await
    }

    /// The stored verifier of the booking with this id (as the API shows it).
    pub fn stored_verifier(&self, booking_id: &str) -> Option<String> {
        pins::pin_verifier(&mut self.conn(), &BookingId::new(booking_id)).unwrap()
    }
}

async fn a_new_pin_replaces_the_old_one_for_the_owner_only(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let f = app.fixture();
    let (status, booking) =
        app.book(&f.alice_token, f.desk.id.as_str(), "2026-11-24T10:00:00+01:00", "2026-11-24T12:00:00+01:00").await;
    assert_eq!(status, StatusCode::CREATED);
    let id = booking["id"].as_str().unwrap();
    let old_pin = booking["pin"].as_str().unwrap();
    let key = app.state.context.secret.hub_pin_key(&f.hub.id);
    // The stored verifier is exactly what the door bridge computes for the typed PIN.
    assert_eq!(app.stored_verifier(id).unwrap(), regiohub_hardware::protocol::pin_verifier(&key, old_pin));

    let (status, body) = app.new_pin(&f.bob_token, id).await;
    assert_eq!((status, code(&body)), (StatusCode::NOT_FOUND, "not_found"), "someone else's booking");
    let (status, _) = app.new_pin(&f.alice_token, "no-such-booking").await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    let (status, body) = app.new_pin(&f.alice_token, id).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(body["booking_id"], id);
    let new_pin = body["pin"].as_str().unwrap();
    assert_ne!(new_pin, old_pin);
    let stored = app.stored_verifier(id).unwrap();
    assert_eq!(stored, regiohub_hardware::protocol::pin_verifier(&key, new_pin));
    assert_ne!(stored, regiohub_hardware::protocol::pin_verifier(&key, old_pin), "the old PIN no longer opens");
    let (_, list) = app.get("/api/v1/bookings", &f.alice_token).await;
    assert!(list[0].get("pin").is_none(), "a PIN is never listed again: {list}");
}

async fn cancelling_revokes_the_pin_at_once(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let f = app.fixture();
    let (_, booking) =
        app.book(&f.alice_token, f.desk.id.as_str(), "2026-11-24T10:00:00+01:00", "2026-11-24T12:00:00+01:00").await;
    let id = booking["id"].as_str().unwrap();
    assert!(app.stored_verifier(id).is_some());
    let (status, _) = app.delete(&format!("/api/v1/bookings/{id}"), &f.alice_token).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(app.stored_verifier(id), None, "the verifier is gone with the cancellation");
    let (status, body) = app.new_pin(&f.alice_token, id).await;
    assert_eq!((status, code(&body)), (StatusCode::CONFLICT, "no_pin"));
}

async fn pending_bookings_get_no_pin(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let f = app.fixture();
    let (status, booking) =
        app.book(&f.alice_token, f.room.id.as_str(), "2026-11-24T10:00:00+01:00", "2026-11-24T12:00:00+01:00").await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(booking["status"], "pending");
    assert!(booking.get("pin").is_none(), "{booking}");
    let id = booking["id"].as_str().unwrap();
    assert_eq!(app.stored_verifier(id), None);
    let (status, body) = app.new_pin(&f.alice_token, id).await;
    assert_eq!((status, code(&body)), (StatusCode::CONFLICT, "no_pin"));
    app.send_mail().await;
    let mails: Vec<_> = app.mailbox().iter().map(crate::mail::parse).collect();
    let subjects: Vec<&str> = mails.iter().map(|m| m.subject.as_str()).collect();
    let only_received = subjects.iter().all(|s| s.starts_with("Anfrage eingegangen"));
    assert!(only_received, "no confirmation before approval: {subjects:?}");
    assert!(mails.iter().all(|m| m.calendar.is_none() && !m.text.contains("Ihre Tür-PIN:")), "no PIN before approval");
}

async fn overlapping_validity_windows_never_share_a_pin(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let f = app.fixture();
    let carol_token = app.member(&mut app.conn(), "carol@example.org");
    let dave_token = app.member(&mut app.conn(), "dave@example.org");
    // Alice holds "111111" for 10:00–12:00 (valid from 09:45).
    let (_, alice_booking) =
        app.book(&f.alice_token, f.desk.id.as_str(), "2026-11-24T10:00:00+01:00", "2026-11-24T12:00:00+01:00").await;
    let alice_id = &BookingId::new(alice_booking["id"].as_str().unwrap());
    let alice = find_user_by_email(&mut app.conn(), "alice@example.org").unwrap().unwrap();
    let ctx = &app.state.context;
    let now = default_now();
    let held = pin::renew_own_pin(
        &mut UnitOfWork::new(&mut app.conn()),
        ctx,
        &alice,
        alice_id,
        now,
        &mut ScriptedPins(vec!["111111"]),
    )
    .unwrap();
    assert_eq!(held.as_str(), "111111");

    // Bob books right after her, 12:00–13:00: his PIN is valid from 11:45, while hers still is.
    let (_, bob_booking) =
        app.book(&f.bob_token, f.desk2.id.as_str(), "2026-11-24T12:00:00+01:00", "2026-11-24T13:00:00+01:00").await;
    let bob_id = &BookingId::new(bob_booking["id"].as_str().unwrap());
    let bob = find_user_by_email(&mut app.conn(), "bob@example.org").unwrap().unwrap();
    let drawn = pin::renew_own_pin(
        &mut UnitOfWork::new(&mut app.conn()),
        ctx,
        &bob,
        bob_id,
        now,
        &mut ScriptedPins(vec!["111111", "111111", "222222"]),
    )
    .unwrap();
    assert_eq!(drawn.as_str(), "222222", "the colliding draws are drawn again");
    assert_eq!(app.stored_verifier(bob_id.as_str()).unwrap(), pin::verifier_for(ctx, &f.hub.id, "222222"));
    // And the other way round: Alice's new PIN must not be Bob's, whose window opens before hers ends.
    // Nor her own old one: a new PIN is always a different PIN.
    let redrawn = pin::renew_own_pin(
        &mut UnitOfWork::new(&mut app.conn()),
        ctx,
        &alice,
        alice_id,
        now,
        &mut ScriptedPins(vec!["222222", "111111", "333333"]),
    )
    .unwrap();
    assert_eq!(redrawn.as_str(), "333333");

    // Carol at 12:30–13:30 (valid from 12:15, after Alice's ended) may hold Alice's PIN, not Bob's.
    let (_, carol_booking) =
        app.book(&carol_token, f.desk.id.as_str(), "2026-11-24T12:30:00+01:00", "2026-11-24T13:30:00+01:00").await;
    let carol_id = &BookingId::new(carol_booking["id"].as_str().unwrap());
    let carol = find_user_by_email(&mut app.conn(), "carol@example.org").unwrap().unwrap();
    let drawn = pin::renew_own_pin(
        &mut UnitOfWork::new(&mut app.conn()),
        ctx,
        &carol,
        carol_id,
        now,
        &mut ScriptedPins(vec!["222222", "333333"]),
    )
    .unwrap();
    assert_eq!(drawn.as_str(), "333333", "windows that do not overlap may share a PIN");

    // When every draw collides (Dave's 13:00–14:00 overlaps Carol's window), the call fails
    // cleanly and the old PIN stays.
    let (_, dave_booking) =
        app.book(&dave_token, f.desk2.id.as_str(), "2026-11-24T13:00:00+01:00", "2026-11-24T14:00:00+01:00").await;
    let dave_id = &BookingId::new(dave_booking["id"].as_str().unwrap());
    let dave_verifier = app.stored_verifier(dave_id.as_str()).unwrap();
    let dave = find_user_by_email(&mut app.conn(), "dave@example.org").unwrap().unwrap();
    let error = pin::renew_own_pin(
        &mut UnitOfWork::new(&mut app.conn()),
        ctx,
        &dave,
        dave_id,
        now,
        &mut ScriptedPins(vec!["333333"; 100]),
    )
    .unwrap_err();
    assert!(matches!(error, ServiceError::Conflict { code: ErrorCode::PinUnavailable, .. }), "{error:?}");
    assert_eq!(app.stored_verifier(dave_id.as_str()).unwrap(), dave_verifier, "nothing changed");
}
