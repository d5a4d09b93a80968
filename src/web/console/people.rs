//! People and bookings in the console: users (search, roles, block; admins only), a hub's
//! bookings (approve, decline, cancel with notice, re-issue a PIN) and bookings on behalf.
//! Handlers check the CSRF token, call `service::console::people` (which resolves the hub and
//! every id through the staff scope) and render; a refusal becomes a message next to its field.

mod booking_move;
mod bookings;
mod on_behalf;
mod users;

use actix_web::web;

use crate::i18n::{self, Lang};
use crate::service::ServiceError;
use crate::web::accounts::FormErrors;
use crate::web::pages::PageError;

/// This area's routes, below `/console`.
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/users").route(web::get().to(users::users_index)));
    cfg.service(web::resource("/users/{id}").route(web::get().to(users::user_page)));
    cfg.service(web::resource("/users/{id}/roles").route(web::post().to(users::add_role)));
    cfg.service(web::resource("/users/{id}/roles/{role}/remove").route(web::post().to(users::remove_role)));
    cfg.service(web::resource("/users/{id}/{change:block|unblock}").route(web::post().to(users::block_or_unblock)));
    cfg.service(web::resource("/hubs/{hub}/bookings").route(web::get().to(bookings::bookings_page)));
    cfg.service(
        web::resource("/hubs/{hub}/bookings/new")
            .route(web::get().to(on_behalf::new_booking_form))
            .route(web::post().to(on_behalf::book)),
    );
    cfg.service(
        web::resource("/hubs/{hub}/bookings/{id}/{action:approve|pin}")
            .route(web::post().to(bookings::approve_or_reissue_pin)),
    );
    cfg.service(
        web::resource("/hubs/{hub}/bookings/{id}/move")
            .route(web::get().to(booking_move::move_form))
            .route(web::post().to(booking_move::move_booking)),
    );
    cfg.service(
        web::resource("/hubs/{hub}/bookings/{id}/{notice:decline|cancel}")
            .route(web::get().to(bookings::reason_form))
            .route(web::post().to(bookings::end_with_notice)),
    );
}

/// Puts a refusal of the service next to its field (`Invalid`) or above the form (`Conflict`);
/// anything else is an error page. Returns whether it was a conflict (answered with 409).
fn refusal(lang: Lang, error: ServiceError, errors: &mut FormErrors) -> Result<bool, PageError> {
    match error {
        ServiceError::Invalid { field, code, .. } => {
            errors.add(field, i18n::t(lang, &format!("console-people-error-{code}")));
            Ok(false)
        }
        ServiceError::Conflict { code, .. } => {
            errors.add("", i18n::t(lang, &format!("console-people-error-{code}")));
            Ok(true)
        }
        other => Err(other.into()),
    }
}

/// The status for a form answered with errors.
fn error_status(conflict: bool) -> actix_web::http::StatusCode {
    use actix_web::http::StatusCode;
    if conflict { StatusCode::CONFLICT } else { StatusCode::UNPROCESSABLE_ENTITY }
}
