//! `/metrics` for a Prometheus scraper, and the middleware that times every request by its
//! route pattern. The endpoint exists only when `metrics_token` is set (else 404, like any
//! unknown path) and answers only a request with `Authorization: Bearer <metrics_token>`
//! (else 401, the same for a missing and a wrong token). Metric names and rendering live in
//! `crate::metrics`; the figures read from the database, in `service::monitoring`.

use std::time::Instant;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header;
use actix_web::middleware::Next;
use actix_web::{HttpRequest, HttpResponse, ResponseError, web};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use super::api::auth::bearer_token;
use super::api::error::ApiError;
use crate::metrics::{PoolUse, TEXT_CONTENT_TYPE};
use crate::service::monitoring;
use crate::state::AppState;

/// `GET /metrics`: every metric in the Prometheus text format.
pub async fn metrics(req: HttpRequest, state: web::Data<AppState>) -> HttpResponse {
    let expected = state.settings.metrics_token.as_str();
    if expected.trim().is_empty() {
        return HttpResponse::NotFound().finish();
    }
    if !bearer_token(&req).is_some_and(|given| token_matches(expected, &given)) {
        return ApiError::unauthorized().error_response();
    }
    let now = state.clock.now();
    let stored = match state.db(move |conn| monitoring::stored_figures(conn, now)).await {
        Ok(figures) => Some(figures),
        Err(error) => {
            tracing::warn!(%error, "metrics: database figures unavailable");
            None
        }
    };
    let pool = state.pool.state();
    let pool = PoolUse { open: pool.connections, idle: pool.idle_connections, max: state.pool.max_size() };
    match state.metrics.render(pool, stored.as_ref()) {
        Ok(text) => HttpResponse::Ok()
            .insert_header((header::CONTENT_TYPE, TEXT_CONTENT_TYPE))
            .insert_header((header::CACHE_CONTROL, "no-store"))
            .body(text),
        Err(error) => {
            tracing::error!(%error, "metrics: cannot render");
            HttpResponse::InternalServerError().finish()
        }
    }
}

/// Compares the hashes, so neither the token's bytes nor its length show in the time taken.
fn token_matches(expected: &str, given: &str) -> bool {
    let expected = Sha256::digest(expected.as_bytes());
    let given = Sha256::digest(given.as_bytes());
    bool::from(expected.as_slice().ct_eq(given.as_slice()))
}

/// Middleware: observes every request's duration under its method, the pattern of the route
/// it matched (`/bookings/{id}`, never the path itself, so the number of series stays bounded;
/// `unmatched` when none did) and its status class. Wrapped outermost, so it sees the status
/// the client gets.
///
/// # Errors
/// The inner service's error, unchanged (it is counted with that error's status).
pub async fn observe_request(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let started = Instant::now();
    let metrics = req.app_data::<web::Data<AppState>>().map(|state| state.metrics.clone());
    let method = req.method().clone();
    let route = req.match_pattern();
    let outcome = next.call(req).await;
    if let Some(metrics) = metrics {
        let status = match &outcome {
            Ok(response) => response.status(),
            Err(error) => error.as_response_error().status_code(),
        };
        metrics.observe_request(method.as_str(), route.as_deref(), status.as_u16(), started.elapsed());
    }
    outcome
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_same_token_matches() {
        assert!(token_matches("s3cret-token", "s3cret-token"));
        assert!(!token_matches("s3cret-token", "s3cret-tokeN"));
        assert!(!token_matches("s3cret-token", "s3cret"));
        assert!(!token_matches("s3cret-token", ""));
    }
}
