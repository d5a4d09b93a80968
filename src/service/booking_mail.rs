//! The e-mails and calendar entries about one booking: confirmation (with the PIN and a
//! `METHOD:REQUEST` entry), cancellation (`METHOD:CANCEL`, same UID, higher `SEQUENCE`) and the
//! reminder, each written into the outbox inside the caller's transaction, in the member's
//! language. Also the `.ics` download of the booking page.
//!
//! A mail that cannot be rendered is a bug; it is logged and skipped so that it never costs the
//! member their booking.

use chrono::{DateTime, Duration, NaiveTime, Utc};
use chrono_tz::Tz;

use super::booking_context::BookingContext;
use super::context::ServiceContext;
use super::pin::DoorPin;
use super::{ServiceError, from_db_time};
use crate::db::bookings::{self as booking_rows, Booking};
use crate::db::catalog::Hub;
use crate::db::users::User;
use crate::db::{DbConn, booking_mail as mail_rows};
use crate::domain::ids::BookingId;
use crate::domain::vocabulary::BookingStatus;
use crate::i18n::{self, Lang};
use crate::mail::booking_change_messages::{BookingUpdate, BookingUpdatedMail};
use crate::mail::console_messages::BookingDeclinedMail;
use crate::mail::messages::{
    BookingCancelledMail, BookingConfirmedMail, BookingFacts, BookingNoShowMail, BookingReminderMail, RenderedMail,
};
use crate::mail::{self, BookingCalendarEntry, IcsMethod, OutgoingMail, booking_ics, booking_uid};
use crate::service::UnitOfWork;

/// A booking confirmed to its person: where it is, the door PIN (when it was just issued) and, for
/// an account staff made, the link to claim it.
#[derive(Debug, Clone, Copy)]
pub struct Confirmation<'a> {
    pub place: &'a BookingContext,
    pub person: &'a User,
    pub booking: &'a Booking,
    pub pin: Option<&'a DoorPin>,
    pub claim_link: Option<&'a str>,
}

/// A change to a booking, for the update mail: the booking as it is now and where, how it was
/// before a move and where, what happened, whether the hub's staff did it, and a new PIN if the
/// change issued one. The use case read both places already; the mail reads neither again.
#[derive(Debug, Clone, Copy)]
pub struct ChangeNotice<'a> {
    pub place: &'a BookingContext,
    pub booking: &'a Booking,
    pub previous: Option<(&'a BookingContext, &'a Booking)>,
    pub update: BookingUpdate,
    pub by_hub: bool,
    pub pin: Option<&'a DoorPin>,
}

/// Everything the booking mails say about a booking, looked up once.
struct AboutBooking {
    booking: Booking,
    hub: Hub,
    space_name: String,
    tz: Tz,
}

impl AboutBooking {
    /// For a mail of a use case that has no context at hand (a job, a cancellation).
    fn load(conn: &mut DbConn, booking: Booking) -> Result<AboutBooking, ServiceError> {
        let place = BookingContext::load(conn, &booking.space_id)?;
        Ok(AboutBooking::within(&place, booking))
    }

    /// For a mail of a use case that read the booking's space and hub already.
    fn within(place: &BookingContext, booking: Booking) -> AboutBooking {
        let tz = place.hub.zone();
        AboutBooking { booking, hub: place.hub.clone(), space_name: place.space.name.clone(), tz }
    }

    fn start(&self) -> DateTime<Utc> {
        from_db_time(self.booking.start_at)
    }

    fn end(&self) -> DateTime<Utc> {
        from_db_time(self.booking.end_at)
    }

    fn address(&self) -> String {
        format!("{}, {} {}", self.hub.street, self.hub.postcode, self.hub.town)
    }

    fn facts(&self, ctx: &ServiceContext, lang: Lang) -> BookingFacts {
        BookingFacts {
            space: self.space_name.clone(),
            hub: self.hub.name.clone(),
            address: self.address(),
            when: when(lang, self.start(), self.end(), self.tz),
            booking_url: booking_url(ctx, &self.booking.id),
        }
    }

