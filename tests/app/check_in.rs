//! Check-in and no-shows: a booking is released only where a check-in was possible (the
//! space's modes and the hub's bridge-attached devices, never in a lockdown) and only while it
//! runs, its window counted from the hub's opening, the booking's making or the lift of a
//! lockdown; a member checks in by hand on the booking page, through the API or with the
//! space's QR code (not at a disabled space), each stopping the release and showing in the
//! access log.

use regiohub::db::catalog_admin::{self, Sensor};
use regiohub::db::check_in::{set_space_check_in_modes, space_check_in_modes};
use regiohub::db::{access, catalog};
use regiohub::domain::ids::{DoorId, HubId, SpaceId};
use regiohub::jobs;
use reqwest::StatusCode;

use crate::browser::Browser;
use crate::console::ConsoleFixture;
use crate::helpers::{Backend, TestApp, code, db_time, default_now, utc};
use crate::on_both_backends;

on_both_backends!(
    a_whole_day_booking_at_a_space_without_check_in_is_never_released,
    at_a_door_space_the_window_counts_from_the_opening_and_waits_for_a_silent_bridge,
    a_booking_made_after_its_start_is_judged_from_its_making,
    a_door_only_space_without_a_bridge_attached_door_is_not_released,
    in_a_lockdown_nothing_is_released_and_after_the_lift_the_window_counts_from_it,
    a_booking_released_early_is_not_released_as_a_no_show_at_its_new_end,
    checking_in_on_the_booking_page_keeps_the_booking_and_is_logged,
    the_api_checks_in_within_the_window_and_names_the_rule_otherwise,
    the_qr_code_checks_in_the_current_booking_of_its_space,
    a_disabled_space_has_no_qr_check_in,
    the_console_sets_the_modes_and_prints_the_qr_sheet,
);

const PASSWORD: &str = "a long test password";

fn set_modes(app: &TestApp, space_id: &SpaceId, modes: &str) {
    set_space_check_in_modes(&mut app.conn(), space_id, modes).unwrap();
}

/// Puts the hub's entrance on a new bridge and returns the bridge's token.
fn attach_entrance(app: &TestApp, hub_id: &HubId) -> String {
    let token = app.bridge_token("testhub");
    let bridge = access::find_bridge_named(&mut app.conn(), hub_id, "Bridge").unwrap().unwrap();
    let entrance = app.entrance(hub_id);
    catalog::set_door_bridge(&mut app.conn(), &entrance.id, Some(&bridge.id), Some(1)).unwrap();
    token
}

/// The bridge polls at the test clock's "now".
async fn bridge_polls(app: &TestApp, token: &str) {
    let (status, _, _) = app.bridge_get("/snapshot", token).await;
    assert_eq!(status, StatusCode::OK);
}

async fn release_at(app: &TestApp, at: &str) {
    app.clock.set(utc(at));
    jobs::release_no_shows(&app.state).await.unwrap();
}

fn check_ins(app: &TestApp, hub_id: &HubId, booking_id: &str) -> Vec<(Option<DoorId>, Option<String>)> {
    access::list_access_events(&mut app.conn(), hub_id)
        .unwrap()
        .into_iter()
        .filter(|e| e.kind == "checked_in" && e.booking_id.as_ref().map(|b| b.as_str()) == Some(booking_id))
        .map(|e| (e.door_id, e.reason))
        .collect()
}

async fn a_whole_day_booking_at_a_space_without_check_in_is_never_released(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let f = app.fixture();
    attach_entrance(&app, &f.hub.id);
    assert_eq!(space_check_in_modes(&mut app.conn(), &f.equipment.id).unwrap().as_deref(), Some(""));
    let (status, booking) = app
        .book(&f.alice_token, f.equipment.id.as_str(), "2026-11-23T00:00:00+01:00", "2026-11-24T00:00:00+01:00")
        .await;
    assert_eq!(status, StatusCode::CREATED, "{booking}");
    let id = booking["id"].as_str().unwrap();

    for at in ["2026-11-23T07:31:00Z", "2026-11-23T15:00:00Z", "2026-11-23T22:59:00Z"] {
        release_at(&app, at).await;
        assert_eq!(app.booking_status(id), "confirmed", "no check-in mode, no release ({at})");
    }
}

