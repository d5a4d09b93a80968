//! Changing a booking after it was made (issue 10, items 3 and 4): "release now" ends a running
//! booking on the space's grid and frees the rest at once, the door stops letting the PIN in after
//! the new end; moving an upcoming booking keeps its PIN, is refused onto a taken time (the old
//! time stays held), sends exactly one calendar update (same UID, higher SEQUENCE); staff move
//! bookings of their own hub only. Over HTTP, on both backends, with the test clock.

use regiohub::db::booking_changes::{self as change_rows, EndedBooking, MovedBooking};
use regiohub::db::catalog::{self, OpeningHours};
use regiohub::db::{access, audit, lifecycle, users};
use regiohub::domain::ids::{BookingId, HubId};
use regiohub::domain::vocabulary::BookingStatus;
use regiohub::service::UnitOfWork;
use regiohub::service::booking::{self, BookingTime, NewBookingRequest};
use regiohub_hardware::protocol::{AccessRequest, AccessSnapshot, Credential, CredentialKind, pin_verifier};
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::bridge_api::event;
use crate::browser::{Browser, mails_to};
use crate::console::ConsoleFixture;
use crate::helpers::{Backend, TestApp, TestDatabase, code, default_now, utc};
use crate::mail::{ReceivedMail, parse_calendar, value};
use crate::on_both_backends;

on_both_backends!(
    release_now_frees_the_rest_moves_the_door_window_and_updates_the_calendar,
    release_on_the_booking_page_asks_first_and_completes_at_a_step,
    moving_keeps_the_pin_and_sends_one_calendar_update,
    a_move_onto_a_taken_time_is_refused_and_the_old_time_stays_held,
    a_move_into_a_space_that_needs_approval_waits_again,
    someone_elses_running_or_past_booking_cannot_be_changed,
    the_change_form_answers_bad_input_next_to_the_field,
    staff_move_bookings_of_their_own_hub_only,
    ten_members_moving_onto_one_free_slot_at_once_give_one_move,
    a_confirmed_booking_released_on_a_step_is_completed_as_not_attended,
    a_write_decided_on_a_stale_state_changes_nothing,
);

const ALICE: &str = "alice@example.org";
const MEMBER_PASSWORD: &str = "a long test password";

impl TestApp {
    async fn patch(&self, path: &str, token: &str, body: Value) -> (StatusCode, Value) {
        let response = self.client.patch(self.url(path)).bearer_auth(token).json(&body).send().await.unwrap();
        crate::helpers::json_of(response).await
    }

    async fn post_empty(&self, path: &str, token: &str) -> (StatusCode, Value) {
        let response = self.client.post(self.url(path)).bearer_auth(token).send().await.unwrap();
        crate::helpers::json_of(response).await
    }

    /// Whether the door rule, on the hub's current snapshot, lets `pin` in at `at`.
    async fn door_lets_in(&self, bridge_token: &str, hub_id: &HubId, pin: &str, at: &str) -> bool {
        let (_, _, snapshot) = self.bridge_get("/snapshot", bridge_token).await;
        let parsed: AccessSnapshot = serde_json::from_value(snapshot).unwrap();
        let key = self.state.context.secret.hub_pin_key(hub_id);
        let request = AccessRequest {
            door: parsed.doors[0].id.clone(),
            credential: Credential::Verifier(pin_verifier(&key, pin)),
            kind: CredentialKind::Pin,
        };
        let policy = regiohub_hardware::decision::DecisionPolicy::default();
        regiohub_hardware::decision::decide(&parsed, &request, utc(at), true, &policy).is_grant()
    }
}

/// The mails to `email` with their calendar file parsed: (mail, METHOD, event properties).
/// The booker comes in at the hub's entrance at 09:05 Berlin time (08:05 UTC on 2026-11-23): the
/// hub's bridge reports the granted entry, which checks the booking in.
async fn let_in_at_09_05(app: &TestApp, hub_id: &HubId, booking_id: &BookingId) {
    let bridge = app.bridge_token("testhub");
    let door = app.entrance(hub_id);
    let granted = event(
        "g1",
        "2026-11-23T08:05:00Z",
        door.id.as_str(),
        json!({"type": "granted", "cmd_seq": 1}),
        Some(booking_id.as_str()),
    );
    assert_eq!(app.bridge_events(&bridge, json!([granted])).await.0, StatusCode::OK);
}

async fn calendar_mails(app: &TestApp, email: &str) -> Vec<(ReceivedMail, String, Vec<(String, String)>)> {
    mails_to(app, email)
        .await
        .into_iter()
        .filter_map(|mail| {
            let (_, ics) = mail.calendar.clone()?;
            let (calendar, event) = parse_calendar(&ics);
            let method = value(&calendar, "METHOD").to_owned();
            Some((mail, method, event))
        })
        .collect()
}

