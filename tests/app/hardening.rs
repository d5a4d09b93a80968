//! Hardening over HTTP: nothing personal is kept in a cache, every page switches off the browser
//! features it never uses and demands HTTPS once served over it, names with control characters
//! are refused at input and never start a calendar line of their own, and remote unlocks are
//! limited per booking and hour, also under concurrent presses.

use diesel::prelude::*;
use regiohub::db::schema::spaces;
use regiohub::domain::ids::BookingId;
use reqwest::StatusCode;
use reqwest::header::HeaderMap;

use crate::browser::{Browser, csrf_token_in, logged_in_member};
use crate::console::ConsoleFixture;
use crate::helpers::{Backend, TestApp, utc};
use crate::mail::parse_calendar;
use crate::on_both_backends;

on_both_backends!(
    personal_answers_are_never_stored_in_a_cache,
    every_page_switches_off_browser_features_and_https_is_demanded_once_used,
    names_with_control_characters_are_refused_next_to_the_field,
    a_stored_name_with_line_breaks_starts_no_calendar_property,
    remote_unlocks_are_limited_per_booking_and_hour,
);

/// The headers of a GET by this browser (with its cookies).
async fn headers_of(browser: &Browser, path: &str) -> (StatusCode, HeaderMap) {
    let response = browser.client.get(browser.url(path)).send().await.unwrap();
    (response.status(), response.headers().clone())
}

fn cache_control(headers: &HeaderMap) -> &str {
    headers.get("cache-control").map_or("", |v| v.to_str().unwrap())
}

/// A booking made through the booking form (08:30–10:30 local on the fixture day); its id.
async fn booked_in_browser(browser: &Browser, space_id: &str) -> String {
    let form = browser.get(&format!("/spaces/{space_id}/book?date=2026-11-23&from=08:30")).await;
    let booked = browser
        .post(
            &format!("/spaces/{space_id}/book"),
            &[("csrf_token", &csrf_token_in(&form.body)), ("date", "2026-11-23"), ("from", "08:30"), ("to", "10:30")],
        )
        .await;
    assert_eq!(booked.status, StatusCode::SEE_OTHER, "{}", booked.body);
    booked.location.unwrap().trim_start_matches("/bookings/").split('?').next().unwrap().to_owned()
}

async fn personal_answers_are_never_stored_in_a_cache(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let f = app.fixture();
    let (browser, _) = logged_in_member(&app, "cache").await;

    let (status, headers) = headers_of(&browser, &format!("/spaces/{}/book?date=2026-11-23", f.desk.id)).await;
    assert_eq!((status, cache_control(&headers)), (StatusCode::OK, "no-store"), "the booking form");
    let id = booked_in_browser(&browser, f.desk.id.as_str()).await;
    let response = browser.client.get(browser.url(&format!("/bookings/{id}"))).send().await.unwrap();
    assert_eq!(cache_control(response.headers()), "no-store", "the booking page with the PIN");
    let body = response.text().await.unwrap();
    assert!(body.contains("PIN"), "the PIN is shown: {body}");
    let (status, headers) = headers_of(&browser, "/bookings").await;
    assert_eq!((status, cache_control(&headers)), (StatusCode::OK, "no-store"), "the list of bookings");

    // The API's PIN answers: a new booking and a new PIN.
    let body = serde_json::json!({
        "space_id": f.desk2.id, "start": "2026-11-24T10:00:00+01:00", "end": "2026-11-24T11:00:00+01:00"
    });
    let created =
        app.client.post(app.url("/api/v1/bookings")).bearer_auth(&f.alice_token).json(&body).send().await.unwrap();
    assert_eq!(created.status(), StatusCode::CREATED);
    assert_eq!(cache_control(created.headers()), "no-store", "the API's booking with its PIN");
    let created: serde_json::Value = created.json().await.unwrap();
    assert!(created["pin"].is_string(), "{created}");
    let renewed = app
        .client
        .post(app.url(&format!("/api/v1/bookings/{}/pin", created["id"].as_str().unwrap())))
        .bearer_auth(&f.alice_token)
        .send()
        .await
        .unwrap();
    assert!(renewed.status().is_success(), "{}", renewed.status());
    assert_eq!(cache_control(renewed.headers()), "no-store", "the API's new PIN");

    // A handler's own rule stays; an anonymous public page may be cached.
    let (_, headers) = headers_of(&browser, "/static/css/app.css").await;
    assert_eq!(cache_control(&headers), "public, max-age=3600", "static assets keep theirs");
    let (status, headers) = headers_of(&Browser::new(&app), "/").await;
    assert_eq!(status, StatusCode::OK);
    assert!(!cache_control(&headers).contains("no-store"), "nothing personal on the anonymous hub list");
}

