//! The console's rough edges of issue 12: utilization charts legible on a phone, one list of
//! sensors for the dashboard and the sensors page, one date format in every CSV export, the hub's
//! name in the title and unique landmark names on every page about a hub, tables in named
//! scroll boxes, and a demo month with door events in its access log.

use std::collections::{BTreeSet, HashMap, HashSet};

use regiohub::db::access::{self, AccessEventRow, PresenceReadingRow};
use regiohub::db::catalog::{self, Closure};
use regiohub::db::catalog_admin::{self, Sensor};
use regiohub::db::{self, DbConn};
use regiohub::domain::ids::{BookingId, DoorId, HubId, SpaceId};
use regiohub::domain::vocabulary::BookingStatus;
use regiohub::domain::vocabulary::SensedPresence;
use reqwest::StatusCode;

use crate::browser::Browser;
use crate::console::ConsoleFixture;
use crate::helpers::{Backend, TestApp, db_time, default_now, utc};
use crate::on_both_backends;

on_both_backends!(
    the_utilization_charts_keep_their_labels_legible_on_a_phone,
    the_sensors_page_lists_the_sensors_the_dashboard_shows,
    the_demo_sensors_page_lists_the_sensors_its_dashboard_shows,
    every_csv_export_writes_local_iso_8601_times_with_the_offset,
    every_console_page_about_a_hub_names_it_and_its_landmarks_and_tables,
    the_demo_month_has_door_events_in_its_access_log,
);

/// The attribute `name` of the first tag from `from` on.
fn attribute<'a>(html: &'a str, name: &str) -> Option<&'a str> {
    let tag = &html[..html.find('>')?];
    let start = tag.find(&format!(" {name}=\""))? + name.len() + 3;
    Some(&tag[start..start + tag[start..].find('"')?])
}

/// The text of the element with this id, tags stripped.
fn text_of_id(html: &str, id: &str) -> Option<String> {
    let at = html.find(&format!(" id=\"{id}\""))?;
    let open = html[..at].rfind('<')?;
    let name: String = html[open + 1..].chars().take_while(char::is_ascii_alphanumeric).collect();
    let body_start = open + html[open..].find('>')? + 1;
    let body_end = body_start + html[body_start..].find(&format!("</{name}>"))?;
    Some(strip_tags(&html[body_start..body_end]))
}

fn strip_tags(html: &str) -> String {
    let mut text = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The accessible names of the page's landmarks that carry one (sections and boxes named by
/// `aria-label` or `aria-labelledby`, navigations, forms with a name), in page order.
fn landmark_names(html: &str) -> Vec<String> {
    let mut names = Vec::new();
    for (at, _) in html.match_indices('<') {
        let tag = &html[at..];
        let is_landmark = ["<section ", "<nav ", "<aside ", "<main ", "<form "].iter().any(|t| tag.starts_with(t))
            || (tag.starts_with("<div ") && attribute(tag, "role") == Some("region"));
        if !is_landmark {
            continue;
        }
        let name = match (attribute(tag, "aria-label"), attribute(tag, "aria-labelledby")) {
            (Some(label), _) => Some(label.to_owned()),
            (None, Some(ids)) => {
                Some(ids.split(' ').filter_map(|id| text_of_id(html, id)).collect::<Vec<_>>().join(" "))
            }
            (None, None) => None,
        };
        let kind = tag[1..].split([' ', '>']).next().unwrap_or_default();
        if let Some(name) = name {
            names.push(format!("{kind}: {name}"));
        }
    }
    names
}

fn title(html: &str) -> String {
    let start = html.find("<title>").map(|i| i + 7).unwrap_or(0);
    html[start..start + html[start..].find("</title>").unwrap_or(0)].to_owned()
}

/// The `<svg>` of a chart, from its start tag to its end.
fn chart_svg<'a>(html: &'a str, id: &str) -> &'a str {
    let title = html.find(&format!("<title id=\"{id}-title\">")).unwrap_or_else(|| panic!("{id}: {html}"));
    let start = html[..title].rfind("<svg ").unwrap();
    &html[start..start + html[start..].find("</svg>").unwrap()]
}

