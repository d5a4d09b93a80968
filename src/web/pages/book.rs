//! The booking form: one space, a day and a time (or a range of whole days). Errors are shown
//! next to their field with status 422; a taken slot says so (409) and offers the nearest free
//! times; what was typed stays in the form.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use chrono::{DateTime, Days, NaiveDate, NaiveDateTime, NaiveTime, Utc};
use chrono_tz::Tz;
use serde::Deserialize;

use super::hubs::{hours_text, zone};
use super::messages::{duration, local_time_message, rule_message};
use super::{PageError, see_other};
use crate::db::catalog::{Hub, Space};
use crate::domain::ids::SpaceId;
use crate::domain::ids::UserId;
use crate::domain::slot::Slot;
use crate::domain::vocabulary::BookingUnit;
use crate::i18n::{self, Lang};
use crate::service::ErrorCode;
use crate::service::ServiceError;
use crate::service::availability::{self, HubDay};
use crate::service::booking::{self as booking_service, BookingTime, NewBookingRequest};
use crate::service::house_rules::{self, BookingTerms};
use crate::state::AppState;
use crate::web::layout::Layout;
use crate::web::session::{CurrentUser, MaybeUser, require_csrf};

/// A message for one field (or for the whole form when `field` is empty).
pub struct FieldError {
    pub field: &'static str,
    pub message: String,
}

/// A free time offered when the asked one is taken.
pub struct Suggestion {
    pub label: String,
    pub href: String,
}

#[derive(Template)]
#[template(path = "bookings/new.html")]
pub struct BookPage {
    pub layout: Layout,
    pub space_id: String,
    pub space_name: String,
    pub hub_name: String,
    pub hub_slug: String,
    pub address: String,
    pub daily: bool,
    pub rules: Vec<String>,
    pub date: String,
    pub end_date: String,
    pub from: String,
    pub to: String,
    pub errors: Vec<FieldError>,
    pub suggestions: Vec<Suggestion>,
    /// The slot is taken: offer to wait for it.
    pub waitlist: bool,
    /// The house rules to accept and the purpose to give (shared with the series form).
    pub terms: TermsForm,
}

/// The booking form's part for the operator's house rules and a room's purpose: what is asked
/// and what was typed.
#[derive(Debug, Clone, Default)]
pub struct TermsForm {
    /// The house rules the member has not accepted yet: their version, operator and lines.
    pub house_rules: Option<HouseRulesNotice>,
    /// The room asks for a purpose and a head count (up to `capacity`).
    pub asks_purpose: bool,
    pub capacity: i32,
    /// The version the member ticked the box for (the page they saw), if they did.
    pub accepted_version: Option<i32>,
    pub purpose: String,
    pub head_count: String,
}

/// The current house rules as the booking form shows them.
#[derive(Debug, Clone)]
pub struct HouseRulesNotice {
    pub version: i32,
    pub operator_id: String,
    pub paragraphs: Vec<Vec<String>>,
}

impl TermsForm {
    /// Whether the box shows ticked: only for the version it now shows.
    pub fn ticked(&self) -> bool {
        self.house_rules.as_ref().is_some_and(|rules| Some(rules.version) == self.accepted_version)
    }

    /// What the member's answers say, for the use case.
    pub fn terms(&self) -> BookingTerms {
        BookingTerms {
            accept_house_rules_version: self.accepted_version,
            purpose: Some(self.purpose.clone()),
            head_count: self.head_count.trim().parse().ok(),
        }
    }
}

