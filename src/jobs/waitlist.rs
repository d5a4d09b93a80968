//! The waitlist job: offers freed slots to the first member waiting for each, and lets offers
//! and started slots expire (see `service::waitlist`).

use chrono::Duration;

use crate::service::{ServiceError, waitlist};
use crate::state::AppState;

/// One pass; returns how many offers were made. The background job calls it every minute; tests
/// call it to run the job once.
///
/// # Errors
/// On a database failure; offers already made stay made.
pub async fn offer_freed_slots(state: &AppState) -> Result<usize, ServiceError> {
    let hold = Duration::minutes(i64::from(state.settings.waitlist_hold_minutes.max(1)));
    let now = state.clock.now();
    let ctx = state.context.clone();
    state.db(move |tx| waitlist::offer_freed_slots(tx, &ctx, hold, now)).await
}
