//! Attempt counters for throttling (logins first, hence the name; registrations and reset
//! requests too): one row per key (a hash, never an address in clear) holding the attempts made
//! in its current window. Taking an attempt is a single upsert that returns the new count, so
//! concurrent requests — in one process or in several instances on one database — can never all
//! read "under the limit". The throttling rules live in `service::accounts`.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel::sql_types::{Integer, Text, Timestamp};

use super::schema::throttle_counters;
use super::{DbConn, DbError};

/// A key's count after taking an attempt, and when its window ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, QueryableByName)]
pub struct TakenAttempt {
    #[diesel(sql_type = Integer)]
    pub attempts: i32,
    #[diesel(sql_type = Timestamp)]
    pub window_ends_at: NaiveDateTime,
}

const TAKE_SQLITE: &str = "INSERT INTO throttle_counters (key_hash, window_ends_at, attempts) VALUES (?, ?, 1) \
     ON CONFLICT (key_hash) DO UPDATE SET \
     attempts = CASE WHEN throttle_counters.window_ends_at <= ? THEN 1 ELSE throttle_counters.attempts + 1 END, \
     window_ends_at = CASE WHEN throttle_counters.window_ends_at <= ? THEN excluded.window_ends_at \
     ELSE throttle_counters.window_ends_at END \
     RETURNING attempts, window_ends_at";

const TAKE_POSTGRES: &str = "INSERT INTO throttle_counters (key_hash, window_ends_at, attempts) VALUES ($1, $2, 1) \
     ON CONFLICT (key_hash) DO UPDATE SET \
     attempts = CASE WHEN throttle_counters.window_ends_at <= $3 THEN 1 ELSE throttle_counters.attempts + 1 END, \
     window_ends_at = CASE WHEN throttle_counters.window_ends_at <= $3 THEN excluded.window_ends_at \
     ELSE throttle_counters.window_ends_at END \
     RETURNING attempts, window_ends_at";

/// Counts one attempt against `key_hash` and returns the count: 1 and a new window ending at
/// `new_window_ends_at` when the key has no window open at `now`, else one more in the open one.
/// On PostgreSQL the row stays locked until the transaction ends, so a concurrent attempt on the
/// same key waits and then counts on top.
///
/// # Errors
/// On a database error.
pub fn take_attempt(
    conn: &mut DbConn,
    key_hash: &str,
    new_window_ends_at: NaiveDateTime,
    now: NaiveDateTime,
) -> Result<TakenAttempt, DbError> {
    let taken = match conn {
        DbConn::Sqlite(c) => diesel::sql_query(TAKE_SQLITE)
            .bind::<Text, _>(key_hash)
            .bind::<Timestamp, _>(new_window_ends_at)
            .bind::<Timestamp, _>(now)
            .bind::<Timestamp, _>(now)
            .get_result::<TakenAttempt>(c)?,
        DbConn::Postgres(c) => diesel::sql_query(TAKE_POSTGRES)
            .bind::<Text, _>(key_hash)
            .bind::<Timestamp, _>(new_window_ends_at)
            .bind::<Timestamp, _>(now)
            .get_result::<TakenAttempt>(c)?,
    };
    Ok(taken)
}

/// Takes back one attempt counted in the window `taken` belongs to (a login that turned out
/// right, a request that was never served); a newer window is left alone.
///
/// # Errors
/// On a database error.
pub fn give_back_attempt(conn: &mut DbConn, key_hash: &str, taken: TakenAttempt) -> Result<(), DbError> {
    diesel::update(
        throttle_counters::table
            .filter(throttle_counters::key_hash.eq(key_hash))
            .filter(throttle_counters::window_ends_at.eq(taken.window_ends_at))
            .filter(throttle_counters::attempts.gt(0)),
    )
    .set(throttle_counters::attempts.eq(throttle_counters::attempts - 1))
    .execute(conn)?;
    Ok(())
}

/// Forgets counters whose window ended before `now`; they no longer count against anyone.
///
/// # Errors
/// On a database error.
pub fn prune_ended_windows(conn: &mut DbConn, now: NaiveDateTime) -> Result<usize, DbError> {
    Ok(diesel::delete(throttle_counters::table.filter(throttle_counters::window_ends_at.lt(now))).execute(conn)?)
}
