//! The bridge API: per-bridge tokens, a bridge confined to its own hub, the access snapshot with
//! PIN verifiers (never PINs) and its long-poll, and idempotent events that check bookings in
//! and keep door states and alarms.

use std::time::Duration;

use regiohub::db;
use regiohub::db::access;
use regiohub::db::catalog::{self, Door, Hub};
use regiohub::domain::ids::{BookingId, DoorId, HubId, OperatorId};
use regiohub::service::{UnitOfWork, bridge_link};
use regiohub_hardware::protocol::pin_verifier;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{Backend, TestApp, db_time, default_now, utc};
use crate::on_both_backends;

on_both_backends!(
    a_bad_token_is_refused_and_a_bridge_sees_only_its_own_hub,
    the_snapshot_carries_a_new_bookings_verifier_and_never_the_pin,
    a_waiting_poll_returns_when_a_booking_is_cancelled,
    events_are_stored_once_and_batches_are_bounded,
    a_granted_entry_inside_the_window_checks_the_booking_in,
    door_states_and_alarms_follow_the_events,
    an_alarm_mails_the_hubs_managers_at_most_every_fifteen_minutes,
    the_bridges_own_uplink_client_speaks_this_api,
);

impl TestApp {
    /// A new bridge for the hub with this id or slug; returns its token.
    pub fn bridge_token(&self, hub: &str) -> String {
        let hub = catalog::find_hub(&mut self.conn(), hub).unwrap().unwrap();
        bridge_link::create_bridge(&mut self.conn(), &hub.id, "Bridge", default_now()).unwrap().1
    }

    pub async fn bridge_get(&self, path: &str, token: &str) -> (StatusCode, Option<String>, Value) {
        let response =
            self.client.get(self.url(&format!("/api/bridge/v1{path}"))).bearer_auth(token).send().await.unwrap();
        let status = response.status();
        let etag = response.headers().get("etag").map(|v| v.to_str().unwrap().to_owned());
        let text = response.text().await.unwrap();
        let body = if text.is_empty() { Value::Null } else { serde_json::from_str(&text).unwrap() };
        (status, etag, body)
    }

    pub async fn bridge_events(&self, token: &str, events: Value) -> (StatusCode, Value) {
        let response = self
            .client
            .post(self.url("/api/bridge/v1/events"))
            .bearer_auth(token)
            .json(&json!({ "events": events }))
            .send()
            .await
            .unwrap();
        crate::helpers::json_of(response).await
    }

    /// A second hub of the fixture's operator, with one entrance door.
    pub fn other_hub(&self, template: &Hub) -> (Hub, Door) {
        let mut conn = self.conn();
        let hub = Hub {
            id: HubId::from(db::new_id()),
            slug: "otherhub".into(),
            name: "Other Hub".into(),
            ..template.clone()
        };
        catalog::insert_hub(&mut conn, &hub).unwrap();
        let door = Door {
            id: DoorId::from(db::new_id()),
            hub_id: hub.id.clone(),
            name: "Tor".into(),
            is_entrance: true,
            created_at: db_time(default_now()),
            bridge_id: None,
            modbus_unit_id: None,
        };
        catalog::insert_door(&mut conn, &door, &[]).unwrap();
        (hub, door)
    }

    pub fn entrance(&self, hub_id: &HubId) -> Door {
        catalog::list_doors(&mut self.conn(), hub_id).unwrap().remove(0).0
    }

    pub fn booking_status(&self, booking_id: &str) -> String {
        access::find_booking(&mut self.conn(), &BookingId::new(booking_id)).unwrap().unwrap().status.to_string()
    }
}

pub fn event(id: &str, at: &str, door: &str, kind: Value, booking: Option<&str>) -> Value {
    json!({ "id": id, "at": at, "door": door, "kind": kind, "booking_id": booking, "offline": false })
}

