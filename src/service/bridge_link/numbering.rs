//! Numbering a hub's access snapshots through the database, so that every service instance
//! answers the same version for the same content and a higher version never carries older
//! content: a bridge polls with the version it holds (`after`) and is answered "unchanged" for
//! an equal one, so two contents must never share a version, whichever instance it asks.
//!
//! The rule: the hub's row in `hub_snapshot_versions` holds the current version and the hash of
//! its content. A snapshot whose content hashes the same gets that version (one read). Another
//! content is numbered under the row's lock: the content is read again after the lock was taken
//! (so it holds every change committed before), and a still different hash gets a version above
//! the stored one. Under the lock the order comes from the database, not from a clock: an
//! instance whose clock runs ahead makes versions jump, never go back.

use chrono::{DateTime, Duration, Utc};
use regiohub_hardware::protocol::AccessSnapshot;

use super::build_snapshot;
use crate::db::snapshot_versions::{self, StoredVersion};
use crate::domain::ids::HubId;
use crate::service::catalogue::CatalogueCache;
use crate::service::{ServiceError, UnitOfWork};

/// The hub's access snapshot as the database holds it now, with the version every instance
/// gives this content.
///
/// # Errors
/// `NotFound` for an unknown hub; on a database failure (`Busy` when SQLite's writer did not
/// come in time to number a new content).
pub fn numbered_snapshot(
    tx: &mut UnitOfWork<'_>,
    catalogue: &CatalogueCache,
    hub_id: &HubId,
    now: DateTime<Utc>,
    horizon: Duration,
) -> Result<AccessSnapshot, ServiceError> {
    // The content first, then the row: a row read later is at least as new as the content, so
    // an equal hash means this content is the current version's.
    let kept = catalogue.current(tx)?;
    let (snapshot, hash) = build_snapshot(tx, &kept, hub_id, now, horizon)?;
    if let Some(stored) = snapshot_versions::find(tx, hub_id)?
        && let Some(version) = version_of(stored, stored_hash(hash))
    {
        return Ok(AccessSnapshot { version, ..snapshot });
    }
    tx.write_transaction(|tx| {
        let stored = snapshot_versions::lock(tx, hub_id)?;
        let kept = catalogue.current(tx)?;
        let (snapshot, hash) = build_snapshot(tx, &kept, hub_id, now, horizon)?;
        let hash = stored_hash(hash);
        if let Some(version) = version_of(stored, hash) {
            return Ok(AccessSnapshot { version, ..snapshot });
        }
        let next = next_version(stored, now);
        snapshot_versions::store(tx, hub_id, StoredVersion { content_hash: hash, version: next })?;
        // Another instance's waiting bridges learn of the new content without waiting for
        // their safety re-check (a booking entering the horizon changes it without a writer).
        tx.access_changed(hub_id);
        tracing::debug!(hub.id = %hub_id, snapshot.version = next, "new access snapshot numbered");
        Ok(AccessSnapshot { version: u64::try_from(next).unwrap_or(0), ..snapshot })
    })
}

/// The stored version when it belongs to the content with `hash`.
fn version_of(stored: StoredVersion, hash: i64) -> Option<u64> {
    (stored.version > 0 && stored.content_hash == hash).then(|| u64::try_from(stored.version).ok()).flatten()
}

/// The version after `stored`: one more, or the current time in milliseconds when that is
/// higher. The time keeps a version above those handed out before versions were stored, and
/// above those handed out from a database that was since restored from a backup (its stored
/// versions are older than what the bridges hold); the stored one keeps the order when a clock
/// is behind.
fn next_version(stored: StoredVersion, now: DateTime<Utc>) -> i64 {
    stored.version.saturating_add(1).max(now.timestamp_millis())
}

/// The content hash as the database stores it (the same 64 bits, signed).
fn stored_hash(hash: u64) -> i64 {
    i64::from_be_bytes(hash.to_be_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_version_is_above_the_stored_one_and_not_below_the_time() {
        let now = DateTime::from_timestamp(1_800_000_000, 0).unwrap_or_default();
        let unnumbered = StoredVersion { content_hash: 0, version: 0 };
        assert_eq!(next_version(unnumbered, now), 1_800_000_000_000, "a first version is the time");
        let numbered = StoredVersion { content_hash: 7, version: 1_800_000_000_000 };
        let earlier_clock = now - Duration::hours(1);
        assert_eq!(next_version(numbered, earlier_clock), 1_800_000_000_001, "a clock behind never lowers it");
        let an_hour_later = now + Duration::hours(1);
        assert_eq!(next_version(numbered, an_hour_later), 1_800_003_600_000, "the time lifts it");
    }

    #[test]
    fn only_the_stored_content_gets_the_stored_version() {
        let stored = StoredVersion { content_hash: stored_hash(u64::MAX), version: 42 };
        assert_eq!(version_of(stored, stored_hash(u64::MAX)), Some(42), "hashes above i64::MAX round-trip");
        assert_eq!(version_of(stored, stored_hash(1)), None);
        let placeholder = StoredVersion { content_hash: 0, version: 0 };
        assert_eq!(version_of(placeholder, 0), None, "the row made by the lock is no version");
    }
}
