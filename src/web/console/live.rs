//! What is happening now: the live occupancy dashboard (with server-sent events), alarms, and the access log.

use actix_web::web;

/// This area's routes, below `/console`.
pub fn routes(_cfg: &mut web::ServiceConfig) {}
