//! Running a hub's things: operators, hubs (details, hours, closures, legal texts, settings), spaces, doors, sensors and bridges.

use actix_web::web;

/// This area's routes, below `/console`.
pub fn routes(_cfg: &mut web::ServiceConfig) {}
