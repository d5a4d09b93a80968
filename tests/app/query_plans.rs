//! The hot booking queries stay cheap with years of history: every statement that the booking
//! check, the day view, the start page, a bridge's snapshot, a move and the no-show job send to
//! `bookings` is run through the database's own `EXPLAIN` (both backends, after two years of
//! history and `ANALYZE`). None may scan the table, and an index range on `start_at` that is
//! bounded above must be bounded below too: open towards the past it reads every booking the
//! space, person or hub ever had. SQLite's overlap trigger is checked the same way.

use std::sync::{Arc, Mutex};

use diesel::Connection;
use diesel::connection::InstrumentationEvent;
use diesel::sql_types::Text;
use diesel::{QueryableByName, RunQueryDsl};
use regiohub::db::bookings::insert_booking;
use regiohub::db::catalog::{self, Hub, OpeningHours, Space};
use regiohub::db::users::find_user_by_email;
use regiohub::db::{self, DbConn};
use regiohub::domain::ids::{HubId, SpaceId};
use regiohub::domain::vocabulary::BookingStatus;
use regiohub::service::booking::{self, BookingTime, NewBookingRequest};
use regiohub::service::booking_changes::{self, BookingChange};
use regiohub::service::{UnitOfWork, availability, bridge_link, presence};

use crate::helpers::{Backend, Fixture, TestApp, booking_row, default_now, utc};
use crate::on_both_backends;

on_both_backends!(
    the_hot_booking_queries_read_only_the_bookings_near_their_window,
    the_start_page_reads_as_many_statements_for_five_hubs_as_for_one
);

/// Two years of one-hour bookings every two hours for each of the fixture's spaces but the
/// disabled one: about 35,000 rows, written by the database itself.
fn add_history(backend: Backend, conn: &mut DbConn, space_ids: &[&str]) {
    for space_id in space_ids {
        let sql = match backend {
            Backend::Sqlite => format!(
                "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 8759)
                 INSERT INTO bookings (id, space_id, user_id, start_at, end_at, status, created_at, updated_at)
                 SELECT 'history-{space_id}-' || i, '{space_id}', NULL,
                        datetime('2024-11-01 00:00:00', '+' || (2 * i) || ' hours'),
                        datetime('2024-11-01 01:00:00', '+' || (2 * i) || ' hours'),
                        'completed', '2024-11-01 00:00:00', '2024-11-01 00:00:00'
                 FROM n"
            ),
            Backend::Postgres => format!(
                "INSERT INTO bookings (id, space_id, user_id, start_at, end_at, status, created_at, updated_at)
                 SELECT 'history-{space_id}-' || i, '{space_id}', NULL,
                        TIMESTAMP '2024-11-01 00:00:00' + (2 * i) * INTERVAL '1 hour',
                        TIMESTAMP '2024-11-01 01:00:00' + (2 * i) * INTERVAL '1 hour',
                        'completed', TIMESTAMP '2024-11-01 00:00:00', TIMESTAMP '2024-11-01 00:00:00'
                 FROM generate_series(0, 8759) AS i"
            ),
        };
        diesel::sql_query(sql).execute(conn).unwrap();
    }
    diesel::sql_query("ANALYZE").execute(conn).unwrap();
}

/// Runs `work` on `conn` and returns the SQL of every statement it sent that reads `bookings`
/// (bind parameters left as placeholders).
fn statements_of(conn: &mut DbConn, work: impl FnOnce(&mut DbConn)) -> Vec<String> {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let sink = seen.clone();
    conn.set_instrumentation(move |event: InstrumentationEvent<'_>| {
        if let InstrumentationEvent::StartQuery { query, .. } = event {
            let text = query.to_string();
            let sql = text.split(" -- binds:").next().unwrap_or_default().trim().to_owned();
            sink.lock().unwrap().push(sql);
        }
    });
    work(conn);
    // The connection goes back to the pool as it came.
    conn.set_instrumentation(|_: InstrumentationEvent<'_>| {});
    let statements = seen.lock().unwrap().clone();
    let reads_bookings = |sql: &String| sql.contains("`bookings`") || sql.contains("\"bookings\"");
    statements.into_iter().filter(|sql| !sql.starts_with("INSERT")).filter(reads_bookings).collect()
}