fn grant_of<'a>(snapshot: &'a Value, booking_id: &str) -> Option<&'a Value> {
    snapshot["grants"].as_array().unwrap().iter().find(|g| g["booking_id"] == booking_id)
}

/// Submits the member's change form for Tuesday 24 November.
async fn change_form(alice: &Browser, form: &str, space: &str, from: &str, to: &str) -> crate::browser::Page {
    let fields = [("space_id", space), ("date", "2026-11-24"), ("from", from), ("to", to)];
    alice.submit(form, form, &fields).await
}

async fn book_ok(app: &TestApp, token: &str, space: &str, start: &str, end: &str) -> Value {
    let (status, body) = app.book(token, space, start, end).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    body
}

async fn release_now_frees_the_rest_moves_the_door_window_and_updates_the_calendar(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let f = app.fixture();
    let bridge = app.bridge_token("testhub");
    // Monday 09:00–12:00 in Berlin; the desk's grid is 30 minutes.
    let booking =
        book_ok(&app, &f.alice_token, f.desk.id.as_str(), "2026-11-23T09:00:00+01:00", "2026-11-23T12:00:00+01:00")
            .await;
    let (id, pin) = (booking["id"].as_str().unwrap().to_owned(), booking["pin"].as_str().unwrap().to_owned());
    let (_, _, snapshot) = app.bridge_get("/snapshot", &bridge).await;
    assert_eq!(grant_of(&snapshot, &id).unwrap()["valid_until"], "2026-11-23T11:00:00Z");
    let version = snapshot["version"].as_u64().unwrap();

    // Not running yet: nothing to release.
    let (status, body) = app.post_empty(&format!("/api/v1/bookings/{id}/release"), &f.alice_token).await;
    assert_eq!((status, code(&body)), (StatusCode::CONFLICT, "not_running"), "{body}");

    // 09:20: released, the end is rounded up to the next step, 09:30.
    app.clock.set(utc("2026-11-23T08:20:00Z"));
    let (status, body) = app.post_empty(&format!("/api/v1/bookings/{id}/release"), &f.alice_token).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["end"], "2026-11-23T08:30:00Z");
    assert_eq!(body["start"], "2026-11-23T08:00:00Z");
    assert_eq!(body["status"], "confirmed", "it runs until 09:30");
    let (status, body) = app.post_empty(&format!("/api/v1/bookings/{id}/release"), &f.alice_token).await;
    assert_eq!((status, code(&body)), (StatusCode::CONFLICT, "nothing_to_release"), "{body}");

    // The rest is free at once: Bob books the freed hour right after.
    let bobs =
        book_ok(&app, &f.bob_token, f.desk.id.as_str(), "2026-11-23T09:30:00+01:00", "2026-11-23T10:30:00+01:00").await;
    assert_eq!(bobs["status"], "confirmed");

    // The door: the snapshot is newer, its grant ends at the new end, and the PIN stops there.
    let (_, _, snapshot) = app.bridge_get("/snapshot", &bridge).await;
    assert!(snapshot["version"].as_u64().unwrap() > version, "the hub's snapshot was bumped");
    assert_eq!(grant_of(&snapshot, &id).unwrap()["valid_until"], "2026-11-23T08:30:00Z");
    assert!(app.door_lets_in(&bridge, &f.hub.id, &pin, "2026-11-23T08:25:00Z").await);
    assert!(!app.door_lets_in(&bridge, &f.hub.id, &pin, "2026-11-23T08:31:00Z").await, "denied after the new end");

    // Exactly one update: the same UID, a higher SEQUENCE, the new DTEND.
    let mails = calendar_mails(&app, ALICE).await;
    assert_eq!(mails.len(), 2, "the confirmation and one update");
    let (_, method, confirmed) = &mails[0];
    assert_eq!(method, "REQUEST");
    let (update, method, event) = &mails[1];
    assert_eq!(method, "REQUEST");
    assert!(update.subject.starts_with("Buchung freigegeben: Desk 1"), "{}", update.subject);
    assert!(update.text.contains("vorzeitig freigegeben"), "{}", update.text);
    assert_eq!(value(event, "UID"), value(confirmed, "UID"));
    let sequence = |e: &[(String, String)]| value(e, "SEQUENCE").parse::<u32>().unwrap();
    assert!(sequence(event) > sequence(confirmed), "{event:?}");
    assert_eq!(value(event, "DTSTART"), "20261123T080000Z");
    assert_eq!(value(event, "DTEND"), "20261123T083000Z");
    assert!(!update.text.contains(&pin), "an update never repeats the PIN");
}

