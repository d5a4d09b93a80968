//! Booking requests and the booking life cycle: a request mails the hub's managers (and the
//! admins) with a link to decide and tells the member it was received; a request nobody decided
//! by its start is declined by the job exactly once and its time is free again; a decided one is
//! left alone; the console shows how long a request has waited; ended bookings become completed.
//! Both rules reach rows left behind by a long outage, batch after batch.

use regiohub::db::bookings::{self as booking_rows, Booking};
use regiohub::db::{self, access, audit, lifecycle, users};
use regiohub::domain::ids::{BookingId, UserId};
use regiohub::domain::role::Role;
use regiohub::domain::vocabulary::BookingStatus;
use regiohub::i18n::Lang;
use regiohub::jobs::{self, LifeCycleReport};
use regiohub::service::{UnitOfWork, accounts};
use reqwest::StatusCode;

use crate::browser::{Browser, mails_to};
use crate::console::{ConsoleFixture, STAFF_PASSWORD};
use crate::helpers::{Backend, TestApp, db_time, default_now, utc};
use crate::mail::ReceivedMail;
use crate::on_both_backends;

on_both_backends!(
    a_request_mails_the_hubs_managers_and_tells_the_member_it_was_received,
    a_request_not_decided_by_its_start_is_declined_once_and_frees_its_time,
    a_request_decided_before_its_start_is_left_alone,
    the_console_lists_requests_first_with_their_age,
    an_ended_booking_becomes_completed_and_a_running_one_does_not,
    a_request_still_waiting_after_a_long_outage_is_declined,
    a_long_history_of_ended_bookings_is_completed_in_batches_exactly_once,
);

const ALICE: &str = "alice@example.org";
const BOB: &str = "bob@example.org";
const MANAGER: &str = "manager@example.org";
const ADMIN: &str = "admin@example.org";
const OTHER_MANAGER: &str = "other-manager@example.org";
const BOOKINGS: &str = "/console/hubs/testhub/bookings";

/// A request for the room (which needs approval) on Tuesday 24 November, local times; its id.
async fn room_request(app: &TestApp, token: &str, room_id: &str, from: &str, until: &str) -> BookingId {
    let (start, end) = (format!("2026-11-24T{from}:00+01:00"), format!("2026-11-24T{until}:00+01:00"));
    let (status, body) = app.book(token, room_id, &start, &end).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(body["status"], "pending");
    BookingId::new(body["id"].as_str().unwrap())
}

/// A confirmed booking on Monday 23 November (the test's today), local times; its id.
async fn monday_booking(app: &TestApp, token: &str, space_id: &str, from: &str, until: &str) -> BookingId {
    let (start, end) = (format!("2026-11-23T{from}:00+01:00"), format!("2026-11-23T{until}:00+01:00"));
    let (status, body) = app.book(token, space_id, &start, &end).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(body["status"], "confirmed");
    BookingId::new(body["id"].as_str().unwrap())
}

async fn mails_starting(app: &TestApp, email: &str, prefix: &str) -> Vec<ReceivedMail> {
    mails_to(app, email).await.into_iter().filter(|m| m.subject.starts_with(prefix)).collect()
}

fn user_id(app: &TestApp, email: &str) -> UserId {
    users::find_user_by_email(&mut app.conn(), email).unwrap().unwrap().id
}

/// The hub's manager, logged in at the clock's time (sessions end after 30 idle minutes).
async fn manager_now(app: &TestApp) -> Browser {
    let browser = Browser::new(app);
    let page = browser.log_in(MANAGER, STAFF_PASSWORD).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    browser
}

async fn life_cycle(app: &TestApp) -> LifeCycleReport {
    jobs::run_life_cycle(&app.state).await.unwrap()
}

