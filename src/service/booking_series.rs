//! Repeating bookings: a member asks for one time on a series of dates, sees date by date what
//! can be booked (a preview that writes nothing), and books the bookable dates in one
//! transaction. Each date becomes an ordinary booking (own PIN, mails, calendar entry, check-in);
//! the series ties them together for "my bookings" and for cancelling this and the following
//! dates, or all of them.
//!
//! Preview and booking run the very same steps: each date is booked with
//! [`booking::create_booking`] in a savepoint of one write transaction, so every rule — the
//! member's limits counting each date booked before it in the series — decides as it would for a
//! single booking. A preview then rolls the whole transaction back.

use chrono::{DateTime, Days, NaiveDate, Utc};

use super::booking::{self, BookingTime, CreatedBooking, NewBookingRequest};
use super::context::ServiceContext;
use super::house_rules::{self, BookingTerms};
use super::pin::DoorPin;
use super::{ServiceError, to_db_time};
use crate::db::booking_series::{self as series_rows, BookingSeries};
use crate::db::bookings::{self as booking_rows, Booking};
use crate::db::catalog::Space;
use crate::db::users::User;
use crate::db::{self, DbConn, DbError};
use crate::domain::booking::RuleViolation;
use crate::domain::booking_purpose::check_purpose;
use crate::domain::ids::BookingId;
use crate::domain::local_time::LocalTimeError;
use crate::domain::recurrence::{Recurrence, SeriesEnd};
use crate::domain::vocabulary::{BookingStatus, SpaceKind};
use crate::service::{ErrorCode, UnitOfWork};

/// What a member asks for: the first date's booking (a space, a start and an end in the hub's
/// local time) and how it repeats.
#[derive(Debug, Clone)]
pub struct SeriesRequest {
    pub first: NewBookingRequest,
    pub recurrence: Recurrence,
    /// The house-rules acceptance and purpose, the same for every date.
    pub terms: BookingTerms,
}

/// What happens with one date of a series.
#[derive(Debug, Clone)]
pub enum DateOutcome {
    /// Free and allowed (preview).
    Bookable,
    /// Booked; with its PIN when it was confirmed (a space that needs approval: a request).
    Booked { booking_id: BookingId, pin: Option<DoorPin>, pending: bool },
    /// Someone else has the space then; `alternative` is another free space of the same kind at
    /// the hub at the same time, if there is one.
    Taken { alternative: Option<Space> },
    /// The hub is closed (a closure, a holiday) or not open the whole time.
    Closed(RuleViolation),
    /// Another booking rule refuses the date (too far ahead, the member's limits, …).
    Refused(RuleViolation),
    /// The time does not exist that day or is ambiguous (a DST change).
    NoSuchTime(LocalTimeError),
}

impl DateOutcome {
    /// A stable snake_case name for the JSON API.
    pub fn code(&self) -> &'static str {
        match self {
            DateOutcome::Bookable => "bookable",
            DateOutcome::Booked { pending: false, .. } => "booked",
            DateOutcome::Booked { pending: true, .. } => "requested",
            DateOutcome::Taken { .. } => "taken",
            DateOutcome::Closed(_) => "closed",
            DateOutcome::Refused(_) => "rule",
            DateOutcome::NoSuchTime(_) => "no_such_time",
        }
    }
}

/// One date of a series, with its local wall-clock times asked and what happens with it.
#[derive(Debug, Clone)]
pub struct SeriesDate {
    pub date: NaiveDate,
    pub request: NewBookingRequest,
    pub outcome: DateOutcome,
}

/// A booked series: its id and every date, booked or not.
#[derive(Debug, Clone)]
pub struct BookedSeries {
    pub series_id: String,
    pub dates: Vec<SeriesDate>,
}

/// Why a preview's transaction ends: always rolled back, carrying what it found.
enum Abort {
    Preview(Vec<SeriesDate>),
    Failed(ServiceError),
}

