//! The OpenAPI 3 document, generated from the handlers' annotations so it cannot drift.

use actix_web::HttpResponse;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use super::{booking_changes, bookings, check_in, error, hubs};

/// The API description served at `/api/v1/openapi.json`.
#[derive(OpenApi)]
#[openapi(
    info(title = "RegioHub API", version = "1", description = "Book desks, rooms and equipment in the RegioHubs."),
    paths(hubs::list_hubs, hubs::list_spaces, hubs::availability,
          bookings::create_booking, bookings::list_bookings, bookings::cancel_booking, bookings::new_pin,
          booking_changes::change_booking, booking_changes::release_booking,
          check_in::check_in),
    components(schemas(error::ErrorBody, error::ErrorDetail, hubs::HubDto, hubs::SpaceDto, hubs::SpaceRulesDto,
        hubs::IntervalDto, hubs::SpaceAvailabilityDto, hubs::AvailabilityDto, bookings::CreateBookingBody, bookings::BookingDto, bookings::NewPinDto,
        booking_changes::ChangeBookingBody)),
    modifiers(&BearerAuth),
)]
pub struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

/// Serves the document; it needs no token, so client generators can fetch it.
pub async fn openapi_json() -> HttpResponse {
    HttpResponse::Ok().json(ApiDoc::openapi())
}