/// What the member still has to say for `space` of `hub`: the house rules they have not
/// accepted yet, and whether the room asks for a purpose; the answers start as `typed`.
///
/// # Errors
/// On a database failure.
pub async fn load_terms(
    state: &AppState,
    user_id: &UserId,
    space: &Space,
    hub: &Hub,
    typed: TermsAnswers,
) -> Result<TermsForm, PageError> {
    let (user_id, space_id, operator_id) = (user_id.clone(), space.id.clone(), hub.operator_id.clone());
    let (rules, asks_purpose) = state
        .db(move |conn| {
            Ok((house_rules::to_accept(conn, &user_id, &operator_id)?, house_rules::asks_purpose(conn, &space_id)?))
        })
        .await?;
    let house_rules = rules.map(|rules| HouseRulesNotice {
        version: rules.version,
        operator_id: String::from(rules.operator_id),
        // Paragraphs split at blank lines, lines kept: the text is the operator's, never HTML.
        paragraphs: rules
            .body
            .split("\n\n")
            .filter(|p| !p.trim().is_empty())
            .map(|p| p.lines().map(str::to_owned).collect())
            .collect(),
    });
    Ok(TermsForm {
        house_rules,
        asks_purpose,
        capacity: space.capacity.max(1),
        accepted_version: typed.accept_house_rules.trim().parse().ok(),
        purpose: typed.purpose,
        head_count: typed.head_count,
    })
}

/// The answers as a form sends them.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct TermsAnswers {
    #[serde(default)]
    pub accept_house_rules: String,
    #[serde(default)]
    pub purpose: String,
    #[serde(default)]
    pub head_count: String,
}

/// The message for a refused answer, next to its field; `None` when the refusal is not about
/// the terms.
pub fn terms_error(lang: Lang, error: &ServiceError, terms: &TermsForm) -> Option<FieldError> {
    let ServiceError::Invalid { code, .. } = error else { return None };
    let (field, message) = match code {
        ErrorCode::HouseRulesNotAccepted => ("accept_house_rules", i18n::t(lang, "house-rules-error-not-accepted")),
        ErrorCode::PurposeMissing => ("purpose", i18n::t(lang, "house-rules-error-purpose-missing")),
        ErrorCode::PurposeTooLong => ("purpose", i18n::t(lang, "house-rules-error-purpose-too-long")),
        ErrorCode::PurposeControlCharacters => ("purpose", i18n::t(lang, "house-rules-error-purpose-control")),
        ErrorCode::HeadCountOutOfRange => {
            ("head_count", i18n::t_args(lang, "house-rules-error-head-count", &[("max", terms.capacity.to_string())]))
        }
        _ => return None,
    };
    Some(FieldError { field, message })
}

impl BookPage {
    /// The message for `field`, if it has one.
    pub fn error_for(&self, field: &str) -> Option<&str> {
        self.errors.iter().find(|e| e.field == field).map(|e| e.message.as_str())
    }
}

/// What the form link may preset.
#[derive(Debug, Deserialize)]
pub struct BookQuery {
    pub date: Option<String>,
    pub from: Option<String>,
    /// The end, from the day view's free ranges and its two-click range for visitors.
    pub to: Option<String>,
}

/// The submitted form.
#[derive(Debug, Default, Deserialize)]
pub struct BookForm {
    #[serde(default)]
    pub csrf_token: String,
    #[serde(default)]
    pub date: String,
    #[serde(default)]
    pub end_date: String,
    #[serde(default)]
    pub from: String,
    #[serde(default)]
    pub to: String,
    #[serde(flatten)]
    pub terms: TermsAnswers,
}

/// `GET /spaces/{id}/book`
pub async fn book_form(
    req: HttpRequest,
    state: web::Data<AppState>,
    current: CurrentUser,
    space_id: web::Path<SpaceId>,
    query: web::Query<BookQuery>,
) -> Result<HttpResponse, PageError> {
    let viewer_id = current.user.id.clone();
    let viewer = MaybeUser(Some(current));
    let layout = Layout::new(&req, &viewer);
    let now = state.clock.now();
    let (space, hub) = load_space(&state, space_id.into_inner()).await?;
    let tz = zone(&hub.time_zone);
    let date = query.date.clone().unwrap_or_else(|| now.with_timezone(&tz).date_naive().format("%Y-%m-%d").to_string());
    let from = query.from.clone().unwrap_or_default();
    let to = preset_end(&from, query.to.as_deref(), space.min_minutes);
    let terms = load_terms(&state, &viewer_id, &space, &hub, TermsAnswers::default()).await?;
    let page = page(layout, &space, &hub, date.clone(), date, from, to, Vec::new(), Vec::new(), terms);
    render(&page, StatusCode::OK)
}

