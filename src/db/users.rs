//! Rows and queries for people: users, their roles and their personal API tokens.

use crate::domain::ids::{HubId, UserId};
use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::{api_tokens, user_roles, users};
use super::stored::{UserRolesRole, UsersStatus};
use super::{DbConn, DbError};
use crate::domain::vocabulary::{RoleKind, UserStatus};

/// A person with an account. `email` is stored lower-cased; `password_hash` is an argon2id
/// PHC string or empty for accounts that cannot log in with a password yet.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = users)]
pub struct User {
    pub id: UserId,
    pub email: String,
    pub name: String,
    pub locale: String,
    #[diesel(deserialize_as = UsersStatus, serialize_as = String)]
    pub status: UserStatus,
    pub password_hash: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// One role of a user; `hub_id` is set exactly for hub managers.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = user_roles)]
pub struct UserRole {
    pub id: String,
    pub user_id: UserId,
    #[diesel(deserialize_as = UserRolesRole, serialize_as = String)]
    pub role: RoleKind,
    pub hub_id: Option<HubId>,
}

/// A personal API token; only the SHA-256 of the secret is kept.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = api_tokens)]
pub struct ApiToken {
    pub id: String,
    pub user_id: UserId,
    pub name: String,
    pub token_hash: String,
    pub created_at: NaiveDateTime,
    pub last_used_at: Option<NaiveDateTime>,
    pub revoked_at: Option<NaiveDateTime>,
}

/// # Errors
/// On a database error, including a second account with the same e-mail address.
pub fn insert_user(conn: &mut DbConn, user: &User) -> Result<(), DbError> {
    diesel::insert_into(users::table).values(user.clone()).execute(conn)?;
    Ok(())
}

/// # Errors
/// On a database error.
pub fn find_user_by_email(conn: &mut DbConn, email: &str) -> Result<Option<User>, DbError> {
    Ok(users::table.filter(users::email.eq(email)).select(User::as_select()).first(conn).optional()?)
}

/// # Errors
/// On a database error.
pub fn find_user(conn: &mut DbConn, user_id: &UserId) -> Result<Option<User>, DbError> {
    Ok(users::table.find(user_id).select(User::as_select()).first(conn).optional()?)
}

/// Gives a user a role unless they have it already.
///
/// # Errors
/// On a database error.
pub fn grant_role(conn: &mut DbConn, role: &UserRole) -> Result<(), DbError> {
    let already = list_roles(conn, &role.user_id)?.iter().any(|r| r.role == role.role && r.hub_id == role.hub_id);
    if !already {
        diesel::insert_into(user_roles::table).values(role.clone()).execute(conn)?;
    }
    Ok(())
}

/// # Errors
/// On a database error.
pub fn list_roles(conn: &mut DbConn, user_id: &UserId) -> Result<Vec<UserRole>, DbError> {
    Ok(user_roles::table.filter(user_roles::user_id.eq(user_id)).select(UserRole::as_select()).load(conn)?)
}

/// The roles of all these users in one query (for a page of search results).
///
/// # Errors
/// On a database error.
pub fn list_roles_of(conn: &mut DbConn, user_ids: &[UserId]) -> Result<Vec<UserRole>, DbError> {
    if user_ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(user_roles::table.filter(user_roles::user_id.eq_any(user_ids)).select(UserRole::as_select()).load(conn)?)
}

/// # Errors
/// On a database error.
pub fn insert_api_token(conn: &mut DbConn, token: &ApiToken) -> Result<(), DbError> {
    diesel::insert_into(api_tokens::table).values(token).execute(conn)?;
    Ok(())
}

/// The owner of the unrevoked token with this hash, if any.
///
/// # Errors
/// On a database error.
pub fn find_user_by_token_hash(conn: &mut DbConn, token_hash: &str) -> Result<Option<(ApiToken, User)>, DbError> {
    Ok(api_tokens::table
        .inner_join(users::table)
        .filter(api_tokens::token_hash.eq(token_hash))
        .filter(api_tokens::revoked_at.is_null())
        .select((ApiToken::as_select(), User::as_select()))
        .first(conn)
        .optional()?)
}

/// Records when a token was last used, so its owner can spot one they no longer use.
///
/// # Errors
/// On a database error.
pub fn touch_api_token(conn: &mut DbConn, token_id: &str, at: NaiveDateTime) -> Result<(), DbError> {
    diesel::update(api_tokens::table.find(token_id)).set(api_tokens::last_used_at.eq(Some(at))).execute(conn)?;
    Ok(())
}

/// Sets a user's status (`domain::vocabulary::UserStatus` text).
///
/// # Errors
/// On a database error.
pub fn update_user_status(
    conn: &mut DbConn,
    user_id: &UserId,
    status: UserStatus,
    at: NaiveDateTime,
) -> Result<(), DbError> {
    diesel::update(users::table.find(user_id))
        .set((users::status.eq(status.as_str()), users::updated_at.eq(at)))
        .execute(conn)?;
    Ok(())
}

/// # Errors
/// On a database error.
pub fn update_password_hash(conn: &mut DbConn, user_id: &UserId, hash: &str, at: NaiveDateTime) -> Result<(), DbError> {
    diesel::update(users::table.find(user_id))
        .set((users::password_hash.eq(Some(hash)), users::updated_at.eq(at)))
        .execute(conn)?;
    Ok(())
}

/// Removes a user's password, so nobody can log in with it; the holder of the next link
/// chooses one.
///
/// # Errors
/// On a database error.
pub fn clear_password_hash(conn: &mut DbConn, user_id: &UserId, at: NaiveDateTime) -> Result<(), DbError> {
    diesel::update(users::table.find(user_id))
        .set((users::password_hash.eq(None::<String>), users::updated_at.eq(at)))
        .execute(conn)?;
    Ok(())
}

/// # Errors
/// On a database error.
pub fn update_user_name(conn: &mut DbConn, user_id: &UserId, name: &str, at: NaiveDateTime) -> Result<(), DbError> {
    diesel::update(users::table.find(user_id)).set((users::name.eq(name), users::updated_at.eq(at))).execute(conn)?;
    Ok(())
}

/// # Errors
/// On a database error, including an address another account has.
pub fn update_user_email(conn: &mut DbConn, user_id: &UserId, email: &str, at: NaiveDateTime) -> Result<(), DbError> {
    diesel::update(users::table.find(user_id)).set((users::email.eq(email), users::updated_at.eq(at))).execute(conn)?;
    Ok(())
}

/// # Errors
/// On a database error.
pub fn update_user_locale(conn: &mut DbConn, user_id: &UserId, locale: &str, at: NaiveDateTime) -> Result<(), DbError> {
    diesel::update(users::table.find(user_id))
        .set((users::locale.eq(locale), users::updated_at.eq(at)))
        .execute(conn)?;
    Ok(())
}

/// A user's API tokens, revoked ones included, newest first.
///
/// # Errors
/// On a database error.
pub fn list_api_tokens(conn: &mut DbConn, user_id: &UserId) -> Result<Vec<ApiToken>, DbError> {
    Ok(api_tokens::table
        .filter(api_tokens::user_id.eq(user_id))
        .order(api_tokens::created_at.desc())
        .select(ApiToken::as_select())
        .load(conn)?)
}

/// Revokes one of the user's own unrevoked tokens; returns whether one was revoked (someone
/// else's token id revokes nothing).
///
/// # Errors
/// On a database error.
pub fn revoke_api_token(
    conn: &mut DbConn,
    user_id: &UserId,
    token_id: &str,
    at: NaiveDateTime,
) -> Result<bool, DbError> {
    let changed = diesel::update(
        api_tokens::table
            .filter(api_tokens::id.eq(token_id))
            .filter(api_tokens::user_id.eq(user_id))
            .filter(api_tokens::revoked_at.is_null()),
    )
    .set(api_tokens::revoked_at.eq(Some(at)))
    .execute(conn)?;
    Ok(changed == 1)
}

/// Revokes every unrevoked token of the user; returns how many.
///
/// # Errors
/// On a database error.
pub fn revoke_all_api_tokens(conn: &mut DbConn, user_id: &UserId, at: NaiveDateTime) -> Result<usize, DbError> {
    Ok(diesel::update(
        api_tokens::table.filter(api_tokens::user_id.eq(user_id)).filter(api_tokens::revoked_at.is_null()),
    )
    .set(api_tokens::revoked_at.eq(Some(at)))
    .execute(conn)?)
}
