//! `POST /api/v1/bookings/{id}/check-in`: a member's app checks one of their bookings in by hand,
//! as the "Ich bin da" button does. Refusals answer 409 with the rule's code.

use actix_web::web;

use super::auth::ApiUser;
use super::bookings::{BookingDto, booking_dto};
use super::error::{ApiError, ErrorBody};
use crate::domain::ids::BookingId;
use crate::service::check_in::{self, CheckInVia};
use crate::state::AppState;

/// Checks in one of the caller's bookings by hand; checking in twice changes nothing. Allowed
/// for a confirmed booking at a space that offers checking in by hand, from the PIN's grace
/// before the start until the no-show window closes.
#[utoipa::path(post, path = "/api/v1/bookings/{id}/check-in", tag = "bookings", security(("bearer" = [])),
    params(("id" = String, Path, description = "booking id")),
    responses((status = 200, body = BookingDto, description = "the booking, now `checked_in`"),
        (status = 401, body = ErrorBody), (status = 404, body = ErrorBody, description = "not the caller's booking"),
        (status = 409, body = ErrorBody, description = "refused: `check_in_not_offered` (the space has no manual \
            check-in), `check_in_not_confirmed`, `check_in_not_open` (too early), `check_in_closed` (the no-show \
            window is over)")))]
pub async fn check_in(
    state: web::Data<AppState>,
    ApiUser(user): ApiUser,
    id: web::Path<BookingId>,
) -> Result<web::Json<BookingDto>, ApiError> {
    let id = id.into_inner();
    let now = state.clock.now();
    let view =
        state.db(move |conn| check_in::check_in_own_booking(conn, &user, &id, None, CheckInVia::Manual, now)).await?;
    Ok(web::Json(booking_dto(view)))
}