async fn release_on_the_booking_page_asks_first_and_completes_at_a_step(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let f = app.fixture();
    let booking =
        book_ok(&app, &f.alice_token, f.desk.id.as_str(), "2026-11-23T09:00:00+01:00", "2026-11-23T12:00:00+01:00")
            .await;
    let id = BookingId::new(booking["id"].as_str().unwrap());
    let alice = Browser::new(&app);
    assert_eq!(alice.log_in(ALICE, MEMBER_PASSWORD).await.status, StatusCode::SEE_OTHER);
    let page = alice.get(&format!("/bookings/{id}")).await;
    assert!(!page.body.contains(&format!("/bookings/{id}/release")), "not running yet");
    // Alice came in at 09:05 (the door checked her in); a checked-in booking is released too.
    let_in_at_09_05(&app, &f.hub.id, &id).await;
    assert_eq!(app.booking_status(id.as_str()), "checked_in");
    assert!(page.body.contains(&format!("/bookings/{id}/change")), "not started: it may change");

    // 10:00 exactly, a step of the grid: the booking ends now and is completed at once.
    app.clock.set(utc("2026-11-23T09:00:00Z"));
    // Two hours later the session is over; log in again.
    assert_eq!(alice.log_in(ALICE, MEMBER_PASSWORD).await.status, StatusCode::SEE_OTHER);
    let page = alice.get(&format!("/bookings/{id}")).await;
    assert!(page.body.contains(&format!("/bookings/{id}/release")) && page.body.contains("Jetzt freigeben"));
    assert!(!page.body.contains(&format!("/bookings/{id}/change")), "started: moved no more");
    let release = format!("/bookings/{id}/release");
    let page = alice.get(&release).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains("endet um 10:00"), "{}", page.body);
    let page = alice.post(&release, &[("csrf_token", "wrong")]).await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
    let page = alice.submit(&release, &release, &[]).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    assert_eq!(page.location.as_deref(), Some(format!("/bookings/{id}?released=1").as_str()));
    let page = alice.get(&format!("/bookings/{id}?released=1")).await;
    assert!(page.body.contains("Die Buchung ist freigegeben"), "{}", page.body);
    assert!(page.body.contains("Abgeschlossen"), "{}", page.body);
    assert_eq!(app.booking_status(id.as_str()), "completed");
    assert!(!lifecycle::completed_without_check_in(&mut app.conn(), &id).unwrap(), "she came: attended");
    let stored = access::find_booking(&mut app.conn(), &id).unwrap().unwrap();
    assert_eq!(stored.end_at, utc("2026-11-23T09:00:00Z").naive_utc());

    // Released twice: the page says why, nothing changes.
    let page = alice.get(&release).await;
    assert_eq!(page.status, StatusCode::CONFLICT);
    assert!(page.body.contains("gerade läuft"), "{}", page.body);
    // The freed time can be booked by someone else.
    book_ok(&app, &f.bob_token, f.desk.id.as_str(), "2026-11-23T10:00:00+01:00", "2026-11-23T12:00:00+01:00").await;
}

async fn moving_keeps_the_pin_and_sends_one_calendar_update(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let f = app.fixture();
    let bridge = app.bridge_token("testhub");
    let booking =
        book_ok(&app, &f.alice_token, f.desk.id.as_str(), "2026-11-24T10:00:00+01:00", "2026-11-24T12:00:00+01:00")
            .await;
    let (id, pin) = (booking["id"].as_str().unwrap().to_owned(), booking["pin"].as_str().unwrap().to_owned());
    let verifier = app.stored_verifier(&id);
    let (_, _, before) = app.bridge_get("/snapshot", &bridge).await;

    let body =
        json!({"space_id": f.desk2.id, "start": "2026-11-24T14:00:00+01:00", "end": "2026-11-24T16:00:00+01:00"});
    let (status, moved) = app.patch(&format!("/api/v1/bookings/{id}"), &f.alice_token, body).await;
    assert_eq!(status, StatusCode::OK, "{moved}");
    assert_eq!(moved["id"], id.as_str());
    assert_eq!(moved["space_id"], f.desk2.id.as_str());
    assert_eq!(moved["start"], "2026-11-24T13:00:00Z");
    assert_eq!(moved["end"], "2026-11-24T15:00:00Z");
    assert_eq!(moved["status"], "confirmed");
    assert!(moved.get("pin").is_none(), "the PIN stays, so none is handed out: {moved}");
    assert_eq!(app.stored_verifier(&id), verifier, "the verifier stays on the row");

    // The same PIN opens at the new time, on the new grant.
    let (_, _, snapshot) = app.bridge_get("/snapshot", &bridge).await;
    assert!(snapshot["version"].as_u64().unwrap() > before["version"].as_u64().unwrap());
    let grant = grant_of(&snapshot, &id).unwrap();
    assert_eq!(grant["space_id"], f.desk2.id.as_str());
    assert_eq!(grant["valid_until"], "2026-11-24T15:00:00Z");
    assert!(app.door_lets_in(&bridge, &f.hub.id, &pin, "2026-11-24T13:30:00Z").await);
    assert!(!app.door_lets_in(&bridge, &f.hub.id, &pin, "2026-11-24T09:30:00Z").await, "not at the old time");

    // Only the time given: `start` alone moves the booking and keeps its length.
    let (status, moved) =
        app.patch(&format!("/api/v1/bookings/{id}"), &f.alice_token, json!({"start": "2026-11-24T15:00"})).await;
    assert_eq!(status, StatusCode::OK, "{moved}");
    assert_eq!(moved["start"], "2026-11-24T14:00:00Z");
    assert_eq!(moved["end"], "2026-11-24T16:00:00Z");

    // Both calls are documented.
    let (_, openapi) = app.get("/api/v1/openapi.json", "").await;
    assert!(openapi["paths"]["/api/v1/bookings/{id}"]["patch"].is_object(), "{}", openapi["paths"]);
    assert!(openapi["paths"]["/api/v1/bookings/{id}/release"]["post"].is_object(), "{}", openapi["paths"]);

    let mails = calendar_mails(&app, ALICE).await;
    assert_eq!(mails.len(), 3, "the confirmation and one update per move");
    let uid = value(&mails[0].2, "UID").to_owned();
    let (update, method, event) = &mails[1];
    assert_eq!(method, "REQUEST");
    assert!(update.subject.starts_with("Buchung geändert: Desk 2"), "{}", update.subject);
    assert!(update.text.contains("Bisher: Desk 1, Di., 24.11.2026, 10:00–12:00 Uhr"), "{}", update.text);
    assert_eq!(value(event, "UID"), uid);
    assert_eq!(value(event, "SEQUENCE"), "1");
    assert_eq!(value(event, "DTSTART"), "20261124T130000Z");
    assert_eq!(value(event, "DTEND"), "20261124T150000Z");
    assert!(!update.text.contains(&pin));
    assert_eq!(value(&mails[2].2, "UID"), uid);
    assert_eq!(value(&mails[2].2, "SEQUENCE"), "2");
}

