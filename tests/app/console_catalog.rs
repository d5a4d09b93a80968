//! The console's catalogue over HTTP: operators and new hubs (admins only), a hub's settings,
//! spaces (with disabling that keeps or cancels upcoming bookings), doors, sensors and bridges
//! (tokens shown once, rotation). Every form's happy path, a refused input per form, the audit
//! entry of each change, and a manager who can reach nothing of another hub.

use std::time::Duration;

use chrono::NaiveDate;
use regiohub::db::access;
use regiohub::db::catalog::{self, Closure, Door};
use regiohub::db::catalog_admin::{self, Sensor};
use regiohub::domain::ids::HubId;
use regiohub::service::bridge_link;
use reqwest::StatusCode;
use serde_json::Value;

use crate::browser::{Browser, Page, mails_to};
use crate::console::ConsoleFixture;
use crate::helpers::{Backend, TestApp, db_time, default_now};
use crate::on_both_backends;

on_both_backends!(
    operators_are_run_by_admins_only,
    admins_create_hubs_and_managers_cannot,
    hub_settings_are_changed_form_by_form,
    spaces_are_added_and_edited_with_the_booking_rules,
    staff_set_the_order_spaces_are_listed_in,
    disabling_a_space_keeps_or_cancels_its_upcoming_bookings,
    disabling_a_space_declines_its_waiting_requests,
    doors_lead_to_this_hubs_spaces_and_answer_at_one_unit_per_bridge,
    sensors_watch_one_space_each_and_show_what_the_bridge_needs,
    bridge_tokens_are_shown_once_and_rotation_stops_the_old_one,
    a_manager_reaches_nothing_of_another_hubs_catalogue,
);

/// A form sent back: 422, the message next to `field` (linked from the summary), the field
/// marked invalid.
fn assert_refused(page: &Page, field: &str, message: &str) {
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", page.body);
    assert!(page.body.contains("role=\"alert\""), "an error summary: {}", page.body);
    assert!(page.body.contains(&format!("href=\"#{field}\"")), "the summary links {field}: {}", page.body);
    let error = format!("<p class=\"error-message\" id=\"{field}-error\">{message}");
    assert!(page.body.contains(&error), "{error} in {}", page.body);
    assert!(page.body.contains(&format!("{field}-error\" aria-invalid=\"true\"")), "{field} is marked: {}", page.body);
}

/// A change that worked: a redirect to `to`, whose page then says `shows`.
async fn assert_done(browser: &Browser, page: &Page, to: &str, shows: &str) -> Page {
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    let location = page.location.clone().unwrap();
    assert!(location.starts_with(to), "{location} starts with {to}");
    let next = browser.get(&location).await;
    assert_eq!(next.status, StatusCode::OK, "{}", next.body);
    assert!(next.body.contains(shows), "{shows} in {}", next.body);
    next
}

/// Whether the change log at `path` (as the admin reads it) has an entry of `action` whose
/// line also says `text` (its subject or details).
async fn audited(console: &ConsoleFixture, path: &str, action: &str, text: &str) -> bool {
    let page = console.admin.get(path).await;
    let body = page.body.replace("&#34;", "\"").replace("&quot;", "\"");
    body.lines().any(|line| line.contains(&format!("<code>{action}</code>")) && line.contains(text))
}

/// Every path answers 404 to GET.
async fn assert_gets_not_found(browser: &Browser, paths: &[String]) {
    for path in paths {
        assert_eq!(browser.get(path).await.status, StatusCode::NOT_FOUND, "GET {path}");
    }
}

/// Every path answers 404 to a POST with a valid CSRF token.
async fn assert_posts_not_found(browser: &Browser, paths: &[String], fields: &[(&str, &str)]) {
    for path in paths {
        let page = browser.submit("/console", path, fields).await;
        assert_eq!(page.status, StatusCode::NOT_FOUND, "POST {path}: {}", page.body);
    }
}

fn operator_fields<'a>(name: &'a str, retention: &'a str) -> Vec<(&'static str, &'a str)> {
    vec![
        ("name", name),
        ("legal_contact", "Rathaus Neustadt, Marktplatz 1"),
        ("privacy_contact", "datenschutz@neustadt.example"),
        ("imprint", "Stadt Neustadt\nMarktplatz 1"),
        ("privacy_policy", "Wir speichern nur, was nötig ist."),
        ("accessibility_statement", "Diese Seiten sind barrierefrei."),
        ("access_log_retention_days", retention),
    ]
}

async fn operators_are_run_by_admins_only(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let console = ConsoleFixture::new(&app).await;
    let admin = &console.admin;

    let page = admin.get("/console/operators/new").await;
    assert!(page.body.contains("value=\"90\""), "retention defaults to 90 days: {}", page.body);
    let page = admin
        .submit("/console/operators/new", "/console/operators/new", &operator_fields("Stadt Neustadt", "30"))
        .await;
    let list = assert_done(admin, &page, "/console/operators?done=created", "Stadt Neustadt").await;
    assert!(list.body.contains("30 Tage"), "{}", list.body);
    assert!(audited(&console, "/console/audit", "operator_created", "Stadt Neustadt").await);

    let operator = catalog::list_operators(&mut app.conn()).unwrap().into_iter().find(|o| o.name == "Stadt Neustadt");
    let operator = operator.unwrap();
    let edit = format!("/console/operators/{}", operator.id);
    let page = admin.submit(&edit, &edit, &operator_fields("Stadt Neustadt (Eifel)", "120")).await;
    let form = assert_done(admin, &page, &edit, "Stadt Neustadt (Eifel)").await;
    assert!(form.body.contains("value=\"120\""));
    assert!(audited(&console, "/console/audit", "operator_updated", "Stadt Neustadt (Eifel)").await);
    let legal = Browser::new(&app).get(&format!("/legal/{}/imprint", operator.id)).await;
    assert!(legal.body.contains("Marktplatz 1"), "the legal page shows the text: {}", legal.body);

    // Out of range: the message beside the field, what was typed kept, nothing stored.
    let page = admin.submit(&edit, &edit, &operator_fields("Umbenannt", "0")).await;
    assert_refused(&page, "access_log_retention_days", "Bitte eine ganze Zahl von 1 bis 3650 eingeben.");
    assert!(page.body.contains("value=\"Umbenannt\""), "typed values stay");
    let stored = catalog::find_operator(&mut app.conn(), &operator.id).unwrap().unwrap();
    assert_eq!((stored.name.as_str(), stored.access_log_retention_days), ("Stadt Neustadt (Eifel)", 120));
    let page = admin.submit("/console/operators/new", "/console/operators/new", &operator_fields("", "90")).await;
    assert_refused(&page, "name", "Bitte ausfüllen.");

    // Managers do not even learn that the pages exist.
    let manager = &console.manager;
    let paths = ["/console/operators".to_owned(), "/console/operators/new".to_owned(), edit.clone()];
    assert_gets_not_found(manager, &paths).await;
    assert_posts_not_found(manager, &paths[1..], &operator_fields("Übernahme", "5")).await;
    assert_eq!(catalog::find_operator(&mut app.conn(), &operator.id).unwrap().unwrap().access_log_retention_days, 120);
    assert!(!manager.get("/console").await.body.contains("/console/operators"));
}

