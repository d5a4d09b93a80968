//! Presence and no-shows: raw sensor readings are kept at most 7 days and then folded into
//! 5-minute aggregates per space (never tied to a person); a confirmed booking with no check-in
//! within its hub's no-show window is released as a no-show, its PIN revoked and the member told
//! by e-mail — only where a check-in was possible (`check_in`). Check-in itself happens when
//! events arrive (`bridge_link`) or the member checks in by hand (`check_in`).

use std::collections::hash_map::Entry;
use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Duration, DurationRound, NaiveDateTime, Utc};

use super::context::ServiceContext;
use super::{ServiceError, booking_mail, check_in, pin, to_db_time};
use crate::db::check_in::{self as check_in_rows, HubDevices};
use crate::db::presence::{self as rows, PresenceAggregate};
use crate::db::users;
use crate::domain::calendar::HubCalendar;
use crate::domain::check_in::{CheckInModes, NoShowDecision};
use crate::domain::ids::{HubId, SpaceId};
use crate::domain::vocabulary::BookingStatus;
use crate::domain::vocabulary::SensedPresence;
use crate::service::UnitOfWork;

/// How long raw readings are kept.
pub const RAW_RETENTION: Duration = Duration::days(7);
/// The width of an aggregate bucket.
pub const BUCKET: Duration = Duration::minutes(5);
/// A reading counts for at most this long: a sensor that falls silent is not observing.
const READING_HOLDS_AT_MOST: Duration = Duration::minutes(5);

/// Folds readings older than [`RAW_RETENTION`] into 5-minute aggregates and deletes them, in one
/// transaction; returns how many readings were folded.
///
/// A reading's state holds until the space's next reading, at most five minutes; `unknown`
/// counts as not observed.
///
/// # Errors
/// On a database failure nothing changes.
pub fn fold_old_readings(tx: &mut UnitOfWork<'_>, now: DateTime<Utc>) -> Result<usize, ServiceError> {
    let cutoff = to_db_time(now - RAW_RETENTION);
    tx.write_transaction(|tx| {
        let readings = rows::readings_before(tx, cutoff)?;
        let mut buckets: BTreeMap<(SpaceId, NaiveDateTime), (i64, i64)> = BTreeMap::new();
        for (i, reading) in readings.iter().enumerate() {
            let Some(space_id) = &reading.space_id else { continue };
            let next = match readings.get(i + 1).filter(|n| n.space_id.as_ref() == Some(space_id)) {
                Some(n) => Some(n.observed_at),
                None => rows::next_reading_time(tx, space_id, reading.observed_at + Duration::seconds(1))?,
            };
            let limit = reading.observed_at + READING_HOLDS_AT_MOST;
            let until = next.map_or(limit, |n| n.min(limit));
            if reading.presence == SensedPresence::Unknown {
                continue;
            }
            let present = reading.presence == SensedPresence::Present;
            let mut from = reading.observed_at;
            while from < until {
                let bucket = from.duration_trunc(BUCKET).unwrap_or(from);
                let end = (bucket + BUCKET).min(until);
                let seconds = (end - from).num_seconds();
                let slot = buckets.entry((space_id.clone(), bucket)).or_default();
                slot.1 += seconds;
                if present {
                    slot.0 += seconds;
                }
                from = end;
            }
        }
        for ((space_id, bucket_start), (present, observed)) in buckets {
            rows::add_to_aggregate(
                tx,
                &PresenceAggregate {
                    space_id,
                    bucket_start,
                    present_seconds: i32::try_from(present).unwrap_or(i32::MAX),
                    observed_seconds: i32::try_from(observed).unwrap_or(i32::MAX),
                },
            )?;
        }
        let deleted = rows::delete_readings_before(tx, cutoff)?;
        if deleted > 0 {
            tracing::info!(readings = deleted, "old presence readings folded into aggregates");
        }
        Ok(deleted)
    })
}

/// Releases every confirmed booking not checked in within its no-show window, where a check-in
/// was possible (see `domain::check_in::no_show_decision`): status `no_show` (the space is free
/// again), PIN revoked, and the member told by e-mail, each in one transaction. Nothing is
/// released while its hub is locked down, nor once it has ended. The window opens at the latest
/// of the start, the hub's opening that day, the moment the booking was made and the lift of the
/// hub's last lockdown.
/// A space whose stored modes cannot be read releases nothing (the error is logged). Returns
/// how many were released.
///
/// # Errors
/// On a database failure; bookings released before it stay released.
pub fn release_no_shows(
    tx: &mut UnitOfWork<'_>,
    ctx: &ServiceContext,
    now: DateTime<Utc>,
) -> Result<usize, ServiceError> {
    let candidates = check_in_rows::no_show_candidates(tx, to_db_time(now))?;
    let mut hubs: HashMap<HubId, (HubDevices, Option<HubCalendar>)> = HashMap::new();
    let mut released = 0;
    for candidate in candidates {
        let modes = match CheckInModes::parse(&candidate.check_in_modes) {
            Ok(modes) => modes,
            Err(error) => {
                tracing::error!(space.id = %candidate.booking.space_id, error = %error, "no-show release skipped");
                continue;
            }
        };
        let hub = match hubs.entry(candidate.hub_id.clone()) {
            Entry::Occupied(known) => known.into_mut(),
            Entry::Vacant(slot) => {
                let devices = check_in_rows::hub_devices(tx, &candidate.hub_id)?;
                slot.insert((devices, check_in::calendar_of(tx, &candidate.hub_id)?))
            }
        };
        let (devices, calendar) = (&hub.0, hub.1.as_ref());
        let booking = candidate.booking;
        if check_in::no_show_due(modes, devices, calendar, &booking, candidate.no_show_minutes, now)
            != NoShowDecision::Release
        {
            continue;
        }
        tx.write_transaction(|tx| {
            if !check_in_rows::mark_no_show(tx, &booking.id, to_db_time(now))? {
                return Ok::<(), ServiceError>(());
            }
            pin::revoke_pin(tx, &booking.id)?;
            if let Some(user_id) = &booking.user_id
                && let Some(user) = users::find_user(tx, user_id)?
            {
                let mut released_row = booking.clone();
                released_row.status = BookingStatus::NoShow;
                booking_mail::enqueue_no_show(tx, ctx, &user, &released_row, now)?;
            }
            tracing::info!(booking.id = %booking.id, "booking released as a no-show");
            released += 1;
            Ok(())
        })?;
    }
    Ok(released)
}
