//! Someone guessing PINs at a keypad: the bridge locks the keypad and reports each lockout; the
//! third lockout at one door within an hour becomes a `keypad_lockout` alarm mailed to the hub's
//! managers, and lockouts spread thinner are no alarm.

use regiohub::db::access;
use regiohub::domain::ids::HubId;
use regiohub::domain::role::Role;
use regiohub::service::{UnitOfWork, accounts};
use serde_json::{Value, json};

use crate::bridge_api::event;
use crate::helpers::{Backend, TestApp, default_now, utc};
use crate::on_both_backends;

on_both_backends!(
    three_lockouts_within_an_hour_raise_one_mailed_alarm,
    lockouts_spread_over_more_than_an_hour_raise_no_alarm,
);

fn locked_out(id: &str, at: &str, door: &str) -> Value {
    event(id, at, door, json!({"type": "locked_out", "seconds": 60}), None)
}

fn keypad_alarms(app: &TestApp, hub_id: &HubId) -> Vec<(String, bool)> {
    access::list_alarms(&mut app.conn(), hub_id)
        .unwrap()
        .into_iter()
        .filter(|a| a.kind.as_str() == "keypad_lockout")
        .map(|a| (a.door_id.map(String::from).unwrap_or_default(), a.cleared_at.is_none()))
        .collect()
}

async fn three_lockouts_within_an_hour_raise_one_mailed_alarm(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let f = app.fixture();
    let manager = Role::parse("manager:testhub").unwrap();
    accounts::add_user(
        &mut UnitOfWork::new(&mut app.conn()),
        "manager@example.org",
        "Leitung",
        &manager,
        "a long test password",
        default_now(),
    )
    .unwrap();
    let token = app.bridge_token("testhub");
    let door = app.entrance(&f.hub.id);
    app.clock.set(utc("2026-11-23T08:00:00Z"));

    app.bridge_events(
        &token,
        json!([
            locked_out("l1", "2026-11-23T07:10:00Z", door.id.as_str()),
            locked_out("l2", "2026-11-23T07:30:00Z", door.id.as_str())
        ]),
    )
    .await;
    assert!(keypad_alarms(&app, &f.hub.id).is_empty(), "two lockouts are no alarm yet");

    app.bridge_events(&token, json!([locked_out("l3", "2026-11-23T07:50:00Z", door.id.as_str())])).await;
    assert_eq!(keypad_alarms(&app, &f.hub.id), [(door.id.to_string(), true)], "the third within the hour is");
    app.send_mail().await;
    let mails: Vec<_> = app.mailbox().iter().map(crate::mail::parse).collect();
    assert_eq!(mails.len(), 1, "the hub's manager is told once");
    assert_eq!(mails[0].to, ["manager@example.org"]);
    assert!(mails[0].subject.contains("Tastenfeld wiederholt gesperrt"), "{}", mails[0].subject);
    assert!(mails[0].text.contains("falsche PINs"), "{}", mails[0].text);

    // A fourth lockout while the alarm is open is no second alarm.
    app.bridge_events(&token, json!([locked_out("l4", "2026-11-23T07:55:00Z", door.id.as_str())])).await;
    assert_eq!(keypad_alarms(&app, &f.hub.id).len(), 1);
}

async fn lockouts_spread_over_more_than_an_hour_raise_no_alarm(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let f = app.fixture();
    let token = app.bridge_token("testhub");
    let door = app.entrance(&f.hub.id);
    app.clock.set(utc("2026-11-23T12:00:00Z"));
    app.bridge_events(
        &token,
        json!([
            locked_out("s1", "2026-11-23T08:00:00Z", door.id.as_str()),
            locked_out("s2", "2026-11-23T09:30:00Z", door.id.as_str()),
            locked_out("s3", "2026-11-23T11:00:00Z", door.id.as_str()),
        ]),
    )
    .await;
    assert!(keypad_alarms(&app, &f.hub.id).is_empty(), "one lockout an hour and a half is no guessing storm");
}
