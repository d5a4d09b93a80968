//! Fifty members press "book" for the same desk and slot at the same moment: exactly one wins.
//! Thirty-two members book overlapping slots at once: every request is answered (created or
//! refused as taken, never a server error such as SQLite's "database is locked"), and what is
//! stored is exactly what was confirmed, without an overlap.

use diesel::prelude::*;
use futures::future::join_all;
use regiohub::db::schema::bookings;
use reqwest::StatusCode;

use crate::helpers::{Backend, TestApp, code};
use crate::on_both_backends;

on_both_backends!(
    fifty_concurrent_requests_for_one_slot_give_one_booking,
    thirty_two_concurrent_bookings_are_all_answered_and_stored_without_overlap,
);

async fn fifty_concurrent_requests_for_one_slot_give_one_booking(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let f = app.fixture();
    let tokens: Vec<String> = {
        let mut conn = app.conn();
        (0..50).map(|n| app.member(&mut conn, &format!("racer{n}@example.org"))).collect()
    };
    let attempts = tokens
        .iter()
        .map(|token| app.book(token, f.desk.id.as_str(), "2026-11-24T10:00:00+01:00", "2026-11-24T12:00:00+01:00"));
    let results = join_all(attempts).await;
    let created = results.iter().filter(|(s, _)| *s == StatusCode::CREATED).count();
    let conflicts = results.iter().filter(|(s, b)| *s == StatusCode::CONFLICT && code(b) == "slot_taken").count();
    assert_eq!(
        (created, conflicts),
        (1, 49),
        "{:?}",
        results.iter().map(|(s, b)| (s.as_u16(), code(b).to_owned())).collect::<Vec<_>>()
    );

    let (_, day) = app.get("/api/v1/hubs/testhub/availability?date=2026-11-24", &f.alice_token).await;
    let desk = day["spaces"].as_array().unwrap().iter().find(|s| s["space_id"] == f.desk.id.as_str()).unwrap();
    assert_eq!(desk["taken"].as_array().unwrap().len(), 1);
}

async fn thirty_two_concurrent_bookings_are_all_answered_and_stored_without_overlap(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let f = app.fixture();
    let tokens: Vec<String> = {
        let mut conn = app.conn();
        (0..32).map(|n| app.member(&mut conn, &format!("queuer{n}@example.org"))).collect()
    };
    // Sixteen a day on the desk, each an hour long and starting half an hour after the one before:
    // every request overlaps its neighbours, so the writes clash and must be decided one by one.
    let slots: Vec<(String, String)> = (0..32)
        .map(|n| {
            let (day, k) = (24 + n / 16, n % 16);
            let start = format!("2026-11-{day}T{:02}:{:02}:00+01:00", 8 + k / 2, 30 * (k % 2));
            let end = format!("2026-11-{day}T{:02}:{:02}:00+01:00", 9 + k / 2, 30 * (k % 2));
            (start, end)
        })
        .collect();
    let attempts =
        tokens.iter().zip(&slots).map(|(token, (start, end))| app.book(token, f.desk.id.as_str(), start, end));
    let results = join_all(attempts).await;

    let answers: Vec<(u16, String)> = results.iter().map(|(s, b)| (s.as_u16(), format!("{b}"))).collect();
    assert!(
        results
            .iter()
            .all(|(s, b)| *s == StatusCode::CREATED || (*s == StatusCode::CONFLICT && code(b) == "slot_taken")),
        "every request is created or refused as taken: {answers:?}"
    );
    assert!(!answers.iter().any(|(_, body)| body.contains("locked")), "{answers:?}");
    let created = results.iter().filter(|(s, _)| *s == StatusCode::CREATED).count();
    assert!(created >= 2, "each day's first request is taken at least: {answers:?}");

    let mut stored: Vec<(chrono::NaiveDateTime, chrono::NaiveDateTime)> = bookings::table
        .filter(bookings::space_id.eq(f.desk.id.as_str()))
        .select((bookings::start_at, bookings::end_at))
        .order(bookings::start_at.asc())
        .load(&mut *app.conn())
        .unwrap();
    assert_eq!(stored.len(), created, "exactly the confirmed bookings are stored");
    stored.dedup();
    assert_eq!(stored.len(), created);
    assert!(stored.windows(2).all(|pair| pair[0].1 <= pair[1].0), "no two stored bookings overlap: {stored:?}");
}
