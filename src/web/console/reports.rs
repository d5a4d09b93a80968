//! Looking back: the utilization page of a hub (charts with their data tables, per-space table,
//! busiest times) and its date-range form. The CSV exports live in `exports`, the chart geometry
//! in `svg_chart`, the figures-to-text step in `view`.

mod exports;
pub mod svg_chart;
mod view;

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use chrono::{DateTime, NaiveDate, Utc};
use serde::Deserialize;

use super::ConsoleUser;
use super::nav::ConsoleNav;
use crate::db::DbConn;
use crate::domain::ids::SpaceId;
use crate::domain::utilization::{DateRange, MAX_RANGE_DAYS, RangeError};
use crate::i18n::Lang;
use crate::service::ServiceError;
use crate::service::console::StaffScope;
use crate::service::console::reports::{self, ReportRequest, ReportScope};
use crate::state::AppState;
use crate::web::accounts::render;
use crate::web::layout::Layout;
use crate::web::pages::PageError;
use crate::web::pages::book::FieldError;
use view::ReportView;

/// This area's routes, below `/console`.
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/hubs/{hub}/utilization").route(web::get().to(utilization_page)));
    cfg.service(web::resource("/hubs/{hub}/utilization.csv").route(web::get().to(exports::utilization_csv)));
    cfg.service(web::resource("/hubs/{hub}/bookings.csv").route(web::get().to(exports::bookings_csv)));
}

/// The range (and space) a report is asked for; every field may be missing.
#[derive(Debug, Deserialize)]
pub struct RangeQuery {
    #[serde(default)]
    pub from: String,
    #[serde(default)]
    pub to: String,
    #[serde(default)]
    pub space: String,
}

impl RangeQuery {
    /// The space id asked for, `None` for the whole hub.
    fn space_id(&self) -> Option<SpaceId> {
        Some(self.space.trim()).filter(|s| !s.is_empty()).map(SpaceId::new)
    }
}

#[derive(Template)]
#[template(path = "console/reports/utilization.html")]
pub struct UtilizationPage {
    pub layout: Layout,
    pub nav: ConsoleNav,
    pub hub_slug: String,
    /// The form's values as typed (or as defaulted).
    pub from: String,
    pub to: String,
    pub space: String,
    /// (id, name) of the hub's spaces for the space choice.
    pub spaces: Vec<(String, String)>,
    pub errors: Vec<FieldError>,
    /// `None` when the form has errors.
    pub report: Option<ReportView>,
}

impl UtilizationPage {
    /// The message for `field`, if it has one.
    pub fn error_for(&self, field: &str) -> Option<&str> {
        self.errors.iter().find(|e| e.field == field).map(|e| e.message.as_str())
    }
}

/// `GET /console/hubs/{hub}/utilization?from=&to=&space=`: the last full month by default.
pub async fn utilization_page(
    req: HttpRequest,
    state: web::Data<AppState>,
    staff: ConsoleUser,
    path: web::Path<String>,
    query: web::Query<RangeQuery>,
) -> Result<HttpResponse, PageError> {
    let (layout, report) = match load(&req, &state, &staff, path.into_inner(), &query, reports::utilization).await? {
        Ok(loaded) => loaded,
        Err(answer) => return Ok(answer),
    };
    let page = UtilizationPage {
        nav: ConsoleNav::hub(&report.scope.hub, staff.scope.is_admin(), "utilization"),
        hub_slug: report.scope.hub.slug.clone(),
        from: report.range.first().to_string(),
        to: report.range.last().to_string(),
        space: report.scope.focus.as_ref().map(|s| s.id.to_string()).unwrap_or_default(),
        spaces: space_choices(&report.scope),
        errors: Vec::new(),
        report: Some(ReportView::new(&layout, &report)),
        layout,
    };
    render(&page, StatusCode::OK)
}

/// A service function that answers a report request.
type Report<T> = fn(&mut DbConn, &StaffScope, &ReportRequest, DateTime<Utc>) -> Result<T, ServiceError>;

