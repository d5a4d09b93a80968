//! Door controls and door cards. In the console: a manager opens a door with a reason, disables
//! a door and locks the hub down (each in the snapshot, the audit trail and, for an opening, the
//! access log), registers a member's card (a bad UID is a 422 next to the field) and revokes it;
//! the member sees and revokes their cards; a manager of another hub gets 404 and every form
//! needs its CSRF token. With the real bridge over Modbus on loopback (wired as in `door_loop`):
//! lockdown refuses a valid PIN within 2 s and lifting it restores access; a disabled door
//! refuses while another opens; a staff opening reaches the door and the access log; a card
//! opens only inside its holder's booking and not after it is revoked.

use std::cmp::Ordering;
use std::net::SocketAddr;
use std::path::Path;
use std::time::Duration;

use chrono::{DateTime, FixedOffset, NaiveDate, Timelike, Utc};
use diesel::prelude::*;
use regiohub::clock::Clock;
use regiohub::db::schema::{cards, closures, door_commands, hubs};
use regiohub::db::{access, audit, catalog};
use regiohub::demo::door_bridge::{self, DemoHubLayout};
use regiohub::demo::door_loop::{DemoLoop, DemoLoopSettings};
use regiohub::demo::door_page::{self, DemoDoorSlot};
use regiohub::domain::ids::{DoorId, HubId};
use regiohub::domain::role::Role;
use regiohub::service::bridge_link::build_snapshot;
use regiohub_hardware::bridge::registers::{RequestResult, req_type};
use regiohub_hardware::bridge::sim_controller::SimController;
use regiohub_hardware::protocol::{AccessSnapshot, DenyReason, card_uid_bytes, card_verifier};
use reqwest::StatusCode;

use crate::browser::{Browser, csrf_token_in};
use crate::console::{ConsoleFixture, STAFF_PASSWORD, staff_browser};
use crate::helpers::{Backend, TestApp, TestDatabase, default_now};
use crate::on_both_backends;

on_both_backends!(
    managers_open_disable_and_lock_down_only_their_own_hub,
    cards_are_registered_by_managers_and_revoked_by_their_members,
    the_bridge_follows_lockdown_disabled_doors_staff_openings_and_cards,
    the_demo_member_gets_a_card_at_polch,
);

const MEMBER_PASSWORD: &str = "a long test password";

fn snapshot_now(app: &TestApp, hub_id: &HubId) -> AccessSnapshot {
    let mut conn = app.conn();
    let catalogue = app.state.context.catalogue.current(&mut conn).unwrap();
    build_snapshot(&mut conn, &catalogue, hub_id, app.clock.now(), chrono::Duration::hours(48)).unwrap().0
}

fn audit_actions(app: &TestApp, hub_id: &HubId) -> Vec<String> {
    audit::list_audit(&mut app.conn(), Some(std::slice::from_ref(hub_id)), 100)
        .unwrap()
        .into_iter()
        .map(|(row, _)| row.action)
        .collect()
}

