//! The member's whole way through the site, as the "done when" describes it, with HTML
//! forms only (no JavaScript): register, confirm, log in, book a desk for tomorrow 09:00–12:00,
//! see the PIN once, download the calendar entry, switch to English, cancel with a confirmation
//! step, and get the cancellation mail with the same calendar UID. Also: the booking form's
//! errors, and someone else's booking answering 404 on every route.

use reqwest::StatusCode;

use crate::browser::{csrf_token_in, logged_in_member, mails_to};
use crate::helpers::{Backend, TestApp};
use crate::mail::{parse_calendar, value};
use crate::on_both_backends;

on_both_backends!(
    a_member_books_sees_the_pin_and_cancels,
    the_booking_form_shows_errors_next_to_the_fields,
    someone_elses_booking_is_404_on_every_route,
);

fn booking_id_from(location: &str) -> String {
    location.trim_start_matches("/bookings/").split('?').next().unwrap().to_owned()
}

async fn a_member_books_sees_the_pin_and_cancels(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let f = app.fixture();
    let (browser, email) = logged_in_member(&app, "flow").await;

    // The day view's free cell opens the form with the space and the hour: the space's row
    // holds a GET form for its booking form and the day, each free hour is a button of it.
    let day = browser.get("/hubs/testhub?date=2026-11-24").await;
    let row_form = format!("action=\"/spaces/{}/book\"><input type=hidden name=date value=2026-11-24>", f.desk.id);
    let row = day.body.split("<tr>").find(|row| row.contains(&row_form)).unwrap_or_else(|| panic!("{}", day.body));
    assert!(row.contains("name=from value=09:00>frei</button>"), "{row}");

    let form = browser.get(&format!("/spaces/{}/book?date=2026-11-24&from=09:00", f.desk.id)).await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.body.contains("Beginn und Ende auf volle 30 Minuten."), "the rules are spelled out");
    let token = csrf_token_in(&form.body);
    let booked = browser
        .post(
            &format!("/spaces/{}/book", f.desk.id),
            &[("csrf_token", &token), ("date", "2026-11-24"), ("from", "09:00"), ("to", "12:00")],
        )
        .await;
    assert_eq!(booked.status, StatusCode::SEE_OTHER, "{}", booked.body);
    let location = booked.location.clone().unwrap();
    let id = booking_id_from(&location);

    // The PIN is on the page right after booking, once.
    let page = browser.get(&location).await;
    assert_eq!(page.status, StatusCode::OK);
    let pin_start = page.body.find("<p class=\"pin\">").expect("the PIN is shown") + "<p class=\"pin\">".len();
    let pin = page.body[pin_start..pin_start + 6].to_owned();
    assert!(pin.chars().all(|c| c.is_ascii_digit()), "{pin}");
    assert!(page.body.contains("Di., 24.11.2026, 09:00–12:00"), "{}", page.body);
    assert!(page.body.contains("openstreetmap.org/search?query=Hauptstra"), "a map link");
    let again = browser.get(&location).await;
    assert!(!again.body.contains(&pin), "shown once only");
    assert!(again.body.contains("Neue PIN erzeugen"));

    // The confirmation mail carries the same PIN and a calendar entry.
    let mails = mails_to(&app, &email).await;
    let confirmation =
        mails.iter().find(|m| m.calendar.as_ref().is_some_and(|(method, _)| method == "REQUEST")).unwrap();
    assert!(confirmation.text.contains(&pin));

    // The calendar download.
    let ics = browser.get(&format!("/bookings/{id}/booking.ics")).await;
    assert_eq!(ics.status, StatusCode::OK);
    let (_, event) = parse_calendar(&ics.body);
    assert_eq!(value(&event, "DTSTART"), "20261124T080000Z");
    assert_eq!(value(&event, "DTEND"), "20261124T110000Z");
    let uid = value(&event, "UID").to_owned();

    // Switch to English.
    let switched = browser.submit(&location, "/language", &[("lang", "en"), ("back", &location)]).await;
    assert_eq!(switched.status, StatusCode::SEE_OTHER, "{}", switched.body);
    let english = browser.get(&location).await;
    assert!(english.body.contains("<html lang=\"en\">"));
    assert!(english.body.contains("Tue, 24 Nov 2026, 09:00–12:00"), "{}", english.body);

    // Cancel, with a confirmation step.
    let confirm = browser.get(&format!("/bookings/{id}/cancel")).await;
    assert!(confirm.body.contains("Do you really want to cancel this booking?"));
    let cancelled =
        browser.post(&format!("/bookings/{id}/cancel"), &[("csrf_token", &csrf_token_in(&confirm.body))]).await;
    assert_eq!(cancelled.status, StatusCode::SEE_OTHER);
    let after = browser.get(&cancelled.location.unwrap()).await;
    assert!(after.body.contains("The booking is cancelled."), "{}", after.body);
    assert!(after.body.contains("Cancelled"));

    // The cancellation mail has the same UID.
    let mails = mails_to(&app, &email).await;
    let cancellation = mails.iter().find_map(|m| m.calendar.as_ref().filter(|(method, _)| method == "CANCEL")).unwrap();
    let (_, event) = parse_calendar(&cancellation.1);
    assert_eq!(value(&event, "UID"), uid);
    assert_eq!(value(&event, "STATUS"), "CANCELLED");

    // The slot is free again in the day view.
    let day = browser.get("/hubs/testhub?date=2026-11-24").await;
    let row = day.body.split("<tr>").find(|row| row.contains(&row_form)).unwrap_or_else(|| panic!("{}", day.body));
    // (The member switched to English on the way.)
    assert!(row.contains("name=from value=09:00>free</button>"), "{row}");
}