async fn a_bad_token_is_refused_and_a_bridge_sees_only_its_own_hub(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let f = app.fixture();
    let (other, other_door) = app.other_hub(&f.hub);
    let ours = app.bridge_token("testhub");
    let theirs = app.bridge_token("otherhub");

    for bad in ["", "rhb_0000", "nonsense", &f.alice_token] {
        let (status, _, _) = app.bridge_get("/snapshot", bad).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "token {bad:?}");
    }
    let response = app.client.get(app.url("/api/bridge/v1/commands")).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED, "no token at all");
    let (status, _) = app.bridge_events("rhb_wrong", json!([])).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);

    let (status, _, snapshot) = app.bridge_get("/snapshot", &ours).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(snapshot["hub_id"], f.hub.id.as_str());
    let doors: Vec<&str> = snapshot["doors"].as_array().unwrap().iter().map(|d| d["id"].as_str().unwrap()).collect();
    assert_eq!(doors, [app.entrance(&f.hub.id).id.as_str()]);
    let (_, _, snapshot) = app.bridge_get("/snapshot", &theirs).await;
    assert_eq!(snapshot["hub_id"], other.id.as_str());
    assert_eq!(snapshot["doors"][0]["id"], other_door.id.as_str());
    assert_eq!(snapshot["doors"].as_array().unwrap().len(), 1);

    // An event naming the other hub's door is logged for our hub without that door.
    let (status, receipt) = app
        .bridge_events(
            &ours,
            json!([event("e1", "2026-11-23T07:00:00Z", other_door.id.as_str(), json!({"type": "forced_open"}), None)]),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{receipt}");
    let log = access::list_access_events(&mut app.conn(), &f.hub.id).unwrap();
    assert_eq!(log.len(), 1);
    assert_eq!(log[0].door_id, None);
    assert!(access::list_access_events(&mut app.conn(), &other.id).unwrap().is_empty());
    assert!(access::list_alarms(&mut app.conn(), &other.id).unwrap().is_empty(), "no alarm at the other hub");
}

async fn the_snapshot_carries_a_new_bookings_verifier_and_never_the_pin(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let f = app.fixture();
    let token = app.bridge_token("testhub");
    let (_, etag_before, before) = app.bridge_get("/snapshot", &token).await;
    assert!(before["grants"].as_array().unwrap().is_empty());

    let (status, booking) =
        app.book(&f.alice_token, f.desk.id.as_str(), "2026-11-23T10:00:00+01:00", "2026-11-23T12:00:00+01:00").await;
    assert_eq!(status, StatusCode::CREATED, "{booking}");
    let pin = booking["pin"].as_str().unwrap();
    let booking_id = booking["id"].as_str().unwrap();

    let (status, etag, snapshot) = app.bridge_get("/snapshot", &token).await;
    assert_eq!(status, StatusCode::OK);
    let version = snapshot["version"].as_u64().unwrap();
    assert_eq!(etag.unwrap(), format!("\"{version}\""));
    assert_ne!(etag_before.unwrap(), format!("\"{version}\""));
    assert!(version > before["version"].as_u64().unwrap(), "a newer snapshot has a higher version");
    let grants = snapshot["grants"].as_array().unwrap();
    assert_eq!(grants.len(), 1);
    let grant = &grants[0];
    assert_eq!(grant["booking_id"], booking_id);
    assert_eq!(grant["space_id"], f.desk.id.as_str());
    assert_eq!(grant["status"], "confirmed");
    assert_eq!(grant["user_active"], true);
    assert_eq!(grant["valid_from"], "2026-11-23T09:00:00Z");
    assert_eq!(grant["valid_until"], "2026-11-23T11:00:00Z");
    let key = app.state.context.secret.hub_pin_key(&f.hub.id);
    assert_eq!(grant["credential_verifier"], pin_verifier(&key, pin).as_str());
    assert!(!contains_string(&snapshot, pin), "the PIN itself is never in a snapshot");

    // The snapshot parses as the bridge's own type, and the door rule lets the PIN in.
    let parsed: regiohub_hardware::protocol::AccessSnapshot = serde_json::from_value(snapshot.clone()).unwrap();
    let request = regiohub_hardware::protocol::AccessRequest {
        door: parsed.doors[0].id.clone(),
        credential: regiohub_hardware::protocol::Credential::Verifier(pin_verifier(&key, pin)),
        kind: regiohub_hardware::protocol::CredentialKind::Pin,
    };
    let inside = crate::helpers::utc("2026-11-23T09:30:00Z");
    let policy = regiohub_hardware::decision::DecisionPolicy::default();
    assert!(regiohub_hardware::decision::decide(&parsed, &request, inside, true, &policy).is_grant());

    // Asking with the current version and no wait: nothing changed.
    let (status, etag, body) = app.bridge_get(&format!("/snapshot?after={version}"), &token).await;
    assert_eq!((status, body), (StatusCode::NOT_MODIFIED, Value::Null));
    assert_eq!(etag.unwrap(), format!("\"{version}\""));
}