async fn a_move_onto_a_taken_time_is_refused_and_the_old_time_stays_held(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let f = app.fixture();
    let alices =
        book_ok(&app, &f.alice_token, f.desk.id.as_str(), "2026-11-24T10:00:00+01:00", "2026-11-24T12:00:00+01:00")
            .await;
    let id = alices["id"].as_str().unwrap().to_owned();
    book_ok(&app, &f.bob_token, f.desk.id.as_str(), "2026-11-24T14:00:00+01:00", "2026-11-24T16:00:00+01:00").await;

    let path = format!("/api/v1/bookings/{id}");
    let taken = json!({"start": "2026-11-24T13:00:00+01:00", "end": "2026-11-24T15:00:00+01:00"});
    let (status, body) = app.patch(&path, &f.alice_token, taken).await;
    assert_eq!((status, code(&body)), (StatusCode::CONFLICT, "slot_taken"), "{body}");
    // Bad values and broken rules name the rule.
    let closed = json!({"start": "2026-11-24T19:00:00+01:00", "end": "2026-11-24T21:00:00+01:00"});
    let (status, body) = app.patch(&path, &f.alice_token, closed).await;
    assert_eq!((status, code(&body)), (StatusCode::UNPROCESSABLE_ENTITY, "outside_opening_hours"), "{body}");
    let (status, body) = app.patch(&path, &f.alice_token, json!({"start": "morgen"})).await;
    assert_eq!((status, code(&body)), (StatusCode::UNPROCESSABLE_ENTITY, "invalid_time"), "{body}");
    let (status, body) = app.patch(&path, &f.alice_token, json!({"space_id": "no-such-space"})).await;
    assert_eq!((status, code(&body)), (StatusCode::UNPROCESSABLE_ENTITY, "space_not_in_hub"), "{body}");
    let reversed = json!({"start": "2026-11-24T12:00:00+01:00", "end": "2026-11-24T11:00:00+01:00"});
    let (status, body) = app.patch(&path, &f.alice_token, reversed).await;
    assert_eq!((status, code(&body)), (StatusCode::UNPROCESSABLE_ENTITY, "end_not_after_start"), "{body}");

    // Nothing changed: the old time is still Alice's, nobody else can take it, no update mail.
    let (_, list) = app.get("/api/v1/bookings", &f.alice_token).await;
    assert_eq!(list[0]["start"], "2026-11-24T09:00:00Z");
    assert_eq!(list[0]["end"], "2026-11-24T11:00:00Z");
    assert_eq!(list[0]["space_id"], f.desk.id.as_str());
    let carol = app.member(&mut app.conn(), "carol@example.org");
    let (status, body) =
        app.book(&carol, f.desk.id.as_str(), "2026-11-24T10:00:00+01:00", "2026-11-24T11:00:00+01:00").await;
    assert_eq!((status, code(&body)), (StatusCode::CONFLICT, "slot_taken"), "{body}");
    assert_eq!(calendar_mails(&app, ALICE).await.len(), 1, "only the confirmation");

    // Moving within its own time (overlapping itself) is fine: the booking does not block itself.
    let shifted = json!({"start": "2026-11-24T11:00:00+01:00", "end": "2026-11-24T13:00:00+01:00"});
    let (status, body) = app.patch(&path, &f.alice_token, shifted).await;
    assert_eq!(status, StatusCode::OK, "{body}");
}