/// The end the form starts with: the asked `to` when it is a time after `from` (or the day's
/// end, `24:00`), else the
/// shortest booking (at least an hour) after `from`, else nothing. A malformed `to` only loses
/// the preset: a link is never refused for it.
fn preset_end(from: &str, to: Option<&str>, min_minutes: i32) -> String {
    let start = NaiveTime::parse_from_str(from, "%H:%M").ok();
    match (start, to.and_then(EndTime::parse)) {
        // The end of the day, as a time field shows it.
        (_, Some(EndTime::Midnight)) => "00:00".to_owned(),
        (Some(start), Some(EndTime::At(end))) if end > start => end.format("%H:%M").to_string(),
        (None, Some(EndTime::At(end))) => end.format("%H:%M").to_string(),
        (Some(start), _) => {
            (start + chrono::Duration::minutes(i64::from(min_minutes.max(60)))).format("%H:%M").to_string()
        }
        (None, None) => String::new(),
    }
}

/// `POST /spaces/{id}/book`
pub async fn book(
    req: HttpRequest,
    state: web::Data<AppState>,
    current: CurrentUser,
    space_id: web::Path<SpaceId>,
    form: web::Form<BookForm>,
) -> Result<HttpResponse, PageError> {
    let form = form.into_inner();
    if require_csrf(&current, &form.csrf_token).is_err() {
        return Ok(HttpResponse::Forbidden().finish());
    }
    let user = current.user.clone();
    let viewer = MaybeUser(Some(current));
    let layout = Layout::new(&req, &viewer);
    let lang = layout.lang;
    let (space, hub) = load_space(&state, space_id.into_inner()).await?;
    let daily = space.booking_unit == BookingUnit::Daily;
    let (request, mut errors) = parse_form(lang, &space, &form, daily);
    let terms_form = load_terms(&state, &user.id, &space, &hub, form.terms.clone()).await?;
    let terms = terms_form.terms();
    let Some(request) = request else {
        let page =
            page(layout, &space, &hub, form.date, form.end_date, form.from, form.to, errors, Vec::new(), terms_form);
        return render(&page, StatusCode::UNPROCESSABLE_ENTITY);
    };
    let now = state.clock.now();
    let attempt = request.clone();
    let ctx = state.context.clone();
    let user_id = user.id.clone();
    let outcome = state
        .db(move |conn| booking_service::create_booking_with_terms(conn, &ctx, &user, &attempt, &terms, None, now))
        .await;
    // A refusal: its message beside its field, then the form again with what was sent.
    let (status, suggestions) = match outcome {
        Ok(created) => {
            state.metrics.booking_created(crate::metrics::BookingChannel::Web);
            let booking_id = created.view.booking.id;
            if let Some(pin) = &created.pin {
                state.pin_reveals.keep(&user_id, &booking_id, pin.as_str());
            }
            return Ok(see_other(&format!("/bookings/{booking_id}?new=1")));
        }
        Err(ServiceError::Conflict { .. }) => {
            errors.push(FieldError { field: "", message: i18n::t(lang, "book-taken") });
            (StatusCode::CONFLICT, suggestions(&state, &space, &hub, &form, now, lang).await?)
        }
        Err(ServiceError::Rule(rule)) => {
            errors.push(FieldError { field: field_of(rule.code(), daily), message: rule_message(lang, &rule) });
            (StatusCode::UNPROCESSABLE_ENTITY, Vec::new())
        }
        Err(ServiceError::LocalTime(error)) => {
            errors.push(FieldError { field: "from", message: local_time_message(lang, &error) });
            (StatusCode::UNPROCESSABLE_ENTITY, Vec::new())
        }
        Err(ServiceError::Invalid { code: ErrorCode::EndNotAfterStart, .. }) => {
            errors.push(FieldError {
                field: if daily { "end_date" } else { "to" },
                message: i18n::t(lang, "rule-end_not_after_start"),
            });
            (StatusCode::UNPROCESSABLE_ENTITY, Vec::new())
        }
        Err(other) => match terms_error(lang, &other, &terms_form) {
            Some(error) => {
                errors.push(error);
                (StatusCode::UNPROCESSABLE_ENTITY, Vec::new())
            }
            None => return Err(other.into()),
        },
    };
    let mut page =
        page(layout, &space, &hub, form.date, form.end_date, form.from, form.to, errors, suggestions, terms_form);
    // A taken time offers its waitlist.
    page.waitlist = status == StatusCode::CONFLICT;
    render(&page, status)
}

