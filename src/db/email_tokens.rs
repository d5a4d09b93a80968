//! Rows and queries for the single-use links sent by e-mail (verify an address, reset a password,
//! confirm a new address). Only the SHA-256 of the link's secret is stored.

use crate::domain::ids::UserId;
use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::email_tokens;
use super::{DbConn, DbError};

/// One link. `purpose` is a `domain::account::TokenPurpose` text; `new_email` is set exactly for
/// an address change and holds the address that becomes the login once the link is used.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = email_tokens)]
pub struct EmailToken {
    pub token_hash: String,
    pub user_id: UserId,
    pub purpose: String,
    pub new_email: Option<String>,
    pub created_at: NaiveDateTime,
    pub expires_at: NaiveDateTime,
    pub used_at: Option<NaiveDateTime>,
}

/// # Errors
/// On a database error.
pub fn insert_email_token(conn: &mut DbConn, token: &EmailToken) -> Result<(), DbError> {
    diesel::insert_into(email_tokens::table).values(token).execute(conn)?;
    Ok(())
}

/// # Errors
/// On a database error.
pub fn find_email_token(conn: &mut DbConn, token_hash: &str) -> Result<Option<EmailToken>, DbError> {
    Ok(email_tokens::table.find(token_hash).select(EmailToken::as_select()).first(conn).optional()?)
}

/// Marks the link used if it was not; returns whether this call did it, so two clicks racing
/// each other cannot both succeed.
///
/// # Errors
/// On a database error.
pub fn mark_email_token_used(conn: &mut DbConn, token_hash: &str, at: NaiveDateTime) -> Result<bool, DbError> {
    let changed = diesel::update(email_tokens::table.find(token_hash).filter(email_tokens::used_at.is_null()))
        .set(email_tokens::used_at.eq(Some(at)))
        .execute(conn)?;
    Ok(changed == 1)
}

/// Marks every unused link of this purpose of the user used: a newer link or a completed change
/// makes older links worthless.
///
/// # Errors
/// On a database error.
pub fn retire_user_email_tokens(
    conn: &mut DbConn,
    user_id: &UserId,
    purpose: &str,
    at: NaiveDateTime,
) -> Result<usize, DbError> {
    Ok(diesel::update(
        email_tokens::table
            .filter(email_tokens::user_id.eq(user_id))
            .filter(email_tokens::purpose.eq(purpose))
            .filter(email_tokens::used_at.is_null()),
    )
    .set(email_tokens::used_at.eq(Some(at)))
    .execute(conn)?)
}
