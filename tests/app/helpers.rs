//! The test harness: a real app on port 0 with its own fresh database (a SQLite file, or a new
//! PostgreSQL database when the test runs on PostgreSQL), a fixed clock, and fixtures written
//! through the app's own storage layer.

use std::path::PathBuf;
use std::sync::atomic::{AtomicU32, Ordering};

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use diesel::Connection;
use diesel::RunQueryDsl;
use regiohub::clock::Clock;
use regiohub::config::{MailTransport, Settings};
use regiohub::db::bookings::Booking;
use regiohub::db::catalog::{self, Closure, Door, Hub, OpeningHours, Operator, Space};
use regiohub::db::{self, DbConn};
use regiohub::domain::ids::{BookingId, DoorId, HubId, OperatorId, SpaceId};
use regiohub::domain::role::Role;
use regiohub::domain::vocabulary::{BookingStatus, BookingUnit, SpaceKind};
use regiohub::service::{UnitOfWork, accounts};
use regiohub::startup::Application;
use regiohub::state::AppState;
use reqwest::StatusCode;
use serde_json::Value;

/// Which database a test runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// Runs each named `async fn name(backend: Backend)` once on SQLite and once on PostgreSQL.
/// The PostgreSQL variant is compiled as ignored (with its reason) unless TEST_DATABASE_URL is
/// set at build time, so it never passes without having run.
#[macro_export]
macro_rules! on_both_backends {
    ($($name:ident),* $(,)?) => {$(
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                super::$name($crate::helpers::Backend::Sqlite).await;
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            #[cfg_attr(not(regiohub_pg_tests), ignore = "PostgreSQL: set TEST_DATABASE_URL (.ci/run does)")]
            async fn postgres() {
                super::$name($crate::helpers::Backend::Postgres).await;
            }
        }
    )*};
}

/// A database that exists for one test and is removed after it.
pub enum TestDatabase {
    Sqlite {
        _dir: tempfile::TempDir,
        url: String,
    },
    Postgres {
        admin_url: String,
        name: String,
        url: String,
    },
    /// Another instance's way to a database a [`TestApp`] owns (and removes).
    Shared {
        url: String,
    },
}

static NEXT_DB: AtomicU32 = AtomicU32::new(0);

impl TestDatabase {
    pub fn create(backend: Backend) -> TestDatabase {
        match backend {
            Backend::Sqlite => {
                let dir = tempfile::tempdir().unwrap();
                let url = dir.path().join("test.db").to_string_lossy().into_owned();
                TestDatabase::Sqlite { _dir: dir, url }
            }
            Backend::Postgres => {
                let admin_url = without_tls(
                    &std::env::var("TEST_DATABASE_URL")
                        .expect("TEST_DATABASE_URL must point at a PostgreSQL server for the PostgreSQL tests"),
                );
                let name = format!(
                    "regiohub_test_{}_{}_{}",
                    std::process::id(),
                    NEXT_DB.fetch_add(1, Ordering::SeqCst),
                    uuid_suffix()
                );
                let mut admin =
                    diesel::PgConnection::establish(&admin_url).expect("TEST_DATABASE_URL is not reachable");
                diesel::sql_query(format!("CREATE DATABASE {name}")).execute(&mut admin).unwrap();
                let url = with_database(&admin_url, &name);
                TestDatabase::Postgres { admin_url, name, url }
            }
        }
    }

    pub fn url(&self) -> &str {
        match self {
            TestDatabase::Sqlite { url, .. } | TestDatabase::Postgres { url, .. } | TestDatabase::Shared { url } => url,
        }
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        if let TestDatabase::Postgres { admin_url, name, .. } = self
            && let Ok(mut admin) = diesel::PgConnection::establish(admin_url)
        {
            let _ = diesel::sql_query(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).execute(&mut admin);
        }
    }
}

fn uuid_suffix() -> String {
    db::new_id().replace('-', "")[20..].to_owned()
}

/// Replaces the database name in a PostgreSQL URL, keeping any query string.
/// `url` with `sslmode=disable` unless it names an sslmode. Why: over TLS, libpq uses the
/// system's OpenSSL, which cleans up in an exit handler while the test binary's other threads may
/// still hold connections; a CI run in which every test had passed crashed in libcrypto at exit
/// (SIGSEGV, 2026-12-06). Tests talk to a server on loopback, where TLS adds nothing.
fn without_tls(url: &str) -> String {
    if url.contains("sslmode=") {
        return url.to_owned();
    }
    let separator = if url.contains('?') { '&' } else { '?' };
    format!("{url}{separator}sslmode=disable")
}