async fn a_move_into_a_space_that_needs_approval_waits_again(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let f = app.fixture();
    let booking =
        book_ok(&app, &f.alice_token, f.desk.id.as_str(), "2026-11-24T10:00:00+01:00", "2026-11-24T12:00:00+01:00")
            .await;
    let id = booking["id"].as_str().unwrap().to_owned();
    let (status, moved) =
        app.patch(&format!("/api/v1/bookings/{id}"), &f.alice_token, json!({"space_id": f.room.id})).await;
    assert_eq!(status, StatusCode::OK, "{moved}");
    assert_eq!(moved["status"], "pending");
    assert_eq!(app.stored_verifier(&id), None, "a request opens no door");
    let mails = calendar_mails(&app, ALICE).await;
    assert_eq!(mails.len(), 2);
    let (update, method, event) = &mails[1];
    assert_eq!(method, "CANCEL", "the entry leaves the calendar until the hub confirms");
    assert_eq!(value(event, "UID"), value(&mails[0].2, "UID"));
    assert!(update.subject.contains("wartet auf Bestätigung"), "{}", update.subject);

    // Back to a desk: confirmed again, with a new PIN in the answer and the confirmation mail.
    let (status, moved) =
        app.patch(&format!("/api/v1/bookings/{id}"), &f.alice_token, json!({"space_id": f.desk.id})).await;
    assert_eq!(status, StatusCode::OK, "{moved}");
    assert_eq!(moved["status"], "confirmed");
    let pin = moved["pin"].as_str().expect("a new PIN").to_owned();
    assert!(app.stored_verifier(&id).is_some());
    let mails = calendar_mails(&app, ALICE).await;
    assert_eq!(mails.len(), 3);
    assert!(mails[2].0.text.contains(&pin));
    assert_eq!(mails[2].1, "REQUEST");
}

async fn someone_elses_running_or_past_booking_cannot_be_changed(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let f = app.fixture();
    let booking =
        book_ok(&app, &f.alice_token, f.desk.id.as_str(), "2026-11-23T09:00:00+01:00", "2026-11-23T10:00:00+01:00")
            .await;
    let id = booking["id"].as_str().unwrap().to_owned();
    let later = json!({"start": "2026-11-23T15:00:00+01:00", "end": "2026-11-23T16:00:00+01:00"});

    let (status, body) = app.patch(&format!("/api/v1/bookings/{id}"), &f.bob_token, later.clone()).await;
    assert_eq!((status, code(&body)), (StatusCode::NOT_FOUND, "not_found"));
    let (status, _) = app.post_empty(&format!("/api/v1/bookings/{id}/release"), &f.bob_token).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let bob = Browser::new(&app);
    assert_eq!(bob.log_in("bob@example.org", MEMBER_PASSWORD).await.status, StatusCode::SEE_OTHER);
    assert_eq!(bob.get(&format!("/bookings/{id}/change")).await.status, StatusCode::NOT_FOUND);
    assert_eq!(bob.get(&format!("/bookings/{id}/release")).await.status, StatusCode::NOT_FOUND);

    // Running: it is released, not moved.
    app.clock.set(utc("2026-11-23T08:15:00Z"));
    let (status, body) = app.patch(&format!("/api/v1/bookings/{id}"), &f.alice_token, later.clone()).await;
    assert_eq!((status, code(&body)), (StatusCode::CONFLICT, "not_changeable"), "{body}");
    // Over: neither.
    app.clock.set(utc("2026-11-23T10:00:00Z"));
    let (status, body) = app.patch(&format!("/api/v1/bookings/{id}"), &f.alice_token, later).await;
    assert_eq!((status, code(&body)), (StatusCode::CONFLICT, "not_changeable"), "{body}");
    let (status, body) = app.post_empty(&format!("/api/v1/bookings/{id}/release"), &f.alice_token).await;
    assert_eq!((status, code(&body)), (StatusCode::CONFLICT, "not_running"), "{body}");
    let (_, list) = app.get("/api/v1/bookings", &f.alice_token).await;
    assert_eq!(list[0]["end"], "2026-11-23T09:00:00Z");
}

