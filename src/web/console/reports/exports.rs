//! The report downloads: the bookings of a range (one row per booking, with its person) and the
//! utilization hour by hour per space (never tied to a person). Columns and values in the
//! viewer's language, times in the hub's zone (ISO 8601 with the offset); a bad range shows the report form with its errors.

use actix_web::{HttpRequest, HttpResponse, web};
use chrono_tz::Tz;

use super::{ConsoleUser, RangeQuery, decimal, load};
use crate::domain::utilization::DateRange;
use crate::service::console::reports::{self, BookingLine};
use crate::state::AppState;
use crate::web::console::csv_export::{csv_download, csv_time};
use crate::web::layout::Layout;
use crate::web::pages::PageError;
use crate::web::pages::hubs::zone;

const BOOKING_COLUMNS: [&str; 9] = [
    "console-reports-csv-booking-id",
    "console-reports-csv-space",
    "console-reports-csv-name",
    "console-reports-csv-email",
    "console-reports-csv-start",
    "console-reports-csv-end",
    "console-reports-csv-status",
    "console-reports-csv-checked-in",
    "console-reports-csv-by-staff",
];

/// An hour is told by its start with the offset, so the repeated hour of the night the clocks go
/// back is two distinct rows.
const HOUR_COLUMNS: [&str; 4] = [
    "console-reports-csv-space",
    "console-reports-csv-start",
    "console-reports-csv-booked-hours",
    "console-reports-csv-present-hours",
];

/// `GET /console/hubs/{hub}/bookings.csv?from=&to=&space=`: the bookings that start in the range.
pub async fn bookings_csv(
    req: HttpRequest,
    state: web::Data<AppState>,
    staff: ConsoleUser,
    path: web::Path<String>,
    query: web::Query<RangeQuery>,
) -> Result<HttpResponse, PageError> {
    let loaded = load(&req, &state, &staff, path.into_inner(), &query, reports::bookings_export).await?;
    let (layout, (report_scope, range, lines)) = match loaded {
        Ok(loaded) => loaded,
        Err(answer) => return Ok(answer),
    };
    let tz = zone(&report_scope.hub.time_zone);
    let rows: Vec<Vec<String>> = lines.iter().map(|line| booking_row(&layout, line, tz)).collect();
    let name = file_name(&layout, "console-reports-csv-bookings-file", &report_scope.hub.slug, range);
    csv_download(&name, &header(&layout, &BOOKING_COLUMNS), &rows)
}

/// `GET /console/hubs/{hub}/utilization.csv?from=&to=&space=`: booked and present hours per
/// space and local hour.
pub async fn utilization_csv(
    req: HttpRequest,
    state: web::Data<AppState>,
    staff: ConsoleUser,
    path: web::Path<String>,
    query: web::Query<RangeQuery>,
) -> Result<HttpResponse, PageError> {
    let (layout, (report_scope, range, ledger)) =
        match load(&req, &state, &staff, path.into_inner(), &query, reports::hourly).await? {
            Ok(loaded) => loaded,
            Err(answer) => return Ok(answer),
        };
    let tz = zone(&report_scope.hub.time_zone);
    let lang = layout.lang;
    let rows: Vec<Vec<String>> = ledger
        .iter()
        .map(|row| {
            let space = report_scope.spaces.iter().find(|s| s.id == row.space_id).map(|s| s.name.clone());
            vec![
                space.unwrap_or_default(),
                csv_time(row.hour_start, tz),
                decimal(lang, row.booked_seconds as f64 / 3600.0, 2),
                decimal(lang, row.present_seconds as f64 / 3600.0, 2),
            ]
        })
        .collect();
    let name = file_name(&layout, "console-reports-csv-utilization-file", &report_scope.hub.slug, range);
    csv_download(&name, &header(&layout, &HOUR_COLUMNS), &rows)
}

fn header(layout: &Layout, keys: &[&str]) -> Vec<String> {
    keys.iter().map(|key| layout.t(key)).collect()
}

/// "buchungen-polch-2026-10-01-2026-10-31.csv"
fn file_name(layout: &Layout, key: &str, slug: &str, range: DateRange) -> String {
    format!("{}-{slug}-{}-{}.csv", layout.t(key), range.first(), range.last())
}

fn booking_row(layout: &Layout, line: &BookingLine, tz: Tz) -> Vec<String> {
    let booking = &line.booking;
    // Staff who book for someone are recorded as its creator; members booking for themselves are not.
    let by_staff = booking.created_by.is_some() && booking.created_by != booking.user_id;
    let (name, email) = match &line.person {
        Some((name, email)) => (name.clone(), email.clone()),
        None => (layout.t("console-reports-csv-deleted-person"), String::new()),
    };
    vec![
        booking.id.to_string(),
        line.space_name.clone(),
        name,
        email,
        csv_time(crate::service::from_db_time(booking.start_at), tz),
        csv_time(crate::service::from_db_time(booking.end_at), tz),
        layout.t(&format!("booking-status-{}", booking.status.as_str())),
        yes_no(layout, line.checked_in),
        yes_no(layout, by_staff),
    ]
}

fn yes_no(layout: &Layout, yes: bool) -> String {
    layout.t(if yes { "console-reports-csv-yes" } else { "console-reports-csv-no" })
}
