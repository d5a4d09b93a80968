//! The access-log retention job: once a day (by the app clock, checked hourly) deletes access-log
//! entries past each operator's retention and records the pass. Each pass is a public function
//! tests call directly.

use std::time::Duration;

use tokio::sync::watch;

use crate::service::ServiceError;
use crate::service::console::live::retention;
use crate::state::AppState;

/// How often the job looks whether a day has passed since its last pass.
const CHECK_INTERVAL: Duration = Duration::from_secs(3600);
/// The first look comes this long after start: a restart should not begin with a bulk delete
/// while the service warms up, and a daily job loses nothing by waiting.
const FIRST_CHECK_AFTER: Duration = Duration::from_secs(600);

/// Deletes access-log entries past retention now; returns how many.
///
/// # Errors
/// On a database failure.
pub async fn purge_access_log(state: &AppState) -> Result<usize, ServiceError> {
    let now = state.clock.now();
    state.db(move |conn| retention::purge_access_log(conn, now)).await
}

/// Runs a pass when a day has passed since the last one; `None` when it was not due.
///
/// # Errors
/// On a database failure.
pub async fn purge_access_log_if_due(state: &AppState) -> Result<Option<usize>, ServiceError> {
    let now = state.clock.now();
    state.db(move |conn| retention::purge_access_log_if_due(conn, now)).await
}

/// The job's loop, started with the application.
pub async fn retention_loop(state: AppState, stopped: watch::Receiver<bool>) {
    let pass = || super::counted(&state, crate::metrics::Job::Retention, purge_access_log_if_due(&state));
    super::run_every("access-log retention pass", CHECK_INTERVAL, FIRST_CHECK_AFTER, stopped, super::never, pass).await;
}