fn hub_fields<'a>(operator_id: &'a str, slug: &'a str, zone: &'a str) -> Vec<(&'static str, &'a str)> {
    vec![
        ("operator_id", operator_id),
        ("slug", slug),
        ("name", "RegioHub Neustadt"),
        ("street", "Bahnhofstraße 3"),
        ("postcode", "56999"),
        ("town", "Neustadt"),
        ("time_zone", zone),
    ]
}

async fn admins_create_hubs_and_managers_cannot(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let console = ConsoleFixture::new(&app).await;
    let operator_id = console.fixture.hub.operator_id.as_str().to_owned();
    let admin = &console.admin;

    let page = admin.get("/console/hubs/new").await;
    assert!(page.body.contains("value=\"Europe/Berlin\""), "{}", page.body);
    let page = admin
        .submit("/console/hubs/new", "/console/hubs/new", &hub_fields(&operator_id, "neustadt", "Europe/Berlin"))
        .await;
    let settings = assert_done(admin, &page, "/console/hubs/neustadt/settings", "RegioHub Neustadt").await;
    assert!(settings.body.contains("Angelegt."), "{}", settings.body);
    let hub = catalog::find_hub(&mut app.conn(), "neustadt").unwrap().unwrap();
    assert_eq!(hub.time_zone, "Europe/Berlin");
    let calendar = catalog::find_hub_with_calendar(&mut app.conn(), &hub.id).unwrap().unwrap();
    assert!(calendar.opening_hours.is_empty(), "a new hub starts without opening hours");
    assert!(audited(&console, "/console/hubs/neustadt/audit", "hub_created", "RegioHub Neustadt").await);

    // A taken slug, a malformed one, an unknown zone: each beside its field, nothing created.
    let page = admin
        .submit("/console/hubs/new", "/console/hubs/new", &hub_fields(&operator_id, "testhub", "Europe/Berlin"))
        .await;
    assert_refused(&page, "slug", "Dieses Kürzel hat schon ein anderer Hub.");
    let page = admin
        .submit("/console/hubs/new", "/console/hubs/new", &hub_fields(&operator_id, "Neu Stadt", "Mars/Base"))
        .await;
    assert_refused(&page, "slug", "Bitte 2 bis 40 Kleinbuchstaben");
    assert_refused(&page, "time_zone", "Bitte eine Zeitzone wie „Europe/Berlin“ angeben.");
    assert_eq!(catalog::list_hubs(&mut app.conn()).unwrap().len(), 3, "testhub, otherhub, neustadt");

    let manager = &console.manager;
    assert_gets_not_found(manager, &["/console/hubs/new".to_owned()]).await;
    assert_posts_not_found(
        manager,
        &["/console/hubs/new".to_owned()],
        &hub_fields(&operator_id, "mine", "Europe/Berlin"),
    )
    .await;
    assert!(catalog::find_hub(&mut app.conn(), "mine").unwrap().is_none());
}

