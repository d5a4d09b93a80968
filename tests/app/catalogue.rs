//! The catalogue kept in memory: every change of a catalogue table raises the database's
//! version, a kept copy costs one small read until it moves, a change made by another instance
//! (or a tool) shows on the next request, and bookings stay live.

use std::sync::{Arc, Mutex};

use diesel::connection::InstrumentationEvent;
use diesel::{Connection, RunQueryDsl};
use regiohub::db::{self, DbConn, catalog};
use regiohub::domain::ids::SpaceId;
use regiohub::service::bridge_link;
use regiohub::service::catalogue::CatalogueCache;
use reqwest::StatusCode;

use crate::helpers::{Backend, TestApp};
use crate::on_both_backends;

on_both_backends!(
    every_change_of_the_catalogue_raises_its_version,
    a_kept_catalogue_costs_one_statement_until_its_version_moves,
    a_change_made_elsewhere_shows_on_the_next_request,
    the_bridge_snapshot_follows_a_door_that_stops_leading_to_a_space,
);

fn version(conn: &mut DbConn) -> i64 {
    catalog::current_catalogue_version(conn).unwrap()
}

/// How many statements `work` sends on `conn`.
fn statements_sent<T>(conn: &mut DbConn, work: impl FnOnce(&mut DbConn) -> T) -> (T, usize) {
    let seen = Arc::new(Mutex::new(0_usize));
    let sink = seen.clone();
    conn.set_instrumentation(move |event: InstrumentationEvent<'_>| {
        if let InstrumentationEvent::StartQuery { .. } = event {
            *sink.lock().unwrap() += 1;
        }
    });
    let value = work(conn);
    conn.set_instrumentation(|_: InstrumentationEvent<'_>| {});
    let sent = *seen.lock().unwrap();
    (value, sent)
}

async fn every_change_of_the_catalogue_raises_its_version(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let f = app.fixture();
    let mut conn = app.conn();
    // Each table a kept catalogue is made of, changed the way a manager or a tool would, and one
    // table that is not part of it.
    let changes = [
        format!("UPDATE operators SET name = 'Neustadt' WHERE id = '{}'", f.hub.operator_id),
        format!("UPDATE hubs SET name = 'Neuer Hub' WHERE id = '{}'", f.hub.id),
        format!("UPDATE opening_hours SET closes_minute = 1140 WHERE hub_id = '{}' AND weekday = 1", f.hub.id),
        format!("DELETE FROM closures WHERE hub_id = '{}'", f.hub.id),
        format!("UPDATE spaces SET name = 'Fensterplatz' WHERE id = '{}'", f.desk2.id),
        format!("UPDATE doors SET name = 'Haupteingang' WHERE hub_id = '{}'", f.hub.id),
        format!("DELETE FROM door_spaces WHERE space_id = '{}'", f.room.id),
    ];
    for change in &changes {
        let before = version(&mut conn);
        diesel::sql_query(change.as_str()).execute(&mut *conn).unwrap();
        assert!(version(&mut conn) > before, "{change} raised the catalogue's version");
    }
    let before = version(&mut conn);
    let (status, _) =
        app.book(&f.alice_token, f.desk.id.as_str(), "2026-11-24T10:00:00+01:00", "2026-11-24T11:00:00+01:00").await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(version(&mut conn), before, "a booking is not a change of the catalogue");
}

