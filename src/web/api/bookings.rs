//! `POST /bookings`, `GET /bookings` (the caller's own), `DELETE /bookings/{id}`,
//! `POST /bookings/{id}/pin` (a new door PIN).

use actix_web::{HttpResponse, web};
use chrono::{DateTime, NaiveDateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::auth::ApiUser;
use super::error::{ApiError, ErrorBody};
use super::hubs::{local, utc};
use crate::domain::ids::{BookingId, SpaceId};
use crate::metrics::{BookingChannel, CancelledBy};
use crate::service::booking::{self, BookingTime, BookingView, NewBookingRequest};
use crate::service::from_db_time;
use crate::service::house_rules::BookingTerms;
use crate::service::pin::{self, OsRngPins};
use crate::state::AppState;

/// A booking request. Times are RFC 3339 (`2026-11-23T09:00:00+01:00` or `…Z`), or a local
/// wall-clock time without an offset (`2026-11-23T09:00`) read in the hub's time zone. The
/// schema's `pattern` is exactly the shapes [`parse_time`] reads (the same in
/// `ChangeBookingBody`); a value of that shape that names no real time (month 13) answers 422.
#[derive(Debug, Deserialize, ToSchema)]
pub struct CreateBookingBody {
    #[schema(min_length = 1)]
    pub space_id: String,
    #[schema(
        min_length = 1,
        pattern = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}(T[0-9]{2}:[0-9]{2}(:[0-9]{2})?|[Tt ][0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?([Zz]|[+-][0-9]{2}:[0-9]{2}))$",
        example = "2026-11-23T09:00:00+01:00"
    )]
    pub start: String,
    #[schema(
        min_length = 1,
        pattern = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}(T[0-9]{2}:[0-9]{2}(:[0-9]{2})?|[Tt ][0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?([Zz]|[+-][0-9]{2}:[0-9]{2}))$",
        example = "2026-11-23T11:00:00+01:00"
    )]
    pub end: String,
    /// The version of the operator's house rules the caller accepts with this booking: required
    /// while the caller has not accepted the current version (else 422
    /// `house_rules_not_accepted`, whose message names the current version).
    #[serde(default)]
    #[schema(minimum = 1, maximum = 2147483647)]
    pub accept_house_rules_version: Option<i32>,
    /// What the booking is for (at most 200 characters): required where the space asks for a
    /// purpose (422 `purpose_missing`), ignored elsewhere. Shown to the hub's staff only.
    #[serde(default)]
    #[schema(max_length = 200)]
    pub purpose: Option<String>,
    /// How many people come (1 to the room's capacity): required where the space asks for a
    /// purpose (422 `head_count_out_of_range`).
    #[serde(default)]
    #[schema(minimum = 1, maximum = 2147483647)]
    pub head_count: Option<i64>,
}

/// A booking as the API shows it.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct BookingDto {
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
    /// `pending` (waits for approval), `confirmed`, `cancelled`, `checked_in`, `no_show`, `completed`.
    pub status: String,
    pub created_at: String,
    /// The door PIN, in the answer to the booking only (it is stored as a keyed hash and cannot
    /// be shown again); absent for pending bookings, which get one when confirmed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pin: Option<String>,
}

/// A new door PIN; the previous one no longer opens any door.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct NewPinDto {
    pub booking_id: String,
    pub pin: String,
}

/// Books a space for the caller.
#[utoipa::path(post, path = "/api/v1/bookings", tag = "bookings", security(("bearer" = [])),
    request_body = CreateBookingBody,
    responses(
        (status = 201, body = BookingDto, description = "the booking, with its door PIN (`pin`) when confirmed"),
        (status = 400, body = ErrorBody, description = "malformed JSON"),
        (status = 401, body = ErrorBody),
        (status = 404, body = ErrorBody, description = "no such space"),
        (status = 409, body = ErrorBody, description = "the time is taken (`slot_taken`)"),
        (status = 422, body = ErrorBody, description = "a time names no real instant (`invalid_time`) or a booking rule is broken, the house rules are not accepted (`house_rules_not_accepted`) or the purpose is missing or unusable; `code` names it"),
    ))]
pub async fn create_booking(
    state: web::Data<AppState>,
    ApiUser(user): ApiUser,
    body: web::Json<serde_json::Value>,
) -> Result<HttpResponse, ApiError> {
    let body: CreateBookingBody = super::body::object(body.into_inner())?;
    let request = booking_request(&body)?;
    let terms = BookingTerms {
        accept_house_rules_version: body.accept_house_rules_version,
        purpose: body.purpose,
        head_count: body.head_count,
    };
    let now = state.clock.now();
    let ctx = state.context.clone();
    let created = state
        .db(move |conn| booking::create_booking_with_terms(conn, &ctx, &user, &request, &terms, None, now))
        .await?;
    state.metrics.booking_created(BookingChannel::Api);
    let dto = BookingDto { pin: created.pin.map(|pin| pin.as_str().to_owned()), ..booking_dto(created.view) };
    Ok(HttpResponse::Created().json(dto))
}

