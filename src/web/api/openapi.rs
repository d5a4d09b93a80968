//! The OpenAPI 3 document, generated from the handlers' annotations so it cannot drift.

use actix_web::HttpResponse;
use utoipa::openapi::path::Operation;
use utoipa::openapi::schema::{ObjectBuilder, Schema, Type};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{ContentBuilder, Ref, RefOr, ResponseBuilder};
use utoipa::{Modify, OpenApi};

use super::{booking_changes, booking_series, bookings, check_in, error, hubs, waitlist};
use crate::service::ErrorCode;

/// The API description served at `/api/v1/openapi.json`.
#[derive(OpenApi)]
#[openapi(
    info(title = "RegioHub API", version = "1", description = "Book desks, rooms and equipment in the RegioHubs."),
    paths(hubs::list_hubs, hubs::list_spaces, hubs::availability,
          bookings::create_booking, bookings::list_bookings, bookings::cancel_booking, bookings::new_pin,
          booking_changes::change_booking, booking_changes::release_booking,
          booking_series::create_series,
          check_in::check_in,
          waitlist::list_waitlist, waitlist::join_waitlist, waitlist::leave_waitlist, waitlist::accept_offer),
    components(schemas(error::ErrorBody, error::ErrorDetail, hubs::HubDto, hubs::SpaceDto, hubs::SpaceRulesDto,
        hubs::IntervalDto, hubs::SpaceAvailabilityDto, hubs::AvailabilityDto, bookings::CreateBookingBody, bookings::BookingDto, bookings::NewPinDto,
        booking_changes::ChangeBookingBody, booking_series::CreateSeriesBody, booking_series::FrequencyDto,
        booking_series::SeriesDto, booking_series::SeriesDateDto, waitlist::WaitlistEntryDto,
        waitlist::AcceptOfferBody)),
    modifiers(&BearerAuth, &EveryCallersAnswers, &RefusalCodes),
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

/// The schema name under which the refusal codes are listed.
pub const REFUSAL_CODES_SCHEMA: &str = "RefusalCode";

/// Lists every code a refused use case answers with ([`ErrorCode`]) as a string enum, so clients
/// can match on them and the document cannot miss one (a test compares the two).
struct RefusalCodes;

impl Modify for RefusalCodes {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let codes = ErrorCode::all().into_iter().map(ErrorCode::as_str);
        let schema = ObjectBuilder::new()
            .schema_type(Type::String)
            .enum_values(Some(codes))
            .description(Some(
                "The `error.code` of a request the service refused (409, 422). Besides these, \
                 `error.code` names a broken booking rule (e.g. `too_long`), a local time that does \
                 not exist or is ambiguous, or an answer of the API itself (e.g. `unauthorized`).",
            ))
            .build();
        let components = openapi.components.get_or_insert_with(Default::default);
        components.schemas.insert(REFUSAL_CODES_SCHEMA.to_owned(), RefOr::T(Schema::Object(schema)));
    }
}

/// The answers any call with a token can get whatever the route: 403 when the token's account is
/// blocked and 503 when no database connection is free in time. Added here once so that no
/// operation forgets them and the document lists every status the server can send.
struct EveryCallersAnswers;

impl Modify for EveryCallersAnswers {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        for item in openapi.paths.paths.values_mut() {
            let operations = [&mut item.get, &mut item.post, &mut item.put, &mut item.patch, &mut item.delete];
            for operation in operations.into_iter().flatten() {
                add_error(operation, "403", "the token's account is blocked (`account_blocked`)");
                add_error(operation, "503", "no database connection in time (`database_unavailable`); try again");
            }
        }
    }
}

fn add_error(operation: &mut Operation, status: &str, description: &str) {
    let content = ContentBuilder::new().schema(Some(Ref::from_schema_name("ErrorBody"))).build();
    let response = ResponseBuilder::new().description(description).content("application/json", content).build();
    operation.responses.responses.entry(status.to_owned()).or_insert(RefOr::T(response));
}

/// Serves the document; it needs no token, so client generators can fetch it.
pub async fn openapi_json() -> HttpResponse {
    HttpResponse::Ok().json(ApiDoc::openapi())
}
