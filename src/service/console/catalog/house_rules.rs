//! An operator's house rules in the console: the current text, every earlier version, and
//! publishing a new version (never editing one). Admins, and managers of one of the operator's
//! hubs, may; for anyone else the operator does not exist (`NotFound`).

use chrono::{DateTime, Utc};

use super::{CatalogError, Problem, Staff};
use crate::db::DbConn;
use crate::db::catalog::{self, Operator};
use crate::db::house_rules::{self as rows, HouseRulesRow};
use crate::domain::ids::{HubId, OperatorId};
use crate::service::console::audit::{self, Change};
use crate::service::{ServiceError, UnitOfWork, to_db_time};

/// The longest house rules may be (a long Hausordnung fits many times).
const BODY_MAX: usize = 100_000;

/// The operator with its house rules' versions, newest first.
#[derive(Debug, Clone)]
pub struct HouseRulesOverview {
    pub operator: Operator,
    pub versions: Vec<HouseRulesRow>,
}

/// The operator if the staff member may run its house rules: admins any, a manager one that
/// runs a hub of it.
fn operator_in_scope(conn: &mut DbConn, staff: Staff<'_>, operator_id: &OperatorId) -> Result<Operator, ServiceError> {
    let operator = catalog::find_operator(conn, operator_id)?.ok_or(ServiceError::NotFound)?;
    if staff.scope.is_admin() {
        return Ok(operator);
    }
    let runs_one =
        catalog::list_hubs(conn)?.iter().any(|hub| hub.operator_id == operator.id && staff.scope.covers(&hub.id));
    if runs_one { Ok(operator) } else { Err(ServiceError::NotFound) }
}

/// The operators whose house rules the staff member may run, by name.
///
/// # Errors
/// On a database error.
pub fn operators(conn: &mut DbConn, staff: Staff<'_>) -> Result<Vec<Operator>, ServiceError> {
    let hubs = catalog::list_hubs(conn)?;
    let mut operators: Vec<Operator> = catalog::list_operators(conn)?
        .into_iter()
        .filter(|o| staff.scope.is_admin() || hubs.iter().any(|h| h.operator_id == o.id && staff.scope.covers(&h.id)))
        .collect();
    operators.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(operators)
}

/// The operator's house rules, every version.
///
/// # Errors
/// `NotFound` outside the scope; `Db`.
pub fn overview(
    conn: &mut DbConn,
    staff: Staff<'_>,
    operator_id: &OperatorId,
) -> Result<HouseRulesOverview, ServiceError> {
    let operator = operator_in_scope(conn, staff, operator_id)?;
    let versions = rows::history(conn, &operator.id)?;
    Ok(HouseRulesOverview { operator, versions })
}

/// Publishes `body` as the operator's next version, with its audit entry, in one transaction.
/// From then on every member accepts it before their next booking at the operator's hubs.
///
/// # Errors
/// `Invalid` (`body`: `house-rules-empty`, `too-long`) for an empty or too long text (nothing is
/// written); `NotFound` outside the scope; `Db`.
pub fn publish(
    tx: &mut UnitOfWork<'_>,
    staff: Staff<'_>,
    operator_id: &OperatorId,
    body: &str,
    now: DateTime<Utc>,
) -> Result<HouseRulesRow, CatalogError> {
    // Line ends as a browser sends them (CRLF) are stored as LF, so paragraphs split alike.
    let body = body.replace("\r\n", "\n");
    let body = body.trim();
    if body.is_empty() {
        return Err(CatalogError::field("body", "house-rules-empty"));
    }
    if body.chars().count() > BODY_MAX {
        let max = i64::try_from(BODY_MAX).unwrap_or(i64::MAX);
        return Err(CatalogError::Invalid(vec![Problem { field: "body", code: "too-long", range: Some((1, max)) }]));
    }
    tx.write_transaction(|tx| -> Result<HouseRulesRow, CatalogError> {
        let operator = operator_in_scope(tx, staff, operator_id)?;
        let version = rows::current(tx, &operator.id)?.map_or(1, |current| current.version + 1);
        let row = HouseRulesRow {
            operator_id: operator.id.clone(),
            version,
            body: body.to_owned(),
            published_at: to_db_time(now),
            published_by: Some(staff.user_id.clone()),
        };
        rows::insert_version(tx, &row)?;
        // The rules apply at each of the operator's hubs: an entry in each hub's audit trail, so
        // its managers see it there (one without a hub when the operator runs none yet).
        let hubs: Vec<_> = catalog::list_hubs(tx)?.into_iter().filter(|h| h.operator_id == operator.id).collect();
        let hub_ids: Vec<Option<&HubId>> =
            if hubs.is_empty() { vec![None] } else { hubs.iter().map(|h| Some(&h.id)).collect() };
        for hub_id in hub_ids {
            let change = Change {
                actor_id: staff.user_id,
                hub_id,
                action: "house_rules_published",
                subject: &operator.name,
                details: format!("version {version}"),
            };
            audit::record(tx, change, now)?;
        }
        Ok(row)
    })
}
