//! Console tests, people and bookings: approving and declining requests (with the member's
//! mails), cancelling with notice, booking on behalf of a member or of a new address (claimed
//! through the mail), blocking and unblocking, roles, and that managers reach neither user
//! administration nor another hub's bookings.

use regiohub::db::bookings::{self as booking_rows, Booking};
use regiohub::db::catalog::{self, OpeningHours};
use regiohub::db::{self, audit, users};
use regiohub::domain::ids::{BookingId, SpaceId, UserId};
use regiohub::domain::role::Role;
use regiohub::domain::vocabulary::BookingStatus;
use regiohub::i18n::Lang;
use regiohub::service::UnitOfWork;
use regiohub::service::accounts;
use regiohub::service::booking::{self, BookingTime, NewBookingRequest};
use regiohub_hardware::protocol::pin_verifier;
use reqwest::StatusCode;

use crate::browser::{Browser, PASSWORD, logged_in_member, mails_to, unique_email};
use crate::console::ConsoleFixture;
use crate::helpers::{Backend, TestApp, db_time, default_now, utc};
use crate::mail::ReceivedMail;
use crate::on_both_backends;

on_both_backends!(
    approving_a_request_confirms_it_and_mails_the_pin,
    declining_needs_a_reason_and_mails_it_in_the_members_language,
    approving_a_request_whose_time_was_taken_meanwhile_changes_nothing,
    a_request_beyond_the_list_limit_is_still_listed_first_and_counted,
    staff_cancel_with_notice_and_the_pin_stops_working,
    booking_on_behalf_of_a_member_mails_the_pin_and_confirms_rooms_at_once,
    booking_on_behalf_of_a_new_address_makes_an_account_to_claim,
    booking_on_behalf_refuses_bad_input_next_to_the_field,
    blocking_ends_sessions_and_revokes_pins_but_cancels_nothing,
    admins_cannot_block_themselves_or_drop_their_own_admin_role,
    a_new_manager_gets_the_console_and_loses_it_with_the_role,
    the_user_search_finds_by_name_or_address_in_any_case,
    managers_never_reach_user_administration,
    managers_probing_another_hub_get_404_and_change_nothing,
);

/// Alice's password (fixture members are made with it).
const MEMBER_PASSWORD: &str = "a long test password";
const ALICE: &str = "alice@example.org";
const BOB: &str = "bob@example.org";
const BOOKINGS: &str = "/console/hubs/testhub/bookings";
const NEW_BOOKING: &str = "/console/hubs/testhub/bookings/new";

/// A request for the room (which needs approval) on Tuesday 10:00–12:00; returns its id.
async fn room_request(app: &TestApp, token: &str, room_id: &str) -> String {
    let (status, body) = app.book(token, room_id, "2026-11-24T10:00:00+01:00", "2026-11-24T12:00:00+01:00").await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(body["status"], "pending");
    body["id"].as_str().unwrap().to_owned()
}

/// The door PIN a confirmation mail carries.
fn pin_in(mail: &ReceivedMail) -> String {
    let marker =
        ["Ihre Tür-PIN: ", "Your door PIN: "].into_iter().find(|m| mail.text.contains(m)).unwrap_or_else(|| {
            panic!("no PIN in {}", mail.text);
        });
    let start = mail.text.find(marker).unwrap() + marker.len();
    mail.text[start..start + 6].to_owned()
}

/// The mails to `email` whose subject starts with one of `prefixes`.
async fn mails_starting(app: &TestApp, email: &str, prefixes: &[&str]) -> Vec<ReceivedMail> {
    mails_to(app, email).await.into_iter().filter(|m| prefixes.iter().any(|p| m.subject.starts_with(p))).collect()
}

/// The actions recorded in the audit trail, newest first.
fn audit_actions(app: &TestApp) -> Vec<String> {
    audit::list_audit(&mut app.conn(), None, 100).unwrap().into_iter().map(|(row, _)| row.action).collect()
}

fn user_id(app: &TestApp, email: &str) -> UserId {
    users::find_user_by_email(&mut app.conn(), email).unwrap().unwrap().id
}

fn user_status(app: &TestApp, email: &str) -> String {
    users::find_user_by_email(&mut app.conn(), email).unwrap().unwrap().status.to_string()
}

/// The person's bookings as "my bookings" lists them.
fn own_bookings(app: &TestApp, user: &users::User) -> Vec<booking::BookingView> {
    let mut conn = app.conn();
    let catalogue = app.state.context.catalogue.current(&mut conn).unwrap();
    booking::list_own_bookings(&mut conn, &catalogue, user).unwrap()
}

/// How many bookings the person has, in any state.
fn booking_count(app: &TestApp, email: &str) -> usize {
    let user = users::find_user_by_email(&mut app.conn(), email).unwrap().unwrap();
    own_bookings(app, &user).len()
}

