//! Rows and queries for the admin audit trail: who changed what in the console, and when.

use crate::domain::ids::{HubId, UserId};
use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::{audit_log, users};
use super::{DbConn, DbError};

/// One recorded change. `hub_id` is empty for changes that belong to no single hub (operators,
/// user roles given by an admin); only admins see those.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = audit_log)]
pub struct AuditRow {
    pub id: String,
    pub actor_id: Option<UserId>,
    pub hub_id: Option<HubId>,
    pub action: String,
    pub subject: String,
    pub details: String,
    pub created_at: NaiveDateTime,
}

/// # Errors
/// On a database error.
pub fn insert_audit(conn: &mut DbConn, row: &AuditRow) -> Result<(), DbError> {
    diesel::insert_into(audit_log::table).values(row).execute(conn)?;
    Ok(())
}

/// The newest entries first, with the actor's name (if the actor still exists). `hub_ids`
/// `None` means every entry (admins); `Some` limits to those hubs' entries.
///
/// # Errors
/// On a database error.
pub fn list_audit(
    conn: &mut DbConn,
    hub_ids: Option<&[HubId]>,
    limit: i64,
) -> Result<Vec<(AuditRow, Option<String>)>, DbError> {
    let mut query = audit_log::table
        .left_join(users::table.on(audit_log::actor_id.eq(users::id.nullable())))
        .select((AuditRow::as_select(), users::name.nullable()))
        .order((audit_log::created_at.desc(), audit_log::id.desc()))
        .limit(limit)
        .into_boxed();
    if let Some(hub_ids) = hub_ids {
        query = query.filter(audit_log::hub_id.eq_any(hub_ids.to_vec()));
    }
    Ok(query.load(conn)?)
}
