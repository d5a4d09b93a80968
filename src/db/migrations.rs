//! Schema migrations, embedded in the binary: one folder per backend with the same names, run at
//! start and by `regiohub migrate`.

use diesel::migration::MigrationSource;
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};

use diesel::pg::Pg;
use diesel::sqlite::Sqlite;

use super::{Backend, DbConn, DbError};

const SQLITE: EmbeddedMigrations = embed_migrations!("migrations/sqlite");
const POSTGRES: EmbeddedMigrations = embed_migrations!("migrations/postgres");

fn source_for(conn: &DbConn) -> EmbeddedMigrations {
    match conn {
        DbConn::Sqlite(_) => SQLITE,
        DbConn::Postgres(_) => POSTGRES,
    }
}

/// Applies every migration not yet applied; returns how many ran.
///
/// # Errors
/// When a migration fails; it is rolled back.
pub fn run_pending(conn: &mut DbConn) -> Result<usize, DbError> {
    let source = source_for(conn);
    let applied = conn.run_pending_migrations(source).map_err(|e| DbError::Migration(e.to_string()))?;
    Ok(applied.len())
}

/// Reverts every applied migration, newest first; returns how many were reverted.
///
/// # Errors
/// When a `down.sql` fails.
pub fn revert_all(conn: &mut DbConn) -> Result<usize, DbError> {
    let source = source_for(conn);
    let reverted = conn.revert_all_migrations(source).map_err(|e| DbError::Migration(e.to_string()))?;
    Ok(reverted.len())
}

/// The names of the embedded migrations of one backend, oldest first. Both backends must have
/// the same list; a test holds them to it.
///
/// # Errors
/// When the embedded migrations cannot be listed.
pub fn names(backend: Backend) -> Result<Vec<String>, DbError> {
    let names = match backend {
        Backend::Sqlite => MigrationSource::<Sqlite>::migrations(&SQLITE)
            .map(|list| list.iter().map(|m| m.name().to_string()).collect()),
        Backend::Postgres => {
            MigrationSource::<Pg>::migrations(&POSTGRES).map(|list| list.iter().map(|m| m.name().to_string()).collect())
        }
    };
    names.map_err(|e| DbError::Migration(e.to_string()))
}