async fn a_request_mails_the_hubs_managers_and_tells_the_member_it_was_received(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let console = ConsoleFixture::new(&app).await;
    let f = &console.fixture;
    let other_hub = Role::HubManager(console.other_hub.id.clone());
    accounts::add_user(
        &mut UnitOfWork::new(&mut app.conn()),
        OTHER_MANAGER,
        "Other Manager",
        &other_hub,
        "a long password!",
        default_now(),
    )
    .unwrap();
    accounts::set_language(&mut UnitOfWork::new(&mut app.conn()), &user_id(&app, MANAGER), Lang::En, default_now())
        .unwrap();

    let id = room_request(&app, &f.alice_token, f.room.id.as_str(), "10:00", "12:00").await;

    let link = format!("{BOOKINGS}?status=pending#booking-{id}");
    let asked = mails_to(&app, MANAGER).await;
    assert_eq!(asked.len(), 1, "one mail to the hub's manager");
    assert!(asked[0].subject.starts_with("New booking request: Room"), "in their language: {}", asked[0].subject);
    assert!(asked[0].text.contains(&link) && asked[0].html.contains("bookings?status=pending#booking-"));
    assert!(asked[0].text.contains("Test Member"), "who asked: {}", asked[0].text);
    assert!(asked[0].text.contains("Tue, 24 Nov 2026, 10:00"), "decide by the start: {}", asked[0].text);
    assert!(asked[0].calendar.is_none());
    let admin = mails_to(&app, ADMIN).await;
    assert_eq!(admin.len(), 1, "admins hear of requests as they hear of alarms");
    assert!(admin[0].subject.starts_with("Neue Buchungsanfrage: Room"), "{}", admin[0].subject);
    assert!(mails_to(&app, OTHER_MANAGER).await.is_empty(), "another hub's manager hears nothing");

    let received = mails_to(&app, ALICE).await;
    assert_eq!(received.len(), 1, "{:?}", received.iter().map(|m| &m.subject).collect::<Vec<_>>());
    let mail = &received[0];
    assert!(mail.subject.starts_with("Anfrage eingegangen: Room"), "{}", mail.subject);
    assert!(mail.text.contains("Di., 24.11.2026, 10:00 Uhr"), "until when it is decided: {}", mail.text);
    assert!(mail.text.contains(&format!("/bookings/{id}")), "{}", mail.text);
    assert!(!mail.text.contains("Ihre Tür-PIN:") && mail.calendar.is_none(), "no PIN, no calendar: {}", mail.text);
    assert_eq!(app.stored_verifier(id.as_str()), None);

    // The link leads the manager to the request.
    let page = console.manager.get(&link).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains(&format!("id=\"booking-{id}\"")), "{}", page.body);
    assert!(page.body.contains(&format!("{id}/approve")), "{}", page.body);

    // A confirmed booking asks nobody.
    let (status, _) =
        app.book(&f.bob_token, f.desk.id.as_str(), "2026-11-24T10:00:00+01:00", "2026-11-24T12:00:00+01:00").await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(mails_to(&app, MANAGER).await.len(), 1);
    assert_eq!(mails_to(&app, ADMIN).await.len(), 1);
}