    fn calendar_entry(
        &self,
        ctx: &ServiceContext,
        user: Option<&User>,
        sequence: i32,
        now: DateTime<Utc>,
    ) -> BookingCalendarEntry {
        let lang = user.map_or(Lang::De, language_of);
        let url = booking_url(ctx, &self.booking.id);
        BookingCalendarEntry {
            uid: booking_uid(&self.booking.id, &ctx.public_url),
            summary: i18n::t_args(
                lang,
                "mail-ics-summary",
                &[("space", self.space_name.clone()), ("hub", self.hub.name.clone())],
            ),
            location: self.address(),
            description: i18n::t_args(lang, "mail-ics-description", &[("url", url.clone())]),
            url,
            start: self.start(),
            end: self.end(),
            sequence: u32::try_from(sequence).unwrap_or(0),
            cancelled: matches!(self.booking.status, BookingStatus::Cancelled | BookingStatus::NoShow),
            organizer_email: ctx.sender_email.clone(),
            organizer_name: ctx.sender_name.clone(),
            attendee_email: user.map(|u| u.email.clone()).unwrap_or_default(),
            attendee_name: user.map(|u| u.name.clone()).unwrap_or_default(),
            stamp: now,
        }
    }
}

/// The language the member chose; German when none (or an unknown one) is stored.
pub fn language_of(user: &User) -> Lang {
    Lang::parse(&user.locale).unwrap_or_default()
}

/// The booking page's address.
pub fn booking_url(ctx: &ServiceContext, booking_id: &BookingId) -> String {
    ctx.link(&format!("/bookings/{booking_id}"))
}

/// Writes the confirmation of a just-confirmed booking at `place` into the outbox, with the PIN
/// (if any) and a `METHOD:REQUEST` calendar entry; with `claim_link`, also the link that lets a
/// person for whom staff made an account choose their password.
///
/// # Errors
/// On a database failure.
pub fn enqueue_confirmation(
    tx: &mut UnitOfWork<'_>,
    ctx: &ServiceContext,
    confirmation: Confirmation<'_>,
    now: DateTime<Utc>,
) -> Result<(), ServiceError> {
    let Confirmation { place, person: user, booking, pin, claim_link } = confirmation;
    let about = AboutBooking::within(place, booking.clone());
    let lang = language_of(user);
    let pin_valid_from = match pin {
        Some(pin) => pin.valid_from(),
        None => super::pin::pin_valid_from(tx, &about.hub.id, booking)?,
    };
    let message = BookingConfirmedMail {
        lang,
        name: user.name.clone(),
        booking: about.facts(ctx, lang),
        pin: pin.map(|p| p.as_str().to_owned()),
        pin_valid_from: i18n::format_date_time(lang, pin_valid_from, about.tz),
        claim_link: claim_link.map(str::to_owned),
    };
    let sequence = mail_rows::calendar_sequence(tx, &booking.id)?;
    let ics = booking_ics(&about.calendar_entry(ctx, Some(user), sequence, now), IcsMethod::Request);
    queue(tx, &booking.id, message.render(), user, Some((IcsMethod::Request, ics)), now)
}

/// Writes the cancellation of a booking into the outbox: the same UID with a raised `SEQUENCE`
/// and `METHOD:CANCEL`, so calendars remove the entry. `booking` is the cancelled row.
///
/// # Errors
/// On a database failure.
pub fn enqueue_cancellation(
    tx: &mut UnitOfWork<'_>,
    ctx: &ServiceContext,
    user: &User,
    booking: &Booking,
    now: DateTime<Utc>,
) -> Result<(), ServiceError> {
    enqueue_cancellation_with_reason(tx, ctx, user, booking, None, now)
}

