//! A member's personal calendar feed: a secret address (made here, shown once, revocable) that
//! calendar apps subscribe to, serving the member's bookings as one iCalendar file.
//!
//! The address is the only key, so it opens nothing else: it lists times and places, never a PIN,
//! and it works only for the feed. A member has at most one working address; making a new one
//! revokes the old one at once.

use chrono::{DateTime, Duration, Utc};

use super::accounts::{random_urlsafe, token_hash};
use super::booking_context::BookingContext;
use super::booking_mail::{feed_entry, language_of};
use super::context::ServiceContext;
use super::{ServiceError, from_db_time, to_db_time};
use crate::db::calendar_feeds::{self as feed_rows, CalendarFeed};
use crate::db::{self, DbConn};
use crate::domain::ids::UserId;
use crate::domain::vocabulary::{BookingStatus, UserStatus};
use crate::i18n;
use crate::mail::feed_ics;
use crate::service::UnitOfWork;

/// Every feed secret starts so, which tells it from other secrets in a leaked log or paste.
pub const FEED_SECRET_PREFIX: &str = "rhcal_";

/// How far back the feed reaches: a calendar app keeps what a feed once listed only while the
/// feed lists it, so the last weeks stay visible; older bookings drop out.
pub const FEED_LOOKBACK: Duration = Duration::days(30);

/// When the feed was last fetched is written at most this often.
const TOUCH_EVERY: Duration = Duration::hours(1);

/// Makes a new feed address for the user, revoking any earlier one; returns the secret, which is
/// shown once and never stored.
///
/// # Errors
/// On a database failure.
pub fn create_feed(tx: &mut UnitOfWork<'_>, user_id: &UserId, now: DateTime<Utc>) -> Result<String, ServiceError> {
    let secret = format!("{FEED_SECRET_PREFIX}{}", random_urlsafe(32));
    let feed = CalendarFeed {
        id: db::new_id(),
        user_id: user_id.clone(),
        token_hash: token_hash(&secret),
        created_at: to_db_time(now),
        last_used_at: None,
        revoked_at: None,
    };
    tx.write_transaction(|tx| -> Result<(), ServiceError> {
        feed_rows::revoke_user_feeds(tx, user_id, to_db_time(now))?;
        feed_rows::insert_feed(tx, &feed)?;
        Ok(())
    })?;
    Ok(secret)
}

/// Revokes the user's feed address; calendar apps get 404 from then on. Returns whether there
/// was one.
///
/// # Errors
/// On a database failure.
pub fn revoke_feed(tx: &mut UnitOfWork<'_>, user_id: &UserId, now: DateTime<Utc>) -> Result<bool, ServiceError> {
    Ok(tx.write_transaction(|tx| feed_rows::revoke_user_feeds(tx, user_id, to_db_time(now)))? > 0)
}

/// The user's working feed (when it was made and last fetched), if any.
///
/// # Errors
/// On a database failure.
pub fn current_feed(conn: &mut DbConn, user_id: &UserId) -> Result<Option<CalendarFeed>, ServiceError> {
    Ok(feed_rows::find_user_feed(conn, user_id)?)
}

/// The feed behind `secret` as an iCalendar file: the member's bookings that started at most
/// [`FEED_LOOKBACK`] ago or start later, cancelled and no-show ones left out (a calendar app
/// removes what a feed no longer lists), requests waiting for approval as tentative. `None` for
/// an unknown or revoked secret and for a blocked account.
///
/// # Errors
/// On a database failure.
pub fn feed_calendar(
    tx: &mut UnitOfWork<'_>,
    ctx: &ServiceContext,
    secret: &str,
    now: DateTime<Utc>,
) -> Result<Option<String>, ServiceError> {
    if !secret.starts_with(FEED_SECRET_PREFIX) {
        return Ok(None);
    }
    let Some((feed, user)) = feed_rows::find_feed_by_hash(tx, &token_hash(secret))? else {
        return Ok(None);
    };
    if user.status == UserStatus::Blocked {
        return Ok(None);
    }
    let recently = feed.last_used_at.is_some_and(|used| now - from_db_time(used) < TOUCH_EVERY);
    if !recently {
        tx.write_transaction(|tx| feed_rows::touch_feed(tx, &feed.id, to_db_time(now)))?;
    }
    let catalogue = ctx.catalogue.current(tx)?;
    let from = to_db_time(now - FEED_LOOKBACK);
    let mut entries = Vec::new();
    for (booking, sequence) in feed_rows::feed_bookings(tx, &user.id, from)? {
        if matches!(booking.status, BookingStatus::Cancelled | BookingStatus::NoShow) {
            continue;
        }
        let place = match catalogue.space(&booking.space_id).and_then(|s| Some((s, catalogue.hub(&s.hub_id)?))) {
            Some((space, hub)) => BookingContext { space: space.clone(), hub: hub.hub.clone() },
            // A space added after the catalogue was read: read it as it is now.
            None => BookingContext::load(tx, &booking.space_id)?,
        };
        let tentative = booking.status == BookingStatus::Pending;
        entries.push((feed_entry(ctx, &place, booking, &user, sequence, now), tentative));
    }
    let name = i18n::t(language_of(&user), "feed-name");
    Ok(Some(feed_ics(&name, &entries)))
}