#[derive(QueryableByName)]
struct SqlitePlanLine {
    #[diesel(sql_type = Text)]
    detail: String,
}

#[derive(QueryableByName)]
struct PostgresPlanLine {
    #[diesel(sql_type = Text, column_name = "QUERY PLAN")]
    line: String,
}

/// The database's plan for `sql`, one line per step. PostgreSQL plans it as a prepared statement
/// with a generic plan (the plan any parameters get), SQLite with its parameters unbound.
fn plan_of(conn: &mut DbConn, sql: &str) -> Vec<String> {
    match conn {
        DbConn::Sqlite(sqlite) => diesel::sql_query(format!("EXPLAIN QUERY PLAN {sql}"))
            .load::<SqlitePlanLine>(sqlite)
            .unwrap_or_else(|e| panic!("EXPLAIN failed for {sql}: {e}"))
            .into_iter()
            .map(|line| line.detail)
            .collect(),
        DbConn::Postgres(pg) => {
            let parameters = (1..=40).take_while(|n| sql.contains(&format!("${n}"))).count();
            diesel::sql_query("SET plan_cache_mode = force_generic_plan").execute(pg).unwrap();
            diesel::sql_query(format!("PREPARE hot_query AS {sql}"))
                .execute(pg)
                .unwrap_or_else(|e| panic!("PREPARE failed for {sql}: {e}"));
            let nulls = vec!["NULL"; parameters].join(", ");
            let execute =
                if parameters == 0 { "EXECUTE hot_query".to_owned() } else { format!("EXECUTE hot_query({nulls})") };
            let plan = diesel::sql_query(format!("EXPLAIN {execute}"))
                .load::<PostgresPlanLine>(pg)
                .unwrap_or_else(|e| panic!("EXPLAIN failed for {sql}: {e}"));
            diesel::sql_query("DEALLOCATE hot_query").execute(pg).unwrap();
            diesel::sql_query("RESET plan_cache_mode").execute(pg).unwrap();
            plan.into_iter().map(|line| line.line).collect()
        }
    }
}

/// What is wrong with a plan for reading bookings, if anything.
fn plan_problem(plan: &[String]) -> Option<String> {
    for (i, line) in plan.iter().enumerate() {
        let line = line.trim();
        // SQLite: `SCAN bookings` (also `SCAN bookings USING INDEX …`, a walk of a whole index).
        if line.starts_with("SCAN bookings") || line.contains("Seq Scan on bookings") {
            return Some(format!("scans the bookings table: {line}"));
        }
        // SQLite: `SEARCH bookings USING INDEX bookings_space_start (space_id=? AND start_at<?)`.
        if line.starts_with("SEARCH bookings") && line.contains("start_at<") && !line.contains("start_at>") {
            return Some(format!("an index range open towards the past: {line}"));
        }
        // PostgreSQL: an index scan of bookings whose condition bounds start_at from above only.
        if line.contains("Index Cond") && line.contains("start_at <") && !line.contains("start_at >") {
            let scan = plan[..i].iter().rev().find(|l| l.contains("Index")).cloned().unwrap_or_default();
            if scan.contains("bookings") {
                return Some(format!("an index range open towards the past: {} / {line}", scan.trim()));
            }
        }
        // PostgreSQL: a (space_id | user_id, start_at) index used without its leading column is a
        // walk of the whole index, bounded on start_at or not.
        if line.contains("Index Cond") {
            let scan = plan[..i].iter().rev().find(|l| l.contains("Index")).cloned().unwrap_or_default();
            for (index, leading) in [("bookings_space_start", "space_id ="), ("bookings_user_start", "user_id =")] {
                if scan.contains(index) && !line.contains(leading) {
                    return Some(format!("walks all of {index}: {} / {line}", scan.trim()));
                }
            }
        }
        if line.contains("Index Scan using bookings_pkey on bookings") && !line.contains("Index Cond") {
            let bounded = plan.get(i + 1).is_some_and(|next| next.contains("Index Cond"));
            if !bounded {
                return Some(format!("walks the whole primary key index: {line}"));
            }
        }
    }
    None
}

