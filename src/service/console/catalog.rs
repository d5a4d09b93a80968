//! Running a hub's things: operators, hubs (details, hours, closures, legal texts, settings), spaces, doors, sensors and bridges.
//!
//! Every use case here resolves the hub through the caller's [`StaffScope`] and every id it is
//! given through [`StaffScope::require_in`] before it reads a form, reads the form into checked
//! values ([`rules`]) and then makes its change and its audit entry in one write transaction.

pub mod bridges;
pub mod doors;
pub mod floor_plan;
pub mod house_rules;
pub mod hubs;
pub mod operators;
pub mod rules;
pub mod sensors;
pub mod space_details;
pub mod spaces;

use chrono::{DateTime, Utc};

use super::StaffScope;
use super::audit::{self, Change};
use crate::db::access::{self, Bridge};
use crate::db::catalog::{self, Hub, Space};
use crate::db::{DbConn, DbError};
use crate::domain::ids::{SpaceId, UserId};
use crate::service::ServiceError;

/// Who makes a change in the console: the hubs they may run and their user id for the audit.
#[derive(Debug, Clone, Copy)]
pub struct Staff<'a> {
    pub scope: &'a StaffScope,
    pub user_id: &'a UserId,
}

/// One thing a form has to fix: the field and a stable code the page turns into a sentence.
/// `range` gives the allowed bounds for `out-of-range`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub field: &'static str,
    pub code: &'static str,
    pub range: Option<(i64, i64)>,
}

/// Why a console change did not happen: the form has problems (nothing was written), or the
/// service refused (not found, database).
#[derive(Debug, thiserror::Error)]
pub enum CatalogError {
    #[error("the form has {} problem(s)", .0.len())]
    Invalid(Vec<Problem>),
    #[error(transparent)]
    Service(#[from] ServiceError),
}

impl From<DbError> for CatalogError {
    fn from(error: DbError) -> Self {
        CatalogError::Service(error.into())
    }
}

impl From<diesel::result::Error> for CatalogError {
    fn from(error: diesel::result::Error) -> Self {
        CatalogError::Service(error.into())
    }
}

impl CatalogError {
    /// A form with a single problem.
    pub fn field(field: &'static str, code: &'static str) -> CatalogError {
        CatalogError::Invalid(vec![Problem { field, code, range: None }])
    }

    /// A form with the refusals of related fields found together.
    pub fn refused(refusals: Vec<(&'static str, rules::Refusal)>) -> CatalogError {
        CatalogError::Invalid(
            refusals.into_iter().map(|(field, r)| Problem { field, code: r.code, range: r.range }).collect(),
        )
    }
}

/// The problems found while a form is read; empty when it can be used.
#[derive(Debug, Default)]
pub struct Problems(Vec<Problem>);

impl Problems {
    pub fn add(&mut self, field: &'static str, code: &'static str) {
        self.0.push(Problem { field, code, range: None });
    }

    /// The value of a checked field, or `None` after noting its problem.
    pub fn take<T>(&mut self, field: &'static str, checked: Result<T, rules::Refusal>) -> Option<T> {
        match checked {
            Ok(value) => Some(value),
            Err(refusal) => {
                self.0.push(Problem { field, code: refusal.code, range: refusal.range });
                None
            }
        }
    }

    /// `Ok` when nothing was noted; then every `take` gave its value.
    ///
    /// # Errors
    /// `Invalid` with every problem noted.
    pub fn finish(self) -> Result<(), CatalogError> {
        if self.0.is_empty() { Ok(()) } else { Err(CatalogError::Invalid(self.0)) }
    }
}

/// Records a change of one of `hub`'s things (`subject` names it) in the audit trail. Call it in
/// the transaction of the change.
fn record(
    conn: &mut DbConn,
    staff: Staff<'_>,
    hub: &Hub,
    subject: &str,
    action: &'static str,
    details: String,
    now: DateTime<Utc>,
) -> Result<(), ServiceError> {
    let change = Change { actor_id: staff.user_id, hub_id: Some(&hub.id), action, subject, details };
    audit::record(conn, change, now)
}

/// The space with this id if it is one of `hub`'s (an id taken from a form).
fn space_of_hub(conn: &mut DbConn, staff: Staff<'_>, hub: &Hub, space_id: &SpaceId) -> Result<Space, ServiceError> {
    let space = catalog::find_space(conn, space_id)?.ok_or(ServiceError::NotFound)?;
    staff.scope.require_in(&space.hub_id, hub)?;
    Ok(space)
}

/// The bridge chosen in a form: none for an empty choice, else one of `hub`'s bridges.
fn chosen_bridge(
    conn: &mut DbConn,
    staff: Staff<'_>,
    hub: &Hub,
    bridge_id: &str,
) -> Result<Option<Bridge>, ServiceError> {
    match bridge_id.trim() {
        "" => Ok(None),
        bridge_id => {
            let bridge = access::find_bridge(conn, bridge_id)?.ok_or(ServiceError::NotFound)?;
            staff.scope.require_in(&bridge.hub_id, hub)?;
            Ok(Some(bridge))
        }
    }
}

/// "name: Alt → Neu; capacity: 1 → 2" for the fields that changed, for the audit trail.
pub fn changed_fields(fields: &[(&str, String, String)]) -> String {
    let changed: Vec<String> = fields
        .iter()
        .filter(|(_, before, after)| before != after)
        .map(|(name, before, after)| format!("{name}: {} → {}", short(before), short(after)))
        .collect();
    if changed.is_empty() { "no change".to_owned() } else { changed.join("; ") }
}

/// Long texts (legal pages) are named in the audit, not copied into it.
fn short(value: &str) -> String {
    const LIMIT: usize = 80;
    let one_line = value.replace(['\r', '\n'], " ");
    if one_line.chars().count() > LIMIT {
        format!("{}… ({} chars)", one_line.chars().take(LIMIT).collect::<String>(), value.chars().count())
    } else {
        format!("{one_line:?}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_audit_names_only_what_changed_and_shortens_long_texts() {
        let long = "x".repeat(200);
        let text = changed_fields(&[
            ("name", "A".into(), "B".into()),
            ("town", "T".into(), "T".into()),
            ("imprint", String::new(), long),
        ]);
        assert!(text.starts_with("name: \"A\" → \"B\"; imprint: \"\" → xxx"), "{text}");
        assert!(text.ends_with("(200 chars)") && !text.contains("town"), "{text}");
        assert_eq!(changed_fields(&[("a", "1".into(), "1".into())]), "no change");
    }
}