async fn approving_a_request_confirms_it_and_mails_the_pin(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let console = ConsoleFixture::new(&app).await;
    let f = &console.fixture;
    let id = room_request(&app, &f.alice_token, f.room.id.as_str()).await;

    let page = console.manager.get(BOOKINGS).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains(ALICE) && page.body.contains("Test Member"), "staff see who booked: {}", page.body);
    assert!(page.body.contains("Wartet auf Bestätigung"), "the state is said in words: {}", page.body);
    assert!(page.body.contains(&format!("{BOOKINGS}/{id}/approve")), "{}", page.body);

    let page = console.manager.submit(BOOKINGS, &format!("{BOOKINGS}/{id}/approve"), &[]).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    assert_eq!(page.location.as_deref(), Some("/console/hubs/testhub/bookings?done=approved"));
    assert_eq!(app.booking_status(&id), "confirmed");
    let mails = mails_starting(&app, ALICE, &["Buchung bestätigt"]).await;
    assert_eq!(mails.len(), 1, "one confirmation");
    let pin = pin_in(&mails[0]);
    let key = app.state.context.secret.hub_pin_key(&f.hub.id);
    assert_eq!(app.stored_verifier(&id), Some(pin_verifier(&key, &pin)), "the mailed PIN opens the door");
    assert!(mails[0].calendar.is_some(), "with the calendar entry");
    let page = console.manager.get(&format!("{BOOKINGS}?done=approved")).await;
    assert!(page.body.contains("Die Buchung ist bestätigt"), "{}", page.body);
    assert!(!page.body.contains(&format!("{id}/approve")), "nothing left to approve");
    assert_eq!(audit_actions(&app)[0], "booking_approved");
    let page = console.manager.get("/console/hubs/testhub/audit").await;
    assert!(page.body.contains("booking_approved") && page.body.contains("Room"), "{}", page.body);

    // Approving again (a second click, a stale page) changes nothing and says why.
    let page = console.manager.submit(BOOKINGS, &format!("{BOOKINGS}/{id}/approve"), &[]).await;
    assert_eq!(page.status, StatusCode::CONFLICT);
    assert!(page.body.contains("wartet nicht mehr auf Bestätigung"), "{}", page.body);
    assert_eq!(mails_starting(&app, ALICE, &["Buchung bestätigt"]).await.len(), 1);
}

async fn declining_needs_a_reason_and_mails_it_in_the_members_language(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let console = ConsoleFixture::new(&app).await;
    let f = &console.fixture;
    accounts::set_language(&mut UnitOfWork::new(&mut app.conn()), &user_id(&app, BOB), Lang::En, default_now())
        .unwrap();
    let id = room_request(&app, &f.bob_token, f.room.id.as_str()).await;
    let form = format!("{BOOKINGS}/{id}/decline");

    let page = console.manager.get(&form).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains("<label for=\"reason\">"), "{}", page.body);
    let page = console.manager.submit(&form, &form, &[("reason", "   ")]).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.body.contains("aria-invalid=\"true\"") && page.body.contains("id=\"reason-error\""), "{}", page.body);
    assert!(page.body.contains("Bitte geben Sie eine Begründung ein"), "{}", page.body);
    assert_eq!(app.booking_status(&id), "pending", "nothing changed");
    assert!(mails_starting(&app, BOB, &["Request declined"]).await.is_empty(), "only 'request received' so far");

    let reason = "The room is being painted that week.";
    let page = console.manager.submit(&form, &form, &[("reason", reason)]).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    assert_eq!(page.location.as_deref(), Some("/console/hubs/testhub/bookings?done=declined"));
    assert_eq!(app.booking_status(&id), "cancelled");
    let mails = mails_starting(&app, BOB, &["Request declined"]).await;
    assert_eq!(mails.len(), 1);
    assert!(mails[0].subject.starts_with("Request declined: Room"), "{}", mails[0].subject);
    assert!(mails[0].text.contains(reason) && mails[0].html.contains(reason), "{}", mails[0].text);
    assert!(mails[0].text.contains("The hub's reason"), "in English: {}", mails[0].text);
    assert!(mails[0].calendar.is_none(), "a request was never a calendar entry");
    assert_eq!(audit_actions(&app)[0], "booking_declined");
    // The time is free again.
    let (status, body) =
        app.book(&f.alice_token, f.room.id.as_str(), "2026-11-24T10:00:00+01:00", "2026-11-24T12:00:00+01:00").await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
}

