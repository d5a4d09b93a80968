//! `/console/hubs/{hub}/bookings/new`: a member of staff books for a person by e-mail address.
//! The times are read by the member booking form's own parser; the booking rules' refusals
//! are shown next to their field, a taken time above the form (409).

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use super::refusal;
use crate::db::catalog::Space;
use crate::domain::booking::RuleViolation;
use crate::domain::ids::SpaceId;
use crate::domain::vocabulary::BookingUnit;
use crate::i18n::{self, Lang};
use crate::service::ErrorCode;
use crate::service::ServiceError;
use crate::service::console::people::{self, OnBehalfRequest};
use crate::state::AppState;
use crate::web::accounts::{FormErrors, render};
use crate::web::console::ConsoleUser;
use crate::web::console::nav::ConsoleNav;
use crate::web::layout::Layout;
use crate::web::pages::book::{BookForm, field_of, parse_form};
use crate::web::pages::hubs::zone;
use crate::web::pages::messages::{iso_date, local_time_message, rule_message};
use crate::web::pages::{PageError, see_other};

/// One space of the form's list.
pub struct SpaceChoice {
    pub id: String,
    pub label: String,
}

#[derive(Template)]
#[template(path = "console/people/new_booking.html")]
pub struct NewBookingPage {
    pub layout: Layout,
    pub nav: ConsoleNav,
    pub hub_slug: String,
    pub spaces: Vec<SpaceChoice>,
    pub form: OnBehalfForm,
    pub errors: FormErrors,
}

/// What the form link may preset.
#[derive(Debug, Deserialize)]
pub struct NewQuery {
    pub space: Option<String>,
    pub date: Option<String>,
}

/// The submitted form (also what the page shows again after an error).
#[derive(Debug, Default, Deserialize)]
pub struct OnBehalfForm {
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub lang: String,
    #[serde(default)]
    pub space: String,
    /// The CSRF token and the times, read as the member booking form reads them.
    #[serde(flatten)]
    pub times: BookForm,
}

/// `GET /console/hubs/{hub}/bookings/new`
pub async fn new_booking_form(
    req: HttpRequest,
    state: web::Data<AppState>,
    staff: ConsoleUser,
    path: web::Path<String>,
    query: web::Query<NewQuery>,
) -> Result<HttpResponse, PageError> {
    let query = query.into_inner();
    let layout = staff.layout(&req);
    let form = OnBehalfForm {
        space: query.space.unwrap_or_default(),
        lang: layout.lang.code().to_owned(),
        times: BookForm { date: query.date.unwrap_or_default(), ..BookForm::default() },
        ..OnBehalfForm::default()
    };
    form_page(&state, &staff, layout, path.into_inner(), form, FormErrors::default(), StatusCode::OK).await
}

/// `POST /console/hubs/{hub}/bookings/new`
pub async fn book(
    req: HttpRequest,
    state: web::Data<AppState>,
    staff: ConsoleUser,
    path: web::Path<String>,
    form: web::Form<OnBehalfForm>,
) -> Result<HttpResponse, actix_web::Error> {
    let form = form.into_inner();
    staff.require_csrf(&form.times.csrf_token)?;
    let hub = path.into_inner();
    let layout = staff.layout(&req);
    let lang = layout.lang;
    let mut errors = FormErrors::default();
    let space = chosen_space(&state, &staff, &hub, &form.space).await?;
    let Some(space) = space else {
        errors.add("space", i18n::t(lang, "console-people-error-missing_space"));
        return Ok(form_page(&state, &staff, layout, hub, form, errors, StatusCode::UNPROCESSABLE_ENTITY).await?);
    };
    let daily = space.booking_unit == BookingUnit::Daily;
    let (booking, parse_errors) = parse_form(lang, &space, &form.times, daily);
    errors.0.extend(parse_errors);
    let Some(booking) = booking else {
        return Ok(form_page(&state, &staff, layout, hub, form, errors, StatusCode::UNPROCESSABLE_ENTITY).await?);
    };
    let request = OnBehalfRequest {
        email: form.email.clone(),
        name: form.name.clone(),
        lang: Lang::parse(&form.lang).unwrap_or_default(),
        booking,
    };
    let (scope, actor, ctx, hub_ref) =
        (staff.scope.clone(), staff.user_id().clone(), state.context.clone(), hub.clone());
    let now = state.clock.now();
    let outcome =
        state.db(move |conn| people::book_on_behalf(conn, &ctx, &scope, &actor, &hub_ref, &request, now)).await;
    let status = match outcome {
        Ok(booked) => {
            state.metrics.booking_created(crate::metrics::BookingChannel::Console);
            let done = if booked.new_account { "booked-new" } else { "booked" };
            return Ok(see_other(&format!("/console/hubs/{hub}/bookings?done={done}")));
        }
        Err(error) => booking_refusal(lang, error, daily, &mut errors)?,
    };
    Ok(form_page(&state, &staff, layout, hub, form, errors, status).await?)
}