async fn every_page_switches_off_browser_features_and_https_is_demanded_once_used(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let visitor = Browser::new(&app);
    for path in ["/", "/login", "/no-such-page"] {
        let (_, headers) = headers_of(&visitor, path).await;
        let policy = headers.get("permissions-policy").map(|v| v.to_str().unwrap().to_owned()).unwrap_or_default();
        for feature in ["camera=()", "microphone=()", "geolocation=()", "payment=()", "usb=()"] {
            assert!(policy.contains(feature), "{path}: {feature} in {policy:?}");
        }
        assert!(headers.get("strict-transport-security").is_none(), "{path}: plain HTTP sets no HSTS");
    }
    let behind_proxy =
        app.client.get(app.url("/")).header("X-Forwarded-Proto", "https").send().await.unwrap().headers().clone();
    let hsts = behind_proxy.get("strict-transport-security").map(|v| v.to_str().unwrap().to_owned());
    assert_eq!(hsts.as_deref(), Some("max-age=63072000; includeSubDomains"), "the request came over HTTPS");

    let secure = TestApp::spawn_with(backend, |s| s.public_url = "https://buchen.example".into()).await;
    let (_, headers) = headers_of(&Browser::new(&secure), "/").await;
    let hsts = headers.get("strict-transport-security").map(|v| v.to_str().unwrap().to_owned()).unwrap_or_default();
    let max_age: u64 = hsts.trim_start_matches("max-age=").split(';').next().unwrap().parse().unwrap();
    assert!(max_age >= 365 * 24 * 3600, "at least a year: {hsts}");
}

/// A form sent back with 422 and the control-character message next to `field`.
fn assert_refused_control_characters(page: &crate::browser::Page, field: &str) {
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", page.body);
    let error =
        format!("<p class=\"error-message\" id=\"{field}-error\">Dieser Text enthält unzulässige Steuerzeichen.");
    assert!(page.body.contains(&error), "{error} in {}", page.body);
}

async fn names_with_control_characters_are_refused_next_to_the_field(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let console = ConsoleFixture::new(&app).await;
    let manager = &console.manager;
    let desk = &console.fixture.desk;

    let edit = format!("/console/hubs/testhub/spaces/{}", desk.id);
    let fields = [
        ("name", "Desk 6\rATTENDEE:mailto:x@evil.example"),
        ("kind", "desk"),
        ("capacity", "1"),
        ("booking_unit", "hour"),
        ("slot_minutes", "30"),
        ("min_minutes", "60"),
        ("max_minutes", "240"),
        ("max_days_ahead", "14"),
    ];
    assert_refused_control_characters(&manager.submit(&edit, &edit, &fields).await, "name");
    let new_space = "/console/hubs/testhub/spaces/new";
    let mut fields = fields.to_vec();
    fields[0] = ("name", "Desk 7\nX");
    assert_refused_control_characters(&manager.submit(new_space, new_space, &fields).await, "name");

    let settings = "/console/hubs/testhub/settings";
    let details = [("name", "Test Hub"), ("street", "Marktstraße 5\r\nX: y"), ("postcode", "56001"), ("town", "Ort")];
    assert_refused_control_characters(
        &manager.submit(settings, &format!("{settings}/details"), &details).await,
        "street",
    );
    let details = [("name", "Test\tHub"), ("street", "Marktstraße 5"), ("postcode", "56001"), ("town", "Ort")];
    assert_refused_control_characters(
        &manager.submit(settings, &format!("{settings}/details"), &details).await,
        "name",
    );

    let doors = "/console/hubs/testhub/doors/new";
    assert_refused_control_characters(&manager.submit(doors, doors, &[("name", "Tür\r1")]).await, "name");

    let stored = regiohub::db::catalog::find_space(&mut app.conn(), &desk.id).unwrap().unwrap();
    assert_eq!(stored.name, desk.name, "nothing was stored");
}

