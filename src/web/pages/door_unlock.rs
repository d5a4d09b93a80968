//! The booking page's "Open the door" panel and its form: one button per door the booking leads
//! through while its window is open, and the latest unlock's real status (requested, opened,
//! failed) as the bridge reported it. The page refreshes itself only while an unlock is pending.

use actix_web::{HttpResponse, web};

use super::{PageError, see_other};
use crate::db::users::User;
use crate::domain::ids::{BookingId, DoorId};
use crate::i18n::{self, Lang};
use crate::service::remote_unlock::{self, UnlockOutcome};
use crate::state::AppState;
use crate::web::session::{CurrentUser, TokenOnly, require_csrf};

/// One door on the booking page.
pub struct DoorButton {
    pub id: DoorId,
    pub name: String,
    /// The latest unlock's status in words, if there was one.
    pub status_label: Option<String>,
    /// `requested`, `delivered`, `executed`, `failed` or `expired`.
    pub status: String,
}

/// The panel: the doors, whether the button is offered now, whether an unlock is pending.
pub struct DoorPanel {
    pub doors: Vec<DoorButton>,
    pub can_open: bool,
    pub pending: bool,
}

/// Loads the door panel of the user's booking.
///
/// # Errors
/// On a database failure.
pub async fn door_panel(
    state: &AppState,
    user: User,
    booking_id: BookingId,
    lang: Lang,
) -> Result<DoorPanel, PageError> {
    let now = state.clock.now();
    let (doors, can_open) = state.db(move |conn| remote_unlock::door_panel(conn, &user, &booking_id, now)).await?;
    let pending = doors.iter().any(|d| d.latest.as_ref().is_some_and(|c| c.status.is_open()));
    let doors = doors
        .into_iter()
        .map(|d| {
            let status = d.latest.map(|c| c.status.as_str().to_owned()).unwrap_or_default();
            DoorButton {
                id: d.door.id,
                name: d.door.name,
                status_label: (!status.is_empty()).then(|| i18n::t(lang, &format!("booking-door-{status}"))),
                status,
            }
        })
        .collect();
    Ok(DoorPanel { doors, can_open, pending })
}

/// The reasons the page explains in words; any other is told as the general one.
const EXPLAINED: [&str; 5] = ["too_early", "too_late", "revoked", "booking_not_active", "too_many_unlocks"];

/// The flash for a refused unlock named in the page's query.
pub fn denial_message(lang: Lang, code: &str) -> String {
    let code = if EXPLAINED.contains(&code) { code } else { "other" };
    i18n::t(lang, &format!("booking-door-denied-{}", code.replace('_', "-")))
}

/// `POST /bookings/{id}/doors/{door}/open`
pub async fn open_door(
    state: web::Data<AppState>,
    current: CurrentUser,
    path: web::Path<(BookingId, DoorId)>,
    form: web::Form<TokenOnly>,
) -> Result<HttpResponse, PageError> {
    if require_csrf(&current, &form.csrf_token).is_err() {
        return Ok(HttpResponse::Forbidden().finish());
    }
    let (booking_id, door_id) = path.into_inner();
    let user = current.user;
    let now = state.clock.now();
    let target = booking_id.clone();
    match state.db(move |conn| remote_unlock::request(conn, &user, &target, &door_id, now)).await? {
        UnlockOutcome::Requested(_) => Ok(see_other(&format!("/bookings/{booking_id}"))),
        UnlockOutcome::Denied(reason) => Ok(see_other(&format!("/bookings/{booking_id}?door={}", reason.as_str()))),
        UnlockOutcome::TooManyUnlocks => Ok(see_other(&format!("/bookings/{booking_id}?door=too_many_unlocks"))),
    }
}
