//! The admin audit trail: every change made in the console is recorded with who, what and when,
//! in the same transaction as the change, so there is never a change without its entry.

use chrono::{DateTime, Utc};

use super::scope::StaffScope;
use crate::db::audit::{self as audit_rows, AuditRow};
use crate::db::catalog;
use crate::db::{self, DbConn};
use crate::domain::ids::{HubId, UserId};
use crate::service::{ServiceError, to_db_time};

/// What is recorded about one change. `action` is a stable snake_case word
/// (`space_disabled`, `booking_approved`…); `subject` names the thing (its name or id);
/// `details` says what changed, never a secret, token or PIN.
#[derive(Debug, Clone)]
pub struct Change<'a> {
    pub actor_id: &'a UserId,
    /// The hub the change belongs to; `None` for operator and account changes by admins.
    pub hub_id: Option<&'a HubId>,
    pub action: &'static str,
    pub subject: &'a str,
    pub details: String,
}

/// Records a change. Call it inside the transaction that makes the change.
///
/// # Errors
/// On a database error.
pub fn record(conn: &mut DbConn, change: Change<'_>, now: DateTime<Utc>) -> Result<(), ServiceError> {
    audit_rows::insert_audit(
        conn,
        &AuditRow {
            id: db::new_id(),
            actor_id: Some(change.actor_id.clone()),
            hub_id: change.hub_id.cloned(),
            action: change.action.to_owned(),
            subject: change.subject.to_owned(),
            details: change.details,
            created_at: to_db_time(now),
        },
    )?;
    Ok(())
}

/// One entry as the console shows it.
#[derive(Debug, Clone)]
pub struct AuditEntry {
    pub row: AuditRow,
    pub actor_name: Option<String>,
}

/// The newest entries this scope may read: admins all, managers those of their hubs. With a
/// hub given, only that hub's (it must be inside the scope).
///
/// # Errors
/// `NotFound` for a hub outside the scope; on a database error. `hub` is a hub's id (never a
/// slug: the handler resolved it).
pub fn entries(
    conn: &mut DbConn,
    scope: &StaffScope,
    hub: Option<&HubId>,
    limit: i64,
) -> Result<Vec<AuditEntry>, ServiceError> {
    let hub_ids: Option<Vec<HubId>> = match hub {
        Some(hub_id) => match catalog::find_hub_by_id(conn, hub_id)? {
            Some(hub) if scope.covers(&hub.id) => Some(vec![hub.id]),
            _ => return Err(ServiceError::NotFound),
        },
        None => scope.hub_filter().map(<[HubId]>::to_vec),
    };
    let rows = audit_rows::list_audit(conn, hub_ids.as_deref(), limit)?;
    Ok(rows.into_iter().map(|(row, actor_name)| AuditEntry { row, actor_name }).collect())
}