async fn hub_settings_are_changed_form_by_form(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let console = ConsoleFixture::new(&app).await;
    let manager = &console.manager;
    let settings = "/console/hubs/testhub/settings";
    let audit = "/console/hubs/testhub/audit";

    // Details: a manager renames; slug and operator stay even when sent.
    let fields = [
        ("name", "Test Hub Mitte"),
        ("street", "Marktstraße 5"),
        ("postcode", "56001"),
        ("town", "Teststadt"),
        ("slug", "gekapert"),
    ];
    let page = manager.submit(settings, &format!("{settings}/details"), &fields).await;
    assert_done(manager, &page, settings, "Marktstraße 5").await;
    let hub = catalog::find_hub(&mut app.conn(), console.fixture.hub.id.as_str()).unwrap().unwrap();
    assert_eq!((hub.name.as_str(), hub.slug.as_str()), ("Test Hub Mitte", "testhub"));
    assert!(audited(&console, audit, "hub_details_updated", "Test Hub Mitte").await);
    assert!(Browser::new(&app).get("/hubs/testhub").await.body.contains("Test Hub Mitte"), "members see it");
    let page = manager
        .submit(
            settings,
            &format!("{settings}/details"),
            &[("name", ""), ("street", "x"), ("postcode", "1"), ("town", "y")],
        )
        .await;
    assert_refused(&page, "name", "Bitte ausfüllen.");

    // Limits per person.
    let page = manager
        .submit(
            settings,
            &format!("{settings}/limits"),
            &[("max_concurrent_per_user", "2"), ("max_upcoming_per_user", "7")],
        )
        .await;
    let page = assert_done(manager, &page, settings, "Grenzen pro Person gespeichert.").await;
    assert!(
        page.body.contains("id=\"max_upcoming_per_user\" name=\"max_upcoming_per_user\" value=\"7\""),
        "{}",
        page.body
    );
    assert!(audited(&console, audit, "hub_limits_updated", "Test Hub Mitte").await);
    let page = manager
        .submit(
            settings,
            &format!("{settings}/limits"),
            &[("max_concurrent_per_user", "0"), ("max_upcoming_per_user", "7")],
        )
        .await;
    assert_refused(&page, "max_concurrent_per_user", "Bitte eine ganze Zahl von 1 bis 50 eingeben.");

    // No-show window and PIN grace: the bridge's snapshot carries the grace period.
    let token = app.bridge_token("testhub");
    let page = manager
        .submit(settings, &format!("{settings}/times"), &[("no_show_minutes", "45"), ("pin_grace_minutes", "20")])
        .await;
    assert_done(manager, &page, settings, "No-Show- und PIN-Zeiten gespeichert.").await;
    let (_, _, snapshot) = app.bridge_get("/snapshot", &token).await;
    assert_eq!(snapshot["grace_period_s"], 1200);
    assert!(audited(&console, audit, "hub_times_updated", "pin_grace_minutes: \"15\" → \"20\"").await);
    let page = manager
        .submit(settings, &format!("{settings}/times"), &[("no_show_minutes", "3"), ("pin_grace_minutes", "121")])
        .await;
    assert_refused(&page, "no_show_minutes", "Bitte eine ganze Zahl von 5 bis 240 eingeben.");
    assert_refused(&page, "pin_grace_minutes", "Bitte eine ganze Zahl von 0 bis 120 eingeben.");
    assert_eq!(catalog::find_hub(&mut app.conn(), "testhub").unwrap().unwrap().no_show_minutes, 45);

    // Opening hours: Monday split, Sunday closed, the rest as before.
    let mut hours: Vec<(String, String)> = Vec::new();
    for day in 1..=7 {
        let (first, second) = match day {
            1 => (("08:00", "12:00"), ("13:00", "18:00")),
            7 => (("", ""), ("", "")),
            _ => (("08:00", "20:00"), ("", "")),
        };
        hours.push((format!("hours-{day}"), first.0.into()));
        hours.push((format!("hours-{day}-closes-1"), first.1.into()));
        hours.push((format!("hours-{day}-opens-2"), second.0.into()));
        hours.push((format!("hours-{day}-closes-2"), second.1.into()));
    }
    let fields: Vec<(&str, &str)> = hours.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let page = manager.submit(settings, &format!("{settings}/hours"), &fields).await;
    let page = assert_done(manager, &page, settings, "Öffnungszeiten gespeichert.").await;
    assert!(page.body.contains("name=\"hours-1-opens-2\" value=\"13:00\""), "{}", page.body);
    let calendar = catalog::find_hub_with_calendar(&mut app.conn(), &console.fixture.hub.id).unwrap().unwrap();
    assert_eq!(calendar.opening_hours.len(), 7, "two on Monday, none on Sunday");
    assert!(audited(&console, audit, "hub_hours_updated", "hours-7: \"08:00–20:00\" → \"closed\"").await);
    let mut overlapping = fields.clone();
    overlapping[2] = ("hours-1-opens-2", "11:00");
    let page = manager.submit(settings, &format!("{settings}/hours"), &overlapping).await;
    assert_refused(&page, "hours-1", "Die zwei Öffnungszeiten dürfen sich nicht überschneiden.");
    assert!(page.body.contains("name=\"hours-1-opens-2\" value=\"11:00\""), "typed hours stay");
    assert_eq!(
        catalog::find_hub_with_calendar(&mut app.conn(), &console.fixture.hub.id).unwrap().unwrap().opening_hours.len(),
        7
    );

    // Closures: add one, refuse a backwards one, remove it again.
    let closure = [("label", "Betriebsausflug"), ("first_day", "2026-12-02"), ("last_day", "2026-12-03")];
    let page = manager.submit(settings, "/console/hubs/testhub/closures", &closure).await;
    let page = assert_done(manager, &page, settings, "Betriebsausflug").await;
    assert!(page.body.contains("Mi., 02.12.2026 – Do., 03.12.2026"), "{}", page.body);
    assert!(audited(&console, audit, "closure_added", "Test Hub Mitte").await);
    let page = manager
        .submit(
            settings,
            "/console/hubs/testhub/closures",
            &[("label", "Rückwärts"), ("first_day", "2026-12-05"), ("last_day", "2026-12-04")],
        )
        .await;
    assert_refused(&page, "last_day", "Der letzte Tag darf nicht vor dem ersten liegen.");
    let calendar = catalog::find_hub_with_calendar(&mut app.conn(), &console.fixture.hub.id).unwrap().unwrap();
    assert_eq!(calendar.closures.len(), 2, "Heiligabend and the outing");
    let outing = calendar.closures.iter().find(|c| c.label == "Betriebsausflug").unwrap();
    let page = manager.submit(settings, &format!("/console/hubs/testhub/closures/{}/remove", outing.id), &[]).await;
    let page = assert_done(manager, &page, settings, "Schließtage gespeichert.").await;
    assert!(!page.body.contains("Betriebsausflug"));
    assert!(audited(&console, audit, "closure_removed", "Test Hub Mitte").await);
}

fn space_fields<'a>(name: &'a str, slot: &'a str) -> Vec<(&'static str, &'a str)> {
    vec![
        ("name", name),
        ("kind", "room"),
        ("capacity", "8"),
        ("booking_unit", "hour"),
        ("slot_minutes", slot),
        ("min_minutes", "60"),
        ("max_minutes", "240"),
        ("max_days_ahead", "14"),
        ("approval_required", "on"),
    ]
}

