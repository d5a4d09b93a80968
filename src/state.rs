//! What every request handler and background job shares: the database pool, the clock and
//! the settings. Database work runs on a blocking thread, never on the async executor.

use std::sync::Arc;

use tracing::Instrument;

use crate::clock::Clock;
use crate::config::Settings;
use crate::db::{DbConn, DbError, DbPool};
use crate::service::ServiceError;
use crate::service::password_gate::PasswordGate;

/// Shared application state.
#[derive(Clone)]
pub struct AppState {
    pub pool: DbPool,
    pub clock: Clock,
    pub settings: Arc<Settings>,
    /// Password hashing and checking, off the executor and at most one per core.
    pub passwords: PasswordGate,
}

impl AppState {
    /// Runs `work` with a pooled connection on a blocking thread, inside the caller's span.
    ///
    /// # Errors
    /// `work`'s error, or `Db(Pool)` when no connection is free in time.
    pub async fn db<T, F>(&self, work: F) -> Result<T, ServiceError>
    where
        F: FnOnce(&mut DbConn) -> Result<T, ServiceError> + Send + 'static,
        T: Send + 'static,
    {
        let pool = self.pool.clone();
        let span = tracing::Span::current();
        tokio::task::spawn_blocking(move || {
            let _entered = span.enter();
            let mut conn = pool.get().map_err(DbError::from)?;
            work(&mut conn)
        })
        .in_current_span()
        .await
        .map_err(|join_error| ServiceError::Db(DbError::Task(join_error.to_string())))?
    }
}
