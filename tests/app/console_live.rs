//! Console tests: What is happening now: the live occupancy dashboard (with server-sent events), alarms, and the access log.
//! Every space state for each combination of booking and presence, the event stream following
//! a booking and a sensor, alarms acknowledged with an audit entry, the access log's filters and
//! CSV, the retention job, and a manager of one hub getting 404 for everything of another.

use std::time::Duration;

use chrono::Duration as Span;
use regiohub::db::access::{self, AccessEventRow, AlarmRow, PresenceReadingRow};
use regiohub::db::bookings::{self, Booking};
use regiohub::db::catalog::{self, Door, Hub, Operator, Space};
use regiohub::db::{self, users};
use regiohub::domain::ids::{BookingId, DoorId, HubId, OperatorId, SpaceId, UserId};
use regiohub::domain::role::Role;
use regiohub::domain::vocabulary::BookingStatus;
use regiohub::domain::vocabulary::{AlarmKind, SensedPresence};
use regiohub::jobs::retention;
use reqwest::StatusCode;
use serde_json::json;

use crate::bridge_api::event;
use crate::console::ConsoleFixture;
use crate::helpers::{Backend, TestApp, db_time, default_now, utc};
use crate::on_both_backends;

on_both_backends!(
    the_dashboard_shows_every_combination_of_booking_and_presence,
    the_event_stream_follows_a_booking_and_a_sensor,
    an_alarm_is_shown_and_acknowledged_with_an_audit_entry,
    the_access_log_filters_pages_and_exports_csv,
    the_retention_job_deletes_old_entries_per_operator_and_records_its_run,
    a_manager_reaches_nothing_live_of_another_hub,
);

/// The table row of a space on the dashboard (or in a streamed fragment).
pub fn space_row<'a>(html: &'a str, space_id: &str) -> &'a str {
    let start = html.find(&format!("id=\"space-{space_id}\"")).unwrap_or_else(|| panic!("no row {space_id} in {html}"));
    let end = html[start..].find("</tr>").unwrap() + start;
    &html[start..end]
}

/// A desk of the fixture hub made for one case.
fn extra_space(conn: &mut db::DbConn, desk: &Space, name: &str, enabled: bool) -> Space {
    let space = Space { id: SpaceId::from(db::new_id()), name: name.into(), enabled, ..desk.clone() };
    catalog::insert_space(conn, &space).unwrap();
    space
}

fn insert_booking(conn: &mut db::DbConn, space: &Space, user_id: &UserId, start: &str, end: &str, status: &str) {
    let now = db_time(default_now());
    bookings::insert_booking(
        conn,
        &Booking {
            id: BookingId::from(db::new_id()),
            space_id: space.id.clone(),
            user_id: Some(user_id.clone()),
            start_at: db_time(utc(start)),
            end_at: db_time(utc(end)),
            status: BookingStatus::parse(status).unwrap(),
            created_by: None,
            created_at: now,
            updated_at: now,
            cancelled_at: None,
        },
    )
    .unwrap();
}

fn insert_reading(conn: &mut db::DbConn, space: &Space, presence: &str, at: &str) {
    let row = PresenceReadingRow {
        id: db::new_id(),
        hub_id: space.hub_id.clone(),
        sensor_id: None,
        space_id: Some(space.id.clone()),
        presence: SensedPresence::parse(presence).unwrap(),
        observed_at: db_time(utc(at)),
        received_at: db_time(utc(at)),
    };
    assert!(access::insert_presence_reading(conn, &row).unwrap());
}

