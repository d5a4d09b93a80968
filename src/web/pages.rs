//! The member site's HTML pages: hubs, a hub's day, the booking form, booking pages, legal
//! pages. Server-rendered, complete without JavaScript.

pub mod book;
pub mod booking_change;
pub mod bookings;
pub mod check_in;
pub mod day_filter;
pub mod door_unlock;
pub mod floor_plan;
pub mod guests;
pub mod hubs;
pub mod legal;
pub mod messages;
pub mod series;
pub mod space_details;
pub mod waitlist;

use actix_web::HttpResponse;
use actix_web::http::header;

use crate::db::DbError;
use crate::service::ServiceError;
use crate::service::password_gate::BUSY_RETRY_AFTER_SECS;

/// An error answer of a page; the error-page middleware turns its status into a friendly page
/// in the viewer's language.
#[derive(Debug, thiserror::Error)]
pub enum PageError {
    #[error("not found")]
    NotFound,
    #[error("service unavailable")]
    Unavailable,
    #[error("internal error")]
    Internal,
}

impl actix_web::ResponseError for PageError {
    fn status_code(&self) -> actix_web::http::StatusCode {
        use actix_web::http::StatusCode;
        match self {
            PageError::NotFound => StatusCode::NOT_FOUND,
            PageError::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
            PageError::Internal => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// A 503 says when to come back: it means busy for a moment (no database connection or no
    /// place at the password gate free in time), whichever handler answers it.
    fn error_response(&self) -> HttpResponse {
        let mut response = HttpResponse::build(self.status_code());
        if matches!(self, PageError::Unavailable) {
            response.insert_header((header::RETRY_AFTER, BUSY_RETRY_AFTER_SECS.to_string()));
        }
        response.content_type("text/plain; charset=utf-8").body(self.to_string())
    }
}

impl From<ServiceError> for PageError {
    fn from(error: ServiceError) -> PageError {
        match error {
            ServiceError::NotFound => PageError::NotFound,
            ServiceError::Db(e @ (DbError::Pool(_) | DbError::Busy)) => {
                tracing::error!(error = %e, "no database connection in time");
                PageError::Unavailable
            }
            other => {
                tracing::error!(error = %other, "page failed");
                PageError::Internal
            }
        }
    }
}

impl From<askama::Error> for PageError {
    fn from(error: askama::Error) -> PageError {
        tracing::error!(error = %error, "template failed");
        PageError::Internal
    }
}

/// Post/Redirect/Get: after a successful form, go to the page that shows the result.
pub fn see_other(location: &str) -> HttpResponse {
    HttpResponse::SeeOther().insert_header((header::LOCATION, location.to_owned())).finish()
}
