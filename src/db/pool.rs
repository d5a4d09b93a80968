//! The connection pool: builds connections of the backend the URL names and checks them out
//! with a short timeout, so an overloaded database answers with an error instead of a hang.
//! On SQLite the pool's connections only read (`PRAGMA query_only`): the service writes through
//! its one writer (`db::writer`), and a write that missed that path fails loudly instead of
//! racing the writer for SQLite's lock. Code without the service's writer (the command line, the
//! demo's seeding, test fixtures) writes on a connection of its own ([`establish`],
//! [`connect_writing_pool`]).

use std::time::Duration;

use diesel::RunQueryDsl;
use diesel::r2d2::R2D2Connection;

use super::{DbConn, DbError, establish};

/// A pool of connections to one database.
pub type DbPool = r2d2::Pool<ConnectionManager>;
/// A connection checked out of the pool.
pub type PooledConn = r2d2::PooledConnection<ConnectionManager>;

/// Creates connections for the pool; unlike diesel's generic manager it never tries a
/// PostgreSQL URL as a SQLite file name.
#[derive(Debug)]
pub struct ConnectionManager {
    url: String,
    /// Whether SQLite connections refuse to write (`PRAGMA query_only`).
    read_only: bool,
}

impl r2d2::ManageConnection for ConnectionManager {
    type Connection = DbConn;
    type Error = DbError;

    fn connect(&self) -> Result<DbConn, DbError> {
        let mut conn = establish(&self.url)?;
        if let (true, DbConn::Sqlite(sqlite)) = (self.read_only, &mut conn) {
            diesel::sql_query("PRAGMA query_only = 1").execute(sqlite)?;
        }
        Ok(conn)
    }

    fn is_valid(&self, conn: &mut DbConn) -> Result<(), DbError> {
        conn.ping().map_err(DbError::from)
    }

    fn has_broken(&self, conn: &mut DbConn) -> bool {
        conn.is_broken()
    }
}

/// Opens the service's pool of at most `max_size` connections to `url`; on SQLite they only
/// read, as the service writes through its writer.
///
/// # Errors
/// When no first connection can be made within the checkout timeout.
pub fn connect_pool(url: &str, max_size: u32, checkout_timeout: Duration) -> Result<DbPool, DbError> {
    build_pool(ConnectionManager { url: url.to_owned(), read_only: true }, max_size, checkout_timeout)
}

/// Opens a pool whose connections may write also on SQLite, for code that writes beside a running
/// service without its writer (test fixtures); SQLite's busy timeout orders it with the writer.
///
/// # Errors
/// When no first connection can be made within the checkout timeout.
pub fn connect_writing_pool(url: &str, max_size: u32, checkout_timeout: Duration) -> Result<DbPool, DbError> {
    build_pool(ConnectionManager { url: url.to_owned(), read_only: false }, max_size, checkout_timeout)
}

fn build_pool(manager: ConnectionManager, max_size: u32, checkout_timeout: Duration) -> Result<DbPool, DbError> {
    let pool = r2d2::Pool::builder().max_size(max_size).connection_timeout(checkout_timeout).build(manager)?;
    Ok(pool)
}