async fn a_request_not_decided_by_its_start_is_declined_once_and_frees_its_time(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let console = ConsoleFixture::new(&app).await;
    let f = &console.fixture;
    accounts::set_language(&mut UnitOfWork::new(&mut app.conn()), &user_id(&app, BOB), Lang::En, default_now())
        .unwrap();
    let alices = room_request(&app, &f.alice_token, f.room.id.as_str(), "10:00", "12:00").await;

    app.clock.set(utc("2026-11-24T08:59:59Z"));
    assert_eq!(life_cycle(&app).await.requests_declined, 0, "a second before the start it may still be decided");
    assert_eq!(app.booking_status(alices.as_str()), "pending");

    app.clock.set(utc("2026-11-24T09:00:00Z"));
    assert_eq!(life_cycle(&app).await.requests_declined, 1);
    assert_eq!(app.booking_status(alices.as_str()), "cancelled", "declined as a manager's decline is");
    assert_eq!(life_cycle(&app).await.requests_declined, 0);
    let declined = mails_starting(&app, ALICE, "Anfrage abgelehnt: Room").await;
    assert_eq!(declined.len(), 1, "mailed once");
    assert!(declined[0].text.contains("bis zum Beginn der Buchung nicht entschieden"), "{}", declined[0].text);
    assert!(declined[0].calendar.is_none(), "a request never was a calendar entry");
    let entries = audit::list_audit(&mut app.conn(), None, 10).unwrap();
    let (entry, actor) = &entries[0];
    assert_eq!(entry.action, "booking_request_expired");
    assert_eq!((entry.actor_id.as_ref(), actor.as_deref()), (None, None), "the system acted");
    assert_eq!(entry.hub_id.as_ref(), Some(&f.hub.id));
    let page = manager_now(&app).await.get("/console/hubs/testhub/audit").await;
    assert!(
        page.body.contains("booking_request_expired") && page.body.contains("System (automatisch)"),
        "{}",
        page.body
    );

    // The rest of the time is free again: someone else may ask for it.
    let bobs = room_request(&app, &f.bob_token, f.room.id.as_str(), "10:30", "12:00").await;

    // Two service instances run the pass at the same moment: one of them declines it.
    app.clock.set(utc("2026-11-24T09:30:00Z"));
    let (a, b) = tokio::join!(
        jobs::approvals::decline_undecided_requests(&app.state),
        jobs::approvals::decline_undecided_requests(&app.state)
    );
    assert_eq!(a.unwrap() + b.unwrap(), 1, "exactly once");
    assert_eq!(life_cycle(&app).await.requests_declined, 0);
    assert_eq!(app.booking_status(bobs.as_str()), "cancelled");
    let declined = mails_starting(&app, BOB, "Request declined: Room").await;
    assert_eq!(declined.len(), 1, "mailed once, in Bob's language");
    assert!(declined[0].text.contains("not decided before the booking's start"), "{}", declined[0].text);
}

async fn a_request_decided_before_its_start_is_left_alone(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let console = ConsoleFixture::new(&app).await;
    let f = &console.fixture;
    let approved = room_request(&app, &f.alice_token, f.room.id.as_str(), "10:00", "12:00").await;
    let declined = room_request(&app, &f.bob_token, f.room.id.as_str(), "13:00", "15:00").await;
    let page = console.manager.submit(BOOKINGS, &format!("{BOOKINGS}/{approved}/approve"), &[]).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    let form = format!("{BOOKINGS}/{declined}/decline");
    let page = console.manager.submit(&form, &form, &[("reason", "Renovierung")]).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);

    app.clock.set(utc("2026-11-24T12:30:00Z"));
    let report = life_cycle(&app).await;
    assert_eq!(report.requests_declined, 0);
    assert_eq!(app.booking_status(approved.as_str()), "completed", "approved, then ended");
    assert_eq!(app.booking_status(declined.as_str()), "cancelled");
    let alice = mails_to(&app, ALICE).await;
    assert!(
        alice.iter().all(|m| !m.subject.starts_with("Anfrage abgelehnt")),
        "{:?}",
        alice.iter().map(|m| &m.subject).collect::<Vec<_>>()
    );
    assert_eq!(mails_starting(&app, BOB, "Anfrage abgelehnt").await.len(), 1, "only the manager's decline");
    let actions: Vec<String> =
        audit::list_audit(&mut app.conn(), None, 10).unwrap().into_iter().map(|(row, _)| row.action).collect();
    assert!(!actions.contains(&"booking_request_expired".to_owned()), "{actions:?}");
}

