//! The caller's waitlists: `GET /waitlist` (open places), `POST /waitlist` (wait for a taken
//! time), `DELETE /waitlist/{id}` (leave) and `POST /waitlist/{id}/accept` (book an offered
//! slot). Someone else's place answers 404; a refusal names its rule in `code`.

use actix_web::mime;
use actix_web::{HttpMessage, HttpRequest, HttpResponse, web};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::auth::ApiUser;
use super::bookings::{BookingDto, CreateBookingBody, booking_dto, booking_request};
use super::error::{ApiError, ErrorBody};
use super::hubs::{local, utc};
use crate::metrics::BookingChannel;
use crate::service::from_db_time;
use crate::service::house_rules::BookingTerms;
use crate::service::waitlist::{self, OwnEntry};
use crate::state::AppState;

/// A place on a waitlist.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct WaitlistEntryDto {
    pub id: String,
    pub space_id: String,
    pub space_name: String,
    pub hub_id: String,
    /// UTC, RFC 3339.
    pub start: String,
    pub end: String,
    /// The same instants in the hub's time zone.
    pub start_local: String,
    pub end_local: String,
    /// `waiting`, or `offered`: the slot is held for the caller until `offer_expires_at`
    /// (book it with `POST /api/v1/waitlist/{id}/accept`).
    pub status: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub offer_expires_at: Option<String>,
}

/// What accepting an offer says besides "yes": the same terms as a new booking, needed where the
/// operator has house rules the caller has not accepted yet or the room asks for a purpose.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct AcceptOfferBody {
    #[serde(default)]
    #[schema(minimum = 1, maximum = 2147483647)]
    pub accept_house_rules_version: Option<i32>,
    #[serde(default)]
    #[schema(max_length = 200)]
    pub purpose: Option<String>,
    #[serde(default)]
    #[schema(minimum = 1, maximum = 2147483647)]
    pub head_count: Option<i64>,
}

fn entry_dto(own: OwnEntry) -> WaitlistEntryDto {
    let tz = own.place.hub.time_zone;
    let (start, end) = (from_db_time(own.entry.start_at), from_db_time(own.entry.end_at));
    WaitlistEntryDto {
        id: own.entry.id,
        space_id: own.entry.space_id.into(),
        space_name: own.place.space.name,
        hub_id: own.place.hub.id.into(),
        start: utc(start),
        end: utc(end),
        start_local: local(start, &tz),
        end_local: local(end, &tz),
        status: own.entry.status,
        offer_expires_at: own.entry.offer_expires_at.map(|t| utc(from_db_time(t))),
    }
}

/// The caller's open places (waiting or offered), soonest first.
#[utoipa::path(get, path = "/api/v1/waitlist", tag = "waitlist", security(("bearer" = [])),
    responses((status = 200, body = [WaitlistEntryDto]), (status = 401, body = ErrorBody)))]
pub async fn list_waitlist(
    state: web::Data<AppState>,
    ApiUser(user): ApiUser,
) -> Result<web::Json<Vec<WaitlistEntryDto>>, ApiError> {
    let (ctx, now) = (state.context.clone(), state.clock.now());
    let entries = state.db(move |conn| waitlist::list_own(conn, &ctx, &user, now)).await?;
    Ok(web::Json(entries.into_iter().map(entry_dto).collect()))
}

/// Waits for a taken time of a space. When it frees, the first one waiting is offered it by
/// mail and it is held for them for a while (the hub's setting, 30 minutes by default); then the
/// next one is asked. Only a time the caller could book were it free may be waited for. The
/// terms fields of the body are not used here (they are given when the offer is accepted).
#[utoipa::path(post, path = "/api/v1/waitlist", tag = "waitlist", security(("bearer" = [])),
    request_body = CreateBookingBody,
    responses(
        (status = 201, body = WaitlistEntryDto, description = "the place"),
        (status = 400, body = ErrorBody, description = "malformed JSON"),
        (status = 401, body = ErrorBody),
        (status = 404, body = ErrorBody, description = "no such space"),
        (status = 409, body = ErrorBody, description = "the time is free: book it (`waitlist_slot_free`); already waiting for it (`waitlist_already_waiting`); waiting for as many times as one may (`waitlist_full`)"),
        (status = 422, body = ErrorBody, description = "a time names no real instant (`invalid_time`) or a booking rule refuses the time; `code` names it"),
    ))]
