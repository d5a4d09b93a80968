//! `/console/hubs/new` (admins) and `/console/hubs/{hub}/settings`: a hub's details, limits per
//! person, no-show and PIN grace windows, weekly hours and closures, each its own small form on
//! one page. A form with problems brings the page back with that form as typed.

use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;

use super::{Done, FormPairs, load, render, status_of, submit};
use crate::db::catalog::Hub;
use crate::i18n;
use crate::service::UnitOfWork;
use crate::service::console::catalog::hubs::{
    self, ClosureInput, DetailsInput, HubSettings, LimitsInput, NewHubInput, TimesInput, WEEKDAY_FIELDS,
};
use crate::service::console::catalog::rules::DayHoursInput;
use crate::service::console::catalog::{CatalogError, Staff};
use crate::state::AppState;
use crate::web::accounts::FormErrors;
use crate::web::console::ConsoleUser;
use crate::web::console::WithToken;
use crate::web::console::nav::ConsoleNav;
use crate::web::layout::Layout;
use crate::web::pages::see_other;

/// The flashes the settings page knows.
const SETTINGS_DONE: [&str; 6] = ["created", "details", "limits", "times", "hours", "closures"];

#[derive(Template)]
#[template(path = "console/catalog/hub_new.html")]
struct NewHubPage {
    layout: Layout,
    nav: ConsoleNav,
    operators: Vec<(String, String)>,
    form: NewHubInput,
    errors: FormErrors,
}

/// One weekday of the hours form.
struct WeekdayRow {
    /// Where its problem is shown; also the id of its first field.
    field: &'static str,
    name: String,
    intervals: Vec<IntervalFields>,
}

/// The two fields of one opening interval, with their ids (= names) and values.
struct IntervalFields {
    number: usize,
    opens_id: String,
    closes_id: String,
    opens: String,
    closes: String,
}

/// One closure in the list.
struct ClosureLine {
    id: String,
    label: String,
    days: String,
}

#[derive(Template)]
#[template(path = "console/catalog/hub_settings.html")]
struct SettingsPage {
    layout: Layout,
    nav: ConsoleNav,
    hub: Hub,
    is_admin: bool,
    operators: Vec<(String, String)>,
    details: DetailsInput,
    limits: LimitsInput,
    times: TimesInput,
    week: Vec<WeekdayRow>,
    closure: ClosureInput,
    closures: Vec<ClosureLine>,
    errors: FormErrors,
}

impl SettingsPage {
    /// The page with every form as stored.
    fn new(layout: Layout, staff: &ConsoleUser, settings: &HubSettings) -> SettingsPage {
        let hub = settings.hub().clone();
        let lang = layout.lang;
        let closures = settings
            .calendar
            .closures
            .iter()
            .map(|c| ClosureLine {
                id: c.id.clone(),
                label: c.label.clone(),
                days: if c.first_day == c.last_day {
                    i18n::format_date(lang, c.first_day)
                } else {
                    format!("{} – {}", i18n::format_date(lang, c.first_day), i18n::format_date(lang, c.last_day))
                },
            })
            .collect();
        SettingsPage {
            nav: ConsoleNav::hub(&hub, staff.scope.is_admin(), "settings"),
            is_admin: staff.scope.is_admin(),
            operators: settings.operators.iter().map(|o| (o.id.to_string(), o.name.clone())).collect(),
            details: DetailsInput::of(&hub),
            limits: LimitsInput {
                max_concurrent_per_user: hub.max_concurrent_per_user.to_string(),
                max_upcoming_per_user: hub.max_upcoming_per_user.to_string(),
            },
            times: TimesInput {
                no_show_minutes: hub.no_show_minutes.to_string(),
                pin_grace_minutes: settings.pin_grace_minutes.to_string(),
            },
            week: week_rows(lang, settings.week()),
            closure: ClosureInput::default(),
            closures,
            errors: FormErrors::default(),
            hub,
            layout,
        }
    }
}

fn week_rows(lang: i18n::Lang, week: [DayHoursInput; 7]) -> Vec<WeekdayRow> {
    week.into_iter()
        .zip(WEEKDAY_FIELDS)
        .enumerate()
        .map(|(index, (day, field))| {
            let [opens1, closes1, opens2, closes2] = hour_field_names(field);
            let ids = [(opens1, closes1), (opens2, closes2)];
            let intervals = ids
                .into_iter()
                .zip(day.intervals)
                .enumerate()
                .map(|(i, ((opens_id, closes_id), (opens, closes)))| IntervalFields {
                    number: i + 1,
                    opens_id,
                    closes_id,
                    opens,
                    closes,
                })
                .collect();
            WeekdayRow { field, name: i18n::t(lang, &format!("weekday-long-{}", index + 1)), intervals }
        })
        .collect()
}

