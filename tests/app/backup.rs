//! `regiohub backup` while members book: the copy holds every booking confirmed before the
//! command started, passes SQLite's integrity check, and a service restored from it (the file
//! copied back as the database, with the secret key) serves those bookings. An existing `--out`
//! and a PostgreSQL database are refused with one line and exit code 2, changing nothing.

use std::collections::BTreeSet;
use std::path::Path;
use std::process::{Command, Output};
use std::sync::Mutex;
use std::time::Duration;

use diesel::{Connection, RunQueryDsl};
use futures::future::join_all;
use reqwest::StatusCode;

use crate::cli::assert_usage_error;
use crate::helpers::{Backend, TestApp, TestDatabase};

/// Runs `regiohub backup --out OUT --data-dir DIR` against the database `DATABASE_URL` names.
fn backup(out: &Path, data_dir: &Path, database_url: &str) -> Output {
    Command::new(env!("CARGO_BIN_EXE_regiohub"))
        .args(["backup", "--out"])
        .arg(out)
        .arg("--data-dir")
        .arg(data_dir)
        .env("DATABASE_URL", database_url)
        .env("RUST_LOG", "warn")
        .output()
        .unwrap()
}

fn integrity_of(path: &Path) -> Vec<String> {
    #[derive(diesel::QueryableByName)]
    struct Finding {
        #[diesel(sql_type = diesel::sql_types::Text)]
        integrity_check: String,
    }
    let mut conn = diesel::SqliteConnection::establish(path.to_str().unwrap()).unwrap();
    let findings: Vec<Finding> = diesel::sql_query("PRAGMA integrity_check").load(&mut conn).unwrap();
    findings.into_iter().map(|f| f.integrity_check).collect()
}

fn files_in(dir: &Path) -> BTreeSet<String> {
    std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect()
}

