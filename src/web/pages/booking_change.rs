//! Changing one's own booking: the form to move an upcoming booking to another time or space of
//! the same hub, and "release now" for a running one, with a confirmation step. Bad input is
//! answered with the form again and the message next to its field (422), a taken time with 409;
//! someone else's booking is 404. The console's move form reuses the form and its messages.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use chrono::{DateTime, Days, Duration, NaiveDate, NaiveTime, Utc};
use serde::Deserialize;

use super::book::field_of;
use super::bookings::{BookingRow, row};
use super::hubs::zone;
use super::messages::{local_time_message, rule_message};
use super::{PageError, see_other};
use crate::db::catalog::Space;
use crate::domain::booking_change::{may_change, may_release};
use crate::domain::ids::{BookingId, SpaceId};
use crate::domain::slot::Slot;
use crate::domain::vocabulary::BookingUnit;
use crate::i18n::{self, Lang};
use crate::service::ErrorCode;
use crate::service::ServiceError;
use crate::service::booking::{BookingTime, BookingView};
use crate::service::booking_changes::{self as changes, BookingChange};
use crate::service::from_db_time;
use crate::state::AppState;
use crate::web::accounts::{FormErrors, render};
use crate::web::layout::Layout;
use crate::web::session::{CurrentUser, MaybeUser, TokenOnly, require_csrf};

/// A space the booking may move to, as the form's choice shows it.
pub struct SpaceChoice {
    pub id: String,
    pub label: String,
}

/// The form's fields as typed (or as the booking has them).
#[derive(Debug, Default, Clone, Deserialize)]
pub struct ChangeForm {
    #[serde(default)]
    pub csrf_token: String,
    #[serde(default)]
    pub space_id: String,
    #[serde(default)]
    pub date: String,
    #[serde(default)]
    pub end_date: String,
    #[serde(default)]
    pub from: String,
    #[serde(default)]
    pub to: String,
}

impl ChangeForm {
    /// The booking's current values, to start from.
    pub fn of(view: &BookingView) -> ChangeForm {
        let tz = zone(&view.hub.time_zone);
        let start = from_db_time(view.booking.start_at).with_timezone(&tz);
        let end = from_db_time(view.booking.end_at).with_timezone(&tz);
        let daily = view.space.booking_unit == BookingUnit::Daily;
        let last_day = (end - Duration::seconds(1)).date_naive();
        ChangeForm {
            csrf_token: String::new(),
            space_id: String::from(view.space.id.clone()),
            date: start.date_naive().format("%Y-%m-%d").to_string(),
            end_date: if daily { last_day.format("%Y-%m-%d").to_string() } else { String::new() },
            from: if daily { String::new() } else { start.format("%H:%M").to_string() },
            to: if daily { String::new() } else { end.format("%H:%M").to_string() },
        }
    }
}

#[derive(Template)]
#[template(path = "bookings/change.html")]
pub struct ChangePage {
    pub layout: Layout,
    pub booking: BookingRow,
    pub changeable: bool,
    pub action: String,
    pub back: String,
    pub spaces: Vec<SpaceChoice>,
    pub space_id: String,
    pub date: String,
    pub end_date: String,
    pub from: String,
    pub to: String,
    pub errors: FormErrors,
}

#[derive(Template)]
#[template(path = "bookings/release.html")]
pub struct ReleasePage {
    pub layout: Layout,
    pub booking: BookingRow,
    /// When the booking would end; `None` when it cannot be released (then `refusal` says why).
    pub new_end: Option<String>,
    pub refusal: String,
}

/// `GET /bookings/{id}/change`
pub async fn change_form(
    req: HttpRequest,
    state: web::Data<AppState>,
    current: CurrentUser,
    id: web::Path<BookingId>,
) -> Result<HttpResponse, PageError> {
    let user = current.user.clone();
    let layout = Layout::new(&req, &MaybeUser(Some(current)));
    let id = id.into_inner();
    let (view, spaces) = state
        .db(move |conn| {
            let view = crate::service::booking::find_own_booking(conn, &user, &id)?;
            let spaces = changes::spaces_of_hub(conn, &view.hub.id)?;
            Ok((view, spaces))
        })
        .await?;
    let form = ChangeForm::of(&view);
    let page = change_page(layout, &view, &spaces, form, FormErrors::default(), state.clock.now());
    render(&page, StatusCode::OK)
}

