//! The whole door loop end to end on loopback, wired as `regiohub demo` wires it: the real web
//! service, the real bridge (`regiohub_hardware::app`, linked with a token from the service),
//! simulated devices, and door controllers speaking Modbus (the demo keypad and a
//! `SimController` of the test's own). A booking's PIN opens the door and checks the booking
//! in, and the manager's dashboard shows it checked in and a walk-in from a presence sensor; a
//! cancellation reaches the door at once; with the service down the bridge keeps to the
//! bookings' own windows; after both restart every queued event is stored once; a booking
//! nobody used is released with a mail.
//!
//! The bridge decides on the real clock, so the hub is moved to a zone in which the real time
//! is about noon, and the service's clock stands at 09:00 there: bookings from 10:00 then hold
//! the bridge's "now" whatever the hour the test runs, and none crosses midnight.

use std::cmp::Ordering;
use std::net::SocketAddr;
use std::path::Path;
use std::time::Duration;

use chrono::{DateTime, FixedOffset, NaiveDate, Timelike, Utc};
use diesel::prelude::*;
use regiohub::clock::Clock;
use regiohub::db::schema::{access_events, closures, hubs, presence_readings};
use regiohub::db::{access, catalog};
use regiohub::demo::door_bridge::{self, DemoHubLayout};
use regiohub::demo::door_loop::{DemoLoop, DemoLoopSettings};
use regiohub::demo::door_page::{self, DemoDoorSlot};
use regiohub::domain::role::Role;
use regiohub::jobs;
use regiohub_hardware::bridge::registers::RequestResult;
use regiohub_hardware::bridge::sim_controller::SimController;
use regiohub_hardware::protocol::{AccessEventKind, BookingId, Decision, DenyReason, DoorId};
use reqwest::StatusCode;

use crate::browser::Browser;
use crate::console_live::space_row;
use crate::helpers::{Backend, TestApp, TestDatabase};
use crate::mail::parse;
use crate::on_both_backends;

on_both_backends!(
    a_booking_opens_the_door_online_and_offline_and_every_event_arrives_once,
    the_demo_puts_polchs_doors_on_its_bridge_with_stable_unit_ids,
);

/// Wall-clock times of the test's day in the hub's zone.
pub(crate) struct HubDay {
    offset: FixedOffset,
    day: NaiveDate,
}

impl HubDay {
    /// The day around `now` in a zone (`Etc/GMT±n`) where `now` is between 12:00 and 13:00,
    /// and that zone's name.
    pub(crate) fn around(now: DateTime<Utc>) -> (HubDay, String) {
        let east = 12 - i32::try_from(now.hour()).unwrap();
        let zone = match east.cmp(&0) {
            Ordering::Equal => "Etc/GMT".to_owned(),
            // The Etc zones count the other way round: Etc/GMT-5 is five hours east.
            Ordering::Greater => format!("Etc/GMT-{east}"),
            Ordering::Less => format!("Etc/GMT+{}", -east),
        };
        let offset = FixedOffset::east_opt(east * 3600).unwrap();
        (HubDay { offset, day: now.with_timezone(&offset).date_naive() }, zone)
    }

    pub(crate) fn at(&self, hh_mm: &str) -> DateTime<Utc> {
        let local = self.day.and_time(hh_mm.parse().unwrap());
        local.and_local_timezone(self.offset).unwrap().with_timezone(&Utc)
    }

    pub(crate) fn rfc3339(&self, hh_mm: &str) -> String {
        self.at(hh_mm).with_timezone(&self.offset).to_rfc3339()
    }
}

impl TestApp {
    /// Books over the API and returns the booking's id and PIN.
    pub(crate) async fn booked(
        &self,
        day: &HubDay,
        token: &str,
        space: &str,
        from: &str,
        to: &str,
    ) -> (String, String) {
        let (status, body) = self.book(token, space, &day.rfc3339(from), &day.rfc3339(to)).await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        (body["id"].as_str().unwrap().to_owned(), body["pin"].as_str().unwrap().to_owned())
    }
}