#[test]
fn the_plan_check_tells_a_bounded_walk_from_a_walk_of_the_whole_index() {
    let plan = |lines: &[&str]| lines.iter().map(|l| (*l).to_owned()).collect::<Vec<_>>();
    let per_space = plan(&[
        "->  Index Only Scan using bookings_space_start on bookings",
        "      Index Cond: ((space_id = spaces.id) AND (start_at < $5) AND (start_at > $7))",
    ]);
    assert_eq!(plan_problem(&per_space), None);
    let whole_index = plan(&[
        "->  Index Only Scan using bookings_space_start on bookings",
        "      Index Cond: ((start_at < $5) AND (start_at > $7))",
    ]);
    assert!(plan_problem(&whole_index).is_some_and(|p| p.contains("walks all of bookings_space_start")));
    let open_to_the_past = plan(&["SEARCH bookings USING INDEX bookings_user_start (user_id=? AND start_at<?)"]);
    assert!(plan_problem(&open_to_the_past).is_some_and(|p| p.contains("open towards the past")));
    assert!(plan_problem(&plan(&["SCAN bookings"])).is_some());
}

async fn the_hot_booking_queries_read_only_the_bookings_near_their_window(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let f = app.fixture();
    let mut conn = app.conn();
    add_history(backend, &mut conn, &[f.desk.id.as_str(), f.desk2.id.as_str(), f.room.id.as_str()]);
    let alice = find_user_by_email(&mut conn, "alice@example.org").unwrap().unwrap();
    let ctx = app.state.context.clone();
    let now = default_now();

    let mut statements = Vec::new();
    statements.extend(statements_of(&mut conn, |conn| {
        let request = NewBookingRequest {
            space_id: f.desk.id.clone(),
            start: BookingTime::Instant(utc("2026-11-24T09:00:00Z")),
            end: BookingTime::Instant(utc("2026-11-24T11:00:00Z")),
        };
        let created = booking::create_booking(&mut UnitOfWork::new(conn), &ctx, &alice, &request, None, now).unwrap();
        let change = BookingChange {
            space_id: Some(f.desk2.id.clone()),
            start: Some(BookingTime::Instant(utc("2026-11-24T12:00:00Z"))),
            end: Some(BookingTime::Instant(utc("2026-11-24T13:00:00Z"))),
        };
        let booking_id = created.view.booking.id;
        booking_changes::change_own_booking(&mut UnitOfWork::new(conn), &ctx, &alice, &booking_id, &change, now)
            .unwrap();
    }));
    statements.extend(statements_of(&mut conn, |conn| {
        let catalogue = ctx.catalogue.current(conn).unwrap();
        availability::hub_day(conn, &catalogue, &f.hub.id, utc("2026-11-24T12:00:00Z").date_naive()).unwrap();
        availability::hubs_today(conn, &catalogue, now).unwrap();
        bridge_link::build_snapshot(conn, &catalogue, &f.hub.id, now, chrono::Duration::hours(24)).unwrap();
        presence::release_no_shows(&mut UnitOfWork::new(conn), &ctx, utc("2026-11-24T12:20:00Z")).unwrap();
    }));
    assert!(statements.len() >= 8, "the use cases read bookings: {statements:#?}");
    let overlap_checks = statements.iter().filter(|sql| sql.contains("end_at") && sql.contains("start_at")).count();
    assert!(overlap_checks >= 5, "the overlap queries were among them: {statements:#?}");

    // SQLite's overlap trigger runs inside the insert, unseen by the instrumentation: its query
    // is read from the schema, with the new row's values as parameters.
    if matches!(backend, Backend::Sqlite) {
        #[derive(QueryableByName)]
        struct Trigger {
            #[diesel(sql_type = Text)]
            sql: String,
        }
        let DbConn::Sqlite(sqlite) = &mut *conn else { unreachable!() };
        let triggers: Vec<Trigger> = diesel::sql_query(
            "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'bookings_no_overlap%'",
        )
        .load(sqlite)
        .unwrap();
        assert_eq!(triggers.len(), 2);
        for trigger in triggers {
            let inner = trigger.sql.split("EXISTS (").nth(1).unwrap().rsplit_once(')').unwrap().0.to_owned();
            statements.push(
                inner
                    .replace("NEW.space_id", "?")
                    .replace("NEW.id", "?")
                    .replace("NEW.start_at", "?")
                    .replace("NEW.end_at", "?"),
            );
        }
    }

    let mut problems = Vec::new();
    for sql in &statements {
        let plan = plan_of(&mut conn, sql);
        if let Some(problem) = plan_problem(&plan) {
            problems.push(format!("{problem}\n  in: {sql}\n  plan: {plan:#?}"));
        }
    }
    assert!(
        problems.is_empty(),
        "{} of {} statements read history they do not need:\n{}",
        problems.len(),
        statements.len(),
        problems.join("\n\n")
    );
}

