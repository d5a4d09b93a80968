//! The storage layer on both backends: migrations apply, revert and re-apply; both backends
//! have the same migrations; the database itself refuses an overlapping booking; a stored value
//! none of the domain's enums writes is a load error that names its table and column.

use chrono::Duration;
use diesel::RunQueryDsl;
use diesel::{ExpressionMethods, QueryDsl};
use regiohub::db::access::find_booking;
use regiohub::db::bookings::{Booking, insert_booking};
use regiohub::db::catalog::{Space, find_space};
use regiohub::db::migrations::{names, revert_all, run_pending};
use regiohub::db::schema::bookings;
use regiohub::db::stored::UnknownStoredValue;
use regiohub::db::{self, Backend as DbBackend, DbError, is_booking_overlap};
use regiohub::domain::booking::LONGEST_BOOKING;
use regiohub::domain::ids::BookingId;
use regiohub::domain::vocabulary::BookingStatus;

use crate::helpers::{Backend, TestApp, TestDatabase, booking_row, db_time, default_now};
use crate::on_both_backends;

on_both_backends!(
    migrations_go_up_down_and_up_again,
    the_database_refuses_overlapping_bookings,
    the_database_refuses_a_booking_longer_than_the_longest,
    an_unknown_stored_value_is_a_load_error_naming_table_and_column
);

async fn migrations_go_up_down_and_up_again(backend: Backend) {
    let database = TestDatabase::create(backend);
    let mut conn = db::establish(database.url()).unwrap();
    let expected = names(match backend {
        Backend::Sqlite => DbBackend::Sqlite,
        Backend::Postgres => DbBackend::Postgres,
    })
    .unwrap()
    .len();
    assert!(expected >= 1);
    assert_eq!(run_pending(&mut conn).unwrap(), expected);
    assert_eq!(run_pending(&mut conn).unwrap(), 0, "nothing left to apply");
    assert_eq!(revert_all(&mut conn).unwrap(), expected);
    assert_eq!(run_pending(&mut conn).unwrap(), expected);
    db::ping(&mut conn).unwrap();
}

#[test]
fn both_backends_have_the_same_migrations() {
    assert_eq!(names(DbBackend::Sqlite).unwrap(), names(DbBackend::Postgres).unwrap());
}

async fn the_database_refuses_overlapping_bookings(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let f = app.fixture();
    let start = default_now() + Duration::hours(24);
    let booking = |start_offset: i64, end_offset: i64, status: &str| {
        let (from, to) = (start + Duration::hours(start_offset), start + Duration::hours(end_offset));
        booking_row(&f.desk.id, from, to, BookingStatus::parse(status).unwrap())
    };
    let mut conn = app.conn();
    insert_booking(&mut conn, &booking(0, 2, "confirmed")).unwrap();
    // Back-to-back is fine, even for the database.
    insert_booking(&mut conn, &booking(2, 3, "confirmed")).unwrap();
    // Cancelled bookings do not hold the space.
    insert_booking(&mut conn, &booking(1, 2, "cancelled")).unwrap();
    // An overlap is refused below the application's own check.
    let error = insert_booking(&mut conn, &booking(1, 4, "pending")).unwrap_err();
    assert!(is_booking_overlap(&error), "{error:?}");
}

/// The overlap queries start their index range `LONGEST_BOOKING` before the window; a longer
/// booking would slip past them, so the database itself refuses one, on insert and on update.
async fn the_database_refuses_a_booking_longer_than_the_longest(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let f = app.fixture();
    let start = default_now() + Duration::hours(24);
    let booking = |id: &str, space: &Space, length: Duration| Booking {
        id: BookingId::new(id),
        ..booking_row(&space.id, start, start + length, BookingStatus::Confirmed)
    };
    let mut conn = app.conn();
    let longest = booking("longest", &f.equipment, LONGEST_BOOKING);
    insert_booking(&mut conn, &longest).unwrap();
    // Of another space: refused for its length, not for meeting the longest one.
    let longer = booking("longer", &f.room, LONGEST_BOOKING + Duration::seconds(1));
    let error = insert_booking(&mut conn, &longer).unwrap_err();
    assert!(error.to_string().contains("bookings_bounded_length"), "{error}");
    assert!(find_booking(&mut conn, &BookingId::new("longer")).unwrap().is_none());
    let stretched = diesel::update(bookings::table.find(&longest.id))
        .set(bookings::end_at.eq(db_time(start + LONGEST_BOOKING + Duration::minutes(1))))
        .execute(&mut *conn)
        .unwrap_err();
    assert!(stretched.to_string().contains("bookings_bounded_length"), "{stretched}");
    assert_eq!(find_booking(&mut conn, &longest.id).unwrap().unwrap().end_at, longest.end_at);
}

async fn an_unknown_stored_value_is_a_load_error_naming_table_and_column(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let f = app.fixture();
    let start = default_now() + Duration::hours(24);
    let booking = booking_row(&f.desk.id, start, start + Duration::hours(2), BookingStatus::Confirmed);
    let mut conn = app.conn();
    insert_booking(&mut conn, &booking).unwrap();
    assert_eq!(find_booking(&mut conn, &booking.id).unwrap().unwrap().status, BookingStatus::Confirmed);
    // The schema's CHECK constraints keep such values out; data written around them (an old
    // version, a hand edit) must still not be read as some default.
    let unguard: &[&str] = match backend {
        Backend::Sqlite => &["PRAGMA ignore_check_constraints = ON"],
        Backend::Postgres => &[
            "ALTER TABLE bookings DROP CONSTRAINT bookings_status_check",
            "ALTER TABLE spaces DROP CONSTRAINT spaces_booking_unit_check",
        ],
    };
    for statement in unguard {
        diesel::sql_query(*statement).execute(&mut *conn).unwrap();
    }
    diesel::sql_query(format!("UPDATE bookings SET status = 'foo' WHERE id = '{}'", booking.id))
        .execute(&mut *conn)
        .unwrap();
    diesel::sql_query(format!("UPDATE spaces SET booking_unit = 'week' WHERE id = '{}'", f.desk.id))
        .execute(&mut *conn)
        .unwrap();

    let error = find_booking(&mut conn, &booking.id).unwrap_err();
    assert_eq!(error.to_string(), r#"database holds an unreadable row: unknown value "foo" in bookings.status"#);
    assert!(
        matches!(
            &error,
            DbError::UnknownValue(UnknownStoredValue { table: "bookings", column: "status", value }) if value == "foo"
        ),
        "{error:?}"
    );
    let error = find_space(&mut conn, &f.desk.id).unwrap_err();
    assert!(error.to_string().contains(r#"unknown value "week" in spaces.booking_unit"#), "{error}");
}
