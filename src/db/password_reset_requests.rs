//! Rows and queries for password-reset requests waiting for the mail job (see the migration
//! `password_reset_requests` for why a request is only a row).

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::password_reset_requests;
use super::{DbConn, DbError};

/// One request: the address as typed (already checked to be an address) and when.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = password_reset_requests)]
pub struct ResetRequest {
    pub id: String,
    pub email: String,
    pub requested_at: NaiveDateTime,
}

/// # Errors
/// On a database error.
pub fn insert_reset_request(conn: &mut DbConn, request: &ResetRequest) -> Result<(), DbError> {
    diesel::insert_into(password_reset_requests::table).values(request).execute(conn)?;
    Ok(())
}

/// The oldest `limit` waiting requests.
///
/// # Errors
/// On a database error.
pub fn oldest_reset_requests(conn: &mut DbConn, limit: i64) -> Result<Vec<ResetRequest>, DbError> {
    Ok(password_reset_requests::table
        .order((password_reset_requests::requested_at, password_reset_requests::id))
        .limit(limit)
        .select(ResetRequest::as_select())
        .load(conn)?)
}

/// Deletes the request; returns whether this call did, so that of several mail jobs (one per
/// service instance) exactly one handles it.
///
/// # Errors
/// On a database error.
pub fn take_reset_request(conn: &mut DbConn, id: &str) -> Result<bool, DbError> {
    Ok(diesel::delete(password_reset_requests::table.find(id)).execute(conn)? == 1)
}

/// Deletes the requests made before `before` (ones that failed every pass until then).
///
/// # Errors
/// On a database error.
pub fn delete_reset_requests_before(conn: &mut DbConn, before: NaiveDateTime) -> Result<usize, DbError> {
    Ok(diesel::delete(password_reset_requests::table.filter(password_reset_requests::requested_at.lt(before)))
        .execute(conn)?)
}
