//! The booking life-cycle job: every minute, requests not decided by their start are declined
//! (and the member mailed), and bookings that have ended become completed. The rules and their
//! exactly-once guarantee are in `service::approvals`; here each rule runs batch after batch (a
//! connection each, released in between) until a batch comes back short. Each pass is a public
//! function tests call directly.

use crate::service::approvals::{self, Batch};
use crate::service::{ServiceContext, ServiceError, UnitOfWork};
use crate::state::AppState;

/// The most batches of one rule in one pass; what is left waits for the next pass, so that one
/// pass over a long backlog does not run for long.
const MAX_BATCHES_PER_PASS: usize = 20;

/// What one pass did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct LifeCycleReport {
    /// Requests declined because nobody decided them by their start.
    pub requests_declined: usize,
    /// Bookings that ended and were completed.
    pub completed: usize,
}

/// Runs `batch` until one is not full (or the pass's limit is reached); returns how many
/// bookings the batches changed.
async fn in_batches<F>(state: &AppState, rule: &'static str, batch: F) -> Result<usize, ServiceError>
where
    F: Fn(&mut UnitOfWork<'_>, &ServiceContext) -> Result<Batch, ServiceError> + Clone + Send + 'static,
{
    let mut changed = 0;
    for _ in 0..MAX_BATCHES_PER_PASS {
        let (ctx, batch) = (state.context.clone(), batch.clone());
        let done = state.db(move |tx| batch(tx, &ctx)).await?;
        changed += done.changed;
        if !done.full {
            return Ok(changed);
        }
    }
    tracing::warn!(rule, changed, "life-cycle backlog left for the next pass");
    Ok(changed)
}

/// Declines the requests whose start has come without a decision; returns how many.
///
/// # Errors
/// On a database failure; the batches before it stay done.
pub async fn decline_undecided_requests(state: &AppState) -> Result<usize, ServiceError> {
    let now = state.clock.now();
    let declined =
        in_batches(state, "decline requests", move |conn, ctx| approvals::decline_undecided_requests(conn, ctx, now))
            .await?;
    if declined > 0 {
        tracing::info!(declined, "booking requests not decided in time declined");
    }
    Ok(declined)
}

/// Completes the confirmed and checked-in bookings that have ended; returns how many.
///
/// # Errors
/// On a database failure; the batches before it stay done.
pub async fn complete_ended_bookings(state: &AppState) -> Result<usize, ServiceError> {
    let now = state.clock.now();
    let completed =
        in_batches(state, "complete bookings", move |conn, _| approvals::complete_ended_bookings(conn, now)).await?;
    if completed > 0 {
        tracing::info!(completed, "ended bookings completed");
    }
    Ok(completed)
}

/// One pass of the job: both rules, the requests first.
///
/// # Errors
/// On a database failure; what the first rule did stays done.
pub async fn run_life_cycle(state: &AppState) -> Result<LifeCycleReport, ServiceError> {
    let requests_declined = decline_undecided_requests(state).await?;
    let completed = complete_ended_bookings(state).await?;
    Ok(LifeCycleReport { requests_declined, completed })
}