async fn the_dashboard_shows_every_combination_of_booking_and_presence(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let console = ConsoleFixture::new(&app).await;
    let mut conn = app.conn();
    let alice = users::find_user_by_email(&mut conn, "alice@example.org").unwrap().unwrap().id;
    // Now is 07:00 UTC (08:00 in Berlin).
    let bookings = ["none", "upcoming", "started", "checked_in", "disabled"];
    let presences = ["none", "present", "empty", "stale"];
    let expected = [
        // none: present / empty / stale / no reading
        ["Frei", "Belegt ohne Buchung", "Frei", "Frei"],
        ["Gebucht (später)", "Belegt ohne Buchung", "Gebucht (später)", "Gebucht (später)"],
        ["Gebucht, niemand da", "Eingecheckt", "Gebucht, niemand da", "Gebucht, niemand da"],
        ["Eingecheckt", "Eingecheckt", "Eingecheckt", "Eingecheckt"],
        ["Gesperrt", "Gesperrt", "Gesperrt", "Gesperrt"],
    ];
    let mut cases = Vec::new();
    for (b, booking) in bookings.iter().enumerate() {
        for (p, presence) in presences.iter().enumerate() {
            let space = extra_space(
                &mut conn,
                &console.fixture.desk,
                &format!("Case {booking}/{presence}"),
                *booking != "disabled",
            );
            match *booking {
                "upcoming" => insert_booking(
                    &mut conn,
                    &space,
                    &alice,
                    "2026-11-23T10:00:00Z",
                    "2026-11-23T11:00:00Z",
                    "confirmed",
                ),
                "started" => insert_booking(
                    &mut conn,
                    &space,
                    &alice,
                    "2026-11-23T06:45:00Z",
                    "2026-11-23T08:00:00Z",
                    "confirmed",
                ),
                "checked_in" => insert_booking(
                    &mut conn,
                    &space,
                    &alice,
                    "2026-11-23T06:45:00Z",
                    "2026-11-23T08:00:00Z",
                    "checked_in",
                ),
                _ => {}
            }
            match *presence {
                // An earlier, still fresh reading that says the opposite: only the newest counts.
                "present" => {
                    insert_reading(&mut conn, &space, "empty", "2026-11-23T06:50:00Z");
                    insert_reading(&mut conn, &space, "present", "2026-11-23T06:58:00Z");
                }
                "empty" => {
                    insert_reading(&mut conn, &space, "present", "2026-11-23T06:55:00Z");
                    insert_reading(&mut conn, &space, "empty", "2026-11-23T06:58:00Z");
                }
                // Twenty minutes old: the sensor may have gone silent, so it says nothing now.
                "stale" => insert_reading(&mut conn, &space, "present", "2026-11-23T06:40:00Z"),
                _ => {}
            }
            cases.push((space, expected[b][p], *booking, *presence));
        }
    }
    drop(conn);

    let page = console.manager.get("/console/hubs/testhub").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    for (space, state, booking, presence) in &cases {
        let row = space_row(&page.body, space.id.as_str());
        assert!(row.contains(&format!("</span> {state}</span>")), "{booking}/{presence} should be {state}: {row}");
        assert!(row.contains("aria-hidden=\"true\""), "a symbol beside the words: {row}");
    }
    let stale = &cases.iter().find(|c| c.2 == "none" && c.3 == "stale").unwrap().0;
    assert!(
        space_row(&page.body, stale.id.as_str()).contains("unbekannt (Meldung 07:40)"),
        "the stale reading is named"
    );
    let upcoming = &cases.iter().find(|c| c.2 == "upcoming" && c.3 == "none").unwrap().0;
    assert!(
        space_row(&page.body, upcoming.id.as_str()).contains("ab 11:00: Test Member"),
        "next booking time and person"
    );
    // The fixture's own spaces: four free, one disabled.
    assert!(
        page.body.contains(
            "Jetzt: 7 frei, 3 gebucht, 5 eingecheckt, 2 ohne Buchung belegt, 3 gebucht ohne Anwesenheit, \
             5 gesperrt. Kein unbestätigter Alarm."
        ),
        "{}",
        page.body
    );
    assert!(page.body.contains("aria-live=\"polite\""), "the summary line is announced");
    assert!(page.body.contains("<noscript><meta http-equiv=\"refresh\" content=\"30\"></noscript>"));
    assert!(page.body.contains("<script src=\"/static/js/dashboard.js\" defer></script>"));
    assert!(page.body.contains(">Neu laden</a>"));
    let raw = console.manager.client.get(console.manager.url("/console/hubs/testhub")).send().await.unwrap();
    assert_eq!(raw.headers()["cache-control"], "no-store", "who booked what and a form token: never cached");
    assert!(page.body.contains("Buchungen heute") && page.body.contains("07:45–09:00"), "today's bookings");
    let script = app.client.get(app.url("/static/js/dashboard.js")).send().await.unwrap();
    assert_eq!(script.status(), StatusCode::OK);
    assert!(script.text().await.unwrap().contains("EventSource"));

    // Time alone changes the picture: twenty minutes on, the fresh readings are stale too.
    app.clock.set(utc("2026-11-23T07:20:00Z"));
    let page = console.manager.get("/console/hubs/testhub").await;
    let walk_in = &cases.iter().find(|c| c.2 == "none" && c.3 == "present").unwrap().0;
    assert!(space_row(&page.body, walk_in.id.as_str()).contains("</span> Frei</span>"), "nobody seen lately");
}

