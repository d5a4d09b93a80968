//! Looking back: utilization charts with their data tables, and CSV exports of bookings.

use actix_web::web;

/// This area's routes, below `/console`.
pub fn routes(_cfg: &mut web::ServiceConfig) {}
