//! The API's error body: a stable machine-readable `code`, a sentence for a person, and the
//! field it concerns when there is one. Internal details are logged, never sent.

use actix_web::http::StatusCode;
use actix_web::http::header;
use actix_web::{HttpResponse, ResponseError};
use serde::Serialize;
use utoipa::ToSchema;

use crate::db::DbError;
use crate::domain::local_time::LocalTimeError;
use crate::service::ServiceError;

/// An error answer of the API.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{status}: {code}")]
pub struct ApiError {
    status: StatusCode,
    code: &'static str,
    message: String,
    field: Option<&'static str>,
}

/// The JSON body of every error answer.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

/// What went wrong.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorDetail {
    /// Stable code for programs, e.g. `slot_taken`, `too_long`, `outside_opening_hours`.
    pub code: String,
    /// A sentence for a person.
    pub message: String,
    /// The request field the error concerns, if one does.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

impl ApiError {
    fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> ApiError {
        ApiError { status, code, message: message.into(), field: None }
    }

    /// 401 for a missing or unknown token.
    pub fn unauthorized() -> ApiError {
        ApiError::new(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            "A valid API token is required (Authorization: Bearer …).",
        )
    }

    /// 403 for a blocked account.
    pub fn account_blocked() -> ApiError {
        ApiError::new(StatusCode::FORBIDDEN, "account_blocked", "This account is blocked.")
    }

    /// 404; also what a caller gets for something that exists but is not theirs.
    pub fn not_found() -> ApiError {
        ApiError::new(StatusCode::NOT_FOUND, "not_found", "Not found.")
    }

    /// 400 for a body that is not the JSON the route expects.
    pub fn malformed_json(error: &actix_web::error::JsonPayloadError) -> ApiError {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            "malformed_json",
            format!("The request body is not valid JSON for this call: {error}"),
        )
    }

    /// 400 for a JSON body that is not an object or not the call's shape.
    pub fn malformed_body(detail: &str) -> ApiError {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            "malformed_json",
            format!("The request body is not valid JSON for this call: {detail}"),
        )
    }

    /// 400 for a query string or path that does not parse.
    pub fn bad_query(error: &dyn std::fmt::Display) -> ApiError {
        ApiError::new(StatusCode::BAD_REQUEST, "bad_request", format!("The request is malformed: {error}"))
    }

    /// 422 for a value that parses as JSON but not as what the field needs.
    pub fn invalid(field: &'static str, code: &'static str, message: impl Into<String>) -> ApiError {
        ApiError { field: Some(field), ..ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, code, message) }
    }
}

impl From<ServiceError> for ApiError {
    fn from(error: ServiceError) -> ApiError {
        match error {
            ServiceError::NotFound => ApiError::not_found(),
            ServiceError::Conflict { code, message } => ApiError::new(StatusCode::CONFLICT, code.as_str(), message),
            ServiceError::Rule(rule) => ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, rule.code(), rule.to_string()),
            ServiceError::LocalTime(local) => {
                let code = match local {
                    LocalTimeError::Nonexistent { .. } => "nonexistent_local_time",
                    LocalTimeError::Ambiguous { .. } => "ambiguous_local_time",
                };
                ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, code, local.to_string())
            }
            ServiceError::Invalid { field, code, message } => ApiError::invalid(field, code.as_str(), message),
            ServiceError::Db(error @ (DbError::Pool(_) | DbError::Busy)) => {
                tracing::error!(error = %error, "no database connection in time");
                ApiError::new(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "database_unavailable",
                    "The service is busy; please try again shortly.",
                )
            }
            ServiceError::Db(error) => {
                tracing::error!(error = %error, "database error");
                ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal_error", "Something went wrong on our side.")
            }
        }
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        self.status
    }

    fn error_response(&self) -> HttpResponse {
        let body = ErrorBody {
            error: ErrorDetail {
                code: self.code.to_owned(),
                message: self.message.clone(),
                field: self.field.map(str::to_owned),
            },
        };
        let mut response = HttpResponse::build(self.status);
        if self.status == StatusCode::UNAUTHORIZED {
            response.insert_header((header::WWW_AUTHENTICATE, "Bearer realm=\"regiohub\""));
        }
        response.json(body)
    }
}

impl actix_web::Responder for ApiError {
    type Body = actix_web::body::BoxBody;

    fn respond_to(self, _req: &actix_web::HttpRequest) -> HttpResponse {
        self.error_response()
    }
}
