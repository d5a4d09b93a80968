//! The access log of a hub as the console lists and exports it: every door decision and door
//! event the bridges reported, filtered by door, person, kind and time, newest first.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;

use crate::db::DbConn;
use crate::db::access_log::{self as rows, AccessLogEntry, AccessLogQuery};
use crate::db::catalog::{self, Door, Hub};
use crate::db::job_runs::{self, JobRun};
use crate::service::console::StaffScope;
use crate::service::{ServiceError, to_db_time};

use super::retention::RETENTION_JOB;

/// Every kind of entry the bridge link stores (`access_events.kind`), in the order the filter
/// offers them.
pub const ACCESS_EVENT_KINDS: [&str; 17] = [
    "granted",
    "denied",
    "maintenance_granted",
    "executed",
    "not_executed",
    "remote_unlock_requested",
    "remote_unlock_executed",
    "remote_unlock_failed",
    "held_open",
    "forced_open",
    "controller_silent",
    "controller_back",
    "field_io_fault",
    "locked_out",
    "alarm_cleared",
    "door_state",
    "other",
];

/// The most rows one CSV export holds.
pub const MAX_EXPORT_ROWS: i64 = 100_000;

/// What to list; every part is optional. `until` is exclusive.
#[derive(Debug, Clone, Default)]
pub struct AccessLogFilter {
    pub door_id: Option<String>,
    pub person: Option<String>,
    pub kind: Option<String>,
    pub from: Option<DateTime<Utc>>,
    pub until: Option<DateTime<Utc>>,
}

/// One page of the log.
#[derive(Debug, Clone)]
pub struct AccessLogPage {
    pub hub: Hub,
    /// The hub's doors, for the door filter.
    pub doors: Vec<Door>,
    pub entries: Vec<AccessLogEntry>,
    pub has_more: bool,
    /// How long the operator keeps the log.
    pub retention_days: i32,
    /// The retention job's latest pass over this hub.
    pub last_cleaned: Option<JobRun>,
}

/// Page `page` (0-based) of `page_size` entries of the hub's log.
///
/// # Errors
/// `NotFound` for a hub outside the scope or a door of another hub; `Invalid` for an unknown
/// kind; on a database error.
pub fn access_log_page(
    conn: &mut DbConn,
    scope: &StaffScope,
    hub: &str,
    filter: &AccessLogFilter,
    page: u32,
    page_size: u32,
) -> Result<AccessLogPage, ServiceError> {
    let (hub, doors, query) = resolve(conn, scope, hub, filter)?;
    let offset = i64::from(page) * i64::from(page_size);
    let mut entries = rows::list_access_log(conn, &query, offset, i64::from(page_size) + 1)?;
    let has_more = entries.len() > page_size as usize;
    entries.truncate(page_size as usize);
    let retention_days = catalog::find_operator(conn, &hub.operator_id)?.map_or(0, |op| op.access_log_retention_days);
    let last_cleaned = job_runs::latest_job_run(conn, RETENTION_JOB, &hub.id)?;
    Ok(AccessLogPage { hub, doors, entries, has_more, retention_days, last_cleaned })
}

/// The time zone of the hub (slug or id) if `scope` runs it: the filter's times are typed in it.
///
/// # Errors
/// `NotFound` outside the scope; on a database error.
pub fn hub_zone(conn: &mut DbConn, scope: &StaffScope, hub: &str) -> Result<Tz, ServiceError> {
    Ok(scope.hub(conn, hub)?.zone())
}

/// Every entry of the filtered range (at most [`MAX_EXPORT_ROWS`]), for the CSV export.
///
/// # Errors
/// As [`access_log_page`].
pub fn access_log_export(
    conn: &mut DbConn,
    scope: &StaffScope,
    hub: &str,
    filter: &AccessLogFilter,
) -> Result<(Hub, Vec<AccessLogEntry>), ServiceError> {
    let (hub, _, query) = resolve(conn, scope, hub, filter)?;
    let entries = rows::list_access_log(conn, &query, 0, MAX_EXPORT_ROWS)?;
    Ok((hub, entries))
}

/// The hub (inside the scope), its doors and the query; a door filter naming another hub's
/// door is `NotFound`.
fn resolve(
    conn: &mut DbConn,
    scope: &StaffScope,
    hub: &str,
    filter: &AccessLogFilter,
) -> Result<(Hub, Vec<Door>, AccessLogQuery), ServiceError> {
    let hub = scope.hub(conn, hub)?;
    let doors: Vec<Door> = catalog::list_doors(conn, &hub.id)?.into_iter().map(|(door, _)| door).collect();
    if let Some(door_id) = &filter.door_id {
        let door = doors.iter().find(|d| &d.id == door_id).ok_or(ServiceError::NotFound)?;
        scope.require_in(&door.hub_id, &hub)?;
    }
    if let Some(kind) = &filter.kind
        && !ACCESS_EVENT_KINDS.contains(&kind.as_str())
    {
        return Err(ServiceError::Invalid {
            field: "kind",
            code: "unknown_kind",
            message: format!("unknown kind {kind:?}"),
        });
    }
    let query = AccessLogQuery {
        hub_id: hub.id.clone(),
        door_id: filter.door_id.clone(),
        person: filter.person.clone(),
        kind: filter.kind.clone(),
        from: filter.from.map(to_db_time),
        until: filter.until.map(to_db_time),
    };
    Ok((hub, doors, query))
}