async fn approving_a_request_whose_time_was_taken_meanwhile_changes_nothing(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let console = ConsoleFixture::new(&app).await;
    let f = &console.fixture;
    let alices = room_request(&app, &f.alice_token, f.room.id.as_str()).await;
    // The manager has the list open while Alice withdraws and Bob asks for the same time.
    let list = console.manager.get(BOOKINGS).await;
    assert!(list.body.contains(&format!("{alices}/approve")));
    let (status, _) = app.delete(&format!("/api/v1/bookings/{alices}"), &f.alice_token).await;
    assert_eq!(status, StatusCode::OK);
    let bobs = room_request(&app, &f.bob_token, f.room.id.as_str()).await;

    let page = console.manager.submit(BOOKINGS, &format!("{BOOKINGS}/{alices}/approve"), &[]).await;
    assert_eq!(page.status, StatusCode::CONFLICT, "{}", page.body);
    assert!(page.body.contains("inzwischen anderweitig belegt"), "{}", page.body);
    assert!(page.body.contains("role=\"alert\""), "{}", page.body);
    assert_eq!(app.booking_status(&alices), "cancelled");
    assert_eq!(app.booking_status(&bobs), "pending");
    assert_eq!(app.stored_verifier(&alices), None);
    let told = mails_starting(&app, ALICE, &["Buchung bestätigt", "Anfrage abgelehnt", "Buchung storniert"]).await;
    assert!(told.is_empty(), "Alice is told nothing beyond 'request received'");
    assert!(!audit_actions(&app).contains(&"booking_approved".to_owned()));
}

async fn a_request_beyond_the_list_limit_is_still_listed_first_and_counted(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let console = ConsoleFixture::new(&app).await;
    let f = &console.fixture;
    let alice = user_id(&app, ALICE);
    let now = db_time(default_now());
    let booking = |space_id: &SpaceId, start: chrono::DateTime<chrono::Utc>, status: &str| Booking {
        id: BookingId::from(db::new_id()),
        space_id: space_id.clone(),
        user_id: Some(alice.clone()),
        start_at: db_time(start),
        end_at: db_time(start + chrono::Duration::hours(1)),
        status: BookingStatus::parse(status).unwrap(),
        created_by: None,
        created_at: now,
        updated_at: now,
        cancelled_at: None,
    };
    // More confirmed bookings than the list shows, all starting before the one request.
    let mut conn = app.conn();
    let first = utc("2026-11-23T08:00:00Z");
    for hour in 0..501 {
        booking_rows::insert_booking(
            &mut conn,
            &booking(&f.desk.id, first + chrono::Duration::hours(hour), "confirmed"),
        )
        .unwrap();
    }
    let request = booking(&f.room.id, first + chrono::Duration::hours(600), "pending");
    booking_rows::insert_booking(&mut conn, &request).unwrap();
    drop(conn);

    let page = console.manager.get(BOOKINGS).await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(page.body.matches("<th scope=\"row\">").count(), 500, "the list is cut at its limit");
    assert!(page.body.contains("Es werden nur die ersten 500 Buchungen gezeigt"), "and says so");
    assert!(page.body.contains("1 Anfrage wartet auf Bestätigung"), "{}", &page.body[..2000.min(page.body.len())]);
    let approve = page.body.find(&format!("{}/approve", request.id)).expect("the request is listed");
    let first_cancel = page.body.find("/cancel\"").unwrap();
    assert!(approve < first_cancel, "the request comes first");
}

async fn staff_cancel_with_notice_and_the_pin_stops_working(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let console = ConsoleFixture::new(&app).await;
    let f = &console.fixture;
    let (status, body) =
        app.book(&f.alice_token, f.desk.id.as_str(), "2026-11-24T10:00:00+01:00", "2026-11-24T12:00:00+01:00").await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let id = body["id"].as_str().unwrap().to_owned();
    assert!(app.stored_verifier(&id).is_some());
    let form = format!("{BOOKINGS}/{id}/cancel");
    assert!(console.manager.get(BOOKINGS).await.body.contains(&form));

    let page = console.manager.submit(&form, &form, &[("reason", "")]).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(app.booking_status(&id), "confirmed", "nothing changed");
    let page = console.manager.submit(&form, &form, &[("reason", "Wasserschaden im Raum")]).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    assert_eq!(app.booking_status(&id), "cancelled");
    assert_eq!(app.stored_verifier(&id), None, "the PIN stops working at once");
    let mails = mails_starting(&app, ALICE, &["Buchung storniert"]).await;
    assert_eq!(mails.len(), 1);
    assert!(mails[0].text.contains("Begründung des Standorts: Wasserschaden im Raum"), "{}", mails[0].text);
    assert!(mails[0].html.contains("Wasserschaden im Raum"));
    let (method, _) = mails[0].calendar.as_ref().expect("the entry that removes the date");
    assert_eq!(method, "CANCEL");
    assert_eq!(audit_actions(&app)[0], "booking_cancelled");
    // Cancelled is final.
    let page = console.manager.submit(&form, &form, &[("reason", "nochmal")]).await;
    assert_eq!(page.status, StatusCode::CONFLICT);
}

