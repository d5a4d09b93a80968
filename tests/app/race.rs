//! Fifty members press "book" for the same desk and slot at the same moment: exactly one wins.

use futures::future::join_all;
use reqwest::StatusCode;

use crate::helpers::{Backend, TestApp, code};
use crate::on_both_backends;

on_both_backends!(fifty_concurrent_requests_for_one_slot_give_one_booking);

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