async fn spaces_are_added_and_edited_with_the_booking_rules(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let console = ConsoleFixture::new(&app).await;
    let manager = &console.manager;
    let spaces = "/console/hubs/testhub/spaces";

    let page = manager.get(spaces).await;
    assert!(page.body.contains("Desk 9") && page.body.contains("✕ außer Betrieb"), "states in words: {}", page.body);
    let page =
        manager.submit(&format!("{spaces}/new"), &format!("{spaces}/new"), &space_fields("Besprechung", "30")).await;
    let page = assert_done(manager, &page, spaces, "Besprechung").await;
    assert!(page.body.contains("1 Stunde bis 4 Stunden, bis 14 Tage im Voraus"), "{}", page.body);
    assert!(audited(&console, "/console/hubs/testhub/audit", "space_created", "Besprechung").await);
    let space = catalog::list_spaces(&mut app.conn(), &console.fixture.hub.id)
        .unwrap()
        .into_iter()
        .find(|s| s.name == "Besprechung")
        .unwrap();
    assert!(space.enabled && space.approval_required && space.capacity == 8);
    assert!(Browser::new(&app).get("/hubs/testhub").await.body.contains("Besprechung"), "members can book it");

    let edit = format!("{spaces}/{}", space.id);
    let page = manager.submit(&edit, &edit, &space_fields("Besprechung groß", "60")).await;
    assert_done(manager, &page, spaces, "Besprechung groß").await;
    assert!(audited(&console, "/console/hubs/testhub/audit", "space_updated", "slot_minutes: \"30\" → \"60\"").await);

    let page = manager.submit(&edit, &edit, &space_fields("Kaputt", "7")).await;
    assert_refused(&page, "slot_minutes", "Das Raster muss den Tag glatt teilen");
    assert!(page.body.contains("value=\"Kaputt\""));
    let stored = catalog::find_space(&mut app.conn(), &space.id).unwrap().unwrap();
    assert_eq!((stored.name.as_str(), stored.slot_minutes), ("Besprechung groß", 60), "nothing changed");
}

/// The space form as stored, with `position` as the order field.
fn fields_of(space: &catalog::Space, position: &str) -> Vec<(&'static str, String)> {
    let mut fields = vec![
        ("name", space.name.clone()),
        ("kind", space.kind.to_string()),
        ("capacity", space.capacity.to_string()),
        ("booking_unit", space.booking_unit.to_string()),
        ("slot_minutes", space.slot_minutes.to_string()),
        ("min_minutes", space.min_minutes.to_string()),
        ("max_minutes", space.max_minutes.to_string()),
        ("max_days_ahead", space.max_days_ahead.to_string()),
        ("position", position.to_owned()),
    ];
    if space.approval_required {
        fields.push(("approval_required", "on".to_owned()));
    }
    fields
}

/// The names in `body` in the order they first appear.
fn order_in(body: &str, names: &[&str]) -> Vec<String> {
    let mut found: Vec<(usize, String)> = names
        .iter()
        .map(|name| (body.find(&format!(">{name}<")).unwrap_or_else(|| panic!("{name} in {body}")), (*name).to_owned()))
        .collect();
    found.sort();
    found.into_iter().map(|(_, name)| name).collect()
}

async fn staff_set_the_order_spaces_are_listed_in(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let console = ConsoleFixture::new(&app).await;
    let f = &console.fixture;
    let manager = &console.manager;
    let spaces = "/console/hubs/testhub/spaces";
    let day = "/hubs/testhub?date=2026-11-24";
    let names = ["Desk 1", "Desk 2", "Desk 9", "Room", "Beamer"];
    let day_order = |body: &str| -> Vec<String> {
        let grid = &body[body.find("<table class=\"day-grid\"").unwrap()..];
        grid.split("<th scope=\"row\">").skip(1).map(|rest| rest.split(" <span").next().unwrap().to_owned()).collect()
    };

    // Nobody set an order: by kind, then by name naturally, in the day view and the console.
    let natural = ["Desk 1", "Desk 2", "Desk 9", "Room", "Beamer"];
    assert_eq!(day_order(&Browser::new(&app).get(day).await.body), natural);
    assert_eq!(order_in(&manager.get(spaces).await.body, &names), natural);
    let edit = format!("{spaces}/{}", f.equipment.id);
    let form = manager.get(&edit).await;
    assert!(form.body.contains("<label for=\"position\">Reihenfolge</label>"), "{}", form.body);
    assert!(form.body.contains("id=\"position\" name=\"position\" value=\"0\""), "{}", form.body);

    // Neither a negative number, nor one above 999, nor a word: refused next to the field.
    for bad in ["-1", "1000", "abc"] {
        let mut fields = fields_of(&f.equipment, bad);
        fields[0].1 = "Beamer neu".to_owned();
        let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let page = manager.submit(&edit, &edit, &fields).await;
        assert_refused(&page, "position", "Bitte eine ganze Zahl von 0 bis 999 eingeben.");
        let stored = catalog::find_space(&mut app.conn(), &f.equipment.id).unwrap().unwrap();
        assert_eq!((stored.name.as_str(), stored.position), ("Beamer", 0), "{bad} changed nothing");
    }

    // Every other space numbered 10, the equipment left empty (0): it comes first.
    for space in [&f.desk, &f.desk2, &f.disabled_desk, &f.room] {
        let edit = format!("{spaces}/{}", space.id);
        let fields = fields_of(space, "10");
        let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let page = manager.submit(&edit, &edit, &fields).await;
        assert_done(manager, &page, spaces, &space.name).await;
    }
    let fields = fields_of(&f.equipment, "");
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let page = manager.submit(&edit, &edit, &fields).await;
    assert_done(manager, &page, spaces, "Beamer").await;
    let moved = ["Beamer", "Desk 1", "Desk 2", "Desk 9", "Room"];
    assert_eq!(day_order(&Browser::new(&app).get(day).await.body), moved);
    assert_eq!(order_in(&manager.get(spaces).await.body, &names), moved);
    assert!(audited(&console, "/console/hubs/testhub/audit", "space_updated", "position: \"0\" → \"10\"").await);
    assert!(manager.get(&format!("{spaces}/{}", f.room.id)).await.body.contains("name=\"position\" value=\"10\""));
}

