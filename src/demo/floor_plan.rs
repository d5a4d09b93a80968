//! Demo data for the floor plan: Polch's ground floor, drawn here as a plain SVG (walls, doors,
//! tables and the rooms' names), passed through the same cleaning as an upload, with every
//! space of the hub placed on it.

use chrono::{DateTime, Utc};

use crate::db::DbConn;
use crate::db::catalog;
use crate::db::floor_plans::{self as rows, NewPlan};
use crate::domain::floor_plan::Spot;
use crate::service::floor_plan_svg;
use crate::service::{ServiceError, to_db_time};

/// Polch's ground floor, 20 m × 14 m at 50 units a metre.
const POLCH_PLAN: &str = r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1000 700">
  <title>RegioHub Polch, Erdgeschoss</title>
  <rect x="0" y="0" width="1000" height="700" fill="#fbfaf7"/>
  <g fill="none" stroke="#3d3d3d" stroke-width="8">
    <rect x="10" y="10" width="980" height="680"/>
    <path d="M500 10 V300 M500 380 V690 M500 360 H990 M760 10 V120"/>
  </g>
  <g fill="#e4ecf3" stroke="#7a8a99" stroke-width="2">
    <rect x="60" y="131" width="140" height="60"/><rect x="330" y="131" width="140" height="60"/>
    <rect x="60" y="320" width="140" height="60"/><rect x="330" y="320" width="140" height="60"/>
    <rect x="60" y="509" width="140" height="60"/><rect x="330" y="509" width="140" height="60"/>
    <rect x="620" y="150" width="260" height="110" rx="20"/>
    <rect x="600" y="440" width="320" height="160"/>
  </g>
  <g font-family="sans-serif" font-size="20" fill="#555">
    <text x="30" y="660">Eingang</text>
    <text x="190" y="40">Offener Arbeitsbereich</text>
    <text x="540" y="60">Besprechungsraum</text>
    <text x="640" y="400">Vereinsraum</text>
  </g>
  <path d="M20 600 q40 0 40 40" fill="none" stroke="#3d3d3d" stroke-width="3"/>
</svg>"##;

/// Where each of Polch's spaces sits, in percent of the plan's width and height.
fn spot_of(name: &str) -> Option<(&'static str, &'static str)> {
    Some(match name {
        "Arbeitsplatz 1" => ("13", "23"),
        "Arbeitsplatz 2" => ("40", "23"),
        "Arbeitsplatz 3" => ("13", "50"),
        "Arbeitsplatz 4" => ("40", "50"),
        "Arbeitsplatz 5" => ("13", "77"),
        "Arbeitsplatz 6" => ("40", "77"),
        "Besprechungsraum Maifeld" => ("75", "29"),
        "Beamer" => ("87.5", "7"),
        "Vereinsraum" => ("76", "74"),
        _ => return None,
    })
}

/// Gives Polch its floor plan with every space placed.
///
/// # Errors
/// On a database failure.
pub fn seed_polch_plan(conn: &mut DbConn, now: DateTime<Utc>) -> Result<(), ServiceError> {
    let Some(hub) = catalog::find_hub(conn, "polch")? else {
        return Ok(());
    };
    let Ok(plan) = floor_plan_svg::sanitise(POLCH_PLAN.as_bytes()) else {
        return Ok(());
    };
    rows::put_plan(
        conn,
        &NewPlan {
            hub_id: hub.id.clone(),
            svg: plan.svg,
            width: plan.width,
            height: plan.height,
            content_hash: plan.content_hash,
            alt_de: "Erdgeschoss: links der Eingang und der offene Arbeitsbereich mit sechs Plätzen, \
                     rechts oben der Besprechungsraum mit dem Technikschrank, rechts unten der Vereinsraum."
                .to_owned(),
            alt_en: Some(
                "Ground floor: on the left the entrance and the open work area with six desks, at the top \
                 right the meeting room with the equipment cupboard, at the bottom right the club room."
                    .to_owned(),
            ),
            updated_at: to_db_time(now),
        },
    )?;
    for space in catalog::list_spaces(conn, &hub.id)? {
        let Some((x, y)) = spot_of(&space.name) else {
            continue;
        };
        if let Ok(Some(spot)) = Spot::parse(x, y) {
            rows::set_spot(conn, &space.id, Some((spot.x(), spot.y())))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_demo_plan_needs_no_cleaning() {
        let plan = floor_plan_svg::sanitise(POLCH_PLAN.as_bytes());
        assert!(matches!(plan, Ok(ref p) if p.removed == 0 && (p.width, p.height) == (1000, 700)), "{plan:?}");
    }
}
