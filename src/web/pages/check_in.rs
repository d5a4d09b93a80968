//! Checking in by hand on the member site: the booking page's "Ich bin da" panel and its form,
//! and the page a space's QR code leads to (`/check-in/{space}`), which after log-in asks to
//! confirm and checks in the member's current booking of that space. The rules are in
//! `service::check_in`; a refusal comes back to the page as a code in the query and is told in
//! words.

use actix_web::{HttpRequest, HttpResponse, Responder, web};
use askama::Template;
use askama_web::WebTemplate;
use serde::Deserialize;

use super::hubs::zone;
use super::{PageError, see_other};
use crate::db::users::User;
use crate::domain::check_in::{CheckInRefusal, ManualCheckIn};
use crate::domain::ids::{BookingId, SpaceId};
use crate::i18n::{self, Lang};
use crate::service::ServiceError;
use crate::service::check_in::{self, CheckInOffer, CheckInVia};
use crate::state::AppState;
use crate::web::layout::Layout;
use crate::web::session::{CurrentUser, MaybeUser, require_csrf};

/// The query value that reports a successful check-in.
const DONE: &str = "done";

/// The booking page's check-in panel.
pub struct CheckInPanel {
    /// Whether the "Ich bin da" button is offered now.
    pub can_check_in: bool,
    /// Until when (local time) the button is offered, in words.
    pub until: String,
}

/// Loads the check-in panel of the user's booking.
///
/// # Errors
/// `NotFound` for someone else's booking; on a database failure.
pub async fn check_in_panel(state: &AppState, user: User, booking_id: BookingId) -> Result<CheckInPanel, PageError> {
    let now = state.clock.now();
    let (offer, tz) = state
        .db(move |conn| {
            let view = crate::service::booking::find_own_booking(conn, &user, &booking_id)?;
            Ok::<_, ServiceError>((check_in::offer(conn, &view, now)?, view.hub.time_zone))
        })
        .await?;
    Ok(CheckInPanel { can_check_in: offer.can_check_in(), until: i18n::format_time(offer.window.closes, zone(&tz)) })
}

/// The flash for a check-in result named in the booking page's query (`done` or a refusal code).
pub fn check_in_message(lang: Lang, code: &str) -> String {
    let known = [
        DONE,
        CheckInRefusal::NotOffered.code(),
        CheckInRefusal::NotConfirmed.code(),
        CheckInRefusal::NotOpenYet.code(),
        CheckInRefusal::Closed.code(),
    ];
    let code = if known.contains(&code) { code } else { "other" };
    i18n::t(lang, &format!("check-in-result-{}", code.replace('_', "-")))
}

/// The check-in forms.
#[derive(Debug, Deserialize)]
pub struct CheckInForm {
    #[serde(default)]
    pub csrf_token: String,
    /// The booking the QR page offered (the booking page names it in the path).
    #[serde(default)]
    pub booking_id: String,
}

/// `POST /bookings/{id}/check-in`: "Ich bin da".
pub async fn check_in_booking(
    state: web::Data<AppState>,
    current: CurrentUser,
    id: web::Path<BookingId>,
    form: web::Form<CheckInForm>,
) -> Result<HttpResponse, PageError> {
    if require_csrf(&current, &form.csrf_token).is_err() {
        return Ok(HttpResponse::Forbidden().finish());
    }
    let (user, id, now) = (current.user, id.into_inner(), state.clock.now());
    let target = id.clone();
    let result =
        state.db(move |conn| check_in::check_in_own_booking(conn, &user, &target, None, CheckInVia::Manual, now)).await;
    let code = match result {
        Ok(_) => DONE,
        Err(ServiceError::Conflict { code, .. }) => code.as_str(),
        Err(other) => return Err(other.into()),
    };
    Ok(see_other(&format!("/bookings/{id}?check_in={code}")))
}

/// What the QR page says.
pub enum QrState {
    /// The booking can be checked in: the form is shown.
    Ready { booking_id: BookingId, when: String },
    /// Checked in already.
    Already { booking_id: BookingId },
    /// A booking, but not now: the reason in words.
    Refused { booking_id: BookingId, why: String },
    /// No booking of this space now.
    NoBooking,
}

