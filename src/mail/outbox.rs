//! Putting a rendered mail into the outbox. Call [`enqueue`] inside the write transaction of the
//! change the mail reports: both are stored, or neither. Sending is the mail job's business
//! (`jobs::send_due_mail`), so a mail server that is down never fails or slows a booking.

use std::cell::Cell;

use chrono::{DateTime, Utc};

use super::ics::IcsMethod;
use crate::db::outbox::{self as outbox_rows, OutboxRow};
use crate::db::{self, DbConn, DbError};
use crate::service::to_db_time;

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

thread_local! {
    /// Set by [`enqueue`] on the thread that runs the database work, read by
    /// `AppState::db` once that work (and its commit) is done, to wake the mail job. Waking it
    /// from inside the transaction would be too early: it would look before the commit and find
    /// nothing.
    static ENQUEUED: Cell<bool> = const { Cell::new(false) };
}

/// Stores `mail` to be sent as soon as possible. Returns the outbox id.
///
/// # Errors
/// On a database error; inside a transaction that error rolls the whole change back.
pub fn enqueue(conn: &mut DbConn, mail: OutgoingMail, now: DateTime<Utc>) -> Result<String, DbError> {
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
    outbox_rows::insert(conn, &row)?;
    ENQUEUED.set(true);
    tracing::debug!(mail.id = %row.id, "mail queued");
    Ok(row.id)
}

/// Wakes the mail job after the commit as [`enqueue`] does, for work that becomes mail only in
/// the job (a password-reset request).
pub fn mark_enqueued() {
    ENQUEUED.set(true);
}

/// Whether [`enqueue`] ran on this thread since the last call; clears the mark.
pub fn take_enqueued_mark() -> bool {
    ENQUEUED.replace(false)
}
