//! Rows and queries of the hubs' floor plans (`floor_plans`: the sanitised SVG with its
//! proportions and alt texts) and of where spaces sit on them (`floor_plan_spots`). What may be
//! stored and who may store it is decided in the service.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::{floor_plan_spots, floor_plans, spaces};
use super::{DbConn, DbError};
use crate::domain::ids::{HubId, SpaceId};

/// A plan as the pages lay it out: everything but the drawing itself.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = floor_plans)]
pub struct PlanInfo {
    pub hub_id: HubId,
    pub width: i32,
    pub height: i32,
    pub content_hash: String,
    pub alt_de: String,
    pub alt_en: Option<String>,
    pub updated_at: NaiveDateTime,
}

/// A plan to store: the sanitised drawing and what the pages need to show it.
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = floor_plans)]
pub struct NewPlan {
    pub hub_id: HubId,
    pub svg: String,
    pub width: i32,
    pub height: i32,
    pub content_hash: String,
    pub alt_de: String,
    pub alt_en: Option<String>,
    pub updated_at: NaiveDateTime,
}

/// Where one space sits, in thousandths of the plan's width (`x`) and height (`y`).
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = floor_plan_spots)]
pub struct Spot {
    pub space_id: SpaceId,
    pub x: i32,
    pub y: i32,
}

/// The hub's plan, if it has one.
///
/// # Errors
/// On a database error.
pub fn plan_of(conn: &mut DbConn, hub_id: &HubId) -> Result<Option<PlanInfo>, DbError> {
    Ok(floor_plans::table.find(hub_id).select(PlanInfo::as_select()).first(conn).optional()?)
}

/// The drawing of the hub's plan with this content hash (a stale address finds nothing).
///
/// # Errors
/// On a database error.
pub fn plan_svg(conn: &mut DbConn, hub_id: &HubId, content_hash: &str) -> Result<Option<String>, DbError> {
    Ok(floor_plans::table
        .filter(floor_plans::hub_id.eq(hub_id))
        .filter(floor_plans::content_hash.eq(content_hash))
        .select(floor_plans::svg)
        .first(conn)
        .optional()?)
}

/// Stores the hub's plan, replacing the one it had.
///
/// # Errors
/// On a database error.
pub fn put_plan(conn: &mut DbConn, plan: &NewPlan) -> Result<(), DbError> {
    diesel::delete(floor_plans::table.find(&plan.hub_id)).execute(conn)?;
    diesel::insert_into(floor_plans::table).values(plan).execute(conn)?;
    Ok(())
}

/// Removes the hub's plan; how many rows went (0 when it had none). The spots stay.
///
/// # Errors
/// On a database error.
pub fn delete_plan(conn: &mut DbConn, hub_id: &HubId) -> Result<usize, DbError> {
    Ok(diesel::delete(floor_plans::table.find(hub_id)).execute(conn)?)
}

/// Where the hub's spaces sit, in one statement.
///
/// # Errors
/// On a database error.
pub fn spots_of_hub(conn: &mut DbConn, hub_id: &HubId) -> Result<Vec<Spot>, DbError> {
    Ok(floor_plan_spots::table
        .inner_join(spaces::table)
        .filter(spaces::hub_id.eq(hub_id))
        .select(Spot::as_select())
        .load(conn)?)
}

/// Places a space on its hub's plan, or takes it off (`None`).
///
/// # Errors
/// On a database error.
pub fn set_spot(conn: &mut DbConn, space_id: &SpaceId, at: Option<(i32, i32)>) -> Result<(), DbError> {
    diesel::delete(floor_plan_spots::table.find(space_id)).execute(conn)?;
    if let Some((x, y)) = at {
        let spot = Spot { space_id: space_id.clone(), x, y };
        diesel::insert_into(floor_plan_spots::table).values(&spot).execute(conn)?;
    }
    Ok(())
}
