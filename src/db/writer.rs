//! The one connection that writes to a SQLite database, handed to writers in the order they asked.
//!
//! SQLite lets one writer in at a time. With every pooled connection racing for that lock, a
//! writer that finds it taken sleeps in SQLite's busy handler (1, 2, 5 … up to 100 ms between
//! tries) and often wakes long after the lock was free. Here writers queue on a fair lock instead
//! and the next one starts the moment the previous one has committed. PostgreSQL has no such lock
//! and keeps writing from its pool (row locks and the exclusion constraint order its writers).
//!
//! What a write does and when its effects are announced is decided by the unit of work
//! (`service::unit_of_work`), not here.

use std::time::Duration;

use diesel::r2d2::R2D2Connection;
use parking_lot::{FairMutex, FairMutexGuard};

use super::{Backend, DbConn, DbError, establish};

/// How long a writer waits for its turn before its work is refused as busy: the patience the
/// pooled connections had in SQLite's busy handler (`busy_timeout`).
pub const WRITER_WAIT: Duration = Duration::from_secs(10);

/// The SQLite database's one writing connection. Waiting writers are served first come, first
/// served, and a waiting writer wakes as soon as the one before it lets go, so a burst of
/// bookings is written one after the other at the speed of SQLite rather than of its sleeps.
pub struct SqliteWriter {
    url: String,
    wait: Duration,
    conn: FairMutex<DbConn>,
}

/// The writer's connection while one write holds it; dropping it lets the next writer in.
pub type WriterConn<'w> = FairMutexGuard<'w, DbConn>;

impl SqliteWriter {
    /// The writer for the database at `url` when it is SQLite; `None` for PostgreSQL, whose
    /// writers use the pool.
    ///
    /// # Errors
    /// When the SQLite database cannot be opened.
    pub fn open_for(url: &str) -> Result<Option<SqliteWriter>, DbError> {
        match Backend::from_url(url) {
            Backend::Postgres => Ok(None),
            Backend::Sqlite => SqliteWriter::open(url, WRITER_WAIT).map(Some),
        }
    }

    /// Opens the writing connection to the SQLite database at `url`; a writer waits at most
    /// `wait` for its turn.
    ///
    /// # Errors
    /// When the database cannot be opened.
    pub fn open(url: &str, wait: Duration) -> Result<SqliteWriter, DbError> {
        let conn = establish(url)?;
        Ok(SqliteWriter { url: url.to_owned(), wait, conn: FairMutex::new(conn) })
    }

    /// Waits for this writer's turn and hands over the connection; the lock is held until the
    /// returned guard is dropped. A connection an earlier writer left inside a transaction or in
    /// error (it panicked mid-way) is replaced first, as the pool would discard it.
    ///
    /// # Errors
    /// [`DbError::Busy`] when the turn did not come within the wait; a connection error when a
    /// broken connection cannot be replaced.
    pub fn lock(&self) -> Result<WriterConn<'_>, DbError> {
        let mut conn = self.conn.try_lock_for(self.wait).ok_or(DbError::Busy)?;
        if conn.is_broken() {
            tracing::warn!("the SQLite writer's connection was left broken; opening a new one");
            *conn = establish(&self.url)?;
        }
        Ok(conn)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    use diesel::connection::{Connection, TransactionManager};
    use diesel::prelude::*;
    use diesel::sql_types::BigInt;

    use super::*;

    #[derive(QueryableByName)]
    struct Count {
        #[diesel(sql_type = BigInt)]
        n: i64,
    }

    fn writer_on_a_file() -> (tempfile::TempDir, SqliteWriter) {
        let dir = tempfile::tempdir().unwrap();
        let url = dir.path().join("writer.db").to_string_lossy().into_owned();
        let writer = SqliteWriter::open(&url, WRITER_WAIT).unwrap();
        diesel::sql_query("CREATE TABLE marks (thread INTEGER NOT NULL, n INTEGER NOT NULL)")
            .execute(&mut *writer.lock().unwrap())
            .unwrap();
        (dir, writer)
    }

    #[test]
    fn two_threads_writing_through_the_writer_never_hold_it_at_once() {
        let (_dir, writer) = writer_on_a_file();
        let writer = Arc::new(writer);
        let holders = Arc::new(AtomicUsize::new(0));
        let most_at_once = Arc::new(AtomicUsize::new(0));
        let threads: Vec<_> = (0..2)
            .map(|thread| {
                let (writer, holders, most_at_once) = (writer.clone(), holders.clone(), most_at_once.clone());
                std::thread::spawn(move || {
                    for n in 0..200 {
                        let mut conn = writer.lock().unwrap();
                        let now_holding = holders.fetch_add(1, Ordering::SeqCst) + 1;
                        most_at_once.fetch_max(now_holding, Ordering::SeqCst);
                        crate::db::write_transaction(&mut conn, |conn| {
                            diesel::sql_query(format!("INSERT INTO marks (thread, n) VALUES ({thread}, {n})"))
                                .execute(conn)
                        })
                        .unwrap();
                        std::thread::yield_now();
                        holders.fetch_sub(1, Ordering::SeqCst);
                    }
                })
            })
            .collect();
        for thread in threads {
            thread.join().unwrap();
        }
        assert_eq!(most_at_once.load(Ordering::SeqCst), 1, "only one thread held the writer at a time");
        let stored: Count =
            diesel::sql_query("SELECT COUNT(*) AS n FROM marks").get_result(&mut *writer.lock().unwrap()).unwrap();
        assert_eq!(stored.n, 400, "every write arrived");
    }

    #[test]
    fn a_writer_whose_turn_does_not_come_is_refused_as_busy() {
        let dir = tempfile::tempdir().unwrap();
        let url = dir.path().join("writer.db").to_string_lossy().into_owned();
        let writer = SqliteWriter::open(&url, Duration::from_millis(1)).unwrap();
        let _held = writer.lock().unwrap();
        let refused = std::thread::scope(|s| s.spawn(|| writer.lock().map(|_| ())).join().unwrap());
        assert!(matches!(refused, Err(DbError::Busy)), "{refused:?}");
    }

    #[test]
    fn a_connection_left_inside_a_transaction_is_replaced_for_the_next_writer() {
        let (_dir, writer) = writer_on_a_file();
        {
            let mut conn = writer.lock().unwrap();
            <DbConn as Connection>::TransactionManager::begin_transaction(&mut conn).unwrap();
            diesel::sql_query("INSERT INTO marks (thread, n) VALUES (0, 0)").execute(&mut *conn).unwrap();
            // Dropped without commit or rollback, as a writer that panicked mid-way leaves it.
        }
        let mut conn = writer.lock().unwrap();
        assert!(!conn.is_broken(), "the next writer gets a usable connection");
        let stored: Count = diesel::sql_query("SELECT COUNT(*) AS n FROM marks").get_result(&mut *conn).unwrap();
        assert_eq!(stored.n, 0, "the abandoned write was never committed");
    }

    #[test]
    fn postgresql_has_no_writer() {
        assert!(SqliteWriter::open_for("postgres://nobody@127.0.0.1:1/none").unwrap().is_none());
    }
}