fn contains_string(value: &Value, needle: &str) -> bool {
    match value {
        Value::String(s) => s == needle,
        Value::Array(items) => items.iter().any(|v| contains_string(v, needle)),
        Value::Object(map) => map.values().any(|v| contains_string(v, needle)),
        _ => false,
    }
}

async fn a_waiting_poll_returns_when_a_booking_is_cancelled(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let f = app.fixture();
    let token = app.bridge_token("testhub");
    let (_, booking) =
        app.book(&f.alice_token, f.desk.id.as_str(), "2026-11-23T10:00:00+01:00", "2026-11-23T12:00:00+01:00").await;
    let booking_id = booking["id"].as_str().unwrap().to_owned();
    let (_, _, snapshot) = app.bridge_get("/snapshot", &token).await;
    let version = snapshot["version"].as_u64().unwrap();
    assert_eq!(snapshot["grants"].as_array().unwrap().len(), 1);

    let (status, _, _) = app.bridge_get(&format!("/snapshot?after={version}&wait=1"), &token).await;
    assert_eq!(status, StatusCode::NOT_MODIFIED, "nothing changed within the wait");

    let poll = {
        let client = app.client.clone();
        let url = app.url(&format!("/api/bridge/v1/snapshot?after={version}&wait=30"));
        let token = token.clone();
        tokio::spawn(async move { client.get(url).bearer_auth(token).send().await.unwrap() })
    };
    tokio::time::sleep(Duration::from_millis(300)).await;
    let (status, body) = app.delete(&format!("/api/v1/bookings/{booking_id}"), &f.alice_token).await;
    assert!(status.is_success(), "{status} {body}");
    let response = tokio::time::timeout(Duration::from_secs(25), poll).await.unwrap().unwrap();
    assert_eq!(response.status(), StatusCode::OK, "the poll answers with the change, not after its wait");
    let snapshot: Value = response.json().await.unwrap();
    assert!(snapshot["grants"].as_array().unwrap().is_empty(), "the cancelled booking no longer opens: {snapshot}");
    assert!(snapshot["version"].as_u64().unwrap() > version);
}