async fn the_utilization_charts_keep_their_labels_legible_on_a_phone(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let console = ConsoleFixture::new(&app).await;
    app.book(
        &console.fixture.alice_token,
        console.fixture.desk.id.as_str(),
        "2026-11-23T09:00:00+01:00",
        "2026-11-23T11:00:00+01:00",
    )
    .await;
    let page = console.manager.get("/console/hubs/testhub/utilization?from=2026-11-01&to=2026-11-30").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    for (id, categories) in [("chart-hours", 24), ("chart-weekdays", 7)] {
        let svg = chart_svg(&page.body, id);
        // Drawn at its size in CSS pixels: the SVG is as wide as its drawing.
        let width: f64 = attribute(svg, "width").unwrap().parse().unwrap();
        let view_box: Vec<f64> = attribute(svg, "viewBox").unwrap().split(' ').map(|n| n.parse().unwrap()).collect();
        assert_eq!(view_box[2], width, "{id}: not stretched to the page");
        assert_eq!(attribute(svg, "height").unwrap().parse::<f64>().unwrap(), view_box[3], "{id}");
        // Every label is 14 units; the column of a 375 px phone (343 px) shows the drawing whole,
        // and the 288 px of a 320 px one shrink a 14 px label to no less than 11.5 px.
        let sizes: HashSet<&str> =
            svg.match_indices("<text ").map(|(at, _)| attribute(&svg[at..], "font-size").unwrap()).collect();
        let font: f64 = sizes.iter().next().unwrap().parse().unwrap();
        assert_eq!(sizes.len(), 1, "{id}: {sizes:?}");
        assert!(width <= 343.0, "{id}: {width} fits a 375 px phone at full size");
        assert!(font >= 14.0 && font * 288.0 / width >= 11.5, "{id}: {font} units in {width}");
        // The categories are rows (labels right-aligned left of the bars); few value labels.
        let labels = svg.matches("text-anchor=\"end\"").count();
        let ticks = svg.matches("text-anchor=\"middle\"").count();
        assert_eq!(labels, categories, "{id}");
        assert!((2..=6).contains(&ticks), "{id}: {ticks} value labels");
        // Each chart keeps its data table, in a named scroll box.
        assert!(page.body.contains(&format!("aria-labelledby=\"{id}-caption\"")), "{id}");
        assert!(page.body.contains(&format!("<caption id=\"{id}-caption\">")), "{id}");
    }
    assert!(chart_svg(&page.body, "chart-hours").contains(">09:00</text>"), "hours read as times");
    // The page's style lets the chart shrink to a narrow column but never stretches it.
    let css = console.manager.get("/static/css/app.css").await.body;
    let rule = css.find("/* Console charts").map(|at| &css[at..]).expect("the charts' section of the style sheet");
    assert!(rule.contains(".report-chart > svg { width: auto; max-width: 100%; height: auto; }"), "{rule}");
}

fn insert_reading(conn: &mut DbConn, hub_id: &HubId, space_id: &SpaceId, presence: &str, at: &str) {
    let row = PresenceReadingRow {
        id: db::new_id(),
        hub_id: hub_id.clone(),
        sensor_id: None,
        space_id: Some(space_id.clone()),
        presence: SensedPresence::parse(presence).unwrap(),
        observed_at: db_time(utc(at)),
        received_at: db_time(utc(at)),
    };
    assert!(access::insert_presence_reading(conn, &row).unwrap());
}

/// The names of the spaces whose presence the dashboard shows a reading of.
fn dashboard_sensors(html: &str) -> BTreeSet<String> {
    html.split("<tr id=\"space-")
        .skip(1)
        .map(|row| &row[..row.find("</tr>").unwrap()])
        .filter(|row| row.contains("(Meldung "))
        .map(|row| {
            let th = &row[row.find("<th scope=\"row\">").unwrap() + 16..];
            th[..th.find(" <span").unwrap()].to_owned()
        })
        .collect()
}

/// The sensors page's rows: (space, name, latest reading).
fn sensor_rows(html: &str) -> Vec<(String, String, String)> {
    let table = &html[html.find("<tbody>").unwrap()..html.find("</tbody>").unwrap()];
    table
        .split("<tr>")
        .skip(1)
        .map(|row| {
            let cells: Vec<String> = row
                .split(['<'])
                .filter(|part| part.starts_with("th ") || part.starts_with("td>") || part.starts_with("a "))
                .map(|part| strip_tags(&format!("<{part}")))
                .collect();
            // th (or th + a), space, bridge, reading, …
            let name = cells.iter().find(|c| !c.is_empty()).cloned().unwrap_or_default();
            let tds: Vec<&str> = row.split("<td>").skip(1).collect();
            let td = |n: usize| strip_tags(&format!("<td>{}", tds[n].split("</td>").next().unwrap()));
            (td(0), name, td(2))
        })
        .collect()
}