async fn disabling_a_space_declines_its_waiting_requests(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let console = ConsoleFixture::new(&app).await;
    let f = &console.fixture;
    let (status, request) =
        app.book(&f.alice_token, f.room.id.as_str(), "2026-11-24T10:00:00+01:00", "2026-11-24T12:00:00+01:00").await;
    assert_eq!(status, StatusCode::CREATED, "{request}");
    assert_eq!(request["status"], "pending");
    let request = request["id"].as_str().unwrap().to_owned();
    assert!(mails_to(&app, "alice@example.org").await.iter().all(|m| m.calendar.is_none()), "a request is no entry");

    let disable = format!("/console/hubs/testhub/spaces/{}/disable", f.room.id);
    let page = console.manager.submit(&disable, &disable, &[("future_bookings", "cancel")]).await;
    assert_done(&console.manager, &page, "/console/hubs/testhub/spaces", "1 Buchung wurde storniert").await;
    assert_eq!(app.booking_status(&request), "cancelled");
    let mails = mails_to(&app, "alice@example.org").await;
    assert!(!mails.iter().any(|m| m.subject.starts_with("Buchung storniert")), "no cancellation of a calendar entry");
    let declined = mails.iter().find(|m| m.subject.starts_with("Anfrage abgelehnt: Room")).expect("a declined mail");
    assert!(
        declined.text.contains("Grund: Der Platz wurde vom Hub-Team außer Betrieb genommen."),
        "the reason in the member's language: {}",
        declined.text
    );
    assert!(declined.calendar.is_none(), "a request was never a calendar entry");
}

async fn disabling_a_space_keeps_or_cancels_its_upcoming_bookings(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let console = ConsoleFixture::new(&app).await;
    let f = &console.fixture;
    let manager = &console.manager;
    let token = app.bridge_token("testhub");
    let (status, alices) =
        app.book(&f.alice_token, f.desk.id.as_str(), "2026-11-23T10:00:00+01:00", "2026-11-23T12:00:00+01:00").await;
    assert_eq!(status, StatusCode::CREATED, "{alices}");
    let (status, bobs) =
        app.book(&f.bob_token, f.desk2.id.as_str(), "2026-11-23T10:00:00+01:00", "2026-11-23T12:00:00+01:00").await;
    assert_eq!(status, StatusCode::CREATED, "{bobs}");
    let (alices, bobs) = (alices["id"].as_str().unwrap().to_owned(), bobs["id"].as_str().unwrap().to_owned());
    let (_, _, snapshot) = app.bridge_get("/snapshot", &token).await;
    assert_eq!(snapshot["grants"].as_array().unwrap().len(), 2);
    let version = snapshot["version"].as_u64().unwrap();

    let disable = format!("/console/hubs/testhub/spaces/{}/disable", f.desk.id);
    let page = manager.get(&disable).await;
    assert!(page.body.contains("Es gibt 1 künftige Buchung."), "{}", page.body);
    let page = manager.submit(&disable, &disable, &[("future_bookings", "vielleicht")]).await;
    assert_refused(&page, "future_bookings", "Bitte eine der Möglichkeiten wählen.");
    assert!(catalog::find_space(&mut app.conn(), &f.desk.id).unwrap().unwrap().enabled, "nothing changed");

    // Cancel with notice: the waiting bridge hears of it, the PIN is gone, Alice is told why.
    let poll = {
        let client = app.client.clone();
        let url = app.url(&format!("/api/bridge/v1/snapshot?after={version}&wait=30"));
        let token = token.clone();
        tokio::spawn(async move { client.get(url).bearer_auth(token).send().await.unwrap() })
    };
    let page = manager.submit(&disable, &disable, &[("future_bookings", "cancel")]).await;
    let page = assert_done(manager, &page, "/console/hubs/testhub/spaces", "1 Buchung wurde storniert").await;
    assert!(page.body.contains("✕ außer Betrieb"));
    let response = tokio::time::timeout(Duration::from_secs(25), poll).await.unwrap().unwrap();
    assert_eq!(response.status(), StatusCode::OK, "the waiting bridge is woken");
    let snapshot: Value = response.json().await.unwrap();
    let grants = snapshot["grants"].as_array().unwrap();
    assert_eq!(grants.len(), 1, "only Bob's booking still opens: {snapshot}");
    assert_eq!(grants[0]["booking_id"], bobs.as_str());
    assert_eq!(app.booking_status(&alices), "cancelled");
    let mails = mails_to(&app, "alice@example.org").await;
    let cancellation = mails.iter().find(|m| m.subject.starts_with("Buchung storniert")).expect("a cancellation mail");
    assert!(
        cancellation.text.contains("Grund: Der Platz wurde vom Hub-Team außer Betrieb genommen."),
        "{}",
        cancellation.text
    );
    assert!(cancellation.html.contains("Grund: Der Platz wurde vom Hub-Team außer Betrieb genommen."));
    assert_eq!(cancellation.calendar.as_ref().unwrap().0, "CANCEL");
    assert!(
        audited(
            &console,
            "/console/hubs/testhub/audit",
            "space_disabled",
            "1 upcoming booking(s) cancelled with notice"
        )
        .await
    );
    let (status, body) =
        app.book(&f.bob_token, f.desk.id.as_str(), "2026-11-24T10:00:00+01:00", "2026-11-24T12:00:00+01:00").await;
    assert_eq!(status.as_u16(), 422, "a disabled space cannot be booked: {body}");

    // Keep: Bob's booking stays confirmed and he gets no cancellation.
    let disable2 = format!("/console/hubs/testhub/spaces/{}/disable", f.desk2.id);
    let page = manager.submit(&disable2, &disable2, &[("future_bookings", "keep")]).await;
    assert_done(manager, &page, "/console/hubs/testhub/spaces", "Keine Buchung wurde storniert.").await;
    assert_eq!(app.booking_status(&bobs), "confirmed");
    assert!(!mails_to(&app, "bob@example.org").await.iter().any(|m| m.subject.starts_with("Buchung storniert")));
    assert!(audited(&console, "/console/hubs/testhub/audit", "space_disabled", "1 upcoming booking(s) kept").await);

    // And back into use.
    let page = manager
        .submit("/console/hubs/testhub/spaces", &format!("/console/hubs/testhub/spaces/{}/enable", f.desk.id), &[])
        .await;
    assert_done(manager, &page, "/console/hubs/testhub/spaces", "Der Platz kann wieder gebucht werden.").await;
    assert!(catalog::find_space(&mut app.conn(), &f.desk.id).unwrap().unwrap().enabled);
    assert!(audited(&console, "/console/hubs/testhub/audit", "space_enabled", "Desk 1").await);
}