async fn events_are_stored_once_and_batches_are_bounded(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let f = app.fixture();
    let token = app.bridge_token("testhub");
    let door = app.entrance(&f.hub.id);
    let batch = json!([
        event("a1", "2026-11-23T07:00:01Z", door.id.as_str(), json!({"type": "denied", "reason": "no_booking"}), None),
        event("a2", "2026-11-23T07:00:02Z", door.id.as_str(), json!({"type": "locked_out", "seconds": 60}), None),
        event(
            "a3",
            "2026-11-23T07:00:03Z",
            door.id.as_str(),
            json!({"type": "something_new_from_a_newer_bridge"}),
            None
        ),
    ]);
    let (status, receipt) = app.bridge_events(&token, batch.clone()).await;
    assert_eq!(status, StatusCode::OK, "{receipt}");
    assert_eq!(receipt, json!({"accepted": 3, "duplicates": 0}));
    let (status, receipt) = app.bridge_events(&token, batch).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(receipt, json!({"accepted": 0, "duplicates": 3}), "a retried upload is stored once");
    let log = access::list_access_events(&mut app.conn(), &f.hub.id).unwrap();
    let kinds: Vec<(&str, Option<&str>)> = log.iter().map(|e| (e.kind.as_str(), e.reason.as_deref())).collect();
    assert_eq!(kinds, [("denied", Some("no_booking")), ("locked_out", None), ("other", None)]);

    let too_many: Vec<Value> = (0..501)
        .map(|i| event(&format!("b{i}"), "2026-11-23T07:00:00Z", door.id.as_str(), json!({"type": "held_open"}), None))
        .collect();
    let (status, body) = app.bridge_events(&token, Value::Array(too_many)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(access::list_access_events(&mut app.conn(), &f.hub.id).unwrap().len(), 3, "nothing of it stored");

    let (status, _) = app.bridge_events(&token, json!([{"id": "x"}])).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "a malformed event is refused");
}

async fn a_granted_entry_inside_the_window_checks_the_booking_in(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let f = app.fixture();
    let token = app.bridge_token("testhub");
    let door = app.entrance(&f.hub.id);
    let (_, booking) =
        app.book(&f.alice_token, f.desk.id.as_str(), "2026-11-23T10:00:00+01:00", "2026-11-23T12:00:00+01:00").await;
    let id = booking["id"].as_str().unwrap();

    // The default grace is 15 minutes: 08:40 is still too early, 11:00 already too late.
    for (n, at) in [(1, "2026-11-23T08:40:00Z"), (2, "2026-11-23T11:00:00Z")] {
        let granted = event(&format!("g{n}"), at, door.id.as_str(), json!({"type": "granted", "cmd_seq": n}), Some(id));
        app.bridge_events(&token, json!([granted])).await;
        assert_eq!(app.booking_status(id), "confirmed", "an entry at {at} is outside the window");
    }
    let granted =
        event("g3", "2026-11-23T09:05:00Z", door.id.as_str(), json!({"type": "granted", "cmd_seq": 3}), Some(id));
    let (status, _) = app.bridge_events(&token, json!([granted])).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(app.booking_status(id), "checked_in");
    let log = access::list_access_events(&mut app.conn(), &f.hub.id).unwrap();
    assert_eq!(log.last().unwrap().booking_id.as_ref().map(BookingId::as_str), Some(id));

    // A checked-in booking still opens doors.
    let (_, _, snapshot) = app.bridge_get("/snapshot", &token).await;
    assert_eq!(snapshot["grants"][0]["status"], "checked_in");
}