fn with_database(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, format!("?{q}")),
        None => (url, String::new()),
    };
    let scheme_end = base.find("://").map_or(0, |i| i + 3);
    let host_part = match base[scheme_end..].find('/') {
        Some(i) => &base[..scheme_end + i],
        None => base,
    };
    format!("{host_part}/{name}{query}")
}

/// The default "now" of a test: Monday 2026-11-23, 08:00 in Berlin.
pub fn default_now() -> DateTime<Utc> {
    utc("2026-11-23T07:00:00Z")
}

pub fn utc(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text).unwrap().with_timezone(&Utc)
}

/// A booking row with a fresh id, nobody's, as the storage tests write it around the use cases.
pub fn booking_row(space_id: &SpaceId, start: DateTime<Utc>, end: DateTime<Utc>, status: BookingStatus) -> Booking {
    Booking {
        id: BookingId::from(db::new_id()),
        space_id: space_id.clone(),
        user_id: None,
        start_at: db_time(start),
        end_at: db_time(end),
        status,
        created_by: None,
        created_at: db_time(default_now()),
        updated_at: db_time(default_now()),
        cancelled_at: None,
    }
}

/// A running app with its own database.
pub struct TestApp {
    pub address: String,
    pub client: reqwest::Client,
    pub clock: Clock,
    pub state: AppState,
    pub database: TestDatabase,
    /// Holds the secret key, so a restarted app ([`TestApp::spawn_on`]) needs the same folder.
    pub data_dir: PathBuf,
    /// Connections that may write, for fixtures ([`TestApp::conn`]).
    fixtures: db::DbPool,
    server: actix_web::dev::ServerHandle,
    running: tokio::task::JoinHandle<std::io::Result<()>>,
}

/// The fixture hub: open every day 08:00–20:00 so DST Sundays can be booked, closed on
/// 2026-12-24, at most 1 overlapping and 3 upcoming bookings per person.
pub struct Fixture {
    pub hub: Hub,
    /// Hourly, 30-minute grid, 60–240 minutes, up to 30 days ahead.
    pub desk: Space,
    pub desk2: Space,
    /// Needs approval.
    pub room: Space,
    /// Whole days, 1–2 days.
    pub equipment: Space,
    pub disabled_desk: Space,
    pub alice_token: String,
    pub bob_token: String,
}

impl TestApp {
    pub async fn spawn(backend: Backend) -> TestApp {
        TestApp::spawn_with(backend, |_| {}).await
    }

    pub async fn spawn_with(backend: Backend, adjust: impl FnOnce(&mut Settings)) -> TestApp {
        let database = TestDatabase::create(backend);
        let mut settings = test_settings(&database, tempfile::tempdir().unwrap().keep());
        adjust(&mut settings);
        TestApp::launch(settings, database, Clock::fixed(default_now()), |_: &mut actix_web::web::ServiceConfig| {})
            .await
    }

    /// An app on a database and data folder that may have served before (a restart), with
    /// `routes` beside the service's own.
    pub async fn spawn_on(
        database: TestDatabase,
        data_dir: PathBuf,
        clock: Clock,
        routes: impl Fn(&mut actix_web::web::ServiceConfig) + Clone + Send + 'static,
    ) -> TestApp {
        let settings = test_settings(&database, data_dir);
        TestApp::launch(settings, database, clock, routes).await
    }

    async fn launch(
        settings: Settings,
        database: TestDatabase,
        clock: Clock,
        routes: impl Fn(&mut actix_web::web::ServiceConfig) + Clone + Send + 'static,
    ) -> TestApp {
        let data_dir = settings.data_dir.clone();
        let app = Application::build_with_routes(settings, clock.clone(), routes).await.unwrap();
        let address = format!("http://127.0.0.1:{}", app.port());
        let state = app.state().clone();
        let server = app.server_handle();
        let running = tokio::spawn(app.run_until_stopped());
        let fixtures = db::pool::connect_writing_pool(database.url(), 2, std::time::Duration::from_secs(5)).unwrap();
        TestApp { address, client: reqwest::Client::new(), clock, state, database, data_dir, fixtures, server, running }
    }