async fn doors_lead_to_this_hubs_spaces_and_answer_at_one_unit_per_bridge(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let console = ConsoleFixture::new(&app).await;
    let f = &console.fixture;
    let manager = &console.manager;
    let doors = "/console/hubs/testhub/doors";
    let token = app.bridge_token("testhub");
    let bridge = catalog_admin::list_bridges(&mut app.conn(), &f.hub.id).unwrap().remove(0);
    access::upsert_door_state(&mut app.conn(), &app.entrance(&f.hub.id).id, "held_open", db_time(default_now()))
        .unwrap();
    assert!(manager.get(doors).await.body.contains("⚠ zu lange offen"), "the reported state in words");

    let fields = [
        ("name", "Raum 2"),
        ("space_ids", f.desk2.id.as_str()),
        ("space_ids", f.room.id.as_str()),
        ("bridge_id", bridge.id.as_str()),
        ("modbus_unit_id", "5"),
    ];
    let page = manager.submit(&format!("{doors}/new"), &format!("{doors}/new"), &fields).await;
    let page = assert_done(manager, &page, doors, "Raum 2").await;
    assert!(page.body.contains("Desk 2, Room"), "{}", page.body);
    let door = door_named(&app, f.hub.id.as_str(), "Raum 2");
    assert_eq!((door.modbus_unit_id, door.bridge_id.as_deref()), (Some(5), Some(bridge.id.as_str())));
    let (_, _, snapshot) = app.bridge_get("/snapshot", &token).await;
    let wired = snapshot["doors"].as_array().unwrap().iter().find(|d| d["id"] == door.id.as_str()).cloned().unwrap();
    assert_eq!(wired["space_ids"].as_array().unwrap().len(), 2, "{wired}");
    assert!(audited(&console, "/console/hubs/testhub/audit", "door_created", "unit_id: 5").await);

    // The unit id is taken at this bridge; a unit id needs a bridge.
    let taken = [("name", "Raum 3"), ("bridge_id", bridge.id.as_str()), ("modbus_unit_id", "5")];
    let page = manager.submit(&format!("{doors}/new"), &format!("{doors}/new"), &taken).await;
    assert_refused(&page, "modbus_unit_id", "Diese Unit-ID hat an dieser Bridge schon eine andere Tür.");
    let page = manager
        .submit(&format!("{doors}/new"), &format!("{doors}/new"), &[("name", "Raum 3"), ("modbus_unit_id", "6")])
        .await;
    assert_refused(&page, "modbus_unit_id", "Eine Modbus-Unit-ID gilt nur zusammen mit einer Bridge.");
    let page = manager
        .submit(
            &format!("{doors}/new"),
            &format!("{doors}/new"),
            &[("name", "Raum 3"), ("bridge_id", bridge.id.as_str()), ("modbus_unit_id", "300")],
        )
        .await;
    assert_refused(&page, "modbus_unit_id", "Bitte eine ganze Zahl von 1 bis 247 eingeben.");
    assert_eq!(catalog::list_doors(&mut app.conn(), &f.hub.id).unwrap().len(), 2, "nothing was added");

    // Edit: only Desk 2 now, entrance, no unit id.
    let edit = format!("{doors}/{}", door.id);
    let fields = [
        ("name", "Raum 2 neu"),
        ("is_entrance", "on"),
        ("space_ids", f.desk2.id.as_str()),
        ("bridge_id", bridge.id.as_str()),
        ("modbus_unit_id", ""),
    ];
    let page = manager.submit(&edit, &edit, &fields).await;
    assert_done(manager, &page, doors, "Raum 2 neu").await;
    let (stored, spaces) = catalog_admin::find_door(&mut app.conn(), &door.id).unwrap().unwrap();
    assert!(stored.is_entrance && stored.modbus_unit_id.is_none());
    assert_eq!(spaces, vec![f.desk2.id.clone()]);
    assert!(
        audited(&console, "/console/hubs/testhub/audit", "door_updated", "spaces: \"Desk 2, Room\" → \"Desk 2\"").await
    );

    // A space of another hub in the form: 404 and nothing changed.
    let foreign = [("name", "Gekapert"), ("space_ids", console.other_space.id.as_str())];
    let page = manager.submit(&edit, &edit, &foreign).await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    assert_eq!(catalog_admin::find_door(&mut app.conn(), &door.id).unwrap().unwrap().0.name, "Raum 2 neu");

    // Remove after a confirmation.
    let remove = format!("{edit}/remove");
    assert!(manager.get(&remove).await.body.contains("Tür „Raum 2 neu“ entfernen?"));
    let page = manager.submit(&remove, &remove, &[]).await;
    let page = assert_done(manager, &page, doors, "Entfernt.").await;
    assert!(!page.body.contains("Raum 2 neu"));
    assert!(catalog_admin::find_door(&mut app.conn(), &door.id).unwrap().is_none());
    let (_, _, snapshot) = app.bridge_get("/snapshot", &token).await;
    assert!(!snapshot["doors"].as_array().unwrap().iter().any(|d| d["id"] == door.id.as_str()));
    assert!(audited(&console, "/console/hubs/testhub/audit", "door_removed", "Raum 2 neu").await);
}

fn door_named(app: &TestApp, hub_id: &str, name: &str) -> Door {
    catalog::list_doors(&mut app.conn(), &HubId::new(hub_id))
        .unwrap()
        .into_iter()
        .map(|(d, _)| d)
        .find(|d| d.name == name)
        .unwrap()
}