/// The names of a weekday's four time fields: the first is the weekday's own field.
fn hour_field_names(field: &str) -> [String; 4] {
    [field.to_owned(), format!("{field}-closes-1"), format!("{field}-opens-2"), format!("{field}-closes-2")]
}

/// The new-hub form, as `typed` or blank, with `errors` beside its fields.
async fn new_hub_page(
    req: &HttpRequest,
    state: &AppState,
    staff: &ConsoleUser,
    typed: Option<NewHubInput>,
    errors: FormErrors,
) -> actix_web::Result<HttpResponse> {
    let operators = load(state, staff, |tx, staff| hubs::operators_for_new_hub(tx, staff)).await?;
    let form = typed.unwrap_or_else(|| NewHubInput {
        operator_id: operators.first().map(|o| o.id.to_string()).unwrap_or_default(),
        time_zone: crate::domain::local_time::DEFAULT_TIME_ZONE.name().to_owned(),
        ..NewHubInput::default()
    });
    let page = NewHubPage {
        layout: staff.layout(req),
        nav: ConsoleNav::general(staff.scope.is_admin(), "home"),
        operators: operators.into_iter().map(|o| (o.id.to_string(), o.name)).collect(),
        form,
        errors,
    };
    Ok(render(&page, status_of(&page.errors))?)
}

/// `GET /console/hubs/new`
pub async fn new_form(
    req: HttpRequest,
    state: web::Data<AppState>,
    staff: ConsoleUser,
) -> actix_web::Result<HttpResponse> {
    new_hub_page(&req, &state, &staff, None, FormErrors::default()).await
}

/// `POST /console/hubs/new`
pub async fn create(
    req: HttpRequest,
    state: web::Data<AppState>,
    staff: ConsoleUser,
    form: web::Form<WithToken<NewHubInput>>,
) -> actix_web::Result<HttpResponse> {
    staff.require_csrf(&form.csrf_token)?;
    let input = form.into_inner().form;
    let (attempt, now) = (input.clone(), state.clock.now());
    submit(
        &state,
        &staff,
        move |conn, staff| hubs::create(conn, staff, &attempt, now),
        |hub: &Hub| settings_done(&hub.slug, "created"),
        |errors| new_hub_page(&req, &state, &staff, Some(input), errors),
    )
    .await
}

/// The settings page of the hub in the path, with `adjust` applied (a form sent back).
async fn settings_page(
    state: &AppState,
    staff: &ConsoleUser,
    hub: String,
    layout: Layout,
    adjust: impl FnOnce(&mut SettingsPage),
) -> actix_web::Result<HttpResponse> {
    let settings = load(state, staff, move |conn, staff| hubs::settings(conn, staff, &hub)).await?;
    let mut page = SettingsPage::new(layout, staff, &settings);
    adjust(&mut page);
    Ok(render(&page, status_of(&page.errors))?)
}

/// `GET /console/hubs/{hub}/settings`
pub async fn settings(
    req: HttpRequest,
    state: web::Data<AppState>,
    staff: ConsoleUser,
    path: web::Path<String>,
    done: web::Query<Done>,
) -> actix_web::Result<HttpResponse> {
    let layout = done.flash(staff.layout(&req), &SETTINGS_DONE);
    settings_page(&state, &staff, path.into_inner(), layout, |_| {}).await
}

/// Where a settings form goes after it worked.
fn settings_done(slug: &str, done: &str) -> String {
    format!("/console/hubs/{slug}/settings?done={done}")
}

/// Runs one settings form's use case: after it worked, back to the settings with `done`'s
/// message; with problems, the settings page with this form as typed (`keep`) and the messages.
async fn settings_form<T, E>(
    req: &HttpRequest,
    state: &AppState,
    staff: &ConsoleUser,
    hub: String,
    done: &'static str,
    work: impl FnOnce(&mut UnitOfWork<'_>, Staff<'_>) -> Result<T, E> + Send + 'static,
    keep: impl FnOnce(&mut SettingsPage),
) -> actix_web::Result<HttpResponse>
where
    T: Send + 'static,
    E: Into<CatalogError> + Send + 'static,
{
    let back = settings_done(&hub, done);
    submit(
        state,
        staff,
        work,
        |_| back,
        |errors| {
            settings_page(state, staff, hub, staff.layout(req), move |page| {
                keep(page);
                page.errors = errors;
            })
        },
    )
    .await
}

