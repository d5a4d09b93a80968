//! Queries of the console's access log: a hub's door decisions and door events, filtered, with
//! the door's name and the booker's name and e-mail; and deleting entries past retention.

use crate::domain::ids::{DoorId, HubId};
use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::access::AccessEventRow;
use super::schema::{access_events, bookings, doors, users};
use super::{DbConn, DbError, contains_ignoring_case, contains_pattern};

/// Which entries of one hub to list. Times are stored (UTC) times; `person` is matched as a
/// case-insensitive part of the booker's name or e-mail address.
#[derive(Debug, Clone)]
pub struct AccessLogQuery {
    pub hub_id: HubId,
    pub door_id: Option<DoorId>,
    pub person: Option<String>,
    pub kind: Option<String>,
    pub from: Option<NaiveDateTime>,
    pub until: Option<NaiveDateTime>,
}

/// One entry with what the console shows beside it.
#[derive(Debug, Clone)]
pub struct AccessLogEntry {
    pub event: AccessEventRow,
    pub door_name: Option<String>,
    pub person_name: Option<String>,
    pub person_email: Option<String>,
}

/// An entry as loaded: the row, the door's name, the booker's name and e-mail.
type EntryRow = (AccessEventRow, Option<String>, Option<String>, Option<String>);

/// The entries matching `query`, newest first, skipping `offset` and at most `limit`.
///
/// # Errors
/// On a database error.
pub fn list_access_log(
    conn: &mut DbConn,
    query: &AccessLogQuery,
    offset: i64,
    limit: i64,
) -> Result<Vec<AccessLogEntry>, DbError> {
    let mut select = access_events::table
        .left_join(doors::table.on(doors::id.nullable().eq(access_events::door_id)))
        .left_join(bookings::table.on(bookings::id.nullable().eq(access_events::booking_id)))
        .left_join(users::table.on(users::id.nullable().eq(bookings::user_id)))
        .filter(access_events::hub_id.eq(query.hub_id.clone()))
        .select((AccessEventRow::as_select(), doors::name.nullable(), users::name.nullable(), users::email.nullable()))
        .order((access_events::occurred_at.desc(), access_events::id.desc()))
        .offset(offset)
        .limit(limit)
        .into_boxed();
    if let Some(door_id) = &query.door_id {
        select = select.filter(access_events::door_id.eq(door_id.clone()));
    }
    if let Some(kind) = &query.kind {
        select = select.filter(access_events::kind.eq(kind.clone()));
    }
    if let Some(from) = query.from {
        select = select.filter(access_events::occurred_at.ge(from));
    }
    if let Some(until) = query.until {
        select = select.filter(access_events::occurred_at.lt(until));
    }
    if let Some(pattern) = query.person.as_deref().and_then(contains_pattern) {
        select = select.filter(
            contains_ignoring_case(users::name, pattern.clone()).or(contains_ignoring_case(users::email, pattern)),
        );
    }
    let rows: Vec<EntryRow> = select.load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(event, door_name, person_name, person_email)| AccessLogEntry {
            event,
            door_name,
            person_name,
            person_email,
        })
        .collect())
}

/// Deletes the hub's entries that happened before `before`; returns how many.
///
/// # Errors
/// On a database error.
pub fn delete_access_events_before(conn: &mut DbConn, hub_id: &HubId, before: NaiveDateTime) -> Result<usize, DbError> {
    Ok(diesel::delete(
        access_events::table.filter(access_events::hub_id.eq(hub_id)).filter(access_events::occurred_at.lt(before)),
    )
    .execute(conn)?)
}
