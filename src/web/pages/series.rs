//! Repeating bookings on the member site: the series form (first date, time, how it repeats),
//! its preview (each date bookable, taken with an alternative, closed, or against a rule), booking
//! the bookable dates, the series page, and cancelling this and the following dates or all.
//! Works without JavaScript: preview and booking are two submits of the same form.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use chrono::{DateTime, NaiveDate, Utc, Weekday};
use serde::Deserialize;

use super::book::{BookForm, FieldError, TermsAnswers, TermsForm, load_space, load_terms, parse_form, terms_error};
use super::hubs::zone;
use super::messages::{local_time_message, rule_message, status_label};
use super::{PageError, see_other};
use crate::db::catalog::{Hub, Space};
use crate::domain::ids::{BookingId, SpaceId};
use crate::domain::recurrence::{Frequency, MAX_DATES, MAX_INTERVAL, Recurrence, SeriesEnd};
use crate::domain::vocabulary::BookingUnit;
use crate::i18n::{self, Lang};
use crate::service::booking::BookingTime;
use crate::service::booking_series::{self, DateOutcome, SeriesDate, SeriesRequest};
use crate::service::{ErrorCode, ServiceError, from_db_time};
use crate::state::AppState;
use crate::web::layout::Layout;
use crate::web::session::{CurrentUser, MaybeUser, require_csrf};

/// The series form as submitted (also the preset of its first display).
#[derive(Debug, Default, Clone, Deserialize)]
pub struct SeriesForm {
    #[serde(default)]
    pub csrf_token: String,
    #[serde(default)]
    pub date: String,
    #[serde(default)]
    pub from: String,
    #[serde(default)]
    pub to: String,
    /// `daily` or `weekly`.
    #[serde(default)]
    pub frequency: String,
    /// Weekly: ISO weekday numbers, one field each (`weekday=1&weekday=3`).
    #[serde(default)]
    pub weekday: Vec<String>,
    #[serde(default)]
    pub interval: String,
    /// `until` or `count`.
    #[serde(default)]
    pub ends: String,
    #[serde(default)]
    pub until: String,
    #[serde(default)]
    pub count: String,
    /// `preview` or `book`.
    #[serde(default)]
    pub intent: String,
    /// The house rules' checkbox and a room's purpose and head count.
    #[serde(flatten)]
    pub terms: TermsAnswers,
}

/// One weekday checkbox.
pub struct WeekdayChoice {
    pub number: u32,
    pub label: String,
    pub checked: bool,
}

/// One date of the preview or the result.
pub struct DateRow {
    pub when: String,
    /// `bookable`, `booked`, `requested`, `taken`, `closed`, `rule`, `no_such_time`.
    pub state: &'static str,
    pub label: String,
    pub detail: String,
    /// For a taken date: the free alternative's booking form.
    pub alternative: Option<(String, String)>,
}

#[derive(Template)]
#[template(path = "bookings/series_new.html")]
pub struct SeriesFormPage {
    pub layout: Layout,
    pub space_id: String,
    pub space_name: String,
    pub hub_name: String,
    pub daily: bool,
    pub form: SeriesForm,
    pub weekdays: Vec<WeekdayChoice>,
    pub max_dates: u32,
    pub max_interval: u32,
    pub errors: Vec<FieldError>,
    /// After a preview: every date and what would happen.
    pub preview: Option<Vec<DateRow>>,
    pub bookable: usize,
    pub terms: TermsForm,
}

impl SeriesFormPage {
    pub fn error_for(&self, field: &str) -> Option<&str> {
        self.errors.iter().find(|e| e.field == field).map(|e| e.message.as_str())
    }

    pub fn is_weekly(&self) -> bool {
        self.form.frequency != "daily"
    }

    pub fn ends_by_count(&self) -> bool {
        self.form.ends == "count"
    }

    /// The interval options (1 … MAX_INTERVAL) with the chosen one marked.
    pub fn intervals(&self) -> Vec<(u32, bool)> {
        let chosen = self.form.interval.parse::<u32>().unwrap_or(1);
        (1..=self.max_interval).map(|n| (n, n == chosen)).collect()
    }
}

