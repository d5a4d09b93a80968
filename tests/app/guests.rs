//! Guests with their own door access (issue 16), driven over HTTP like a browser: the invitation
//! mail in the guest's language holds a PIN whose verifier the bridge's snapshot carries as a
//! grant of the booking (entrance and the room, the booking's window) and which the door rule
//! lets in; withdrawing drops the grant and mails the guest; the room's seats, desks, the hub's
//! switch and bad input refuse with nothing written; a cancelled booking's guests lose their
//! PIN and are told; nobody but the member sees the guest's address, and no guest gets an
//! account.

use diesel::prelude::*;
use regiohub::db::catalog::{self, Door};
use regiohub::db::guests as guest_rows;
use regiohub::db::schema::spaces;
use regiohub::db::users::find_user_by_email;
use regiohub::domain::ids::{BookingId, DoorId, HubId};
use regiohub_hardware::protocol::{AccessRequest, AccessSnapshot, Credential, CredentialKind, pin_verifier};
use reqwest::StatusCode;
use serde_json::Value;

use crate::browser::{Browser, csrf_token_in, logged_in_member, mails_to, unique_email};
use crate::helpers::{Backend, Fixture, TestApp, db_time, default_now, utc};
use crate::mail::ReceivedMail;
use crate::on_both_backends;

on_both_backends!(
    a_guest_gets_their_own_pin_for_the_entrance_and_the_room,
    withdrawing_drops_the_grant_at_once_and_tells_the_guest,
    the_room_takes_capacity_less_one_guests_and_bad_input_writes_nothing,
    desks_and_rooms_with_guests_off_take_no_guests,
    a_cancelled_bookings_guests_lose_their_pin_and_are_told,
    the_console_turns_guests_off_for_a_room,
    the_demo_shows_a_guest_invited_at_polch,
    the_access_log_says_member_or_guest_and_never_the_guests_address,
    a_booking_moved_to_a_desk_takes_no_guests_along,
    a_moved_booking_ends_its_invitations_and_tells_the_guests,
    deleting_the_account_deletes_the_guests_it_invited,
    the_export_lists_invitations_and_retention_deletes_them_after_the_access_log,
);

/// The room and a desk with doors of their own beside the entrance.
struct Site {
    f: Fixture,
    room_door: DoorId,
    desk_door: DoorId,
    entrance: DoorId,
}

/// The fixture's room with three seats and no approval step, and a door each for the room
/// and the desk.
fn site(app: &TestApp) -> Site {
    let f = app.fixture();
    let entrance = app.entrance(&f.hub.id).id;
    let mut conn = app.conn();
    diesel::update(spaces::table.find(&f.room.id))
        .set((spaces::capacity.eq(3), spaces::approval_required.eq(false)))
        .execute(&mut *conn)
        .unwrap();
    let door = |name: &str| Door {
        id: DoorId::from(regiohub::db::new_id()),
        hub_id: f.hub.id.clone(),
        name: name.into(),
        is_entrance: false,
        created_at: db_time(default_now()),
        bridge_id: None,
        modbus_unit_id: None,
    };
    let (room_door, desk_door) = (door("Raumtür"), door("Arbeitsplatztür"));
    catalog::insert_door(&mut conn, &room_door, std::slice::from_ref(&f.room.id)).unwrap();
    catalog::insert_door(&mut conn, &desk_door, std::slice::from_ref(&f.desk.id)).unwrap();
    Site { f, room_door: room_door.id, desk_door: desk_door.id, entrance }
}

/// Books `space_id` today 10:00–12:00 Berlin (09:00–11:00 UTC) through the page; the booking's id.
async fn book(browser: &Browser, space_id: &str) -> String {
    let form = browser.get(&format!("/spaces/{space_id}/book?date=2026-11-23&from=10:00")).await;
    assert_eq!(form.status, StatusCode::OK, "{}", form.body);
    let token = csrf_token_in(&form.body);
    let booked = browser
        .post(
            &format!("/spaces/{space_id}/book"),
            &[("csrf_token", &token), ("date", "2026-11-23"), ("from", "10:00"), ("to", "12:00")],
        )
        .await;
    assert_eq!(booked.status, StatusCode::SEE_OTHER, "{}", booked.body);
    let location = booked.location.unwrap();
    location.trim_start_matches("/bookings/").split('?').next().unwrap().to_owned()
}

