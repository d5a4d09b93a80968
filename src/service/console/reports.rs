//! Looking back: a hub's utilization over a range of days (booked versus present hours, no-shows,
//! busiest times), an hour-by-hour ledger per space, and the bookings of the range for export.
//! Every function resolves the hub and any space id through the staff scope first.
//!
//! Presence comes from the 5-minute aggregates only; raw readings of the last
//! [`crate::service::presence::RAW_RETENTION`] are not folded yet and are left out.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;

use super::scope::StaffScope;
use crate::db::DbConn;
use crate::db::bookings::Booking;
use crate::db::catalog::{self, Hub, Space};
use crate::db::reports as rows;
use crate::domain::ids::SpaceId;
use crate::domain::slot::Slot;
use crate::domain::utilization::{
    BookedSpan, DateRange, Figures, HourRow, PresentBucket, counts_for_hub, figures_by_space, hourly_ledger,
};
use crate::domain::vocabulary::BookingStatus;
use crate::service::{ServiceError, from_db_time, to_db_time};

/// The hub a report is about, its spaces (by name) and the one space asked for, if any.
#[derive(Debug, Clone)]
pub struct ReportScope {
    pub hub: Hub,
    pub spaces: Vec<Space>,
    pub focus: Option<Space>,
}

/// A space with its figures.
#[derive(Debug, Clone)]
pub struct SpaceFigures {
    pub space: Space,
    pub figures: Figures,
}

/// The utilization of a hub over a range.
#[derive(Debug, Clone)]
pub struct UtilizationReport {
    pub scope: ReportScope,
    pub range: DateRange,
    /// Every space of the hub, by name.
    pub spaces: Vec<SpaceFigures>,
    /// The figures of the space asked for, or of the whole hub (without equipment).
    pub figures: Figures,
}

/// One line of the bookings export.
#[derive(Debug, Clone)]
pub struct BookingLine {
    pub booking: Booking,
    pub space_name: String,
    /// Name and e-mail; `None` once the person deleted their account.
    pub person: Option<(String, String)>,
    /// Whether the person checked in: checked in now, or completed after a check-in (a booking
    /// that ended while only confirmed is completed without one).
    pub checked_in: bool,
}

/// The hub (by slug or id) and, when given, one of its spaces, as this scope may see them.
///
/// # Errors
/// `NotFound` for a hub outside the scope or a space that is not the hub's.
pub fn report_scope(
    conn: &mut DbConn,
    scope: &StaffScope,
    hub: &str,
    space_id: Option<&SpaceId>,
) -> Result<ReportScope, ServiceError> {
    let hub = scope.hub(conn, hub)?;
    let focus = match space_id {
        Some(id) => {
            let space = catalog::find_space(conn, id)?.ok_or(ServiceError::NotFound)?;
            scope.require_in(&space.hub_id, &hub)?;
            Some(space)
        }
        None => None,
    };
    let spaces = catalog::list_spaces(conn, &hub.id)?;
    Ok(ReportScope { hub, spaces, focus })
}

/// The range to show when none is asked for: the last full calendar month in the hub's zone.
pub fn default_range(hub: &Hub, now: DateTime<Utc>) -> DateRange {
    DateRange::previous_month(now.with_timezone(&hub.zone()).date_naive())
}

/// What a report is asked for: a hub (slug or id), optionally one of its spaces, and a range
/// (`None`: the last full calendar month in the hub's zone).
#[derive(Debug, Clone)]
pub struct ReportRequest {
    pub hub: String,
    pub space_id: Option<SpaceId>,
    pub range: Option<DateRange>,
}

/// A request checked against the scope, with its range settled and turned into UTC.
struct Resolved {
    scope: ReportScope,
    range: DateRange,
    tz: Tz,
    window: Slot,
}

fn resolve(
    conn: &mut DbConn,
    staff: &StaffScope,
    request: &ReportRequest,
    now: DateTime<Utc>,
) -> Result<Resolved, ServiceError> {
    let scope = report_scope(conn, staff, &request.hub, request.space_id.as_ref())?;
    let range = request.range.unwrap_or_else(|| default_range(&scope.hub, now));
    let tz = scope.hub.zone();
    Ok(Resolved { window: range.window(tz), scope, range, tz })
}