/// Reads the event stream until a dashboard event's data satisfies `check`; fails after a
/// generous deadline (not a timing assertion: the change must arrive at all).
async fn next_dashboard_where(
    response: &mut reqwest::Response,
    buffer: &mut Vec<u8>,
    check: impl Fn(&str) -> bool,
) -> String {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(60);
    loop {
        while let Some(end) = buffer.windows(2).position(|w| w == b"\n\n") {
            let raw: Vec<u8> = buffer.drain(..end + 2).collect();
            let text = String::from_utf8(raw).unwrap();
            if !text.lines().any(|line| line == "event: dashboard") {
                continue;
            }
            let data: Vec<&str> = text.lines().filter_map(|line| line.strip_prefix("data: ")).collect();
            let data = data.join("\n");
            if check(&data) {
                return data;
            }
        }
        let chunk = tokio::time::timeout_at(deadline, response.chunk())
            .await
            .expect("the expected dashboard state did not arrive")
            .unwrap()
            .expect("the stream ended early");
        buffer.extend_from_slice(&chunk);
    }
}

async fn the_event_stream_follows_a_booking_and_a_sensor(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let console = ConsoleFixture::new(&app).await;
    let f = &console.fixture;
    let mut stream =
        console.manager.client.get(console.manager.url("/console/hubs/testhub/events")).send().await.unwrap();
    assert_eq!(stream.status(), StatusCode::OK);
    assert_eq!(stream.headers()["content-type"], "text/event-stream");
    assert_eq!(stream.headers()["cache-control"], "no-store");
    let mut buffer = Vec::new();
    let first = next_dashboard_where(&mut stream, &mut buffer, |_| true).await;
    assert!(space_row(&first, f.desk.id.as_str()).contains("</span> Frei</span>"), "{first}");
    assert!(first.contains("id=\"live-summary\""), "the fragment carries the summary line");

    let (status, body) =
        app.book(&f.alice_token, f.desk.id.as_str(), "2026-11-23T10:00:00+01:00", "2026-11-23T12:00:00+01:00").await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let booked = next_dashboard_where(&mut stream, &mut buffer, |html| {
        space_row(html, f.desk.id.as_str()).contains("Gebucht (später)")
    })
    .await;
    assert!(space_row(&booked, f.desk.id.as_str()).contains("ab 10:00"), "{booked}");

    // A presence sensor at another desk reports someone: a walk-in.
    let token = app.bridge_token("testhub");
    let door = app.entrance(&f.hub.id);
    let reading = event(
        "walk-in-1",
        "2026-11-23T07:00:00Z",
        door.id.as_str(),
        json!({"type": "presence", "space_id": f.desk2.id, "presence": "present"}),
        None,
    );
    let (status, _) = app.bridge_events(&token, json!([reading])).await;
    assert_eq!(status, StatusCode::OK);
    let walk_in = next_dashboard_where(&mut stream, &mut buffer, |html| {
        space_row(html, f.desk2.id.as_str()).contains("Belegt ohne Buchung")
    })
    .await;
    assert!(walk_in.contains("1 ohne Buchung belegt"), "{walk_in}");
}