    /// A second service instance on this app's database, with the same data folder (so the same
    /// secret) and its own clock: everything but the database is its own (pool, signals, jobs,
    /// listener), as on another machine.
    pub async fn another_instance(&self, clock: Clock) -> TestApp {
        let database = TestDatabase::Shared { url: self.database.url().to_owned() };
        let settings = test_settings(&database, self.data_dir.clone());
        TestApp::launch(settings, database, clock, |_: &mut actix_web::web::ServiceConfig| {}).await
    }

    /// Stops the server and its background jobs but keeps the state, the database and the clock:
    /// for tests that run the jobs' passes themselves, which the app's own timed passes would
    /// race on a loaded machine. Nothing can be asked over HTTP afterwards, and [`TestApp::stop`]
    /// must not follow (the server is already stopped).
    pub async fn stop_background(&mut self) {
        self.server.stop(false).await;
        (&mut self.running).await.unwrap().unwrap();
    }

    /// Stops the server and its jobs at once (open requests are dropped); gives back what
    /// [`TestApp::spawn_on`] needs to start it again.
    pub async fn stop(self) -> (TestDatabase, PathBuf, Clock) {
        self.server.stop(false).await;
        self.running.await.unwrap().unwrap();
        (self.database, self.data_dir, self.clock)
    }

    /// A connection to the app's database that may write, for fixtures: the app's own pool only
    /// reads on SQLite (the app writes through its writer).
    pub fn conn(&self) -> r2d2::PooledConnection<regiohub::db::pool::ConnectionManager> {
        self.fixtures.get().unwrap()
    }

    pub fn fixture(&self) -> Fixture {
        let mut conn = self.conn();
        let now = db_time(default_now());
        let operator = Operator {
            id: OperatorId::from(db::new_id()),
            name: "Teststadt".into(),
            legal_contact: "Rathaus".into(),
            privacy_contact: "dsb@example.org".into(),
            created_at: now,
            imprint: "Teststadt\nRathausplatz 1".into(),
            privacy_policy: "Wir speichern nur, was nötig ist.".into(),
            accessibility_statement: "Barrierefrei.".into(),
            access_log_retention_days: 90,
        };
        catalog::insert_operator(&mut conn, &operator).unwrap();
        let hub = Hub {
            id: HubId::from(db::new_id()),
            operator_id: operator.id,
            slug: "testhub".into(),
            name: "Test Hub".into(),
            street: "Hauptstraße 1".into(),
            postcode: "56000".into(),
            town: "Teststadt".into(),
            time_zone: "Europe/Berlin".into(),
            max_concurrent_per_user: 1,
            max_upcoming_per_user: 3,
            created_at: now,
            no_show_minutes: 30,
        };
        catalog::insert_hub(&mut conn, &hub).unwrap();
        let hours: Vec<OpeningHours> = (1..=7)
            .map(|weekday| OpeningHours {
                hub_id: hub.id.clone(),
                weekday,
                opens_minute: 8 * 60,
                closes_minute: 20 * 60,
            })
            .collect();
        catalog::insert_opening_hours(&mut conn, &hours).unwrap();
        let christmas_eve = NaiveDate::from_ymd_opt(2026, 12, 24).unwrap();
        catalog::insert_closure(
            &mut conn,
            &Closure {
                id: db::new_id(),
                hub_id: hub.id.clone(),
                first_day: christmas_eve,
                last_day: christmas_eve,
                label: "Heiligabend".into(),
            },
        )
        .unwrap();
        let space =
            |name: &str, kind: &str, unit: &str, slot: i32, min: i32, max: i32, approval: bool, enabled: bool| Space {
                id: SpaceId::from(db::new_id()),
                hub_id: hub.id.clone(),
                name: name.into(),
                kind: SpaceKind::parse(kind).unwrap(),
                capacity: 1,
                enabled,
                booking_unit: BookingUnit::parse(unit).unwrap(),
                slot_minutes: slot,
                min_minutes: min,
                max_minutes: max,
                max_days_ahead: 30,
                approval_required: approval,
                created_at: now,
                position: 0,
            };
        let desk = space("Desk 1", "desk", "hour", 30, 60, 240, false, true);
        let desk2 = space("Desk 2", "desk", "hour", 30, 60, 240, false, true);
        let room = space("Room", "room", "hour", 30, 60, 240, true, true);
        let equipment = space("Beamer", "equipment", "day", 1440, 1440, 2880, false, true);
        let disabled_desk = space("Desk 9", "desk", "hour", 30, 60, 240, false, false);
        for s in [&desk, &desk2, &room, &equipment, &disabled_desk] {
            catalog::insert_space(&mut conn, s).unwrap();
        }
        let door = Door {
            id: DoorId::from(db::new_id()),
            hub_id: hub.id.clone(),
            name: "Eingang".into(),
            is_entrance: true,
            created_at: now,
            bridge_id: None,
            modbus_unit_id: None,
        };
        catalog::insert_door(&mut conn, &door, &[desk.id.clone(), room.id.clone()]).unwrap();
        let alice_token = self.member(&mut conn, "alice@example.org");
        let bob_token = self.member(&mut conn, "bob@example.org");
        Fixture { hub, desk, desk2, room, equipment, disabled_desk, alice_token, bob_token }
    }

