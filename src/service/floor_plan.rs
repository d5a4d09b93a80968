//! A hub's floor plan as members see it: the plan's description and where each space sits (the
//! day view lays free and taken over it), and the drawing itself for its image address. Staff's
//! changes are in `service::console::catalog::floor_plan`.

use std::collections::HashMap;

use crate::db::DbConn;
use crate::db::floor_plans::{self as rows, PlanInfo};
use crate::domain::floor_plan::Spot;
use crate::domain::ids::{HubId, SpaceId};
use crate::service::ServiceError;

/// A hub's plan and the places of its spaces on it.
#[derive(Debug, Clone)]
pub struct HubPlan {
    pub info: PlanInfo,
    pub spots: HashMap<SpaceId, Spot>,
}

/// The hub's plan with its spots; `None` when the hub has no plan.
///
/// # Errors
/// On a database error.
pub fn hub_plan(conn: &mut DbConn, hub_id: &HubId) -> Result<Option<HubPlan>, ServiceError> {
    let Some(info) = rows::plan_of(conn, hub_id)? else {
        return Ok(None);
    };
    let spots = spots_of_hub(conn, hub_id)?;
    Ok(Some(HubPlan { info, spots }))
}

/// Whether the hub has a plan (one look at its key, for the day view's link).
///
/// # Errors
/// On a database error.
pub fn has_plan(conn: &mut DbConn, hub_id: &HubId) -> Result<bool, ServiceError> {
    Ok(rows::plan_of(conn, hub_id)?.is_some())
}

/// Where the hub's spaces sit, by space.
///
/// # Errors
/// On a database error.
pub fn spots_of_hub(conn: &mut DbConn, hub_id: &HubId) -> Result<HashMap<SpaceId, Spot>, ServiceError> {
    Ok(rows::spots_of_hub(conn, hub_id)?.into_iter().map(|s| (s.space_id, Spot::stored(s.x, s.y))).collect())
}

/// The drawing at a plan's image address.
///
/// # Errors
/// `NotFound` for an unknown hub or a hash that is not its current plan's.
pub fn plan_svg(conn: &mut DbConn, hub_id: &HubId, content_hash: &str) -> Result<String, ServiceError> {
    rows::plan_svg(conn, hub_id, content_hash)?.ok_or(ServiceError::NotFound)
}

/// Whether the plan at this address is still the hub's (a browser's cached copy is then current).
///
/// # Errors
/// `NotFound` for an unknown hub or a hash that is not its current plan's.
pub fn plan_is_current(conn: &mut DbConn, hub_id: &HubId, content_hash: &str) -> Result<(), ServiceError> {
    match rows::plan_of(conn, hub_id)? {
        Some(plan) if plan.content_hash == content_hash => Ok(()),
        _ => Err(ServiceError::NotFound),
    }
}