const TASKS: usize = 5;
const MEMBERS_PER_TASK: usize = 4;
/// A hub's fixture allows three upcoming bookings per member.
const BOOKINGS_PER_MEMBER: usize = 3;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_taken_while_members_book_holds_every_confirmed_booking() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let f = app.fixture();
    let members = TASKS * MEMBERS_PER_TASK;
    let tokens: Vec<String> = {
        let mut conn = app.conn();
        (0..members).map(|n| app.member(&mut conn, &format!("load{n}@example.org"))).collect()
    };
    // Booking `n` is the desk's n-th hour from Tuesday on (twelve a day, 08:00–20:00), made by
    // member n / 3: no two overlap, and each member's three are back to back.
    let total = members * BOOKINGS_PER_MEMBER;
    let slot = |n: usize| {
        let (day, hour) = (24 + n / 12, 8 + n % 12);
        (format!("2026-11-{day}T{hour:02}:00:00+01:00"), format!("2026-11-{day}T{:02}:00:00+01:00", hour + 1))
    };
    let acknowledged = Mutex::new(Vec::<String>::new());
    let refused = Mutex::new(Vec::<String>::new());

    let per_task = total / TASKS;
    let load = join_all((0..TASKS).map(|task| {
        let (tokens, acknowledged, refused, app, desk) = (&tokens, &acknowledged, &refused, &app, &f.desk);
        async move {
            for n in task * per_task..(task + 1) * per_task {
                let (start, end) = slot(n);
                let (status, body) = app.book(&tokens[n / BOOKINGS_PER_MEMBER], desk.id.as_str(), &start, &end).await;
                if status == StatusCode::CREATED {
                    acknowledged.lock().unwrap().push(body["id"].as_str().unwrap().to_owned());
                } else {
                    refused.lock().unwrap().push(format!("{n}: {status} {body}"));
                }
            }
        }
    }));
    let out_dir = tempfile::tempdir().unwrap();
    let out = out_dir.path().join("backup.db");
    let take_backup = async {
        // Start once some bookings are in, while the rest are still being made.
        while acknowledged.lock().unwrap().len() + refused.lock().unwrap().len() < total / 4 {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        let before = acknowledged.lock().unwrap().clone();
        let (out, data_dir, url) = (out.clone(), app.data_dir.clone(), app.database.url().to_owned());
        let output = tokio::task::spawn_blocking(move || backup(&out, &data_dir, &url)).await.unwrap();
        (before, output)
    };
    let (_, (before, output)) = futures::join!(load, take_backup);

    let refused = refused.into_inner().unwrap();
    assert!(refused.is_empty(), "every booking of the load is accepted: {refused:?}");
    let acknowledged: BTreeSet<String> = acknowledged.into_inner().unwrap().into_iter().collect();
    assert_eq!(acknowledged.len(), total);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "stderr: {}", String::from_utf8_lossy(&output.stderr));
    assert_eq!(stdout.trim_end().lines().count(), 1, "one line: {stdout}");
    let size = std::fs::metadata(&out).unwrap().len();
    assert!(stdout.contains(out.to_str().unwrap()) && stdout.contains(&size.to_string()), "{stdout}");
    assert_eq!(files_in(out_dir.path()), BTreeSet::from(["backup.db".to_owned()]), "no temporary file is left");
    assert_eq!(integrity_of(&out), vec!["ok".to_owned()]);

    // Restore: the copy becomes the database of a new data folder, beside the secret key.
    let restored = tempfile::tempdir().unwrap();
    let db_file = restored.path().join("regiohub.db");
    std::fs::copy(&out, &db_file).unwrap();
    std::fs::copy(app.data_dir.join("secret_key"), restored.path().join("secret_key")).unwrap();
    let restored_dir = restored.path().to_owned();
    let database = TestDatabase::Sqlite { url: db_file.to_string_lossy().into_owned(), _dir: restored };
    let clock = app.clock.clone();
    app.stop().await;
    let restored_app = TestApp::spawn_on(database, restored_dir, clock, |_| {}).await;

    let mut in_backup = BTreeSet::new();
    for token in &tokens {
        let (status, list) = restored_app.get("/api/v1/bookings", token).await;
        assert_eq!(status, StatusCode::OK, "{list}");
        in_backup.extend(list.as_array().unwrap().iter().map(|b| b["id"].as_str().unwrap().to_owned()));
    }
    let missing: Vec<&String> = before.iter().filter(|id| !in_backup.contains(*id)).collect();
    assert!(missing.is_empty(), "confirmed before the backup began but not in it: {missing:?}");
    assert!(in_backup.is_subset(&acknowledged), "the backup holds only bookings that were confirmed");
}

#[test]
fn an_existing_out_file_is_never_replaced() {
    let dir = tempfile::tempdir().unwrap();
    let url = dir.path().join("regiohub.db").to_string_lossy().into_owned();
    let migrated = Command::new(env!("CARGO_BIN_EXE_regiohub"))
        .args(["migrate", "--data-dir"])
        .arg(dir.path())
        .env_remove("DATABASE_URL")
        .env("RUST_LOG", "warn")
        .output()
        .unwrap();
    assert!(migrated.status.success(), "{}", String::from_utf8_lossy(&migrated.stderr));
    let out_dir = tempfile::tempdir().unwrap();
    let out = out_dir.path().join("nightly.db");
    std::fs::write(&out, "last night's backup").unwrap();

    let output = backup(&out, dir.path(), &url);
    assert_usage_error(&output, "already exists");
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "last night's backup");
    assert_eq!(files_in(out_dir.path()), BTreeSet::from(["nightly.db".to_owned()]));

    let output = backup(&out_dir.path().join("no such folder").join("b.db"), dir.path(), &url);
    assert_usage_error(&output, "no such folder");
}

#[test]
fn a_postgresql_database_is_sent_to_pg_dump() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("backup.db");
    let output = backup(&out, dir.path(), "postgres://regiohub:hunter2hunter2@127.0.0.1:9/regiohub");
    assert_usage_error(&output, "pg_dump");
    assert!(!String::from_utf8_lossy(&output.stderr).contains("hunter2"), "the URL's password is never shown");
    assert!(!out.exists());
}