/// Another hub like the fixture's (in another town and time zone), with one desk booked today.
fn add_hub(conn: &mut DbConn, f: &Fixture, n: usize) {
    let hub = Hub {
        id: HubId::from(db::new_id()),
        slug: format!("extra-{n}"),
        name: format!("Extra {n}"),
        town: format!("Ort {n}"),
        time_zone: if n.is_multiple_of(2) { "Europe/Lisbon".into() } else { "Europe/Berlin".into() },
        ..f.hub.clone()
    };
    catalog::insert_hub(conn, &hub).unwrap();
    let hours: Vec<OpeningHours> = (1..=7)
        .map(|weekday| OpeningHours { hub_id: hub.id.clone(), weekday, opens_minute: 8 * 60, closes_minute: 20 * 60 })
        .collect();
    catalog::insert_opening_hours(conn, &hours).unwrap();
    let desk = Space { id: SpaceId::from(db::new_id()), hub_id: hub.id.clone(), ..f.desk.clone() };
    catalog::insert_space(conn, &desk).unwrap();
    let (start, end) = (default_now() + chrono::Duration::hours(2), default_now() + chrono::Duration::hours(3));
    let booking = booking_row(&desk.id, start, end, BookingStatus::Confirmed);
    insert_booking(conn, &booking).unwrap();
}

async fn the_start_page_reads_as_many_statements_for_five_hubs_as_for_one(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let f = app.fixture();
    let mut conn = app.conn();
    let now = default_now();
    let count_for_start_page = |conn: &mut DbConn| {
        let seen = Arc::new(Mutex::new(0_usize));
        let sink = seen.clone();
        conn.set_instrumentation(move |event: InstrumentationEvent<'_>| {
            if let InstrumentationEvent::StartQuery { .. } = event {
                *sink.lock().unwrap() += 1;
            }
        });
        // The catalogue changed since the last count, so this loads it afresh: its statements
        // are counted too.
        let catalogue = app.state.context.catalogue.current(conn).unwrap();
        let hubs = availability::hubs_today(conn, &catalogue, now).unwrap();
        conn.set_instrumentation(|_: InstrumentationEvent<'_>| {});
        let statements = *seen.lock().unwrap();
        (hubs, statements)
    };
    let (one, statements_for_one) = count_for_start_page(&mut conn);
    assert_eq!(one.len(), 1);
    for n in 1..=4 {
        add_hub(&mut conn, &f, n);
    }
    let (five, statements_for_five) = count_for_start_page(&mut conn);
    assert_eq!(five.len(), 5);
    assert_eq!(statements_for_five, statements_for_one, "the start page's statements do not grow with the hubs");
    // Still right for each hub: every extra hub has its one desk booked 09:00–10:00 Berlin time,
    // free around it; the fixture's two enabled desks are free.
    for hub in &five {
        let expected = if hub.hub.slug == "testhub" { 2 } else { 1 };
        assert_eq!(hub.free_desks, expected, "{}", hub.hub.slug);
        assert!(!hub.opening.is_empty(), "{} is open today", hub.hub.slug);
    }
}