/// The space and its hub from the catalogue (the booking and series forms).
pub(super) async fn load_space(state: &AppState, space_id: SpaceId) -> Result<(Space, Hub), PageError> {
    Ok(state
        .db_with_catalogue(move |_, catalogue| {
            let space = catalogue.space(&space_id).ok_or(ServiceError::NotFound)?;
            let hub = catalogue.hub(&space.hub_id).ok_or(ServiceError::NotFound)?;
            Ok((space.clone(), hub.hub.clone()))
        })
        .await?)
}

/// Reads the form into a request, or says which fields are malformed (also the console's
/// booking on behalf).
pub fn parse_form(
    lang: Lang,
    space: &Space,
    form: &BookForm,
    daily: bool,
) -> (Option<NewBookingRequest>, Vec<FieldError>) {
    let mut errors = Vec::new();
    let date = NaiveDate::parse_from_str(form.date.trim(), "%Y-%m-%d").ok();
    if date.is_none() {
        errors.push(FieldError { field: "date", message: i18n::t(lang, "book-error-date") });
    }
    let (start, end) = if daily {
        let end_date = if form.end_date.trim().is_empty() {
            date
        } else {
            NaiveDate::parse_from_str(form.end_date.trim(), "%Y-%m-%d").ok()
        };
        if end_date.is_none() {
            errors.push(FieldError { field: "end_date", message: i18n::t(lang, "book-error-date") });
        }
        let start = date.map(|d| d.and_time(NaiveTime::MIN));
        let end = end_date.and_then(|d| d.checked_add_days(Days::new(1))).map(|d| d.and_time(NaiveTime::MIN));
        (start, end)
    } else {
        let from = NaiveTime::parse_from_str(form.from.trim(), "%H:%M").ok();
        let to = EndTime::parse(&form.to);
        if from.is_none() {
            errors.push(FieldError { field: "from", message: i18n::t(lang, "book-error-time") });
        }
        if to.is_none() {
            errors.push(FieldError { field: "to", message: i18n::t(lang, "book-error-time") });
        }
        (date.zip(from).map(|(d, t)| d.and_time(t)), date.zip(to).and_then(|(d, t)| t.on(d)))
    };
    match (start, end) {
        (Some(start), Some(end)) if errors.is_empty() => (Some(local_request(space, start, end)), errors),
        _ => (None, errors),
    }
}

/// The end of an hourly booking as typed: `HH:MM`, where `24:00` (the day view's last column) and
/// `00:00` (all a time field can say) are the midnight that ends the day: no booking ends at the
/// midnight it starts on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum EndTime {
    At(NaiveTime),
    Midnight,
}

impl EndTime {
    fn parse(text: &str) -> Option<EndTime> {
        match text.trim() {
            "24:00" | "00:00" => Some(EndTime::Midnight),
            other => NaiveTime::parse_from_str(other, "%H:%M").ok().map(EndTime::At),
        }
    }

    fn on(self, date: NaiveDate) -> Option<NaiveDateTime> {
        match self {
            EndTime::At(time) => Some(date.and_time(time)),
            EndTime::Midnight => date.checked_add_days(Days::new(1)).map(|d| d.and_time(NaiveTime::MIN)),
        }
    }
}

fn local_request(space: &Space, start: NaiveDateTime, end: NaiveDateTime) -> NewBookingRequest {
    NewBookingRequest { space_id: space.id.clone(), start: BookingTime::Local(start), end: BookingTime::Local(end) }
}

/// Which field a broken rule is about.
pub fn field_of(code: &str, daily: bool) -> &'static str {
    match code {
        "starts_in_past" | "too_far_ahead" | "hub_closed" => "date",
        "slot_granularity" | "outside_opening_hours" | "too_short" | "too_long" if daily => "end_date",
        "slot_granularity" | "outside_opening_hours" => "from",
        "too_short" | "too_long" => "to",
        _ => "",
    }
}