/// Polls `check` until it holds; fails after a minute.
pub(crate) async fn eventually(what: &str, mut check: impl FnMut() -> bool) {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(60);
    while !check() {
        assert!(tokio::time::Instant::now() < deadline, "timed out waiting for: {what}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Starts the loop against `app` with the bridge's state in `dir`; returns once the bridge
/// holds a snapshot from the service.
async fn start_loop(app: &TestApp, layout: &DemoHubLayout, token: &str, dir: &Path) -> (DemoLoop, SocketAddr) {
    start_loop_via(app, layout, token, &app.address, dir).await
}

/// As [`start_loop`], with the bridge reaching the service at `central_url` (a load balancer).
pub(crate) async fn start_loop_via(
    app: &TestApp,
    layout: &DemoHubLayout,
    token: &str,
    central_url: &str,
    dir: &Path,
) -> (DemoLoop, SocketAddr) {
    let modbus = SocketAddr::from(([127, 0, 0, 1], crate::helpers::free_port()));
    let door_loop = DemoLoop::start(DemoLoopSettings {
        layout: layout.clone(),
        token: token.to_owned(),
        pin_key: app.state.context.secret.hub_pin_key(&layout.hub_id),
        central_url: central_url.to_owned(),
        modbus_listen: modbus,
        dir: dir.to_path_buf(),
    })
    .await
    .unwrap();
    let state = door_loop.bridge_state().clone();
    eventually("the bridge is online", || state.snapshot_version().is_some() && !state.is_deciding_offline()).await;
    (door_loop, modbus)
}

pub(crate) fn holds(door_loop: &DemoLoop, booking: &str) -> bool {
    door_loop.bridge_state().snapshot().is_some_and(|s| s.grants.iter().any(|g| g.booking_id.as_str() == booking))
}

/// A door controller of the test's own, going on from the bridge's last answer.
pub(crate) async fn controller(bridge: SocketAddr, unit: u8) -> SimController {
    let mut controller = SimController::connect(bridge, unit).await.unwrap();
    controller.continue_sequence().await.unwrap();
    controller
}

async fn a_booking_opens_the_door_online_and_offline_and_every_event_arrives_once(backend: Backend) {
    let (day, zone) = HubDay::around(Utc::now());
    let slot = DemoDoorSlot::default();
    let data_dir = tempfile::tempdir().unwrap().keep();
    let app = TestApp::spawn_on(
        TestDatabase::create(backend),
        data_dir,
        Clock::fixed(day.at("09:00")),
        door_page::routes(slot.clone()),
    )
    .await;
    let f = app.fixture();
    {
        let mut conn = app.conn();
        diesel::update(hubs::table.find(f.hub.id.as_str())).set(hubs::time_zone.eq(&zone)).execute(&mut *conn).unwrap();
        diesel::delete(closures::table.filter(closures::hub_id.eq(f.hub.id.as_str()))).execute(&mut *conn).unwrap();
        catalog::set_space_enabled(&mut conn, &f.disabled_desk.id, true).unwrap();
        // Checking in by hand is always possible there, so its booking may become a no-show
        // whatever the bridge's last poll at the moment the job runs.
        regiohub::db::check_in::set_space_check_in_modes(&mut conn, &f.disabled_desk.id, "manual").unwrap();
    }
    let carol_token = app.member(&mut app.conn(), "carol@example.org");
    let desk3 = &f.disabled_desk.id;
    let (alice_booking, alice_pin) = app.booked(&day, &f.alice_token, f.desk.id.as_str(), "10:00", "14:00").await;
    let (_, ended_pin) = app.booked(&day, &f.bob_token, f.desk2.id.as_str(), "10:00", "11:00").await;
    let (unused_booking, _) = app.booked(&day, &carol_token, (desk3).as_str(), "10:00", "11:00").await;

    let (layout, bridge_token) = door_bridge::demo_bridge_link(&mut app.conn(), "testhub", day.at("09:00")).unwrap();
    let entrance = layout.doors[0].clone();
    assert_eq!((entrance.entrance, entrance.unit_id), (true, 1), "the entrance is unit 1");
    let bridge_dir = tempfile::tempdir().unwrap();
    let (door_loop, modbus) = start_loop(&app, &layout, &bridge_token, bridge_dir.path()).await;
    slot.install(door_loop.site());
    let site = door_loop.site();

    // a. The member types the PIN at the demo keypad: granted, the simulated lock relay pulses,
    // the door opens and closes, the executed unlock is in the access log, the booking checked in.
    let browser = Browser::new(&app);
    let index = browser.get("/demo").await;
    assert_eq!(index.status, StatusCode::OK);
    assert!(index.body.contains(&format!("href=\"/demo/door/{}\"", entrance.id)), "{}", index.body);
    let keypad = format!("/demo/door/{}", entrance.id);
    let refused = browser.post(&keypad, &[("pin", alice_pin.as_str())]).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "no CSRF token, no PIN");
    let invalid = browser.submit(&keypad, &keypad, &[("pin", "12ab")]).await;
    assert_eq!(invalid.status, StatusCode::UNPROCESSABLE_ENTITY);
    let too_short = browser.submit(&keypad, &keypad, &[("pin", "123")]).await;
    assert_eq!(too_short.status, StatusCode::UNPROCESSABLE_ENTITY, "the bridge takes 4 to 16 digits");
    assert!(too_short.body.contains("4 bis 16 Ziffern"), "{}", too_short.body);
    assert!(
        invalid.body.contains("aria-invalid=\"true\"") && invalid.body.contains("role=\"alert\""),
        "{}",
        invalid.body
    );
    assert_eq!(browser.get("/demo/door/no-such-door").await.status, StatusCode::NOT_FOUND);

    let entered = browser.submit(&keypad, &keypad, &[("pin", alice_pin.as_str())]).await;
    assert_eq!(entered.status, StatusCode::SEE_OTHER, "{}", entered.body);
    eventually("the lock relay switches on", || site.lock_released(&entrance.id) == Some(true)).await;
    let shown = browser.get(&keypad).await;
    assert!(shown.body.contains("Zutritt gewährt"), "{}", shown.body);
    eventually("the door opens", || site.door_open(&entrance.id) == Some(true)).await;
    eventually("the lock relay switches off again", || site.lock_released(&entrance.id) == Some(false)).await;
    eventually("the door falls shut", || site.door_open(&entrance.id) == Some(false)).await;
    let shown = browser.get(&keypad).await;
    assert!(shown.body.contains("aus – verriegelt") && shown.body.contains("geschlossen"), "{}", shown.body);
    eventually("the grant and the executed unlock reach the access log", || {
        let log = access::list_access_events(&mut app.conn(), &f.hub.id).unwrap();
        log.iter().any(|e| e.kind == "granted" && e.booking_id.as_ref().is_some_and(|id| id.as_str() == alice_booking))
            && log.iter().any(|e| e.kind == "executed" && e.door_id.as_ref() == Some(&entrance.id))
    })
    .await;
    assert_eq!(app.booking_status(&alice_booking), "checked_in");

    // The presence switch sets the simulated sensor; the bridge reports it.
    let switched = browser.submit("/demo", &format!("/demo/presence/{}", f.room.id), &[("present", "1")]).await;
    assert_eq!(switched.status, StatusCode::SEE_OTHER, "{}", switched.body);
    assert_eq!(site.presence(&f.room.id), Some(true));
    eventually("the presence reading reaches the service", || {
        let until = crate::helpers::db_time(day.at("23:59"));
        regiohub::db::presence::readings_before(&mut app.conn(), until)
            .unwrap()
            .iter()
            .any(|r| r.space_id.as_ref() == Some(&f.room.id) && r.presence.as_str() == "present")
    })
    .await;
    // The manager's dashboard shows the member who came in as checked in and the unbooked room
    // with someone in it as a walk-in.
    let role = Role::HubManager(f.hub.id.clone());
    let manager = crate::console::staff_browser(&app, "manager@example.org", role).await;
    let dashboard = manager.get("/console/hubs/testhub").await;
    assert_eq!(dashboard.status, StatusCode::OK, "{}", dashboard.body);
    assert!(space_row(&dashboard.body, f.desk.id.as_str()).contains("Eingecheckt"), "{}", dashboard.body);
    assert!(space_row(&dashboard.body, f.room.id.as_str()).contains("Belegt ohne Buchung"), "{}", dashboard.body);

    // b. A cancelled booking's PIN is refused within 2 s of the cancellation.
    let (cancelled_booking, cancelled_pin) =
        app.booked(&day, &f.bob_token, f.desk2.id.as_str(), "11:00", "14:00").await;
    eventually("the new booking reaches the bridge", || holds(&door_loop, &cancelled_booking)).await;
    let mut door = controller(modbus, entrance.unit_id).await;
    let (status, body) = app.delete(&format!("/api/v1/bookings/{cancelled_booking}"), &f.bob_token).await;
    assert!(status.is_success(), "{status} {body}");
    let cancelled_at = tokio::time::Instant::now();
    let refused = loop {
        let outcome = door.enter_pin(&cancelled_pin).await.unwrap();
        if outcome.result != Some(RequestResult::Granted) {
            break outcome;
        }
        assert!(cancelled_at.elapsed() < Duration::from_secs(2), "the cancelled PIN still opens 2 s later");
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert_eq!(refused.result, Some(RequestResult::Denied));
    assert_eq!(DenyReason::from_code(refused.reason_code), Some(DenyReason::NoBooking));

    // c. The service stops: the booked PIN still opens, the ended booking's does not, and no
    // remote unlock is carried out.
    let (database, data_dir, clock) = app.stop().await;
    let state = door_loop.bridge_state().clone();
    eventually("the bridge decides offline", || state.is_deciding_offline()).await;
    let granted = door.enter_pin(&alice_pin).await.unwrap();
    assert_eq!(granted.result, Some(RequestResult::Granted), "a booked PIN still opens offline");
    let ended = door.enter_pin(&ended_pin).await.unwrap();
    assert_eq!(ended.result, Some(RequestResult::DeniedOffline));
    // The keypad hears no_booking for every refused PIN; too_late is in the access log.
    assert_eq!(DenyReason::from_code(ended.reason_code), Some(DenyReason::NoBooking), "never beyond its own window");
    let remote = state.remote_unlock(&DoorId::new(entrance.id.clone()), BookingId::new(alice_booking.clone())).unwrap();
    assert_eq!(remote, Decision::Deny { reason: DenyReason::RemoteUnlockOffline });
    drop(door);

    // d. Both restart (same database, same bridge state): the queue is delivered, each once.
    let queue = door_loop.event_queue().clone();
    door_loop.stop().await;
    let queued = queue.peek(usize::MAX);
    assert!(
        queued.iter().any(|e| e.offline && matches!(e.kind, AccessEventKind::Granted { .. })),
        "the offline grant waits in the queue: {queued:?}"
    );
    let slot = DemoDoorSlot::default();
    let app = TestApp::spawn_on(database, data_dir, clock, door_page::routes(slot.clone())).await;
    let (door_loop, _) = start_loop(&app, &layout, &bridge_token, bridge_dir.path()).await;
    slot.install(door_loop.site());
    eventually("the queued events are delivered", || door_loop.event_queue().is_empty()).await;
    let mut expected: Vec<String> = queued.iter().map(|e| e.id.clone()).collect();
    let mut stored: Vec<String> = access_events::table
        .filter(access_events::id.eq_any(&expected))
        .select(access_events::id)
        .load(&mut *app.conn())
        .unwrap();
    stored.extend(
        presence_readings::table
            .filter(presence_readings::id.eq_any(&expected))
            .select(presence_readings::id)
            .load::<String>(&mut *app.conn())
            .unwrap(),
    );
    expected.sort();
    stored.sort();
    assert_eq!(stored, expected, "every queued event is stored, and once");
    let log = access::list_access_events(&mut app.conn(), &f.hub.id).unwrap();
    assert!(log.iter().any(|e| e.kind == "granted"
        && e.offline
        && e.booking_id.as_ref().is_some_and(|id| id.as_str() == alice_booking)));
    assert!(log.iter().any(|e| e.kind == "denied" && e.reason.as_deref() == Some("remote_unlock_offline")));

    // e. Nobody came for Carol's booking: released 30 minutes after its start, with a mail; the
    // bridge drops its PIN and the desk can be booked again.
    app.clock.set(day.at("10:30"));
    jobs::release_no_shows(&app.state).await.unwrap();
    assert_eq!(app.booking_status(&unused_booking), "no_show");
    assert_eq!(app.booking_status(&alice_booking), "checked_in", "the booking that was used stays");
    app.send_mail().await;
    let released: Vec<_> = app
        .mailbox()
        .iter()
        .map(parse)
        .filter(|m| m.to == ["carol@example.org"] && m.subject.starts_with("Buchung freigegeben"))
        .collect();
    assert_eq!(released.len(), 1, "one mail tells Carol");
    eventually("the released booking leaves the bridge's snapshot", || !holds(&door_loop, &unused_booking)).await;
    let dave = app.member(&mut app.conn(), "dave@example.org");
    app.booked(&day, &dave, (desk3).as_str(), "10:30", "11:30").await;
    door_loop.stop().await;
}

/// The demo seed gives Polch's doors a bridge (entrance 1, the rooms 2 and 3 by name); each
/// demo start gets a fresh token for it and the same unit ids.
async fn the_demo_puts_polchs_doors_on_its_bridge_with_stable_unit_ids(backend: Backend) {
    use regiohub::demo::door_bridge::DEMO_DOOR_HUB;
    use regiohub::demo::seed::seed_demo;
    use regiohub::service::UnitOfWork;
    use regiohub::service::bridge_link::authenticate_bridge;

    let app = TestApp::spawn(backend).await;
    let now = crate::helpers::default_now();
    assert!(seed_demo(&mut app.conn(), &app.state.context, now).unwrap());
    let (layout, first) = door_bridge::demo_bridge_link(&mut app.conn(), DEMO_DOOR_HUB, now).unwrap();
    let doors: Vec<(u8, &str, bool)> = layout.doors.iter().map(|d| (d.unit_id, d.name.as_str(), d.entrance)).collect();
    assert_eq!(
        doors,
        [(1, "Eingang", true), (2, "Tür Besprechungsraum Maifeld", false), (3, "Tür Vereinsraum", false)]
    );
    assert_eq!(layout.slug, "polch");
    assert_eq!(layout.spaces.len(), 9, "six desks, two rooms, a projector: each gets a presence sensor");
    let bridge =
        authenticate_bridge(&mut UnitOfWork::new(&mut app.conn()), &first, now).unwrap().expect("the token works");
    assert_eq!(bridge.hub_id, layout.hub_id);

    assert!(!seed_demo(&mut app.conn(), &app.state.context, now).unwrap(), "seeding twice changes nothing");
    let (again, second) = door_bridge::demo_bridge_link(&mut app.conn(), DEMO_DOOR_HUB, now).unwrap();
    assert_eq!(again, layout, "the same doors under the same unit ids");
    assert!(
        authenticate_bridge(&mut UnitOfWork::new(&mut app.conn()), &first, now).unwrap().is_none(),
        "the last start's token is dead"
    );
    assert_eq!(
        authenticate_bridge(&mut UnitOfWork::new(&mut app.conn()), &second, now).unwrap().unwrap().id,
        bridge.id,
        "one bridge"
    );
}

/// Outside `regiohub demo` the keypad pages do not exist.
#[tokio::test]
async fn the_demo_pages_exist_only_in_the_demo() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    for path in ["/demo", "/demo/door/x"] {
        let response = app.client.get(app.url(path)).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "{path}");
    }
    let response = app.client.post(app.url("/demo/presence/x")).form(&[("present", "1")]).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
}

/// Where `regiohub demo` mounts them (`door_page::routes`, as `demo::run` does; a build with the
/// `demo` feature), the keypad pages' forms exist: without a CSRF token they are refused, not
/// unknown. The pages themselves wait for the door loop.
#[tokio::test]
async fn the_demo_routes_exist_where_the_demo_mounts_them() {
    let database = TestDatabase::create(Backend::Sqlite);
    let data_dir = tempfile::tempdir().unwrap().keep();
    let clock = Clock::fixed(crate::helpers::default_now());
    let app = TestApp::spawn_on(database, data_dir, clock, door_page::routes(DemoDoorSlot::default())).await;
    for path in ["/demo/door/x", "/demo/door/x/card", "/demo/presence/x"] {
        let response = app.client.post(app.url(path)).form(&[("present", "1")]).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::FORBIDDEN, "{path}");
    }
    let response = app.client.get(app.url("/demo")).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::NOT_FOUND, "no door loop is installed yet");
}
