//! Several service instances on one PostgreSQL database, behind nginx with the deployment's
//! site file (round robin), and a real bridge linked through nginx to simulated devices: the
//! instances share nothing but the database, so what one changes must reach the doors,
//! bridges and dashboards served by the other through the database (`NOTIFY`), every mail
//! goes out once, a killed instance loses no acknowledged booking, and an instance whose clock
//! runs ahead never makes the bridge keep older access than the database holds.
//!
//! These need PostgreSQL and nginx; `.ci/run` installs nginx and runs them with the other
//! tests that need tools (`cargo test -- --ignored`). They fail, never skip, without them.

use std::collections::{BTreeSet, HashMap};
use std::net::SocketAddr;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use regiohub::clock::Clock;
use regiohub::db::schema::{bookings, closures, hub_snapshot_versions, hubs};
use regiohub::db::{catalog, users};
use regiohub::demo::door_bridge::{self, DemoHubLayout};
use regiohub::demo::door_loop::DemoLoop;
use regiohub::domain::ids::BookingId;
use regiohub::domain::role::Role;
use regiohub::service::remote_unlock::{self, UnlockOutcome};
use regiohub_hardware::bridge::registers::RequestResult;
use reqwest::StatusCode;

use crate::door_loop::{HubDay, controller, eventually, holds, start_loop_via};
use crate::helpers::{Backend, Fixture, TestApp, TestDatabase, free_port, json_of};
use crate::mail::parse;
use crate::nginx::Nginx;

fn port_of(app: &TestApp) -> u16 {
    app.address.rsplit(':').next().unwrap().parse().unwrap()
}

/// The fixture hub made ready for the real clock (as in `door_loop`) and for many bookings per
/// member: moved to the zone where it is about noon now, never closed, its third desk enabled.
fn prepare_hub(app: &TestApp, f: &Fixture, zone: &str) {
    let mut conn = app.conn();
    diesel::update(hubs::table.find(f.hub.id.as_str()))
        .set((hubs::time_zone.eq(zone), hubs::max_upcoming_per_user.eq(1000), hubs::max_concurrent_per_user.eq(1000)))
        .execute(&mut *conn)
        .unwrap();
    diesel::delete(closures::table.filter(closures::hub_id.eq(f.hub.id.as_str()))).execute(&mut *conn).unwrap();
    catalog::set_space_enabled(&mut conn, &f.disabled_desk.id, true).unwrap();
}

/// The hub's snapshot version as the database holds it.
fn stored_version(app: &TestApp, f: &Fixture) -> u64 {
    let version: i64 = hub_snapshot_versions::table
        .find(f.hub.id.as_str())
        .select(hub_snapshot_versions::version)
        .first(&mut *app.conn())
        .unwrap();
    u64::try_from(version).unwrap()
}