async fn an_alarm_is_shown_and_acknowledged_with_an_audit_entry(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let console = ConsoleFixture::new(&app).await;
    let f = &console.fixture;
    let token = app.bridge_token("testhub");
    let door = app.entrance(&f.hub.id);
    let page = console.manager.get("/console/hubs/testhub").await;
    assert!(page.body.contains("</span> Unbekannt</span>"), "no report yet: unknown door state");

    let events = json!([
        event("d1", "2026-11-23T06:55:00Z", door.id.as_str(), json!({"type": "door_state", "state": "open"}), None),
        event("a1", "2026-11-23T06:56:00Z", door.id.as_str(), json!({"type": "forced_open"}), None),
    ]);
    let (status, _) = app.bridge_events(&token, events).await;
    assert_eq!(status, StatusCode::OK);
    let page = console.manager.get("/console/hubs/testhub").await;
    assert!(page.body.contains("</span> Offen</span>"), "{}", page.body);
    assert!(page.body.contains("Tür aufgebrochen (ohne Freigabe geöffnet)</strong> – Eingang"), "{}", page.body);
    assert!(page.body.contains("Gemeldet: 07:56"));
    assert!(page.body.contains("1 unbestätigter Alarm."));
    let alarm = access::list_alarms(&mut app.conn(), &f.hub.id).unwrap().remove(0);
    let action = format!("/console/hubs/testhub/alarms/{}/acknowledge", alarm.id);
    assert!(page.body.contains(&format!("action=\"{action}\"")), "an acknowledge button");

    // Without the CSRF token nothing happens.
    let refused = console.manager.post(&action, &[]).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert!(access::list_alarms(&mut app.conn(), &f.hub.id).unwrap()[0].acknowledged_at.is_none());

    app.clock.set(utc("2026-11-23T07:05:00Z"));
    let done = console.manager.submit("/console/hubs/testhub", &action, &[]).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    let page = console.manager.get(done.location.as_deref().unwrap()).await;
    assert!(page.body.contains("Der Alarm ist als gesehen bestätigt."), "a flash says so");
    assert!(page.body.contains("Bestätigt von Staff Person, 08:05"), "{}", page.body);
    assert!(page.body.contains("Tür aufgebrochen"), "still listed until the door clears it");
    assert!(!page.body.contains(&format!("action=\"{action}\"")), "no second button");
    assert!(page.body.contains("Kein unbestätigter Alarm."));
    let stored = access::list_alarms(&mut app.conn(), &f.hub.id).unwrap().remove(0);
    assert_eq!(stored.acknowledged_at, Some(db_time(utc("2026-11-23T07:05:00Z"))));
    let manager_id = users::find_user_by_email(&mut app.conn(), &console.manager_email).unwrap().unwrap().id;
    assert_eq!(stored.acknowledged_by.as_ref(), Some(&manager_id));

    // Acknowledging twice records it once.
    let again = console.manager.submit("/console/hubs/testhub", &action, &[]).await;
    assert_eq!(again.status, StatusCode::SEE_OTHER);
    let audit = console.manager.get("/console/hubs/testhub/audit").await;
    assert_eq!(audit.body.matches("alarm_acknowledged").count(), 1, "{}", audit.body);
    assert!(audit.body.contains("forced_open alarm raised 2026-11-23 06:56 UTC"), "{}", audit.body);

    // The door clears the alarm: it leaves the dashboard.
    let cleared = json!([event(
        "c1",
        "2026-11-23T07:10:00Z",
        door.id.as_str(),
        json!({"type": "alarm_cleared", "alarm": "forced_open"}),
        None
    )]);
    app.bridge_events(&token, cleared).await;
    let page = console.manager.get("/console/hubs/testhub").await;
    assert!(page.body.contains("Keine offenen Alarme."), "{}", page.body);
}