/// `GET /spaces/{id}/series`: the form, preset from the booking form's link.
pub async fn series_form(
    req: HttpRequest,
    state: web::Data<AppState>,
    current: CurrentUser,
    space_id: web::Path<SpaceId>,
    query: web::Query<SeriesForm>,
) -> Result<HttpResponse, PageError> {
    let viewer_id = current.user.id.clone();
    let layout = Layout::new(&req, &MaybeUser(Some(current)));
    let (space, hub) = load_space(&state, space_id.into_inner()).await?;
    let mut form = query.into_inner();
    let terms = load_terms(&state, &viewer_id, &space, &hub, form.terms.clone()).await?;
    if form.date.is_empty() {
        form.date = state.clock.now().with_timezone(&zone(&hub.time_zone)).date_naive().format("%Y-%m-%d").to_string();
    }
    if form.frequency.is_empty() {
        form.frequency = "weekly".to_owned();
    }
    if form.ends.is_empty() {
        form.ends = "count".to_owned();
        form.count = "4".to_owned();
    }
    if form.weekday.is_empty()
        && let Ok(date) = NaiveDate::parse_from_str(&form.date, "%Y-%m-%d")
    {
        form.weekday.push(chrono::Datelike::weekday(&date).number_from_monday().to_string());
    }
    let page = form_page(layout, &space, &hub, form, Vec::new(), None, terms);
    render(&page, StatusCode::OK)
}

