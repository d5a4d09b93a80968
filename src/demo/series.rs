//! Service level: the demo member's weekly club evening in Polch's Vereinsraum — a booking series
//! of four Thursdays, booked through the same use case as the member's series form, so it shows
//! on "my bookings" as one item with its dates.

use chrono::{DateTime, Datelike, Days, NaiveTime, Utc, Weekday};

use super::logins::DEMO_LOGINS;
use crate::db::{DbConn, catalog, users as user_rows};
use crate::domain::recurrence::{Frequency, Recurrence, SeriesEnd};
use crate::service::booking::{BookingTime, NewBookingRequest};
use crate::service::booking_series::{SeriesRequest, book_series};
use crate::service::calendar::hub_calendar;
use crate::service::context::ServiceContext;
use crate::service::{ServiceError, UnitOfWork};

/// Books the series; a demo whose dates are all taken or refused simply has none.
///
/// # Errors
/// On a database failure.
pub fn seed_demo_series(conn: &mut DbConn, ctx: &ServiceContext, now: DateTime<Utc>) -> Result<(), ServiceError> {
    let Some(member) = user_rows::find_user_by_email(conn, DEMO_LOGINS[0].email)? else { return Ok(()) };
    let Some(hub) = catalog::find_hub(conn, "polch")? else { return Ok(()) };
    let Some(hub) = catalog::find_hub_with_calendar(conn, &hub.id)? else { return Ok(()) };
    let Some(room) = catalog::list_spaces(conn, &hub.hub.id)?.into_iter().find(|s| s.name == "Vereinsraum") else {
        return Ok(());
    };
    let today = hub_calendar(&hub)?.local_date_of(now);
    // The next Thursday at least two days ahead.
    let mut first = today.checked_add_days(Days::new(2)).unwrap_or(today);
    while first.weekday() != Weekday::Thu {
        first = first.checked_add_days(Days::new(1)).unwrap_or(first);
    }
    let (Some(from), Some(to)) = (NaiveTime::from_hms_opt(18, 0, 0), NaiveTime::from_hms_opt(20, 0, 0)) else {
        return Ok(());
    };
    let Ok(recurrence) = Recurrence::new(Frequency::Weekly, 1, vec![Weekday::Thu], SeriesEnd::Count(4)) else {
        return Ok(());
    };
    let request = SeriesRequest {
        first: NewBookingRequest {
            space_id: room.id,
            start: BookingTime::Local(first.and_time(from)),
            end: BookingTime::Local(first.and_time(to)),
        },
        recurrence,
        terms: Default::default(),
    };
    // Seeding runs before anyone waits on a bridge or the mail job: nothing to announce.
    match book_series(&mut UnitOfWork::new(conn), ctx, &member, &request, now) {
        Ok(_) | Err(ServiceError::Conflict { .. }) => Ok(()),
        Err(other) => Err(other),
    }
}