impl From<diesel::result::Error> for Abort {
    fn from(error: diesel::result::Error) -> Self {
        Abort::Failed(error.into())
    }
}

impl From<DbError> for Abort {
    fn from(error: DbError) -> Self {
        Abort::Failed(error.into())
    }
}

impl From<ServiceError> for Abort {
    fn from(error: ServiceError) -> Self {
        Abort::Failed(error)
    }
}

/// The dates of the series and, date by date, whether it could be booked now. Writes nothing.
///
/// # Errors
/// `Invalid` for a rule that gives no usable dates; `NotFound` for an unknown space; `Db`.
pub fn preview_series(
    tx: &mut UnitOfWork<'_>,
    ctx: &ServiceContext,
    user: &User,
    request: &SeriesRequest,
    now: DateTime<Utc>,
) -> Result<Vec<SeriesDate>, ServiceError> {
    let result = tx.write_transaction(|tx| -> Result<(), Abort> {
        // Read in the transaction: a version published meanwhile cannot refuse the preview.
        let request = &SeriesRequest { terms: preview_terms(tx, ctx, request)?, ..request.clone() };
        let dates = book_each_date(tx, ctx, user, request, now)?;
        let previewed = dates
            .into_iter()
            .map(|date| match date.outcome {
                DateOutcome::Booked { .. } => SeriesDate { outcome: DateOutcome::Bookable, ..date },
                _ => date,
            })
            .collect();
        Err(Abort::Preview(previewed))
    });
    match result {
        Ok(()) => Ok(Vec::new()),
        Err(Abort::Preview(dates)) => Ok(dates),
        Err(Abort::Failed(error)) => Err(error),
    }
}

/// The terms a preview books with. A preview shows which dates can be had, so the member need
/// not have accepted the house rules or named a purpose yet: it books as if the current rules
/// were accepted and a purpose the room asks for were given (the transaction is rolled back, so
/// no acceptance is kept); booking the series checks the member's own terms.
fn preview_terms(
    conn: &mut DbConn,
    ctx: &ServiceContext,
    request: &SeriesRequest,
) -> Result<BookingTerms, ServiceError> {
    let mut terms = request.terms.clone();
    let catalogue = ctx.catalogue.current(conn)?;
    let Some(space) = catalogue.space(&request.first.space_id) else { return Ok(terms) };
    let Some(hub) = catalogue.hub(&space.hub_id) else { return Ok(terms) };
    if let Some(rules) = house_rules::current(conn, &hub.hub.operator_id)? {
        terms.accept_house_rules_version = Some(rules.version);
    }
    if check_purpose(terms.purpose.as_deref().unwrap_or(""), terms.head_count, space.capacity).is_err() {
        terms.purpose = Some("preview".to_owned());
        terms.head_count = Some(1);
    }
    Ok(terms)
}

/// Books every date of the series that can be booked, in one transaction, and stores the series.
/// Dates that cannot be booked are skipped and reported.
///
/// # Errors
/// `Conflict` (`series_nothing_bookable`) when no date could be booked (nothing is written);
/// `Invalid` for a rule that gives no usable dates; `NotFound` for an unknown space; `Db`.
pub fn book_series(
    tx: &mut UnitOfWork<'_>,
    ctx: &ServiceContext,
    user: &User,
    request: &SeriesRequest,
    now: DateTime<Utc>,
) -> Result<BookedSeries, ServiceError> {
    tx.write_transaction(|tx| {
        let dates = book_each_date(tx, ctx, user, request, now)?;
        let booked: Vec<BookingId> = dates
            .iter()
            .filter_map(|d| match &d.outcome {
                DateOutcome::Booked { booking_id, .. } => Some(booking_id.clone()),
                _ => None,
            })
            .collect();
        if booked.is_empty() {
            return Err(ServiceError::Conflict {
                code: ErrorCode::SeriesNothingBookable,
                message: "None of the series' dates can be booked.".to_owned(),
            });
        }
        let rule = &request.recurrence;
        let series = BookingSeries {
            id: db::new_id(),
            user_id: Some(user.id.clone()),
            space_id: request.first.space_id.clone(),
            frequency: rule.frequency().as_str().to_owned(),
            interval_count: i32::try_from(rule.interval()).unwrap_or(1),
            weekdays: rule.weekdays().iter().map(|d| d.number_from_monday().to_string()).collect::<Vec<_>>().join(","),
            until_date: match rule.end() {
                SeriesEnd::Until(date) => Some(date),
                SeriesEnd::Count(_) => None,
            },
            occurrences: match rule.end() {
                SeriesEnd::Count(n) => i32::try_from(n).ok(),
                SeriesEnd::Until(_) => None,
            },
            created_at: to_db_time(now),
        };
        series_rows::insert_series(tx, &series, &booked)?;
        Ok(BookedSeries { series_id: series.id, dates })
    })
}

