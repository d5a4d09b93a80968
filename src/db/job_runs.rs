//! Rows and queries of `job_runs`: what a periodic job did in one pass (per hub where it works
//! per hub), so the console can show it and a job can tell whether it is due.

use crate::domain::ids::HubId;
use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::job_runs;
use super::{DbConn, DbError};

/// One pass of a job.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = job_runs)]
pub struct JobRun {
    pub id: String,
    pub job: String,
    pub hub_id: Option<HubId>,
    pub started_at: NaiveDateTime,
    pub finished_at: NaiveDateTime,
    pub rows_deleted: i32,
}

/// # Errors
/// On a database error.
pub fn insert_job_run(conn: &mut DbConn, run: &JobRun) -> Result<(), DbError> {
    diesel::insert_into(job_runs::table).values(run).execute(conn)?;
    Ok(())
}

/// The job's newest pass for this hub, if any.
///
/// # Errors
/// On a database error.
pub fn latest_job_run(conn: &mut DbConn, job: &str, hub_id: &HubId) -> Result<Option<JobRun>, DbError> {
    Ok(job_runs::table
        .filter(job_runs::job.eq(job))
        .filter(job_runs::hub_id.eq(hub_id))
        .order((job_runs::finished_at.desc(), job_runs::id.desc()))
        .select(JobRun::as_select())
        .first(conn)
        .optional()?)
}

/// When the job last started a pass (any hub), if ever.
///
/// # Errors
/// On a database error.
pub fn last_job_start(conn: &mut DbConn, job: &str) -> Result<Option<NaiveDateTime>, DbError> {
    Ok(job_runs::table.filter(job_runs::job.eq(job)).select(diesel::dsl::max(job_runs::started_at)).first(conn)?)
}

/// Forgets the job's passes that finished before `before`; returns how many.
///
/// # Errors
/// On a database error.
pub fn delete_job_runs_before(conn: &mut DbConn, job: &str, before: NaiveDateTime) -> Result<usize, DbError> {
    Ok(diesel::delete(job_runs::table.filter(job_runs::job.eq(job)).filter(job_runs::finished_at.lt(before)))
        .execute(conn)?)
}