async fn the_change_form_answers_bad_input_next_to_the_field(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let f = app.fixture();
    let booking =
        book_ok(&app, &f.alice_token, f.desk.id.as_str(), "2026-11-24T10:00:00+01:00", "2026-11-24T12:00:00+01:00")
            .await;
    let id = booking["id"].as_str().unwrap().to_owned();
    book_ok(&app, &f.bob_token, f.desk.id.as_str(), "2026-11-24T14:00:00+01:00", "2026-11-24T16:00:00+01:00").await;
    let alice = Browser::new(&app);
    assert_eq!(alice.log_in(ALICE, MEMBER_PASSWORD).await.status, StatusCode::SEE_OTHER);
    let form = format!("/bookings/{id}/change");
    let page = alice.get(&form).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    for preset in ["value=\"2026-11-24\"", "value=\"10:00\"", "value=\"12:00\"", "Room (muss bestätigt werden)"] {
        assert!(page.body.contains(preset), "{preset}: {}", page.body);
    }
    let page = change_form(&alice, &form, f.desk.id.as_str(), "kurz", "12:00").await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.body.contains("id=\"from-error\""), "{}", page.body);
    assert!(page.body.contains("value=\"kurz\""), "what was typed stays: {}", page.body);
    let page = change_form(&alice, &form, f.desk.id.as_str(), "19:00", "21:00").await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.body.contains("id=\"from-error\""), "{}", page.body);
    let page = change_form(&alice, &form, f.desk.id.as_str(), "14:00", "16:00").await;
    assert_eq!(page.status, StatusCode::CONFLICT);
    assert!(page.body.contains("behält ihre bisherige Zeit"), "{}", page.body);

    let page = change_form(&alice, &form, f.desk2.id.as_str(), "14:00", "16:00").await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    assert_eq!(page.location.as_deref(), Some(format!("/bookings/{id}?changed=1").as_str()));
    let page = alice.get(&format!("/bookings/{id}?changed=1")).await;
    assert!(page.body.contains("Die Buchung ist geändert") && page.body.contains("Desk 2"), "{}", page.body);
    assert!(page.body.contains("14:00–16:00"), "{}", page.body);
}

async fn staff_move_bookings_of_their_own_hub_only(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let console = ConsoleFixture::new(&app).await;
    let f = &console.fixture;
    let booking =
        book_ok(&app, &f.alice_token, f.desk.id.as_str(), "2026-11-24T10:00:00+01:00", "2026-11-24T12:00:00+01:00")
            .await;
    let id = BookingId::new(booking["id"].as_str().unwrap());
    let list = "/console/hubs/testhub/bookings";
    let form = format!("{list}/{id}/move");
    let page = console.manager.get(list).await;
    assert!(page.body.contains(&form), "{}", page.body);
    let page = console.manager.get(&form).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let fields = [("space_id", f.desk.id.as_str()), ("date", "2026-11-24"), ("from", "09:00"), ("to", "08:00")];
    let page = console.manager.submit(&form, &form, &fields).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.body.contains("id=\"to-error\""), "{}", page.body);
    let fields = [("space_id", f.desk.id.as_str()), ("date", "2026-11-25"), ("from", "15:00"), ("to", "17:00")];
    let page = console.manager.submit(&form, &form, &fields).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    assert_eq!(page.location.as_deref(), Some(format!("{list}?done=moved").as_str()));
    let stored = access::find_booking(&mut app.conn(), &id).unwrap().unwrap();
    assert_eq!(stored.start_at, utc("2026-11-25T14:00:00Z").naive_utc());
    assert_eq!(stored.status, BookingStatus::Confirmed);
    let entries = audit::list_audit(&mut app.conn(), None, 10).unwrap();
    let (entry, _) = entries.iter().find(|(row, _)| row.action == "booking_moved").expect("audited");
    assert!(
        entry.details.contains("2026-11-24 10:00") && entry.details.contains("2026-11-25 15:00"),
        "{}",
        entry.details
    );
    // The person by name: the trail outlives the account, so it keeps no e-mail address.
    assert!(entry.details.starts_with("Test Member: "), "{}", entry.details);
    assert!(!entry.details.contains('@'), "{}", entry.details);
    let mails = calendar_mails(&app, ALICE).await;
    assert_eq!(mails.len(), 2);
    assert!(mails[1].0.text.contains("Der Standort hat Ihre Buchung verschoben"), "{}", mails[1].0.text);

    // A booking of another hub: 404 under either hub's URL, for the manager of this one.
    let hours: Vec<OpeningHours> = (1..=7)
        .map(|weekday| OpeningHours {
            hub_id: console.other_hub.id.clone(),
            weekday,
            opens_minute: 8 * 60,
            closes_minute: 20 * 60,
        })
        .collect();
    catalog::insert_opening_hours(&mut app.conn(), &hours).unwrap();
    let alice = users::find_user_by_email(&mut app.conn(), ALICE).unwrap().unwrap();
    let request = NewBookingRequest {
        space_id: console.other_space.id.clone(),
        start: BookingTime::Instant(utc("2026-11-26T09:00:00Z")),
        end: BookingTime::Instant(utc("2026-11-26T10:00:00Z")),
    };
    let ctx = app.state.context.clone();
    let theirs =
        booking::create_booking(&mut UnitOfWork::new(&mut app.conn()), &ctx, &alice, &request, None, default_now())
            .unwrap()
            .view
            .booking
            .id;
    let fields =
        [("space_id", console.other_space.id.as_str()), ("date", "2026-11-26"), ("from", "12:00"), ("to", "13:00")];
    for path in [format!("/console/hubs/otherhub/bookings/{theirs}/move"), format!("{list}/{theirs}/move")] {
        assert_eq!(console.manager.get(&path).await.status, StatusCode::NOT_FOUND, "{path}");
        let page = console.manager.submit(list, &path, &fields).await;
        assert_eq!(page.status, StatusCode::NOT_FOUND, "{path}");
    }
    let stored = access::find_booking(&mut app.conn(), &theirs).unwrap().unwrap();
    assert_eq!(stored.start_at, utc("2026-11-26T09:00:00Z").naive_utc(), "unchanged");
    // The admin may move it under its own hub's URL.
    let path = format!("/console/hubs/otherhub/bookings/{theirs}/move");
    let page = console.admin.submit(&path, &path, &fields).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
}

