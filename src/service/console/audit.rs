//! The admin audit trail: every change made in the console is recorded with who, what and when,
//! in the same transaction as the change, so there is never a change without its entry.

use chrono::{DateTime, Utc};

use super::scope::StaffScope;
use crate::db::audit::{self as audit_rows, AuditRow};
use crate::db::{self, DbConn};
use crate::service::{ServiceError, to_db_time};

/// What is recorded about one change. `action` is a stable snake_case word
/// (`space_disabled`, `booking_approved`…); `subject` names the thing (its name or id);
/// `details` says what changed, never a secret, token or PIN.
#[derive(Debug, Clone)]
pub struct Change<'a> {
    pub actor_id: &'a str,
    /// The hub the change belongs to; `None` for operator and account changes by admins.
    pub hub_id: Option<&'a str>,
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
            actor_id: Some(change.actor_id.to_owned()),
            hub_id: change.hub_id.map(str::to_owned),
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
/// `NotFound` for a hub outside the scope; on a database error.
pub fn entries(
    conn: &mut DbConn,
    scope: &StaffScope,
    hub: Option<&str>,
    limit: i64,
) -> Result<Vec<AuditEntry>, ServiceError> {
    let hub_ids: Option<Vec<String>> = match hub {
        Some(hub) => Some(vec![String::from(scope.hub(conn, hub)?.id)]),
        None => scope.hub_filter().map(<[String]>::to_vec),
    };
    let rows = audit_rows::list_audit(conn, hub_ids.as_deref(), limit)?;
    Ok(rows.into_iter().map(|(row, actor_name)| AuditEntry { row, actor_name }).collect())
}
