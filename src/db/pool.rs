//! The connection pool: builds connections of the backend the URL names and checks them out
//! with a short timeout, so an overloaded database answers with an error instead of a hang.

use std::time::Duration;

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
}

impl r2d2::ManageConnection for ConnectionManager {
    type Connection = DbConn;
    type Error = DbError;

    fn connect(&self) -> Result<DbConn, DbError> {
        establish(&self.url)
    }

    fn is_valid(&self, conn: &mut DbConn) -> Result<(), DbError> {
        conn.ping().map_err(DbError::from)
    }

    fn has_broken(&self, conn: &mut DbConn) -> bool {
        conn.is_broken()
    }
}

/// Opens a pool of at most `max_size` connections to `url`.
///
/// # Errors
/// When no first connection can be made within the checkout timeout.
pub fn connect_pool(url: &str, max_size: u32, checkout_timeout: Duration) -> Result<DbPool, DbError> {
    let manager = ConnectionManager { url: url.to_owned() };
    let pool = r2d2::Pool::builder().max_size(max_size).connection_timeout(checkout_timeout).build(manager)?;
    Ok(pool)
}
