//! The outbox's sender: claims due mails, hands them to the transport, and records the outcome.
//! A failed mail is tried again after 1, 2, 4 … minutes (at most an hour apart) until
//! `mail.max_attempts`; a permanent refusal (bad address, SMTP 5xx) is given up at once. Sent
//! and given-up mails lose their bodies immediately and their traces after a month. Each pass
//! first turns waiting password-reset requests into mails (`accounts::resolve_reset_requests`).

use chrono::{DateTime, Duration, Utc};

use crate::db::outbox;
use crate::service::accounts;
use crate::service::{ServiceError, to_db_time};
use crate::state::AppState;

/// How many mails one claim takes; a pass claims until nothing is due.
const BATCH: i64 = 20;
/// How long a claimed mail is kept from other senders; longer than an SMTP conversation may take.
const LEASE: Duration = Duration::minutes(10);
/// How long a sent or given-up mail's subject and recipient are kept, for questions like "did
/// you send me the confirmation?".
const KEEP_TRACES: Duration = Duration::days(30);
/// The longest wait between two tries.
const MAX_BACKOFF_MINUTES: i64 = 60;

/// What one pass did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct SendReport {
    pub sent: usize,
    pub retry_later: usize,
    pub given_up: usize,
}

/// Sends every mail due now. The background job calls it when woken and every half minute;
/// tests call it to run the job once. Passes never overlap.
///
/// # Errors
/// On a database failure; mails already handled keep their outcome.
pub async fn send_due_mail(state: &AppState) -> Result<SendReport, ServiceError> {
    let _one_pass_at_a_time = state.mailer.pass_lock().lock().await;
    let max_attempts = i32::try_from(state.settings.mail.max_attempts).unwrap_or(i32::MAX);
    let mut report = SendReport::default();
    // Reset requests become mails here, after their requests were answered: see
    // `accounts::request_reset_link` for why.
    let (public_url, now) = (state.settings.public_url.clone(), state.clock.now());
    // A failure here must not hold up the mails already queued (PINs, verification links).
    if let Err(error) = state.db(move |conn| accounts::resolve_reset_requests(conn, &public_url, now)).await {
        tracing::error!(error = %error, "password-reset requests not resolved this pass");
    }
    loop {
        let now = state.clock.now();
        let claimed =
            state.write(move |tx| Ok(outbox::claim_due(tx, to_db_time(now), to_db_time(now + LEASE), BATCH)?)).await?;
        if claimed.is_empty() {
            break;
        }
        for row in claimed {
            let outcome = state.mailer.send(&row).await;
            let now = state.clock.now();
            let id = row.id.clone();
            match outcome {
                Ok(()) => {
                    state.write(move |tx| Ok(outbox::mark_sent(tx, &id, to_db_time(now))?)).await?;
                    tracing::info!(mail.id = %row.id, attempts = row.attempts, "mail sent");
                    report.sent += 1;
                }
                Err(error) if error.is_permanent() || row.attempts >= max_attempts => {
                    let text = error.to_string();
                    state.write(move |tx| Ok(outbox::mark_failed(tx, &id, to_db_time(now), &text)?)).await?;
                    tracing::error!(mail.id = %row.id, attempts = row.attempts, error = %error, "mail given up");
                    report.given_up += 1;
                }
                Err(error) => {
                    let text = error.to_string();
                    let next = retry_at(now, row.attempts);
                    state.write(move |tx| Ok(outbox::reschedule(tx, &id, to_db_time(next), &text)?)).await?;
                    tracing::warn!(mail.id = %row.id, attempts = row.attempts, error = %error, "mail not sent; trying again later");
                    report.retry_later += 1;
                }
            }
        }
    }
    let before = state.clock.now() - KEEP_TRACES;
    state.write(move |tx| Ok(outbox::purge_finished(tx, to_db_time(before))?)).await?;
    Ok(report)
}

/// When to try again after the `attempts`-th failed try: 1, 2, 4, 8 … minutes, at most an hour.
pub fn retry_at(now: DateTime<Utc>, attempts: i32) -> DateTime<Utc> {
    let exponent = u32::try_from(attempts.saturating_sub(1)).unwrap_or(0).min(6);
    now + Duration::minutes((1_i64 << exponent).min(MAX_BACKOFF_MINUTES))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[test]
    fn back_off_doubles_and_stops_at_an_hour() {
        let now: DateTime<Utc> = "2026-11-23T07:00:00Z".parse().unwrap();
        let waits: Vec<i64> = (1..=9).map(|n| (retry_at(now, n) - now).num_minutes()).collect();
        assert_eq!(waits, [1, 2, 4, 8, 16, 32, 60, 60, 60]);
    }
}
