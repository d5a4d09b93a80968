//! Browser sessions: starting one at login (always with a fresh id, so an id planted before login
//! is worthless), resuming it on each request while it is neither idle too long nor past its
//! absolute end, and ending it at logout, on a password change or when the account is blocked.
//!
//! The session id is 32 random bytes handed to the browser once; the database keeps its SHA-256.

use chrono::{DateTime, Duration, Utc};

use super::accounts::{random_urlsafe, token_hash};
use super::{ServiceError, from_db_time, to_db_time};
use crate::db::sessions::{self as session_rows, SessionRow};
use crate::db::users::User;
use crate::domain::account::SessionLifetime;
use crate::domain::ids::UserId;
use crate::domain::vocabulary::UserStatus;
use crate::service::UnitOfWork;

/// Activity (of a session, of an API token) is written at most this often, so reading pages or
/// the API does not write on every request: on SQLite every write takes the one writer's turn.
pub(crate) const TOUCH_EVERY: Duration = Duration::seconds(60);

/// A session just started: the id goes into the cookie, the token into the forms.
#[derive(Debug, Clone)]
pub struct NewSession {
    pub id: String,
    pub csrf_token: String,
}

/// A valid session and its (active) user.
#[derive(Debug, Clone)]
pub struct LiveSession {
    pub session: SessionRow,
    pub user: User,
}

/// Starts a session for `user_id`. The session the browser had before (`previous_id`), if any,
/// is ended; stale sessions of everyone are swept while we write anyway.
///
/// # Errors
/// On a database error.
pub fn start_session(
    tx: &mut UnitOfWork<'_>,
    user_id: &UserId,
    previous_id: Option<&str>,
    lifetime: SessionLifetime,
    now: DateTime<Utc>,
) -> Result<NewSession, ServiceError> {
    let new = NewSession { id: random_urlsafe(32), csrf_token: random_urlsafe(32) };
    tx.write_transaction(|tx| {
        if let Some(previous) = previous_id {
            session_rows::delete_session(tx, &token_hash(previous))?;
        }
        session_rows::delete_stale_sessions(tx, to_db_time(now), to_db_time(now - lifetime.idle))?;
        session_rows::insert_session(
            tx,
            &SessionRow {
                id_hash: token_hash(&new.id),
                user_id: user_id.to_owned(),
                csrf_token: new.csrf_token.clone(),
                created_at: to_db_time(now),
                last_seen_at: to_db_time(now),
                expires_at: to_db_time(now + lifetime.max),
            },
        )?;
        Ok::<_, ServiceError>(())
    })?;
    Ok(new)
}

/// The session with this id if it is still valid and its user may act; records the activity.
/// An expired session, or one of a user who is no longer active, is deleted and gives `None`.
///
/// # Errors
/// On a database error.
pub fn resume_session(
    tx: &mut UnitOfWork<'_>,
    session_id: &str,
    lifetime: SessionLifetime,
    now: DateTime<Utc>,
) -> Result<Option<LiveSession>, ServiceError> {
    let id_hash = token_hash(session_id);
    let Some((session, user)) = session_rows::find_session_with_user(tx, &id_hash)? else {
        return Ok(None);
    };
    let alive = lifetime.is_alive(from_db_time(session.last_seen_at), from_db_time(session.expires_at), now);
    let active = user.status == UserStatus::Active;
    if !alive || !active {
        tx.write_transaction(|tx| session_rows::delete_session(tx, &id_hash))?;
        tracing::info!(user.id = %user.id, expired = !alive, "session ended on its next request");
        return Ok(None);
    }
    if now - from_db_time(session.last_seen_at) >= TOUCH_EVERY {
        tx.write_transaction(|tx| session_rows::touch_session(tx, &id_hash, to_db_time(now)))?;
    }
    Ok(Some(LiveSession { session, user }))
}

/// Ends the session with this id (logout). Ending one that is gone already is fine.
///
/// # Errors
/// On a database error.
pub fn end_session(tx: &mut UnitOfWork<'_>, session_id: &str) -> Result<(), ServiceError> {
    tx.write_transaction(|tx| session_rows::delete_session(tx, &token_hash(session_id)))?;
    Ok(())
}

/// Ends every session of the user, except the one with id `keep` if given.
///
/// # Errors
/// On a database error.
pub fn end_user_sessions(tx: &mut UnitOfWork<'_>, user_id: &UserId, keep: Option<&str>) -> Result<usize, ServiceError> {
    let keep_hash = keep.map(token_hash);
    tx.write_transaction(|tx| Ok(session_rows::delete_user_sessions(tx, user_id, keep_hash.as_deref())?))
}