async fn a_kept_catalogue_costs_one_statement_until_its_version_moves(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let f = app.fixture();
    let mut conn = app.conn();
    // Two caches stand for two instances on one database.
    let (first, second) = (CatalogueCache::default(), CatalogueCache::default());
    let (loaded, statements) = statements_sent(&mut conn, |conn| first.current(conn).unwrap());
    assert!(statements > 1, "the first use loads the catalogue ({statements} statements)");
    assert_eq!(loaded.spaces_of(&f.hub.id).count(), 5);
    let (kept, statements) = statements_sent(&mut conn, |conn| first.current(conn).unwrap());
    assert_eq!(statements, 1, "a kept catalogue only reads the version");
    assert!(Arc::ptr_eq(&loaded, &kept), "the kept copy is handed out again");

    // Another connection adds a space (another instance, or the CLI).
    let mut elsewhere = db::establish(app.database.url()).unwrap();
    let added = catalog::Space { id: SpaceId::from(db::new_id()), name: "Desk 3".into(), ..f.desk.clone() };
    catalog::insert_space(&mut elsewhere, &added).unwrap();
    let fresh = first.current(&mut conn).unwrap();
    assert!(fresh.version() > kept.version());
    assert_eq!(fresh.space(&added.id).map(|s| s.name.as_str()), Some("Desk 3"));
    assert_eq!(fresh.spaces_of(&f.hub.id).count(), 6);
    let other = second.current(&mut conn).unwrap();
    assert_eq!(other.version(), fresh.version(), "both instances answer the same version");
    assert!(other.space(&added.id).is_some());
}

async fn a_change_made_elsewhere_shows_on_the_next_request(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let f = app.fixture();
    let get = |path: &'static str| {
        let request = app.client.get(app.url(path)).send();
        async move {
            let response = request.await.unwrap();
            assert_eq!(response.status(), StatusCode::OK, "{path}");
            response.text().await.unwrap()
        }
    };
    let (closing_day, open_day) = ("/hubs/testhub?date=2026-11-25", "/hubs/testhub?date=2026-11-26");
    let before = get(open_day).await;
    assert!(before.contains("Desk 2") && !before.contains("Fensterplatz"), "{before}");
    assert!(!get(closing_day).await.contains("Betriebsausflug"));

    // Another instance renames a desk and closes the hub for a day.
    let mut elsewhere = db::establish(app.database.url()).unwrap();
    diesel::sql_query(format!("UPDATE spaces SET name = 'Fensterplatz' WHERE id = '{}'", f.desk2.id))
        .execute(&mut elsewhere)
        .unwrap();
    let day = chrono::NaiveDate::from_ymd_opt(2026, 11, 25).unwrap();
    let closure = catalog::Closure {
        id: db::new_id(),
        hub_id: f.hub.id.clone(),
        first_day: day,
        last_day: day,
        label: "Betriebsausflug".into(),
    };
    catalog::insert_closure(&mut elsewhere, &closure).unwrap();
    let after = get(open_day).await;
    assert!(after.contains("Fensterplatz") && !after.contains("Desk 2"), "{after}");
    assert!(get(closing_day).await.contains("Betriebsausflug"), "the closure shows at once");

    // A booking is live on the next request: availability is never kept.
    assert!(!after.contains("<td class=\"taken\">belegt"), "{after}");
    let (status, _) =
        app.book(&f.bob_token, f.desk.id.as_str(), "2026-11-26T10:00:00+01:00", "2026-11-26T11:00:00+01:00").await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(get(open_day).await.matches("<td class=\"taken\">belegt").count(), 1);
}

async fn the_bridge_snapshot_follows_a_door_that_stops_leading_to_a_space(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let f = app.fixture();
    let mut conn = app.conn();
    let leads_to = |conn: &mut DbConn| {
        let catalogue = app.state.context.catalogue.current(conn).unwrap();
        let (snapshot, _) =
            bridge_link::build_snapshot(conn, &catalogue, &f.hub.id, app.clock.now(), chrono::Duration::hours(24))
                .unwrap();
        snapshot.doors.into_iter().map(|door| door.space_ids).collect::<Vec<_>>()
    };
    let before = leads_to(&mut conn);
    assert!(before.iter().any(|spaces| spaces.contains(&f.room.id)), "{before:?}");
    // Another instance unlinks the room from the entrance.
    let mut elsewhere = db::establish(app.database.url()).unwrap();
    diesel::sql_query(format!("DELETE FROM door_spaces WHERE space_id = '{}'", f.room.id))
        .execute(&mut elsewhere)
        .unwrap();
    let after = leads_to(&mut conn);
    assert!(after.iter().all(|spaces| !spaces.contains(&f.room.id)), "the next snapshot knows: {after:?}");
    assert!(after.iter().any(|spaces| spaces.contains(&f.desk.id)), "{after:?}");
}
