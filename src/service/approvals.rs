//! The booking life cycle's rules that act without anyone deciding: a request still waiting for
//! approval when it starts is declined by the system (the space is free again, the member is
//! mailed why, the audit trail records it), and a confirmed or checked-in booking that has ended
//! becomes `completed` (no mail). Both act only on bookings whose premise holds (the start, or
//! the end, has passed), with a conditional update, so several service instances running the
//! same pass act on a booking exactly once. They reach back without a time limit (a request still
//! waiting after a long outage is declined all the same) and take the due bookings in batches,
//! oldest first, each batch short: a request in its own write transaction, a batch of
//! completions in one statement. The job runs batches until one comes back short (or a pass's
//! limit is reached).
//!
//! The no-show release (`presence`) acts on confirmed bookings before their end, this pass only
//! after it; where both could apply (a service that was down through a whole booking) the
//! conditional update lets exactly one of them win.

use chrono::{DateTime, Utc};

use super::booking_mail::{self, CancelReason};
use super::context::ServiceContext;
use super::{ServiceError, from_db_time, to_db_time};
use crate::db::audit::{self as audit_rows, AuditRow};
use crate::db::bookings::Booking;
use crate::db::users::{self, User};
use crate::db::{self, DbConn, access, catalog, lifecycle};
use crate::service::UnitOfWork;

/// The most bookings one batch reads and changes, so that a first run over a long history
/// (or after a long outage) holds no long transaction and no large result in memory.
pub const BATCH: usize = 500;
/// The audit trail's action for a request the system declined.
pub const REQUEST_EXPIRED: &str = "booking_request_expired";

/// Whether the audit trail's `action` is one the system takes by itself (its entries have no
/// actor, like those of a deleted account, and are shown as the system's).
pub fn is_system_action(action: &str) -> bool {
    action == REQUEST_EXPIRED
}

/// What one batch of a rule did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Batch {
    /// Bookings this call changed (others may have been changed by another instance meanwhile).
    pub changed: usize,
    /// Whether the batch was full, so more may be due: the caller runs another.
    pub full: bool,
}

impl Batch {
    fn of(changed: usize, read: usize) -> Batch {
        Batch { changed, full: read >= BATCH }
    }
}

/// [`BATCH`] as the query's limit.
fn limit() -> i64 {
    i64::try_from(BATCH).unwrap_or(i64::MAX)
}

/// Declines one batch of the requests whose start has come without a decision, however long
/// ago: status `cancelled` (what a manager's decline writes, which frees the space), the member
/// gets the "declined" mail with the reason "not decided in time", and the audit trail records
/// the system as the actor.
///
/// # Errors
/// On a database failure; requests declined before it stay declined.
pub fn decline_undecided_requests(
    tx: &mut UnitOfWork<'_>,
    ctx: &ServiceContext,
    now: DateTime<Utc>,
) -> Result<Batch, ServiceError> {
    let due = lifecycle::undecided_started_requests(tx, to_db_time(now), limit())?;
    let read = due.len();
    let mut declined = 0;
    for request in due {
        let done = tx.write_transaction(|tx| {
            if !lifecycle::decline_if_pending(tx, &request.id, to_db_time(now))? {
                // Decided (or withdrawn) meanwhile, or declined by another instance.
                return Ok::<bool, ServiceError>(false);
            }
            let declined_row = access::find_booking(tx, &request.id)?.ok_or(ServiceError::NotFound)?;
            let person = match &request.user_id {
                Some(id) => users::find_user(tx, id)?,
                None => None,
            };
            if let Some(person) = &person {
                let reason = CancelReason::Catalogue("approvals-reason-not-decided");
                booking_mail::enqueue_ended_by_hub(tx, ctx, person, &declined_row, true, reason, now)?;
            }
            record_expiry(tx, &request, person.as_ref(), now)?;
            Ok(true)
        })?;
        if done {
            tracing::info!(booking.id = %request.id, "booking request not decided by its start declined");
            declined += 1;
        }
    }
    Ok(Batch::of(declined, read))
}

/// Moves one batch of the confirmed or checked-in bookings whose end has passed, however long
/// ago, to `completed`; one that was never checked in is marked so
/// (`completed_without_check_in`), never counted as attended.
///
/// # Errors
/// On a database failure this batch changes nothing.
pub fn complete_ended_bookings(tx: &mut UnitOfWork<'_>, now: DateTime<Utc>) -> Result<Batch, ServiceError> {
    let now = to_db_time(now);
    let due = lifecycle::ended_holding_bookings(tx, now, limit())?;
    // One conditional statement: atomic on its own, and exclusive through its status condition.
    let completed = tx.write_transaction(|tx| lifecycle::complete_ended(tx, &due, now))?;
    Ok(Batch::of(completed, due.len()))
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
    let hub = catalog::find_hub_by_id(conn, &space.hub_id)?.ok_or(ServiceError::NotFound)?;
    let tz = hub.zone();
    // Named as the trail's other entries name people: never by their e-mail address.
    let who = person.map_or_else(|| "(deleted account)".to_owned(), |p| p.name.clone());
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