async fn ten_members_moving_onto_one_free_slot_at_once_give_one_move(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let f = app.fixture();
    let mut movers = Vec::new();
    for n in 0..10 {
        let token = app.member(&mut app.conn(), &format!("mover{n}@example.org"));
        let (start, end) =
            (format!("2026-11-24T{:02}:00:00+01:00", 8 + n), format!("2026-11-24T{:02}:00:00+01:00", 9 + n));
        let booking = book_ok(&app, &token, f.desk2.id.as_str(), &start, &end).await;
        movers.push((token, booking["id"].as_str().unwrap().to_owned(), booking["start"].clone()));
    }
    let target =
        json!({"space_id": f.desk.id, "start": "2026-11-24T10:00:00+01:00", "end": "2026-11-24T12:00:00+01:00"});
    let paths: Vec<String> = movers.iter().map(|(_, id, _)| format!("/api/v1/bookings/{id}")).collect();
    let attempts = movers.iter().zip(&paths).map(|((token, _, _), path)| app.patch(path, token, target.clone()));
    let results = futures::future::join_all(attempts).await;
    let moved = results.iter().filter(|(s, _)| *s == StatusCode::OK).count();
    let refused = results.iter().filter(|(s, b)| *s == StatusCode::CONFLICT && code(b) == "slot_taken").count();
    assert_eq!(
        (moved, refused),
        (1, 9),
        "{:?}",
        results.iter().map(|(s, b)| (s.as_u16(), code(b).to_owned())).collect::<Vec<_>>()
    );
    // Every refused member keeps their old time.
    for ((token, id, start), (status, _)) in movers.iter().zip(&results) {
        let (_, list) = app.get("/api/v1/bookings", token).await;
        let mine = &list[0];
        assert_eq!(mine["id"], id.as_str());
        if *status == StatusCode::OK {
            assert_eq!(mine["space_id"], f.desk.id.as_str());
        } else {
            assert_eq!((&mine["space_id"], &mine["start"]), (&json!(f.desk2.id), start));
        }
    }
}

async fn a_confirmed_booking_released_on_a_step_is_completed_as_not_attended(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let f = app.fixture();
    let booking =
        book_ok(&app, &f.alice_token, f.desk.id.as_str(), "2026-11-23T09:00:00+01:00", "2026-11-23T12:00:00+01:00")
            .await;
    let id = BookingId::new(booking["id"].as_str().unwrap());
    // 10:00 exactly, a step of the grid, and nobody checked in.
    app.clock.set(utc("2026-11-23T09:00:00Z"));
    let (status, body) = app.post_empty(&format!("/api/v1/bookings/{id}/release"), &f.alice_token).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!((&body["status"], &body["end"]), (&json!("completed"), &json!("2026-11-23T09:00:00Z")));
    assert_eq!(app.booking_status(id.as_str()), "completed");
    assert!(lifecycle::completed_without_check_in(&mut app.conn(), &id).unwrap(), "never counted as attended");
}

