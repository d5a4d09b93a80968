//! The mails of a new booking request, queued in the transaction that stores it: every active
//! manager of the hub and every admin (the people alarms go to, `access::alarm_recipients`) is
//! asked to decide, each in their own language, with a link to the request in the console; the
//! member is told the request arrived and until when it is decided. No PIN, no calendar entry.
//!
//! A mail that cannot be rendered is a bug; it is logged and skipped so that it never costs the
//! member their request.

use chrono::{DateTime, Utc};

use super::booking_context::BookingContext;
use super::booking_mail::{booking_facts, language_of};
use super::context::ServiceContext;
use super::{ServiceError, from_db_time};
use crate::db::access;
use crate::db::bookings::Booking;
use crate::db::users::User;
use crate::domain::approval::decided_by;
use crate::domain::ids::BookingId;
use crate::i18n;
use crate::mail::approval_messages::{ApprovalRequestedMail, RequestReceivedMail};
use crate::mail::messages::RenderedMail;
use crate::mail::{self, OutgoingMail};
use crate::service::UnitOfWork;

/// Where a manager decides a request: the hub's bookings list, only requests, at the request.
pub fn decide_url(ctx: &ServiceContext, hub_slug: &str, booking_id: &BookingId) -> String {
    ctx.link(&format!("/console/hubs/{hub_slug}/bookings?status=pending#booking-{booking_id}"))
}

/// Queues "request received" for `member` and "please decide" for the hub's managers and the
/// admins. Call it in the transaction that stores the request.
///
/// # Errors
/// On a database failure.
pub fn enqueue_request_mails(
    tx: &mut UnitOfWork<'_>,
    ctx: &ServiceContext,
    place: &BookingContext,
    member: &User,
    request: &Booking,
    now: DateTime<Utc>,
) -> Result<(), ServiceError> {
    let lang = language_of(member);
    let facts = booking_facts(ctx, place, request, lang);
    let tz = place.hub.zone();
    let deadline = decided_by(from_db_time(request.start_at));
    let received = RequestReceivedMail {
        lang,
        name: member.name.clone(),
        booking: facts,
        decide_by: i18n::format_date_time(lang, deadline, tz),
    };
    queue(tx, &request.id, received.render(), &member.email, now)?;
    notify_deciders(tx, ctx, place, member, request, now)
}

/// Tells the hub's deciders (its managers and the admins, as for alarms) that `member`'s
/// request waits for them, each in their own language with a link to decide: for a new request
/// and for a booking its member moved into a time or space that needs approval.
///
/// # Errors
/// On a database failure.
pub fn notify_deciders(
    tx: &mut UnitOfWork<'_>,
    ctx: &ServiceContext,
    place: &BookingContext,
    member: &User,
    request: &Booking,
    now: DateTime<Utc>,
) -> Result<(), ServiceError> {
    let hub = &place.hub;
    let tz = hub.zone();
    let deadline = decided_by(from_db_time(request.start_at));
    let link = decide_url(ctx, &hub.slug, &request.id);
    let deciders = access::alarm_recipients(tx, &hub.id)?;
    for decider in deciders.iter().filter(|d| d.id != member.id) {
        let lang = language_of(decider);
        let mut facts = booking_facts(ctx, place, request, lang);
        // The member's page is theirs alone; staff decide in the console.
        facts.booking_url.clone_from(&link);
        let asked = ApprovalRequestedMail {
            lang,
            name: decider.name.clone(),
            booking: facts,
            requester: member.name.clone(),
            decide_url: link.clone(),
            decide_by: i18n::format_date_time(lang, deadline, tz),
        };
        queue(tx, &request.id, asked.render(), &decider.email, now)?;
    }
    tracing::info!(booking.id = %request.id, hub.id = %hub.id, deciders = deciders.len(), "booking request mails queued");
    Ok(())
}

fn queue(
    tx: &mut UnitOfWork<'_>,
    booking_id: &BookingId,
    rendered: Result<RenderedMail, askama::Error>,
    recipient: &str,
    now: DateTime<Utc>,
) -> Result<(), ServiceError> {
    match rendered {
        Ok(rendered) => {
            let mail: OutgoingMail = rendered.to(recipient);
            mail::enqueue(tx, mail, now)?;
        }
        Err(error) => tracing::error!(booking.id = %booking_id, error = %error, "request mail could not be rendered"),
    }
    Ok(())
}