/// Books each date in a savepoint of the caller's transaction: a refused date leaves nothing
/// behind, a booked one counts towards the member's limits for the dates after it.
fn book_each_date(
    tx: &mut UnitOfWork<'_>,
    ctx: &ServiceContext,
    user: &User,
    request: &SeriesRequest,
    now: DateTime<Utc>,
) -> Result<Vec<SeriesDate>, ServiceError> {
    let (BookingTime::Local(first_start), BookingTime::Local(first_end)) = (request.first.start, request.first.end)
    else {
        return Err(invalid_rule(crate::domain::recurrence::RecurrenceError::NoDates));
    };
    let first_date = first_start.date();
    let end_day_offset = Days::new(u64::try_from((first_end.date() - first_date).num_days()).unwrap_or(0));
    let dates = request.recurrence.dates(first_date).map_err(invalid_rule)?;
    let mut outcomes = Vec::with_capacity(dates.len());
    for date in dates {
        let end_date = date.checked_add_days(end_day_offset).unwrap_or(date);
        let one = NewBookingRequest {
            space_id: request.first.space_id.clone(),
            start: BookingTime::Local(date.and_time(first_start.time())),
            end: BookingTime::Local(end_date.and_time(first_end.time())),
        };
        let outcome = match booking::create_booking_with_terms(tx, ctx, user, &one, &request.terms, None, now) {
            Ok(CreatedBooking { view, pin }) => DateOutcome::Booked {
                pending: view.booking.status == BookingStatus::Pending,
                booking_id: view.booking.id,
                pin,
            },
            Err(ServiceError::Conflict { code: ErrorCode::SlotTaken, .. }) => {
                DateOutcome::Taken { alternative: alternative(tx, ctx, &one, now)? }
            }
            Err(ServiceError::Rule(rule @ (RuleViolation::HubClosed { .. } | RuleViolation::OutsideOpeningHours))) => {
                DateOutcome::Closed(rule)
            }
            Err(ServiceError::Rule(rule)) => DateOutcome::Refused(rule),
            Err(ServiceError::LocalTime(error)) => DateOutcome::NoSuchTime(error),
            Err(other) => return Err(other),
        };
        outcomes.push(SeriesDate { date, request: one, outcome });
    }
    Ok(outcomes)
}

/// Another enabled space of the same kind at the hub, free for the same time: the nearest
/// alternative to offer for a taken date (the member books it with the usual form).
fn alternative(
    tx: &mut UnitOfWork<'_>,
    ctx: &ServiceContext,
    asked: &NewBookingRequest,
    now: DateTime<Utc>,
) -> Result<Option<Space>, ServiceError> {
    let catalogue = ctx.catalogue.current(tx)?;
    let Some(space) = catalogue.space(&asked.space_id) else { return Ok(None) };
    let Some(hub) = catalogue.hub(&space.hub_id) else { return Ok(None) };
    let tz = super::calendar::hub_calendar(hub)?.tz;
    let (BookingTime::Local(start), BookingTime::Local(end)) = (asked.start, asked.end) else { return Ok(None) };
    let (Ok(start), Ok(end)) = (
        crate::domain::local_time::resolve_local(start.date(), start.time(), tz),
        crate::domain::local_time::resolve_local(end.date(), end.time(), tz),
    ) else {
        return Ok(None);
    };
    if start <= now {
        return Ok(None);
    }
    let kind: SpaceKind = space.kind;
    for other in catalogue.spaces_of(&space.hub_id) {
        if other.id == space.id || other.kind != kind || !other.enabled {
            continue;
        }
        if booking_rows::count_space_overlaps(tx, &other.id, to_db_time(start), to_db_time(end))? == 0 {
            return Ok(Some(other.clone()));
        }
    }
    Ok(None)
}

