//! A consistent copy of a SQLite database taken while the service runs (`regiohub backup`).
//!
//! `VACUUM INTO` reads the live database in one read transaction, so the copy holds exactly the
//! transactions committed before it began, while the service's writer goes on writing to the WAL.
//! (The sqlite3 backup API would do the same, but diesel does not expose it and this crate forbids
//! `unsafe`.) PostgreSQL is backed up with its own tools; the command refuses it. Restoring is a
//! file copy with the service stopped (README, "Backups and restore"); nothing here restores.

use std::fs::File;
use std::path::{Path, PathBuf};

use diesel::prelude::*;
use diesel::sql_types::Text;

use super::{Backend, DbError, establish, new_id};

/// Why no backup was written. The bad-input cases come first; see [`BackupError::is_bad_input`].
#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    /// The URL is not secret-free, so it is never part of the message.
    #[error(
        "the database is PostgreSQL: back it up with `pg_dump -Fc` or a base backup with WAL archiving \
         for point-in-time recovery (README, \"Backups and restore\")"
    )]
    Postgres,
    #[error("{0}: no SQLite database there")]
    NoDatabase(PathBuf),
    #[error("{0}: already exists; a backup never replaces a file")]
    OutExists(PathBuf),
    #[error("{0}: folder not found")]
    NoFolder(PathBuf),
    #[error("{0}: the path must be valid UTF-8 for SQLite")]
    NotUtf8(PathBuf),
    #[error("{0}")]
    Db(#[from] DbError),
    #[error("{path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
    #[error("the copy failed its integrity check: {0}")]
    Corrupt(String),
}

impl BackupError {
    /// Whether the caller asked for something impossible (exit code 2) rather than the system
    /// failing (exit code 1).
    pub fn is_bad_input(&self) -> bool {
        matches!(
            self,
            BackupError::Postgres
                | BackupError::NoDatabase(_)
                | BackupError::OutExists(_)
                | BackupError::NoFolder(_)
                | BackupError::NotUtf8(_)
        )
    }
}

/// Copies the SQLite database at `database_url` to `out`, which must not exist yet, and returns
/// the copy's size in bytes.
///
/// The copy is written beside `out` under a temporary name, synced, checked with
/// `PRAGMA integrity_check` and only then renamed, so `out` is either absent or a whole, sound
/// database, whatever happens meanwhile (a crash, a full disk).
///
/// # Errors
/// Bad input (PostgreSQL, no database, `out` exists or has no folder), or a database, file
/// system or integrity failure; the temporary file is removed on any error.
pub fn backup_sqlite(database_url: &str, out: &Path) -> Result<u64, BackupError> {
    if Backend::from_url(database_url) == Backend::Postgres {
        return Err(BackupError::Postgres);
    }
    let source = Path::new(database_url.strip_prefix("sqlite://").unwrap_or(database_url));
    // Opening a missing file would create an empty database and back that up.
    if !source.is_file() {
        return Err(BackupError::NoDatabase(source.to_owned()));
    }
    if out.exists() {
        return Err(BackupError::OutExists(out.to_owned()));
    }
    let folder = match out.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    if !folder.is_dir() {
        return Err(BackupError::NoFolder(folder.to_owned()));
    }
    let Some(name) = out.file_name() else {
        return Err(BackupError::NoFolder(out.to_owned()));
    };
    // Beside `out`, so the rename stays on one file system and is atomic.
    let partial = folder.join(format!(".{}.{}.partial", name.to_string_lossy(), new_id()));
    let result = write_checked_copy(database_url, &partial).and_then(|()| {
        std::fs::rename(&partial, out).map_err(|source| BackupError::Io { path: out.to_owned(), source })?;
        // The rename itself survives a crash only once the folder's entry is on disk.
        sync(folder)?;
        std::fs::metadata(out).map(|m| m.len()).map_err(|source| BackupError::Io { path: out.to_owned(), source })
    });
    if result.is_err() {
        // Best effort: the error that stopped the backup is the one to report.
        let _ = std::fs::remove_file(&partial);
    }
    result
}

/// Writes the snapshot to `partial`, syncs it and checks it.
fn write_checked_copy(database_url: &str, partial: &Path) -> Result<(), BackupError> {
    let Some(target) = partial.to_str() else {
        return Err(BackupError::NotUtf8(partial.to_owned()));
    };
    let mut conn = establish(database_url)?;
    // Bound rather than quoted into the statement: a file name may hold any character.
    diesel::sql_query("VACUUM INTO ?").bind::<Text, _>(target).execute(&mut conn).map_err(DbError::from)?;
    drop(conn);
    // SQLite writes the copy without syncing it.
    sync(partial)?;
    integrity_check(target)
}

/// `PRAGMA integrity_check` on the copy, on a plain connection that changes nothing in it.
fn integrity_check(path: &str) -> Result<(), BackupError> {
    #[derive(QueryableByName)]
    struct Finding {
        #[diesel(sql_type = Text)]
        integrity_check: String,
    }
    let mut conn = diesel::SqliteConnection::establish(path).map_err(DbError::from)?;
    let findings: Vec<Finding> = diesel::sql_query("PRAGMA integrity_check").load(&mut conn).map_err(DbError::from)?;
    match findings.as_slice() {
        [only] if only.integrity_check == "ok" => Ok(()),
        _ => Err(BackupError::Corrupt(
            findings.into_iter().map(|f| f.integrity_check).collect::<Vec<_>>().join("; ").replace('\n', " "),
        )),
    }
}

fn sync(path: &Path) -> Result<(), BackupError> {
    File::open(path)
        .and_then(|file| file.sync_all())
        .map_err(|source| BackupError::Io { path: path.to_owned(), source })
}