async fn booking_on_behalf_of_a_member_mails_the_pin_and_confirms_rooms_at_once(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let console = ConsoleFixture::new(&app).await;
    let f = &console.fixture;
    let page = console.manager.get(NEW_BOOKING).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains(f.desk.id.as_str()) && page.body.contains(f.room.id.as_str()), "{}", page.body);
    assert!(!page.body.contains(f.disabled_desk.id.as_str()), "disabled spaces are not offered");
    assert!(!page.body.contains(console.other_space.id.as_str()), "nor another hub's");

    let fields = [("email", " Alice@Example.org "), ("space", f.room.id.as_str()), ("date", "2026-11-24")];
    let page = console
        .manager
        .submit(NEW_BOOKING, NEW_BOOKING, &[&fields[..], &[("from", "09:00"), ("to", "11:00")]].concat())
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    assert_eq!(page.location.as_deref(), Some("/console/hubs/testhub/bookings?done=booked"));
    let alice = users::find_user_by_email(&mut app.conn(), ALICE).unwrap().unwrap();
    let bookings = own_bookings(&app, &alice);
    assert_eq!(bookings.len(), 1);
    let made = &bookings[0].booking;
    assert_eq!(made.status, BookingStatus::Confirmed, "staff bookings of rooms needing approval are confirmed at once");
    assert_eq!(made.created_by.as_ref(), Some(&user_id(&app, &console.manager_email)));
    let mails = mails_starting(&app, ALICE, &["Buchung bestätigt"]).await;
    assert_eq!(mails.len(), 1);
    let key = app.state.context.secret.hub_pin_key(&f.hub.id);
    assert_eq!(app.stored_verifier(made.id.as_str()), Some(pin_verifier(&key, &pin_in(&mails[0]))));
    assert!(!mails[0].text.contains("/password/reset/"), "an existing member gets no claim link");

    let alice_browser = Browser::new(&app);
    assert_eq!(alice_browser.log_in(ALICE, MEMBER_PASSWORD).await.status, StatusCode::SEE_OTHER);
    let page = alice_browser.get("/bookings").await;
    assert!(page.body.contains(&format!("/bookings/{}", made.id)) && page.body.contains("Room"), "{}", page.body);
    assert_eq!(audit_actions(&app)[0], "booking_on_behalf");

    // The trail names Alice; once she deletes her account it keeps what was done, not to whom.
    let user_page = format!("/console/users/{}", alice.id);
    let page = console.admin.submit(&user_page, &format!("{user_page}/block"), &[]).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    let trail = |app: &TestApp| {
        let rows = audit::list_audit(&mut app.conn(), None, 100).unwrap();
        rows.into_iter().map(|(row, _)| format!("{} {} {}", row.action, row.subject, row.details)).collect::<Vec<_>>()
    };
    let named = trail(&app);
    assert!(named.iter().any(|e| e.starts_with("user_blocked Test Member <alice@example.org>")), "{named:?}");
    assert!(named.iter().any(|e| e.starts_with("booking_on_behalf") && e.contains("for alice@example.org")));
    regiohub::service::accounts::delete_account(&mut UnitOfWork::new(&mut app.conn()), &alice.id, default_now())
        .unwrap();
    let forgotten = trail(&app);
    assert_eq!(forgotten.len(), named.len(), "the entries stay");
    assert!(forgotten.iter().all(|e| !e.contains("alice@example.org") && !e.contains("Test Member")), "{forgotten:?}");
    assert!(forgotten.iter().any(|e| e.starts_with("user_blocked (deleted account)")), "{forgotten:?}");
    assert!(forgotten.iter().any(|e| e.contains("for (deleted account)")), "{forgotten:?}");
}

async fn booking_on_behalf_of_a_new_address_makes_an_account_to_claim(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let console = ConsoleFixture::new(&app).await;
    let f = &console.fixture;
    let email = unique_email("walkin");
    let base = [("email", email.as_str()), ("lang", "en"), ("space", f.desk.id.as_str()), ("date", "2026-11-23")];
    let times = [("from", "09:00"), ("to", "12:00")];

    let page = console.manager.submit(NEW_BOOKING, NEW_BOOKING, &[&base[..], &times].concat()).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "a new address needs a name");
    assert!(page.body.contains("id=\"name-error\"") && page.body.contains("aria-invalid=\"true\""), "{}", page.body);
    assert!(page.body.contains(&format!("value=\"{email}\"")), "what was typed stays");
    assert!(users::find_user_by_email(&mut app.conn(), &email).unwrap().is_none(), "no account without a booking");

    let page =
        console.manager.submit(NEW_BOOKING, NEW_BOOKING, &[&base[..], &times, &[("name", "Walk In")]].concat()).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    assert_eq!(page.location.as_deref(), Some("/console/hubs/testhub/bookings?done=booked-new"));
    let person = users::find_user_by_email(&mut app.conn(), &email).unwrap().unwrap();
    assert_eq!((person.status.as_str(), person.password_hash.is_none()), ("pending", true));
    assert_eq!(person.locale, "en");
    let walkin = Browser::new(&app);
    assert_eq!(
        walkin.log_in(&email, PASSWORD).await.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "no login before claiming"
    );

    // The PIN works at the door before the account is claimed.
    let bridge = app.bridge_token("testhub");
    let (_, _, snapshot) = app.bridge_get("/snapshot", &bridge).await;
    let booking_id = own_bookings(&app, &person)[0].booking.id.clone();
    let grant = snapshot["grants"].as_array().unwrap().iter().find(|g| g["booking_id"] == booking_id.as_str()).cloned();
    assert_eq!(grant.expect("the walk-in's booking is in the snapshot")["user_active"], true);

    let mails = mails_to(&app, &email).await;
    assert_eq!(mails.len(), 1, "one mail: the confirmation with the PIN and the claim link");
    assert!(mails[0].subject.starts_with("Booking confirmed"), "in the chosen language: {}", mails[0].subject);
    let key = app.state.context.secret.hub_pin_key(&f.hub.id);
    assert_eq!(app.stored_verifier(booking_id.as_str()), Some(pin_verifier(&key, &pin_in(&mails[0]))));
    let base_url = app.state.settings.public_url.trim_end_matches('/');
    let start = mails[0].text.find(&format!("{base_url}/password/reset/")).expect("a claim link");
    let link = mails[0].text[start..].split_whitespace().next().unwrap()[base_url.len()..].to_owned();
    assert!(mails[0].html.contains(&format!("{base_url}{link}")), "{}", mails[0].html);

    let page = walkin.submit(&link, &link, &[("password", "my own new password")]).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    assert_eq!(user_status(&app, &email), "active");
    assert_eq!(walkin.log_in(&email, "my own new password").await.status, StatusCode::SEE_OTHER);
    let page = walkin.get("/bookings").await;
    assert!(page.body.contains(&format!("/bookings/{booking_id}")) && page.body.contains("Desk 1"), "{}", page.body);
    let page = walkin.submit("/", &link, &[("password", "another new password")]).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "the claim link works once");
}