async fn the_sensors_page_lists_the_sensors_the_dashboard_shows(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let console = ConsoleFixture::new(&app).await;
    let f = &console.fixture;
    {
        let mut conn = app.conn();
        // The bridge reports two desks nobody registered; a sensor is registered at the room.
        insert_reading(&mut conn, &f.hub.id, &f.desk.id, "present", "2026-11-23T06:58:00Z");
        insert_reading(&mut conn, &f.hub.id, &f.desk2.id, "empty", "2026-11-23T06:57:00Z");
        let sensor = Sensor {
            id: db::new_id(),
            hub_id: f.hub.id.clone(),
            space_id: Some(f.room.id.clone()),
            bridge_id: None,
            name: "Radar Raum".into(),
            created_at: db_time(default_now()),
        };
        catalog_admin::insert_sensor(&mut conn, &sensor).unwrap();
    }
    let dashboard = console.manager.get("/console/hubs/testhub").await;
    assert_eq!(dashboard.status, StatusCode::OK);
    let shown = dashboard_sensors(&dashboard.body);
    assert_eq!(shown, BTreeSet::from(["Desk 1".to_owned(), "Desk 2".to_owned()]), "{}", dashboard.body);

    let page = console.manager.get("/console/hubs/testhub/sensors").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(!page.body.contains("Noch keine Sensoren"), "{}", page.body);
    let rows = sensor_rows(&page.body);
    let reporting: BTreeSet<String> = rows
        .iter()
        .filter(|(_, _, reading)| reading != "noch keine Meldung")
        .map(|(space, _, _)| space.clone())
        .collect();
    assert_eq!(reporting, shown, "the same sensors report on both pages: {rows:?}");
    let row = |space: &str, name: &str, reading: &str| (space.to_owned(), name.to_owned(), reading.to_owned());
    assert_eq!(
        rows,
        [
            row("Desk 1", "Noch nicht eingetragen", "jemand da (Mo., 23.11.2026, 07:58)"),
            row("Desk 2", "Noch nicht eingetragen", "leer (Mo., 23.11.2026, 07:57)"),
            row("Room", "Radar Raum", "noch keine Meldung"),
        ]
    );
    // Help for managers: what a sensor is and how it comes through the bridge; no source paths.
    for words in ["Präsenzsensor", "Bridge Ihres Hubs", "Sensor anlegen"] {
        assert!(page.body.contains(words), "{words}");
    }
    for path in ["README", ".toml", "hardware/"] {
        assert!(!page.body.contains(path), "{path} in {}", page.body);
    }
    // Registering a reported sensor starts the form with its space chosen.
    let register = format!("/console/hubs/testhub/sensors/new?space_id={}", f.desk.id);
    assert!(page.body.contains(&register.replace('&', "&#38;")), "{}", page.body);
    let form = console.manager.get(&register).await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.body.contains(&format!("<option value=\"{}\" selected>", f.desk.id)), "{}", form.body);
}

async fn the_demo_sensors_page_lists_the_sensors_its_dashboard_shows(backend: Backend) {
    use regiohub::demo::logins::DEMO_LOGINS;
    use regiohub::demo::seed::seed_demo;
    let app = TestApp::spawn(backend).await;
    assert!(seed_demo(&mut app.conn(), &app.state.context, default_now()).unwrap());
    {
        // What the demo's bridge reports a minute after it starts: each space's sensor.
        let mut conn = app.conn();
        let polch = catalog::find_hub(&mut conn, "polch").unwrap().unwrap();
        for (n, space) in catalog::list_spaces(&mut conn, &polch.id).unwrap().into_iter().enumerate() {
            let presence = if n % 3 == 0 { "present" } else { "empty" };
            insert_reading(&mut conn, &polch.id, &space.id, presence, "2026-11-23T06:59:00Z");
        }
    }
    let manager = Browser::new(&app);
    let login = &DEMO_LOGINS[1];
    assert_eq!(manager.log_in(login.email, login.password).await.status, StatusCode::SEE_OTHER);
    let dashboard = manager.get("/console/hubs/polch").await;
    let shown = dashboard_sensors(&dashboard.body);
    assert!(shown.len() >= 9, "{shown:?}");
    let page = manager.get("/console/hubs/polch/sensors").await;
    assert!(!page.body.contains("Noch keine Sensoren"), "{}", page.body);
    let listed: BTreeSet<String> = sensor_rows(&page.body).into_iter().map(|(space, _, _)| space).collect();
    assert_eq!(listed, shown);
}

