//! The personal calendar feed: a member makes a secret address (shown once), a calendar app
//! fetches it without a session and gets every upcoming booking as one iCalendar file (read here
//! with the independent `ical` parser), a new address replaces the old one, and revoking it
//! stops it. The feed never holds a PIN or an e-mail address, and one member's feed never shows
//! another's bookings.

use reqwest::StatusCode;

use crate::browser::{Browser, csrf_token_in, logged_in_member, mails_to};
use crate::helpers::{Backend, TestApp};
use crate::on_both_backends;

on_both_backends!(a_member_subscribes_to_their_bookings_and_revokes_the_address);

/// Books through the member's form; returns the booking's id.
async fn book(browser: &Browser, space: &str, date: &str, from: &str, to: &str) -> String {
    let path = format!("/spaces/{space}/book");
    let form = browser.get(&format!("{path}?date={date}&from={from}")).await;
    let token = csrf_token_in(&form.body);
    let booked = browser.post(&path, &[("csrf_token", &token), ("date", date), ("from", from), ("to", to)]).await;
    assert_eq!(booked.status, StatusCode::SEE_OTHER, "{}", booked.body);
    let location = booked.location.unwrap();
    location.trim_start_matches("/bookings/").split('?').next().unwrap().to_owned()
}

/// The feed's https address from the page that shows it once.
fn feed_address(body: &str) -> String {
    let start = body.find("id=\"feed-address\"").unwrap_or_else(|| panic!("the address is shown: {body}"));
    let value = &body[start..];
    let value = &value[value.find("value=\"").unwrap() + "value=\"".len()..];
    value[..value.find('"').unwrap()].to_owned()
}

/// Fetches a feed like a calendar app: no cookies, no session.
async fn fetch(url: &str) -> (StatusCode, String, String) {
    let response = reqwest::get(url).await.unwrap();
    let status = response.status();
    let content_type =
        response.headers().get("content-type").map(|v| v.to_str().unwrap().to_owned()).unwrap_or_default();
    (status, content_type, response.text().await.unwrap())
}

/// Each event's properties as (name, value) pairs, as an independent parser reads them.
fn events(ics: &str) -> Vec<Vec<(String, String)>> {
    let mut calendars = ical::IcalParser::new(std::io::BufReader::new(ics.as_bytes()));
    let calendar = calendars.next().expect("one calendar").expect("a valid calendar");
    assert!(calendars.next().is_none(), "exactly one calendar");
    calendar
        .events
        .iter()
        .map(|event| event.properties.iter().map(|p| (p.name.clone(), p.value.clone().unwrap_or_default())).collect())
        .collect()
}

fn value<'a>(event: &'a [(String, String)], name: &str) -> &'a str {
    event.iter().find(|(n, _)| n == name).map_or_else(|| panic!("no {name} in {event:?}"), |(_, v)| v.as_str())
}