/// The space the form names, if any; one of another hub (or none at all) is `NotFound`.
async fn chosen_space(
    state: &AppState,
    staff: &ConsoleUser,
    hub: &str,
    space_id: &str,
) -> Result<Option<Space>, PageError> {
    let space_id = match space_id.trim() {
        "" => return Ok(None),
        space_id => SpaceId::new(space_id),
    };
    let (scope, hub) = (staff.scope.clone(), hub.to_owned());
    Ok(Some(
        state
            .db(move |conn| {
                let hub = scope.hub(conn, &hub)?;
                people::hub_space(conn, &scope, &hub, &space_id)
            })
            .await?,
    ))
}

/// Places a refusal of the booking next to its field; returns the answer's status.
fn booking_refusal(
    lang: Lang,
    error: ServiceError,
    daily: bool,
    errors: &mut FormErrors,
) -> Result<StatusCode, PageError> {
    match error {
        ServiceError::Conflict { code: ErrorCode::SlotTaken, .. } => {
            errors.add("", i18n::t(lang, "book-taken"));
            Ok(StatusCode::CONFLICT)
        }
        ServiceError::Rule(rule) => {
            match &rule {
                RuleViolation::SpaceDisabled => errors.add("space", rule_message(lang, &rule)),
                RuleViolation::ConcurrentLimit { max } | RuleViolation::UpcomingLimit { max } => errors.add(
                    "email",
                    i18n::t_args(lang, &format!("console-people-rule-{}", rule.code()), &[("count", max.to_string())]),
                ),
                _ => errors.add(field_of(rule.code(), daily), rule_message(lang, &rule)),
            }
            Ok(StatusCode::UNPROCESSABLE_ENTITY)
        }
        ServiceError::LocalTime(error) => {
            errors.add("from", local_time_message(lang, &error));
            Ok(StatusCode::UNPROCESSABLE_ENTITY)
        }
        ServiceError::Invalid { code: ErrorCode::EndNotAfterStart, .. } => {
            errors.add(if daily { "end_date" } else { "to" }, i18n::t(lang, "rule-end_not_after_start"));
            Ok(StatusCode::UNPROCESSABLE_ENTITY)
        }
        other => Ok(super::error_status(refusal(lang, other, errors)?)),
    }
}

async fn form_page(
    state: &AppState,
    staff: &ConsoleUser,
    layout: Layout,
    hub: String,
    mut form: OnBehalfForm,
    errors: FormErrors,
    status: StatusCode,
) -> Result<HttpResponse, PageError> {
    let scope = staff.scope.clone();
    let (hub, spaces) = state.db(move |conn| people::bookable_spaces(conn, &scope, &hub)).await?;
    let lang = layout.lang;
    if status == StatusCode::OK && form.times.date.is_empty() {
        form.times.date = iso_date(state.clock.now().with_timezone(&zone(&hub.time_zone)).date_naive());
    }
    let page = NewBookingPage {
        nav: ConsoleNav::hub(&hub, staff.scope.is_admin(), "bookings"),
        hub_slug: hub.slug.clone(),
        spaces: spaces.iter().map(|s| SpaceChoice { id: s.id.to_string(), label: space_label(lang, s) }).collect(),
        form,
        errors,
        layout,
    };
    render(&page, status)
}

/// "Desk 1 (stundenweise)", "Beamer (tageweise)".
fn space_label(lang: Lang, space: &Space) -> String {
    let unit = space.booking_unit.as_str();
    i18n::t_args(lang, &format!("console-people-space-by-{unit}"), &[("space", space.name.clone())])
}