async fn every_csv_export_writes_local_iso_8601_times_with_the_offset(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let console = ConsoleFixture::new(&app).await;
    let f = &console.fixture;
    let (status, booked) =
        app.book(&f.alice_token, f.desk.id.as_str(), "2026-11-23T09:00:00+01:00", "2026-11-23T10:00:00+01:00").await;
    assert_eq!(status, StatusCode::CREATED, "{booked}");
    let booking_id = BookingId::new(booked["id"].as_str().unwrap());
    let door = catalog::list_doors(&mut app.conn(), &f.hub.id).unwrap().remove(0).0;
    let event = AccessEventRow {
        id: db::new_id(),
        hub_id: f.hub.id.clone(),
        door_id: Some(door.id.clone()),
        booking_id: Some(booking_id.clone()),
        kind: "granted".into(),
        reason: None,
        offline: false,
        occurred_at: db_time(utc("2026-11-23T07:55:21Z")),
        received_at: db_time(utc("2026-11-23T07:55:22Z")),
    };
    assert!(access::insert_access_event(&mut app.conn(), &event).unwrap());
    let lines = |body: String| -> Vec<String> {
        body.trim_start_matches('\u{feff}').split("\r\n").filter(|l| !l.is_empty()).map(str::to_owned).collect()
    };
    let range = "from=2026-11-23&to=2026-11-23";
    let bookings = console.manager.get(&format!("/console/hubs/testhub/bookings.csv?{range}")).await;
    assert_eq!(bookings.status, StatusCode::OK);
    assert_eq!(
        lines(bookings.body)[1],
        format!(
            "{booking_id};Desk 1;Test Member;alice@example.org;2026-11-23T09:00:00+01:00;2026-11-23T10:00:00+01:00;Bestätigt;nein;nein"
        )
    );
    let hourly = console.manager.get(&format!("/console/hubs/testhub/utilization.csv?{range}")).await;
    assert_eq!(hourly.status, StatusCode::OK);
    let hourly = lines(hourly.body);
    assert_eq!(hourly[0], "Platz;Beginn;Gebucht (Stunden);Anwesend (Stunden)");
    assert!(hourly.contains(&"Desk 1;2026-11-23T09:00:00+01:00;1;0".to_owned()), "{hourly:?}");
    let log = console.manager.get(&format!("/console/hubs/testhub/access-log.csv?{range}")).await;
    assert_eq!(log.status, StatusCode::OK);
    assert_eq!(
        lines(log.body)[1..],
        [format!("2026-11-23T08:55:21+01:00;{};Zutritt gewährt;;;Test Member;alice@example.org", door.name)]
    );
}

/// The links of a page that stay inside `prefix` (entities of the query undone), without
/// downloads and the event stream.
fn links_below(html: &str, prefix: &str) -> Vec<String> {
    html.match_indices("href=\"")
        .filter_map(|(at, _)| {
            let rest = &html[at + 6..];
            let href = rest[..rest.find('"')?].replace("&#38;", "&").replace("&amp;", "&");
            let path = href.split('#').next()?.to_owned();
            let file = path.split('?').next()?;
            let excluded = file.ends_with(".csv") || file.ends_with(".svg") || file.ends_with("/events");
            (path.starts_with(prefix) && !excluded).then_some(path)
        })
        .collect()
}