async fn booking_on_behalf_refuses_bad_input_next_to_the_field(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let console = ConsoleFixture::new(&app).await;
    let f = &console.fixture;
    let manager = &console.manager;
    let desk = f.desk.id.as_str();
    let times = [("date", "2026-11-24"), ("from", "09:00"), ("to", "11:00")];
    let post = |fields: Vec<(&'static str, String)>| async move {
        let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        manager.submit(NEW_BOOKING, NEW_BOOKING, &fields).await
    };
    let with = |extra: &[(&'static str, &str)]| {
        let mut all: Vec<(&'static str, String)> = times.iter().map(|(k, v)| (*k, (*v).to_owned())).collect();
        all.extend(extra.iter().map(|(k, v)| (*k, (*v).to_owned())));
        all
    };

    let page = post(with(&[("email", "not an address"), ("space", desk)])).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.body.contains("id=\"email-error\""), "{}", page.body);
    let page = post(with(&[("email", ALICE)])).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.body.contains("id=\"space-error\""), "{}", page.body);
    let page = post(with(&[("email", ALICE), ("space", f.disabled_desk.id.as_str())])).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.body.contains("id=\"space-error\""), "{}", page.body);
    let page = post(vec![("email", ALICE.into()), ("space", desk.into()), ("date", "2026-11-24".into())]).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "times are read by the member form's parser");
    assert!(page.body.contains("id=\"from-error\"") && page.body.contains("id=\"to-error\""), "{}", page.body);
    let page = post(vec![
        ("email", ALICE.into()),
        ("space", desk.into()),
        ("date", "2027-01-11".into()),
        ("from", "09:00".into()),
        ("to", "11:00".into()),
    ])
    .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "the booking rules apply to staff too");
    assert!(page.body.contains("id=\"date-error\"") && page.body.contains("30 Tage"), "{}", page.body);
    let page = post(with(&[("email", BOB), ("space", desk)])).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    let page = post(with(&[("email", ALICE), ("space", desk)])).await;
    assert_eq!(page.status, StatusCode::CONFLICT, "the time is taken now");
    assert!(page.body.contains("schon belegt"), "{}", page.body);

    let blocked = unique_email("blocked");
    accounts::add_user(
        &mut UnitOfWork::new(&mut app.conn()),
        &blocked,
        "Blocked",
        &Role::Member,
        MEMBER_PASSWORD,
        default_now(),
    )
    .unwrap();
    accounts::block_user(&mut UnitOfWork::new(&mut app.conn()), &user_id(&app, &blocked), default_now()).unwrap();
    let page = post(with(&[("email", &blocked), ("space", f.desk2.id.as_str())])).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.body.contains("id=\"email-error\"") && page.body.contains("gesperrt"), "{}", page.body);
    assert_eq!(booking_count(&app, &blocked), 0);

    // Another hub's space named in the form is not found, and nothing is booked.
    let page = post(with(&[("email", ALICE), ("space", console.other_space.id.as_str())])).await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    assert_eq!(booking_count(&app, ALICE), 0);
    assert_eq!(booking_count(&app, BOB), 1);
}