/// The utilization of the hub (or of one of its spaces).
///
/// # Errors
/// `NotFound` as [`report_scope`]; on a database error.
pub fn utilization(
    conn: &mut DbConn,
    staff: &StaffScope,
    request: &ReportRequest,
    now: DateTime<Utc>,
) -> Result<UtilizationReport, ServiceError> {
    let Resolved { scope, range, tz, window } = resolve(conn, staff, request, now)?;
    let (bookings, presence) = load_window(conn, &scope.hub, window)?;
    let mut by_space = figures_by_space(window, tz, &bookings, &presence);
    let spaces: Vec<SpaceFigures> = scope
        .spaces
        .iter()
        .map(|space| SpaceFigures { space: space.clone(), figures: by_space.remove(&space.id).unwrap_or_default() })
        .collect();
    let figures = match &scope.focus {
        Some(focus) => spaces.iter().find(|s| s.space.id == focus.id).map(|s| s.figures.clone()).unwrap_or_default(),
        None => Figures::sum(spaces.iter().filter(|s| counts_in_hub(&s.space)).map(|s| &s.figures)),
    };
    Ok(UtilizationReport { scope, range, spaces, figures })
}

/// Booked and present seconds per space and local hour, for the utilization export; only the
/// space asked for when one is. Presence is per space, never per person.
///
/// # Errors
/// `NotFound` as [`report_scope`]; on a database error.
pub fn hourly(
    conn: &mut DbConn,
    staff: &StaffScope,
    request: &ReportRequest,
    now: DateTime<Utc>,
) -> Result<(ReportScope, DateRange, Vec<HourRow>), ServiceError> {
    let Resolved { scope, range, tz, window } = resolve(conn, staff, request, now)?;
    let (bookings, presence) = load_window(conn, &scope.hub, window)?;
    let mut ledger = hourly_ledger(window, tz, &bookings, &presence);
    if let Some(focus) = &scope.focus {
        ledger.retain(|row| row.space_id == focus.id);
    }
    Ok((scope, range, ledger))
}

/// The hub's bookings that start in the range (every status), with their spaces and people;
/// only the space asked for when one is.
///
/// # Errors
/// `NotFound` as [`report_scope`]; on a database error.
pub fn bookings_export(
    conn: &mut DbConn,
    staff: &StaffScope,
    request: &ReportRequest,
    now: DateTime<Utc>,
) -> Result<(ReportScope, DateRange, Vec<BookingLine>), ServiceError> {
    let Resolved { scope, range, window, .. } = resolve(conn, staff, request, now)?;
    let (start, end) = (to_db_time(window.start()), to_db_time(window.end()));
    let lines = rows::hub_bookings_starting_with_people(conn, &scope.hub.id, start, end)?
        .into_iter()
        .filter(|(booking, _, _, _)| scope.focus.as_ref().is_none_or(|focus| focus.id == booking.space_id))
        .map(|(booking, space_name, person, without_check_in)| {
            let checked_in = match booking.status {
                BookingStatus::CheckedIn => true,
                BookingStatus::Completed => !without_check_in,
                _ => false,
            };
            BookingLine { booking, space_name, person, checked_in }
        })
        .collect();
    Ok((scope, range, lines))
}

/// The hub's bookings and presence buckets in the window, as the figures take them.
fn load_window(
    conn: &mut DbConn,
    hub: &Hub,
    window: Slot,
) -> Result<(Vec<BookedSpan>, Vec<PresentBucket>), ServiceError> {
    let (start, end) = (to_db_time(window.start()), to_db_time(window.end()));
    let bookings = rows::hub_bookings_overlapping(conn, &hub.id, start, end)?
        .into_iter()
        .filter_map(|b| {
            let slot = Slot::new(from_db_time(b.start_at), from_db_time(b.end_at)).ok()?;
            Some(BookedSpan { space_id: b.space_id, slot, status: b.status })
        })
        .collect();
    let presence = rows::hub_presence_between(conn, &hub.id, start, end)?
        .into_iter()
        .map(|a| PresentBucket {
            space_id: a.space_id,
            start: from_db_time(a.bucket_start),
            present_seconds: i64::from(a.present_seconds),
        })
        .collect();
    Ok((bookings, presence))
}

fn counts_in_hub(space: &Space) -> bool {
    counts_for_hub(space.kind)
}
