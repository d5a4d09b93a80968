//! Operators (the towns and municipalities that run hubs): their contacts, legal texts and how
//! long their hubs' access logs are kept. Admins only; anyone else gets `NotFound`.

use chrono::{DateTime, Utc};

use super::rules::{number, optional_text, required_text};
use super::{CatalogError, Problems, Staff, changed_fields};
use crate::db::catalog::{self, Operator};
use crate::db::catalog_admin::{self, OperatorChanges};
use crate::db::{self, DbConn};
use crate::domain::ids::OperatorId;
use crate::service::console::audit::{self, Change};
use crate::service::{ServiceError, UnitOfWork, to_db_time};

/// Days the access log is kept unless the operator says otherwise.
pub const DEFAULT_RETENTION_DAYS: i32 = 90;
/// The longest a legal text may be (a long Datenschutzerklärung fits many times).
const LEGAL_TEXT_MAX: usize = 100_000;

/// An operator's form as typed.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct OperatorInput {
    pub name: String,
    pub legal_contact: String,
    pub privacy_contact: String,
    pub imprint: String,
    pub privacy_policy: String,
    pub accessibility_statement: String,
    pub access_log_retention_days: String,
}

impl OperatorInput {
    /// The form filled with what is stored.
    pub fn of(operator: &Operator) -> OperatorInput {
        OperatorInput {
            name: operator.name.clone(),
            legal_contact: operator.legal_contact.clone(),
            privacy_contact: operator.privacy_contact.clone(),
            imprint: operator.imprint.clone(),
            privacy_policy: operator.privacy_policy.clone(),
            accessibility_statement: operator.accessibility_statement.clone(),
            access_log_retention_days: operator.access_log_retention_days.to_string(),
        }
    }

    /// An empty form with the default retention.
    pub fn blank() -> OperatorInput {
        OperatorInput { access_log_retention_days: DEFAULT_RETENTION_DAYS.to_string(), ..OperatorInput::default() }
    }
}

/// The checked form.
struct OperatorValues {
    name: String,
    legal_contact: String,
    privacy_contact: String,
    imprint: String,
    privacy_policy: String,
    accessibility_statement: String,
    retention_days: i32,
}

fn read(input: &OperatorInput) -> Result<OperatorValues, CatalogError> {
    let mut problems = Problems::default();
    let name = problems.take("name", required_text(&input.name, 200));
    let legal_contact = problems.take("legal_contact", required_text(&input.legal_contact, 1000));
    let privacy_contact = problems.take("privacy_contact", required_text(&input.privacy_contact, 1000));
    let imprint = problems.take("imprint", optional_text(&input.imprint, LEGAL_TEXT_MAX));
    let privacy_policy = problems.take("privacy_policy", optional_text(&input.privacy_policy, LEGAL_TEXT_MAX));
    let accessibility_statement =
        problems.take("accessibility_statement", optional_text(&input.accessibility_statement, LEGAL_TEXT_MAX));
    let retention_days = problems.take("access_log_retention_days", number(&input.access_log_retention_days, 1, 3650));
    problems.finish()?;
    // Every field was taken without a problem, so each holds its value.
    Ok(OperatorValues {
        name: name.unwrap_or_default(),
        legal_contact: legal_contact.unwrap_or_default(),
        privacy_contact: privacy_contact.unwrap_or_default(),
        imprint: imprint.unwrap_or_default(),
        privacy_policy: privacy_policy.unwrap_or_default(),
        accessibility_statement: accessibility_statement.unwrap_or_default(),
        retention_days: retention_days.unwrap_or(DEFAULT_RETENTION_DAYS),
    })
}

/// Every operator, by name.
///
/// # Errors
/// `NotFound` for anyone but an admin.
pub fn list(conn: &mut DbConn, staff: Staff<'_>) -> Result<Vec<Operator>, ServiceError> {
    staff.scope.require_admin()?;
    Ok(catalog::list_operators(conn)?)
}

/// One operator.
///
/// # Errors
/// `NotFound` for anyone but an admin, or an unknown id.
pub fn find(conn: &mut DbConn, staff: Staff<'_>, operator_id: &OperatorId) -> Result<Operator, ServiceError> {
    staff.scope.require_admin()?;
    catalog::find_operator(conn, operator_id)?.ok_or(ServiceError::NotFound)
}

/// Adds an operator.
///
/// # Errors
/// `NotFound` for anyone but an admin; `Invalid` with the form's problems.
pub fn create(
    tx: &mut UnitOfWork<'_>,
    staff: Staff<'_>,
    input: &OperatorInput,
    now: DateTime<Utc>,
) -> Result<Operator, CatalogError> {
    staff.scope.require_admin()?;
    let values = read(input)?;
    let operator = Operator {
        id: OperatorId::from(db::new_id()),
        name: values.name,
        legal_contact: values.legal_contact,
        privacy_contact: values.privacy_contact,
        created_at: to_db_time(now),
        imprint: values.imprint,
        privacy_policy: values.privacy_policy,
        accessibility_statement: values.accessibility_statement,
        access_log_retention_days: values.retention_days,
    };
    tx.write_transaction(|tx| {
        catalog::insert_operator(tx, &operator)?;
        let details = format!("retention: {} days", operator.access_log_retention_days);
        let change = Change {
            actor_id: staff.user_id,
            hub_id: None,
            action: "operator_created",
            subject: &operator.name,
            details,
        };
        audit::record(tx, change, now)?;
        Ok::<_, CatalogError>(())
    })?;
    Ok(operator)
}

/// Changes an operator's contacts, legal texts and retention.
///
/// # Errors
/// `NotFound` for anyone but an admin or an unknown id; `Invalid` with the form's problems.
pub fn update(
    tx: &mut UnitOfWork<'_>,
    staff: Staff<'_>,
    operator_id: &OperatorId,
    input: &OperatorInput,
    now: DateTime<Utc>,
) -> Result<Operator, CatalogError> {
    let before = find(tx, staff, operator_id)?;
    let values = read(input)?;
    tx.write_transaction(|tx| {
        let changes = OperatorChanges {
            name: &values.name,
            legal_contact: &values.legal_contact,
            privacy_contact: &values.privacy_contact,
            imprint: &values.imprint,
            privacy_policy: &values.privacy_policy,
            accessibility_statement: &values.accessibility_statement,
            access_log_retention_days: values.retention_days,
        };
        catalog_admin::update_operator(tx, &before.id, &changes)?;
        let details = changed_fields(&[
            ("name", before.name.clone(), values.name.clone()),
            ("legal_contact", before.legal_contact.clone(), values.legal_contact.clone()),
            ("privacy_contact", before.privacy_contact.clone(), values.privacy_contact.clone()),
            ("imprint", before.imprint.clone(), values.imprint.clone()),
            ("privacy_policy", before.privacy_policy.clone(), values.privacy_policy.clone()),
            ("accessibility_statement", before.accessibility_statement.clone(), values.accessibility_statement.clone()),
            ("retention_days", before.access_log_retention_days.to_string(), values.retention_days.to_string()),
        ]);
        let change = Change {
            actor_id: staff.user_id,
            hub_id: None,
            action: "operator_updated",
            subject: &values.name,
            details,
        };
        audit::record(tx, change, now)?;
        Ok::<_, CatalogError>(())
    })?;
    Ok(catalog::find_operator(tx, &before.id)?.ok_or(ServiceError::NotFound)?)
}