async fn at_a_door_space_the_window_counts_from_the_opening_and_waits_for_a_silent_bridge(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let f = app.fixture();
    let token = attach_entrance(&app, &f.hub.id);
    set_modes(&app, &f.equipment.id, "door");
    // Booked on Sunday evening for the whole of Monday; the hub opens at 08:00 (07:00 UTC).
    app.clock.set(utc("2026-11-22T20:00:00Z"));
    let (status, booking) = app
        .book(&f.alice_token, f.equipment.id.as_str(), "2026-11-23T00:00:00+01:00", "2026-11-24T00:00:00+01:00")
        .await;
    assert_eq!(status, StatusCode::CREATED, "{booking}");
    let id = booking["id"].as_str().unwrap();

    for at in ["2026-11-22T23:30:00Z", "2026-11-23T06:00:00Z", "2026-11-23T07:29:59Z"] {
        app.clock.set(utc(at));
        bridge_polls(&app, &token).await;
        jobs::release_no_shows(&app.state).await.unwrap();
        assert_eq!(app.booking_status(id), "confirmed", "nobody could come before the opening ({at})");
    }
    // Fifteen minutes without a word from the bridge: entries may still be queued at the hub.
    release_at(&app, "2026-11-23T07:45:00Z").await;
    assert_eq!(app.booking_status(id), "confirmed", "a silent bridge judges nobody absent");
    bridge_polls(&app, &token).await;
    jobs::release_no_shows(&app.state).await.unwrap();
    assert_eq!(app.booking_status(id), "no_show", "released 30 minutes after the opening");
}

async fn a_booking_made_after_its_start_is_judged_from_its_making(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let f = app.fixture();
    set_modes(&app, &f.desk.id, "manual");
    // 08:50 in Berlin: the running half hour (08:30–) can still be booked.
    app.clock.set(utc("2026-11-23T07:50:00Z"));
    let (status, booking) =
        app.book(&f.alice_token, f.desk.id.as_str(), "2026-11-23T08:30:00+01:00", "2026-11-23T10:30:00+01:00").await;
    assert_eq!(status, StatusCode::CREATED, "{booking}");
    let id = booking["id"].as_str().unwrap();

    release_at(&app, "2026-11-23T07:50:30Z").await;
    assert_eq!(app.booking_status(id), "confirmed", "not released seconds after it was made");
    release_at(&app, "2026-11-23T08:19:59Z").await;
    assert_eq!(app.booking_status(id), "confirmed", "the window counts from the booking's making");
    release_at(&app, "2026-11-23T08:20:00Z").await;
    assert_eq!(app.booking_status(id), "no_show");
}

async fn a_door_only_space_without_a_bridge_attached_door_is_not_released(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let f = app.fixture();
    app.bridge_token("testhub");
    set_modes(&app, &f.desk.id, "door");
    let (_, booking) =
        app.book(&f.alice_token, f.desk.id.as_str(), "2026-11-23T10:00:00+01:00", "2026-11-23T12:00:00+01:00").await;
    let id = booking["id"].as_str().unwrap();

    release_at(&app, "2026-11-23T10:30:00Z").await;
    assert_eq!(app.booking_status(id), "confirmed", "no door on a bridge: nobody could check in");
}

/// Puts a presence sensor watching `space_id` on the hub's bridge.
fn attach_sensor(app: &TestApp, hub_id: &HubId, space_id: &SpaceId) {
    let bridge = access::find_bridge_named(&mut app.conn(), hub_id, "Bridge").unwrap().unwrap();
    let sensor = Sensor {
        id: regiohub::db::new_id(),
        hub_id: hub_id.clone(),
        space_id: Some(space_id.clone()),
        bridge_id: Some(bridge.id),
        name: "Radar Desk 1".into(),
        created_at: db_time(default_now()),
    };
    catalog_admin::insert_sensor(&mut app.conn(), &sensor).unwrap();
}