async fn the_console_lists_requests_first_with_their_age(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let console = ConsoleFixture::new(&app).await;
    let f = &console.fixture;
    // An earlier confirmed booking, then a request made at 08:00.
    let (status, desk) =
        app.book(&f.bob_token, f.desk.id.as_str(), "2026-11-24T08:00:00+01:00", "2026-11-24T09:00:00+01:00").await;
    assert_eq!(status, StatusCode::CREATED);
    let desk = desk["id"].as_str().unwrap().to_owned();
    let id = room_request(&app, &f.alice_token, f.room.id.as_str(), "10:00", "12:00").await;

    app.clock.set(utc("2026-11-23T10:20:00Z"));
    let page = manager_now(&app).await.get(BOOKINGS).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains("wartet seit 3 Std."), "{}", page.body);
    assert!(page.body.contains("1 Anfrage wartet auf Bestätigung"), "{}", page.body);
    let request_row = page.body.find(&format!("id=\"booking-{id}\"")).unwrap();
    let desk_row = page.body.find(&format!("id=\"booking-{desk}\"")).unwrap();
    assert!(request_row < desk_row, "the request comes first");
    assert_eq!(page.body.matches("wartet seit").count(), 1, "only requests have an age");

    accounts::set_language(&mut UnitOfWork::new(&mut app.conn()), &user_id(&app, MANAGER), Lang::En, default_now())
        .unwrap();
    app.clock.set(utc("2026-11-23T07:12:00Z"));
    assert!(manager_now(&app).await.get(BOOKINGS).await.body.contains("waiting 12 min"));
    app.clock.set(utc("2026-11-24T08:59:00Z"));
    assert!(manager_now(&app).await.get(BOOKINGS).await.body.contains("waiting 25 h"));
}

async fn an_ended_booking_becomes_completed_and_a_running_one_does_not(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let console = ConsoleFixture::new(&app).await;
    let f = &console.fixture;
    let carol = app.member(&mut app.conn(), "carol@example.org");
    // Alice never checks in (as at a space without check-in), Bob does; Carol's runs longer.
    let alices = monday_booking(&app, &f.alice_token, f.desk.id.as_str(), "10:00", "12:00").await;
    let bobs = monday_booking(&app, &f.bob_token, f.desk2.id.as_str(), "10:00", "12:00").await;
    let carols = monday_booking(&app, &carol, f.desk.id.as_str(), "12:00", "14:00").await;
    let checked_in = db_time(utc("2026-11-23T09:05:00Z"));
    assert!(
        access::move_booking(&mut app.conn(), &bobs, &[BookingStatus::Confirmed], BookingStatus::CheckedIn, checked_in)
            .unwrap()
    );
    app.send_mail().await;
    let mails = app.mailbox().len();

    app.clock.set(utc("2026-11-23T10:59:59Z"));
    assert_eq!(life_cycle(&app).await.completed, 0, "nothing has ended yet");
    assert_eq!(app.booking_status(alices.as_str()), "confirmed");
    assert_eq!(app.booking_status(bobs.as_str()), "checked_in");

    app.clock.set(utc("2026-11-23T11:00:00Z"));
    assert_eq!(life_cycle(&app).await.completed, 2);
    assert_eq!(app.booking_status(alices.as_str()), "completed", "ended without a check-in: completed, not a no-show");
    assert_eq!(app.booking_status(bobs.as_str()), "completed");
    assert_eq!(app.booking_status(carols.as_str()), "confirmed", "still running");
    assert!(lifecycle::completed_without_check_in(&mut app.conn(), &alices).unwrap(), "never counted as attended");
    assert!(!lifecycle::completed_without_check_in(&mut app.conn(), &bobs).unwrap());
    assert_eq!(life_cycle(&app).await.completed, 0, "twice changes nothing");
    app.send_mail().await;
    assert_eq!(app.mailbox().len(), mails, "completing mails nobody");

    // The member sees it as completed; the no-show release leaves it alone.
    let (status, body) = app.get("/api/v1/bookings", &f.alice_token).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(body.to_string().contains(&format!("\"id\":\"{alices}\"")), "{body}");
    let listed = body.to_string();
    assert!(listed.contains("\"status\":\"completed\""), "{listed}");
    jobs::release_no_shows(&app.state).await.unwrap();
    assert_eq!(app.booking_status(alices.as_str()), "completed");

    // The report does not count a booking nobody checked in to as attended.
    let csv = manager_now(&app).await.get("/console/hubs/testhub/bookings.csv?from=2026-11-23&to=2026-11-23").await;
    assert_eq!(csv.status, StatusCode::OK);
    let line_of = |email: &str| csv.body.lines().find(|l| l.contains(email)).unwrap_or_default().to_owned();
    assert!(line_of(ALICE).ends_with(";Abgeschlossen;nein;nein"), "{}", csv.body);
    assert!(line_of(BOB).ends_with(";Abgeschlossen;ja;nein"), "{}", csv.body);
}

