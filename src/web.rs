//! HTTP: the route table, security headers, the member site's pages and the JSON API. Handlers translate between HTTP
//! and service calls; they hold no SQL and no business rules.

pub mod accounts;
pub mod api;
pub mod assets;
pub mod bridge_api;
pub mod console;
pub mod content_addressed;
pub mod cross_site;
pub mod error_pages;
pub mod health;
pub mod layout;
pub mod metrics;
pub mod pages;
pub mod pin_reveal;
pub mod request_span;
pub mod security_headers;
pub mod session;

use actix_web::web;

/// Every route of the service, in one place.
pub fn routes(cfg: &mut web::ServiceConfig) {
    use pages::{book, bookings, hubs, legal};
    cfg.service(web::resource("/health").route(web::get().to(health::health)));
    cfg.service(web::resource("/metrics").route(web::get().to(metrics::metrics)));
    cfg.service(web::scope("/api/v1").configure(api::routes));
    cfg.service(web::scope("/api/bridge/v1").configure(bridge_api::routes));
    cfg.service(web::resource("/static/{path:.*}").route(web::get().to(assets::asset)));
    cfg.service(web::resource("/favicon.ico").route(web::get().to(assets::favicon)));
    cfg.service(web::resource("/").route(web::get().to(hubs::hub_list)));
    cfg.service(web::resource("/hubs/{slug}").route(web::get().to(hubs::hub_day)));
    cfg.service(web::resource("/hubs/{slug}/spaces").route(web::get().to(pages::space_details::hub_spaces)));
    cfg.service(
        web::resource("/spaces/{id}/book").route(web::get().to(book::book_form)).route(web::post().to(book::book)),
    );
    cfg.service(
        web::resource("/spaces/{id}/series")
            .route(web::get().to(pages::series::series_form))
            .route(web::post().to(pages::series::series_submit)),
    );
    cfg.service(web::resource("/series/{id}").route(web::get().to(pages::series::show_series)));
    cfg.service(
        web::resource("/series/{id}/cancel")
            .route(web::get().to(pages::series::confirm_cancel_series))
            .route(web::post().to(pages::series::cancel_series)),
    );
    cfg.service(web::resource("/spaces/{id}/waitlist").route(web::post().to(pages::waitlist::join)));
    cfg.service(web::resource("/waitlist").route(web::get().to(pages::waitlist::my_waitlist)));
    cfg.service(web::resource("/waitlist/{id}/accept").route(web::post().to(pages::waitlist::accept)));
    cfg.service(web::resource("/waitlist/{id}/leave").route(web::post().to(pages::waitlist::leave)));
    cfg.service(web::resource("/spaces/{id}").route(web::get().to(pages::space_details::space_details)));
    cfg.service(web::resource("/photos/{id}/{file}").route(web::get().to(pages::space_details::photo)));
    cfg.service(web::resource("/plans/{hub}/{file}").route(web::get().to(pages::floor_plan::plan_image)));
    cfg.service(web::resource("/bookings").route(web::get().to(bookings::my_bookings)));
    cfg.service(web::resource("/bookings/{id}").route(web::get().to(bookings::show_booking)));
    cfg.service(web::resource("/bookings/{id}/booking.ics").route(web::get().to(bookings::calendar_file)));
    cfg.service(web::resource("/bookings/{id}/pin").route(web::post().to(bookings::new_pin)));
    cfg.service(web::resource("/bookings/{id}/doors/{door}/open").route(web::post().to(pages::door_unlock::open_door)));
    cfg.service(web::resource("/bookings/{id}/check-in").route(web::post().to(pages::check_in::check_in_booking)));
    cfg.service(
        web::resource("/check-in/{space}")
            .route(web::get().to(pages::check_in::qr_page))
            .route(web::post().to(pages::check_in::qr_check_in)),
    );
    cfg.service(
        web::resource("/bookings/{id}/change")
            .route(web::get().to(pages::booking_change::change_form))
            .route(web::post().to(pages::booking_change::change)),
    );
    cfg.service(
        web::resource("/bookings/{id}/release")
            .route(web::get().to(pages::booking_change::confirm_release))
            .route(web::post().to(pages::booking_change::release)),
    );
    cfg.service(
        web::resource("/bookings/{id}/cancel")
            .route(web::get().to(bookings::confirm_cancel))
            .route(web::post().to(bookings::cancel)),
    );
    cfg.service(
        web::resource("/bookings/{id}/guests")
            .route(web::get().to(pages::guests::guests_page))
            .route(web::post().to(pages::guests::invite)),
    );
    cfg.service(web::resource("/bookings/{id}/guests/{guest}/withdraw").route(web::post().to(pages::guests::withdraw)));
    cfg.service(web::scope("/console").configure(console::routes));
    accounts::routes(cfg);
    cfg.service(web::resource("/legal").route(web::get().to(legal::legal_index)));
    cfg.service(web::resource("/legal/{operator}/{page}").route(web::get().to(legal::legal_page)));
}
