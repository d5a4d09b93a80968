//! A member's own bookings: the list (upcoming, past, cancelled), one booking's page, and cancelling
//! with a confirmation step. Someone else's booking answers 404 on every route.

use actix_web::{HttpRequest, HttpResponse, Responder, web};
use askama::Template;
use askama_web::WebTemplate;
use serde::Deserialize;

use super::hubs::zone;
use super::messages::{kind_label, status_label};
use super::{PageError, see_other};
use crate::domain::ids::BookingId;
use crate::domain::vocabulary::{BookingStatus, BookingUnit};
use crate::i18n::{self, Lang};
use crate::service::booking::{self as booking_service, BookingView};
use crate::service::from_db_time;
use crate::state::AppState;
use crate::web::layout::Layout;
use crate::web::session::{CurrentUser, MaybeUser, TokenOnly, require_csrf};

/// A booking as the pages show it.
pub struct BookingRow {
    pub id: BookingId,
    pub space: String,
    pub kind: String,
    pub hub: String,
    pub hub_slug: String,
    pub address: String,
    pub map_href: String,
    pub when: String,
    pub status: BookingStatus,
    pub status_label: String,
    pub cancellable: bool,
    /// Not started yet: may be moved ("Ändern").
    pub changeable: bool,
    /// Running now: may be released early ("Jetzt freigeben").
    pub releasable: bool,
    /// Worth a calendar entry: not cancelled.
    pub calendar: bool,
}

/// A booking as the pages show it (also the console's lists).
pub fn row(lang: Lang, view: &BookingView, now: chrono::DateTime<chrono::Utc>) -> BookingRow {
    let tz = zone(&view.hub.time_zone);
    let (start, end) = (from_db_time(view.booking.start_at), from_db_time(view.booking.end_at));
    let local_start = start.with_timezone(&tz);
    let local_end = end.with_timezone(&tz);
    let when = if view.space.booking_unit == BookingUnit::Daily {
        let last_day = (local_end - chrono::Duration::seconds(1)).date_naive();
        if last_day == local_start.date_naive() {
            i18n::format_date(lang, last_day)
        } else {
            format!("{} – {}", i18n::format_date(lang, local_start.date_naive()), i18n::format_date(lang, last_day))
        }
    } else {
        format!(
            "{}, {}–{}",
            i18n::format_date(lang, local_start.date_naive()),
            i18n::format_time(start, tz),
            i18n::format_time(end, tz)
        )
    };
    let address = format!("{}, {} {}", view.hub.street, view.hub.postcode, view.hub.town);
    BookingRow {
        id: view.booking.id.clone(),
        space: view.space.name.clone(),
        kind: kind_label(lang, view.space.kind),
        hub: view.hub.name.clone(),
        hub_slug: view.hub.slug.clone(),
        map_href: format!("https://www.openstreetmap.org/search?query={}", url_encode(&address)),
        address,
        when,
        status: view.booking.status,
        status_label: status_label(lang, view.booking.status),
        cancellable: matches!(view.booking.status, BookingStatus::Pending | BookingStatus::Confirmed) && end > now,
        changeable: super::booking_change::changeable(view, now),
        releasable: super::booking_change::releasable(view, now),
        calendar: view.booking.status != BookingStatus::Cancelled,
    }
}

/// A booking series in "my bookings": one item for all its upcoming dates.
pub struct SeriesCard {
    pub id: String,
    pub space: String,
    pub hub: String,
    /// "4 upcoming dates, next: …".
    pub summary: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "bookings/index.html")]
pub struct MyBookingsPage {
    pub layout: Layout,
    /// Series with upcoming dates, each shown once instead of its dates.
    pub series: Vec<SeriesCard>,
    pub upcoming: Vec<BookingRow>,
    pub past: Vec<BookingRow>,
    /// Cancelled bookings, past or not: they hold nothing and go in no calendar.
    pub cancelled: Vec<BookingRow>,
}