/// Posts the invitation form of the booking's guests page.
async fn invite(browser: &Browser, booking: &str, name: &str, email: &str, language: &str) -> crate::browser::Page {
    let path = format!("/bookings/{booking}/guests");
    browser.submit(&path, &path, &[("name", name), ("email", email), ("language", language)]).await
}

/// A member ("host") with today's booking of the room and one guest invited to it: the
/// browser, the booking's id and the guest's address.
async fn host_with_a_guest(app: &TestApp, s: &Site, name: &str, language: &str) -> (Browser, String, String) {
    let (browser, _) = logged_in_member(app, "host").await;
    let booking = book(&browser, s.f.room.id.as_str()).await;
    let guest = unique_email("guest");
    assert_eq!(invite(&browser, &booking, name, &guest, language).await.status, StatusCode::SEE_OTHER);
    (browser, booking, guest)
}

/// The PIN in a guest's invitation mail: the digits after the PIN label.
fn pin_in(mail: &ReceivedMail, label: &str) -> String {
    let start = mail.text.find(label).unwrap_or_else(|| panic!("no PIN label in {}", mail.text)) + label.len();
    let pin: String = mail.text[start..].trim_start_matches([':', ' ']).chars().take(6).collect();
    assert!(pin.len() == 6 && pin.chars().all(|c| c.is_ascii_digit()), "{pin:?} in {}", mail.text);
    pin
}

impl TestApp {
    async fn snapshot(&self, bridge_token: &str) -> Value {
        let (status, _, snapshot) = self.bridge_get("/snapshot", bridge_token).await;
        assert_eq!(status, StatusCode::OK);
        snapshot
    }

    /// The snapshot's grants holding the verifier of `pin`.
    async fn grants_of_pin(&self, bridge_token: &str, hub_id: &HubId, pin: &str) -> Vec<Value> {
        let verifier = pin_verifier(&self.state.context.secret.hub_pin_key(hub_id), pin);
        let snapshot = self.snapshot(bridge_token).await;
        snapshot["grants"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|g| g["credential_verifier"] == verifier.as_str())
            .cloned()
            .collect()
    }

    /// Whether the door rule, on the hub's current snapshot, opens `door` for `pin` at `at`.
    async fn opens(&self, bridge_token: &str, hub_id: &HubId, door: &DoorId, pin: &str, at: &str) -> bool {
        let parsed: AccessSnapshot = serde_json::from_value(self.snapshot(bridge_token).await).unwrap();
        let key = self.state.context.secret.hub_pin_key(hub_id);
        let request = AccessRequest {
            door: door.clone(),
            credential: Credential::Verifier(pin_verifier(&key, pin)),
            kind: CredentialKind::Pin,
        };
        let policy = regiohub_hardware::decision::DecisionPolicy::default();
        regiohub_hardware::decision::decide(&parsed, &request, utc(at), true, &policy).is_grant()
    }

    fn guest_rows(&self, booking: &str) -> Vec<guest_rows::Guest> {
        guest_rows::booking_guests(&mut self.conn(), &BookingId::new(booking)).unwrap()
    }
}