async fn blocking_ends_sessions_and_revokes_pins_but_cancels_nothing(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let console = ConsoleFixture::new(&app).await;
    let f = &console.fixture;
    let (_, body) =
        app.book(&f.alice_token, f.desk.id.as_str(), "2026-11-24T10:00:00+01:00", "2026-11-24T12:00:00+01:00").await;
    let id = body["id"].as_str().unwrap().to_owned();
    assert!(app.stored_verifier(&id).is_some());
    let alice_browser = Browser::new(&app);
    assert_eq!(alice_browser.log_in(ALICE, MEMBER_PASSWORD).await.status, StatusCode::SEE_OTHER);
    assert_eq!(alice_browser.get("/bookings").await.status, StatusCode::OK);

    let alice_id = user_id(&app, ALICE);
    let user_page = format!("/console/users/{alice_id}");
    let page = console.admin.get(&user_page).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains("Aktiv") && page.body.contains("Person sperren"), "{}", page.body);
    let page = console.admin.submit(&user_page, &format!("{user_page}/block"), &[]).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    assert_eq!(user_status(&app, ALICE), "blocked");
    assert_eq!(alice_browser.get("/bookings").await.status, StatusCode::SEE_OTHER, "her browser is logged out");
    assert_eq!(app.stored_verifier(&id), None, "her PIN no longer opens");
    assert_eq!(app.booking_status(&id), "confirmed", "nothing is cancelled");
    assert!(mails_starting(&app, ALICE, &["Buchung storniert"]).await.is_empty());
    assert_eq!(audit_actions(&app)[0], "user_blocked");
    let page = console.admin.get(&format!("{user_page}?done=blocked")).await;
    assert!(page.body.contains("Gesperrt") && page.body.contains("Sperre aufheben"), "{}", page.body);
    // Nobody can book for a blocked person, and a manager cannot send her a PIN.
    let page = console.manager.submit(BOOKINGS, &format!("{BOOKINGS}/{id}/pin"), &[]).await;
    assert_eq!(page.status, StatusCode::CONFLICT);
    assert_eq!(app.stored_verifier(&id), None);

    let page = console.admin.submit(&user_page, &format!("{user_page}/unblock"), &[]).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    assert_eq!(user_status(&app, ALICE), "active");
    assert_eq!(app.stored_verifier(&id), None, "unblocking restores the account only");
    assert_eq!(alice_browser.log_in(ALICE, MEMBER_PASSWORD).await.status, StatusCode::SEE_OTHER);
    // The manager re-issues the PIN: it arrives by mail and opens the door.
    let page = console.manager.submit(BOOKINGS, &format!("{BOOKINGS}/{id}/pin"), &[]).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    let mails = mails_starting(&app, ALICE, &["Buchung bestätigt"]).await;
    let key = app.state.context.secret.hub_pin_key(&f.hub.id);
    assert_eq!(app.stored_verifier(&id), Some(pin_verifier(&key, &pin_in(mails.last().unwrap()))));
    assert_eq!(audit_actions(&app)[..2], ["pin_reissued".to_owned(), "user_unblocked".to_owned()]);
}

async fn admins_cannot_block_themselves_or_drop_their_own_admin_role(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let console = ConsoleFixture::new(&app).await;
    let admin_id = user_id(&app, "admin@example.org");
    let user_page = format!("/console/users/{admin_id}");
    let page = console.admin.submit(&user_page, &format!("{user_page}/block"), &[]).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.body.contains("Ihr eigenes Konto können Sie nicht sperren"), "{}", page.body);
    assert_eq!(user_status(&app, "admin@example.org"), "active");

    let role = users::list_roles(&mut app.conn(), &admin_id)
        .unwrap()
        .into_iter()
        .find(|r| r.role.as_str() == "admin")
        .unwrap();
    let page = console.admin.submit(&user_page, &format!("{user_page}/roles/{}/remove", role.id), &[]).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.body.contains("id=\"roles-error\"") && page.body.contains("aria-describedby=\"roles-error\""));
    assert!(page.body.contains("Ihre eigene Admin-Rolle können Sie nicht entfernen"), "{}", page.body);
    assert!(users::list_roles(&mut app.conn(), &admin_id).unwrap().iter().any(|r| r.role.as_str() == "admin"));
    assert_eq!(console.admin.get("/console/users").await.status, StatusCode::OK, "still an admin");
    // A role someone has already is refused next to the field.
    let page = console.admin.submit(&user_page, &format!("{user_page}/roles"), &[("role", "admin")]).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.body.contains("id=\"role-error\""), "{}", page.body);
    assert!(audit_actions(&app).is_empty(), "nothing changed, nothing recorded");
}