    /// Creates an active member and returns a fresh API token for them.
    pub fn member(&self, conn: &mut DbConn, email: &str) -> String {
        accounts::add_user(
            &mut UnitOfWork::new(conn),
            email,
            "Test Member",
            &Role::Member,
            "a long test password",
            default_now(),
        )
        .unwrap();
        accounts::create_api_token(&mut UnitOfWork::new(conn), email, "test", default_now()).unwrap().1
    }

    /// Creates an active user with this role and password, as `regiohub user add` does.
    pub fn user(&self, email: &str, name: &str, role: Role, password: &str) {
        accounts::add_user(&mut UnitOfWork::new(&mut self.conn()), email, name, &role, password, default_now())
            .unwrap();
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.address, path)
    }

    pub async fn get(&self, path: &str, token: &str) -> (StatusCode, Value) {
        let response = self.client.get(self.url(path)).bearer_auth(token).send().await.unwrap();
        json_of(response).await
    }

    pub async fn delete(&self, path: &str, token: &str) -> (StatusCode, Value) {
        let response = self.client.delete(self.url(path)).bearer_auth(token).send().await.unwrap();
        json_of(response).await
    }

    pub async fn book(&self, token: &str, space_id: &str, start: &str, end: &str) -> (StatusCode, Value) {
        let body = serde_json::json!({"space_id": space_id, "start": start, "end": end});
        let response =
            self.client.post(self.url("/api/v1/bookings")).bearer_auth(token).json(&body).send().await.unwrap();
        json_of(response).await
    }
}

fn test_settings(database: &TestDatabase, data_dir: PathBuf) -> Settings {
    let mut settings = Settings {
        listen: "127.0.0.1:0".parse().unwrap(),
        data_dir,
        database_url: database.url().to_owned(),
        db_pool_size: 8,
        db_checkout_timeout_ms: 5000,
        ..Settings::default()
    };
    settings.mail.transport = MailTransport::Memory;
    settings
}

pub async fn json_of(response: reqwest::Response) -> (StatusCode, Value) {
    let status = response.status();
    let text = response.text().await.unwrap();
    let value = serde_json::from_str(&text).unwrap_or(Value::String(text));
    (status, value)
}

pub fn db_time(t: DateTime<Utc>) -> NaiveDateTime {
    t.naive_utc()
}

/// The error code of an API error body.
pub fn code(body: &Value) -> &str {
    body["error"]["code"].as_str().unwrap_or("<no error code>")
}

/// A loopback port for a server the test starts later, free a moment ago. It is taken below the
/// kernel's ephemeral range (32768 and up on Linux): a port from `bind(…:0)` could be handed to
/// another test's server or outgoing connection before ours binds it, which showed up as a
/// controller talking to some other test's HTTP server.
pub fn free_port() -> u16 {
    static NEXT: std::sync::atomic::AtomicU16 = std::sync::atomic::AtomicU16::new(0);
    // Each test process starts at its own place, so two binaries running at once rarely meet.
    let start = u16::try_from(std::process::id() % 120).unwrap() * 100;
    loop {
        let step = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed) % 12_000;
        let port = 20_000 + (start + step) % 12_000;
        if std::net::TcpListener::bind(("127.0.0.1", port)).is_ok() {
            return port;
        }
    }
}

/// A page as a visitor whose browser asks for English sees it (asserted 200).
pub async fn page_in_english(app: &TestApp, path: &str) -> String {
    let response = app.client.get(app.url(path)).header("accept-language", "en").send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK, "{path}");
    response.text().await.unwrap()
}