/// A second door of the fixture hub.
fn back_door(conn: &mut db::DbConn, hub: &Hub) -> Door {
    let door = Door {
        id: DoorId::from(db::new_id()),
        hub_id: hub.id.clone(),
        name: "Hintertür".into(),
        is_entrance: true,
        created_at: db_time(default_now()),
        bridge_id: None,
        modbus_unit_id: None,
    };
    catalog::insert_door(conn, &door, &[]).unwrap();
    door
}

fn insert_event(
    conn: &mut db::DbConn,
    hub_id: &HubId,
    door_id: Option<&DoorId>,
    kind: &str,
    at: chrono::DateTime<chrono::Utc>,
) {
    let row = AccessEventRow {
        id: db::new_id(),
        hub_id: hub_id.clone(),
        door_id: door_id.cloned(),
        booking_id: None,
        kind: kind.into(),
        reason: None,
        offline: false,
        occurred_at: db_time(at),
        received_at: db_time(at),
    };
    assert!(access::insert_access_event(conn, &row).unwrap());
}

/// How many entries the log page lists.
fn listed(html: &str) -> usize {
    html.split("<tbody>").nth(1).map_or(0, |body| body.split("</tbody>").next().unwrap().matches("<tr>").count())
}

async fn the_access_log_filters_pages_and_exports_csv(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let console = ConsoleFixture::new(&app).await;
    let f = &console.fixture;
    let entrance = app.entrance(&f.hub.id);
    let back = back_door(&mut app.conn(), &f.hub);
    let token = app.bridge_token("testhub");
    let (_, alice_booking) =
        app.book(&f.alice_token, f.desk.id.as_str(), "2026-11-23T09:00:00+01:00", "2026-11-23T11:00:00+01:00").await;
    let alice_booking = alice_booking["id"].as_str().unwrap();
    let (_, bob_booking) =
        app.book(&f.bob_token, f.desk2.id.as_str(), "2026-11-23T09:00:00+01:00", "2026-11-23T11:00:00+01:00").await;
    let bob_booking = bob_booking["id"].as_str().unwrap();
    let mut offline_denial =
        event("e3", "2026-11-23T07:40:00Z", back.id.as_str(), json!({"type": "denied", "reason": "no_booking"}), None);
    offline_denial["offline"] = json!(true);
    let events = json!([
        event(
            "e1",
            "2026-11-23T06:50:00Z",
            entrance.id.as_str(),
            json!({"type": "denied", "reason": "too_early"}),
            Some(alice_booking)
        ),
        event("e2", "2026-11-23T07:55:00Z", entrance.id.as_str(), json!({"type": "granted"}), Some(alice_booking)),
        offline_denial,
        event("e4", "2026-11-23T08:05:00Z", entrance.id.as_str(), json!({"type": "granted"}), Some(bob_booking)),
        event("e5", "2026-11-23T08:06:00Z", entrance.id.as_str(), json!({"type": "held_open"}), None),
    ]);
    let (status, _) = app.bridge_events(&token, events).await;
    assert_eq!(status, StatusCode::OK);

    let page = console.manager.get("/console/hubs/testhub/access-log").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert_eq!(listed(&page.body), 5);
    let newest = page.body.find("Tür zu lange offen").unwrap();
    let oldest = page.body.find("Buchung hat noch nicht begonnen").unwrap();
    assert!(newest < oldest, "newest first");
    assert!(page.body.contains("Zutritt verweigert</td>") || page.body.contains("Zutritt verweigert <span"));
    assert!(page.body.contains("(Offline-Entscheidung der Bridge)"), "the offline decision is marked");
    assert!(page.body.contains("Test Member &#60;alice@example.org&#62;"), "{}", page.body);
    assert!(page.body.contains("Einträge werden nach 90 Tagen gelöscht. Noch nie bereinigt."));
    for path in ["/console/hubs/testhub/access-log", "/console/hubs/testhub/access-log?from=yesterday"] {
        let raw = console.manager.client.get(console.manager.url(path)).send().await.unwrap();
        assert_eq!(raw.headers()["cache-control"], "no-store", "people's names and doors: never cached ({path})");
    }

    let alice = console.manager.get("/console/hubs/testhub/access-log?person=ALICE%40").await;
    assert_eq!(listed(&alice.body), 2, "{}", alice.body);
    assert!(!alice.body.contains("bob@example.org"));
    let by_name = console.manager.get("/console/hubs/testhub/access-log?person=test+mem").await;
    assert_eq!(listed(&by_name.body), 3, "both bookers are called Test Member");
    let wildcard = console.manager.get("/console/hubs/testhub/access-log?person=%25").await;
    assert_eq!(listed(&wildcard.body), 0, "a % matches only itself");
    let denied = console.manager.get("/console/hubs/testhub/access-log?kind=denied").await;
    assert_eq!(listed(&denied.body), 2);
    assert!(denied.body.contains("<option value=\"denied\" selected>"), "the filter stays chosen");
    let at_back = console.manager.get(&format!("/console/hubs/testhub/access-log?door={}", back.id)).await;
    assert_eq!(listed(&at_back.body), 1);
    // 08:40 to 09:05 in Berlin: e3 (08:40), e2 (08:55) and e4 (09:05, the "to" minute included).
    let window =
        console.manager.get("/console/hubs/testhub/access-log?from=2026-11-23T08%3A40&to=2026-11-23T09%3A05").await;
    assert_eq!(listed(&window.body), 3, "{}", window.body);
    assert!(window.body.contains("value=\"2026-11-23T08:40\""), "typed values are kept");
    // Bare dates, as the utilization page's export link gives them, mean whole local days.
    let day = console.manager.get("/console/hubs/testhub/access-log?from=2026-11-23&to=2026-11-23").await;
    assert_eq!((day.status, listed(&day.body)), (StatusCode::OK, 5), "{}", day.body);
    let next_day = console.manager.get("/console/hubs/testhub/access-log?from=2026-11-24&to=2026-11-24").await;
    assert_eq!((next_day.status, listed(&next_day.body)), (StatusCode::OK, 0), "{}", next_day.body);
    let day_before = console.manager.get("/console/hubs/testhub/access-log.csv?from=2026-11-22&to=2026-11-22").await;
    assert_eq!(day_before.status, StatusCode::OK);
    assert_eq!(day_before.body.trim_start_matches('\u{feff}').split("\r\n").filter(|l| !l.is_empty()).count(), 1);

    let bad = console.manager.get("/console/hubs/testhub/access-log?from=yesterday&kind=nonsense").await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("role=\"alert\""));
    assert!(bad.body.contains("id=\"from-error\"") && bad.body.contains("aria-invalid=\"true\""), "{}", bad.body);
    assert!(bad.body.contains("Diese Art gibt es nicht."));
    assert_eq!(listed(&bad.body), 0, "a filter that cannot be read lists nothing");
    let backwards =
        console.manager.get("/console/hubs/testhub/access-log?from=2026-11-23T09%3A00&to=2026-11-23T08%3A00").await;
    assert_eq!(backwards.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(backwards.body.contains("„Bis“ muss nach „Von“ liegen."));

    let csv = console.manager.get("/console/hubs/testhub/access-log.csv?kind=denied").await;
    assert_eq!(csv.status, StatusCode::OK);
    let text = csv.body;
    assert!(text.starts_with('\u{feff}'), "a byte order mark for spreadsheets");
    let lines: Vec<&str> = text.trim_start_matches('\u{feff}').split("\r\n").filter(|l| !l.is_empty()).collect();
    assert_eq!(lines[0], "Zeitpunkt;Tür;Ereignis;Grund oder Zustand;Offline;Person;E-Mail");
    assert_eq!(
        lines[1..],
        [
            "2026-11-23T08:40:00+01:00;Hintertür;Zutritt verweigert;keine gültige Buchung;ja;;",
            "2026-11-23T07:50:00+01:00;Eingang;Zutritt verweigert;Buchung hat noch nicht begonnen;;Test Member;alice@example.org",
        ]
    );
    let bad_csv = console.manager.get("/console/hubs/testhub/access-log.csv?to=later").await;
    assert_eq!(bad_csv.status, StatusCode::UNPROCESSABLE_ENTITY, "a bad filter shows the form, not a file");
    // A display name a member typed to look like a formula is written as text.
    let alice_id = users::find_user_by_email(&mut app.conn(), "alice@example.org").unwrap().unwrap().id;
    users::update_user_name(&mut app.conn(), &alice_id, "=SUM(A1:A9)", db_time(default_now())).unwrap();
    let formula = console.manager.get("/console/hubs/testhub/access-log.csv?kind=denied").await;
    assert_eq!(formula.status, StatusCode::OK);
    assert!(
        formula.body.contains(";'=SUM(A1:A9);alice@example.org\r\n") && !formula.body.contains(";=SUM"),
        "{}",
        formula.body
    );

    // Paging: 50 per page, newest first.
    let mut conn = app.conn();
    for minute in 0..50 {
        insert_event(
            &mut conn,
            &f.hub.id,
            Some(&entrance.id),
            "executed",
            utc("2026-11-22T10:00:00Z") + Span::minutes(minute),
        );
    }
    drop(conn);
    let first = console.manager.get("/console/hubs/testhub/access-log").await;
    assert_eq!(listed(&first.body), 50);
    assert!(first.body.contains("page=1\">Ältere →</a>"), "{}", first.body);
    let second = console.manager.get("/console/hubs/testhub/access-log?page=1").await;
    assert_eq!(listed(&second.body), 5);
    assert!(second.body.contains("page=0\">← Neuere</a>"));
}