/// The hub's manager locks the hub down (`on`) or lifts it (`off`) in the console.
async fn switch_lockdown(console: &ConsoleFixture, on: &str) {
    let manager = &console.manager;
    let login = manager.log_in(&console.manager_email, crate::console::STAFF_PASSWORD).await;
    assert_eq!(login.status, StatusCode::SEE_OTHER, "idle session");
    let controls = "/console/hubs/testhub/door-controls";
    let switched = manager.submit(controls, &format!("{controls}/lockdown"), &[("lockdown", on)]).await;
    assert_eq!(switched.status, StatusCode::SEE_OTHER, "{}", switched.body);
}

async fn in_a_lockdown_nothing_is_released_and_after_the_lift_the_window_counts_from_it(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let console = ConsoleFixture::new(&app).await;
    let f = &console.fixture;
    // Like Polch's desks: a door on the bridge, a sensor at the desk, and checking in by hand.
    let token = attach_entrance(&app, &f.hub.id);
    attach_sensor(&app, &f.hub.id, &f.desk.id);
    set_modes(&app, &f.desk.id, "door,presence,manual");
    let (status, booking) =
        app.book(&f.alice_token, f.desk.id.as_str(), "2026-11-23T10:00:00+01:00", "2026-11-23T14:00:00+01:00").await;
    assert_eq!(status, StatusCode::CREATED, "{booking}");
    let id = booking["id"].as_str().unwrap();

    // 09:55: the manager locks the hub down before the booking starts.
    app.clock.set(utc("2026-11-23T08:55:00Z"));
    switch_lockdown(&console, "on").await;
    for at in ["2026-11-23T09:30:00Z", "2026-11-23T09:45:00Z", "2026-11-23T10:20:00Z"] {
        app.clock.set(utc(at));
        bridge_polls(&app, &token).await;
        jobs::release_no_shows(&app.state).await.unwrap();
        assert_eq!(app.booking_status(id), "confirmed", "nobody could come in during the lockdown ({at})");
    }

    // 11:25: lifted. The window opens now, not at the start: no release at once.
    app.clock.set(utc("2026-11-23T10:25:00Z"));
    switch_lockdown(&console, "off").await;
    for at in ["2026-11-23T10:25:00Z", "2026-11-23T10:40:00Z", "2026-11-23T10:54:59Z"] {
        app.clock.set(utc(at));
        bridge_polls(&app, &token).await;
        jobs::release_no_shows(&app.state).await.unwrap();
        assert_eq!(app.booking_status(id), "confirmed", "the window counts from the lift ({at})");
    }
    app.clock.set(utc("2026-11-23T10:55:00Z"));
    bridge_polls(&app, &token).await;
    jobs::release_no_shows(&app.state).await.unwrap();
    assert_eq!(app.booking_status(id), "no_show", "released 30 minutes after the lift");
}

async fn a_booking_released_early_is_not_released_as_a_no_show_at_its_new_end(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let f = app.fixture();
    set_modes(&app, &f.desk.id, "manual");
    let (status, booking) =
        app.book(&f.alice_token, f.desk.id.as_str(), "2026-11-23T09:00:00+01:00", "2026-11-23T12:00:00+01:00").await;
    assert_eq!(status, StatusCode::CREATED, "{booking}");
    let id = booking["id"].as_str().unwrap();

    // 09:10: Alice releases it without having checked in; it now ends at 09:30, when the no-show
    // window (30 minutes from the start) closes.
    app.clock.set(utc("2026-11-23T08:10:00Z"));
    let url = app.url(&format!("/api/v1/bookings/{id}/release"));
    let response = app.client.post(url).bearer_auth(&f.alice_token).send().await.unwrap();
    let (status, body) = crate::helpers::json_of(response).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["end"], "2026-11-23T08:30:00Z");

    release_at(&app, "2026-11-23T08:29:59Z").await;
    assert_eq!(app.booking_status(id), "confirmed", "the window is still open");
    for at in ["2026-11-23T08:30:00Z", "2026-11-23T08:45:00Z", "2026-11-23T12:00:00Z"] {
        release_at(&app, at).await;
        assert_ne!(app.booking_status(id), "no_show", "it has ended: not a no-show ({at})");
    }
}

