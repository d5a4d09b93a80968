//! Waitlists on the member site: joining from a taken slot's booking form, the member's places
//! (`/waitlist`: waiting, or offered and held until a time), booking an offered slot, leaving.

use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use super::book::{BookForm, parse_form};
use super::hubs::zone;
use super::{PageError, see_other};
use crate::domain::ids::SpaceId;
use crate::domain::vocabulary::{BookingUnit, WaitlistStatus};
use crate::i18n::{self, Lang};
use crate::service::house_rules::BookingTerms;
use crate::service::waitlist::{self, OwnEntry};
use crate::service::{ServiceError, from_db_time};
use crate::state::AppState;
use crate::web::layout::Layout;
use crate::web::session::{CurrentUser, MaybeUser, TokenOnly, require_csrf};

/// `POST /spaces/{id}/waitlist`: the booking form's fields of a taken slot.
pub async fn join(
    state: web::Data<AppState>,
    current: CurrentUser,
    space_id: web::Path<SpaceId>,
    form: web::Form<BookForm>,
) -> Result<HttpResponse, PageError> {
    let form = form.into_inner();
    if require_csrf(&current, &form.csrf_token).is_err() {
        return Ok(HttpResponse::Forbidden().finish());
    }
    let space_id = space_id.into_inner();
    let wanted = space_id.clone();
    let space = state
        .db_with_catalogue(move |_, catalogue| catalogue.space(&wanted).cloned().ok_or(ServiceError::NotFound))
        .await?;
    let (request, _) = parse_form(current.lang, &space, &form, space.booking_unit == BookingUnit::Daily);
    let back_to_form = format!(
        "/spaces/{space_id}/book?date={}&from={}&to={}",
        super::bookings::url_encode(&form.date),
        super::bookings::url_encode(&form.from),
        super::bookings::url_encode(&form.to)
    );
    let Some(request) = request else { return Ok(see_other(&back_to_form)) };
    let (user, ctx, now) = (current.user, state.context.clone(), state.clock.now());
    match state.db(move |conn| waitlist::join(conn, &ctx, &user, &request, now)).await {
        Ok(_) => Ok(see_other("/waitlist?done=joined")),
        Err(ServiceError::Conflict { code: crate::service::ErrorCode::WaitlistSlotFree, .. }) => {
            Ok(see_other(&back_to_form))
        }
        Err(ServiceError::Conflict { code, .. }) => Ok(see_other(&format!("/waitlist?refused={code}"))),
        Err(ServiceError::Rule(rule)) => Ok(see_other(&format!("/waitlist?refused={}", rule.code()))),
        Err(ServiceError::LocalTime(_) | ServiceError::Invalid { .. }) => Ok(see_other(&back_to_form)),
        Err(other) => Err(other.into()),
    }
}

/// One place as the page lists it.
pub struct EntryRow {
    pub id: String,
    pub space: String,
    pub hub: String,
    pub when: String,
    /// Offered: the slot is held for the member until `status` says.
    pub offered: bool,
    pub status: String,
}

#[derive(Template)]
#[template(path = "bookings/waitlist.html")]
pub struct WaitlistPage {
    pub layout: Layout,
    pub entries: Vec<EntryRow>,
}

/// Flags a redirect may carry.
#[derive(Debug, Deserialize)]
pub struct WaitlistQuery {
    pub done: Option<String>,
    pub refused: Option<String>,
}

/// `GET /waitlist`: the member's open places.
pub async fn my_waitlist(
    req: HttpRequest,
    state: web::Data<AppState>,
    current: CurrentUser,
    query: web::Query<WaitlistQuery>,
) -> Result<HttpResponse, PageError> {
    let (user, ctx, now) = (current.user.clone(), state.context.clone(), state.clock.now());
    let entries = state.db(move |conn| waitlist::list_own(conn, &ctx, &user, now)).await?;
    let mut layout = Layout::new(&req, &MaybeUser(Some(current)));
    let lang = layout.lang;
    let flash = match (query.done.as_deref(), query.refused.as_deref()) {
        (Some("joined"), _) => Some(i18n::t(lang, "waitlist-joined")),
        (Some("left"), _) => Some(i18n::t(lang, "waitlist-left")),
        (_, Some(code)) => Some(refusal_message(lang, code)),
        _ => None,
    };
    if let Some(message) = flash {
        layout = layout.with_flash(message);
    }
    let entries = entries.iter().map(|entry| row(lang, entry)).collect();
    let page = WaitlistPage { layout, entries };
    Ok(HttpResponse::Ok().content_type("text/html; charset=utf-8").body(page.render()?))
}