/// Cancels `booking` through `instance` and checks that its PIN is refused at the door within
/// 2 s, and that the bridge then holds the version the database holds for the hub.
async fn cancel_and_check_the_door(
    instance: &TestApp,
    owner: &TestApp,
    f: &Fixture,
    door_loop: &DemoLoop,
    modbus: SocketAddr,
    unit: u8,
    (booking, pin, token): (&str, &str, &str),
) {
    assert!(holds(door_loop, booking), "the bridge holds the booking before");
    let (status, body) = instance.delete(&format!("/api/v1/bookings/{booking}"), token).await;
    assert!(status.is_success(), "{status} {body}");
    let cancelled_at = tokio::time::Instant::now();
    // The door decides from the snapshot the bridge holds (typing the PIN meanwhile would
    // pulse the lock and keep the door busy for seconds).
    while holds(door_loop, booking) {
        assert!(
            cancelled_at.elapsed() < Duration::from_secs(2),
            "the cancelled booking is still at the door 2 s later"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let mut door = controller(modbus, unit).await;
    let outcome = door.enter_pin(pin).await.unwrap();
    assert_eq!(outcome.result, Some(RequestResult::Denied), "the cancelled PIN is refused");
    let bridge = door_loop.bridge_state().clone();
    eventually("the bridge holds the database's version", || {
        bridge.snapshot_version() == Some(stored_version(owner, f))
    })
    .await;
}

/// Asks for a remote unlock of the entrance through `instance` and checks that the lock relay
/// switches on within 1 s, then waits for it to fall back.
async fn unlock_and_check_the_relay(
    instance: &TestApp,
    door_loop: &DemoLoop,
    layout: &DemoHubLayout,
    email: &str,
    booking: &str,
) {
    let site = door_loop.site();
    let entrance = layout.doors[0].id.clone();
    eventually("the lock is closed", || site.lock_released(&entrance) == Some(false)).await;
    let user = users::find_user_by_email(&mut instance.conn(), email).unwrap().unwrap();
    let (booking, door, now) = (BookingId::new(booking), entrance.clone(), instance.clock.now());
    let outcome = instance.state.db(move |tx| remote_unlock::request(tx, &user, &booking, &door, now)).await.unwrap();
    assert!(matches!(outcome, UnlockOutcome::Requested(_)), "{outcome:?}");
    let asked_at = tokio::time::Instant::now();
    while site.lock_released(&entrance) != Some(true) {
        assert!(asked_at.elapsed() < Duration::from_secs(1), "the relay is not on 1 s after the remote unlock");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// Reads a dashboard event stream until a dashboard event satisfies `check`.
async fn dashboard_where(response: &mut reqwest::Response, buffer: &mut Vec<u8>, check: impl Fn(&str) -> bool) {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(60);
    loop {
        while let Some(end) = buffer.windows(2).position(|w| w == b"\n\n") {
            let event = String::from_utf8(buffer.drain(..end + 2).collect()).unwrap();
            if event.lines().any(|line| line == "event: dashboard") && check(&event) {
                return;
            }
        }
        let chunk = tokio::time::timeout_at(deadline, response.chunk())
            .await
            .expect("the dashboard did not show it")
            .unwrap()
            .expect("the stream ended early");
        buffer.extend_from_slice(&chunk);
    }
}

/// The free one-hour slots of `days` days from the day after tomorrow on, 08:00–20:00 in the
/// hub's zone, on each of `spaces`.
fn future_slots(day: &HubDay, days: i64, spaces: &[&str]) -> Vec<(String, String, String)> {
    let mut slots = Vec::new();
    for ahead in 2..2 + days {
        for hour in 8..20 {
            let start: DateTime<Utc> = day.at(&format!("{hour:02}:00")) + chrono::Duration::days(ahead);
            let end = start + chrono::Duration::hours(1);
            for space in spaces {
                slots.push((space.to_string(), start.to_rfc3339(), end.to_rfc3339()));
            }
        }
    }
    slots
}

/// Books every slot through `url` from `members` (round robin), `parallel` at a time; returns
/// the ids of the bookings acknowledged (201), in order, and how many requests failed.
async fn book_all(
    url: &str,
    members: &[String],
    slots: Vec<(String, String, String)>,
    parallel: usize,
) -> (Vec<String>, usize) {
    let client = reqwest::Client::builder().timeout(Duration::from_secs(30)).build().unwrap();
    let slots = Arc::new(tokio::sync::Mutex::new(slots.into_iter().enumerate().collect::<Vec<_>>()));
    let mut tasks = Vec::new();
    for _ in 0..parallel {
        let (client, slots, members, url) = (client.clone(), slots.clone(), members.to_vec(), url.to_owned());
        tasks.push(tokio::spawn(async move {
            let (mut acknowledged, mut failed) = (Vec::new(), 0);
            loop {
                let Some((n, (space, start, end))) = slots.lock().await.pop() else { break };
                let request = client
                    .post(format!("{url}/api/v1/bookings"))
                    .bearer_auth(&members[n % members.len()])
                    .json(&serde_json::json!({ "space_id": space, "start": start, "end": end }))
                    .send()
                    .await;
                match request {
                    Ok(response) => {
                        let (status, body) = json_of(response).await;
                        if status == StatusCode::CREATED {
                            acknowledged.push(body["id"].as_str().unwrap().to_owned());
                        } else {
                            failed += 1;
                        }
                    }
                    Err(_) => failed += 1,
                }
            }
            (acknowledged, failed)
        }));
    }
    let (mut acknowledged, mut failed) = (Vec::new(), 0);
    for task in tasks {
        let (ids, failures) = task.await.unwrap();
        acknowledged.extend(ids);
        failed += failures;
    }
    (acknowledged, failed)
}

fn confirmed_bookings(app: &TestApp, ids: &[String]) -> BTreeSet<String> {
    bookings::table
        .filter(bookings::id.eq_any(ids))
        .filter(bookings::status.eq("confirmed"))
        .select(bookings::id)
        .load::<String>(&mut *app.conn())
        .unwrap()
        .into_iter()
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
#[ignore = "needs PostgreSQL (TEST_DATABASE_URL) and nginx; .ci/run runs it"]
async fn two_instances_behind_nginx_serve_as_one() {
    let (day, zone) = HubDay::around(Utc::now());
    let folder = tempfile::tempdir().unwrap();
    let data_dir = folder.path().to_path_buf();
    let a = TestApp::spawn_on(
        TestDatabase::create(Backend::Postgres),
        data_dir,
        Clock::fixed(day.at("09:00")),
        |_: &mut actix_web::web::ServiceConfig| {},
    )
    .await;
    let f = a.fixture();
    prepare_hub(&a, &f, &zone);
    // The second instance's clock runs five minutes ahead of the first's.
    let b = a.another_instance(Clock::fixed(day.at("09:05"))).await;
    let nginx = Nginx::start(&[port_of(&a), port_of(&b)]).await;

    let carol = a.member(&mut a.conn(), "carol@example.org");
    let alice_booking = a.booked(&day, &f.alice_token, f.desk.id.as_str(), "10:00", "14:00").await;
    let bob_booking = b.booked(&day, &f.bob_token, f.desk2.id.as_str(), "10:00", "14:00").await;
    let carol_booking = a.booked(&day, &carol, f.disabled_desk.id.as_str(), "10:00", "14:00").await;

    // The bridge talks to the service only through nginx, so its long-polls land on either.
    let (layout, bridge_token) = door_bridge::demo_bridge_link(&mut a.conn(), "testhub", day.at("09:00")).unwrap();
    let bridge_dir = tempfile::tempdir().unwrap();
    let (door_loop, modbus) = start_loop_via(&a, &layout, &bridge_token, &nginx.url, bridge_dir.path()).await;
    eventually("the bookings reach the bridge", || {
        [&alice_booking, &bob_booking, &carol_booking].iter().all(|(id, _)| holds(&door_loop, id))
    })
    .await;
    let entrance = layout.doors[0].unit_id;

    // Cancelled through one instance, then through the other: whichever instance the bridge
    // waits on, one of the two reaches it from the other instance.
    let (id, pin) = (&alice_booking.0, &alice_booking.1);
    cancel_and_check_the_door(&a, &a, &f, &door_loop, modbus, entrance, (id, pin, &f.alice_token)).await;
    let (id, pin) = (&bob_booking.0, &bob_booking.1);
    cancel_and_check_the_door(&b, &a, &f, &door_loop, modbus, entrance, (id, pin, &f.bob_token)).await;

    // From here both clocks run with the real time, the second's minutes ahead again after the
    // remote unlocks: a remote unlock is good for 10 s by the clocks of the instance that asks,
    // the instance that hands it out and the bridge, so it needs clocks in step (NTP), unlike
    // the snapshots.
    let second_ahead = Arc::new(AtomicBool::new(false));
    // Set once here, not only in the task: on a loaded machine the task may first run after the
    // unlock below has read the clock (still 09:00, before the booking's window: `TooEarly`).
    a.clock.set(Utc::now());
    b.clock.set(Utc::now());
    let clocks = tokio::spawn({
        let (first, second, ahead) = (a.clock.clone(), b.clock.clone(), second_ahead.clone());
        async move {
            loop {
                let skew =
                    if ahead.load(Ordering::Relaxed) { chrono::Duration::minutes(5) } else { chrono::Duration::zero() };
                first.set(Utc::now());
                second.set(Utc::now() + skew);
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
        }
    });
    unlock_and_check_the_relay(&a, &door_loop, &layout, "carol@example.org", &carol_booking.0).await;
    unlock_and_check_the_relay(&b, &door_loop, &layout, "carol@example.org", &carol_booking.0).await;
    second_ahead.store(true, Ordering::Relaxed);

    // A booking made on one instance shows on a dashboard streamed by the other.
    let manager = crate::console::staff_browser(&b, "manager@example.org", Role::HubManager(f.hub.id.clone())).await;
    let mut stream = manager.client.get(manager.url("/console/hubs/testhub/events")).send().await.unwrap();
    assert_eq!(stream.status(), StatusCode::OK);
    let mut buffer = Vec::new();
    dashboard_where(&mut stream, &mut buffer, |_| true).await;
    let later = a.booked(&day, &f.alice_token, f.desk.id.as_str(), "15:00", "16:00").await;
    let desk = f.desk.id.to_string();
    dashboard_where(&mut stream, &mut buffer, |event| {
        crate::console_live::space_row(event, &desk).contains("Gebucht (später)")
    })
    .await;
    drop(stream);

    // 200 bookings through nginx, spread over both: each confirmation mail goes out once.
    let members: Vec<String> = (0..4).map(|n| a.member(&mut a.conn(), &format!("member{n}@example.org"))).collect();
    let slots: Vec<_> =
        future_slots(&day, 9, &[f.desk.id.as_str(), f.desk2.id.as_str()]).into_iter().take(200).collect();
    let (acknowledged, failed) = book_all(&nginx.url, &members, slots, 4).await;
    assert_eq!((acknowledged.len(), failed), (200, 0), "every booking through nginx is made");
    eventually("every confirmation mail is sent", || a.outbox().iter().all(|row| row.sent_at.is_some())).await;
    let mut mails_per_booking: HashMap<String, usize> = HashMap::new();
    for sent in a.mailbox().iter().chain(b.mailbox().iter()) {
        let Some((_, ics)) = parse(sent).calendar else { continue };
        for id in acknowledged.iter().filter(|id| ics.contains(id.as_str())) {
            *mails_per_booking.entry(id.clone()).or_default() += 1;
        }
    }
    let not_once: Vec<_> = acknowledged.iter().filter(|id| mails_per_booking.get(*id) != Some(&1)).collect();
    assert!(not_once.is_empty(), "bookings without exactly one confirmation mail: {not_once:?}");

    // Through all of it the bridge never kept a version below the database's.
    let bridge = door_loop.bridge_state().clone();
    eventually("the bridge holds the database's version", || bridge.snapshot_version() == Some(stored_version(&a, &f)))
        .await;
    assert!(holds(&door_loop, &later.0), "the latest booking is in the bridge's snapshot");
    clocks.abort();
    door_loop.stop().await;
    drop(nginx);
    drop(b);
}

/// A `regiohub serve` process; killed when dropped, so a failing test leaves none behind.
struct ServeProcess(Child);

impl ServeProcess {
    /// `regiohub serve` on `database_url` with the shared data folder (the secret), on `port`.
    fn start(database_url: &str, data_dir: &Path, port: u16) -> ServeProcess {
        let child = Command::new(env!("CARGO_BIN_EXE_regiohub"))
            .args(["serve", "--listen", &format!("127.0.0.1:{port}"), "--data-dir"])
            .arg(data_dir)
            .env("DATABASE_URL", database_url)
            .env("REGIOHUB_MAIL__TRANSPORT", "memory")
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap();
        ServeProcess(child)
    }

    /// SIGKILL: no shutdown, open requests cut off.
    fn kill(&mut self) {
        self.0.kill().unwrap();
        self.0.wait().unwrap();
    }
}

impl Drop for ServeProcess {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
#[ignore = "needs PostgreSQL (TEST_DATABASE_URL) and nginx; .ci/run runs it"]
async fn an_instance_killed_mid_load_loses_no_acknowledged_booking() {
    let (day, zone) = HubDay::around(Utc::now());
    let folder = tempfile::tempdir().unwrap();
    let data_dir = folder.path().to_path_buf();
    let owner = TestApp::spawn_on(
        TestDatabase::create(Backend::Postgres),
        data_dir.clone(),
        Clock::System,
        |_: &mut actix_web::web::ServiceConfig| {},
    )
    .await;
    let f = owner.fixture();
    prepare_hub(&owner, &f, &zone);
    let members: Vec<String> =
        (0..4).map(|n| owner.member(&mut owner.conn(), &format!("member{n}@example.org"))).collect();
    let (first_port, second_port) = (free_port(), free_port());
    let mut first = ServeProcess::start(owner.database.url(), &data_dir, first_port);
    let second = ServeProcess::start(owner.database.url(), &data_dir, second_port);
    let nginx = Nginx::start(&[first_port, second_port]).await;
    let client = reqwest::Client::new();
    eventually_async_health(&client, first_port).await;
    eventually_async_health(&client, second_port).await;

    let slots = future_slots(&day, 10, &[f.desk.id.as_str(), f.desk2.id.as_str()]);
    let (before_slots, after_slots) = slots.split_at(120);
    let load = tokio::spawn({
        let (url, members, slots) = (nginx.url.clone(), members.clone(), before_slots.to_vec());
        async move { book_all(&url, &members, slots, 4).await }
    });
    // Killed while the load runs (SIGKILL: no shutdown, open requests cut off).
    eventually("some bookings are made", || !owner.outbox().is_empty()).await;
    first.kill();
    let (during, _failed_during) = load.await.unwrap();
    let (after, failed_after) = book_all(&nginx.url, &members, after_slots.to_vec(), 2).await;
    assert_eq!(failed_after, 0, "the other instance serves every request once the first is gone");
    assert!(!after.is_empty());
    let acknowledged: Vec<String> = during.into_iter().chain(after).collect();
    let stored = confirmed_bookings(&owner, &acknowledged);
    let lost: Vec<_> = acknowledged.iter().filter(|id| !stored.contains(*id)).collect();
    assert!(lost.is_empty(), "acknowledged bookings not in the database: {lost:?}");
    drop(second);
    drop(nginx);
}

async fn eventually_async_health(client: &reqwest::Client, port: u16) {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(60);
    loop {
        if client.get(format!("http://127.0.0.1:{port}/health")).send().await.is_ok_and(|r| r.status().is_success()) {
            return;
        }
        assert!(tokio::time::Instant::now() < deadline, "the instance on port {port} did not start");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Two instances on one PostgreSQL database, the second's clock an hour ahead: both answer the
/// same version for the same content; a change made through either gets a higher version on
/// both, and a poll waiting on one instance hears of a change made through the other. Without
/// nginx, so it runs with the other PostgreSQL tests.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(not(regiohub_pg_tests), ignore = "PostgreSQL: set TEST_DATABASE_URL (.ci/run does)")]
async fn instances_number_snapshots_alike_whatever_their_clocks() {
    let a = TestApp::spawn(Backend::Postgres).await;
    let f = a.fixture();
    let b = a.another_instance(Clock::fixed(crate::helpers::default_now() + chrono::Duration::hours(1))).await;
    let token = a.bridge_token("testhub");
    let (_, booking) =
        a.book(&f.alice_token, f.desk.id.as_str(), "2026-11-23T10:00:00+01:00", "2026-11-23T12:00:00+01:00").await;
    let (_, _, from_b) = b.bridge_get("/snapshot", &token).await;
    let (_, _, from_a) = a.bridge_get("/snapshot", &token).await;
    let version = from_a["version"].as_u64().unwrap();
    assert_eq!(from_b["version"].as_u64(), Some(version), "the same content, the same version");
    assert_eq!(from_a["grants"], from_b["grants"]);

    // A poll waits on the instance whose clock runs ahead; the booking is cancelled through the
    // other. The new version is higher, and the same on both.
    let poll = {
        let client = b.client.clone();
        let url = b.url(&format!("/api/bridge/v1/snapshot?after={version}&wait=30"));
        let token = token.clone();
        tokio::spawn(async move { client.get(url).bearer_auth(token).send().await.unwrap() })
    };
    tokio::time::sleep(Duration::from_millis(300)).await;
    let (status, body) =
        a.delete(&format!("/api/v1/bookings/{}", booking["id"].as_str().unwrap()), &f.alice_token).await;
    assert!(status.is_success(), "{status} {body}");
    // The bound: a cancellation reaches a bridge waiting on another instance within 2 s.
    let response = tokio::time::timeout(Duration::from_secs(2), poll)
        .await
        .expect("the poll waiting on the other instance hears of the cancellation within 2 s")
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let after_cancel: serde_json::Value = response.json().await.unwrap();
    assert!(after_cancel["grants"].as_array().unwrap().is_empty(), "{after_cancel}");
    let new_version = after_cancel["version"].as_u64().unwrap();
    assert!(new_version > version, "a new content, a higher version");
    let (status, _, _) = a.bridge_get(&format!("/snapshot?after={new_version}&wait=0"), &token).await;
    assert_eq!(status, StatusCode::NOT_MODIFIED, "the other instance answers the same version");
    drop(b);
}

/// An instance whose secret differs from the one the database's PINs were made with refuses
/// to start, and so does `regiohub bridge pin-key`: it would hand out PINs or a key the bridges
/// refuse.
async fn an_instance_with_another_secret_refuses_to_start(backend: Backend) {
    let a = TestApp::spawn(backend).await;
    let f = a.fixture();
    let other_folder = tempfile::tempdir().unwrap();
    let mut settings = regiohub::config::Settings {
        listen: "127.0.0.1:0".parse().unwrap(),
        database_url: a.database.url().to_owned(),
        data_dir: other_folder.path().to_path_buf(),
        secret_key: "another secret, long enough to be taken as one".to_owned(),
        ..regiohub::config::Settings::default()
    };
    settings.mail.transport = regiohub::config::MailTransport::Memory;
    let refused = regiohub::startup::Application::build(settings.clone(), Clock::System).await;
    let Err(error) = refused else { panic!("an instance with another secret started") };
    assert!(error.to_string().contains("secret key is not the one"), "{error}");

    let out = tempfile::tempdir().unwrap();
    let key_file = out.path().join("pin.key");
    let cli = Command::new(env!("CARGO_BIN_EXE_regiohub"))
        .args(["bridge", "pin-key", "--hub", f.hub.slug.as_str(), "--out"])
        .arg(&key_file)
        .arg("--data-dir")
        .arg(&settings.data_dir)
        .env("DATABASE_URL", a.database.url())
        .env("REGIOHUB_SECRET_KEY", &settings.secret_key)
        .env("RUST_LOG", "warn")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&cli.stderr);
    assert_eq!(cli.status.code(), Some(2), "a configuration error: {stderr}");
    assert!(stderr.contains("secret key is not the one"), "{stderr}");
    assert!(!key_file.exists(), "no key is written");

    // The right secret (the first instance's data folder) still starts.
    let again = a.another_instance(Clock::System).await;
    assert_eq!(again.get("/health", "").await.0, StatusCode::OK);
}

crate::on_both_backends!(an_instance_with_another_secret_refuses_to_start);