fn invalid_rule(error: crate::domain::recurrence::RecurrenceError) -> ServiceError {
    ServiceError::Invalid { field: "recurrence", code: ErrorCode::Series(error), message: error.to_string() }
}

/// A member's series with its bookings, soonest first; someone else's is `NotFound`.
///
/// # Errors
/// `NotFound`; `Db`.
pub fn find_own_series(
    conn: &mut DbConn,
    user: &User,
    series_id: &str,
) -> Result<(BookingSeries, Vec<Booking>), ServiceError> {
    let series = series_rows::find_user_series(conn, &user.id, series_id)?.ok_or(ServiceError::NotFound)?;
    let bookings = series_rows::series_bookings(conn, &series.id)?;
    Ok((series, bookings))
}

/// Cancels the member's series from `from` on (that date and every later one), or all of it: each
/// date that can still be cancelled is, as a single cancellation would (PIN stopped, its
/// calendar entry removed by mail). Dates that have ended or run now stay. Returns how many were
/// cancelled now.
///
/// # Errors
/// `NotFound` for someone else's series or a `from` outside it; `Db`. All or nothing.
pub fn cancel_own_series(
    tx: &mut UnitOfWork<'_>,
    ctx: &ServiceContext,
    user: &User,
    series_id: &str,
    from: Option<&BookingId>,
    now: DateTime<Utc>,
) -> Result<usize, ServiceError> {
    tx.write_transaction(|tx| {
        let (_, bookings) = find_own_series(tx, user, series_id)?;
        let first_start = match from {
            Some(id) => Some(bookings.iter().find(|b| &b.id == id).ok_or(ServiceError::NotFound)?.start_at),
            None => None,
        };
        let mut cancelled = 0;
        for booking in bookings {
            if first_start.is_some_and(|first| booking.start_at < first) || !cancellable(&booking, now) {
                continue;
            }
            if booking::cancel_own_booking_telling(tx, ctx, user, &booking.id, now)?.newly_cancelled {
                cancelled += 1;
            }
        }
        Ok(cancelled)
    })
}

/// Whether a date of a series can still be cancelled: held, and not ended.
pub fn cancellable(booking: &Booking, now: DateTime<Utc>) -> bool {
    matches!(booking.status, BookingStatus::Pending | BookingStatus::Confirmed)
        && super::from_db_time(booking.end_at) > now
}

/// Which of the user's bookings belong to a series: booking id → series id.
///
/// # Errors
/// `Db`.
pub fn series_membership(
    conn: &mut DbConn,
    user: &User,
) -> Result<std::collections::HashMap<BookingId, String>, ServiceError> {
    Ok(series_rows::user_series_members(conn, &user.id)?.into_iter().collect())
}

/// The series a booking belongs to, if any (the booking page links to it).
///
/// # Errors
/// `Db`.
pub fn series_of_booking(conn: &mut DbConn, booking_id: &BookingId) -> Result<Option<String>, ServiceError> {
    Ok(series_rows::series_of_booking(conn, booking_id)?)
}

/// The weekday numbers stored with a series as weekdays.
pub fn stored_weekdays(text: &str) -> Vec<chrono::Weekday> {
    text.split(',').filter_map(|n| n.trim().parse::<i32>().ok()).filter_map(super::calendar::weekday_from_iso).collect()
}
