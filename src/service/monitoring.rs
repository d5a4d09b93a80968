//! What the metrics endpoint reads from the database at scrape time: the outbox's depth and the
//! age of its oldest waiting mail, and each hub's latest bridge contact. These come from the
//! database, not from process memory, so every service instance on one PostgreSQL database
//! reports the same figures. Counting things as they happen is `crate::metrics`.

use std::time::Duration;

use chrono::{DateTime, Utc};

use super::{ServiceError, from_db_time};
use crate::db::{DbConn, access, outbox};

/// What the database says at scrape time.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredFigures {
    /// Mails neither sent nor given up.
    pub outbox_pending: u64,
    /// How long the oldest of them has waited; zero when none waits.
    pub outbox_oldest_pending_age: Duration,
    /// Each hub's latest contact from any of its bridges, by hub slug; hubs whose bridges never
    /// called are left out.
    pub bridge_last_contact: Vec<(String, DateTime<Utc>)>,
}

/// The figures as the database holds them at `now`.
///
/// # Errors
/// On a database failure.
pub fn stored_figures(conn: &mut DbConn, now: DateTime<Utc>) -> Result<StoredFigures, ServiceError> {
    let (pending, oldest) = outbox::pending_depth(conn)?;
    let oldest_pending_age = oldest
        .map(|queued| now.signed_duration_since(from_db_time(queued)).to_std().unwrap_or_default())
        .unwrap_or_default();
    let bridge_last_contact =
        access::last_bridge_contact_by_hub(conn)?.into_iter().map(|(hub, at)| (hub, from_db_time(at))).collect();
    Ok(StoredFigures {
        outbox_pending: u64::try_from(pending).unwrap_or_default(),
        outbox_oldest_pending_age: oldest_pending_age,
        bridge_last_contact,
    })
}