async fn the_booking_form_shows_errors_next_to_the_fields(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let f = app.fixture();
    let (browser, _) = logged_in_member(&app, "form").await;
    let form_path = format!("/spaces/{}/book?date=2026-11-24", f.desk.id);
    let action = format!("/spaces/{}/book", f.desk.id);

    // A malformed time: 422, the message next to the field, the typed values kept.
    let page = browser.submit(&form_path, &action, &[("date", "2026-11-24"), ("from", "9 Uhr"), ("to", "12:00")]).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.body.contains("id=\"from-error\">Bitte geben Sie eine Uhrzeit ein"), "{}", page.body);
    assert!(page.body.contains("value=\"9 Uhr\""), "what was typed stays");
    assert!(page.body.contains("aria-invalid=\"true\""));
    assert!(page.body.contains("role=\"alert\""), "errors are announced");

    // A broken rule: the sentence from the catalogue next to its field.
    let page = browser.submit(&form_path, &action, &[("date", "2026-11-24"), ("from", "07:00"), ("to", "09:00")]).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        page.body.contains("id=\"from-error\">Der Standort ist in dieser Zeit nicht durchgehend geöffnet."),
        "{}",
        page.body
    );

    // A taken slot: 409, says so, and offers the nearest free times.
    let (status, _) =
        app.book(&f.bob_token, f.desk.id.as_str(), "2026-11-24T10:00:00+01:00", "2026-11-24T12:00:00+01:00").await;
    assert_eq!(status, StatusCode::CREATED);
    let page = browser.submit(&form_path, &action, &[("date", "2026-11-24"), ("from", "10:00"), ("to", "11:00")]).await;
    assert_eq!(page.status, StatusCode::CONFLICT);
    assert!(page.body.contains("Dieser Platz ist zu dieser Zeit schon belegt."));
    assert!(page.body.contains("12:00–20:00 frei"), "{}", page.body);
    assert!(page.body.contains("08:00–10:00 frei"), "{}", page.body);

    // Without the CSRF token nothing is booked.
    let page = browser.post(&action, &[("date", "2026-11-25"), ("from", "10:00"), ("to", "11:00")]).await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
    let mine = browser.get("/bookings").await;
    assert!(mine.body.contains("Sie haben keine anstehenden Buchungen."), "{}", mine.body);
}

async fn someone_elses_booking_is_404_on_every_route(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let f = app.fixture();
    let (status, booking) =
        app.book(&f.bob_token, f.desk.id.as_str(), "2026-11-24T10:00:00+01:00", "2026-11-24T12:00:00+01:00").await;
    assert_eq!(status, StatusCode::CREATED);
    let id = booking["id"].as_str().unwrap().to_owned();
    let (browser, _) = logged_in_member(&app, "nosy").await;
    let token = csrf_token_in(&browser.get("/bookings").await.body);
    for path in [format!("/bookings/{id}"), format!("/bookings/{id}/cancel"), format!("/bookings/{id}/booking.ics")] {
        assert_eq!(browser.get(&path).await.status, StatusCode::NOT_FOUND, "GET {path}");
    }
    for path in [format!("/bookings/{id}/cancel"), format!("/bookings/{id}/pin")] {
        assert_eq!(browser.post(&path, &[("csrf_token", &token)]).await.status, StatusCode::NOT_FOUND, "POST {path}");
    }
    // Bob's booking is untouched.
    let (_, list) = app.get("/api/v1/bookings", &f.bob_token).await;
    assert_eq!(list[0]["status"], "confirmed");
}
