//! The stored version of each hub's access snapshot (`hub_snapshot_versions`): which content
//! hash the hub's current version belongs to. The rule that raises it lives in
//! `service::bridge_link`; here are only the reads and writes.

use diesel::prelude::*;

use super::schema::hub_snapshot_versions;
use super::{DbConn, DbError};
use crate::domain::ids::HubId;

/// A hub's snapshot version and the hash of the content it was given to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Queryable)]
pub struct StoredVersion {
    pub content_hash: i64,
    pub version: i64,
}

/// The hub's stored version, if a snapshot was ever numbered.
///
/// # Errors
/// On a database failure.
pub fn find(conn: &mut DbConn, hub_id: &HubId) -> Result<Option<StoredVersion>, DbError> {
    Ok(hub_snapshot_versions::table
        .find(hub_id)
        .select((hub_snapshot_versions::content_hash, hub_snapshot_versions::version))
        .first::<StoredVersion>(conn)
        .optional()?)
}

/// Takes the hub's row for the rest of the transaction (made first if missing, version 0) and
/// returns it: another transaction that wants to number the hub's snapshot waits until this one
/// ends, and every statement after this one sees what committed before. An `UPDATE` takes the
/// row lock on PostgreSQL (`FOR UPDATE` does not compile for SQLite); SQLite's write
/// transaction holds the database's write lock already.
///
/// # Errors
/// On a database failure.
pub fn lock(conn: &mut DbConn, hub_id: &HubId) -> Result<StoredVersion, DbError> {
    let unnumbered = (
        hub_snapshot_versions::hub_id.eq(hub_id),
        hub_snapshot_versions::content_hash.eq(0_i64),
        hub_snapshot_versions::version.eq(0_i64),
    );
    let insert = diesel::insert_into(hub_snapshot_versions::table).values(unnumbered);
    match conn {
        DbConn::Sqlite(c) => insert.on_conflict_do_nothing().execute(c)?,
        DbConn::Postgres(c) => insert.on_conflict_do_nothing().execute(c)?,
    };
    diesel::update(hub_snapshot_versions::table.find(hub_id))
        .set(hub_snapshot_versions::version.eq(hub_snapshot_versions::version))
        .execute(conn)?;
    Ok(hub_snapshot_versions::table
        .find(hub_id)
        .select((hub_snapshot_versions::content_hash, hub_snapshot_versions::version))
        .first::<StoredVersion>(conn)?)
}

/// Stores `stored` as the hub's version (inside the transaction that [`lock`]ed the row).
///
/// # Errors
/// On a database failure.
pub fn store(conn: &mut DbConn, hub_id: &HubId, stored: StoredVersion) -> Result<(), DbError> {
    diesel::update(hub_snapshot_versions::table.find(hub_id))
        .set((
            hub_snapshot_versions::content_hash.eq(stored.content_hash),
            hub_snapshot_versions::version.eq(stored.version),
        ))
        .execute(conn)?;
    Ok(())
}