async fn sensors_watch_one_space_each_and_show_what_the_bridge_needs(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let console = ConsoleFixture::new(&app).await;
    let f = &console.fixture;
    let manager = &console.manager;
    let sensors = "/console/hubs/testhub/sensors";

    let page = manager
        .submit(
            &format!("{sensors}/new"),
            &format!("{sensors}/new"),
            &[("name", "Radar Desk 1"), ("space_id", f.desk.id.as_str())],
        )
        .await;
    let page = assert_done(manager, &page, sensors, "Radar Desk 1").await;
    let sensor = catalog_admin::list_sensors(&mut app.conn(), &f.hub.id).unwrap().remove(0);
    assert!(page.body.contains(sensor.id.as_str()), "the sensor's id is shown");
    assert!(page.body.contains(&format!("space = \"{}\"", f.desk.id)), "the bridge entry: {}", page.body);
    assert!(page.body.contains("[[presence]]"));
    assert!(audited(&console, "/console/hubs/testhub/audit", "sensor_created", "Radar Desk 1").await);

    let page = manager
        .submit(
            &format!("{sensors}/new"),
            &format!("{sensors}/new"),
            &[("name", "Zweiter"), ("space_id", f.desk.id.as_str())],
        )
        .await;
    assert_refused(&page, "space_id", "Diesen Bereich beobachtet schon ein anderer Sensor.");
    let page = manager
        .submit(&format!("{sensors}/new"), &format!("{sensors}/new"), &[("name", "Ohne"), ("space_id", "")])
        .await;
    assert_refused(&page, "space_id", "Bitte eine der Möglichkeiten wählen.");
    assert_eq!(catalog_admin::list_sensors(&mut app.conn(), &f.hub.id).unwrap().len(), 1);

    let edit = format!("{sensors}/{}", sensor.id);
    let page = manager.submit(&edit, &edit, &[("name", "Radar Raum"), ("space_id", f.room.id.as_str())]).await;
    assert_done(manager, &page, sensors, "Radar Raum").await;
    assert_eq!(
        catalog_admin::find_sensor(&mut app.conn(), &sensor.id).unwrap().unwrap().space_id,
        Some(f.room.id.clone())
    );
    assert!(audited(&console, "/console/hubs/testhub/audit", "sensor_updated", "space: \"Desk 1\" → \"Room\"").await);

    let page = manager.submit(&format!("{edit}/remove"), &format!("{edit}/remove"), &[]).await;
    assert_done(manager, &page, sensors, "Entfernt.").await;
    assert!(catalog_admin::find_sensor(&mut app.conn(), &sensor.id).unwrap().is_none());
    assert!(audited(&console, "/console/hubs/testhub/audit", "sensor_removed", "Radar Raum").await);
}

/// The bridge token in a token page.
fn token_in(body: &str) -> String {
    let start = body.find("value=\"rhb_").unwrap_or_else(|| panic!("no token in {body}")) + "value=\"".len();
    body[start..].split('"').next().unwrap().to_owned()
}

async fn bridge_tokens_are_shown_once_and_rotation_stops_the_old_one(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let console = ConsoleFixture::new(&app).await;
    let manager = &console.manager;
    let bridges = "/console/hubs/testhub/bridges";

    let response = {
        let page = manager.get(bridges).await;
        assert!(page.body.contains("regiohub bridge pin-key --hub testhub"), "the PIN key note: {}", page.body);
        let csrf = crate::browser::csrf_token_in(&page.body);
        manager
            .client
            .post(manager.url(bridges))
            .form(&[("csrf_token", csrf.as_str()), ("name", "Erdgeschoss")])
            .send()
            .await
            .unwrap()
    };
    assert_eq!(response.status(), StatusCode::OK, "the token comes in the answer, not behind a redirect");
    assert_eq!(response.headers()["cache-control"], "no-store");
    let body = response.text().await.unwrap();
    let first = token_in(&body);
    assert!(body.contains("Bridge „Erdgeschoss“ angelegt"));
    let (status, _, snapshot) = app.bridge_get("/snapshot", &first).await;
    assert_eq!(status, StatusCode::OK, "the token works at once");
    assert_eq!(snapshot["hub_id"], console.fixture.hub.id.as_str());
    let list = manager.get(bridges).await;
    assert!(list.body.contains("Erdgeschoss") && !list.body.contains(&first), "the list never shows it again");
    let audit = console.admin.get("/console/hubs/testhub/audit").await;
    assert!(audit.body.contains("bridge_created") && !audit.body.contains(&first), "nor the change log");

    let page = manager.submit(bridges, bridges, &[("name", "")]).await;
    assert_refused(&page, "name", "Bitte ausfüllen.");
    assert_eq!(catalog_admin::list_bridges(&mut app.conn(), &console.fixture.hub.id).unwrap().len(), 1);

    let bridge = catalog_admin::list_bridges(&mut app.conn(), &console.fixture.hub.id).unwrap().remove(0);
    let rotate = format!("{bridges}/{}/rotate", bridge.id);
    assert!(manager.get(&rotate).await.body.contains("Der alte Schlüssel gilt sofort nicht mehr."));
    let page = manager.submit(&rotate, &rotate, &[]).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let second = token_in(&page.body);
    assert_ne!(first, second);
    assert!(page.body.contains("Der alte Schlüssel gilt nicht mehr."));
    assert_eq!(app.bridge_get("/snapshot", &first).await.0, StatusCode::UNAUTHORIZED, "the old token stops at once");
    assert_eq!(app.bridge_get("/snapshot", &second).await.0, StatusCode::OK);
    assert!(audited(&console, "/console/hubs/testhub/audit", "bridge_token_rotated", "Erdgeschoss").await);
    assert!(!console.admin.get("/console/hubs/testhub/audit").await.body.contains(&second));
    let list = manager.get(bridges).await;
    assert!(!list.body.contains(&second));
}

