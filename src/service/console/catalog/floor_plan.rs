//! A hub's floor plan as staff keep it: upload the SVG drawing (already cleaned by
//! `service::floor_plan_svg`) with its alt texts, remove it, and place each space on it by
//! coordinates. Admins and the hub's managers may; each change is one write transaction with
//! its audit entry.

use std::collections::HashMap;

use chrono::{DateTime, Utc};

use super::spaces::display_order;
use super::{CatalogError, Problem, Staff, record};
use crate::db::DbConn;
use crate::db::catalog::{self, Hub, Space};
use crate::db::floor_plans::{self as rows, NewPlan, PlanInfo};
use crate::domain::floor_plan::{CoordinateProblem, Spot};
use crate::domain::ids::SpaceId;
use crate::domain::space_details::AltTexts;
use crate::service::floor_plan::spots_of_hub;
use crate::service::floor_plan_svg::CleanPlan;
use crate::service::{ServiceError, UnitOfWork, to_db_time};

/// What the console's plan page shows.
#[derive(Debug, Clone)]
pub struct StaffPlan {
    pub hub: Hub,
    pub plan: Option<PlanInfo>,
    /// Every space of the hub in the order of the member lists, with its place if it has one.
    pub spaces: Vec<(Space, Option<Spot>)>,
}

/// One space's line of the coordinates form, as sent.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SpotInput {
    pub space_id: String,
    pub x: String,
    pub y: String,
}

/// A coordinate of the form that cannot be used: which space, which field, why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpotProblem {
    pub space_id: SpaceId,
    pub field: &'static str,
    pub problem: CoordinateProblem,
}

/// The hub, its plan and its spaces with their places.
///
/// # Errors
/// `NotFound` outside the caller's scope.
pub fn load(conn: &mut DbConn, staff: Staff<'_>, hub: &str) -> Result<StaffPlan, ServiceError> {
    let hub = staff.scope.hub(conn, hub)?;
    let plan = rows::plan_of(conn, &hub.id)?;
    let mut spots = spots_of_hub(conn, &hub.id)?;
    let mut spaces = catalog::list_spaces(conn, &hub.id)?;
    spaces.sort_by(display_order);
    let spaces = spaces
        .into_iter()
        .map(|space| {
            let spot = spots.remove(&space.id);
            (space, spot)
        })
        .collect();
    Ok(StaffPlan { hub, plan, spaces })
}

/// An upload's alt texts, read before the drawing is looked at.
///
/// # Errors
/// The problem of each alt text field that is wrong.
pub fn read_alt_texts(de: &str, en: &str) -> Result<AltTexts, Vec<Problem>> {
    super::space_details::alt_texts(de, en, "plan-alt-missing")
}

/// Stores the cleaned drawing as the hub's plan, replacing the one it had.
///
/// # Errors
/// `NotFound` outside the caller's scope.
pub fn upload(
    tx: &mut UnitOfWork<'_>,
    staff: Staff<'_>,
    hub: &str,
    plan: CleanPlan,
    alt: &AltTexts,
    now: DateTime<Utc>,
) -> Result<(), CatalogError> {
    let hub = staff.scope.hub(tx, hub)?;
    let details = format!(
        "plan {}×{}, {} bytes, {} parts left out: {:?}",
        plan.width,
        plan.height,
        plan.svg.len(),
        plan.removed,
        alt.de()
    );
    let new = NewPlan {
        hub_id: hub.id.clone(),
        svg: plan.svg,
        width: plan.width,
        height: plan.height,
        content_hash: plan.content_hash,
        alt_de: alt.de().to_owned(),
        alt_en: alt.en().map(str::to_owned),
        updated_at: to_db_time(now),
    };
    tx.write_transaction(|tx| {
        rows::put_plan(tx, &new)?;
        Ok::<_, CatalogError>(record(tx, staff, &hub, &hub.name, "floor_plan_uploaded", details, now)?)
    })
}

/// Removes the hub's plan (the spaces keep their places for the next one).
///
/// # Errors
/// `NotFound` outside the caller's scope or when the hub has no plan.
pub fn remove(tx: &mut UnitOfWork<'_>, staff: Staff<'_>, hub: &str, now: DateTime<Utc>) -> Result<(), CatalogError> {
    let hub = staff.scope.hub(tx, hub)?;
    tx.write_transaction(|tx| {
        if rows::delete_plan(tx, &hub.id)? == 0 {
            return Err(ServiceError::NotFound.into());
        }
        Ok::<_, CatalogError>(record(tx, staff, &hub, &hub.name, "floor_plan_removed", String::new(), now)?)
    })
}

/// Places the hub's spaces as the form says (empty coordinates take a space off the plan).
/// Nothing is stored unless every line can be read; then the problems come back by space.
///
/// # Errors
/// `NotFound` outside the caller's scope or for a space that is not the hub's.
pub fn place(
    tx: &mut UnitOfWork<'_>,
    staff: Staff<'_>,
    hub: &str,
    lines: &[SpotInput],
    now: DateTime<Utc>,
) -> Result<Result<(), Vec<SpotProblem>>, ServiceError> {
    let hub = staff.scope.hub(tx, hub)?;
    let spaces: HashMap<SpaceId, Space> =
        catalog::list_spaces(tx, &hub.id)?.into_iter().map(|s| (s.id.clone(), s)).collect();
    let mut problems = Vec::new();
    let mut placed = Vec::new();
    for line in lines {
        let space_id = SpaceId::from(line.space_id.clone());
        if !spaces.contains_key(&space_id) {
            return Err(ServiceError::NotFound);
        }
        match Spot::parse(&line.x, &line.y) {
            Ok(spot) => placed.push((space_id, spot)),
            Err(found) => problems.extend(found.into_iter().map(|(field, problem)| SpotProblem {
                space_id: space_id.clone(),
                field,
                problem,
            })),
        }
    }
    if !problems.is_empty() {
        return Ok(Err(problems));
    }
    tx.write_transaction(|tx| {
        let before = spots_of_hub(tx, &hub.id)?;
        let mut changed = Vec::new();
        for (space_id, spot) in &placed {
            if before.get(space_id) == spot.as_ref() {
                continue;
            }
            rows::set_spot(tx, space_id, spot.map(|s| (s.x(), s.y())))?;
            let name = spaces.get(space_id).map_or("?", |s| s.name.as_str());
            changed.push(match spot {
                Some(s) => format!("{name}: {} ‰, {} ‰", s.x(), s.y()),
                None => format!("{name}: off the plan"),
            });
        }
        if !changed.is_empty() {
            record(tx, staff, &hub, &hub.name, "floor_plan_spots_placed", changed.join("; "), now)?;
        }
        Ok::<_, ServiceError>(Ok(()))
    })
}
