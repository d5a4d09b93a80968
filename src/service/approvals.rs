//! The booking life cycle's rules that act without anyone deciding: a request still waiting for
//! approval when it starts is declined by the system (the space is free again, the member is
//! mailed why, the audit trail records it), and a confirmed or checked-in booking that has ended
//! becomes `completed` (no mail). Both act only on bookings whose premise holds (the start, or
//! the end, has passed), each booking in its own write transaction with a conditional update, so
//! several service instances running the same pass act on a booking exactly once.
//!
//! The no-show release (`presence`) acts on confirmed bookings before their end, this pass only
//! after it; where both could apply (a service that was down through a whole booking) the
//! conditional update lets exactly one of them win.

use chrono::{DateTime, Duration, Utc};

use super::booking_mail::{self, CancelReason};
use super::context::ServiceContext;
use super::{ServiceError, from_db_time, to_db_time};
use crate::db::audit::{self as audit_rows, AuditRow};
use crate::db::bookings::Booking;
use crate::db::users::{self, User};
use crate::db::{self, DbConn, access, catalog, lifecycle};

/// Requests that started longer ago than this are left alone (e.g. after a long outage): a
/// bound on the query, far beyond the minute between passes.
const REQUEST_LOOKBACK: Duration = Duration::days(7);
/// Bookings that ended longer ago than this are left alone, for the same reason.
const COMPLETION_LOOKBACK: Duration = Duration::days(7);
/// The most requests one pass declines; the next pass takes the rest.
const BATCH: i64 = 200;
/// The audit trail's action for a request the system declined.
pub const REQUEST_EXPIRED: &str = "booking_request_expired";

/// Whether the audit trail's `action` is one the system takes by itself (its entries have no
/// actor, like those of a deleted account, and are shown as the system's).
pub fn is_system_action(action: &str) -> bool {
    action == REQUEST_EXPIRED
}

/// Declines every request whose start has come without a decision: status `cancelled` (what a
/// manager's decline writes, which frees the space), the member gets the "declined" mail with
/// the reason "not decided in time", and the audit trail records the system as the actor.
/// Returns how many were declined by this call.
///
/// # Errors
/// On a database failure; requests declined before it stay declined.
pub fn decline_undecided_requests(
    conn: &mut DbConn,
    ctx: &ServiceContext,
    now: DateTime<Utc>,
) -> Result<usize, ServiceError> {
    let due = lifecycle::undecided_started_requests(conn, to_db_time(now), to_db_time(now - REQUEST_LOOKBACK), BATCH)?;
    let mut declined = 0;
    for request in due {
        let done = db::write_transaction(conn, |conn| {
            if !lifecycle::decline_if_pending(conn, &request.id, to_db_time(now))? {
                // Decided (or withdrawn) meanwhile, or declined by another instance.
                return Ok::<bool, ServiceError>(false);
            }
            let declined_row = access::find_booking(conn, &request.id)?.ok_or(ServiceError::NotFound)?;
            let person = match &request.user_id {
                Some(id) => users::find_user(conn, id)?,
                None => None,
            };
            if let Some(person) = &person {
                let reason = CancelReason::Catalogue("approvals-reason-not-decided");
                booking_mail::enqueue_ended_by_hub(conn, ctx, person, &declined_row, true, reason, now)?;
            }
            record_expiry(conn, &request, person.as_ref(), now)?;
            Ok(true)
        })?;
        if done {
            tracing::info!(booking.id = %request.id, "booking request not decided by its start declined");
            declined += 1;
        }
    }
    Ok(declined)
}

/// Moves every confirmed or checked-in booking whose end has passed to `completed`; one that was
/// never checked in is marked so (`completed_without_check_in`), never counted as attended.
/// Returns how many were completed by this call.
///
/// # Errors
/// On a database failure nothing changes.
pub fn complete_ended_bookings(conn: &mut DbConn, now: DateTime<Utc>) -> Result<usize, ServiceError> {
    // One conditional statement: atomic on its own, and exclusive through its status condition.
    Ok(lifecycle::complete_ended(conn, to_db_time(now), to_db_time(now - COMPLETION_LOOKBACK))?)
}

/// The audit entry of a request the system declined: no actor (the system), the hub, the space,
/// and who asked for when.
fn record_expiry(
    conn: &mut DbConn,
    request: &Booking,
    person: Option<&User>,
    now: DateTime<Utc>,
) -> Result<(), ServiceError> {
    let space = catalog::find_space(conn, &request.space_id)?.ok_or(ServiceError::NotFound)?;
    let hub = catalog::find_hub(conn, &space.hub_id)?.ok_or(ServiceError::NotFound)?;
    let tz = hub.zone();
    let who = person.map_or_else(|| "(deleted account)".to_owned(), |p| p.email.clone());
    let start = from_db_time(request.start_at).with_timezone(&tz);
    let end = from_db_time(request.end_at).with_timezone(&tz);
    let details = format!(
        "{who}, {}–{}; system: not decided before its start",
        start.format("%Y-%m-%d %H:%M"),
        end.format("%Y-%m-%d %H:%M")
    );
    audit_rows::insert_audit(
        conn,
        &AuditRow {
            id: db::new_id(),
            actor_id: None,
            hub_id: Some(hub.id.clone()),
            action: REQUEST_EXPIRED.to_owned(),
            subject: space.name,
            details,
            created_at: to_db_time(now),
        },
    )?;
    Ok(())
}