async fn checking_in_on_the_booking_page_keeps_the_booking_and_is_logged(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let console = ConsoleFixture::new(&app).await;
    let f = &console.fixture;
    set_modes(&app, &f.desk.id, "manual");
    let (_, booking) =
        app.book(&f.alice_token, f.desk.id.as_str(), "2026-11-23T10:00:00+01:00", "2026-11-23T12:00:00+01:00").await;
    let id = booking["id"].as_str().unwrap();
    let page_path = format!("/bookings/{id}");
    let browser = Browser::new(&app);
    assert_eq!(browser.log_in("alice@example.org", PASSWORD).await.status, StatusCode::SEE_OTHER);

    // 08:00: two hours early, so no button, and a forged form is refused with the reason.
    let page = browser.get(&page_path).await;
    assert!(!page.body.contains("Ich bin da"), "{}", page.body);
    let refused = browser.submit(&page_path, &format!("{page_path}/check-in"), &[]).await;
    assert_eq!(refused.location.as_deref(), Some(format!("{page_path}?check_in=check_in_not_open").as_str()));
    let page = browser.get(refused.location.as_deref().unwrap()).await;
    assert!(page.body.contains("Einchecken ist erst kurz vor Beginn der Buchung möglich."), "{}", page.body);
    assert_eq!(app.booking_status(id), "confirmed");

    // 09:50, from the PIN's grace (15 minutes) on: the button, until 10:30.
    app.clock.set(utc("2026-11-23T08:50:00Z"));
    assert_eq!(browser.log_in("alice@example.org", PASSWORD).await.status, StatusCode::SEE_OTHER, "idle session");
    let page = browser.get(&page_path).await;
    assert!(page.body.contains("Ich bin da"), "{}", page.body);
    assert!(page.body.contains("10:30"), "{}", page.body);
    let done = browser.submit(&page_path, &format!("{page_path}/check-in"), &[]).await;
    assert_eq!(done.location.as_deref(), Some(format!("{page_path}?check_in=done").as_str()));
    let page = browser.get(done.location.as_deref().unwrap()).await;
    assert!(page.body.contains("Sie sind eingecheckt."), "{}", page.body);
    assert!(!page.body.contains("Ich bin da"), "checked in: no button");
    assert_eq!(app.booking_status(id), "checked_in");
    assert_eq!(check_ins(&app, &f.hub.id, id), [(None, Some("manual".to_owned()))]);

    release_at(&app, "2026-11-23T09:40:00Z").await;
    assert_eq!(app.booking_status(id), "checked_in", "a checked-in booking is kept");
    let manager = &console.manager;
    let page = manager.log_in(&console.manager_email, crate::console::STAFF_PASSWORD).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "idle session");
    let log = manager.get("/console/hubs/testhub/access-log").await;
    assert_eq!(log.status, StatusCode::OK);
    assert!(log.body.contains("Eingecheckt") && log.body.contains("von Hand"), "{}", log.body);
}

