//! Presence and no-shows: a booking nobody checked in to is released after the hub's no-show
//! window with an e-mail, presence at the space checks a booking in, and raw readings are folded
//! into 5-minute aggregates after seven days.

use regiohub::db::presence;
use regiohub::db::{access, check_in, pins};
use regiohub::domain::ids::BookingId;
use regiohub::jobs;
use reqwest::StatusCode;
use serde_json::json;

use crate::bridge_api::event;
use crate::helpers::{Backend, TestApp, db_time, utc};
use crate::mail::parse;
use crate::on_both_backends;

on_both_backends!(
    a_booking_without_check_in_is_released_after_the_window_with_an_email,
    presence_at_the_space_checks_the_booking_in_and_keeps_it,
    week_old_readings_are_folded_into_five_minute_aggregates,
);

async fn a_booking_without_check_in_is_released_after_the_window_with_an_email(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let f = app.fixture();
    let token = app.bridge_token("testhub");
    // Checking in by hand is always possible, so the no-show rule applies.
    check_in::set_space_check_in_modes(&mut app.conn(), &f.desk.id, "manual").unwrap();
    let (status, booking) =
        app.book(&f.alice_token, f.desk.id.as_str(), "2026-11-23T10:00:00+01:00", "2026-11-23T12:00:00+01:00").await;
    assert_eq!(status, StatusCode::CREATED);
    let id = BookingId::new(booking["id"].as_str().unwrap());
    app.send_mail().await;
    let confirmations = app.mailbox().len();

    app.clock.set(utc("2026-11-23T09:29:59Z"));
    jobs::release_no_shows(&app.state).await.unwrap();
    assert_eq!(app.booking_status(id.as_str()), "confirmed", "the 30-minute window is not over");

    app.clock.set(utc("2026-11-23T09:30:00Z"));
    jobs::release_no_shows(&app.state).await.unwrap();
    assert_eq!(app.booking_status(id.as_str()), "no_show");
    assert_eq!(pins::pin_verifier(&mut app.conn(), &id).unwrap(), None, "the PIN no longer opens");
    let (_, _, snapshot) = app.bridge_get("/snapshot", &token).await;
    assert!(snapshot["grants"].as_array().unwrap().is_empty());
    jobs::release_no_shows(&app.state).await.unwrap();

    app.send_mail().await;
    let mails = app.mailbox();
    assert_eq!(mails.len(), confirmations + 1, "exactly one no-show mail");
    let mail = parse(mails.last().unwrap());
    assert_eq!(mail.to, ["alice@example.org"]);
    assert!(mail.subject.starts_with("Buchung freigegeben: Desk 1"), "{}", mail.subject);
    assert!(mail.text.contains("30 Minuten"), "{}", mail.text);
    assert_eq!(mail.calendar.as_ref().unwrap().0, "CANCEL", "the calendar entry is removed");

    // The space is free again for the rest of the slot.
    let (status, body) =
        app.book(&f.bob_token, f.desk.id.as_str(), "2026-11-23T11:00:00+01:00", "2026-11-23T12:00:00+01:00").await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
}

async fn presence_at_the_space_checks_the_booking_in_and_keeps_it(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let f = app.fixture();
    let token = app.bridge_token("testhub");
    let door = app.entrance(&f.hub.id);
    for space in [&f.desk.id, &f.desk2.id] {
        check_in::set_space_check_in_modes(&mut app.conn(), space, "manual").unwrap();
    }
    let (_, booking) =
        app.book(&f.alice_token, f.desk.id.as_str(), "2026-11-23T10:00:00+01:00", "2026-11-23T12:00:00+01:00").await;
    let id = booking["id"].as_str().unwrap();
    let (_, other) =
        app.book(&f.bob_token, f.desk2.id.as_str(), "2026-11-23T10:00:00+01:00", "2026-11-23T12:00:00+01:00").await;
    let other_id = other["id"].as_str().unwrap();

    let present = |n: &str, at: &str, space: &str| {
        event(n, at, door.id.as_str(), json!({"type": "presence", "space_id": space, "presence": "present"}), None)
    };
    app.bridge_events(&token, json!([present("p0", "2026-11-23T07:30:00Z", f.desk.id.as_str())])).await;
    assert_eq!(app.booking_status(id), "confirmed", "presence long before the booking is someone else");
    let (status, _) =
        app.bridge_events(&token, json!([present("p1", "2026-11-23T09:05:00Z", f.desk.id.as_str())])).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(app.booking_status(id), "checked_in");
    assert_eq!(app.booking_status(other_id), "confirmed", "presence at another space");
    assert!(
        access::list_access_events(&mut app.conn(), &f.hub.id).unwrap().is_empty(),
        "presence is not in the access log, which names people"
    );

    app.clock.set(utc("2026-11-23T09:40:00Z"));
    jobs::release_no_shows(&app.state).await.unwrap();
    assert_eq!(app.booking_status(id), "checked_in", "a checked-in booking is kept");
    assert_eq!(app.booking_status(other_id), "no_show");
}

async fn week_old_readings_are_folded_into_five_minute_aggregates(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let f = app.fixture();
    let token = app.bridge_token("testhub");
    let door = app.entrance(&f.hub.id);
    let reading = |n: &str, at: &str, state: &str| {
        event(n, at, door.id.as_str(), json!({"type": "presence", "space_id": f.desk.id, "presence": state}), None)
    };
    let (status, receipt) = app
        .bridge_events(
            &token,
            json!([
                reading("r1", "2026-11-10T10:00:00Z", "present"),
                reading("r2", "2026-11-10T10:02:30Z", "empty"),
                reading("r3", "2026-11-10T10:04:00Z", "unknown"),
                reading("r4", "2026-11-10T10:06:00Z", "present"),
                reading("r5", "2026-11-22T10:00:00Z", "present"),
            ]),
        )
        .await;
    assert_eq!((status, receipt["accepted"].as_u64()), (StatusCode::OK, Some(5)));

    jobs::fold_presence(&app.state).await.unwrap();
    let buckets: Vec<(String, i32, i32)> = presence::aggregates(&mut app.conn(), &f.desk.id)
        .unwrap()
        .into_iter()
        .map(|b| (b.bucket_start.format("%H:%M").to_string(), b.present_seconds, b.observed_seconds))
        .collect();
    // 10:00–10:02:30 present, 10:02:30–10:04 empty, 10:04–10:06 unknown (not observed), then
    // present from 10:06 until the reading counts no longer, five minutes later.
    let expected = [("10:00", 150, 240), ("10:05", 240, 240), ("10:10", 60, 60)];
    assert_eq!(buckets, expected.map(|(b, p, o)| (b.to_owned(), p, o)));
    let left = presence::readings_before(&mut app.conn(), db_time(utc("2026-12-31T00:00:00Z"))).unwrap();
    assert_eq!(left.iter().map(|r| r.id.as_str()).collect::<Vec<_>>(), ["r5"], "only the last week stays raw");

    jobs::fold_presence(&app.state).await.unwrap();
    assert_eq!(
        presence::aggregates(&mut app.conn(), &f.desk.id).unwrap().len(),
        buckets.len(),
        "folding twice adds nothing"
    );
}