/// Why the hub cancelled a booking, as the cancellation mail states it.
#[derive(Debug, Clone, Copy)]
pub enum CancelReason<'a> {
    /// Free text a manager typed; sent as written.
    Given(&'a str),
    /// A catalogue key, rendered in the member's language (e.g. "the space was disabled").
    Catalogue(&'static str),
}

/// Like [`enqueue_cancellation`], for a booking the hub cancelled: the mail says why.
///
/// # Errors
/// On a database failure.
pub fn enqueue_cancellation_with_reason(
    tx: &mut UnitOfWork<'_>,
    ctx: &ServiceContext,
    user: &User,
    booking: &Booking,
    reason: Option<CancelReason<'_>>,
    now: DateTime<Utc>,
) -> Result<(), ServiceError> {
    // The booking's guests lose their PIN with it and are told (issue 16).
    super::guests::end_with_booking(tx, ctx, user, booking, now)?;
    let about = AboutBooking::load(tx, booking.clone())?;
    let lang = language_of(user);
    let message = BookingCancelledMail {
        lang,
        name: user.name.clone(),
        booking: about.facts(ctx, lang),
        hubs_url: ctx.link("/"),
        reason: reason.map(|reason| reason_text(reason, lang)),
    };
    let sequence = mail_rows::raise_calendar_sequence(tx, &booking.id)?;
    let ics = booking_ics(&about.calendar_entry(ctx, Some(user), sequence, now), IcsMethod::Cancel);
    queue(tx, &booking.id, message.render(), user, Some((IcsMethod::Cancel, ics)), now)
}

/// Tells the member that the hub ended their booking, and why, by the mail that fits what it
/// was: a request that was waiting for approval (`was_pending`) gets the "declined" mail without
/// a calendar entry (it was never sent as one); a confirmed booking gets the cancellation with
/// `METHOD:CANCEL`. `cancelled` is the cancelled row.
///
/// # Errors
/// On a database failure.
pub fn enqueue_ended_by_hub(
    tx: &mut UnitOfWork<'_>,
    ctx: &ServiceContext,
    user: &User,
    cancelled: &Booking,
    was_pending: bool,
    reason: CancelReason<'_>,
    now: DateTime<Utc>,
) -> Result<(), ServiceError> {
    if was_pending {
        let text = reason_text(reason, language_of(user));
        enqueue_declined(tx, ctx, user, cancelled, &text, now)
    } else {
        enqueue_cancellation_with_reason(tx, ctx, user, cancelled, Some(reason), now)
    }
}

/// A reason in the member's language.
fn reason_text(reason: CancelReason<'_>, lang: Lang) -> String {
    match reason {
        CancelReason::Given(text) => text.to_owned(),
        CancelReason::Catalogue(key) => i18n::t(lang, key),
    }
}

/// Writes the reminder of an upcoming booking into the outbox.
///
/// # Errors
/// On a database failure.
pub fn enqueue_reminder(
    tx: &mut UnitOfWork<'_>,
    ctx: &ServiceContext,
    user: &User,
    booking: &Booking,
    now: DateTime<Utc>,
) -> Result<(), ServiceError> {
    let about = AboutBooking::load(tx, booking.clone())?;
    let lang = language_of(user);
    let message = BookingReminderMail { lang, name: user.name.clone(), booking: about.facts(ctx, lang) };
    queue(tx, &booking.id, message.render(), user, None, now)
}

/// Tells the member the hub declined their booking request, and why. No calendar entry: a
/// request waiting for approval was never sent as one.
///
/// # Errors
/// On a database failure.
pub fn enqueue_declined(
    tx: &mut UnitOfWork<'_>,
    ctx: &ServiceContext,
    user: &User,
    booking: &Booking,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<(), ServiceError> {
    // The booking's guests lose their PIN with it and are told (issue 16).
    super::guests::end_with_booking(tx, ctx, user, booking, now)?;
    let about = AboutBooking::load(tx, booking.clone())?;
    let lang = language_of(user);
    let message = BookingDeclinedMail {
        lang,
        name: user.name.clone(),
        booking: about.facts(ctx, lang),
        reason: reason.to_owned(),
        hubs_url: ctx.link("/"),
    };
    queue(tx, &booking.id, message.render(), user, None, now)
}

/// Tells the member their booking was released as a no-show, with a `METHOD:CANCEL` entry so
/// their calendar drops it.
///
/// # Errors
/// On a database failure.
pub fn enqueue_no_show(
    tx: &mut UnitOfWork<'_>,
    ctx: &ServiceContext,
    user: &User,
    booking: &Booking,
    now: DateTime<Utc>,
) -> Result<(), ServiceError> {
    // The booking's guests lose their PIN with it and are told (issue 16).
    super::guests::end_with_booking(tx, ctx, user, booking, now)?;
    let about = AboutBooking::load(tx, booking.clone())?;
    let lang = language_of(user);
    let minutes = about.hub.no_show_minutes;
    let message = BookingNoShowMail {
        lang,
        name: user.name.clone(),
        booking: about.facts(ctx, lang),
        minutes,
        hubs_url: ctx.link("/"),
    };
    let sequence = mail_rows::raise_calendar_sequence(tx, &booking.id)?;
    let ics = booking_ics(&about.calendar_entry(ctx, Some(user), sequence, now), IcsMethod::Cancel);
    queue(tx, &booking.id, message.render(), user, Some((IcsMethod::Cancel, ics)), now)
}

/// Tells the member a booking of theirs changed (`booking` is the row as it is now, `previous`
/// as it was before a move). A confirmed booking's entry is updated (`METHOD:REQUEST`, same UID,
/// raised `SEQUENCE`, the new times); one that now waits for approval has it removed
/// (`METHOD:CANCEL`) until the hub confirms; a request that only moved had no entry and gets none.
///
/// # Errors
/// On a database failure.
pub fn enqueue_update(
    tx: &mut UnitOfWork<'_>,
    ctx: &ServiceContext,
    user: &User,
    notice: ChangeNotice<'_>,
    now: DateTime<Utc>,
) -> Result<(), ServiceError> {
    let ChangeNotice { place, booking, previous, update, by_hub, pin } = notice;
    let about = AboutBooking::within(place, booking.clone());
    let lang = language_of(user);
    let previous = previous.map(|(place, before)| AboutBooking::within(place, before.clone()).facts(ctx, lang));
    let message = BookingUpdatedMail {
        lang,
        name: user.name.clone(),
        update,
        by_hub,
        booking: about.facts(ctx, lang),
        previous,
        pin: pin.map(|p| p.as_str().to_owned()),
    };
    let method = match update {
        BookingUpdate::Moved | BookingUpdate::Released => Some(IcsMethod::Request),
        BookingUpdate::AwaitsApproval => Some(IcsMethod::Cancel),
        BookingUpdate::RequestMoved => None,
    };
    let calendar = match method {
        Some(method) => {
            let sequence = mail_rows::raise_calendar_sequence(tx, &booking.id)?;
            let mut entry = about.calendar_entry(ctx, Some(user), sequence, now);
            entry.cancelled = method == IcsMethod::Cancel;
            Some((method, booking_ics(&entry, method)))
        }
        None => None,
    };
    queue(tx, &booking.id, message.render(), user, calendar, now)
}

/// The calendar entry of one of the user's bookings, for the booking page's `.ics` download
/// (`METHOD:PUBLISH`; a cancelled booking says `STATUS:CANCELLED`). The UID and `SEQUENCE` are
/// those of the mails, so importing it next to an invitation updates the same entry.
///
/// # Errors
/// `NotFound` for a booking that is not the user's; `Db` on a database failure.
pub fn own_booking_ics(
    conn: &mut DbConn,
    ctx: &ServiceContext,
    user: &User,
    booking_id: &BookingId,
    now: DateTime<Utc>,
) -> Result<String, ServiceError> {
    let booking = booking_rows::find_user_booking(conn, &user.id, booking_id)?.ok_or(ServiceError::NotFound)?;
    let sequence = mail_rows::calendar_sequence(conn, &booking.id)?;
    let about = AboutBooking::load(conn, booking)?;
    Ok(booking_ics(&about.calendar_entry(ctx, Some(user), sequence, now), IcsMethod::Publish))
}

/// The calendar entry of `booking` at `place` as the member's calendar feed lists it: the UID,
/// texts and `SEQUENCE` of the booking's mails, without organizer and attendee.
pub(crate) fn feed_entry(
    ctx: &ServiceContext,
    place: &BookingContext,
    booking: Booking,
    user: &User,
    sequence: i32,
    now: DateTime<Utc>,
) -> BookingCalendarEntry {
    AboutBooking::within(place, booking).calendar_entry(ctx, Some(user), sequence, now)
}

/// Offers `user` the freed slot `[start, end)` at `place`, held until `expires`; the link is
/// their waitlist page, where they book it.
///
/// # Errors
/// On a database failure.
#[allow(clippy::too_many_arguments, reason = "a slot that is not a booking yet, with its offer")]
pub(crate) fn enqueue_waitlist_offer(
    tx: &mut UnitOfWork<'_>,
    ctx: &ServiceContext,
    user: &User,
    place: &BookingContext,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
    expires: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<(), ServiceError> {
    let lang = language_of(user);
    let tz = place.hub.zone();
    let facts = BookingFacts {
        space: place.space.name.clone(),
        hub: place.hub.name.clone(),
        address: format!("{}, {} {}", place.hub.street, place.hub.postcode, place.hub.town),
        when: when(lang, start, end, tz),
        booking_url: ctx.link("/waitlist"),
    };
    let message = crate::mail::waitlist_messages::WaitlistOfferMail {
        lang,
        name: user.name.clone(),
        booking: facts,
        until: i18n::format_date_time(lang, expires, tz),
    };
    match message.render() {
        Ok(rendered) => {
            mail::enqueue(tx, rendered.to(&user.email), now)?;
        }
        Err(error) => {
            tracing::error!(space.id = %place.space.id, error = %error, "waitlist mail could not be rendered")
        }
    }
    Ok(())
}

/// What the booking mails say about a booking at `place`, in `lang`: for the mails about a
/// booking that go to others than its member (a request to the hub's managers).
pub(crate) fn booking_facts(
    ctx: &ServiceContext,
    place: &BookingContext,
    booking: &Booking,
    lang: Lang,
) -> BookingFacts {
    AboutBooking::within(place, booking.clone()).facts(ctx, lang)
}

fn queue(
    tx: &mut UnitOfWork<'_>,
    booking_id: &BookingId,
    rendered: Result<RenderedMail, askama::Error>,
    user: &User,
    calendar: Option<(IcsMethod, String)>,
    now: DateTime<Utc>,
) -> Result<(), ServiceError> {
    match rendered {
        Ok(rendered) => {
            let mail = OutgoingMail { calendar, ..rendered.to(&user.email) };
            mail::enqueue(tx, mail, now)?;
        }
        Err(error) => tracing::error!(booking.id = %booking_id, error = %error, "booking mail could not be rendered"),
    }
    Ok(())
}

/// Day and times of a booking in the hub's zone: "Di., 24.11.2026, 09:00–12:00 Uhr"; a booking
/// that ends at midnight ends at "24:00" of its day; one over several days names both ends.
fn when(lang: Lang, start: DateTime<Utc>, end: DateTime<Utc>, tz: Tz) -> String {
    let (local_start, local_end) = (start.with_timezone(&tz), end.with_timezone(&tz));
    let start_day = local_start.date_naive();
    let ends_at_midnight = local_end.time() == NaiveTime::MIN;
    let until = if local_end.date_naive() == start_day {
        Some(i18n::format_time(end, tz))
    } else if ends_at_midnight && local_end.date_naive() == start_day + Duration::days(1) {
        Some("24:00".to_owned())
    } else {
        None
    };
    match until {
        Some(until) => i18n::t_args(
            lang,
            "mail-when-range",
            &[("date", i18n::format_date(lang, start_day)), ("from", i18n::format_time(start, tz)), ("until", until)],
        ),
        None => i18n::t_args(
            lang,
            "mail-when-span",
            &[("from", i18n::format_date_time(lang, start, tz)), ("until", i18n::format_date_time(lang, end, tz))],
        ),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    fn at(text: &str) -> DateTime<Utc> {
        text.parse().unwrap()
    }

    #[test]
    fn times_are_shown_in_the_hubs_zone_and_language() {
        let berlin = chrono_tz::Europe::Berlin;
        assert_eq!(
            when(Lang::De, at("2026-11-24T08:00:00Z"), at("2026-11-24T11:00:00Z"), berlin),
            "Di., 24.11.2026, 09:00–12:00 Uhr"
        );
        assert_eq!(
            when(Lang::En, at("2026-11-24T08:00:00Z"), at("2026-11-24T11:00:00Z"), berlin),
            "Tue, 24 Nov 2026, 09:00–12:00"
        );
        assert_eq!(
            when(Lang::De, at("2026-11-23T23:00:00Z"), at("2026-11-24T23:00:00Z"), berlin),
            "Di., 24.11.2026, 00:00–24:00 Uhr"
        );
        assert_eq!(
            when(Lang::De, at("2026-11-23T23:00:00Z"), at("2026-11-25T23:00:00Z"), berlin),
            "Di., 24.11.2026, 00:00 Uhr bis Do., 26.11.2026, 00:00 Uhr"
        );
    }
}