async fn door_states_and_alarms_follow_the_events(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let f = app.fixture();
    let token = app.bridge_token("testhub");
    let door = app.entrance(&f.hub.id);
    let (status, body) = app
        .bridge_events(
            &token,
            json!([
                event(
                    "s1",
                    "2026-11-23T07:00:00Z",
                    door.id.as_str(),
                    json!({"type": "door_state", "state": "open"}),
                    None
                ),
                event("s2", "2026-11-23T07:01:00Z", door.id.as_str(), json!({"type": "held_open"}), None),
                event("s3", "2026-11-23T07:01:30Z", door.id.as_str(), json!({"type": "held_open"}), None),
                event("s4", "2026-11-23T07:02:00Z", door.id.as_str(), json!({"type": "field_io_fault"}), None),
            ]),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(access::door_state(&mut app.conn(), &door.id).unwrap().as_deref(), Some("open"));
    let alarms = access::list_alarms(&mut app.conn(), &f.hub.id).unwrap();
    let mut open: Vec<(&str, bool)> = alarms.iter().map(|a| (a.kind.as_str(), a.cleared_at.is_none())).collect();
    open.sort();
    assert_eq!(open, [("device_fault", true), ("held_open", true)], "one alarm per kind and door");

    app.bridge_events(
        &token,
        json!([
            event(
                "s5",
                "2026-11-23T07:03:00Z",
                door.id.as_str(),
                json!({"type": "alarm_cleared", "alarm": "held_open"}),
                None
            ),
            event(
                "s6",
                "2026-11-23T07:03:00Z",
                door.id.as_str(),
                json!({"type": "door_state", "state": "closed"}),
                None
            ),
            event(
                "s0",
                "2026-11-23T06:59:00Z",
                door.id.as_str(),
                json!({"type": "door_state", "state": "held_open"}),
                None
            ),
        ]),
    )
    .await;
    assert_eq!(
        access::door_state(&mut app.conn(), &door.id).unwrap().as_deref(),
        Some("closed"),
        "a late older state does not win"
    );
    let alarms = access::list_alarms(&mut app.conn(), &f.hub.id).unwrap();
    let held = alarms.iter().find(|a| a.kind.as_str() == "held_open").unwrap();
    assert_eq!(held.cleared_at, Some(db_time(crate::helpers::utc("2026-11-23T07:03:00Z"))));
    assert!(alarms.iter().find(|a| a.kind.as_str() == "device_fault").unwrap().cleared_at.is_none());
}

async fn an_alarm_mails_the_hubs_managers_at_most_every_fifteen_minutes(backend: Backend) {
    use diesel::prelude::*;
    use regiohub::db::schema::users;
    use regiohub::domain::role::Role;
    use regiohub::service::accounts;

    let app = TestApp::spawn(backend).await;
    let f = app.fixture();
    app.other_hub(&f.hub);
    let token = app.bridge_token("testhub");
    let door = app.entrance(&f.hub.id);
    {
        let mut conn = app.conn();
        for (email, role) in [
            ("manager@example.org", "manager:testhub"),
            ("admin@example.org", "admin"),
            ("elsewhere@example.org", "manager:otherhub"),
        ] {
            accounts::add_user(
                &mut UnitOfWork::new(&mut conn),
                email,
                "Leitung",
                &Role::parse(role).unwrap(),
                "a long test password",
                default_now(),
            )
            .unwrap();
        }
        diesel::update(users::table.filter(users::email.eq("admin@example.org")))
            .set(users::locale.eq("en"))
            .execute(&mut *conn)
            .unwrap();
    }
    let held = |id: &str, at: &str| event(id, at, door.id.as_str(), json!({"type": "held_open"}), None);
    let cleared = |id: &str, at: &str| {
        event(id, at, door.id.as_str(), json!({"type": "alarm_cleared", "alarm": "held_open"}), None)
    };

    app.bridge_events(&token, json!([held("h1", "2026-11-23T07:00:00Z")])).await;
    app.send_mail().await;
    let mut mails: Vec<_> = app.mailbox().iter().map(crate::mail::parse).collect();
    mails.sort_by(|a, b| a.to.cmp(&b.to));
    let to: Vec<&str> = mails.iter().map(|m| m.to[0].as_str()).collect();
    assert_eq!(to, ["admin@example.org", "manager@example.org"], "the hub's managers and the admins, nobody else");
    assert!(mails[0].subject.starts_with("Alarm: Door held open too long – "), "{}", mails[0].subject);
    assert!(mails[1].subject.starts_with("Alarm: Tür steht zu lange offen – "), "{}", mails[1].subject);
    assert!(mails[1].text.contains("Eingang, Test Hub") && mails[1].text.contains("08:00"), "{}", mails[1].text);

    // Cleared and raised again five minutes later: a new alarm, but no new mail yet.
    app.clock.set(utc("2026-11-23T07:05:00Z"));
    app.bridge_events(&token, json!([cleared("c1", "2026-11-23T07:04:00Z"), held("h2", "2026-11-23T07:05:00Z")])).await;
    app.send_mail().await;
    assert_eq!(app.mailbox().len(), 2, "at most one mail per kind and door in 15 minutes");
    assert_eq!(access::list_alarms(&mut app.conn(), &f.hub.id).unwrap().len(), 2);

    // Another kind at the same door is news.
    app.bridge_events(
        &token,
        json!([event("f1", "2026-11-23T07:05:00Z", door.id.as_str(), json!({"type": "forced_open"}), None)]),
    )
    .await;
    app.send_mail().await;
    assert_eq!(app.mailbox().len(), 4);

    app.clock.set(utc("2026-11-23T07:15:00Z"));
    app.bridge_events(&token, json!([cleared("c2", "2026-11-23T07:14:00Z"), held("h3", "2026-11-23T07:15:00Z")])).await;
    app.send_mail().await;
    assert_eq!(app.mailbox().len(), 6, "15 minutes after the last mail the managers hear again");
}

/// `regiohub bridge create` prints a working token once; a bad hub or name is exit code 2.
/// `bridge pin-key` (or `create --pin-key-out`) writes the hub's PIN key for its bridge.
#[test]
fn the_bridge_create_command_prints_a_working_token() {
    use std::process::Command;

    let dir = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_regiohub"))
            .args(args)
            .arg("--data-dir")
            .arg(dir.path())
            .env_remove("DATABASE_URL")
            .env("RUST_LOG", "warn")
            .output()
            .unwrap()
    };
    assert!(run(&["migrate"]).status.success());
    let url = dir.path().join("regiohub.db").to_string_lossy().into_owned();
    let mut conn = db::establish(&url).unwrap();
    let now = db_time(default_now());
    let operator = regiohub::db::catalog::Operator {
        id: OperatorId::from(db::new_id()),
        name: "Teststadt".into(),
        legal_contact: "Rathaus".into(),
        privacy_contact: "dsb@example.org".into(),
        created_at: now,
        imprint: String::new(),
        privacy_policy: String::new(),
        accessibility_statement: String::new(),
        access_log_retention_days: 90,
    };
    catalog::insert_operator(&mut conn, &operator).unwrap();
    let hub = Hub {
        id: HubId::from(db::new_id()),
        operator_id: operator.id,
        slug: "polch".into(),
        name: "Polch".into(),
        street: "Bachstraße 1".into(),
        postcode: "56751".into(),
        town: "Polch".into(),
        time_zone: "Europe/Berlin".into(),
        max_concurrent_per_user: 1,
        max_upcoming_per_user: 3,
        created_at: now,
        no_show_minutes: 30,
    };
    catalog::insert_hub(&mut conn, &hub).unwrap();

    for (args, mentions) in [
        (["bridge", "create", "--hub", "nowhere", "--name", "B"], "nowhere"),
        (["bridge", "create", "--hub", "polch", "--name", " "], "name"),
    ] {
        let output = run(&args);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{stderr}");
        assert_eq!(stderr.trim_end().lines().count(), 1, "{stderr}");
        assert!(stderr.contains(mentions), "{stderr}");
    }

    let output = run(&["bridge", "create", "--hub", "polch", "--name", "Keller"]);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let token = String::from_utf8(output.stdout).unwrap().trim().to_owned();
    assert!(token.starts_with("rhb_"), "{token}");
    let bridge =
        bridge_link::authenticate_bridge(&mut UnitOfWork::new(&mut conn), &token, default_now()).unwrap().unwrap();
    assert_eq!((bridge.hub_id.as_str(), bridge.name.as_str()), (hub.id.as_str(), "Keller"));
    assert_ne!(bridge.token_hash, token, "only a hash is stored");

    let rotated = bridge_link::rotate_bridge_token(&mut conn, &bridge.id, default_now()).unwrap();
    assert!(
        bridge_link::authenticate_bridge(&mut UnitOfWork::new(&mut conn), &token, default_now()).unwrap().is_none(),
        "old token dead"
    );
    assert!(
        bridge_link::authenticate_bridge(&mut UnitOfWork::new(&mut conn), &rotated, default_now()).unwrap().is_some()
    );

    // The hub's PIN key, as the bridge's `bridge.pin_key_file` reads it: the service's own key
    // for this hub, readable by its owner only.
    let key_file = dir.path().join("pin_key.hex");
    let output = run(&["bridge", "pin-key", "--hub", "polch", "--out", key_file.to_str().unwrap()]);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let secret = std::fs::read_to_string(dir.path().join("secret_key")).unwrap();
    let expected = hex::encode(regiohub::secrets::SecretKey::from_bytes(secret.trim().as_bytes()).hub_pin_key(&hub.id));
    assert!(String::from_utf8_lossy(&output.stdout).contains("pin_key.hex"), "the note names the file");
    assert!(!String::from_utf8_lossy(&output.stdout).contains(&expected), "the key itself is never printed");
    assert_eq!(std::fs::read_to_string(&key_file).unwrap().trim(), expected);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&key_file).unwrap().permissions().mode() & 0o777, 0o600);
    }
    let output = run(&["bridge", "pin-key", "--hub", "nowhere", "--out", key_file.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(String::from_utf8_lossy(&output.stderr).trim_end().lines().count(), 1);

    let with_key = dir.path().join("with_token.hex");
    let output =
        run(&["bridge", "create", "--hub", "polch", "--name", "Dach", "--pin-key-out", with_key.to_str().unwrap()]);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert_eq!(stdout.lines().count(), 1, "standard output is the token alone: {stdout}");
    assert!(stdout.starts_with("rhb_"));
    assert!(String::from_utf8_lossy(&output.stderr).contains("with_token.hex"));
    assert_eq!(std::fs::read_to_string(&with_key).unwrap().trim(), expected);
}

/// The contract from the other side: the bridge's real uplink client against this service.
async fn the_bridges_own_uplink_client_speaks_this_api(backend: Backend) {
    use regiohub_hardware::protocol::{AccessEvent, AccessEventKind, BookingId};
    use regiohub_hardware::uplink::{BridgeToken, CentralClient, SnapshotPoll, UplinkError};

    let app = TestApp::spawn(backend).await;
    let f = app.fixture();
    let door = app.entrance(&f.hub.id);
    let token = app.bridge_token("testhub");
    let client = CentralClient::new(&app.address, BridgeToken::parse(&token).unwrap()).unwrap();
    let wrong = CentralClient::new(&app.address, BridgeToken::parse("rhb_not_a_token").unwrap()).unwrap();
    assert!(matches!(wrong.snapshot(None, Duration::ZERO).await, Err(UplinkError::Unauthorized)));

    let (_, booking) =
        app.book(&f.alice_token, f.desk.id.as_str(), "2026-11-23T10:00:00+01:00", "2026-11-23T12:00:00+01:00").await;
    let id = booking["id"].as_str().unwrap();
    let SnapshotPoll::Changed(snapshot) = client.snapshot(None, Duration::ZERO).await.unwrap() else { panic!() };
    assert_eq!(snapshot.grants[0].booking_id.as_str(), id);
    let unchanged = client.snapshot(Some(snapshot.version), Duration::from_secs(1)).await.unwrap();
    assert_eq!(unchanged, SnapshotPoll::Unchanged);
    assert!(client.commands(Duration::ZERO).await.unwrap().is_empty());

    let granted = AccessEvent {
        id: "0123456789abcdef0123456789abcdef".into(),
        at: utc("2026-11-23T09:01:00Z"),
        door: door.id.clone(),
        kind: AccessEventKind::Granted { cmd_seq: 7 },
        booking_id: Some(BookingId::new(id)),
        offline: true,
    };
    let receipt = client.post_events(std::slice::from_ref(&granted)).await.unwrap();
    assert_eq!((receipt.accepted, receipt.duplicates), (1, 0));
    let receipt = client.post_events(&[granted]).await.unwrap();
    assert_eq!((receipt.accepted, receipt.duplicates), (0, 1), "a retried upload is stored once");
    assert_eq!(app.booking_status(id), "checked_in");
    assert!(access::list_access_events(&mut app.conn(), &f.hub.id).unwrap()[0].offline);
}
