//! Queries of the console's access log: a hub's door decisions and door events, filtered, with
//! the door's name and the booker's name and e-mail; and deleting entries past retention.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel::sql_types::Text;

use super::access::AccessEventRow;
use super::schema::{access_events, bookings, doors, users};
use super::{DbConn, DbError};

#[diesel::declare_sql_function]
extern "SQL" {
    /// SQL `lower()`: the person filter ignores case on both backends.
    fn lower(text: Text) -> Text;
}

/// Which entries of one hub to list. Times are stored (UTC) times; `person` is matched as a
/// case-insensitive part of the booker's name or e-mail address.
#[derive(Debug, Clone, Default)]
pub struct AccessLogQuery {
    pub hub_id: String,
    pub door_id: Option<String>,
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
    if let Some(person) = &query.person {
        let pattern = format!("%{}%", escape_like(&person.to_lowercase()));
        select = select.filter(
            lower(users::name).like(pattern.clone()).escape('\\').or(lower(users::email).like(pattern).escape('\\')),
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

/// `%`, `_` and the escape character itself match literally.
fn escape_like(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            escaped.push('\\');
        }
        escaped.push(c);
    }
    escaped
}

/// Deletes the hub's entries that happened before `before`; returns how many.
///
/// # Errors
/// On a database error.
pub fn delete_access_events_before(conn: &mut DbConn, hub_id: &str, before: NaiveDateTime) -> Result<usize, DbError> {
    Ok(diesel::delete(
        access_events::table.filter(access_events::hub_id.eq(hub_id)).filter(access_events::occurred_at.lt(before)),
    )
    .execute(conn)?)
}

#[cfg(test)]
mod tests {
    use super::escape_like;

    #[test]
    fn wildcards_in_a_search_match_only_themselves() {
        assert_eq!(escape_like("50%_a\\b"), "50\\%\\_a\\\\b");
        assert_eq!(escape_like("müller"), "müller");
    }
}