async fn a_stored_name_with_line_breaks_starts_no_calendar_property(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let f = app.fixture();
    let (browser, _) = logged_in_member(&app, "ics").await;
    let id = booked_in_browser(&browser, f.desk.id.as_str()).await;
    // Written past the forms, as an old row or another tool might have.
    diesel::update(spaces::table.find(f.desk.id.as_str()))
        .set(spaces::name.eq("Desk 6\rATTENDEE:mailto:evil@x.example\nX-INJECTED:1\r\nLOCATION:elsewhere"))
        .execute(&mut *app.conn())
        .unwrap();

    let response = browser.client.get(browser.url(&format!("/bookings/{id}/booking.ics"))).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let ics = response.text().await.unwrap();
    // Some calendar programs end a line at a bare CR or LF: no such line may start a property.
    for line in ics.split(['\r', '\n']) {
        assert!(
            !line.starts_with("ATTENDEE:mailto:evil")
                && !line.starts_with("X-INJECTED")
                && !line.starts_with("LOCATION:else"),
            "an injected line {line:?} in {ics:?}"
        );
    }
    assert!(ics.split("\r\n").all(|line| !line.contains(['\r', '\n'])), "only CRLF ends a line: {ics:?}");
    let (_, event) = parse_calendar(&ics);
    let names: Vec<&str> = event.iter().map(|(name, _)| name.as_str()).collect();
    assert_eq!(names.iter().filter(|n| **n == "ATTENDEE").count(), 1, "{event:?}");
    assert_eq!(names.iter().filter(|n| **n == "LOCATION").count(), 1, "{event:?}");
    assert!(!names.contains(&"X-INJECTED"), "{event:?}");
    let summary = crate::mail::value(&event, "SUMMARY");
    assert!(summary.starts_with("Desk 6 ATTENDEE:mailto:evil@x.example X-INJECTED:1"), "one line: {summary:?}");
}

async fn remote_unlocks_are_limited_per_booking_and_hour(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let f = app.fixture();
    let door = app.entrance(&f.hub.id);
    let (browser, _) = logged_in_member(&app, "unlocks").await;
    let id = booked_in_browser(&browser, f.desk.id.as_str()).await;
    let page_url = format!("/bookings/{id}");
    let action = format!("/bookings/{id}/doors/{}/open", door.id);

    // 08:20 local, inside the window. Twenty presses at once: exactly ten go through.
    app.clock.set(utc("2026-11-23T07:20:00Z"));
    let token = csrf_token_in(&browser.get(&page_url).await.body);
    let presses = (0..20).map(|_| {
        let client = browser.client.clone();
        let url = browser.url(&action);
        let token = token.clone();
        tokio::spawn(async move {
            let response = client.post(url).form(&[("csrf_token", token.as_str())]).send().await.unwrap();
            assert_eq!(response.status(), StatusCode::SEE_OTHER);
            response.headers().get("location").unwrap().to_str().unwrap().to_owned()
        })
    });
    let mut locations = Vec::new();
    for press in presses.collect::<Vec<_>>() {
        locations.push(press.await.unwrap());
    }
    let refused = format!("/bookings/{id}?door=too_many_unlocks");
    assert_eq!(locations.iter().filter(|l| **l == page_url).count(), 10, "{locations:?}");
    assert_eq!(locations.iter().filter(|l| **l == refused).count(), 10, "{locations:?}");
    let commands = regiohub::db::access::booking_commands(&mut app.conn(), &BookingId::new(id.clone())).unwrap();
    assert_eq!(commands.len(), 10, "a refused press sends nothing");

    let page = browser.get(&refused).await;
    assert!(page.body.contains("höchstens 10 je Buchung und Stunde"), "the member hears the rule: {}", page.body);

    // The window slides: an hour after the presses the booking may open again. Sessions end after
    // 30 idle minutes, so the clock moves in small steps.
    app.clock.set(utc("2026-11-23T07:45:00Z"));
    browser.get(&page_url).await;
    app.clock.set(utc("2026-11-23T08:10:00Z"));
    browser.get(&page_url).await;
    app.clock.set(utc("2026-11-23T08:19:59Z"));
    let page = browser.get(&page_url).await;
    let pressed = browser.post(&action, &[("csrf_token", &csrf_token_in(&page.body))]).await;
    assert_eq!(pressed.location.as_deref(), Some(refused.as_str()), "still within the hour");
    app.clock.set(utc("2026-11-23T08:20:01Z"));
    let pressed = browser.post(&action, &[("csrf_token", &csrf_token_in(&page.body))]).await;
    assert_eq!(pressed.location.as_deref(), Some(page_url.as_str()), "an hour later it opens again");
}