/// The free intervals of the asked day that can hold the space's shortest booking, nearest to
/// the asked start first.
async fn suggestions(
    state: &AppState,
    space: &Space,
    hub: &Hub,
    form: &BookForm,
    now: DateTime<Utc>,
    lang: Lang,
) -> Result<Vec<Suggestion>, PageError> {
    let Ok(date) = NaiveDate::parse_from_str(form.date.trim(), "%Y-%m-%d") else { return Ok(Vec::new()) };
    let hub_id = hub.id.clone();
    let day: HubDay =
        state.db_with_catalogue(move |conn, catalogue| availability::hub_day(conn, catalogue, &hub_id, date)).await?;
    let tz = zone(&hub.time_zone);
    let asked = NaiveTime::parse_from_str(form.from.trim(), "%H:%M")
        .ok()
        .and_then(|t| crate::domain::local_time::resolve_local(date, t, tz).ok());
    let min = chrono::Duration::minutes(i64::from(space.min_minutes));
    let Some(mine) = day.spaces.iter().find(|s| s.space.id == space.id) else { return Ok(Vec::new()) };
    let mut free: Vec<Slot> = mine
        .free
        .iter()
        .filter_map(|f| Slot::new(f.start().max(now), f.end()).ok())
        .filter(|f| f.duration() >= min)
        .collect();
    if let Some(asked) = asked {
        free.sort_by_key(|f| {
            if f.end() <= asked {
                asked - f.end()
            } else if f.start() >= asked {
                f.start() - asked
            } else {
                chrono::Duration::zero()
            }
        });
    }
    Ok(free.into_iter().take(3).map(|f| suggestion(lang, space, date, &f, tz)).collect())
}

fn suggestion(lang: Lang, space: &Space, date: NaiveDate, free: &Slot, tz: Tz) -> Suggestion {
    let from = i18n::format_time(free.start(), tz);
    Suggestion {
        label: i18n::t_args(lang, "book-suggestion", &[("hours", hours_text(std::slice::from_ref(free), tz))]),
        href: format!("/spaces/{}/book?date={}&from={from}", space.id, date.format("%Y-%m-%d")),
    }
}

#[allow(clippy::too_many_arguments, reason = "the page is the form's fields plus their context")]
fn page(
    layout: Layout,
    space: &Space,
    hub: &Hub,
    date: String,
    end_date: String,
    from: String,
    to: String,
    errors: Vec<FieldError>,
    suggestions: Vec<Suggestion>,
    terms: TermsForm,
) -> BookPage {
    let lang = layout.lang;
    let minutes = |v: i32| u32::try_from(v).unwrap_or(0);
    let daily = space.booking_unit == BookingUnit::Daily;
    let mut rules = Vec::new();
    if daily {
        rules.push(i18n::t(lang, "book-rule-daily"));
    } else {
        rules.push(i18n::t_args(lang, "book-rule-grid", &[("minutes", space.slot_minutes.to_string())]));
    }
    rules.push(i18n::t_args(
        lang,
        "book-rule-length",
        &[("min", duration(lang, minutes(space.min_minutes))), ("max", duration(lang, minutes(space.max_minutes)))],
    ));
    rules.push(i18n::t_args(lang, "book-rule-ahead", &[("days", space.max_days_ahead.to_string())]));
    if space.approval_required {
        rules.push(i18n::t(lang, "book-rule-approval"));
    }
    BookPage {
        layout,
        space_id: String::from(space.id.clone()),
        space_name: space.name.clone(),
        hub_name: hub.name.clone(),
        hub_slug: hub.slug.clone(),
        address: format!("{}, {} {}", hub.street, hub.postcode, hub.town),
        daily,
        rules,
        date,
        end_date,
        from,
        to,
        errors,
        suggestions,
        waitlist: false,
        terms,
    }
}

fn render(page: &BookPage, status: StatusCode) -> Result<HttpResponse, PageError> {
    Ok(HttpResponse::build(status).content_type("text/html; charset=utf-8").body(page.render()?))
}
