//! Rows and queries for browser sessions. Only the SHA-256 of a session id is stored, so a copy
//! of the database cannot be used to take over a session. Whether a session is still valid is
//! decided in `service::sessions`, not here.

use crate::domain::ids::UserId;
use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::{sessions, users};
use super::users::User;
use super::{DbConn, DbError};

/// A signed-in browser. `csrf_token` is the per-session token every state-changing form repeats.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = sessions)]
pub struct SessionRow {
    pub id_hash: String,
    pub user_id: UserId,
    pub csrf_token: String,
    pub created_at: NaiveDateTime,
    pub last_seen_at: NaiveDateTime,
    /// The absolute end, however active the session is.
    pub expires_at: NaiveDateTime,
}

/// # Errors
/// On a database error.
pub fn insert_session(conn: &mut DbConn, session: &SessionRow) -> Result<(), DbError> {
    diesel::insert_into(sessions::table).values(session).execute(conn)?;
    Ok(())
}

/// The session with this id hash and its user.
///
/// # Errors
/// On a database error.
pub fn find_session_with_user(conn: &mut DbConn, id_hash: &str) -> Result<Option<(SessionRow, User)>, DbError> {
    Ok(sessions::table
        .inner_join(users::table)
        .filter(sessions::id_hash.eq(id_hash))
        .select((SessionRow::as_select(), User::as_select()))
        .first(conn)
        .optional()?)
}

/// Records activity, which pushes the idle timeout back.
///
/// # Errors
/// On a database error.
pub fn touch_session(conn: &mut DbConn, id_hash: &str, at: NaiveDateTime) -> Result<(), DbError> {
    diesel::update(sessions::table.find(id_hash)).set(sessions::last_seen_at.eq(at)).execute(conn)?;
    Ok(())
}

/// Ends one session; returns how many rows went (0 or 1).
///
/// # Errors
/// On a database error.
pub fn delete_session(conn: &mut DbConn, id_hash: &str) -> Result<usize, DbError> {
    Ok(diesel::delete(sessions::table.find(id_hash)).execute(conn)?)
}

/// Ends every session of a user except, if given, the one with `keep_hash`.
///
/// # Errors
/// On a database error.
pub fn delete_user_sessions(conn: &mut DbConn, user_id: &UserId, keep_hash: Option<&str>) -> Result<usize, DbError> {
    let of_user = sessions::table.filter(sessions::user_id.eq(user_id));
    let deleted = match keep_hash {
        Some(keep) => diesel::delete(of_user.filter(sessions::id_hash.ne(keep))).execute(conn)?,
        None => diesel::delete(of_user).execute(conn)?,
    };
    Ok(deleted)
}

/// Removes sessions past their absolute end or idle since before `idle_before`.
///
/// # Errors
/// On a database error.
pub fn delete_stale_sessions(
    conn: &mut DbConn,
    now: NaiveDateTime,
    idle_before: NaiveDateTime,
) -> Result<usize, DbError> {
    Ok(diesel::delete(sessions::table.filter(sessions::expires_at.le(now).or(sessions::last_seen_at.le(idle_before))))
        .execute(conn)?)
}

/// How many sessions a user has; for tests and the account page.
///
/// # Errors
/// On a database error.
pub fn count_user_sessions(conn: &mut DbConn, user_id: &UserId) -> Result<i64, DbError> {
    Ok(sessions::table.filter(sessions::user_id.eq(user_id)).count().get_result(conn)?)
}