/// `POST /console/hubs/{hub}/settings/details`: after a new slug, the settings under it.
pub async fn update_details(
    req: HttpRequest,
    state: web::Data<AppState>,
    staff: ConsoleUser,
    path: web::Path<String>,
    form: web::Form<WithToken<DetailsInput>>,
) -> actix_web::Result<HttpResponse> {
    staff.require_csrf(&form.csrf_token)?;
    let input = form.into_inner().form;
    let (hub, attempt, now) = (path.into_inner(), input.clone(), state.clock.now());
    let url_hub = hub.clone();
    submit(
        &state,
        &staff,
        move |conn, staff| hubs::update_details(conn, staff, &url_hub, &attempt, now),
        |hub: &Hub| settings_done(&hub.slug, "details"),
        |errors| {
            settings_page(&state, &staff, hub, staff.layout(&req), move |page| {
                // Managers cannot change operator and slug: those stay as stored.
                let (operator_id, slug) = if page.is_admin {
                    (input.operator_id.clone(), input.slug.clone())
                } else {
                    (page.details.operator_id.clone(), page.details.slug.clone())
                };
                page.details = DetailsInput { operator_id, slug, ..input };
                page.errors = errors;
            })
        },
    )
    .await
}

/// `POST /console/hubs/{hub}/settings/limits`
pub async fn update_limits(
    req: HttpRequest,
    state: web::Data<AppState>,
    staff: ConsoleUser,
    path: web::Path<String>,
    form: web::Form<WithToken<LimitsInput>>,
) -> actix_web::Result<HttpResponse> {
    staff.require_csrf(&form.csrf_token)?;
    let input = form.into_inner().form;
    let (hub, attempt, now) = (path.into_inner(), input.clone(), state.clock.now());
    let url_hub = hub.clone();
    let work = move |tx: &mut UnitOfWork<'_>, staff: Staff<'_>| hubs::update_limits(tx, staff, &url_hub, &attempt, now);
    settings_form(&req, &state, &staff, hub, "limits", work, |page| page.limits = input).await
}

/// `POST /console/hubs/{hub}/settings/times`
pub async fn update_times(
    req: HttpRequest,
    state: web::Data<AppState>,
    staff: ConsoleUser,
    path: web::Path<String>,
    form: web::Form<WithToken<TimesInput>>,
) -> actix_web::Result<HttpResponse> {
    staff.require_csrf(&form.csrf_token)?;
    let input = form.into_inner().form;
    let (hub, attempt, now) = (path.into_inner(), input.clone(), state.clock.now());
    let url_hub = hub.clone();
    let work = move |tx: &mut UnitOfWork<'_>, staff: Staff<'_>| hubs::update_times(tx, staff, &url_hub, &attempt, now);
    settings_form(&req, &state, &staff, hub, "times", work, |page| page.times = input).await
}

/// `POST /console/hubs/{hub}/settings/hours`
pub async fn update_hours(
    req: HttpRequest,
    state: web::Data<AppState>,
    staff: ConsoleUser,
    path: web::Path<String>,
    form: web::Form<FormPairs>,
) -> actix_web::Result<HttpResponse> {
    staff.require_csrf(&form.value("csrf_token"))?;
    let week: [DayHoursInput; 7] = WEEKDAY_FIELDS.map(|field| {
        let [opens1, closes1, opens2, closes2] = hour_field_names(field).map(|name| form.value(&name));
        DayHoursInput { intervals: [(opens1, closes1), (opens2, closes2)] }
    });
    let (hub, attempt, now) = (path.into_inner(), week.clone(), state.clock.now());
    let url_hub = hub.clone();
    let work = move |tx: &mut UnitOfWork<'_>, staff: Staff<'_>| hubs::update_hours(tx, staff, &url_hub, &attempt, now);
    settings_form(&req, &state, &staff, hub, "hours", work, |page| page.week = week_rows(page.layout.lang, week)).await
}

/// `POST /console/hubs/{hub}/closures`
pub async fn add_closure(
    req: HttpRequest,
    state: web::Data<AppState>,
    staff: ConsoleUser,
    path: web::Path<String>,
    form: web::Form<WithToken<ClosureInput>>,
) -> actix_web::Result<HttpResponse> {
    staff.require_csrf(&form.csrf_token)?;
    let input = form.into_inner().form;
    let (hub, attempt, now) = (path.into_inner(), input.clone(), state.clock.now());
    let url_hub = hub.clone();
    let work = move |tx: &mut UnitOfWork<'_>, staff: Staff<'_>| hubs::add_closure(tx, staff, &url_hub, &attempt, now);
    settings_form(&req, &state, &staff, hub, "closures", work, |page| page.closure = input).await
}

/// `POST /console/hubs/{hub}/closures/{id}/remove`
pub async fn remove_closure(
    state: web::Data<AppState>,
    staff: ConsoleUser,
    path: web::Path<(String, String)>,
    form: web::Form<crate::web::console::TokenOnly>,
) -> actix_web::Result<HttpResponse> {
    staff.require_csrf(&form.csrf_token)?;
    let ((hub, closure_id), now) = (path.into_inner(), state.clock.now());
    let url_hub = hub.clone();
    load(&state, &staff, move |conn, staff| hubs::remove_closure(conn, staff, &url_hub, &closure_id, now)).await?;
    Ok(see_other(&settings_done(&hub, "closures")))
}
