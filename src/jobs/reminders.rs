//! The reminder job: writes one reminder mail per confirmed booking `reminder_before_minutes`
//! before it starts (default a day). The mark on the booking and the mail are written in one
//! transaction, so a reminder goes out exactly once, however often the job runs.

use chrono::Duration;

use crate::db::{booking_mail as mail_rows, users};
use crate::service::{ServiceError, booking_mail, to_db_time};
use crate::state::AppState;

/// Writes the reminders that are due now; returns how many. The background job calls it every
/// minute; tests call it to run the job once.
///
/// # Errors
/// On a database failure; reminders already written stay written.
pub async fn send_reminders(state: &AppState) -> Result<usize, ServiceError> {
    let minutes = state.settings.reminder_before_minutes;
    if minutes == 0 {
        return Ok(0);
    }
    let lead = Duration::minutes(i64::from(minutes));
    let now = state.clock.now();
    let ctx = state.context.clone();
    let written = state
        .db(move |tx| {
            let due = mail_rows::due_reminders(tx, to_db_time(now), lead)?;
            let mut written = 0;
            for booking in due {
                let Some(user_id) = booking.user_id.clone() else { continue };
                let Some(user) = users::find_user(tx, &user_id)? else { continue };
                tx.write_transaction(|tx| {
                    if mail_rows::mark_reminder_sent(tx, &booking.id, to_db_time(now))? {
                        booking_mail::enqueue_reminder(tx, &ctx, &user, &booking, now)?;
                        written += 1;
                    }
                    Ok::<(), ServiceError>(())
                })?;
            }
            Ok(written)
        })
        .await?;
    if written > 0 {
        tracing::info!(reminders = written, "booking reminders queued");
    }
    Ok(written)
}