async fn a_guest_gets_their_own_pin_for_the_entrance_and_the_room(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let s = site(&app);
    let hub = s.f.hub.id.clone();
    let bridge = app.bridge_token("testhub");
    let (browser, member_email) = logged_in_member(&app, "host").await;
    let booking = book(&browser, s.f.room.id.as_str()).await;

    let page = browser.get(&format!("/bookings/{booking}")).await;
    assert!(page.body.contains(&format!("href=\"/bookings/{booking}/guests\"")), "the room's page links its guests");
    let guests_page = browser.get(&format!("/bookings/{booking}/guests")).await;
    assert_eq!(guests_page.status, StatusCode::OK);
    assert!(guests_page.body.contains("einen für Sie und bis zu 2 für Gäste"), "{}", guests_page.body);

    let guest = unique_email("guest");
    let answer = invite(&browser, &booking, "Gustav Gast", &guest, "en").await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER, "{}", answer.body);
    assert_eq!(answer.location.as_deref(), Some(format!("/bookings/{booking}/guests?invited=1").as_str()));

    // The mail is in the language chosen for the guest and holds the PIN, the time and the place.
    let mails = mails_to(&app, &guest).await;
    assert_eq!(mails.len(), 1);
    let mail = &mails[0];
    assert!(mail.subject.starts_with("Invitation: Room"), "{}", mail.subject);
    assert!(mail.text.contains("Erika Mustermann has invited you"), "{}", mail.text);
    assert!(mail.text.contains("Hauptstraße 1") && mail.text.contains("10:00"), "{}", mail.text);
    assert!(mail.html.contains("lang=\"en\""));
    assert!(!mail.text.contains(&format!("/bookings/{booking}")), "a guest has no booking page");
    let pin = pin_in(mail, "Your door PIN");
    assert!(mail.html.contains(&pin));

    // Only the verifier is stored, and it differs from the member's own.
    let stored = app.guest_rows(&booking);
    assert_eq!(stored.len(), 1);
    let key = app.state.context.secret.hub_pin_key(&hub);
    assert_eq!(stored[0].pin_verifier, pin_verifier(&key, &pin));
    assert_ne!(Some(stored[0].pin_verifier.clone()), app.stored_verifier(&booking));
    assert!(find_user_by_email(&mut app.conn(), &guest).unwrap().is_none(), "a guest never gets an account");

    // The bridge's snapshot grants the guest's PIN under the booking, for its window and room.
    let grants = app.grants_of_pin(&bridge, &hub, &pin).await;
    assert_eq!(grants.len(), 1, "{grants:?}");
    assert_eq!(grants[0]["booking_id"], booking.as_str());
    assert_eq!(grants[0]["space_id"], s.f.room.id.as_str());
    assert_eq!(grants[0]["valid_from"], "2026-11-23T09:00:00Z");
    assert_eq!(grants[0]["valid_until"], "2026-11-23T11:00:00Z");
    assert_eq!(grants[0]["status"], "confirmed");
    assert!(app.opens(&bridge, &hub, &s.room_door, &pin, "2026-11-23T09:30:00Z").await, "the room's door");
    assert!(app.opens(&bridge, &hub, &s.entrance, &pin, "2026-11-23T09:30:00Z").await, "the entrance");
    assert!(!app.opens(&bridge, &hub, &s.desk_door, &pin, "2026-11-23T09:30:00Z").await, "not another space's door");
    assert!(!app.opens(&bridge, &hub, &s.room_door, &pin, "2026-11-23T11:00:00Z").await, "not after the end");
    assert!(!app.opens(&bridge, &hub, &s.room_door, "999999", "2026-11-23T09:30:00Z").await);

    // The member sees the guest with the address; another member sees nothing of it.
    let listed = browser.get(&format!("/bookings/{booking}/guests")).await;
    assert!(listed.body.contains("Gustav Gast") && listed.body.contains(&guest), "{}", listed.body);
    let guest_id = stored[0].id.clone();
    let (other, _) = logged_in_member(&app, "other").await;
    for path in [format!("/bookings/{booking}/guests"), format!("/bookings/{booking}")] {
        let seen = other.get(&path).await;
        assert_eq!(seen.status, StatusCode::NOT_FOUND, "{path}");
        assert!(!seen.body.contains(&guest));
    }
    let own = other.get("/bookings").await;
    let token = csrf_token_in(&other.get("/account").await.body);
    assert!(!own.body.contains(&guest));
    let refused = other
        .post(
            &format!("/bookings/{booking}/guests"),
            &[("csrf_token", &token), ("name", "X"), ("email", "x@example.org"), ("language", "de")],
        )
        .await;
    assert_eq!(refused.status, StatusCode::NOT_FOUND);
    let refused =
        other.post(&format!("/bookings/{booking}/guests/{guest_id}/withdraw"), &[("csrf_token", &token)]).await;
    assert_eq!(refused.status, StatusCode::NOT_FOUND);

    // Without the CSRF token nothing happens.
    let forged = browser
        .post(&format!("/bookings/{booking}/guests"), &[("name", "Y"), ("email", "y@example.org"), ("language", "de")])
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    let forged = browser.post(&format!("/bookings/{booking}/guests/{guest_id}/withdraw"), &[]).await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    let stored = app.guest_rows(&booking);
    assert_eq!(stored.len(), 1);
    assert!(stored[0].withdrawn_at.is_none());
    assert!(
        mails_to(&app, &member_email).await.iter().all(|m| !m.text.contains(&pin)),
        "the PIN goes to the guest only"
    );
}

