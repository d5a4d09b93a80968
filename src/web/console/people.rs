//! People and bookings in the console: users (search, roles, block), pending approvals, bookings on behalf.

use actix_web::web;

/// This area's routes, below `/console`.
pub fn routes(_cfg: &mut web::ServiceConfig) {}