async fn a_new_manager_gets_the_console_and_loses_it_with_the_role(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let console = ConsoleFixture::new(&app).await;
    let (carol, email) = logged_in_member(&app, "carol").await;
    assert_eq!(carol.get("/console").await.status, StatusCode::NOT_FOUND);
    let user_page = format!("/console/users/{}", user_id(&app, &email));
    let page = console.admin.get(&user_page).await;
    let choice = format!("manager:{}", console.fixture.hub.id);
    assert!(page.body.contains(&format!("value=\"{choice}\"")), "{}", page.body);

    let page = console.admin.submit(&user_page, &format!("{user_page}/roles"), &[("role", &choice)]).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    assert_eq!(carol.get("/console").await.status, StatusCode::OK);
    assert_eq!(carol.get(BOOKINGS).await.status, StatusCode::OK);
    assert_eq!(carol.get("/console/hubs/otherhub/bookings").await.status, StatusCode::NOT_FOUND);
    assert_eq!(carol.get("/console/users").await.status, StatusCode::NOT_FOUND);
    let page = console.manager.get("/console/hubs/testhub/audit").await;
    assert!(
        page.body.contains("role_granted") && page.body.contains(&email),
        "the hub's managers see it: {}",
        page.body
    );

    let page = console.admin.get(&user_page).await;
    assert!(page.body.contains("Hub-Leitung: Test Hub"), "{}", page.body);
    let role = users::list_roles(&mut app.conn(), &user_id(&app, &email))
        .unwrap()
        .into_iter()
        .find(|r| r.role.as_str() == "hub_manager")
        .unwrap();
    let page = console.admin.submit(&user_page, &format!("{user_page}/roles/{}/remove", role.id), &[]).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    assert_eq!(carol.get("/console").await.status, StatusCode::NOT_FOUND);
    assert_eq!(audit_actions(&app)[..2], ["role_removed".to_owned(), "role_granted".to_owned()]);
}

async fn the_user_search_finds_by_name_or_address_in_any_case(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let console = ConsoleFixture::new(&app).await;
    accounts::add_user(
        &mut UnitOfWork::new(&mut app.conn()),
        "zora@example.net",
        "Zora Quast",
        &Role::Member,
        MEMBER_PASSWORD,
        default_now(),
    )
    .unwrap();
    let page = console.admin.get("/console/users?q=QUAST").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("zora@example.net") && !page.body.contains(ALICE), "{}", page.body);
    let page = console.admin.get("/console/users?q=Alice%40EXAMPLE").await;
    assert!(page.body.contains(ALICE) && !page.body.contains("zora@example.net"), "{}", page.body);
    assert!(page.body.contains("1 Person gefunden"), "{}", page.body);
    // A name with letters beyond ASCII, typed exactly as stored, is found on both backends
    // (SQLite's lower() folds ASCII only).
    accounts::add_user(
        &mut UnitOfWork::new(&mut app.conn()),
        "ayse@example.net",
        "Ayşe Özdemir",
        &Role::Member,
        MEMBER_PASSWORD,
        default_now(),
    )
    .unwrap();
    let page = console.admin.get("/console/users?q=%C3%96zdemir").await;
    assert!(page.body.contains("ayse@example.net") && !page.body.contains(ALICE), "{}", page.body);
    let page = console.admin.get("/console/users?q=AY%C5%9Fe+%C3%96").await;
    assert!(page.body.contains("ayse@example.net"), "ASCII letters in any case: {}", page.body);
    let page = console.admin.get("/console/users?q=%25").await;
    assert!(page.body.contains("Niemand gefunden"), "a % is a character, not a wildcard: {}", page.body);
    let page = console.admin.get("/console/users").await;
    assert!(page.body.contains(ALICE) && page.body.contains("zora@example.net"), "everyone without a query");
    // Each person's roles, loaded for the whole page at once.
    let row_of = |email: &str| {
        let at = page.body.find(&format!(">{email}<")).unwrap_or_else(|| panic!("no {email} in {}", page.body));
        let end = page.body[at..].find("</tr>").unwrap() + at;
        page.body[at..end].to_owned()
    };
    assert!(row_of("admin@example.org").contains("Verwaltung des Landkreises (Admin)"), "{}", page.body);
    assert!(row_of(&console.manager_email).contains("Hub-Leitung: "), "{}", page.body);
    assert!(row_of("zora@example.net").contains("Mitglied"), "{}", page.body);
    assert!(page.body.contains("<th scope=\"col\">"), "{}", page.body);

    // Paging: 25 a page.
    for n in 0..30 {
        let email = format!("page{n:02}@example.org");
        accounts::add_user(
            &mut UnitOfWork::new(&mut app.conn()),
            &email,
            "Paged Person",
            &Role::Member,
            MEMBER_PASSWORD,
            default_now(),
        )
        .unwrap();
    }
    let page = console.admin.get("/console/users?q=paged").await;
    assert!(page.body.contains("30 Personen gefunden, Seite 1 von 2"), "{}", page.body);
    assert!(page.body.contains("page=2") && page.body.contains("page00@"), "{}", page.body);
    let page = console.admin.get("/console/users?q=paged&page=2").await;
    assert!(page.body.contains("page29@") && !page.body.contains("page00@"), "{}", page.body);
}