async fn the_api_checks_in_within_the_window_and_names_the_rule_otherwise(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let f = app.fixture();
    set_modes(&app, &f.desk.id, "manual");
    set_modes(&app, &f.desk2.id, "door,presence");
    let (_, booking) =
        app.book(&f.alice_token, f.desk.id.as_str(), "2026-11-23T10:00:00+01:00", "2026-11-23T12:00:00+01:00").await;
    let id = booking["id"].as_str().unwrap();
    let (_, door_only) =
        app.book(&f.bob_token, f.desk2.id.as_str(), "2026-11-23T10:00:00+01:00", "2026-11-23T12:00:00+01:00").await;
    let door_only = door_only["id"].as_str().unwrap();
    let check_in = |token: &str, booking: &str| {
        let url = app.url(&format!("/api/v1/bookings/{booking}/check-in"));
        let request = app.client.post(url).bearer_auth(token.to_owned());
        async move { crate::helpers::json_of(request.send().await.unwrap()).await }
    };

    let (status, body) = check_in(&f.alice_token, id).await;
    assert_eq!((status, code(&body)), (StatusCode::CONFLICT, "check_in_not_open"), "{body}");
    app.clock.set(utc("2026-11-23T08:50:00Z"));
    let (status, body) = check_in(&f.bob_token, id).await;
    assert_eq!((status, code(&body)), (StatusCode::NOT_FOUND, "not_found"), "someone else's booking");
    let (status, body) = check_in(&f.bob_token, door_only).await;
    assert_eq!((status, code(&body)), (StatusCode::CONFLICT, "check_in_not_offered"), "{body}");

    let (status, body) = check_in(&f.alice_token, id).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["status"], "checked_in");
    let (status, body) = check_in(&f.alice_token, id).await;
    assert_eq!((status, &body["status"]), (StatusCode::OK, &serde_json::json!("checked_in")), "twice changes nothing");
    assert_eq!(check_ins(&app, &f.hub.id, id), [(None, Some("manual".to_owned()))], "logged once");
    release_at(&app, "2026-11-23T09:40:00Z").await;
    assert_eq!(app.booking_status(id), "checked_in");

    // Bob's next booking at a manual space: the window closes 30 minutes after the start.
    set_modes(&app, &f.desk2.id, "manual");
    app.clock.set(utc("2026-11-23T09:00:00Z"));
    let (status, late) =
        app.book(&f.bob_token, f.desk2.id.as_str(), "2026-11-23T12:00:00+01:00", "2026-11-23T13:00:00+01:00").await;
    assert_eq!(status, StatusCode::CREATED, "{late}");
    app.clock.set(utc("2026-11-23T11:30:00Z"));
    let (status, body) = check_in(&f.bob_token, late["id"].as_str().unwrap()).await;
    assert_eq!((status, code(&body)), (StatusCode::CONFLICT, "check_in_closed"), "{body}");
}

async fn the_qr_code_checks_in_the_current_booking_of_its_space(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let f = app.fixture();
    set_modes(&app, &f.desk.id, "manual");
    let (_, booking) =
        app.book(&f.alice_token, f.desk.id.as_str(), "2026-11-23T10:00:00+01:00", "2026-11-23T12:00:00+01:00").await;
    let id = booking["id"].as_str().unwrap();
    let qr_path = format!("/check-in/{}", f.desk.id);

    let browser = Browser::new(&app);
    let page = browser.get(&qr_path).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "log in first");
    let location = page.location.unwrap();
    assert!(location.starts_with("/login?next=") && location.contains("check-in"), "{location}");
    assert_eq!(browser.log_in("alice@example.org", PASSWORD).await.status, StatusCode::SEE_OTHER);

    let page = browser.get(&qr_path).await;
    assert!(page.body.contains("Einchecken ist ab 09:45 Uhr möglich."), "too early: {}", page.body);
    let page = browser.get(&format!("/check-in/{}", f.desk2.id)).await;
    assert!(page.body.contains("Sie haben an diesem Platz gerade keine Buchung."), "{}", page.body);

    app.clock.set(utc("2026-11-23T08:50:00Z"));
    assert_eq!(browser.log_in("alice@example.org", PASSWORD).await.status, StatusCode::SEE_OTHER, "idle session");
    let page = browser.get(&qr_path).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Desk 1") && page.body.contains("Ich bin da"), "{}", page.body);
    let done = browser.submit(&qr_path, &qr_path, &[("booking_id", id)]).await;
    assert_eq!(done.location.as_deref(), Some(format!("/bookings/{id}?check_in=done").as_str()));
    assert_eq!(app.booking_status(id), "checked_in");
    assert_eq!(check_ins(&app, &f.hub.id, id), [(None, Some("qr".to_owned()))]);
    let page = browser.get(&qr_path).await;
    assert!(page.body.contains("Sie sind eingecheckt."), "{}", page.body);

    let other = browser.submit(&qr_path, &format!("/check-in/{}", f.desk2.id), &[("booking_id", id)]).await;
    assert_eq!(other.status, StatusCode::NOT_FOUND, "a booking of another space is not this code's");
    release_at(&app, "2026-11-23T09:40:00Z").await;
    assert_eq!(app.booking_status(id), "checked_in");
}

