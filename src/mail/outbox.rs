//! Putting a rendered mail into the outbox. Call [`enqueue`] inside the write transaction of the
//! change the mail reports: both are stored, or neither. It records the queued mail on the unit
//! of work, which wakes the mail job after the commit. Sending is the mail job's business
//! (`jobs::send_due_mail`), so a mail server that is down never fails or slows a booking.

use chrono::{DateTime, Utc};

use super::ics::IcsMethod;
use crate::db::outbox::{self as outbox_rows, OutboxRow};
use crate::db::{self, DbError};
use crate::service::to_db_time;
use crate::service::unit_of_work::UnitOfWork;

/// A rendered mail on its way into the outbox.
pub struct OutgoingMail {
    /// The recipient's address.
    pub to: String,
    pub subject: String,
    pub text: String,
    pub html: String,
    /// A calendar entry to attach (`text/calendar; method=…`).
    pub calendar: Option<(IcsMethod, String)>,
}

/// Bodies can hold a door PIN, the recipient is personal: neither belongs in a log line.
impl std::fmt::Debug for OutgoingMail {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OutgoingMail")
            .field("calendar", &self.calendar.as_ref().map(|(method, _)| method))
            .finish_non_exhaustive()
    }
}

/// Stores `mail` to be sent as soon as possible and records it on `tx`, so the mail job is woken
/// once the change commits. Returns the outbox id.
///
/// # Errors
/// On a database error; inside a transaction that error rolls the whole change back.
pub fn enqueue(tx: &mut UnitOfWork<'_>, mail: OutgoingMail, now: DateTime<Utc>) -> Result<String, DbError> {
    let now = to_db_time(now);
    let (ics_method, ics) = match mail.calendar {
        Some((method, ics)) => (Some(method.as_str().to_owned()), Some(ics)),
        None => (None, None),
    };
    let row = OutboxRow {
        id: db::new_id(),
        recipient: mail.to,
        subject: mail.subject,
        text_body: mail.text,
        html_body: mail.html,
        ics,
        ics_method,
        created_at: now,
        attempts: 0,
        next_attempt_at: now,
        sent_at: None,
        failed_at: None,
        last_error: None,
    };
    outbox_rows::insert(tx, &row)?;
    tx.mail_queued();
    tracing::debug!(mail.id = %row.id, "mail queued");
    Ok(row.id)
}