pub async fn join_waitlist(
    state: web::Data<AppState>,
    ApiUser(user): ApiUser,
    body: web::Json<serde_json::Value>,
) -> Result<HttpResponse, ApiError> {
    let body: CreateBookingBody = super::body::object(body.into_inner())?;
    let request = booking_request(&body)?;
    let (ctx, now) = (state.context.clone(), state.clock.now());
    let joined = state.db(move |conn| waitlist::join(conn, &ctx, &user, &request, now)).await?;
    Ok(HttpResponse::Created().json(entry_dto(joined)))
}

/// Leaves a place; an offer held for the caller passes to the next one waiting. Leaving twice
/// is harmless.
#[utoipa::path(delete, path = "/api/v1/waitlist/{id}", tag = "waitlist", security(("bearer" = [])),
    params(("id" = String, Path, description = "waitlist place id")),
    responses((status = 204, description = "left"), (status = 401, body = ErrorBody),
        (status = 404, body = ErrorBody, description = "not the caller's place")))]
pub async fn leave_waitlist(
    state: web::Data<AppState>,
    ApiUser(user): ApiUser,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    state.db(move |conn| waitlist::leave(conn, &user, &id)).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Books the slot offered to the caller while the offer holds, under the usual booking rules.
/// The body may be empty, or give the terms a new booking there needs.
#[utoipa::path(post, path = "/api/v1/waitlist/{id}/accept", tag = "waitlist", security(("bearer" = [])),
    params(("id" = String, Path, description = "waitlist place id")),
    request_body(content = Option<AcceptOfferBody>, description = "optional: the terms, as for a new booking"),
    responses(
        (status = 201, body = BookingDto, description = "the booking, with its door PIN (`pin`) when confirmed"),
        (status = 400, body = ErrorBody, description = "malformed JSON"),
        (status = 401, body = ErrorBody),
        (status = 404, body = ErrorBody, description = "not the caller's place"),
        (status = 409, body = ErrorBody, description = "no offer for the caller (any more) (`waitlist_no_offer`), or the time is taken (`slot_taken`)"),
        (status = 422, body = ErrorBody, description = "a booking rule is broken, the house rules are not accepted (`house_rules_not_accepted`) or the purpose is missing or unusable; `code` names it"),
    ))]
pub async fn accept_offer(
    req: HttpRequest,
    state: web::Data<AppState>,
    ApiUser(user): ApiUser,
    id: web::Path<String>,
    body: web::Bytes,
) -> Result<HttpResponse, ApiError> {
    // No body, or `null`, is no terms; anything else must be the terms' object, sent as JSON
    // like every other body of the API.
    let value: serde_json::Value = if body.iter().all(u8::is_ascii_whitespace) {
        serde_json::Value::Null
    } else {
        let json =
            req.mime_type().ok().flatten().is_some_and(|m| m.subtype() == mime::JSON || m.suffix() == Some(mime::JSON));
        if !json {
            return Err(ApiError::malformed_body("the body must be sent as application/json"));
        }
        serde_json::from_slice(&body).map_err(|e| ApiError::malformed_body(&e.to_string()))?
    };
    let body: AcceptOfferBody = if value.is_null() { AcceptOfferBody::default() } else { super::body::object(value)? };
    let terms = BookingTerms {
        accept_house_rules_version: body.accept_house_rules_version,
        purpose: body.purpose,
        head_count: body.head_count,
    };
    let id = id.into_inner();
    let (ctx, now) = (state.context.clone(), state.clock.now());
    let created = state.db(move |conn| waitlist::accept(conn, &ctx, &user, &id, &terms, now)).await?;
    state.metrics.booking_created(BookingChannel::Api);
    let dto = BookingDto { pin: created.pin.map(|pin| pin.as_str().to_owned()), ..booking_dto(created.view) };
    Ok(HttpResponse::Created().json(dto))
}