async fn managers_open_disable_and_lock_down_only_their_own_hub(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let console = ConsoleFixture::new(&app).await;
    let hub_id = console.fixture.hub.id.clone();
    let door = catalog::list_doors(&mut app.conn(), &hub_id).unwrap().remove(0).0;
    let controls = "/console/hubs/testhub/door-controls";
    let (open, disable, enable, lockdown) = (
        format!("{controls}/{}/open", door.id),
        format!("{controls}/{}/disable", door.id),
        format!("{controls}/{}/enable", door.id),
        format!("{controls}/lockdown"),
    );
    let manager = &console.manager;

    let page = manager.get(controls).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains("Eingang") && page.body.contains("Hub sperren"), "{}", page.body);
    assert!(page.body.contains("href=\"/console/hubs/testhub/door-controls\""), "the navigation leads here");

    // Every form needs the CSRF token.
    for (path, fields) in
        [(&lockdown, vec![("lockdown", "on")]), (&open, vec![("reason", "Handwerker")]), (&disable, vec![])]
    {
        assert_eq!(manager.post(path, &fields).await.status, StatusCode::FORBIDDEN, "{path}");
    }

    // A manager of another hub finds nothing of this hub, whichever URL they try.
    let other_role = Role::HubManager(console.other_hub.id.clone());
    let other = staff_browser(&app, "other-manager@example.org", other_role).await;
    assert_eq!(other.get(controls).await.status, StatusCode::NOT_FOUND);
    assert_eq!(other.get("/console/hubs/testhub/cards").await.status, StatusCode::NOT_FOUND);
    let own = other.get("/console/hubs/otherhub/door-controls").await;
    assert_eq!(own.status, StatusCode::OK, "{}", own.body);
    let token = csrf_token_in(&own.body);
    let through_own_hub = format!("/console/hubs/otherhub/door-controls/{}", door.id);
    for (path, fields) in [
        (lockdown.clone(), vec![("lockdown", "on")]),
        (open.clone(), vec![("reason", "Einbruch")]),
        (disable.clone(), vec![]),
        (format!("{through_own_hub}/open"), vec![("reason", "Einbruch")]),
        (format!("{through_own_hub}/disable"), vec![]),
        ("/console/hubs/testhub/cards".to_owned(), vec![("email", "alice@example.org"), ("uid", "04A2FF10")]),
    ] {
        let mut form = vec![("csrf_token", token.as_str())];
        form.extend(fields);
        assert_eq!(other.post(&path, &form).await.status, StatusCode::NOT_FOUND, "{path}");
    }
    let untouched = snapshot_now(&app, &hub_id);
    assert!(!untouched.lockdown && !untouched.doors[0].disabled);
    assert!(audit_actions(&app, &hub_id).is_empty(), "nothing was changed, nothing recorded");
    let no_commands: i64 = door_commands::table.count().get_result(&mut *app.conn()).unwrap();
    assert_eq!(no_commands, 0);

    // Opening needs a reason: the form comes back with the message at the door's field.
    let missing = manager.submit(controls, &open, &[("reason", "   ")]).await;
    assert_eq!(missing.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", missing.body);
    assert!(missing.body.contains("Bitte geben Sie einen Grund an."), "{}", missing.body);
    assert!(
        missing.body.contains("id=\"reason-error\"") && missing.body.contains("aria-invalid=\"true\""),
        "{}",
        missing.body
    );
    let opened = manager.submit(controls, &open, &[("reason", "Handwerker Heizung")]).await;
    assert_eq!(opened.status, StatusCode::SEE_OTHER, "{}", opened.body);
    let (booking_id, requested_by, status): (Option<String>, Option<String>, String) = door_commands::table
        .select((door_commands::booking_id, door_commands::requested_by, door_commands::status))
        .first(&mut *app.conn())
        .unwrap();
    assert_eq!(booking_id, None, "a staff opening has no booking");
    assert!(requested_by.is_some());
    assert_eq!(status, "requested");
    let log = access::list_access_events(&mut app.conn(), &hub_id).unwrap();
    let entry = log.iter().find(|e| e.kind == "staff_unlock").expect("the opening is in the access log");
    assert_eq!(entry.door_id.as_ref(), Some(&door.id));
    assert!(entry.reason.as_deref().is_some_and(|r| r.contains("Handwerker Heizung") && r.contains("Staff Person")));
    let log_page = manager.get("/console/hubs/testhub/access-log?kind=staff_unlock").await;
    assert_eq!(log_page.status, StatusCode::OK, "{}", log_page.body);
    assert!(log_page.body.contains("Tür vom Personal geöffnet") && log_page.body.contains("Handwerker Heizung"));
    let page = manager.get(controls).await;
    assert!(page.body.contains("Handwerker Heizung") && page.body.contains("Angefordert"), "{}", page.body);

    // Disabling: in the snapshot and the door list; an opening of a disabled door is refused.
    assert_eq!(manager.submit(controls, &disable, &[]).await.status, StatusCode::SEE_OTHER);
    assert!(snapshot_now(&app, &hub_id).doors[0].disabled);
    let doors = manager.get("/console/hubs/testhub/doors").await;
    assert!(doors.body.contains("Deaktiviert"), "{}", doors.body);
    let refused = manager.submit(controls, &open, &[("reason", "Test")]).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("Diese Tür ist deaktiviert."), "{}", refused.body);
    assert_eq!(manager.submit(controls, &enable, &[]).await.status, StatusCode::SEE_OTHER);
    assert!(!snapshot_now(&app, &hub_id).doors[0].disabled);

    // Lockdown: in the snapshot, a banner on the dashboard, lifted by the manager.
    let before = snapshot_now(&app, &hub_id);
    assert_eq!(manager.submit(controls, &lockdown, &[("lockdown", "on")]).await.status, StatusCode::SEE_OTHER);
    assert!(snapshot_now(&app, &hub_id).lockdown);
    let dashboard = manager.get("/console/hubs/testhub").await;
    assert!(dashboard.body.contains("class=\"lockdown-banner\""), "{}", dashboard.body);
    assert!(dashboard.body.contains("Dieser Hub ist gesperrt seit"), "{}", dashboard.body);
    assert_eq!(manager.submit(controls, &lockdown, &[("lockdown", "off")]).await.status, StatusCode::SEE_OTHER);
    let after = snapshot_now(&app, &hub_id);
    assert!(!after.lockdown);
    assert_eq!(after.doors, before.doors);
    assert!(!manager.get("/console/hubs/testhub").await.body.contains("class=\"lockdown-banner\""));

    let mut actions = audit_actions(&app, &hub_id);
    actions.sort();
    assert_eq!(
        actions,
        ["door_disabled", "door_enabled", "door_opened_by_staff", "lockdown_lifted", "lockdown_started"],
        "every change is in the audit trail, once"
    );
}

