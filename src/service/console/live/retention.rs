//! Access-log retention: each hub's entries older than its operator's
//! `access_log_retention_days` are deleted, once a day, and every pass is recorded per hub in
//! `job_runs` so the console can say when the log was last cleaned. The same pass deletes the
//! guest invitations (names, addresses) of bookings that ended before that cutoff.

use chrono::{DateTime, Duration, Utc};

use crate::db::access_log::delete_access_events_before;
use crate::db::guests::delete_guests_of_bookings_ended_before;
use crate::db::job_runs::{self, JobRun};
use crate::db::{self, catalog};
use crate::service::{ServiceError, UnitOfWork, from_db_time, to_db_time};

/// The job's name in `job_runs`.
pub const RETENTION_JOB: &str = "access_log_retention";
/// A pass is due this long after the previous one started.
pub const RETENTION_EVERY: Duration = Duration::days(1);
/// The job's own records are kept this long.
const RUNS_KEPT: Duration = Duration::days(400);

/// Deletes every hub's entries past its operator's retention, each hub in its own transaction
/// with its `job_runs` record; returns how many entries were deleted in all.
///
/// # Errors
/// On a database failure; hubs done before it stay done.
pub fn purge_access_log(tx: &mut UnitOfWork<'_>, now: DateTime<Utc>) -> Result<usize, ServiceError> {
    let operators = catalog::list_operators(tx)?;
    let mut deleted = 0;
    for hub in catalog::list_hubs(tx)? {
        let days = operators.iter().find(|op| op.id == hub.operator_id).map_or(0, |op| op.access_log_retention_days);
        if days < 1 {
            // Without a valid setting nothing is deleted: losing the log is worse than keeping it.
            tracing::warn!(hub.id = %hub.id, "no access-log retention for the hub's operator; skipped");
            continue;
        }
        let cutoff = to_db_time(now - Duration::days(i64::from(days)));
        deleted += tx.write_transaction(|tx| {
            let count = delete_access_events_before(tx, &hub.id, cutoff)?;
            // Guests' names and addresses go with the access log that could name them.
            let guests = delete_guests_of_bookings_ended_before(tx, &hub.id, cutoff)?;
            if guests > 0 {
                tracing::info!(hub.id = %hub.id, guests, "guest invitations of long-past bookings deleted");
            }
            job_runs::insert_job_run(
                tx,
                &JobRun {
                    id: db::new_id(),
                    job: RETENTION_JOB.to_owned(),
                    hub_id: Some(hub.id.clone()),
                    started_at: to_db_time(now),
                    finished_at: to_db_time(now),
                    rows_deleted: i32::try_from(count).unwrap_or(i32::MAX),
                },
            )?;
            Ok::<usize, ServiceError>(count)
        })?;
    }
    tx.write_transaction(|tx| job_runs::delete_job_runs_before(tx, RETENTION_JOB, to_db_time(now - RUNS_KEPT)))?;
    if deleted > 0 {
        tracing::info!(deleted, "old access-log entries deleted");
    }
    Ok(deleted)
}

/// Runs [`purge_access_log`] when no pass started within the last [`RETENTION_EVERY`];
/// returns what it deleted, or `None` when it was not due.
///
/// # Errors
/// On a database failure.
pub fn purge_access_log_if_due(tx: &mut UnitOfWork<'_>, now: DateTime<Utc>) -> Result<Option<usize>, ServiceError> {
    let due =
        job_runs::last_job_start(tx, RETENTION_JOB)?.is_none_or(|last| from_db_time(last) + RETENTION_EVERY <= now);
    if due { purge_access_log(tx, now).map(Some) } else { Ok(None) }
}