async fn a_request_still_waiting_after_a_long_outage_is_declined(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let console = ConsoleFixture::new(&app).await;
    let f = &console.fixture;
    let alices = room_request(&app, &f.alice_token, f.room.id.as_str(), "10:00", "12:00").await;
    let bobs = monday_booking(&app, &f.bob_token, f.desk.id.as_str(), "10:00", "12:00").await;

    // The service was down from before the request's start until ten days after it.
    app.clock.set(utc("2026-12-04T09:00:00Z"));
    let report = life_cycle(&app).await;
    assert_eq!(report, LifeCycleReport { requests_declined: 1, completed: 1 });
    assert_eq!(app.booking_status(alices.as_str()), "cancelled");
    assert_eq!(app.booking_status(bobs.as_str()), "completed", "ended eleven days ago");
    assert_eq!(mails_starting(&app, ALICE, "Anfrage abgelehnt: Room").await.len(), 1);
    assert_eq!(life_cycle(&app).await, LifeCycleReport::default(), "once");

    let entries = audit::list_audit(&mut app.conn(), None, 10).unwrap();
    let (entry, _) = entries.iter().find(|(row, _)| row.action == "booking_request_expired").unwrap();
    assert!(entry.details.contains("Test Member"), "who asked, by name: {}", entry.details);
    assert!(!entry.details.contains(ALICE) && !entry.details.contains('@'), "no e-mail address: {}", entry.details);
}

async fn a_long_history_of_ended_bookings_is_completed_in_batches_exactly_once(backend: Backend) {
    let mut app = TestApp::spawn(backend).await;
    let f = app.fixture();
    let alice = user_id(&app, ALICE);
    let running = monday_booking(&app, &f.bob_token, f.desk2.id.as_str(), "10:00", "12:00").await;
    // Only the passes below: the app's own (at start and every minute) would take some of the
    // bookings when they run while the history is written or a loaded machine makes it slow.
    app.stop_background().await;
    // Nearly three years of bookings nobody completed, one a day, oldest first: more than two
    // batches.
    let count = 2 * regiohub::service::approvals::BATCH + 50;
    let first_start = utc("2024-01-01T09:00:00Z");
    let ids: Vec<BookingId> = {
        let mut conn = app.conn();
        (0..count)
            .map(|day| {
                let start = first_start + chrono::Duration::days(i64::try_from(day).unwrap());
                let booking = Booking {
                    id: BookingId::from(db::new_id()),
                    space_id: f.desk.id.clone(),
                    user_id: Some(alice.clone()),
                    start_at: db_time(start),
                    end_at: db_time(start + chrono::Duration::hours(2)),
                    status: if day % 2 == 0 { BookingStatus::Confirmed } else { BookingStatus::CheckedIn },
                    created_by: None,
                    created_at: db_time(start),
                    updated_at: db_time(start),
                    cancelled_at: None,
                };
                booking_rows::insert_booking(&mut conn, &booking).unwrap();
                booking.id
            })
            .collect()
    };

    // Two service instances run the pass at the same moment: each booking is completed once.
    app.clock.set(utc("2026-11-23T10:00:00Z"));
    let (a, b) = tokio::join!(
        jobs::approvals::complete_ended_bookings(&app.state),
        jobs::approvals::complete_ended_bookings(&app.state)
    );
    assert_eq!(a.unwrap() + b.unwrap(), count, "all of them in one pass, each once");
    for id in [&ids[0], &ids[count / 2], &ids[count - 1]] {
        assert_eq!(app.booking_status(id.as_str()), "completed");
    }
    assert!(lifecycle::completed_without_check_in(&mut app.conn(), &ids[0]).unwrap());
    assert!(!lifecycle::completed_without_check_in(&mut app.conn(), &ids[1]).unwrap());
    assert_eq!(app.booking_status(running.as_str()), "confirmed", "still running");
    assert_eq!(life_cycle(&app).await, LifeCycleReport::default());
}