async fn the_retention_job_deletes_old_entries_per_operator_and_records_its_run(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let console = ConsoleFixture::new(&app).await;
    let f = &console.fixture;
    let mut conn = app.conn();
    // A second operator keeps its hubs' logs only 30 days.
    let strict = Operator {
        id: OperatorId::from(db::new_id()),
        name: "Kurzstadt".into(),
        access_log_retention_days: 30,
        ..catalog::find_operator(&mut conn, &f.hub.operator_id).unwrap().unwrap()
    };
    catalog::insert_operator(&mut conn, &strict).unwrap();
    let strict_hub =
        Hub { id: HubId::from(db::new_id()), operator_id: strict.id.clone(), slug: "kurzhub".into(), ..f.hub.clone() };
    catalog::insert_hub(&mut conn, &strict_hub).unwrap();
    let now = default_now();
    for (hub, days) in [(&f.hub.id, 100), (&f.hub.id, 80), (&strict_hub.id, 40), (&strict_hub.id, 20)] {
        insert_event(&mut conn, hub, None, "granted", now - Span::days(days));
    }
    drop(conn);
    let page = console.manager.get("/console/hubs/testhub/access-log").await;
    assert!(page.body.contains("Noch nie bereinigt."));

    assert_eq!(retention::purge_access_log(&app.state).await.unwrap(), 2);
    let left = |hub: &HubId| -> Vec<i64> {
        access::list_access_events(&mut app.conn(), hub)
            .unwrap()
            .iter()
            .map(|e| (db_time(now) - e.occurred_at).num_days())
            .collect()
    };
    assert_eq!(left(&f.hub.id), [80], "90 days kept for the first operator");
    assert_eq!(left(&strict_hub.id), [20], "30 days for the second");
    let page = console.manager.get("/console/hubs/testhub/access-log").await;
    assert!(page.body.contains("Zuletzt bereinigt: Mo., 23.11.2026, 08:00 (1 Eintrag gelöscht)."), "{}", page.body);

    // Daily: not again within a day of the last pass, then again.
    app.clock.set(now + Span::hours(23));
    assert_eq!(retention::purge_access_log_if_due(&app.state).await.unwrap(), None);
    app.clock.set(now + Span::days(11));
    assert_eq!(retention::purge_access_log_if_due(&app.state).await.unwrap(), Some(2), "80 + 11 > 90, 20 + 11 > 30");
    assert!(left(&f.hub.id).is_empty() && left(&strict_hub.id).is_empty());
    assert_eq!(retention::purge_access_log_if_due(&app.state).await.unwrap(), None);
    // Eleven days on, the first session has expired: a fresh login.
    let role = Role::HubManager(f.hub.id.clone());
    let manager = crate::console::staff_browser(&app, "later@example.org", role).await;
    let page = manager.get("/console/hubs/testhub/access-log").await;
    assert!(page.body.contains("Zuletzt bereinigt: Fr., 04.12.2026, 08:00 (1 Eintrag gelöscht)."), "{}", page.body);
}

