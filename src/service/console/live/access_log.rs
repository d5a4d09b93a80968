//! The access log of a hub as the console lists and exports it: every door decision and door
//! event the bridges reported, filtered by door, person, kind and time, newest first.

use chrono::{DateTime, Utc};

use crate::db::DbConn;
use crate::db::access_log::{self as rows, AccessLogEntry, AccessLogQuery};
use crate::db::catalog::{self, Door, Hub};
use crate::db::job_runs::{self, JobRun};
use crate::domain::ids::DoorId;
use crate::service::ErrorCode;
use crate::service::console::StaffScope;
use crate::service::{ServiceError, to_db_time};

use super::retention::RETENTION_JOB;

/// Every kind of entry the bridge link stores (`access_events.kind`), in the order the filter
/// offers them.
pub const ACCESS_EVENT_KINDS: [&str; 19] = [
    "granted",
    "checked_in",
    "denied",
    "maintenance_granted",
    "executed",
    "not_executed",
    "remote_unlock_requested",
    "remote_unlock_executed",
    "remote_unlock_failed",
    "staff_unlock",
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
    pub door_id: Option<DoorId>,
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

/// The hub (slug or id) if `scope` runs it: the filter's times are typed in its zone, so the
/// caller reads the filter after this and then asks for [`access_log_page`] or
/// [`access_log_export`] with the hub, on the same connection.
///
/// # Errors
/// `NotFound` outside the scope; on a database error.
pub fn hub(conn: &mut DbConn, scope: &StaffScope, hub: &str) -> Result<Hub, ServiceError> {
    scope.hub(conn, hub)
}

/// Page `page` (0-based) of `page_size` entries of the log of `hub` (from [`hub`]). Without a
/// filter (the typed one could not be read) the page lists no entries, only what the form needs.
///
/// # Errors
/// `NotFound` for a hub outside the scope or a door of another hub; `Invalid` for an unknown
/// kind; on a database error.
pub fn access_log_page(
    conn: &mut DbConn,
    scope: &StaffScope,
    hub: Hub,
    filter: Option<&AccessLogFilter>,
    page: u32,
    page_size: u32,
) -> Result<AccessLogPage, ServiceError> {
    // The hub comes from [`hub`]; checking it again costs no query and keeps any other out.
    scope.require_in(&hub.id, &hub)?;
    let doors: Vec<Door> = catalog::list_doors(conn, &hub.id)?.into_iter().map(|(door, _)| door).collect();
    let (entries, has_more) = match filter {
        Some(filter) => {
            let query = query(&hub, &doors, filter)?;
            let offset = i64::from(page) * i64::from(page_size);
            let mut entries = rows::list_access_log(conn, &query, offset, i64::from(page_size) + 1)?;
            let has_more = entries.len() > page_size as usize;
            entries.truncate(page_size as usize);
            (entries, has_more)
        }
        None => (Vec::new(), false),
    };
    let retention_days = catalog::find_operator(conn, &hub.operator_id)?.map_or(0, |op| op.access_log_retention_days);
    let last_cleaned = job_runs::latest_job_run(conn, RETENTION_JOB, &hub.id)?;
    Ok(AccessLogPage { hub, doors, entries, has_more, retention_days, last_cleaned })
}

/// Every entry of the filtered range of `hub` (from [`hub`]; at most [`MAX_EXPORT_ROWS`]), for
/// the CSV export.
///
/// # Errors
/// As [`access_log_page`].
pub fn access_log_export(
    conn: &mut DbConn,
    scope: &StaffScope,
    hub: &Hub,
    filter: &AccessLogFilter,
) -> Result<Vec<AccessLogEntry>, ServiceError> {
    // As in `access_log_page`: no query, and only a hub of the scope gets through.
    scope.require_in(&hub.id, hub)?;
    let doors: Vec<Door> = catalog::list_doors(conn, &hub.id)?.into_iter().map(|(door, _)| door).collect();
    let query = query(hub, &doors, filter)?;
    Ok(rows::list_access_log(conn, &query, 0, MAX_EXPORT_ROWS)?)
}

/// The query for the filter over the hub's log; a door filter naming none of the hub's `doors`
/// is `NotFound` (`doors` come from the hub, so a door found there is the hub's).
fn query(hub: &Hub, doors: &[Door], filter: &AccessLogFilter) -> Result<AccessLogQuery, ServiceError> {
    if let Some(door_id) = &filter.door_id
        && !doors.iter().any(|d| &d.id == door_id)
    {
        return Err(ServiceError::NotFound);
    }
    if let Some(kind) = &filter.kind
        && !ACCESS_EVENT_KINDS.contains(&kind.as_str())
    {
        return Err(ServiceError::Invalid {
            field: "kind",
            code: ErrorCode::UnknownKind,
            message: format!("unknown kind {kind:?}"),
        });
    }
    Ok(AccessLogQuery {
        hub_id: hub.id.clone(),
        door_id: filter.door_id.clone(),
        person: filter.person.clone(),
        kind: filter.kind.clone(),
        from: filter.from.map(to_db_time),
        until: filter.until.map(to_db_time),
    })
}
