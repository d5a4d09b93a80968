//! What every request handler and background job shares: the database pool, the clock, the
//! settings, the use cases' context and the mailer. Database work runs on a blocking thread,
//! never on the async executor.

use std::sync::Arc;

use tracing::Instrument;

use crate::clock::Clock;
use crate::config::Settings;
use crate::db::{DbConn, DbError, DbPool};
use crate::mail::{self, Mailer};
use crate::service::bridge_link::signals::take_access_marks;
use crate::service::bridge_link::{HubSignals, SnapshotVersions};
use crate::service::password_gate::PasswordGate;
use crate::service::{ServiceContext, ServiceError};

/// Shared application state.
#[derive(Clone)]
pub struct AppState {
    pub pool: DbPool,
    pub clock: Clock,
    pub settings: Arc<Settings>,
    /// Password hashing and checking, off the executor and at most one per core.
    pub passwords: PasswordGate,
    /// Handed to the use cases: the PIN key and the addresses mails link to.
    pub context: ServiceContext,
    /// Sends what the outbox holds; tests read the memory transport's mailbox through it.
    pub mailer: Mailer,
    /// Fresh PINs waiting to be shown once on the booking page.
    pub pin_reveals: crate::web::pin_reveal::PinReveals,
    /// Wakes bridges long-polling for their hub's snapshot or commands after a change commits.
    pub hub_signals: HubSignals,
    /// Numbers each hub's access snapshots so that a newer one always has a higher version.
    pub snapshot_versions: SnapshotVersions,
    /// Wakes the console's live dashboards of a hub when its bridge reported events (presence,
    /// door states, alarms) or an alarm was acknowledged; access changes wake them through `hub_signals`.
    pub dashboards: HubSignals,
    /// One permit per pooled connection: database work waits for a permit on the executor,
    /// not on a blocking thread. Without it a burst of requests (a login storm) parks one
    /// blocking thread per request in the pool's checkout, and every such thread keeps its
    /// allocator arena resident long after the burst.
    pub db_slots: Arc<tokio::sync::Semaphore>,
}

impl AppState {
    /// Runs `work` with a pooled connection on a blocking thread, inside the caller's span. When
    /// `work` queued a mail, the mail job is woken once the work (and its commit) is done; when it
    /// changed who may open a door, the hub's waiting bridges are.
    ///
    /// # Errors
    /// `work`'s error, or `Db(Busy)` / `Db(Pool)` when no connection is free in time.
    pub async fn db<T, F>(&self, work: F) -> Result<T, ServiceError>
    where
        F: FnOnce(&mut DbConn) -> Result<T, ServiceError> + Send + 'static,
        T: Send + 'static,
    {
        let checkout = std::time::Duration::from_millis(self.settings.db_checkout_timeout_ms);
        let _slot = match tokio::time::timeout(checkout, self.db_slots.clone().acquire_owned()).await {
            Ok(Ok(permit)) => permit,
            Ok(Err(_)) | Err(_) => return Err(ServiceError::Db(DbError::Busy)),
        };
        let pool = self.pool.clone();
        let span = tracing::Span::current();
        let (result, queued_mail, access_changes) = tokio::task::spawn_blocking(move || {
            let _entered = span.enter();
            // A mark left by earlier work on this pooled thread is not ours.
            mail::outbox::take_enqueued_mark();
            take_access_marks();
            let result =
                pool.get().map_err(|e| ServiceError::from(DbError::from(e))).and_then(|mut conn| work(&mut conn));
            (result, mail::outbox::take_enqueued_mark(), take_access_marks())
        })
        .in_current_span()
        .await
        .map_err(|join_error| ServiceError::Db(DbError::Task(join_error.to_string())))?;
        if queued_mail && result.is_ok() {
            self.mailer.wake();
        }
        if result.is_ok() {
            for hub_id in access_changes {
                self.hub_signals.notify(hub_id.as_deref());
            }
        }
        result
    }
}