#[derive(Template, WebTemplate)]
#[template(path = "check_in/space.html")]
pub struct QrCheckInPage {
    pub layout: Layout,
    pub space: String,
    pub hub: String,
    pub hub_slug: String,
    pub space_id: String,
    pub state: QrState,
}

/// The QR page's query: a refusal the confirmation ran into.
#[derive(Debug, Deserialize)]
pub struct QrQuery {
    pub refused: Option<String>,
}

/// `GET /check-in/{space}`: what the space's QR code leads to. Logging in comes first (the
/// session sends the visitor back here).
pub async fn qr_page(
    req: HttpRequest,
    state: web::Data<AppState>,
    current: CurrentUser,
    space_id: web::Path<SpaceId>,
    query: web::Query<QrQuery>,
) -> Result<impl Responder, PageError> {
    let user = current.user.clone();
    let mut layout = Layout::new(&req, &MaybeUser(Some(current)));
    let lang = layout.lang;
    if let Some(code) = &query.refused {
        layout = layout.with_flash(check_in_message(lang, code));
    }
    let now = state.clock.now();
    let id = space_id.into_inner();
    let found = state.db(move |conn| check_in::space_check_in(conn, &user, &id, now)).await?;
    let tz = zone(&found.hub.time_zone);
    let state = match found.booking {
        None => QrState::NoBooking,
        Some((view, offer)) => {
            let booking_id = view.booking.id.clone();
            match offer.state {
                Ok(ManualCheckIn::CheckIn) => {
                    let start = crate::service::from_db_time(view.booking.start_at);
                    let end = crate::service::from_db_time(view.booking.end_at);
                    let when = format!(
                        "{}, {}–{}",
                        i18n::format_date(lang, start.with_timezone(&tz).date_naive()),
                        i18n::format_time(start, tz),
                        i18n::format_time(end, tz)
                    );
                    QrState::Ready { booking_id, when }
                }
                Ok(ManualCheckIn::Already) => QrState::Already { booking_id },
                Err(refusal) => QrState::Refused { booking_id, why: refusal_words(lang, refusal, &offer, tz) },
            }
        }
    };
    Ok(QrCheckInPage {
        layout,
        space: found.space.name,
        hub: found.hub.name,
        hub_slug: found.hub.slug,
        space_id: String::from(found.space.id),
        state,
    })
}

fn refusal_words(lang: Lang, refusal: CheckInRefusal, offer: &CheckInOffer, tz: chrono_tz::Tz) -> String {
    match refusal {
        CheckInRefusal::NotOpenYet => {
            i18n::t_args(lang, "check-in-opens-at", &[("time", i18n::format_time(offer.window.opens, tz))])
        }
        other => check_in_message(lang, other.code()),
    }
}

/// `POST /check-in/{space}`: checks in the booking the QR page offered.
pub async fn qr_check_in(
    state: web::Data<AppState>,
    current: CurrentUser,
    space_id: web::Path<SpaceId>,
    form: web::Form<CheckInForm>,
) -> Result<HttpResponse, PageError> {
    if require_csrf(&current, &form.csrf_token).is_err() {
        return Ok(HttpResponse::Forbidden().finish());
    }
    let (user, space_id, now) = (current.user, space_id.into_inner(), state.clock.now());
    let (booking_id, space) = (BookingId::new(form.booking_id.clone()), space_id.clone());
    let result = state
        .db(move |conn| check_in::check_in_own_booking(conn, &user, &booking_id, Some(&space), CheckInVia::Qr, now))
        .await;
    match result {
        Ok(view) => Ok(see_other(&format!("/bookings/{}?check_in={DONE}", view.booking.id))),
        Err(ServiceError::Conflict { code, .. }) => Ok(see_other(&format!("/check-in/{space_id}?refused={code}"))),
        Err(other) => Err(other.into()),
    }
}