/// The sentence for a refused join or acceptance; codes come from our own redirects, anything
/// else reads as the general one.
fn refusal_message(lang: Lang, code: &str) -> String {
    let known = [
        "waitlist_already_waiting",
        "waitlist_full",
        "waitlist_no_offer",
        "starts_in_past",
        "slot_taken",
        "upcoming_limit",
        "concurrent_limit",
        "use_the_form",
    ];
    if known.contains(&code) {
        i18n::t(lang, &format!("waitlist-refused-{code}"))
    } else {
        i18n::t(lang, "waitlist-refused-other")
    }
}

fn row(lang: Lang, own: &OwnEntry) -> EntryRow {
    let tz = zone(&own.place.hub.time_zone);
    let (start, end) = (from_db_time(own.entry.start_at), from_db_time(own.entry.end_at));
    let local_start = start.with_timezone(&tz);
    let when = if own.place.space.booking_unit == BookingUnit::Daily {
        i18n::format_date(lang, local_start.date_naive())
    } else {
        format!(
            "{}, {}–{}",
            i18n::format_date(lang, local_start.date_naive()),
            i18n::format_time(start, tz),
            i18n::format_time(end, tz)
        )
    };
    let offered = own.entry.status == WaitlistStatus::Offered.as_str();
    let status = match own.entry.offer_expires_at {
        Some(until) if offered => i18n::t_args(
            lang,
            "waitlist-offered-until",
            &[("until", i18n::format_date_time(lang, from_db_time(until), tz))],
        ),
        _ => i18n::t(lang, "waitlist-waiting"),
    };
    EntryRow {
        id: own.entry.id.clone(),
        space: own.place.space.name.clone(),
        hub: own.place.hub.name.clone(),
        when,
        offered,
        status,
    }
}

/// `POST /waitlist/{id}/accept`: books the offered slot.
pub async fn accept(
    state: web::Data<AppState>,
    current: CurrentUser,
    id: web::Path<String>,
    form: web::Form<TokenOnly>,
) -> Result<HttpResponse, PageError> {
    if require_csrf(&current, &form.csrf_token).is_err() {
        return Ok(HttpResponse::Forbidden().finish());
    }
    let (user, ctx, now) = (current.user.clone(), state.context.clone(), state.clock.now());
    let id = id.into_inner();
    match state.db(move |conn| waitlist::accept(conn, &ctx, &user, &id, &BookingTerms::default(), now)).await {
        Ok(created) => {
            state.metrics.booking_created(crate::metrics::BookingChannel::Web);
            let booking_id = created.view.booking.id;
            if let Some(pin) = &created.pin {
                state.pin_reveals.keep(&current.user.id, &booking_id, pin.as_str());
            }
            Ok(see_other(&format!("/bookings/{booking_id}?new=1")))
        }
        Err(ServiceError::Conflict { code, .. }) => Ok(see_other(&format!("/waitlist?refused={code}"))),
        Err(ServiceError::Rule(rule)) => Ok(see_other(&format!("/waitlist?refused={}", rule.code()))),
        // House rules to accept or a purpose to give: the booking form asks for them, and the
        // slot stays held for this member there too.
        Err(ServiceError::Invalid { .. }) => Ok(see_other("/waitlist?refused=use_the_form")),
        Err(other) => Err(other.into()),
    }
}

/// `POST /waitlist/{id}/leave`
pub async fn leave(
    state: web::Data<AppState>,
    current: CurrentUser,
    id: web::Path<String>,
    form: web::Form<TokenOnly>,
) -> Result<HttpResponse, PageError> {
    if require_csrf(&current, &form.csrf_token).is_err() {
        return Ok(HttpResponse::Forbidden().finish());
    }
    let user = current.user;
    let id = id.into_inner();
    state.db(move |conn| waitlist::leave(conn, &user, &id)).await?;
    Ok(see_other("/waitlist?done=left"))
}