async fn withdrawing_drops_the_grant_at_once_and_tells_the_guest(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let s = site(&app);
    let hub = s.f.hub.id.clone();
    let bridge = app.bridge_token("testhub");
    let (browser, booking, guest) = host_with_a_guest(&app, &s, "Greta Gast", "de").await;
    let mails = mails_to(&app, &guest).await;
    assert!(mails[0].subject.starts_with("Einladung: Room"), "{}", mails[0].subject);
    let pin = pin_in(&mails[0], "Ihre Tür-PIN");
    let (_, _, before) = app.bridge_get("/snapshot", &bridge).await;
    assert_eq!(app.grants_of_pin(&bridge, &hub, &pin).await.len(), 1);

    let guest_id = app.guest_rows(&booking)[0].id.clone();
    let path = format!("/bookings/{booking}/guests");
    let withdrawn = browser.submit(&path, &format!("{path}/{guest_id}/withdraw"), &[]).await;
    assert_eq!(withdrawn.status, StatusCode::SEE_OTHER, "{}", withdrawn.body);

    let (_, _, after) = app.bridge_get("/snapshot", &bridge).await;
    assert!(after["version"].as_u64().unwrap() > before["version"].as_u64().unwrap(), "a new snapshot");
    assert!(app.grants_of_pin(&bridge, &hub, &pin).await.is_empty(), "the guest's grant is gone");
    assert!(!app.opens(&bridge, &hub, &s.room_door, &pin, "2026-11-23T09:30:00Z").await);
    let mails = mails_to(&app, &guest).await;
    assert_eq!(mails.len(), 2);
    assert!(mails[1].subject.starts_with("Einladung zurückgezogen: Room"), "{}", mails[1].subject);
    assert!(!mails[1].text.contains(&pin));
    let listed = browser.get(&path).await;
    assert!(listed.body.contains("Zurückgezogen"), "{}", listed.body);
    assert!(!listed.body.contains(&format!("{guest_id}/withdraw")), "nothing left to withdraw");

    // The member's own PIN still opens the room.
    let grants = app.snapshot(&bridge).await["grants"].as_array().unwrap().len();
    assert_eq!(grants, 1, "the booking's own grant stays");
    // Withdrawing again is harmless and mails nobody.
    let token = csrf_token_in(&listed.body);
    let again = browser.post(&format!("{path}/{guest_id}/withdraw"), &[("csrf_token", &token)]).await;
    assert_eq!(again.status, StatusCode::SEE_OTHER);
    assert_eq!(mails_to(&app, &guest).await.len(), 2);
}