/// `POST /bookings/{id}/change`
pub async fn change(
    req: HttpRequest,
    state: web::Data<AppState>,
    current: CurrentUser,
    id: web::Path<BookingId>,
    form: web::Form<ChangeForm>,
) -> Result<HttpResponse, PageError> {
    let form = form.into_inner();
    if require_csrf(&current, &form.csrf_token).is_err() {
        return Ok(HttpResponse::Forbidden().finish());
    }
    let user = current.user.clone();
    let user_id = user.id.clone();
    let layout = Layout::new(&req, &MaybeUser(Some(current)));
    let lang = layout.lang;
    let id = id.into_inner();
    let lookup = (user.clone(), id.clone());
    let (view, spaces) = state
        .db(move |conn| {
            let view = crate::service::booking::find_own_booking(conn, &lookup.0, &lookup.1)?;
            let spaces = changes::spaces_of_hub(conn, &view.hub.id)?;
            Ok((view, spaces))
        })
        .await?;
    let now = state.clock.now();
    let (change, mut errors) = parse_change(lang, &spaces, &form);
    let Some(change) = change else {
        let page = change_page(layout, &view, &spaces, form, errors, now);
        return render(&page, StatusCode::UNPROCESSABLE_ENTITY);
    };
    let ctx = state.context.clone();
    let target = id.clone();
    let outcome = state.db(move |conn| changes::change_own_booking(conn, &ctx, &user, &target, &change, now)).await;
    match outcome {
        Ok(changed) => {
            if let Some(pin) = &changed.pin {
                state.pin_reveals.keep(&user_id, &id, pin.as_str());
            }
            Ok(see_other(&format!("/bookings/{id}?changed=1")))
        }
        Err(error) => {
            let status = refusal(lang, error, daily_choice(&spaces, &form.space_id), &mut errors)?;
            let page = change_page(layout, &view, &spaces, form, errors, now);
            render(&page, status)
        }
    }
}

/// `GET /bookings/{id}/release`: asks first, and says when the booking would end.
pub async fn confirm_release(
    req: HttpRequest,
    state: web::Data<AppState>,
    current: CurrentUser,
    id: web::Path<BookingId>,
) -> Result<HttpResponse, PageError> {
    let user = current.user.clone();
    let layout = Layout::new(&req, &MaybeUser(Some(current)));
    let id = id.into_inner();
    let now = state.clock.now();
    let lookup = (user.clone(), id.clone());
    let preview = state.db(move |conn| changes::own_release_end(conn, &lookup.0, &lookup.1, now)).await;
    let (booking, new_end, refusal) = match preview {
        Ok((view, end)) => {
            let end = i18n::format_time(end, zone(&view.hub.time_zone));
            (row(layout.lang, &view, now), Some(end), String::new())
        }
        Err(ServiceError::Conflict { code, .. }) => {
            let view = state.db(move |conn| crate::service::booking::find_own_booking(conn, &user, &id)).await?;
            (row(layout.lang, &view, now), None, layout.t(&format!("booking-release-error-{code}")))
        }
        Err(other) => return Err(other.into()),
    };
    let status = if new_end.is_some() { StatusCode::OK } else { StatusCode::CONFLICT };
    render(&ReleasePage { layout, booking, new_end, refusal }, status)
}

/// `POST /bookings/{id}/release`
pub async fn release(
    req: HttpRequest,
    state: web::Data<AppState>,
    current: CurrentUser,
    id: web::Path<BookingId>,
    form: web::Form<TokenOnly>,
) -> Result<HttpResponse, PageError> {
    if require_csrf(&current, &form.csrf_token).is_err() {
        return Ok(HttpResponse::Forbidden().finish());
    }
    let user = current.user.clone();
    let id = id.into_inner();
    let now = state.clock.now();
    let ctx = state.context.clone();
    let target = id.clone();
    match state.db(move |conn| changes::release_own_booking(conn, &ctx, &user, &target, now)).await {
        Ok(_) => {
            state.metrics.bookings_released(crate::metrics::ReleaseReason::Member, 1);
            Ok(see_other(&format!("/bookings/{id}?released=1")))
        }
        // The confirmation page says why.
        Err(ServiceError::Conflict { .. }) => confirm_release(req, state, current, web::Path::from(id)).await,
        Err(other) => Err(other.into()),
    }
}

fn change_page(
    layout: Layout,
    view: &BookingView,
    spaces: &[Space],
    form: ChangeForm,
    errors: FormErrors,
    now: DateTime<Utc>,
) -> ChangePage {
    let lang = layout.lang;
    let booking = row(lang, view, now);
    ChangePage {
        changeable: booking.changeable,
        action: format!("/bookings/{}/change", view.booking.id),
        back: format!("/bookings/{}", view.booking.id),
        spaces: space_choices(lang, spaces),
        booking,
        space_id: form.space_id,
        date: form.date,
        end_date: form.end_date,
        from: form.from,
        to: form.to,
        errors,
        layout,
    }
}

/// The spaces to choose from, marking those that need approval.
pub fn space_choices(lang: Lang, spaces: &[Space]) -> Vec<SpaceChoice> {
    spaces
        .iter()
        .map(|s| SpaceChoice {
            id: String::from(s.id.clone()),
            label: if s.approval_required {
                i18n::t_args(lang, "booking-change-space-approval", &[("space", s.name.clone())])
            } else {
                s.name.clone()
            },
        })
        .collect()
}