async fn a_manager_reaches_nothing_of_another_hubs_catalogue(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let console = ConsoleFixture::new(&app).await;
    let manager = &console.manager;
    let (other_space, other_door) = (console.other_space.id.clone(), console.other_door.id.clone());
    let (other_bridge, _) =
        bridge_link::create_bridge(&mut app.conn(), &console.other_hub.id, "Other Bridge", default_now()).unwrap();
    let other_bridge = other_bridge.id;
    let other_sensor = Sensor {
        id: regiohub::db::new_id(),
        hub_id: console.other_hub.id.clone(),
        space_id: Some(other_space.clone()),
        bridge_id: Some(other_bridge.clone()),
        name: "Other Sensor".into(),
        created_at: db_time(default_now()),
    };
    catalog_admin::insert_sensor(&mut app.conn(), &other_sensor).unwrap();
    let other_sensor = other_sensor.id;
    let other_closure = Closure {
        id: regiohub::db::new_id(),
        hub_id: console.other_hub.id.clone(),
        first_day: NaiveDate::from_ymd_opt(2026, 12, 31).unwrap(),
        last_day: NaiveDate::from_ymd_opt(2026, 12, 31).unwrap(),
        label: "Silvester".into(),
    };
    catalog::insert_closure(&mut app.conn(), &other_closure).unwrap();
    let other_closure = other_closure.id;

    // The other hub by slug and by id, and its things under this hub's URLs.
    let mut gets = Vec::new();
    for hub in ["otherhub", console.other_hub.id.as_str()] {
        for area in ["settings", "spaces", "spaces/new", "doors", "doors/new", "sensors", "sensors/new", "bridges"] {
            gets.push(format!("/console/hubs/{hub}/{area}"));
        }
    }
    for hub in ["testhub", "otherhub"] {
        gets.push(format!("/console/hubs/{hub}/spaces/{other_space}"));
        gets.push(format!("/console/hubs/{hub}/spaces/{other_space}/disable"));
        gets.push(format!("/console/hubs/{hub}/doors/{other_door}"));
        gets.push(format!("/console/hubs/{hub}/doors/{other_door}/remove"));
        gets.push(format!("/console/hubs/{hub}/sensors/{other_sensor}"));
        gets.push(format!("/console/hubs/{hub}/sensors/{other_sensor}/remove"));
        gets.push(format!("/console/hubs/{hub}/bridges/{other_bridge}/rotate"));
    }
    assert_gets_not_found(manager, &gets).await;

    let mut posts = Vec::new();
    for hub in ["otherhub", console.other_hub.id.as_str()] {
        for action in [
            "settings/details",
            "settings/limits",
            "settings/times",
            "settings/hours",
            "closures",
            "spaces/new",
            "doors/new",
            "sensors/new",
            "bridges",
        ] {
            posts.push(format!("/console/hubs/{hub}/{action}"));
        }
    }
    for hub in ["testhub", "otherhub"] {
        posts.push(format!("/console/hubs/{hub}/closures/{other_closure}/remove"));
        posts.push(format!("/console/hubs/{hub}/spaces/{other_space}"));
        posts.push(format!("/console/hubs/{hub}/spaces/{other_space}/disable"));
        posts.push(format!("/console/hubs/{hub}/spaces/{other_space}/enable"));
        posts.push(format!("/console/hubs/{hub}/doors/{other_door}"));
        posts.push(format!("/console/hubs/{hub}/doors/{other_door}/remove"));
        posts.push(format!("/console/hubs/{hub}/sensors/{other_sensor}"));
        posts.push(format!("/console/hubs/{hub}/sensors/{other_sensor}/remove"));
        posts.push(format!("/console/hubs/{hub}/bridges/{other_bridge}/rotate"));
    }
    let fields = [
        ("name", "Gekapert"),
        ("street", "x"),
        ("postcode", "1"),
        ("town", "y"),
        ("max_concurrent_per_user", "9"),
        ("max_upcoming_per_user", "9"),
        ("no_show_minutes", "99"),
        ("pin_grace_minutes", "99"),
        ("label", "Gekapert"),
        ("first_day", "2026-12-01"),
        ("last_day", "2026-12-01"),
        ("kind", "desk"),
        ("capacity", "1"),
        ("booking_unit", "hour"),
        ("slot_minutes", "30"),
        ("min_minutes", "60"),
        ("max_minutes", "60"),
        ("max_days_ahead", "1"),
        ("future_bookings", "cancel"),
        ("space_id", other_space.as_str()),
    ];
    assert_posts_not_found(manager, &posts, &fields).await;

    // This hub's forms with the other hub's space or bridge in them.
    let own_door = app.entrance(&console.fixture.hub.id).id;
    let foreign_in_form = [
        ("/console/hubs/testhub/doors/new".to_owned(), vec![("name", "X"), ("space_ids", other_space.as_str())]),
        ("/console/hubs/testhub/doors/new".to_owned(), vec![("name", "X"), ("bridge_id", other_bridge.as_str())]),
        (format!("/console/hubs/testhub/doors/{own_door}"), vec![("name", "X"), ("bridge_id", other_bridge.as_str())]),
        ("/console/hubs/testhub/sensors/new".to_owned(), vec![("name", "X"), ("space_id", other_space.as_str())]),
        (
            "/console/hubs/testhub/sensors/new".to_owned(),
            vec![("name", "X"), ("space_id", console.fixture.desk.id.as_str()), ("bridge_id", other_bridge.as_str())],
        ),
    ];
    for (action, fields) in &foreign_in_form {
        let page = manager.submit("/console", action, fields).await;
        assert_eq!(page.status, StatusCode::NOT_FOUND, "POST {action} {fields:?}");
    }

    // Nothing changed anywhere.
    let mut conn = app.conn();
    let other = catalog::find_hub_with_calendar(&mut conn, &console.other_hub.id).unwrap().unwrap();
    assert_eq!((other.hub.name.as_str(), other.hub.no_show_minutes), ("Other Hub", console.other_hub.no_show_minutes));
    assert_eq!(other.closures.len(), 1, "its closure was not removed");
    assert_eq!(catalog::list_spaces(&mut conn, &console.other_hub.id).unwrap().len(), 1);
    let space = catalog::find_space(&mut conn, &other_space).unwrap().unwrap();
    assert!(space.enabled && space.name == "Other Desk");
    let (door, _) = catalog_admin::find_door(&mut conn, &other_door).unwrap().unwrap();
    assert_eq!(door.name, "Other Door");
    assert_eq!(catalog_admin::find_sensor(&mut conn, &other_sensor).unwrap().unwrap().name, "Other Sensor");
    let bridge = access::find_bridge(&mut conn, &other_bridge).unwrap().unwrap();
    assert!(bridge.rotated_at.is_none(), "no token was rotated");
    assert_eq!(catalog_admin::list_bridges(&mut conn, &console.other_hub.id).unwrap().len(), 1);
    assert_eq!(catalog::list_doors(&mut conn, &console.fixture.hub.id).unwrap().len(), 1, "no door was added here");
    assert!(catalog_admin::list_sensors(&mut conn, &console.fixture.hub.id).unwrap().is_empty());
}