/// `GET /bookings`: upcoming first (soonest first), then past, then cancelled.
pub async fn my_bookings(
    req: HttpRequest,
    state: web::Data<AppState>,
    current: CurrentUser,
) -> Result<impl Responder, PageError> {
    let user = current.user.clone();
    let layout = Layout::new(&req, &MaybeUser(Some(current)));
    let now = state.clock.now();
    let (views, membership) = state
        .db_with_catalogue(move |conn, catalogue| {
            Ok((
                booking_service::list_own_bookings(conn, catalogue, &user)?,
                crate::service::booking_series::series_membership(conn, &user)?,
            ))
        })
        .await?;
    let (cancelled, held): (Vec<_>, Vec<_>) = views.iter().partition(|v| v.booking.status == BookingStatus::Cancelled);
    let (mut upcoming, past): (Vec<_>, Vec<_>) = held.into_iter().partition(|v| from_db_time(v.booking.end_at) > now);
    upcoming.reverse();
    let lang = layout.lang;
    // A series' upcoming dates are one item, placed where its next date is.
    let mut series: Vec<(String, Vec<&BookingView>)> = Vec::new();
    let (in_series, single): (Vec<_>, Vec<_>) =
        upcoming.into_iter().partition(|v| membership.contains_key(&v.booking.id));
    for view in in_series {
        let Some(series_id) = membership.get(&view.booking.id) else { continue };
        match series.iter_mut().find(|(id, _)| id == series_id) {
            Some((_, dates)) => dates.push(view),
            None => series.push((series_id.clone(), vec![view])),
        }
    }
    let series = series
        .into_iter()
        .filter_map(|(id, dates)| {
            let next = row(lang, dates.first()?, now);
            let summary = i18n::t_args(
                lang,
                "series-upcoming",
                &[("count", dates.len().to_string()), ("next", next.when.clone())],
            );
            Some(SeriesCard { id, space: next.space, hub: next.hub, summary })
        })
        .collect();
    Ok(MyBookingsPage {
        series,
        upcoming: single.into_iter().map(|v| row(lang, v, now)).collect(),
        past: past.into_iter().map(|v| row(lang, v, now)).collect(),
        cancelled: cancelled.into_iter().map(|v| row(lang, v, now)).collect(),
        layout,
    })
}

#[derive(Template, WebTemplate)]
#[template(path = "bookings/show.html")]
pub struct BookingPage {
    pub layout: Layout,
    pub booking: BookingRow,
    /// The PIN, shown once right after booking or after asking for a new one.
    pub pin: Option<String>,
    /// The PIN was shown on this page before (it is not shown again; a new one can be made).
    pub pin_was_shown: bool,
    /// Whether the booking has a PIN at all (pending and cancelled ones do not).
    pub has_pin: bool,
    /// The doors it may open from here, and the latest unlock's status.
    pub doors: super::door_unlock::DoorPanel,
    /// The "Ich bin da" button, when checking in by hand is open.
    pub check_in: super::check_in::CheckInPanel,
    /// The series this date belongs to, if any.
    pub series_id: Option<String>,
    /// A room: its guests page is linked (issue 16).
    pub guests: bool,
}

/// Flags a redirect may carry to the booking page.
#[derive(Debug, Deserialize)]
pub struct ShowQuery {
    pub new: Option<String>,
    pub cancelled: Option<String>,
    /// After a move or an early release.
    pub changed: Option<String>,
    pub released: Option<String>,
    /// Why a remote unlock was refused (a deny reason code).
    pub door: Option<String>,
    /// A check-in's result: `done` or why it was refused.
    pub check_in: Option<String>,
    /// `shown`: this page showed the PIN a moment ago (the language switch comes back with it).
    pub pin: Option<String>,
}

/// `GET /bookings/{id}`
pub async fn show_booking(
    req: HttpRequest,
    state: web::Data<AppState>,
    current: CurrentUser,
    id: web::Path<BookingId>,
    query: web::Query<ShowQuery>,
) -> Result<impl Responder, PageError> {
    let user = current.user.clone();
    let panel_user = current.user.clone();
    let check_in_user = current.user.clone();
    let id = id.into_inner();
    let mut layout = Layout::new(&req, &MaybeUser(Some(current)));
    let now = state.clock.now();
    let (view, series_id) = state
        .db(move |conn| {
            let view = booking_service::find_own_booking(conn, &user, &id)?;
            let series = crate::service::booking_series::series_of_booking(conn, &view.booking.id)?;
            Ok((view, series))
        })
        .await?;
    let lang = layout.lang;
    let doors = super::door_unlock::door_panel(&state, panel_user, view.booking.id.clone(), lang).await?;
    let check_in = super::check_in::check_in_panel(&state, check_in_user, view.booking.id.clone()).await?;
    if let Some(code) = &query.door {
        layout = layout.with_flash(super::door_unlock::denial_message(lang, code));
    } else if let Some(code) = &query.check_in {
        layout = layout.with_flash(super::check_in::check_in_message(lang, code));
    } else if query.new.is_some() {
        layout = layout.with_flash(i18n::t(lang, "booking-created"));
    } else if query.cancelled.is_some() {
        layout = layout.with_flash(i18n::t(lang, "booking-cancelled-flash"));
    } else if query.changed.is_some() {
        layout = layout.with_flash(i18n::t(lang, "booking-change-done"));
    } else if query.released.is_some() {
        layout = layout.with_flash(i18n::t(lang, "booking-release-done"));
    }
    let pin = view.booking.user_id.as_ref().and_then(|owner| state.pin_reveals.take(owner, &view.booking.id));
    let has_pin = view.booking.status.opens_doors();
    let pin_was_shown = pin.is_some() || query.pin.as_deref() == Some("shown");
    // The banner and the PIN are one-time notices: the language switch comes back to the plain
    // page, saying only that the PIN was shown, instead of replaying the banner without the PIN.
    let back = format!("/bookings/{}{}", view.booking.id, if pin_was_shown { "?pin=shown" } else { "" });
    let layout = layout.with_return_path(back);
    let booking = row(layout.lang, &view, now);
    let guests = view.space.kind == crate::domain::vocabulary::SpaceKind::Room;
    Ok(BookingPage { layout, booking, pin, pin_was_shown, has_pin, doors, check_in, series_id, guests })
}

