//! HTTP: the route table, security headers and the JSON API. Handlers translate between HTTP
//! and service calls; they hold no SQL and no business rules.

pub mod api;
pub mod health;

use actix_web::middleware::DefaultHeaders;
use actix_web::web;

/// Every route of the service, in one place.
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/health").route(web::get().to(health::health)));
    cfg.service(web::scope("/api/v1").configure(api::routes));
}

/// Headers every response carries: no sniffing, no framing, no third-party anything.
pub fn security_headers() -> DefaultHeaders {
    DefaultHeaders::new()
        .add(("X-Content-Type-Options", "nosniff"))
        .add(("X-Frame-Options", "DENY"))
        .add(("Referrer-Policy", "same-origin"))
        .add(("Content-Security-Policy", "default-src 'self'; frame-ancestors 'none'; form-action 'self'"))
}
