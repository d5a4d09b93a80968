//! Rows and queries for failed logins, counted per key (a hash of an account's address or of a
//! client address) over a sliding window. The throttling rule lives in `service::accounts`.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::login_failures;
use super::{DbConn, DbError, new_id};

/// Records one failed login against `key_hash`.
///
/// # Errors
/// On a database error.
pub fn record_login_failure(conn: &mut DbConn, key_hash: &str, at: NaiveDateTime) -> Result<(), DbError> {
    diesel::insert_into(login_failures::table)
        .values((
            login_failures::id.eq(new_id()),
            login_failures::key_hash.eq(key_hash),
            login_failures::failed_at.eq(at),
        ))
        .execute(conn)?;
    Ok(())
}

/// How many failures were recorded against `key_hash` after `since`.
///
/// # Errors
/// On a database error.
pub fn count_login_failures_since(conn: &mut DbConn, key_hash: &str, since: NaiveDateTime) -> Result<i64, DbError> {
    Ok(login_failures::table
        .filter(login_failures::key_hash.eq(key_hash))
        .filter(login_failures::failed_at.gt(since))
        .count()
        .get_result(conn)?)
}

/// Forgets failures older than `before`; they no longer count against anyone.
///
/// # Errors
/// On a database error.
pub fn prune_login_failures(conn: &mut DbConn, before: NaiveDateTime) -> Result<usize, DbError> {
    Ok(diesel::delete(login_failures::table.filter(login_failures::failed_at.lt(before))).execute(conn)?)
}