/// `GET /bookings/{id}/booking.ics`: the booking as a calendar entry.
pub async fn calendar_file(
    state: web::Data<AppState>,
    current: CurrentUser,
    id: web::Path<BookingId>,
) -> Result<HttpResponse, PageError> {
    let user = current.user;
    let id = id.into_inner();
    let now = state.clock.now();
    let ctx = state.context.clone();
    let ics = state.db(move |conn| crate::service::booking_mail::own_booking_ics(conn, &ctx, &user, &id, now)).await?;
    Ok(HttpResponse::Ok()
        .content_type("text/calendar; charset=utf-8")
        .insert_header(("Content-Disposition", "attachment; filename=\"regiohub-booking.ics\""))
        .body(ics))
}

/// `POST /bookings/{id}/pin`: replaces a forgotten PIN; the new one is shown once.
pub async fn new_pin(
    state: web::Data<AppState>,
    current: CurrentUser,
    id: web::Path<BookingId>,
    form: web::Form<TokenOnly>,
) -> Result<HttpResponse, PageError> {
    if require_csrf(&current, &form.csrf_token).is_err() {
        return Ok(HttpResponse::Forbidden().finish());
    }
    let user = current.user;
    let user_id = user.id.clone();
    let id = id.into_inner();
    let target = id.clone();
    let now = state.clock.now();
    let ctx = state.context.clone();
    let renewed = state
        .db(move |conn| {
            crate::service::pin::renew_own_pin(conn, &ctx, &user, &target, now, &mut crate::service::pin::OsRngPins)
        })
        .await;
    match renewed {
        Ok(pin) => {
            state.pin_reveals.keep(&user_id, &id, pin.as_str());
            Ok(see_other(&format!("/bookings/{id}")))
        }
        Err(crate::service::ServiceError::Conflict { .. }) => Ok(see_other(&format!("/bookings/{id}"))),
        Err(other) => Err(other.into()),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "bookings/cancel.html")]
pub struct CancelPage {
    pub layout: Layout,
    pub booking: BookingRow,
}

/// `GET /bookings/{id}/cancel`: asks before cancelling.
pub async fn confirm_cancel(
    req: HttpRequest,
    state: web::Data<AppState>,
    current: CurrentUser,
    id: web::Path<BookingId>,
) -> Result<impl Responder, PageError> {
    let user = current.user.clone();
    let id = id.into_inner();
    let layout = Layout::new(&req, &MaybeUser(Some(current)));
    let now = state.clock.now();
    let view = state.db(move |conn| booking_service::find_own_booking(conn, &user, &id)).await?;
    let booking = row(layout.lang, &view, now);
    Ok(CancelPage { layout, booking })
}

/// `POST /bookings/{id}/cancel`
pub async fn cancel(
    state: web::Data<AppState>,
    current: CurrentUser,
    id: web::Path<BookingId>,
    form: web::Form<TokenOnly>,
) -> Result<HttpResponse, PageError> {
    if require_csrf(&current, &form.csrf_token).is_err() {
        return Ok(HttpResponse::Forbidden().finish());
    }
    let user = current.user;
    let id = id.into_inner();
    let now = state.clock.now();
    let target = id.clone();
    let ctx = state.context.clone();
    match state.db(move |conn| booking_service::cancel_own_booking_telling(conn, &ctx, &user, &target, now)).await {
        Ok(cancellation) => {
            if cancellation.newly_cancelled {
                state.metrics.bookings_cancelled(crate::metrics::CancelledBy::Member, 1);
            }
            Ok(see_other(&format!("/bookings/{id}?cancelled=1")))
        }
        Err(crate::service::ServiceError::Conflict { .. }) => Ok(see_other(&format!("/bookings/{id}"))),
        Err(other) => Err(other.into()),
    }
}

/// Percent-encodes a query value (the map link, the console's search paging).
pub fn url_encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            b' ' => "+".to_owned(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}
