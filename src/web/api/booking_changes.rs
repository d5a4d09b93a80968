//! `PATCH /bookings/{id}` (move one's own upcoming booking to another time and/or space of the
//! same hub) and `POST /bookings/{id}/release` (end one's running booking early). Someone else's
//! booking answers 404; a refusal names the broken rule in `code`.

use actix_web::web;
use serde::Deserialize;
use utoipa::ToSchema;

use super::auth::ApiUser;
use super::bookings::{BookingDto, booking_dto, parse_time};
use super::error::{ApiError, ErrorBody};
use crate::domain::ids::{BookingId, SpaceId};
use crate::service::booking_changes::{self as changes, BookingChange};
use crate::state::AppState;

/// What to change; every field is optional and a missing one keeps the booking's value. A new
/// `start` without an `end` keeps the booking's length (it moves the booking). Times as for a new
/// booking: RFC 3339, or a wall-clock time without offset read in the hub's time zone.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct ChangeBookingBody {
    /// Another space of the same hub.
    #[serde(default)]
    #[schema(min_length = 1)]
    pub space_id: Option<String>,
    #[serde(default)]
    #[schema(
        min_length = 1,
        pattern = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}(T[0-9]{2}:[0-9]{2}(:[0-9]{2})?|[Tt ][0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?([Zz]|[+-][0-9]{2}:[0-9]{2}))$"
    )]
    pub start: Option<String>,
    #[serde(default)]
    #[schema(
        min_length = 1,
        pattern = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}(T[0-9]{2}:[0-9]{2}(:[0-9]{2})?|[Tt ][0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?([Zz]|[+-][0-9]{2}:[0-9]{2}))$"
    )]
    pub end: Option<String>,
}

/// Moves one of the caller's upcoming bookings (pending or confirmed, not started) under the
/// rules of a new booking. The door PIN stays; the calendar entry is updated by mail (same UID,
/// higher `SEQUENCE`). Moving into a space that needs approval makes the booking `pending` again
/// (its PIN stops until the hub confirms); moving a request into one that does not confirms it
/// and answers with its new `pin`. If the new time is taken nothing changes.
#[utoipa::path(patch, path = "/api/v1/bookings/{id}", tag = "bookings", security(("bearer" = [])),
    params(("id" = String, Path, description = "booking id")),
    request_body = ChangeBookingBody,
    responses(
        (status = 200, body = BookingDto, description = "the moved booking; `pin` only when the move issued a new one"),
        (status = 400, body = ErrorBody, description = "malformed JSON"),
        (status = 401, body = ErrorBody),
        (status = 404, body = ErrorBody, description = "not the caller's booking"),
        (status = 409, body = ErrorBody, description = "the new time is taken (`slot_taken`; the old time stays held) or the booking has started or is over (`not_changeable`)"),
        (status = 422, body = ErrorBody, description = "a time names no real instant (`invalid_time`), a booking rule is broken, or `space_id` is not a space of the booking's hub (`space_not_in_hub`); `code` names it"),
    ))]
pub async fn change_booking(
    state: web::Data<AppState>,
    ApiUser(user): ApiUser,
    id: web::Path<BookingId>,
    body: web::Json<serde_json::Value>,
) -> Result<web::Json<BookingDto>, ApiError> {
    let body: ChangeBookingBody = super::body::object(body.into_inner())?;
    let change = BookingChange {
        space_id: body.space_id.map(SpaceId::new),
        start: body.start.as_deref().map(|t| parse_time("start", t)).transpose()?,
        end: body.end.as_deref().map(|t| parse_time("end", t)).transpose()?,
    };
    let id = id.into_inner();
    let now = state.clock.now();
    let ctx = state.context.clone();
    let changed = state.db(move |conn| changes::change_own_booking(conn, &ctx, &user, &id, &change, now)).await?;
    Ok(web::Json(BookingDto { pin: changed.pin.map(|p| p.as_str().to_owned()), ..booking_dto(changed.view) }))
}

/// Ends one of the caller's running bookings early ("release now"): the end moves to now rounded
/// up to the space's time grid (for whole-day spaces the end of today), the rest of the time is
/// free for others at once, the door PIN works until the new end, and the calendar entry is
/// updated by mail. A booking whose new end is now is `completed` at once.
#[utoipa::path(post, path = "/api/v1/bookings/{id}/release", tag = "bookings", security(("bearer" = [])),
    params(("id" = String, Path, description = "booking id")),
    responses(
        (status = 200, body = BookingDto, description = "the booking with its new end"),
        (status = 401, body = ErrorBody),
        (status = 404, body = ErrorBody, description = "not the caller's booking"),
        (status = 409, body = ErrorBody, description = "not running now (`not_running`) or ending at the next step anyway (`nothing_to_release`)"),
    ))]
pub async fn release_booking(
    state: web::Data<AppState>,
    ApiUser(user): ApiUser,
    id: web::Path<BookingId>,
) -> Result<web::Json<BookingDto>, ApiError> {
    let id = id.into_inner();
    let now = state.clock.now();
    let ctx = state.context.clone();
    let view = state.db(move |conn| changes::release_own_booking(conn, &ctx, &user, &id, now)).await?;
    state.metrics.bookings_released(crate::metrics::ReleaseReason::Member, 1);
    Ok(web::Json(booking_dto(view)))
}
