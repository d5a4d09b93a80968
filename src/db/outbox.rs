//! Rows and queries for the e-mail outbox. A mail is inserted in the transaction of the change
//! it reports; the mail job claims due rows, sends them and records the outcome. Bodies are
//! cleared once a mail is sent or given up, because a confirmation carries a door PIN.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::mail_outbox;
use super::{DbConn, DbError};

/// One mail waiting to be sent, or a trace of one that was.
#[derive(Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = mail_outbox)]
pub struct OutboxRow {
    pub id: String,
    pub recipient: String,
    pub subject: String,
    pub text_body: String,
    pub html_body: String,
    pub ics: Option<String>,
    pub ics_method: Option<String>,
    pub created_at: NaiveDateTime,
    pub attempts: i32,
    pub next_attempt_at: NaiveDateTime,
    pub sent_at: Option<NaiveDateTime>,
    pub failed_at: Option<NaiveDateTime>,
    pub last_error: Option<String>,
}

/// Bodies and the recipient can hold a PIN or an e-mail address: never in a log line.
impl std::fmt::Debug for OutboxRow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OutboxRow")
            .field("id", &self.id)
            .field("attempts", &self.attempts)
            .field("next_attempt_at", &self.next_attempt_at)
            .field("sent_at", &self.sent_at)
            .field("failed_at", &self.failed_at)
            .finish_non_exhaustive()
    }
}

/// # Errors
/// On a database error.
pub fn insert(conn: &mut DbConn, row: &OutboxRow) -> Result<(), DbError> {
    diesel::insert_into(mail_outbox::table).values(row).execute(conn)?;
    Ok(())
}

/// Claims up to `limit` mails due at `now`: counts the attempt and moves `next_attempt_at` to
/// `lease_until`, so that another sender (a second process, or a test running the job by hand)
/// skips them, and a sender that dies mid-way leaves them to be tried again after the lease.
/// Call it inside a write transaction, so that the claims are taken together or not at all.
///
/// # Errors
/// On a database error.
pub fn claim_due(
    conn: &mut DbConn,
    now: NaiveDateTime,
    lease_until: NaiveDateTime,
    limit: i64,
) -> Result<Vec<OutboxRow>, DbError> {
    let due: Vec<String> = pending()
        .filter(mail_outbox::next_attempt_at.le(now))
        .order(mail_outbox::next_attempt_at.asc())
        .limit(limit)
        .select(mail_outbox::id)
        .load(conn)?;
    let mut claimed = Vec::with_capacity(due.len());
    for id in due {
        let updated =
            diesel::update(pending().filter(mail_outbox::id.eq(&id)).filter(mail_outbox::next_attempt_at.le(now)))
                .set((
                    mail_outbox::attempts.eq(mail_outbox::attempts + 1),
                    mail_outbox::next_attempt_at.eq(lease_until),
                ))
                .execute(conn)?;
        if updated == 1 {
            claimed.push(mail_outbox::table.find(&id).select(OutboxRow::as_select()).first(conn)?);
        }
    }
    Ok(claimed)
}

/// Records a delivered mail and deletes its bodies: the confirmation's door PIN must not stay in
/// the database once it has left. Subject and recipient stay until [`purge_finished`].
///
/// # Errors
/// On a database error.
pub fn mark_sent(conn: &mut DbConn, id: &str, at: NaiveDateTime) -> Result<(), DbError> {
    diesel::update(mail_outbox::table.find(id))
        .set((
            mail_outbox::sent_at.eq(Some(at)),
            mail_outbox::last_error.eq(None::<String>),
            mail_outbox::text_body.eq(""),
            mail_outbox::html_body.eq(""),
            mail_outbox::ics.eq(None::<String>),
            mail_outbox::ics_method.eq(None::<String>),
        ))
        .execute(conn)?;
    Ok(())
}

/// Schedules another try after a failure. `error` must not contain secrets or addresses.
///
/// # Errors
/// On a database error.
pub fn reschedule(conn: &mut DbConn, id: &str, next_attempt_at: NaiveDateTime, error: &str) -> Result<(), DbError> {
    diesel::update(mail_outbox::table.find(id))
        .set((mail_outbox::next_attempt_at.eq(next_attempt_at), mail_outbox::last_error.eq(Some(error))))
        .execute(conn)?;
    Ok(())
}

/// Gives a mail up and deletes its bodies, like [`mark_sent`]: an undeliverable PIN is not kept.
///
/// # Errors
/// On a database error.
pub fn mark_failed(conn: &mut DbConn, id: &str, at: NaiveDateTime, error: &str) -> Result<(), DbError> {
    diesel::update(mail_outbox::table.find(id))
        .set((
            mail_outbox::failed_at.eq(Some(at)),
            mail_outbox::last_error.eq(Some(error)),
            mail_outbox::text_body.eq(""),
            mail_outbox::html_body.eq(""),
            mail_outbox::ics.eq(None::<String>),
            mail_outbox::ics_method.eq(None::<String>),
        ))
        .execute(conn)?;
    Ok(())
}

/// Deletes the traces of mails sent or given up before `before` (they hold an e-mail address).
///
/// # Errors
/// On a database error.
pub fn purge_finished(conn: &mut DbConn, before: NaiveDateTime) -> Result<usize, DbError> {
    Ok(diesel::delete(mail_outbox::table.filter(mail_outbox::sent_at.lt(before).or(mail_outbox::failed_at.lt(before))))
        .execute(conn)?)
}

/// Every row, oldest first: for tests and support tools.
///
/// # Errors
/// On a database error.
pub fn list_all(conn: &mut DbConn) -> Result<Vec<OutboxRow>, DbError> {
    Ok(mail_outbox::table
        .order((mail_outbox::created_at.asc(), mail_outbox::id.asc()))
        .select(OutboxRow::as_select())
        .load(conn)?)
}

/// How many mails wait to be sent (neither sent nor given up) and when the oldest of them was
/// queued: the outbox's depth for the metrics.
///
/// # Errors
/// On a database error.
pub fn pending_depth(conn: &mut DbConn) -> Result<(i64, Option<NaiveDateTime>), DbError> {
    Ok(pending().select((diesel::dsl::count_star(), diesel::dsl::min(mail_outbox::created_at))).first(conn)?)
}

/// The earliest time a waiting mail is due, so the job can sleep until then.
///
/// # Errors
/// On a database error.
pub fn next_due_at(conn: &mut DbConn) -> Result<Option<NaiveDateTime>, DbError> {
    Ok(pending().select(diesel::dsl::min(mail_outbox::next_attempt_at)).first(conn)?)
}

fn pending() -> diesel::dsl::Filter<
    diesel::dsl::Filter<mail_outbox::table, diesel::dsl::IsNull<mail_outbox::sent_at>>,
    diesel::dsl::IsNull<mail_outbox::failed_at>,
> {
    mail_outbox::table.filter(mail_outbox::sent_at.is_null()).filter(mail_outbox::failed_at.is_null())
}