async fn a_member_subscribes_to_their_bookings_and_revokes_the_address(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let f = app.fixture();
    let (browser, email) = logged_in_member(&app, "feed").await;
    let desk_booking = book(&browser, f.desk.id.as_str(), "2026-11-24", "09:00", "12:00").await;
    let pin_page = browser.get(&format!("/bookings/{desk_booking}")).await;
    let pin_start = pin_page.body.find("<p class=\"pin\">").expect("the PIN is shown") + "<p class=\"pin\">".len();
    let pin = pin_page.body[pin_start..pin_start + 6].to_owned();
    let room_request = book(&browser, f.room.id.as_str(), "2026-11-25", "10:00", "12:00").await;
    let cancelled = book(&browser, f.desk2.id.as_str(), "2026-11-26", "09:00", "11:00").await;
    let cancel_form = browser.get(&format!("/bookings/{cancelled}/cancel")).await;
    let token = csrf_token_in(&cancel_form.body);
    let page = browser.post(&format!("/bookings/{cancelled}/cancel"), &[("csrf_token", &token)]).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    // Someone else's booking must never reach this member's feed.
    let (other, _) = logged_in_member(&app, "other").await;
    let others_booking = book(&other, f.desk2.id.as_str(), "2026-11-24", "13:00", "15:00").await;

    // No address yet; the forms need the CSRF token.
    let page = browser.get("/account/calendar").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("noch kein Kalender-Abo"), "{}", page.body);
    let refused = browser.post("/account/calendar", &[("csrf_token", "wrong")]).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);

    // Made: both addresses are shown, once.
    let made = browser.submit("/account/calendar", "/account/calendar", &[]).await;
    assert_eq!(made.status, StatusCode::OK, "{}", made.body);
    let shown = feed_address(&made.body);
    // The address starts with the service's public URL (the settings' `public_url`, not this
    // test server's port): fetch its path here.
    assert!(shown.starts_with("http://127.0.0.1:8080/calendar/rhcal_") && shown.ends_with(".ics"), "{shown}");
    let webcal = shown.replacen("http://", "webcal://", 1);
    assert!(made.body.contains(&format!("href=\"{webcal}\"")), "a webcal link: {}", made.body);
    let address = app.url(&shown["http://127.0.0.1:8080".len()..]);
    let again = browser.get("/account/calendar").await;
    assert!(!again.body.contains(&shown), "the address is shown once only");
    assert!(again.body.contains("Zuletzt abgerufen") && again.body.contains("noch nie"), "{}", again.body);

    // The feed: one calendar, one event per booking that holds its time, read by `ical`.
    let (status, content_type, ics) = fetch(&address).await;
    assert_eq!(status, StatusCode::OK, "{ics}");
    assert!(content_type.starts_with("text/calendar"), "{content_type}");
    assert!(ics.contains("\r\nX-WR-CALNAME:RegioHub – Meine Buchungen\r\n"), "named in the member's language: {ics}");
    assert!(ics.contains("\r\nREFRESH-INTERVAL;VALUE=DURATION:PT1H\r\n"), "{ics}");
    let events = events(&ics);
    assert_eq!(events.len(), 2, "the desk and the room request, not the cancelled one: {ics}");
    let uid_of = |id: &str| format!("{id}@127.0.0.1");
    let desk = events.iter().find(|e| value(e, "UID") == uid_of(&desk_booking)).expect("the desk booking");
    assert_eq!(value(desk, "DTSTART"), "20261124T080000Z");
    assert_eq!(value(desk, "DTEND"), "20261124T110000Z");
    assert_eq!(value(desk, "STATUS"), "CONFIRMED");
    assert_eq!(value(desk, "SEQUENCE"), "0");
    let room = events.iter().find(|e| value(e, "UID") == uid_of(&room_request)).expect("the room request");
    assert_eq!(value(room, "STATUS"), "TENTATIVE", "a request waiting for approval");
    assert!(!ics.contains(&uid_of(&cancelled)) && !ics.contains(&uid_of(&others_booking)), "{ics}");
    assert!(!ics.contains(&pin), "never the PIN: {ics}");
    assert!(!ics.contains(&email) && !ics.contains("ATTENDEE") && !ics.contains("ORGANIZER"), "{ics}");

    // The same UID as the confirmation mail's calendar entry: the apps treat both as one booking.
    app.send_mail().await;
    let mails = mails_to(&app, &email).await;
    let confirmation =
        mails.iter().find(|m| m.calendar.as_ref().is_some_and(|(_, c)| c.contains(&uid_of(&desk_booking))));
    assert!(confirmation.is_some(), "the confirmation mail's entry has the feed's UID");

    // Fetching it is seen on the page.
    let seen = browser.get("/account/calendar").await;
    assert!(!seen.body.contains("noch nie"), "{}", seen.body);

    // A new address replaces the old one at once.
    let renewed = browser.submit("/account/calendar", "/account/calendar", &[]).await;
    let new_address = app.url(&feed_address(&renewed.body)["http://127.0.0.1:8080".len()..]);
    assert_ne!(new_address, address);
    assert_eq!(fetch(&address).await.0, StatusCode::NOT_FOUND, "the old address stops");
    assert_eq!(fetch(&new_address).await.0, StatusCode::OK);

    // Revoked: 404, like an address that never existed.
    let revoked = browser.submit("/account/calendar", "/account/calendar/revoke", &[]).await;
    assert_eq!(revoked.status, StatusCode::SEE_OTHER);
    assert_eq!(fetch(&new_address).await.0, StatusCode::NOT_FOUND);
    let page = browser.get("/account/calendar?done=revoked").await;
    assert!(page.body.contains("Das Kalender-Abo ist beendet"), "{}", page.body);
    assert_eq!(fetch(&app.url("/calendar/rhcal_not-a-feed.ics")).await.0, StatusCode::NOT_FOUND);
    assert_eq!(fetch(&app.url("/calendar/whatever")).await.0, StatusCode::NOT_FOUND);
}
