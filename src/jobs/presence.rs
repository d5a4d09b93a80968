//! The presence jobs: releasing no-shows (every minute) and folding week-old presence readings
//! into 5-minute aggregates (hourly). Each pass is a public function tests call directly.

use crate::service::ServiceError;
use crate::service::presence;
use crate::state::AppState;

/// Releases the bookings whose no-show window has passed without a check-in; returns how many.
///
/// # Errors
/// On a database failure.
pub async fn release_no_shows(state: &AppState) -> Result<usize, ServiceError> {
    let now = state.clock.now();
    let ctx = state.context.clone();
    let released = state.db(move |conn| presence::release_no_shows(conn, &ctx, now)).await?;
    state.metrics.bookings_released(crate::metrics::ReleaseReason::NoShow, released);
    if released > 0 {
        tracing::info!(released, "no-show bookings released");
    }
    Ok(released)
}

/// Folds raw readings older than seven days into aggregates; returns how many were folded.
///
/// # Errors
/// On a database failure.
pub async fn fold_presence(state: &AppState) -> Result<usize, ServiceError> {
    let now = state.clock.now();
    state.db(move |conn| presence::fold_old_readings(conn, now)).await
}