async fn a_manager_reaches_nothing_live_of_another_hub(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let console = ConsoleFixture::new(&app).await;
    let other = &console.other_hub;
    let alarm = AlarmRow {
        id: db::new_id(),
        hub_id: other.id.clone(),
        door_id: Some(console.other_door.id.clone()),
        kind: AlarmKind::ForcedOpen,
        raised_at: db_time(default_now()),
        cleared_at: None,
        acknowledged_by: None,
        acknowledged_at: None,
        last_notified_at: None,
    };
    access::insert_alarm(&mut app.conn(), &alarm).unwrap();
    let manager = &console.manager;
    for hub in ["otherhub", other.id.as_str()] {
        for path in ["", "/events", "/access-log", "/access-log.csv"] {
            let path = format!("/console/hubs/{hub}{path}");
            assert_eq!(manager.get(&path).await.status, StatusCode::NOT_FOUND, "{path}");
        }
        let action = format!("/console/hubs/{hub}/alarms/{}/acknowledge", alarm.id);
        let page = manager.submit("/console/hubs/testhub", &action, &[]).await;
        assert_eq!(page.status, StatusCode::NOT_FOUND, "{action}");
    }
    // Another hub's ids under this hub's address are just as unknown.
    let door = &console.other_door.id;
    for path in [
        format!("/console/hubs/testhub/access-log?door={door}"),
        format!("/console/hubs/testhub/access-log.csv?door={door}"),
    ] {
        assert_eq!(manager.get(&path).await.status, StatusCode::NOT_FOUND, "{path}");
    }
    let action = format!("/console/hubs/testhub/alarms/{}/acknowledge", alarm.id);
    assert_eq!(manager.submit("/console/hubs/testhub", &action, &[]).await.status, StatusCode::NOT_FOUND);
    // Even an admin cannot acknowledge it under the wrong hub.
    assert_eq!(console.admin.submit("/console/hubs/testhub", &action, &[]).await.status, StatusCode::NOT_FOUND);
    assert!(access::list_alarms(&mut app.conn(), &other.id).unwrap()[0].acknowledged_at.is_none(), "nothing changed");
    // The admin does see the other hub's dashboard and alarm.
    let page = console.admin.get("/console/hubs/otherhub").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Tür aufgebrochen") && page.body.contains("Other Desk"));
    // Members get no live console at all.
    let (member, _) = crate::browser::logged_in_member(&app, "live").await;
    for path in ["/console/hubs/testhub", "/console/hubs/testhub/events", "/console/hubs/testhub/access-log.csv"] {
        assert_eq!(member.get(path).await.status, StatusCode::NOT_FOUND, "{path}");
    }
}
