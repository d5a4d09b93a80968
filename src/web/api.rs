//! JSON API v1 for members' apps: hubs, spaces, availability and the caller's own bookings.
//! Every route needs a personal API token (`Authorization: Bearer rh_…`).

pub mod auth;
pub mod body;
pub mod booking_changes;
pub mod booking_series;
pub mod bookings;
pub mod check_in;
pub mod error;
pub mod hubs;
pub mod openapi;
pub mod waitlist;

use actix_web::web;

use error::ApiError;

/// The API's routes, mounted under `/api/v1`.
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.app_data(web::JsonConfig::default().error_handler(|err, _req| ApiError::malformed_json(&err).into()))
        .app_data(web::QueryConfig::default().error_handler(|err, _req| ApiError::bad_query(&err).into()))
        .app_data(web::PathConfig::default().error_handler(|err, _req| ApiError::bad_query(&err).into()))
        .service(web::resource("/openapi.json").route(web::get().to(openapi::openapi_json)))
        .service(web::resource("/hubs").route(web::get().to(hubs::list_hubs)))
        .service(web::resource("/hubs/{hub}/spaces").route(web::get().to(hubs::list_spaces)))
        .service(web::resource("/hubs/{hub}/availability").route(web::get().to(hubs::availability)))
        .service(
            web::resource("/bookings")
                .route(web::get().to(bookings::list_bookings))
                .route(web::post().to(bookings::create_booking)),
        )
        .service(
            web::resource("/bookings/{id}")
                .route(web::delete().to(bookings::cancel_booking))
                .route(web::patch().to(booking_changes::change_booking)),
        )
        .service(web::resource("/booking-series").route(web::post().to(booking_series::create_series)))
        .service(web::resource("/bookings/{id}/release").route(web::post().to(booking_changes::release_booking)))
        .service(web::resource("/bookings/{id}/pin").route(web::post().to(bookings::new_pin)))
        .service(web::resource("/bookings/{id}/check-in").route(web::post().to(check_in::check_in)))
        .service(
            web::resource("/waitlist")
                .route(web::get().to(waitlist::list_waitlist))
                .route(web::post().to(waitlist::join_waitlist)),
        )
        .service(web::resource("/waitlist/{id}").route(web::delete().to(waitlist::leave_waitlist)))
        .service(web::resource("/waitlist/{id}/accept").route(web::post().to(waitlist::accept_offer)))
        .default_service(web::to(|| async { ApiError::not_found() }));
}