async fn every_console_page_about_a_hub_names_it_and_its_landmarks_and_tables(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let console = ConsoleFixture::new(&app).await;
    let f = &console.fixture;
    {
        // Something in every list: a booking, a closure, a sensor, a bridge, an access event.
        let mut conn = app.conn();
        let closure = Closure {
            id: db::new_id(),
            hub_id: f.hub.id.clone(),
            first_day: "2026-12-24".parse().unwrap(),
            last_day: "2026-12-26".parse().unwrap(),
            label: "Weihnachten".into(),
        };
        catalog::insert_closure(&mut conn, &closure).unwrap();
        let sensor = Sensor {
            id: db::new_id(),
            hub_id: f.hub.id.clone(),
            space_id: Some(f.desk.id.clone()),
            bridge_id: None,
            name: "Radar".into(),
            created_at: db_time(default_now()),
        };
        catalog_admin::insert_sensor(&mut conn, &sensor).unwrap();
        regiohub::service::bridge_link::create_bridge(&mut conn, &f.hub.id, "Bridge Erdgeschoss", default_now())
            .unwrap();
    }
    app.book(&f.bob_token, f.desk.id.as_str(), "2026-11-24T10:00:00+01:00", "2026-11-24T12:00:00+01:00").await;
    app.book(&f.alice_token, f.room.id.as_str(), "2026-11-25T10:00:00+01:00", "2026-11-25T12:00:00+01:00").await;
    let hub = "/console/hubs/testhub";
    let mut queue =
        vec![hub.to_owned(), format!("{hub}/utilization?from=2026-11-01&to=2026-11-30"), format!("{hub}/settings")];
    let mut seen = HashSet::new();
    let mut titles = HashMap::new();
    while let Some(path) = queue.pop() {
        if !seen.insert(path.clone()) {
            continue;
        }
        let page = console.admin.get(&path).await;
        assert_eq!(page.status, StatusCode::OK, "{path}: {}", page.body);
        let html = &page.body;
        let title = title(html);
        assert!(title.contains("Test Hub"), "{path}: the title {title:?} names the hub");
        titles.insert(path.clone(), title);
        let names = landmark_names(html);
        let unique: HashSet<&String> = names.iter().collect();
        assert_eq!(unique.len(), names.len(), "{path}: landmarks share a name: {names:#?}");
        assert!(names.iter().all(|n| !n.ends_with(": ")), "{path}: a landmark without a name: {names:?}");
        for (at, _) in html.match_indices("<table") {
            let before = &html[..at];
            let scroll = before.rfind("<div class=\"table-scroll\"").unwrap_or_else(|| panic!("{path}: a bare table"));
            let tag = &html[scroll..];
            assert_eq!(attribute(tag, "role"), Some("region"), "{path}");
            assert_eq!(attribute(tag, "tabindex"), Some("0"), "{path}");
            let label = attribute(tag, "aria-labelledby").unwrap_or_else(|| panic!("{path}: {}", &tag[..120]));
            assert!(text_of_id(html, label).is_some_and(|t| !t.is_empty()), "{path}: {label} names nothing");
            assert!(!before[scroll..].contains("</div>"), "{path}: the table is inside its box");
        }
        if seen.len() < 120 {
            queue.extend(links_below(html, hub).into_iter().filter(|link| !seen.contains(link)));
        }
    }
    // The crawl reached the areas and their forms, not just the dashboard.
    for area in ["/spaces/new", "/doors/new", "/sensors/new", "/bookings/new", "/settings", "/audit", "/cards"] {
        assert!(seen.contains(&format!("{hub}{area}")), "{area} not reached: {seen:?}");
    }
    for end in ["/disable", "/remove", "/qr", "/rotate", "/move"] {
        assert!(seen.iter().any(|p| p.ends_with(end)), "no {end} page reached: {seen:?}");
    }
    assert!(seen.len() > 20, "{seen:?}");
    // The closures section and its table's box have different names.
    let settings = console.admin.get(&format!("{hub}/settings")).await.body;
    let names = landmark_names(&settings);
    assert!(names.contains(&"section: Schließtage und Feiertage".to_owned()), "{names:?}");
    assert!(names.contains(&"div: Eingetragene Schließtage".to_owned()), "{names:?}");
}