/// The conditional writes themselves: a move or an early end decided on a state the row no
/// longer has (here: checked in by the door meanwhile) writes nothing.
async fn a_write_decided_on_a_stale_state_changes_nothing(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let f = app.fixture();
    let booking =
        book_ok(&app, &f.alice_token, f.desk.id.as_str(), "2026-11-23T09:00:00+01:00", "2026-11-23T12:00:00+01:00")
            .await;
    let id = BookingId::new(booking["id"].as_str().unwrap());
    let seen = access::find_booking(&mut app.conn(), &id).unwrap().unwrap();
    assert_eq!(seen.status, BookingStatus::Confirmed);
    let_in_at_09_05(&app, &f.hub.id, &id).await;
    assert_eq!(app.booking_status(id.as_str()), "checked_in");

    let at = utc("2026-11-23T08:20:00Z").naive_utc();
    let ended = EndedBooking {
        end_at: utc("2026-11-23T08:30:00Z").naive_utc(),
        status: "confirmed",
        completed_without_check_in: false,
    };
    assert!(!change_rows::end_booking_at(&mut app.conn(), &seen, ended, at).unwrap());
    let to = MovedBooking {
        space_id: &f.desk2.id,
        start_at: utc("2026-11-23T13:00:00Z").naive_utc(),
        end_at: utc("2026-11-23T14:00:00Z").naive_utc(),
        status: "confirmed",
    };
    assert!(!change_rows::move_booking(&mut app.conn(), &seen, to, at).unwrap());
    let stored = access::find_booking(&mut app.conn(), &id).unwrap().unwrap();
    assert_eq!(
        (stored.status.as_str(), &stored.space_id, stored.start_at, stored.end_at),
        ("checked_in", &seen.space_id, seen.start_at, seen.end_at),
        "the check-in is not undone"
    );
    // Decided on the state it has now, the same write goes through.
    let ended = EndedBooking { status: "checked_in", ..ended };
    assert!(change_rows::end_booking_at(&mut app.conn(), &stored, ended, at).unwrap());
    assert_eq!(access::find_booking(&mut app.conn(), &id).unwrap().unwrap().end_at, ended.end_at);
}

/// PostgreSQL, two transactions interleaved for real: the door's check-in holds the booking's row
/// while a release has already read it as confirmed; the release waits, then finds the row changed
/// and refuses as a whole instead of writing the stale status back.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(not(regiohub_pg_tests), ignore = "PostgreSQL: set TEST_DATABASE_URL (.ci/run does)")]
async fn a_check_in_landing_during_a_release_is_not_undone() {
    use diesel::sql_types::{BigInt, Text};
    use diesel::{Connection, RunQueryDsl};

    #[derive(diesel::QueryableByName)]
    struct Waiting {
        #[diesel(sql_type = BigInt)]
        n: i64,
    }

    let app = TestApp::spawn(Backend::Postgres).await;
    let f = app.fixture();
    let booking =
        book_ok(&app, &f.alice_token, f.desk.id.as_str(), "2026-11-23T09:00:00+01:00", "2026-11-23T12:00:00+01:00")
            .await;
    let id = BookingId::new(booking["id"].as_str().unwrap());
    app.clock.set(utc("2026-11-23T08:20:00Z"));

    let TestDatabase::Postgres { url, .. } = &app.database else { unreachable!() };
    let mut door = diesel::PgConnection::establish(url).unwrap();
    diesel::sql_query("BEGIN").execute(&mut door).unwrap();
    diesel::sql_query("UPDATE bookings SET status = 'checked_in' WHERE id = $1")
        .bind::<Text, _>(id.as_str())
        .execute(&mut door)
        .unwrap();

    let request = app.client.post(app.url(&format!("/api/v1/bookings/{id}/release"))).bearer_auth(&f.alice_token);
    let release = tokio::spawn(request.send());
    // Wait until the release is blocked on the booking's row, i.e. has read it as confirmed.
    let mut watcher = diesel::PgConnection::establish(url).unwrap();
    let waiting_sql = "SELECT count(*) AS n FROM pg_stat_activity \
                       WHERE datname = current_database() AND wait_event_type = 'Lock'";
    let mut tries = 0;
    while diesel::sql_query(waiting_sql).get_result::<Waiting>(&mut watcher).unwrap().n == 0 {
        tries += 1;
        assert!(tries < 500, "the release never reached the booking's row");
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    diesel::sql_query("COMMIT").execute(&mut door).unwrap();

    let (status, body) = crate::helpers::json_of(release.await.unwrap().unwrap()).await;
    assert_eq!((status, code(&body)), (StatusCode::CONFLICT, "booking_changed_meanwhile"), "{body}");
    let stored = access::find_booking(&mut app.conn(), &id).unwrap().unwrap();
    assert_eq!(stored.status, BookingStatus::CheckedIn, "the check-in stays");
    assert_eq!(stored.end_at, utc("2026-11-23T11:00:00Z").naive_utc(), "nothing of the release was written");
    assert_eq!(calendar_mails(&app, ALICE).await.len(), 1, "no update mail for a release that did not happen");

    // Tried again, it is released and stays checked in until the new end.
    let (status, body) = app.post_empty(&format!("/api/v1/bookings/{id}/release"), &f.alice_token).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!((&body["status"], &body["end"]), (&json!("checked_in"), &json!("2026-11-23T08:30:00Z")));
}