async fn managers_never_reach_user_administration(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let console = ConsoleFixture::new(&app).await;
    let alice_id = user_id(&app, ALICE);
    let role_id = users::list_roles(&mut app.conn(), &alice_id).unwrap().remove(0).id;
    for path in ["/console/users".to_owned(), "/console/users?q=alice".to_owned(), format!("/console/users/{alice_id}")]
    {
        assert_eq!(console.manager.get(&path).await.status, StatusCode::NOT_FOUND, "{path}");
    }
    let posts = [
        (format!("/console/users/{alice_id}/block"), vec![]),
        (format!("/console/users/{alice_id}/unblock"), vec![]),
        (format!("/console/users/{alice_id}/roles"), vec![("role", "admin")]),
        (format!("/console/users/{alice_id}/roles/{role_id}/remove"), vec![]),
    ];
    for (path, fields) in &posts {
        let page = console.manager.submit("/console", path, fields).await;
        assert_eq!(page.status, StatusCode::NOT_FOUND, "{path}");
    }
    assert_eq!(user_status(&app, ALICE), "active");
    assert_eq!(users::list_roles(&mut app.conn(), &alice_id).unwrap().len(), 1);
    let manager_id = user_id(&app, &console.manager_email);
    assert!(users::list_roles(&mut app.conn(), &manager_id).unwrap().iter().all(|r| r.role.as_str() != "admin"));
    // Without the form's token even an admin changes nothing.
    let page = console.admin.post(&format!("/console/users/{alice_id}/block"), &[("csrf_token", "forged")]).await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
    assert_eq!(user_status(&app, ALICE), "active");
    assert!(audit_actions(&app).is_empty());
}

async fn managers_probing_another_hub_get_404_and_change_nothing(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let console = ConsoleFixture::new(&app).await;
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
    let at = |t: &str| BookingTime::Instant(utc(t));
    let request = |start: &str, end: &str| NewBookingRequest {
        space_id: console.other_space.id.clone(),
        start: at(start),
        end: at(end),
    };
    let ctx = app.state.context.clone();
    let confirmed = booking::create_booking(
        &mut UnitOfWork::new(&mut app.conn()),
        &ctx,
        &alice,
        &request("2026-11-25T09:00:00Z", "2026-11-25T10:00:00Z"),
        None,
        default_now(),
    )
    .unwrap()
    .view
    .booking
    .id;
    let verifier = app.stored_verifier(confirmed.as_str());
    assert!(verifier.is_some());
    let other = &console.other_hub;

    let gets = [
        "/console/hubs/otherhub/bookings".to_owned(),
        format!("/console/hubs/{}/bookings", other.id),
        "/console/hubs/otherhub/bookings/new".to_owned(),
        format!("/console/hubs/otherhub/bookings/{confirmed}/cancel"),
        format!("{BOOKINGS}/{confirmed}/cancel"),
        format!("{BOOKINGS}/{confirmed}/decline"),
    ];
    for path in &gets {
        assert_eq!(console.manager.get(path).await.status, StatusCode::NOT_FOUND, "{path}");
    }
    let reason = [("reason", "probing")];
    let posts: Vec<(String, &[(&str, &str)])> = vec![
        (format!("{BOOKINGS}/{confirmed}/approve"), &[]),
        (format!("{BOOKINGS}/{confirmed}/decline"), &reason),
        (format!("{BOOKINGS}/{confirmed}/cancel"), &reason),
        (format!("{BOOKINGS}/{confirmed}/pin"), &[]),
        (format!("/console/hubs/otherhub/bookings/{confirmed}/cancel"), &reason),
        (format!("/console/hubs/otherhub/bookings/{confirmed}/pin"), &[]),
        ("/console/hubs/otherhub/bookings/new".to_owned(), &[("email", BOB)]),
    ];
    for (path, fields) in &posts {
        let page = console.manager.submit(BOOKINGS, path, fields).await;
        assert_eq!(page.status, StatusCode::NOT_FOUND, "{path}");
    }
    let booking_fields = [
        ("email", BOB),
        ("space", console.other_space.id.as_str()),
        ("date", "2026-11-26"),
        ("from", "09:00"),
        ("to", "10:00"),
    ];
    let page = console.manager.submit(BOOKINGS, "/console/hubs/otherhub/bookings/new", &booking_fields).await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    let page = console.manager.submit(BOOKINGS, NEW_BOOKING, &booking_fields).await;
    assert_eq!(page.status, StatusCode::NOT_FOUND, "another hub's space under our hub's URL");
    // An admin naming the wrong hub in the URL is refused the same way.
    let page = console.admin.submit(BOOKINGS, &format!("{BOOKINGS}/{confirmed}/cancel"), &reason).await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);

    assert_eq!(app.booking_status(confirmed.as_str()), "confirmed");
    assert_eq!(app.stored_verifier(confirmed.as_str()), verifier);
    assert_eq!(booking_count(&app, BOB), 0);
    assert!(mails_starting(&app, ALICE, &["Buchung storniert", "Anfrage abgelehnt"]).await.is_empty());
    assert!(audit_actions(&app).is_empty());
    // The manager's own list never shows the other hub's booking.
    assert!(!console.manager.get(BOOKINGS).await.body.contains(confirmed.as_str()));
    // And the admin does reach it under its own hub.
    let page = console.admin.get(&format!("/console/hubs/otherhub/bookings/{confirmed}/cancel")).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
}