/// What every report route does first: reads the query into a request and runs `report` for it,
/// giving the page's layout with the result. When the dates are wrong the answer is instead the
/// form with its messages (422), after the hub and space were checked against the viewer's
/// scope, so a bad date never tells whether another hub's id exists.
async fn load<T: Send + 'static>(
    req: &HttpRequest,
    state: &AppState,
    staff: &ConsoleUser,
    hub: String,
    query: &RangeQuery,
    report: Report<T>,
) -> Result<Result<(Layout, T), HttpResponse>, PageError> {
    let layout = staff.layout(req);
    let space_id = query.space_id();
    let errors = match parse_range(layout.lang, query) {
        Ok(range) => {
            let (scope, now, request) =
                (staff.scope.clone(), state.clock.now(), ReportRequest { hub, space_id, range });
            let loaded = state.db(move |conn| report(conn, &scope, &request, now)).await?;
            return Ok(Ok((layout, loaded)));
        }
        Err(errors) => errors,
    };
    let scope = staff.scope.clone();
    let report_scope = state.db(move |conn| reports::report_scope(conn, &scope, &hub, space_id.as_ref())).await?;
    let page = UtilizationPage {
        nav: ConsoleNav::hub(&report_scope.hub, staff.scope.is_admin(), "utilization"),
        hub_slug: report_scope.hub.slug.clone(),
        from: query.from.clone(),
        to: query.to.clone(),
        space: query.space.clone(),
        spaces: space_choices(&report_scope),
        errors,
        report: None,
        layout,
    };
    Ok(Err(render(&page, StatusCode::UNPROCESSABLE_ENTITY)?))
}

fn space_choices(scope: &ReportScope) -> Vec<(String, String)> {
    scope.spaces.iter().map(|s| (s.id.to_string(), s.name.clone())).collect()
}

/// Reads `from` and `to`: both empty means the default range; otherwise both must be dates
/// (`YYYY-MM-DD`) making a range of at most [`MAX_RANGE_DAYS`] days.
fn parse_range(lang: Lang, query: &RangeQuery) -> Result<Option<DateRange>, Vec<FieldError>> {
    let (from, to) = (query.from.trim(), query.to.trim());
    if from.is_empty() && to.is_empty() {
        return Ok(None);
    }
    let day = |text: &str| NaiveDate::parse_from_str(text, "%Y-%m-%d").ok();
    let message = |key: &str| crate::i18n::t(lang, key);
    let (first, last) = (day(from), day(to));
    let mut errors = Vec::new();
    if first.is_none() {
        errors.push(FieldError { field: "from", message: message("console-reports-error-date") });
    }
    if last.is_none() {
        errors.push(FieldError { field: "to", message: message("console-reports-error-date") });
    }
    let (Some(first), Some(last)) = (first, last) else { return Err(errors) };
    DateRange::new(first, last).map(Some).map_err(|error| {
        let message = match error {
            RangeError::EndBeforeStart => message("console-reports-error-order"),
            RangeError::TooLong => {
                crate::i18n::t_args(lang, "console-reports-error-too-long", &[("days", MAX_RANGE_DAYS.to_string())])
            }
        };
        vec![FieldError { field: "to", message }]
    })
}

/// A number with at most `decimals` decimals, trailing zeros dropped, with the language's
/// decimal mark ("2,5" / "2.5").
fn decimal(lang: Lang, value: f64, decimals: usize) -> String {
    let text = format!("{value:.decimals$}");
    let text = if text.contains('.') { text.trim_end_matches('0').trim_end_matches('.').to_owned() } else { text };
    let text = if text == "-0" { "0".to_owned() } else { text };
    match lang {
        Lang::De => text.replace('.', ","),
        Lang::En => text,
    }
}

/// Seconds as hours with one decimal ("12,5").
fn hours(lang: Lang, seconds: i64) -> String {
    decimal(lang, seconds as f64 / 3600.0, 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn query(from: &str, to: &str) -> RangeQuery {
        RangeQuery { from: from.into(), to: to.into(), space: String::new() }
    }

    #[test]
    fn numbers_use_the_languages_decimal_mark() {
        assert_eq!(hours(Lang::De, 5400), "1,5");
        assert_eq!(hours(Lang::En, 5400), "1.5");
        assert_eq!(hours(Lang::De, 7200), "2");
        assert_eq!(hours(Lang::De, 0), "0");
        assert_eq!(decimal(Lang::De, 0.25, 2), "0,25");
    }

    #[test]
    fn ranges_are_read_or_refused_field_by_field() {
        assert_eq!(parse_range(Lang::De, &query("", " ")).ok(), Some(None));
        let fields = |q: RangeQuery| {
            parse_range(Lang::En, &q).err().map(|e| e.iter().map(|e| e.field).collect::<Vec<_>>()).unwrap_or_default()
        };
        assert_eq!(fields(query("2026-10-01", "2026-10-31")), Vec::<&str>::new());
        assert_eq!(fields(query("1.10.2026", "")), ["from", "to"]);
        assert_eq!(fields(query("2026-10-31", "2026-10-01")), ["to"]);
        assert_eq!(fields(query("2025-01-01", "2026-10-01")), ["to"]);
    }
}