/// The caller's own bookings, newest first.
#[utoipa::path(get, path = "/api/v1/bookings", tag = "bookings", security(("bearer" = [])),
    responses((status = 200, body = [BookingDto]), (status = 401, body = ErrorBody)))]
pub async fn list_bookings(
    state: web::Data<AppState>,
    ApiUser(user): ApiUser,
) -> Result<web::Json<Vec<BookingDto>>, ApiError> {
    let views =
        state.db_with_catalogue(move |conn, catalogue| booking::list_own_bookings(conn, catalogue, &user)).await?;
    let views = views.into_iter().map(booking_dto).collect();
    Ok(web::Json(views))
}

/// Cancels one of the caller's bookings; another person's booking answers 404.
#[utoipa::path(delete, path = "/api/v1/bookings/{id}", tag = "bookings", security(("bearer" = [])),
    params(("id" = String, Path, description = "booking id")),
    responses((status = 200, body = BookingDto, description = "the cancelled booking"), (status = 401, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody, description = "ended or in use (`not_cancellable`)")))]
pub async fn cancel_booking(
    state: web::Data<AppState>,
    ApiUser(user): ApiUser,
    id: web::Path<BookingId>,
) -> Result<web::Json<BookingDto>, ApiError> {
    let id = id.into_inner();
    let now = state.clock.now();
    let ctx = state.context.clone();
    let cancellation = state.db(move |conn| booking::cancel_own_booking_telling(conn, &ctx, &user, &id, now)).await?;
    if cancellation.newly_cancelled {
        state.metrics.bookings_cancelled(CancelledBy::Member, 1);
    }
    Ok(web::Json(booking_dto(cancellation.view)))
}

/// Replaces the door PIN of one of the caller's bookings (a forgotten PIN cannot be shown again).
#[utoipa::path(post, path = "/api/v1/bookings/{id}/pin", tag = "bookings", security(("bearer" = [])),
    params(("id" = String, Path, description = "booking id")),
    responses((status = 201, body = NewPinDto, description = "the new PIN; the old one no longer works"),
        (status = 401, body = ErrorBody), (status = 404, body = ErrorBody, description = "not the caller's booking"),
        (status = 409, body = ErrorBody, description = "the booking has no PIN: pending, cancelled or over (`no_pin`)")))]
pub async fn new_pin(
    state: web::Data<AppState>,
    ApiUser(user): ApiUser,
    id: web::Path<BookingId>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let now = state.clock.now();
    let ctx = state.context.clone();
    let dto = state
        .db(move |conn| {
            let pin = pin::renew_own_pin(conn, &ctx, &user, &id, now, &mut OsRngPins)?;
            Ok(NewPinDto { booking_id: id.into(), pin: pin.as_str().to_owned() })
        })
        .await?;
    Ok(HttpResponse::Created().json(dto))
}

/// The space and times of a booking body (a new booking, a waitlist place).
pub(super) fn booking_request(body: &CreateBookingBody) -> Result<NewBookingRequest, ApiError> {
    Ok(NewBookingRequest {
        space_id: SpaceId::new(body.space_id.clone()),
        start: parse_time("start", &body.start)?,
        end: parse_time("end", &body.end)?,
    })
}

pub(super) fn parse_time(field: &'static str, value: &str) -> Result<BookingTime, ApiError> {
    if let Ok(instant) = DateTime::parse_from_rfc3339(value) {
        return Ok(BookingTime::Instant(instant.with_timezone(&Utc)));
    }
    for format in ["%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M"] {
        if let Ok(local) = NaiveDateTime::parse_from_str(value, format) {
            return Ok(BookingTime::Local(local));
        }
    }
    Err(ApiError::invalid(
        field,
        "invalid_time",
        format!("{field} must be an RFC 3339 time such as 2026-11-23T09:00:00+01:00"),
    ))
}

pub(super) fn booking_dto(view: BookingView) -> BookingDto {
    let tz = view.hub.time_zone;
    let (start, end) = (from_db_time(view.booking.start_at), from_db_time(view.booking.end_at));
    BookingDto {
        id: view.booking.id.into(),
        space_id: view.booking.space_id.into(),
        space_name: view.space.name,
        hub_id: view.hub.id.into(),
        start: utc(start),
        end: utc(end),
        start_local: local(start, &tz),
        end_local: local(end, &tz),
        status: view.booking.status.as_str().to_owned(),
        created_at: utc(from_db_time(view.booking.created_at)),
        pin: None,
    }
}