async fn the_demo_month_has_door_events_in_its_access_log(backend: Backend) {
    use regiohub::demo::logins::DEMO_LOGINS;
    use regiohub::demo::seed::seed_demo;
    let app = TestApp::spawn(backend).await;
    assert!(seed_demo(&mut app.conn(), &app.state.context, default_now()).unwrap());
    let mut conn = app.conn();
    let polch = catalog::find_hub(&mut conn, "polch").unwrap().unwrap();
    let doors: HashMap<DoorId, (String, Vec<SpaceId>)> = catalog::list_doors(&mut conn, &polch.id)
        .unwrap()
        .into_iter()
        .map(|(door, spaces)| (door.id.clone(), (door.name, spaces)))
        .collect();
    let (start, end) = (db_time(utc("2026-09-30T22:00:00Z")), db_time(utc("2026-10-31T23:00:00Z")));
    let bookings: HashMap<BookingId, _> =
        regiohub::db::reports::hub_bookings_overlapping(&mut conn, &polch.id, start, end)
            .unwrap()
            .into_iter()
            .map(|b| (b.id.clone(), b))
            .collect();
    let events = access::list_access_events(&mut conn, &polch.id).unwrap();
    drop(conn);
    let count = |kind: &str| events.iter().filter(|e| e.kind == kind).count();
    assert!(count("granted") > 50, "a month of entries: {}", count("granted"));
    assert!(count("denied") > 0 && count("checked_in") > 0, "some mistyped PINs and QR check-ins");
    for event in &events {
        assert!(start <= event.occurred_at && event.occurred_at < end, "{event:?} in October");
        match event.kind.as_str() {
            "granted" | "checked_in" => {
                let booking = &bookings[event.booking_id.as_ref().unwrap()];
                assert_eq!(booking.status, BookingStatus::Completed, "never for no-shows or cancellations: {event:?}");
                let opens = booking.start_at - chrono::Duration::minutes(15);
                assert!(opens <= event.occurred_at && event.occurred_at < booking.end_at, "{event:?} {booking:?}");
                if let Some(door) = &event.door_id {
                    assert!(doors[door].1.contains(&booking.space_id), "the door leads to the booked space");
                }
            }
            "denied" => assert_eq!((event.reason.as_deref(), event.booking_id.as_ref()), (Some("no_booking"), None)),
            other => panic!("unexpected {other}"),
        }
    }
    // Rooms are reached through their own door as well as the entrance.
    assert!(events.iter().any(|e| e.door_id.as_ref().is_some_and(|d| doors[d].0.starts_with("Tür "))));
    // A visitor sees them on the access-log page and in its CSV.
    let manager = Browser::new(&app);
    let login = &DEMO_LOGINS[1];
    assert_eq!(manager.log_in(login.email, login.password).await.status, StatusCode::SEE_OTHER);
    let page = manager.get("/console/hubs/polch/access-log?from=2026-10-01&to=2026-10-31").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Zutritt gewährt") && page.body.contains("Eingang"), "{}", page.body);
    let csv = manager.get("/console/hubs/polch/access-log.csv?from=2026-10-01&to=2026-10-31").await;
    let lines: Vec<&str> = csv.body.split("\r\n").filter(|l| !l.is_empty()).collect();
    assert_eq!(lines.len(), 1 + events.len(), "every event of the month");
    assert!(lines[1..].iter().all(|l| l.starts_with("2026-10-") && l[19..].starts_with("+0")), "{lines:?}");
    assert!(lines.iter().any(|l| l.contains(";Eingang;Zutritt gewährt;;;") && l.contains("@demo.regiohub.example")));
}

/// In a real browser at 375 and 320 px, the charts' labels are drawn at least 12 and 11.5 CSS
/// pixels tall (the drawing's text size times its scale on screen), and the chart does not make
/// the page scroll sideways.
#[tokio::test]
#[ignore = "needs chromium and chromedriver: .ci/run installs them and runs it"]
async fn the_utilization_charts_labels_are_legible_in_a_phones_browser() {
    use crate::chromium::{browser, log_in, overflow, start_driver};
    let app = TestApp::spawn(Backend::Sqlite).await;
    let f = app.fixture();
    app.book(&f.bob_token, f.desk.id.as_str(), "2026-11-23T09:00:00+01:00", "2026-11-23T11:00:00+01:00").await;
    let (email, password) = ("chart-admin@example.org", "a long browser password");
    app.user(email, "Ada Admin", regiohub::domain::role::Role::Admin, password);
    let driver = start_driver();
    for (width, smallest) in [(375, 12.0), (320, 11.5), (1280, 12.0)] {
        let client = browser(&driver, width).await;
        log_in(&app, &client, email, password).await;
        client.goto(&app.url("/console/hubs/testhub/utilization?from=2026-11-01&to=2026-11-30")).await.unwrap();
        let sizes = client
            .execute(
                "return [...document.querySelectorAll('.report-chart svg text')].map(t => \
                 parseFloat(t.getAttribute('font-size')) * t.getScreenCTM().a);",
                vec![],
            )
            .await
            .unwrap();
        let sizes: Vec<f64> = sizes.as_array().unwrap().iter().map(|s| s.as_f64().unwrap()).collect();
        assert!(sizes.len() > 30, "{width}: {sizes:?}");
        let least = sizes.iter().copied().fold(f64::INFINITY, f64::min);
        assert!(least >= smallest, "{width} px: labels {least} px");
        assert!(least <= 14.01, "{width} px: never stretched ({least} px)");
        assert_eq!(overflow(&client).await, 0, "{width} px scrolls sideways");
        client.close().await.unwrap();
    }
}
