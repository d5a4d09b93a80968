//! `/health`: 200 while the database answers, 503 otherwise, for load balancers and monitors.

use actix_web::{HttpResponse, web};
use serde_json::json;

use crate::db;
use crate::state::AppState;

/// Answers whether the service can reach its database.
pub async fn health(state: web::Data<AppState>) -> HttpResponse {
    match state.db(|conn| Ok(db::ping(conn)?)).await {
        Ok(()) => HttpResponse::Ok().json(json!({"status": "ok", "database": "reachable"})),
        Err(error) => {
            tracing::warn!(error = %error, "health check: database unreachable");
            HttpResponse::ServiceUnavailable().json(json!({"status": "unavailable", "database": "unreachable"}))
        }
    }
}