async fn cards_are_registered_by_managers_and_revoked_by_their_members(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let console = ConsoleFixture::new(&app).await;
    let f = &console.fixture;
    let hub_id = f.hub.id.clone();
    let (status, body) =
        app.book(&f.alice_token, f.desk.id.as_str(), "2026-11-23T09:00:00+01:00", "2026-11-23T10:00:00+01:00").await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let booking = body["id"].as_str().unwrap().to_owned();
    let page = "/console/hubs/testhub/cards";
    let manager = &console.manager;
    assert_eq!(manager.get(page).await.status, StatusCode::OK);

    let csrf = manager.post(page, &[("email", "alice@example.org"), ("uid", "04A2FF10")]).await;
    assert_eq!(csrf.status, StatusCode::FORBIDDEN);
    // A UID that is not hex, or of the wrong length, comes back next to the field; the typed
    // UID is not shown back.
    for (uid, message) in [
        ("04:A2:ZZ:10", "hexadezimalen Ziffern"),
        ("0BADC0DE99", "4, 7 oder 10 Bytes"),
        ("", "Bitte geben Sie die UID der Karte ein."),
    ] {
        let bad = manager.submit(page, page, &[("email", "alice@example.org"), ("uid", uid), ("label", "Blau")]).await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{uid}: {}", bad.body);
        let field = &bad.body[bad.body.find("for=\"uid\"").unwrap()..];
        let field = &field[..field.find("</div>").unwrap()];
        assert!(field.contains(message) && field.contains("aria-invalid=\"true\""), "{uid}: {field}");
        assert!(uid.is_empty() || !bad.body.contains(uid), "the UID is not echoed");
        assert!(bad.body.contains("value=\"Blau\""), "the label is kept");
    }
    let unknown = manager.submit(page, page, &[("email", "nobody@example.org"), ("uid", "04A2FF10")]).await;
    assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(unknown.body.contains("Zu dieser E-Mail-Adresse gibt es kein Konto."), "{}", unknown.body);

    let registered =
        manager.submit(page, page, &[("email", "alice@example.org"), ("uid", "04:a2:ff:10"), ("label", "Blau")]).await;
    assert_eq!(registered.status, StatusCode::SEE_OTHER, "{}", registered.body);
    let list = manager.get(page).await;
    assert!(list.body.contains("…FF10") && list.body.contains("alice@example.org"), "{}", list.body);
    let duplicate = manager.submit(page, page, &[("email", "bob@example.org"), ("uid", "04A2FF10")]).await;
    assert_eq!(duplicate.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(duplicate.body.contains("Diese Karte ist an diesem Hub schon registriert."), "{}", duplicate.body);

    // Only the keyed verifier is stored; the snapshot carries it for Alice's booking.
    let key = app.state.context.secret.hub_pin_key(&hub_id);
    let verifier = card_verifier(&key, &card_uid_bytes("04A2FF10").unwrap());
    let (card_id, stored, hint): (String, String, String) =
        cards::table.select((cards::id, cards::verifier, cards::uid_hint)).first(&mut *app.conn()).unwrap();
    assert_eq!((stored.as_str(), hint.as_str()), (verifier.as_str(), "FF10"));
    let grants = |app: &TestApp| {
        snapshot_now(app, &hub_id)
            .grants
            .into_iter()
            .filter(|g| g.booking_id.as_str() == booking)
            .map(|g| g.credential_verifier)
            .collect::<Vec<_>>()
    };
    let held = grants(&app);
    assert_eq!(held.len(), 2, "the PIN and the card");
    assert!(held.contains(&verifier));

    // Alice sees her card; Bob cannot revoke it; Alice can.
    let alice = Browser::new(&app);
    assert_eq!(alice.log_in("alice@example.org", MEMBER_PASSWORD).await.status, StatusCode::SEE_OTHER);
    let account = alice.get("/account").await;
    assert!(account.body.contains("Meine Türkarten") && account.body.contains("…FF10"), "{}", account.body);
    let revoke = format!("/account/cards/{card_id}/revoke");
    let bob = Browser::new(&app);
    assert_eq!(bob.log_in("bob@example.org", MEMBER_PASSWORD).await.status, StatusCode::SEE_OTHER);
    assert_eq!(bob.submit("/account", &revoke, &[]).await.status, StatusCode::NOT_FOUND);
    assert_eq!(alice.post(&revoke, &[]).await.status, StatusCode::FORBIDDEN, "no CSRF token");
    assert_eq!(alice.submit("/account", &revoke, &[]).await.status, StatusCode::SEE_OTHER);
    assert_eq!(grants(&app).len(), 1, "only the PIN is left");
    assert!(!alice.get("/account").await.body.contains("…FF10"));

    // Registered again, the manager revokes it; a manager of another hub cannot.
    let again = manager.submit(page, page, &[("email", "alice@example.org"), ("uid", "04A2FF10")]).await;
    assert_eq!(again.status, StatusCode::SEE_OTHER, "a revoked card can be registered again");
    let card_id: String =
        cards::table.filter(cards::revoked_at.is_null()).select(cards::id).first(&mut *app.conn()).unwrap();
    let other = staff_browser(&app, "other@example.org", Role::HubManager(console.other_hub.id.clone())).await;
    let other_page = "/console/hubs/otherhub/cards";
    for path in [format!("{other_page}/{card_id}/revoke"), format!("{page}/{card_id}/revoke")] {
        assert_eq!(other.submit(other_page, &path, &[]).await.status, StatusCode::NOT_FOUND, "{path}");
    }
    let revoked = manager.submit(page, &format!("{page}/{card_id}/revoke"), &[]).await;
    assert_eq!(revoked.status, StatusCode::SEE_OTHER);
    assert_eq!(grants(&app).len(), 1);
    let mut actions = audit_actions(&app, &hub_id);
    actions.sort();
    assert_eq!(actions, ["card_registered", "card_registered", "card_revoked", "card_revoked"]);
}

/// Wall-clock times of the test's day in the hub's zone, where the real time is about noon (the
/// bridge decides on the real clock; see `door_loop`).
struct HubDay {
    offset: FixedOffset,
    day: NaiveDate,
}

impl HubDay {
    fn around(now: DateTime<Utc>) -> (HubDay, String) {
        let east = 12 - i32::try_from(now.hour()).unwrap();
        let zone = match east.cmp(&0) {
            Ordering::Equal => "Etc/GMT".to_owned(),
            Ordering::Greater => format!("Etc/GMT-{east}"),
            Ordering::Less => format!("Etc/GMT+{}", -east),
        };
        let offset = FixedOffset::east_opt(east * 3600).unwrap();
        (HubDay { offset, day: now.with_timezone(&offset).date_naive() }, zone)
    }

    fn at(&self, hh_mm: &str) -> DateTime<Utc> {
        let local = self.day.and_time(hh_mm.parse().unwrap());
        local.and_local_timezone(self.offset).unwrap().with_timezone(&Utc)
    }

    fn rfc3339(&self, hh_mm: &str) -> String {
        self.at(hh_mm).with_timezone(&self.offset).to_rfc3339()
    }
}

/// Polls `check` until it holds; fails after `limit`.
async fn within(limit: Duration, what: &str, mut check: impl FnMut() -> bool) {
    let deadline = tokio::time::Instant::now() + limit;
    while !check() {
        assert!(tokio::time::Instant::now() < deadline, "not within {limit:?}: {what}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn start_loop(app: &TestApp, layout: &DemoHubLayout, token: &str, dir: &Path) -> (DemoLoop, SocketAddr) {
    let modbus = SocketAddr::from(([127, 0, 0, 1], crate::helpers::free_port()));
    let door_loop = DemoLoop::start(DemoLoopSettings {
        layout: layout.clone(),
        token: token.to_owned(),
        pin_key: app.state.context.secret.hub_pin_key(&layout.hub_id),
        central_url: app.address.clone(),
        modbus_listen: modbus,
        dir: dir.to_path_buf(),
    })
    .await
    .unwrap();
    let state = door_loop.bridge_state().clone();
    within(Duration::from_secs(60), "the bridge is online", || {
        state.snapshot_version().is_some() && !state.is_deciding_offline()
    })
    .await;
    (door_loop, modbus)
}

async fn controller(bridge: SocketAddr, unit: u8) -> SimController {
    let mut controller = SimController::connect(bridge, unit).await.unwrap();
    controller.continue_sequence().await.unwrap();
    controller
}

fn bridge_snapshot(door_loop: &DemoLoop) -> Option<AccessSnapshot> {
    door_loop.bridge_state().snapshot()
}

async fn the_bridge_follows_lockdown_disabled_doors_staff_openings_and_cards(backend: Backend) {
    let (day, zone) = HubDay::around(Utc::now());
    let slot = DemoDoorSlot::default();
    let app = TestApp::spawn_on(
        TestDatabase::create(backend),
        tempfile::tempdir().unwrap().keep(),
        Clock::fixed(day.at("09:00")),
        door_page::routes(slot.clone()),
    )
    .await;
    let f = app.fixture();
    {
        let mut conn = app.conn();
        diesel::update(hubs::table.find(f.hub.id.as_str())).set(hubs::time_zone.eq(&zone)).execute(&mut *conn).unwrap();
        diesel::delete(closures::table.filter(closures::hub_id.eq(f.hub.id.as_str()))).execute(&mut *conn).unwrap();
        let room_door = catalog::Door {
            id: DoorId::from(regiohub::db::new_id()),
            hub_id: f.hub.id.clone(),
            name: "Raumtür".into(),
            is_entrance: false,
            created_at: crate::helpers::db_time(default_now()),
            bridge_id: None,
            modbus_unit_id: None,
        };
        catalog::insert_door(&mut conn, &room_door, std::slice::from_ref(&f.desk.id)).unwrap();
    }
    let (status, body) =
        app.book(&f.alice_token, f.desk.id.as_str(), &day.rfc3339("10:00"), &day.rfc3339("14:00")).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let pin = body["pin"].as_str().unwrap().to_owned();
    // Bob's booking starts well after the bridge's "now" (about 12:00 there).
    let (status, body) =
        app.book(&f.bob_token, f.desk2.id.as_str(), &day.rfc3339("14:00"), &day.rfc3339("15:00")).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");

    let (layout, token) = door_bridge::demo_bridge_link(&mut app.conn(), "testhub", day.at("09:00")).unwrap();
    let entrance = layout.doors.iter().find(|d| d.entrance).unwrap().clone();
    let room = layout.doors.iter().find(|d| d.name == "Raumtür").unwrap().clone();
    let bridge_dir = tempfile::tempdir().unwrap();
    let (door_loop, modbus) = start_loop(&app, &layout, &token, bridge_dir.path()).await;
    slot.install(door_loop.site());
    let visitor = Browser::new(&app);
    let mut at_entrance = controller(modbus, entrance.unit_id).await;
    let mut at_room = controller(modbus, room.unit_id).await;
    let granted = at_entrance.enter_pin(&pin).await.unwrap();
    assert_eq!(granted.result, Some(RequestResult::Granted), "the booked PIN opens");

    let manager = staff_browser(&app, "manager@example.org", Role::HubManager(f.hub.id.clone())).await;
    let controls = "/console/hubs/testhub/door-controls";
    let two_seconds = Duration::from_secs(2);

    // a. Lockdown reaches the bridge within 2 s; the valid PIN is refused; lifted, it opens.
    let switched = manager.submit(controls, &format!("{controls}/lockdown"), &[("lockdown", "on")]).await;
    assert_eq!(switched.status, StatusCode::SEE_OTHER, "{}", switched.body);
    within(two_seconds, "the bridge holds the lockdown", || bridge_snapshot(&door_loop).is_some_and(|s| s.lockdown))
        .await;
    let refused = at_entrance.enter_pin(&pin).await.unwrap();
    assert_eq!(refused.result, Some(RequestResult::Denied));
    assert_eq!(DenyReason::from_code(refused.reason_code), Some(DenyReason::Lockdown));
    let demo = visitor.get("/demo").await;
    assert!(demo.body.contains("Dieser Hub ist gesperrt seit"), "/demo shows the lockdown: {}", demo.body);
    let lifted = manager.submit(controls, &format!("{controls}/lockdown"), &[("lockdown", "off")]).await;
    assert_eq!(lifted.status, StatusCode::SEE_OTHER);
    within(two_seconds, "the bridge drops the lockdown", || bridge_snapshot(&door_loop).is_some_and(|s| !s.lockdown))
        .await;
    assert_eq!(at_entrance.enter_pin(&pin).await.unwrap().result, Some(RequestResult::Granted));

    // b. A disabled door refuses the PIN, the entrance still opens.
    assert_eq!(at_room.enter_pin(&pin).await.unwrap().result, Some(RequestResult::Granted), "the room door opens");
    let disabled = manager.submit(controls, &format!("{controls}/{}/disable", room.id), &[]).await;
    assert_eq!(disabled.status, StatusCode::SEE_OTHER);
    within(two_seconds, "the bridge holds the disabled door", || {
        bridge_snapshot(&door_loop).is_some_and(|s| s.doors.iter().any(|d| d.id == room.id && d.disabled))
    })
    .await;
    let refused = at_room.enter_pin(&pin).await.unwrap();
    assert_eq!(refused.result, Some(RequestResult::Denied));
    assert_eq!(DenyReason::from_code(refused.reason_code), Some(DenyReason::DoorDisabled));
    let demo = visitor.get("/demo").await;
    assert!(!demo.body.contains("gesperrt seit"), "the lockdown is lifted");
    let room_row = &demo.body[demo.body.find("Raumtür").unwrap()..];
    assert!(room_row[..room_row.find("</tr>").unwrap()].contains("deaktiviert"), "{}", demo.body);
    let room_keypad = visitor.get(&format!("/demo/door/{}", room.id)).await;
    assert!(room_keypad.body.contains("Die Verwaltung hat diese Tür deaktiviert"), "{}", room_keypad.body);
    assert_eq!(at_entrance.enter_pin(&pin).await.unwrap().result, Some(RequestResult::Granted));

    // c. A staff opening reaches the bridge; the door controller carries it out and the access
    // log shows who opened it and why, then the bridge's result. Its deadline comes from the
    // service's clock and the bridge checks it on the real one: the service's clock is set to
    // the real time for it (a jump of hours: the manager logs in again).
    app.clock.set(Utc::now());
    assert_eq!(manager.log_in("manager@example.org", STAFF_PASSWORD).await.status, StatusCode::SEE_OTHER);
    let opened = manager
        .submit(controls, &format!("{controls}/{}/open", entrance.id), &[("reason", "Lieferung Getränke")])
        .await;
    assert_eq!(opened.status, StatusCode::SEE_OTHER, "{}", opened.body);
    tokio::time::sleep(Duration::from_secs(5)).await;
    let dbg: Vec<(String, String)> =
        door_commands::table.select((door_commands::status, door_commands::door_id)).load(&mut *app.conn()).unwrap();
    eprintln!("DEBUG commands {dbg:?}");
    for e in access::list_access_events(&mut app.conn(), &f.hub.id).unwrap() {
        eprintln!("DEBUG event {} {:?} {:?}", e.kind, e.reason, e.door_id);
    }
    within(Duration::from_secs(30), "the bridge reports the staff opening carried out", || {
        let status: String =
            door_commands::table.select(door_commands::status).first(&mut *app.conn()).unwrap_or_default();
        status == "executed"
    })
    .await;
    let log = access::list_access_events(&mut app.conn(), &f.hub.id).unwrap();
    assert!(log.iter().any(|e| e.kind == "staff_unlock"
        && e.door_id.as_ref() == Some(&entrance.id)
        && e.reason.as_deref().is_some_and(|r| r.contains("Lieferung Getränke"))));
    assert!(log.iter().any(|e| e.kind == "remote_unlock_executed" && e.door_id.as_ref() == Some(&entrance.id)));
    let log_page = manager.get("/console/hubs/testhub/access-log").await;
    assert!(log_page.body.contains("Lieferung Getränke"), "{}", log_page.body);
    let page = manager.get(controls).await;
    assert!(page.body.contains("Geöffnet"), "{}", page.body);

    // d. Cards: Alice's opens inside her booking, Bob's not before his; revoked, Alice's is refused.
    let cards_page = "/console/hubs/testhub/cards";
    for (email, uid) in [("alice@example.org", "04:A2:FF:10"), ("bob@example.org", "04:B0:0B:20")] {
        let registered = manager.submit(cards_page, cards_page, &[("email", email), ("uid", uid)]).await;
        assert_eq!(registered.status, StatusCode::SEE_OTHER, "{}", registered.body);
    }
    let key = app.state.context.secret.hub_pin_key(&f.hub.id);
    let (alice_card, bob_card) = (card_uid_bytes("04A2FF10").unwrap(), card_uid_bytes("04B00B20").unwrap());
    let alice_verifier = card_verifier(&key, &alice_card);
    let bob_verifier = card_verifier(&key, &bob_card);
    within(two_seconds, "the bridge holds both cards", || {
        bridge_snapshot(&door_loop).is_some_and(|s| {
            [&alice_verifier, &bob_verifier].iter().all(|v| s.grants.iter().any(|g| &&g.credential_verifier == v))
        })
    })
    .await;
    let card = at_entrance.present(req_type::NFC_UID, &alice_card).await.unwrap();
    assert_eq!(card.result, Some(RequestResult::Granted), "Alice's card opens inside her booking");
    // The demo's keypad page holds a card to the reader too; a bad UID comes back at its field.
    let keypad = format!("/demo/door/{}", entrance.id);
    let bad = visitor.submit(&keypad, &format!("{keypad}/card"), &[("uid", "04:A2")]).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("id=\"uid-error\"") && bad.body.contains("aria-invalid=\"true\""), "{}", bad.body);
    let held = visitor.submit(&keypad, &format!("{keypad}/card"), &[("uid", "04a2ff10")]).await;
    assert_eq!(held.status, StatusCode::SEE_OTHER, "{}", held.body);
    assert!(visitor.get(&keypad).await.body.contains("Zutritt gewährt"));
    let early = at_entrance.present(req_type::NFC_UID, &bob_card).await.unwrap();
    assert_eq!(early.result, Some(RequestResult::Denied));
    // The reader hears no_booking for every refused card; too_early is in the access log.
    assert_eq!(DenyReason::from_code(early.reason_code), Some(DenyReason::NoBooking), "not before Bob's booking");

    let alice = Browser::new(&app);
    assert_eq!(alice.log_in("alice@example.org", MEMBER_PASSWORD).await.status, StatusCode::SEE_OTHER);
    let card_id: String =
        cards::table.filter(cards::verifier.eq(&alice_verifier)).select(cards::id).first(&mut *app.conn()).unwrap();
    let revoked = alice.submit("/account", &format!("/account/cards/{card_id}/revoke"), &[]).await;
    assert_eq!(revoked.status, StatusCode::SEE_OTHER);
    within(two_seconds, "the bridge drops the revoked card", || {
        bridge_snapshot(&door_loop).is_some_and(|s| s.grants.iter().all(|g| g.credential_verifier != alice_verifier))
    })
    .await;
    let after = at_entrance.present(req_type::NFC_UID, &alice_card).await.unwrap();
    assert_eq!(after.result, Some(RequestResult::Denied));
    assert_eq!(DenyReason::from_code(after.reason_code), Some(DenyReason::NoBooking));
    assert_eq!(at_entrance.enter_pin(&pin).await.unwrap().result, Some(RequestResult::Granted), "the PIN still opens");
    drop((at_entrance, at_room));
    door_loop.stop().await;
}

/// The demo seed registers the demo member's card at Polch, once.
async fn the_demo_member_gets_a_card_at_polch(backend: Backend) {
    use regiohub::demo::card::DEMO_CARD_UID;
    use regiohub::demo::door_bridge::DEMO_DOOR_HUB;
    use regiohub::demo::logins::DEMO_LOGINS;
    use regiohub::demo::seed::seed_demo;

    let app = TestApp::spawn(backend).await;
    let now = default_now();
    assert!(seed_demo(&mut app.conn(), &app.state.context, now).unwrap());
    assert!(!seed_demo(&mut app.conn(), &app.state.context, now).unwrap());
    let polch = catalog::find_hub(&mut app.conn(), DEMO_DOOR_HUB).unwrap().unwrap();
    let member = regiohub::db::users::find_user_by_email(&mut app.conn(), DEMO_LOGINS[0].email).unwrap().unwrap();
    let held: Vec<(String, String, String)> =
        cards::table.select((cards::hub_id, cards::user_id, cards::verifier)).load(&mut *app.conn()).unwrap();
    let verifier =
        card_verifier(&app.state.context.secret.hub_pin_key(&polch.id), &card_uid_bytes(DEMO_CARD_UID).unwrap());
    assert_eq!(held, [(polch.id.to_string(), member.id.to_string(), verifier.clone())]);
    let snapshot = snapshot_now(&app, &polch.id);
    assert!(
        snapshot.grants.iter().any(|g| g.credential_verifier == verifier),
        "the demo member's bookings open with the card too"
    );
}
