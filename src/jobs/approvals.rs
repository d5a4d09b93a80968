//! The booking life-cycle job: every minute, requests not decided by their start are declined
//! (and the member mailed), and bookings that have ended become completed. The rules and their
//! exactly-once guarantee are in `service::approvals`; each pass is a public function tests call
//! directly.

use crate::service::{ServiceError, approvals};
use crate::state::AppState;

/// What one pass did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct LifeCycleReport {
    /// Requests declined because nobody decided them by their start.
    pub requests_declined: usize,
    /// Bookings that ended and were completed.
    pub completed: usize,
}

/// Declines the requests whose start has come without a decision; returns how many.
///
/// # Errors
/// On a database failure.
pub async fn decline_undecided_requests(state: &AppState) -> Result<usize, ServiceError> {
    let now = state.clock.now();
    let ctx = state.context.clone();
    let declined = state.db(move |conn| approvals::decline_undecided_requests(conn, &ctx, now)).await?;
    if declined > 0 {
        tracing::info!(declined, "booking requests not decided in time declined");
    }
    Ok(declined)
}

/// Completes the confirmed and checked-in bookings that have ended; returns how many.
///
/// # Errors
/// On a database failure.
pub async fn complete_ended_bookings(state: &AppState) -> Result<usize, ServiceError> {
    let now = state.clock.now();
    let completed = state.db(move |conn| approvals::complete_ended_bookings(conn, now)).await?;
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
