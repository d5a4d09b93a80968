//! Rows and queries for presence and no-shows: raw presence readings to fold into 5-minute
//! aggregates. No rules here. (The no-show job's bookings are read in `check_in`.)

use crate::domain::ids::SpaceId;
use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::access::PresenceReadingRow;
use super::schema::{presence_aggregates, presence_readings};
use super::{DbConn, DbError};

/// A 5-minute bucket of one space: how long it was observed and how much of that it was occupied.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = presence_aggregates)]
pub struct PresenceAggregate {
    pub space_id: SpaceId,
    pub bucket_start: NaiveDateTime,
    pub present_seconds: i32,
    pub observed_seconds: i32,
}

/// Rows per statement of [`add_to_aggregates`]: four values each, far below SQLite's limit of
/// 32,766 bound values (PostgreSQL allows 65,535).
const AGGREGATE_ROWS_PER_INSERT: usize = 1000;

/// Readings observed before `before`, by space and time.
///
/// # Errors
/// On a database error.
pub fn readings_before(conn: &mut DbConn, before: NaiveDateTime) -> Result<Vec<PresenceReadingRow>, DbError> {
    Ok(presence_readings::table
        .filter(presence_readings::observed_at.lt(before))
        .order((presence_readings::space_id.asc(), presence_readings::observed_at.asc(), presence_readings::id.asc()))
        .select(PresenceReadingRow::as_select())
        .load(conn)?)
}

/// The first reading of the space at or after `at`, if any (where a folded reading's state ends).
///
/// # Errors
/// On a database error.
pub fn next_reading_time(
    conn: &mut DbConn,
    space_id: &SpaceId,
    at: NaiveDateTime,
) -> Result<Option<NaiveDateTime>, DbError> {
    Ok(presence_readings::table
        .filter(presence_readings::space_id.eq(space_id))
        .filter(presence_readings::observed_at.ge(at))
        .order(presence_readings::observed_at.asc())
        .select(presence_readings::observed_at)
        .first(conn)
        .optional()?)
}

/// Deletes the readings observed before `before`; returns how many.
///
/// # Errors
/// On a database error.
pub fn delete_readings_before(conn: &mut DbConn, before: NaiveDateTime) -> Result<usize, DbError> {
    Ok(diesel::delete(presence_readings::table.filter(presence_readings::observed_at.lt(before))).execute(conn)?)
}

/// Adds seconds to a bucket, creating it when missing.
///
/// # Errors
/// On a database error.
pub fn add_to_aggregate(conn: &mut DbConn, add: &PresenceAggregate) -> Result<(), DbError> {
    let key = presence_aggregates::table.find((&add.space_id, add.bucket_start));
    let existing = key.select(PresenceAggregate::as_select()).first(conn).optional()?;
    match existing {
        Some(row) => {
            diesel::update(key)
                .set((
                    presence_aggregates::present_seconds.eq(row.present_seconds + add.present_seconds),
                    presence_aggregates::observed_seconds.eq(row.observed_seconds + add.observed_seconds),
                ))
                .execute(conn)?;
        }
        None => {
            diesel::insert_into(presence_aggregates::table).values(add).execute(conn)?;
        }
    }
    Ok(())
}

/// Adds seconds to many buckets at once, creating the missing ones, as [`add_to_aggregate`]
/// does for one; each bucket (space, start) at most once. Written in statements of at most
/// [`AGGREGATE_ROWS_PER_INSERT`] rows.
///
/// # Errors
/// On a database error.
pub fn add_to_aggregates(conn: &mut DbConn, rows: &[PresenceAggregate]) -> Result<(), DbError> {
    use diesel::upsert::excluded;
    use presence_aggregates::{bucket_start, observed_seconds, present_seconds, space_id};
    for chunk in rows.chunks(AGGREGATE_ROWS_PER_INSERT) {
        // As tuples: diesel batches derived rows for PostgreSQL only, tuples for SQLite too.
        let chunk: Vec<_> = chunk
            .iter()
            .map(|row| {
                (
                    space_id.eq(&row.space_id),
                    bucket_start.eq(row.bucket_start),
                    present_seconds.eq(row.present_seconds),
                    observed_seconds.eq(row.observed_seconds),
                )
            })
            .collect();
        // The same statement for both: upserts are written per backend, not through the
        // connection that stands for either.
        match conn {
            DbConn::Sqlite(c) => diesel::insert_into(presence_aggregates::table)
                .values(&chunk)
                .on_conflict((space_id, bucket_start))
                .do_update()
                .set((
                    present_seconds.eq(present_seconds + excluded(present_seconds)),
                    observed_seconds.eq(observed_seconds + excluded(observed_seconds)),
                ))
                .execute(c)?,
            DbConn::Postgres(c) => diesel::insert_into(presence_aggregates::table)
                .values(&chunk)
                .on_conflict((space_id, bucket_start))
                .do_update()
                .set((
                    present_seconds.eq(present_seconds + excluded(present_seconds)),
                    observed_seconds.eq(observed_seconds + excluded(observed_seconds)),
                ))
                .execute(c)?,
        };
    }
    Ok(())
}

/// A space's aggregates, oldest first.
///
/// # Errors
/// On a database error.
pub fn aggregates(conn: &mut DbConn, space_id: &SpaceId) -> Result<Vec<PresenceAggregate>, DbError> {
    Ok(presence_aggregates::table
        .filter(presence_aggregates::space_id.eq(space_id))
        .order(presence_aggregates::bucket_start.asc())
        .select(PresenceAggregate::as_select())
        .load(conn)?)
}