async fn the_room_takes_capacity_less_one_guests_and_bad_input_writes_nothing(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let s = site(&app);
    let (browser, own_email) = logged_in_member(&app, "host").await;
    let booking = book(&browser, s.f.room.id.as_str()).await;

    // Bad input: the form again with the message next to its field, nothing written.
    let bad = invite(&browser, &booking, "", "not-an-address", "fr").await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("id=\"name-error\"") && bad.body.contains("Bitte geben Sie den Namen des Gasts ein."));
    assert!(bad.body.contains("id=\"email-error\"") && bad.body.contains("value=\"not-an-address\""), "{}", bad.body);
    assert!(bad.body.contains("id=\"language-error\""));
    let own = invite(&browser, &booking, "Ich", &own_email, "de").await;
    assert_eq!(own.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(own.body.contains("Das ist Ihre eigene Adresse."));
    assert!(app.guest_rows(&booking).is_empty());

    let first = unique_email("first");
    assert_eq!(invite(&browser, &booking, "Erster Gast", &first, "de").await.status, StatusCode::SEE_OTHER);
    let twice = invite(&browser, &booking, "Erster Gast", &first.to_uppercase(), "de").await;
    assert_eq!(twice.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(twice.body.contains("Diese Adresse ist zu dieser Buchung schon eingeladen."), "{}", twice.body);
    assert_eq!(
        invite(&browser, &booking, "Zweiter Gast", &unique_email("second"), "en").await.status,
        StatusCode::SEE_OTHER
    );

    // Three seats: the member's and two guests'. The page says so and offers no form any more.
    let page = browser.get(&format!("/bookings/{booking}/guests")).await;
    assert!(page.body.contains("Alle Plätze des Raums sind vergeben"), "{}", page.body);
    assert!(!page.body.contains("name=\"email\""));
    let third = unique_email("third");
    let token = csrf_token_in(&page.body);
    let full = browser
        .post(
            &format!("/bookings/{booking}/guests"),
            &[("csrf_token", &token), ("name", "Dritter Gast"), ("email", &third), ("language", "de")],
        )
        .await;
    assert_eq!(full.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(full.body.contains("Alle Plätze des Raums sind vergeben"));
    assert_eq!(app.guest_rows(&booking).len(), 2);
    assert!(mails_to(&app, &third).await.is_empty());

    // A withdrawn guest frees the seat.
    let first_id = app.guest_rows(&booking)[0].id.clone();
    let path = format!("/bookings/{booking}/guests");
    assert_eq!(browser.submit(&path, &format!("{path}/{first_id}/withdraw"), &[]).await.status, StatusCode::SEE_OTHER);
    assert_eq!(invite(&browser, &booking, "Dritter Gast", &third, "de").await.status, StatusCode::SEE_OTHER);
}

async fn desks_and_rooms_with_guests_off_take_no_guests(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let s = site(&app);
    let (browser, _) = logged_in_member(&app, "desk").await;
    let desk_booking = book(&browser, s.f.desk.id.as_str()).await;
    let page = browser.get(&format!("/bookings/{desk_booking}")).await;
    assert!(!page.body.contains("/guests\""), "a desk's page offers no guests");
    let guests = browser.get(&format!("/bookings/{desk_booking}/guests")).await;
    assert_eq!(guests.status, StatusCode::OK);
    assert!(guests.body.contains("Gäste können nur zu Raumbuchungen eingeladen werden."));
    assert!(!guests.body.contains("name=\"email\""));
    let guest = unique_email("guest");
    let refused = browser
        .post(
            &format!("/bookings/{desk_booking}/guests"),
            &[("csrf_token", &csrf_token_in(&guests.body)), ("name", "G"), ("email", &guest), ("language", "de")],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(app.guest_rows(&desk_booking).is_empty());

    guest_rows::set_space_guests_allowed(&mut app.conn(), &s.f.room.id, false).unwrap();
    let (browser, _) = logged_in_member(&app, "room").await;
    let room_booking = book(&browser, s.f.room.id.as_str()).await;
    let path = format!("/bookings/{room_booking}/guests");
    let page = browser.get(&path).await;
    assert!(page.body.contains("Der Hub hat Gäste für diesen Raum abgeschaltet."), "{}", page.body);
    let refused = browser
        .post(
            &path,
            &[("csrf_token", &csrf_token_in(&page.body)), ("name", "G"), ("email", &guest), ("language", "de")],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(app.guest_rows(&room_booking).is_empty());
    assert!(mails_to(&app, &guest).await.is_empty());
}

async fn a_cancelled_bookings_guests_lose_their_pin_and_are_told(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let s = site(&app);
    let hub = s.f.hub.id.clone();
    let bridge = app.bridge_token("testhub");
    let (browser, _) = logged_in_member(&app, "host").await;
    let booking = book(&browser, s.f.room.id.as_str()).await;
    let (german, english) = (unique_email("de"), unique_email("en"));
    assert_eq!(invite(&browser, &booking, "Greta", &german, "de").await.status, StatusCode::SEE_OTHER);
    assert_eq!(invite(&browser, &booking, "Gary", &english, "en").await.status, StatusCode::SEE_OTHER);
    let pins = [
        pin_in(&mails_to(&app, &german).await[0], "Ihre Tür-PIN"),
        pin_in(&mails_to(&app, &english).await[0], "Your door PIN"),
    ];
    assert_ne!(pins[0], pins[1], "every guest has their own PIN");
    assert_eq!(app.snapshot(&bridge).await["grants"].as_array().unwrap().len(), 3);

    let cancel = format!("/bookings/{booking}/cancel");
    assert_eq!(browser.submit(&cancel, &cancel, &[]).await.status, StatusCode::SEE_OTHER);

    assert!(app.snapshot(&bridge).await["grants"].as_array().unwrap().is_empty(), "no grant left");
    for pin in &pins {
        assert!(!app.opens(&bridge, &hub, &s.room_door, pin, "2026-11-23T09:30:00Z").await);
    }
    let german_mails = mails_to(&app, &german).await;
    assert_eq!(german_mails.len(), 2);
    assert!(german_mails[1].subject.starts_with("Buchung abgesagt: Room"), "{}", german_mails[1].subject);
    let english_mails = mails_to(&app, &english).await;
    assert!(english_mails[1].subject.starts_with("Booking cancelled: Room"), "{}", english_mails[1].subject);
    assert!(app.guest_rows(&booking).iter().all(|g| g.withdrawn_at.is_some()));
    let page = browser.get(&format!("/bookings/{booking}/guests")).await;
    assert!(page.body.contains("Gäste können nur zu einer bestätigten Buchung eingeladen werden."));
}

async fn the_console_turns_guests_off_for_a_room(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let console = crate::console::ConsoleFixture::new(&app).await;
    let (manager, room) = (&console.manager, &console.fixture.room);
    let edit = format!("/console/hubs/testhub/spaces/{}", room.id);
    let form = manager.get(&edit).await;
    assert_eq!(form.status, StatusCode::OK, "{}", form.body);
    assert!(form.body.contains("name=\"guests_allowed\" value=\"on\" checked"), "on by default");
    let fields = [
        ("name", "Room"),
        ("kind", "room"),
        ("capacity", "3"),
        ("booking_unit", "hour"),
        ("slot_minutes", "30"),
        ("min_minutes", "60"),
        ("max_minutes", "240"),
        ("max_days_ahead", "30"),
        ("position", "0"),
    ];
    let saved = manager.submit(&edit, &edit, &fields).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    assert_eq!(guest_rows::space_guests_allowed(&mut app.conn(), &room.id).unwrap(), Some(false));
    assert!(!manager.get(&edit).await.body.contains("name=\"guests_allowed\" value=\"on\" checked"));

    let mut on = fields.to_vec();
    on.push(("guests_allowed", "on"));
    assert_eq!(manager.submit(&edit, &edit, &on).await.status, StatusCode::SEE_OTHER);
    assert_eq!(guest_rows::space_guests_allowed(&mut app.conn(), &room.id).unwrap(), Some(true));
}

async fn the_demo_shows_a_guest_invited_at_polch(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    assert!(regiohub::demo::seed::seed_demo(&mut app.conn(), &app.state.context, default_now()).unwrap());
    let polch = catalog::find_hub(&mut app.conn(), "polch").unwrap().unwrap();
    let room = catalog::list_spaces(&mut app.conn(), &polch.id)
        .unwrap()
        .into_iter()
        .find(|s| s.name == regiohub::demo::guest::DEMO_GUEST_ROOM)
        .unwrap();
    let member = find_user_by_email(&mut app.conn(), regiohub::demo::logins::DEMO_LOGINS[0].email).unwrap().unwrap();
    let booking = regiohub::db::bookings::list_user_bookings(&mut app.conn(), &member.id)
        .unwrap()
        .into_iter()
        .find(|b| b.space_id == room.id)
        .expect("the demo member booked the room");
    let guests = app.guest_rows(booking.id.as_str());
    assert_eq!(guests.len(), 1);
    assert!(find_user_by_email(&mut app.conn(), &guests[0].email).unwrap().is_none());
    let mails = mails_to(&app, &guests[0].email).await;
    assert_eq!(mails.len(), 1);
    pin_in(&mails[0], "Ihre Tür-PIN");
}

async fn the_access_log_says_member_or_guest_and_never_the_guests_address(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let console = crate::console::ConsoleFixture::new(&app).await;
    let room = console.fixture.room.clone();
    diesel::update(spaces::table.find(&room.id))
        .set((spaces::capacity.eq(3), spaces::approval_required.eq(false)))
        .execute(&mut *app.conn())
        .unwrap();
    let (browser, _) = logged_in_member(&app, "host").await;
    let with_guest = book(&browser, room.id.as_str()).await;
    let guest = unique_email("guest");
    assert_eq!(invite(&browser, &with_guest, "Gustav Gast", &guest, "de").await.status, StatusCode::SEE_OTHER);
    let (other, _) = logged_in_member(&app, "alone").await;
    let without = book(&other, console.fixture.desk.id.as_str()).await;

    let bridge = app.bridge_token("testhub");
    let door = app.entrance(&console.fixture.hub.id).id;
    let granted = serde_json::json!({"type": "granted", "cmd_seq": 1});
    let events = serde_json::json!([
        crate::bridge_api::event("g1", "2026-11-23T09:05:00Z", door.as_str(), granted.clone(), Some(&with_guest)),
        crate::bridge_api::event("g2", "2026-11-23T09:06:00Z", door.as_str(), granted, Some(&without)),
    ]);
    let (status, receipt) = app.bridge_events(&bridge, events).await;
    assert_eq!(status, StatusCode::OK, "{receipt}");

    let log = console.manager.get("/console/hubs/testhub/access-log").await;
    assert_eq!(log.status, StatusCode::OK);
    assert_eq!(log.body.matches("(Mitglied oder Gast)").count(), 1, "only the booking with a guest: {}", log.body);
    assert!(!log.body.contains(&guest) && !log.body.contains("Gustav"), "the guest's address and name stay out");
    let csv = console.manager.get("/console/hubs/testhub/access-log.csv").await;
    assert!(csv.body.contains("Mitglied oder Gast") && !csv.body.contains(&guest));
}

async fn a_booking_moved_to_a_desk_takes_no_guests_along(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let s = site(&app);
    let hub = s.f.hub.id.clone();
    let bridge = app.bridge_token("testhub");
    let (browser, booking, guest) = host_with_a_guest(&app, &s, "Gustav Gast", "de").await;
    let pin = pin_in(&mails_to(&app, &guest).await[0], "Ihre Tür-PIN");
    assert!(app.opens(&bridge, &hub, &s.room_door, &pin, "2026-11-23T09:30:00Z").await);

    let change = format!("/bookings/{booking}/change");
    let fields = [("space_id", s.f.desk.id.as_str()), ("date", "2026-11-23"), ("from", "10:00"), ("to", "12:00")];
    let moved = browser.submit(&change, &change, &fields).await;
    assert_eq!(moved.status, StatusCode::SEE_OTHER, "{}", moved.body);
    assert!(app.grants_of_pin(&bridge, &hub, &pin).await.is_empty(), "no guest grant at a desk");
    assert!(!app.opens(&bridge, &hub, &s.desk_door, &pin, "2026-11-23T09:30:00Z").await);
    assert!(!app.opens(&bridge, &hub, &s.entrance, &pin, "2026-11-23T09:30:00Z").await);
}

/// A move within rooms too: the guest's PIN was drawn unique for the old time only, and seats and
/// the switch were the old room's. The invitation ends, the guest is told, the member may invite
/// again.
async fn a_moved_booking_ends_its_invitations_and_tells_the_guests(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let s = site(&app);
    let hub = s.f.hub.id.clone();
    let bridge = app.bridge_token("testhub");
    let (browser, booking, guest) = host_with_a_guest(&app, &s, "Gustav Gast", "de").await;
    let pin = pin_in(&mails_to(&app, &guest).await[0], "Ihre Tür-PIN");

    let change = format!("/bookings/{booking}/change");
    let fields = [("space_id", s.f.room.id.as_str()), ("date", "2026-11-23"), ("from", "13:00"), ("to", "15:00")];
    let moved = browser.submit(&change, &change, &fields).await;
    assert_eq!(moved.status, StatusCode::SEE_OTHER, "{}", moved.body);
    assert!(app.grants_of_pin(&bridge, &hub, &pin).await.is_empty(), "the guest's PIN opens nothing now");
    let mails = mails_to(&app, &guest).await;
    assert!(
        mails.iter().any(|m| m.subject.starts_with("Buchung verschoben")),
        "{:?}",
        mails.iter().map(|m| &m.subject).collect::<Vec<_>>()
    );
    assert_eq!(
        invite(&browser, &booking, "Gustav Gast", &guest, "de").await.status,
        StatusCode::SEE_OTHER,
        "invited again"
    );
}

async fn deleting_the_account_deletes_the_guests_it_invited(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let s = site(&app);
    let hub = s.f.hub.id.clone();
    let bridge = app.bridge_token("testhub");
    let (browser, booking, guest) = host_with_a_guest(&app, &s, "Gustav Gast", "de").await;
    let pin = pin_in(&mails_to(&app, &guest).await[0], "Ihre Tür-PIN");

    let deleted = browser.submit("/account/delete", "/account/delete", &[("password", crate::browser::PASSWORD)]).await;
    assert_eq!(deleted.status, StatusCode::OK, "{}", deleted.body);
    assert!(deleted.body.contains("Ihr Konto ist gelöscht"));
    assert!(app.guest_rows(&booking).is_empty(), "the guest's name and address are gone");
    assert!(app.grants_of_pin(&bridge, &hub, &pin).await.is_empty());
}

async fn the_export_lists_invitations_and_retention_deletes_them_after_the_access_log(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let s = site(&app);
    let (browser, booking, guest) = host_with_a_guest(&app, &s, "Gustav Gast", "en").await;

    // The member's data export lists the invitation as they made it.
    let export = browser.get("/account/export").await;
    assert_eq!(export.status, StatusCode::OK, "{}", export.body);
    let export: Value = serde_json::from_str(&export.body).unwrap();
    let invitations = export["guest_invitations"].as_array().unwrap();
    assert_eq!(invitations.len(), 1, "{export}");
    assert_eq!(invitations[0]["booking_id"], booking.as_str());
    assert_eq!(invitations[0]["name"], "Gustav Gast");
    assert_eq!(invitations[0]["email"], guest.as_str());
    assert_eq!(invitations[0]["language"], "en");
    assert!(!export.to_string().contains("pin"), "no PIN or verifier in the export: {export}");

    // The booking ended today at 12:00; the operator keeps the access log 90 days. A retention
    // pass within those days keeps the invitation (the log may still name a guest) …
    let purge = |at: &str| {
        let mut conn = app.conn();
        let mut tx = regiohub::service::UnitOfWork::new(&mut conn);
        regiohub::service::console::live::retention::purge_access_log(&mut tx, utc(at)).unwrap()
    };
    purge("2027-02-21T12:00:00Z");
    assert_eq!(app.guest_rows(&booking).len(), 1, "kept while the access log is kept, and a day for the doors' grace");
    // … and a pass after them deletes it.
    purge("2027-02-22T12:00:00Z");
    assert!(app.guest_rows(&booking).is_empty(), "the guest's name and address are gone");
    let export: Value = serde_json::from_str(&browser.get("/account/export").await.body).unwrap();
    assert_eq!(export["guest_invitations"], serde_json::json!([]));
}