/// `POST /spaces/{id}/series`: `intent=preview` shows the dates, `intent=book` books the bookable
/// ones and goes to the series page.
pub async fn series_submit(
    req: HttpRequest,
    state: web::Data<AppState>,
    current: CurrentUser,
    space_id: web::Path<SpaceId>,
    form: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, PageError> {
    let form = read_form(form.into_inner());
    if require_csrf(&current, &form.csrf_token).is_err() {
        return Ok(HttpResponse::Forbidden().finish());
    }
    let user = current.user.clone();
    let user_id = user.id.clone();
    let layout = Layout::new(&req, &MaybeUser(Some(current)));
    let lang = layout.lang;
    let (space, hub) = load_space(&state, space_id.into_inner()).await?;
    let (request, errors) = parse_series(lang, &space, &form);
    let terms = load_terms(&state, &user_id, &space, &hub, form.terms.clone()).await?;
    let Some(mut request) = request else {
        let page = form_page(layout, &space, &hub, form, errors, None, terms);
        return render(&page, StatusCode::UNPROCESSABLE_ENTITY);
    };
    request.terms = terms.terms();
    let now = state.clock.now();
    let ctx = state.context.clone();
    if form.intent == "book" {
        let attempt = request.clone();
        let viewer = user.clone();
        let booked = state.db(move |conn| booking_series::book_series(conn, &ctx, &user, &attempt, now)).await;
        return match booked {
            Ok(series) => {
                for date in &series.dates {
                    if let DateOutcome::Booked { booking_id, pin, .. } = &date.outcome {
                        state.metrics.booking_created(crate::metrics::BookingChannel::Web);
                        if let Some(pin) = pin {
                            state.pin_reveals.keep(&user_id, booking_id, pin.as_str());
                        }
                    }
                }
                Ok(see_other(&format!("/series/{}?new=1", series.series_id)))
            }
            Err(error) => {
                let (errors, status) = refusal(lang, error, &terms)?;
                // Show what the dates look like now beside the message (the preview needs no
                // accepted house rules or purpose, so it shows when those were the problem too).
                let ctx = state.context.clone();
                let dates =
                    state.db(move |conn| booking_series::preview_series(conn, &ctx, &viewer, &request, now)).await;
                let preview = dates.ok().map(|dates| rows(lang, &dates));
                let page = form_page(layout, &space, &hub, form, errors, preview, terms);
                render(&page, status)
            }
        };
    }
    let previewed = state.db(move |conn| booking_series::preview_series(conn, &ctx, &user, &request, now)).await;
    match previewed {
        Ok(dates) => {
            let page = form_page(layout, &space, &hub, form, Vec::new(), Some(rows(lang, &dates)), terms);
            render(&page, StatusCode::OK)
        }
        Err(error) => {
            let (errors, status) = refusal(lang, error, &terms)?;
            let page = form_page(layout, &space, &hub, form, errors, None, terms);
            render(&page, status)
        }
    }
}

/// A refused series as form errors and the status to answer with.
fn refusal(lang: Lang, error: ServiceError, terms: &TermsForm) -> Result<(Vec<FieldError>, StatusCode), PageError> {
    if let Some(error) = terms_error(lang, &error, terms) {
        return Ok((vec![error], StatusCode::UNPROCESSABLE_ENTITY));
    }
    match error {
        ServiceError::Invalid { code: ErrorCode::Series(error), .. } => Ok((
            vec![FieldError { field: "recurrence", message: i18n::t(lang, &format!("series-error-{}", error.code())) }],
            StatusCode::UNPROCESSABLE_ENTITY,
        )),
        ServiceError::Conflict { code: ErrorCode::SeriesNothingBookable, .. } => Ok((
            vec![FieldError { field: "", message: i18n::t(lang, "series-nothing-bookable") }],
            StatusCode::CONFLICT,
        )),
        other => Err(other.into()),
    }
}

/// Collects the repeated `weekday` fields, which a plain struct form cannot.
fn read_form(pairs: Vec<(String, String)>) -> SeriesForm {
    let mut form = SeriesForm::default();
    for (name, value) in pairs {
        match name.as_str() {
            "csrf_token" => form.csrf_token = value,
            "date" => form.date = value,
            "from" => form.from = value,
            "to" => form.to = value,
            "frequency" => form.frequency = value,
            "weekday" => form.weekday.push(value),
            "interval" => form.interval = value,
            "ends" => form.ends = value,
            "until" => form.until = value,
            "count" => form.count = value,
            "intent" => form.intent = value,
            "accept_house_rules" => form.terms.accept_house_rules = value,
            "purpose" => form.terms.purpose = value,
            "head_count" => form.terms.head_count = value,
            _ => {}
        }
    }
    form
}

/// Reads the form into a request, or says which fields are malformed.
fn parse_series(lang: Lang, space: &Space, form: &SeriesForm) -> (Option<SeriesRequest>, Vec<FieldError>) {
    let daily = space.booking_unit == BookingUnit::Daily;
    let first_form = BookForm {
        csrf_token: String::new(),
        date: form.date.clone(),
        end_date: String::new(),
        from: form.from.clone(),
        to: form.to.clone(),
        terms: TermsAnswers::default(),
    };
    let (first, mut errors) = parse_form(lang, space, &first_form, daily);
    let frequency = Frequency::parse(form.frequency.trim());
    if frequency.is_none() {
        errors.push(FieldError { field: "frequency", message: i18n::t(lang, "series-error-frequency") });
    }
    let mut weekdays = Vec::new();
    for text in &form.weekday {
        match text.trim().parse::<i32>().ok().and_then(crate::service::calendar::weekday_from_iso) {
            Some(day) => weekdays.push(day),
            None => errors.push(FieldError { field: "weekday", message: i18n::t(lang, "series-error-weekday") }),
        }
    }
    let interval = form.interval.trim().parse::<u32>().ok().filter(|n| (1..=MAX_INTERVAL).contains(n));
    if interval.is_none() {
        errors.push(FieldError { field: "interval", message: i18n::t(lang, "series-error-series_interval") });
    }
    let end = match form.ends.as_str() {
        "until" => match NaiveDate::parse_from_str(form.until.trim(), "%Y-%m-%d") {
            Ok(date) => Some(SeriesEnd::Until(date)),
            Err(_) => {
                errors.push(FieldError { field: "until", message: i18n::t(lang, "book-error-date") });
                None
            }
        },
        _ => match form.count.trim().parse::<u32>().ok().filter(|n| (2..=MAX_DATES).contains(n)) {
            Some(n) => Some(SeriesEnd::Count(n)),
            None => {
                errors.push(FieldError {
                    field: "count",
                    message: i18n::t_args(lang, "series-error-series_count", &[("max", MAX_DATES.to_string())]),
                });
                None
            }
        },
    };
    let (Some(first), Some(frequency), Some(interval), Some(end)) = (first, frequency, interval, end) else {
        return (None, errors);
    };
    if !errors.is_empty() {
        return (None, errors);
    }
    match Recurrence::new(frequency, interval, weekdays, end) {
        Ok(recurrence) => (Some(SeriesRequest { first, recurrence, terms: Default::default() }), errors),
        Err(error) => {
            errors.push(FieldError {
                field: "recurrence",
                message: i18n::t(lang, &format!("series-error-{}", error.code())),
            });
            (None, errors)
        }
    }
}

/// The dates as the page lists them.
fn rows(lang: Lang, dates: &[SeriesDate]) -> Vec<DateRow> {
    dates
        .iter()
        .map(|date| {
            let when = when_of(lang, date);
            let (state, detail, alternative) = match &date.outcome {
                DateOutcome::Bookable | DateOutcome::Booked { .. } => (date.outcome.code(), String::new(), None),
                DateOutcome::Taken { alternative } => (
                    "taken",
                    String::new(),
                    alternative.as_ref().map(|space| {
                        let (from, to) = local_times(date);
                        (
                            i18n::t_args(lang, "series-alternative", &[("space", space.name.clone())]),
                            format!(
                                "/spaces/{}/book?date={}&from={from}&to={to}",
                                space.id,
                                date.date.format("%Y-%m-%d")
                            ),
                        )
                    }),
                ),
                DateOutcome::Closed(rule) => ("closed", rule_message(lang, rule), None),
                DateOutcome::Refused(rule) => ("rule", rule_message(lang, rule), None),
                DateOutcome::NoSuchTime(error) => ("no_such_time", local_time_message(lang, error), None),
            };
            DateRow { when, state, label: i18n::t(lang, &format!("series-state-{state}")), detail, alternative }
        })
        .collect()
}

fn local_times(date: &SeriesDate) -> (String, String) {
    match (date.request.start, date.request.end) {
        (BookingTime::Local(start), BookingTime::Local(end)) => {
            (start.format("%H:%M").to_string(), end.format("%H:%M").to_string())
        }
        _ => (String::new(), String::new()),
    }
}

fn when_of(lang: Lang, date: &SeriesDate) -> String {
    let (from, to) = local_times(date);
    if from == "00:00" && to == "00:00" {
        i18n::format_date(lang, date.date)
    } else {
        format!("{}, {from}–{to}", i18n::format_date(lang, date.date))
    }
}

fn form_page(
    layout: Layout,
    space: &Space,
    hub: &Hub,
    form: SeriesForm,
    errors: Vec<FieldError>,
    preview: Option<Vec<DateRow>>,
    terms: TermsForm,
) -> SeriesFormPage {
    let lang = layout.lang;
    let chosen: Vec<u32> = form.weekday.iter().filter_map(|d| d.trim().parse().ok()).collect();
    let weekdays = [Weekday::Mon, Weekday::Tue, Weekday::Wed, Weekday::Thu, Weekday::Fri, Weekday::Sat, Weekday::Sun]
        .into_iter()
        .map(|day| {
            let number = day.number_from_monday();
            WeekdayChoice {
                number,
                label: i18n::t(lang, &format!("weekday-long-{number}")),
                checked: chosen.contains(&number),
            }
        })
        .collect();
    let bookable = preview.as_ref().map_or(0, |rows| rows.iter().filter(|r| r.state == "bookable").count());
    SeriesFormPage {
        layout,
        space_id: String::from(space.id.clone()),
        space_name: space.name.clone(),
        hub_name: hub.name.clone(),
        daily: space.booking_unit == BookingUnit::Daily,
        form,
        weekdays,
        max_dates: MAX_DATES,
        max_interval: MAX_INTERVAL,
        errors,
        preview,
        bookable,
        terms,
    }
}

fn render(page: &impl Template, status: StatusCode) -> Result<HttpResponse, PageError> {
    Ok(HttpResponse::build(status).content_type("text/html; charset=utf-8").body(page.render()?))
}

/// One date on the series page.
pub struct SeriesDateRow {
    pub id: BookingId,
    pub when: String,
    pub status_label: String,
    pub cancellable: bool,
}

#[derive(Template)]
#[template(path = "bookings/series_show.html")]
pub struct SeriesShowPage {
    pub layout: Layout,
    pub series_id: String,
    pub space_name: String,
    pub hub_name: String,
    pub rule: String,
    pub dates: Vec<SeriesDateRow>,
    pub any_cancellable: bool,
}

/// Flags a redirect may carry to the series page.
#[derive(Debug, Deserialize)]
pub struct SeriesQuery {
    pub new: Option<String>,
    pub cancelled: Option<usize>,
}

/// `GET /series/{id}`: the series with every date; someone else's is 404.
pub async fn show_series(
    req: HttpRequest,
    state: web::Data<AppState>,
    current: CurrentUser,
    series_id: web::Path<String>,
    query: web::Query<SeriesQuery>,
) -> Result<HttpResponse, PageError> {
    let (page, _) = series_page(&req, &state, current, &series_id, None).await?;
    let mut page = page;
    if query.new.is_some() {
        page.layout = page.layout.clone().with_flash(page.layout.t("series-created"));
    } else if let Some(n) = query.cancelled {
        page.layout = page.layout.clone().with_flash(page.layout.t1("series-cancelled", "count", n));
    }
    render(&page, StatusCode::OK)
}

async fn series_page(
    req: &HttpRequest,
    state: &AppState,
    current: CurrentUser,
    series_id: &str,
    from: Option<&BookingId>,
) -> Result<(SeriesShowPage, usize), PageError> {
    let user = current.user.clone();
    let id = series_id.to_owned();
    let (series, bookings, space, hub) = state
        .db_with_catalogue(move |conn, catalogue| {
            let (series, bookings) = booking_series::find_own_series(conn, &user, &id)?;
            let space = catalogue.space(&series.space_id).cloned().ok_or(ServiceError::NotFound)?;
            let hub = catalogue.hub(&space.hub_id).map(|h| h.hub.clone()).ok_or(ServiceError::NotFound)?;
            Ok((series, bookings, space, hub))
        })
        .await?;
    let layout = Layout::new(req, &MaybeUser(Some(current)));
    let lang = layout.lang;
    let tz = zone(&hub.time_zone);
    let now = state.clock.now();
    let first_start = from.and_then(|id| bookings.iter().find(|b| &b.id == id)).map(|b| b.start_at);
    let dates: Vec<SeriesDateRow> = bookings
        .iter()
        .filter(|b| first_start.is_none_or(|first| b.start_at >= first))
        .map(|b| SeriesDateRow {
            id: b.id.clone(),
            when: booking_when(lang, space.booking_unit, from_db_time(b.start_at), from_db_time(b.end_at), tz),
            status_label: status_label(lang, b.status),
            cancellable: booking_series::cancellable(b, now),
        })
        .collect();
    let affected = dates.iter().filter(|d| d.cancellable).count();
    let page = SeriesShowPage {
        rule: rule_text(lang, &series),
        any_cancellable: affected > 0,
        series_id: series.id,
        space_name: space.name,
        hub_name: hub.name,
        dates,
        layout,
    };
    Ok((page, affected))
}

fn booking_when(lang: Lang, unit: BookingUnit, start: DateTime<Utc>, end: DateTime<Utc>, tz: chrono_tz::Tz) -> String {
    let local = start.with_timezone(&tz).date_naive();
    if unit == BookingUnit::Daily {
        i18n::format_date(lang, local)
    } else {
        format!("{}, {}–{}", i18n::format_date(lang, local), i18n::format_time(start, tz), i18n::format_time(end, tz))
    }
}

/// "Weekly on Monday, Wednesday, every 2 weeks, 6 times" in the viewer's language.
fn rule_text(lang: Lang, series: &crate::db::booking_series::BookingSeries) -> String {
    let days: Vec<String> = booking_series::stored_weekdays(&series.weekdays)
        .iter()
        .map(|d| i18n::t(lang, &format!("weekday-long-{}", d.number_from_monday())))
        .collect();
    let mut parts = vec![if series.frequency == "daily" {
        i18n::t_args(lang, "series-rule-daily", &[("n", series.interval_count.to_string())])
    } else {
        i18n::t_args(lang, "series-rule-weekly", &[("n", series.interval_count.to_string()), ("days", days.join(", "))])
    }];
    if let Some(until) = series.until_date {
        parts.push(i18n::t_args(lang, "series-rule-until", &[("date", i18n::format_date(lang, until))]));
    }
    if let Some(n) = series.occurrences {
        parts.push(i18n::t_args(lang, "series-rule-count", &[("n", n.to_string())]));
    }
    parts.join(", ")
}

/// Which dates a cancellation is for: `from` a date on, or all.
#[derive(Debug, Deserialize)]
pub struct CancelSeriesQuery {
    pub from: Option<BookingId>,
}

#[derive(Template)]
#[template(path = "bookings/series_cancel.html")]
pub struct CancelSeriesPage {
    pub layout: Layout,
    pub series_id: String,
    pub space_name: String,
    pub dates: Vec<SeriesDateRow>,
    pub from: Option<String>,
    pub affected: usize,
}

/// `GET /series/{id}/cancel[?from=booking]`: asks before cancelling, listing the dates.
pub async fn confirm_cancel_series(
    req: HttpRequest,
    state: web::Data<AppState>,
    current: CurrentUser,
    series_id: web::Path<String>,
    query: web::Query<CancelSeriesQuery>,
) -> Result<HttpResponse, PageError> {
    let from = query.into_inner().from;
    let (series, affected) = series_page(&req, &state, current, &series_id, from.as_ref()).await?;
    if from.as_ref().is_some_and(|id| !series.dates.iter().any(|d| &d.id == id)) {
        return Err(PageError::NotFound);
    }
    let page = CancelSeriesPage {
        layout: series.layout,
        series_id: series.series_id,
        space_name: series.space_name,
        dates: series.dates.into_iter().filter(|d| d.cancellable).collect(),
        from: from.map(String::from),
        affected,
    };
    render(&page, StatusCode::OK)
}

/// The confirmation form.
#[derive(Debug, Deserialize)]
pub struct CancelSeriesForm {
    #[serde(default)]
    pub csrf_token: String,
    #[serde(default)]
    pub from: String,
}

/// `POST /series/{id}/cancel`
pub async fn cancel_series(
    state: web::Data<AppState>,
    current: CurrentUser,
    series_id: web::Path<String>,
    form: web::Form<CancelSeriesForm>,
) -> Result<HttpResponse, PageError> {
    if require_csrf(&current, &form.csrf_token).is_err() {
        return Ok(HttpResponse::Forbidden().finish());
    }
    let user = current.user;
    let id = series_id.into_inner();
    let target = id.clone();
    let from = Some(form.from.trim()).filter(|f| !f.is_empty()).map(|f| BookingId::from(f.to_owned()));
    let (ctx, now) = (state.context.clone(), state.clock.now());
    let cancelled =
        state.db(move |conn| booking_series::cancel_own_series(conn, &ctx, &user, &target, from.as_ref(), now)).await?;
    if cancelled > 0 {
        state.metrics.bookings_cancelled(crate::metrics::CancelledBy::Member, cancelled);
    }
    Ok(see_other(&format!("/series/{id}?cancelled={cancelled}")))
}