fn daily_choice(spaces: &[Space], space_id: &str) -> bool {
    spaces.iter().find(|s| s.id.as_str() == space_id).is_some_and(|s| s.booking_unit == BookingUnit::Daily)
}

/// Reads the form into a change, or says which fields are malformed. The chosen space decides
/// whether the times (hourly) or the days (whole-day spaces) count.
pub fn parse_change(lang: Lang, spaces: &[Space], form: &ChangeForm) -> (Option<BookingChange>, FormErrors) {
    let mut errors = FormErrors::default();
    let Some(space) = spaces.iter().find(|s| s.id == SpaceId::new(form.space_id.trim())) else {
        errors.add("space_id", i18n::t(lang, "booking-change-error-space_not_in_hub"));
        return (None, errors);
    };
    let date = NaiveDate::parse_from_str(form.date.trim(), "%Y-%m-%d").ok();
    if date.is_none() {
        errors.add("date", i18n::t(lang, "book-error-date"));
    }
    let (start, end) = if space.booking_unit == BookingUnit::Daily {
        let end_date = match form.end_date.trim() {
            "" => date,
            text => NaiveDate::parse_from_str(text, "%Y-%m-%d").ok(),
        };
        if end_date.is_none() {
            errors.add("end_date", i18n::t(lang, "book-error-date"));
        }
        let start = date.map(|d| d.and_time(NaiveTime::MIN));
        (start, end_date.and_then(|d| d.checked_add_days(Days::new(1))).map(|d| d.and_time(NaiveTime::MIN)))
    } else {
        let from = NaiveTime::parse_from_str(form.from.trim(), "%H:%M").ok();
        let to = NaiveTime::parse_from_str(form.to.trim(), "%H:%M").ok();
        if from.is_none() {
            errors.add("from", i18n::t(lang, "book-error-time"));
        }
        if to.is_none() {
            errors.add("to", i18n::t(lang, "book-error-time"));
        }
        (date.zip(from).map(|(d, t)| d.and_time(t)), date.zip(to).map(|(d, t)| d.and_time(t)))
    };
    match (start, end) {
        (Some(start), Some(end)) if errors.is_empty() => {
            let change = BookingChange {
                space_id: Some(space.id.clone()),
                start: Some(BookingTime::Local(start)),
                end: Some(BookingTime::Local(end)),
            };
            (Some(change), errors)
        }
        _ => (None, errors),
    }
}

/// Puts a refusal of a change next to its field and picks the status: 409 for a conflict (the
/// time is taken, the booking can no longer change), 422 for a broken rule or value. Anything
/// else (404, a failure) is an error page.
///
/// # Errors
/// The error page for what is not a refusal.
pub fn refusal(lang: Lang, error: ServiceError, daily: bool, errors: &mut FormErrors) -> Result<StatusCode, PageError> {
    match error {
        ServiceError::Rule(rule) => {
            errors.add(field_of(rule.code(), daily), rule_message(lang, &rule));
            Ok(StatusCode::UNPROCESSABLE_ENTITY)
        }
        ServiceError::LocalTime(error) => {
            errors.add(if daily { "date" } else { "from" }, local_time_message(lang, &error));
            Ok(StatusCode::UNPROCESSABLE_ENTITY)
        }
        ServiceError::Invalid { code: ErrorCode::EndNotAfterStart, .. } => {
            errors.add(if daily { "end_date" } else { "to" }, i18n::t(lang, "rule-end_not_after_start"));
            Ok(StatusCode::UNPROCESSABLE_ENTITY)
        }
        ServiceError::Invalid { field, code, .. } => {
            errors.add(field, i18n::t(lang, &format!("booking-change-error-{code}")));
            Ok(StatusCode::UNPROCESSABLE_ENTITY)
        }
        ServiceError::Conflict { code, .. } => {
            errors.add("", i18n::t(lang, &format!("booking-change-error-{code}")));
            Ok(StatusCode::CONFLICT)
        }
        other => Err(other.into()),
    }
}

/// Whether the booking page offers "Ändern" / "Change": the domain's rule for moving.
pub fn changeable(view: &BookingView, now: DateTime<Utc>) -> bool {
    booked(view).is_some_and(|slot| may_change(view.booking.status, &slot, now).is_ok())
}

/// Whether the booking page offers "Jetzt freigeben" / "Release now": the domain's rule.
pub fn releasable(view: &BookingView, now: DateTime<Utc>) -> bool {
    booked(view).is_some_and(|slot| may_release(view.booking.status, &slot, now))
}

fn booked(view: &BookingView) -> Option<Slot> {
    Slot::new(from_db_time(view.booking.start_at), from_db_time(view.booking.end_at)).ok()
}