async fn a_disabled_space_has_no_qr_check_in(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let f = app.fixture();
    set_modes(&app, &f.desk.id, "manual");
    let (_, booking) =
        app.book(&f.alice_token, f.desk.id.as_str(), "2026-11-23T10:00:00+01:00", "2026-11-23T12:00:00+01:00").await;
    let id = booking["id"].as_str().unwrap();
    let qr_path = format!("/check-in/{}", f.desk.id);
    app.clock.set(utc("2026-11-23T08:50:00Z"));
    let browser = Browser::new(&app);
    assert_eq!(browser.log_in("alice@example.org", PASSWORD).await.status, StatusCode::SEE_OTHER);
    let page = browser.get(&qr_path).await;
    assert!(page.body.contains("Ich bin da"), "enabled: the button {}", page.body);

    catalog::set_space_enabled(&mut app.conn(), &f.desk.id, false).unwrap();
    assert_eq!(browser.get(&qr_path).await.status, StatusCode::NOT_FOUND, "a disabled space's code leads nowhere");
    let refused = browser.submit(&format!("/bookings/{id}"), &qr_path, &[("booking_id", id)]).await;
    assert_eq!(refused.status, StatusCode::NOT_FOUND, "nor checks anyone in");
    assert_eq!(app.booking_status(id), "confirmed");
    assert!(check_ins(&app, &f.hub.id, id).is_empty());
}

async fn the_console_sets_the_modes_and_prints_the_qr_sheet(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let console = ConsoleFixture::new(&app).await;
    let f = &console.fixture;
    let manager = &console.manager;

    let blank = manager.get("/console/hubs/testhub/spaces/new").await;
    assert_eq!(blank.status, StatusCode::OK);
    assert!(blank.body.contains("Einchecken"), "{}", blank.body);
    assert!(!blank.body.contains("name=\"check_in_door\" value=\"on\" checked"), "no bridge: no default mode");
    attach_entrance(&app, &f.hub.id);
    let blank = manager.get("/console/hubs/testhub/spaces/new").await;
    assert!(blank.body.contains("name=\"check_in_door\" value=\"on\" checked"), "{}", blank.body);

    let edit = format!("/console/hubs/testhub/spaces/{}", f.desk.id);
    let fields = [
        ("name", "Desk 1"),
        ("kind", "desk"),
        ("capacity", "1"),
        ("booking_unit", "hour"),
        ("slot_minutes", "30"),
        ("min_minutes", "60"),
        ("max_minutes", "240"),
        ("max_days_ahead", "30"),
        ("check_in_door", "on"),
        ("check_in_manual", "on"),
    ];
    let saved = manager.submit(&edit, &edit, &fields).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    assert_eq!(space_check_in_modes(&mut app.conn(), &f.desk.id).unwrap().as_deref(), Some("door,manual"));
    let form = manager.get(&edit).await;
    assert!(form.body.contains("name=\"check_in_manual\" value=\"on\" checked"), "{}", form.body);
    assert!(!form.body.contains("name=\"check_in_presence\" value=\"on\" checked"));
    let list = manager.get("/console/hubs/testhub/spaces").await;
    assert!(list.body.contains("<td>Tür, von Hand</td>") && list.body.contains("kein Check-in"), "{}", list.body);
    let saved = manager.submit(&edit, &edit, &fields[..8]).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER);
    assert_eq!(space_check_in_modes(&mut app.conn(), &f.desk.id).unwrap().as_deref(), Some(""), "none ticked");

    let sheet = manager.get(&format!("{edit}/qr")).await;
    assert_eq!(sheet.status, StatusCode::OK);
    let url = format!("{}/check-in/{}", app.state.settings.public_url.trim_end_matches('/'), f.desk.id);
    assert!(sheet.body.contains("<svg") && sheet.body.contains(&url), "{}", sheet.body);
    assert!(sheet.body.contains("Desk 1") && sheet.body.contains("Test Hub"));
    assert!(sheet.body.contains("/static/css/qr-sheet.css"));
    let other = console.admin.get(&format!("/console/hubs/testhub/spaces/{}/qr", console.other_space.id)).await;
    assert_eq!(other.status, StatusCode::NOT_FOUND, "another hub's space is not under this hub");
}
