//! What every request handler and background job shares: the database pool, the clock, the
//! settings, the use cases' context, the mailer and the signals that wake bridges and dashboards.
//! Database work runs on a blocking thread, never on the async executor, as a unit of work whose
//! recorded effects are announced here once it is done.

use std::sync::Arc;

use tracing::Instrument;

use crate::clock::Clock;
use crate::config::Settings;
use crate::db::writer::SqliteWriter;
use crate::db::{DbError, DbPool};
use crate::mail::Mailer;
use crate::service::announcements::{self, InstanceId};
use crate::service::bridge_link::{HubSignals, SnapshotPacing};
use crate::service::catalogue::Catalogue;
use crate::service::password_gate::PasswordGate;
use crate::service::unit_of_work::Effects;
use crate::service::{ServiceContext, ServiceError, UnitOfWork};

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
    /// Spaces the changed snapshots this instance answers a bridge that brings another
    /// instance's version (at most one a second).
    pub snapshot_pacing: SnapshotPacing,
    /// Wakes the console's live dashboards of a hub when its bridge reported events (presence,
    /// door states, alarms), a lockdown was switched or an alarm was acknowledged; access changes
    /// wake them through `hub_signals`.
    pub dashboards: HubSignals,
    /// One permit per pooled connection: database work waits for a permit on the executor,
    /// not on a blocking thread. Without it a burst of requests (a login storm) parks one
    /// blocking thread per request in the pool's checkout, and every such thread keeps its
    /// allocator arena resident long after the burst.
    pub db_slots: Arc<tokio::sync::Semaphore>,
    /// This process among the instances on one PostgreSQL database (announcements name it).
    pub instance: InstanceId,
    /// SQLite's one writing connection, which every unit of work's write transactions queue
    /// for in order (`None` on PostgreSQL, whose writers use the pool).
    pub writer: Option<Arc<SqliteWriter>>,
    /// This app's Prometheus registry and counters (`/metrics`); its own, never the global one.
    pub metrics: crate::metrics::Metrics,
}

impl AppState {
    /// Runs `work` as a unit of work with a pooled connection on a blocking thread, inside the
    /// caller's span; on SQLite its write transactions run on the writer. Once `work` returned
    /// `Ok` (its transactions committed), the effects it recorded are announced: the mail job is
    /// woken for a queued mail, the hub's waiting bridges for an access change, its live
    /// dashboards for news — in this instance directly, and on PostgreSQL to the other
    /// instances through `NOTIFY` (`service::announcements`). An `Err` announces nothing.
    ///
    /// # Errors
    /// `work`'s error, or `Db(Busy)` / `Db(Pool)` when no connection is free in time.
    pub async fn db<T, F>(&self, work: F) -> Result<T, ServiceError>
    where
        F: FnOnce(&mut UnitOfWork<'_>) -> Result<T, ServiceError> + Send + 'static,
        T: Send + 'static,
    {
        let checkout = std::time::Duration::from_millis(self.settings.db_checkout_timeout_ms);
        let _slot = match tokio::time::timeout(checkout, self.db_slots.clone().acquire_owned()).await {
            Ok(Ok(permit)) => permit,
            Ok(Err(_)) | Err(_) => return Err(ServiceError::Db(DbError::Busy)),
        };
        let pool = self.pool.clone();
        let writer = self.writer.clone();
        let instance = self.instance.clone();
        let span = tracing::Span::current();
        let (value, effects) = tokio::task::spawn_blocking(move || {
            let _entered = span.enter();
            let mut conn = pool.get().map_err(|e| ServiceError::from(DbError::from(e)))?;
            let mut tx = UnitOfWork::with_writer(&mut conn, writer.as_deref());
            let value = work(&mut tx)?;
            let effects = tx.into_effects();
            if !effects.is_empty()
                && let Err(error) = announcements::send(&mut conn, &instance, &effects)
            {
                // Committed all the same; the others' safety re-check finds the change.
                tracing::warn!(%error, "could not announce a change to the other instances");
            }
            Ok::<_, ServiceError>((value, effects))
        })
        .in_current_span()
        .await
        .map_err(|join_error| ServiceError::Db(DbError::Task(join_error.to_string())))??;
        self.announce(&effects);
        Ok(value)
    }

    /// Runs `work` as [`AppState::db`] does, with the catalogue as the database holds it now (the
    /// kept copy, or a fresh one when its version moved): for reads of hubs, spaces and doors
    /// beside live bookings.
    ///
    /// # Errors
    /// As [`AppState::db`].
    pub async fn db_with_catalogue<T, F>(&self, work: F) -> Result<T, ServiceError>
    where
        F: FnOnce(&mut UnitOfWork<'_>, &Catalogue) -> Result<T, ServiceError> + Send + 'static,
        T: Send + 'static,
    {
        let kept = self.context.catalogue.clone();
        self.db(move |tx| {
            let catalogue = kept.current(tx)?;
            work(tx, &catalogue)
        })
        .await
    }

    /// Runs `work` as [`AppState::db`] does, inside one write transaction (on SQLite, on the
    /// writer): the short way for work that only writes, such as a job marking what it did.
    ///
    /// # Errors
    /// As [`AppState::db`].
    pub async fn write<T, F>(&self, work: F) -> Result<T, ServiceError>
    where
        F: FnOnce(&mut UnitOfWork<'_>) -> Result<T, ServiceError> + Send + 'static,
        T: Send + 'static,
    {
        self.db(move |tx| tx.write_transaction(work)).await
    }

    /// Wakes whoever waits for what a committed unit of work changed.
    fn announce(&self, effects: &Effects) {
        if effects.mail_queued() {
            self.mailer.wake();
        }
        for hub_id in effects.access_changed() {
            self.hub_signals.notify(hub_id);
        }
        for hub_id in effects.dashboards_changed() {
            self.dashboards.notify(Some(hub_id));
        }
    }
}
