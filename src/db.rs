//! Storage: one diesel code base for SQLite (the embedded default) and PostgreSQL (production).
//!
//! The backend is chosen from the database URL's scheme, never guessed by trying to connect.
//! Business rules do not belong here; this layer only stores and finds rows.

pub mod access;
pub mod access_log;
pub mod audit;
pub mod backup;
pub mod booking_changes;
pub mod booking_mail;
pub mod booking_series;
pub mod bookings;
pub mod calendar_feeds;
pub mod cards;
pub mod catalog;
pub mod catalog_admin;
pub mod check_in;
pub mod console_people;
pub mod dashboard;
pub mod door_controls;
pub mod email_tokens;
pub mod floor_plans;
pub mod guests;
pub mod house_rules;
pub mod job_runs;
pub mod lifecycle;
pub mod login_failures;
pub mod migrations;
pub mod notifications;
pub mod outbox;
pub mod password_reset_requests;
pub mod personal_data;
pub mod pins;
pub mod pool;
pub mod presence;
pub mod reports;
pub mod schema;
pub mod secret_check;
pub mod sessions;
pub mod snapshot_versions;
pub mod space_details;
pub mod stored;
pub mod users;
pub mod waitlist;
pub mod writer;

use diesel::connection::{AnsiTransactionManager, TransactionManager};
use diesel::prelude::*;
use diesel::sql_types::Text;

pub use pool::{DbPool, PooledConn, connect_pool};

/// A connection to either backend. Queries are written once against this type.
#[derive(diesel::MultiConnection)]
pub enum DbConn {
    Sqlite(diesel::SqliteConnection),
    Postgres(diesel::PgConnection),
}

/// Which database a URL points at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    /// `postgres://` and `postgresql://` select PostgreSQL; anything else is a SQLite path or
    /// `sqlite://` URL.
    pub fn from_url(url: &str) -> Backend {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Backend::Postgres
        } else {
            Backend::Sqlite
        }
    }
}

/// Errors of the storage layer.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("database query failed: {0}")]
    Query(diesel::result::Error),
    /// A stored text that none of its column's values writes: the data is broken, and loading
    /// it fails rather than guessing a value.
    #[error("database holds an unreadable row: {0}")]
    UnknownValue(#[from] stored::UnknownStoredValue),
    #[error("could not connect to the database: {0}")]
    Connect(#[from] diesel::ConnectionError),
    #[error("no database connection free in time: {0}")]
    Pool(#[from] r2d2::Error),
    #[error("database migration failed: {0}")]
    Migration(String),
    #[error("database task stopped: {0}")]
    Task(String),
    /// Every connection was in use for longer than the checkout timeout (before any blocking
    /// thread was taken for the work), or the SQLite writer's turn did not come in time.
    #[error("no database slot free in time")]
    Busy,
}

/// Lifts an unknown stored value out of diesel's boxed deserialisation error, so callers see
/// which table and column hold it.
impl From<diesel::result::Error> for DbError {
    fn from(error: diesel::result::Error) -> Self {
        match error {
            diesel::result::Error::DeserializationError(inner) => {
                match inner.downcast::<stored::UnknownStoredValue>() {
                    Ok(unknown) => DbError::UnknownValue(*unknown),
                    Err(inner) => DbError::Query(diesel::result::Error::DeserializationError(inner)),
                }
            }
            other => DbError::Query(other),
        }
    }
}

/// Opens one connection to the database at `url` with the backend its scheme names.
///
/// # Errors
/// When the database cannot be reached or opened.
pub fn establish(url: &str) -> Result<DbConn, DbError> {
    match Backend::from_url(url) {
        Backend::Postgres => Ok(DbConn::Postgres(diesel::PgConnection::establish(url)?)),
        Backend::Sqlite => {
            let path = url.strip_prefix("sqlite://").unwrap_or(url);
            let mut conn = diesel::SqliteConnection::establish(path)?;
            configure_sqlite(&mut conn)?;
            Ok(DbConn::Sqlite(conn))
        }
    }
}

/// WAL lets readers work while one writer writes; the busy timeout makes a second writer wait
/// for the lock instead of failing at once; SQLite leaves foreign keys off unless asked.
fn configure_sqlite(conn: &mut diesel::SqliteConnection) -> Result<(), DbError> {
    diesel::sql_query("PRAGMA busy_timeout = 10000").execute(conn)?;
    diesel::sql_query("PRAGMA journal_mode = WAL").execute(conn)?;
    diesel::sql_query("PRAGMA synchronous = NORMAL").execute(conn)?;
    diesel::sql_query("PRAGMA foreign_keys = ON").execute(conn)?;
    Ok(())
}

/// Whether `conn` is inside a transaction (what it reads may include its own uncommitted changes).
///
/// # Errors
/// When the connection's transaction state is broken.
pub fn in_transaction(conn: &mut DbConn) -> Result<bool, diesel::result::Error> {
    Ok(<DbConn as Connection>::TransactionManager::transaction_manager_status_mut(conn).transaction_depth()?.is_some())
}

/// Runs `work` in a transaction that holds the write lock from its first statement.
///
/// On SQLite this is `BEGIN IMMEDIATE`: a check followed by an insert cannot interleave with
/// another writer, and a waiting writer queues on the busy timeout instead of failing with
/// `SQLITE_BUSY` when it upgrades a read lock. On PostgreSQL it is a plain transaction; callers
/// lock the rows they depend on, and constraints back them.
///
/// Called inside another write transaction it nests as a savepoint.
///
/// # Errors
/// Whatever `work` returns, or a database error beginning or committing; on any error the
/// transaction is rolled back.
pub fn write_transaction<T, E>(conn: &mut DbConn, work: impl FnOnce(&mut DbConn) -> Result<T, E>) -> Result<T, E>
where
    E: From<diesel::result::Error>,
{
    if in_transaction(conn)? {
        // The outer transaction holds the lock already; nest as a savepoint.
        return conn.transaction(work);
    }
    match conn {
        DbConn::Sqlite(c) => AnsiTransactionManager::begin_transaction_sql(c, "BEGIN IMMEDIATE")?,
        DbConn::Postgres(c) => AnsiTransactionManager::begin_transaction(c)?,
    }
    match work(conn) {
        Ok(value) => {
            if let Err(commit_error) = <DbConn as Connection>::TransactionManager::commit_transaction(conn) {
                let _ = <DbConn as Connection>::TransactionManager::rollback_transaction(conn);
                return Err(commit_error.into());
            }
            Ok(value)
        }
        Err(error) => {
            // The original error matters more than a failed rollback; a broken connection is
            // discarded by the pool.
            let _ = <DbConn as Connection>::TransactionManager::rollback_transaction(conn);
            Err(error)
        }
    }
}

/// True when `error` is the database refusing an overlapping booking (the PostgreSQL exclusion
/// constraint or the SQLite trigger of the same name).
pub fn is_booking_overlap(error: &diesel::result::Error) -> bool {
    match error {
        diesel::result::Error::DatabaseError(_, info) => {
            info.constraint_name() == Some("bookings_no_overlap") || info.message().contains("bookings_no_overlap")
        }
        _ => false,
    }
}

#[diesel::declare_sql_function]
extern "SQL" {
    /// SQL `lower()`, for searches that ignore case.
    fn lower(text: Text) -> Text;
}

/// A `LIKE` pattern for text that contains `needle` (trimmed) literally: `%`, `_` and the
/// escape character `\` match only themselves (use it with `.escape('\\')`, as
/// [`contains_ignoring_case`] does). `None` for a blank needle, which filters nothing.
pub fn contains_pattern(needle: &str) -> Option<String> {
    let needle = needle.trim();
    if needle.is_empty() {
        return None;
    }
    let mut pattern = String::with_capacity(needle.len() + 2);
    pattern.push('%');
    for c in needle.chars() {
        if matches!(c, '%' | '_' | '\\') {
            pattern.push('\\');
        }
        pattern.push(c);
    }
    pattern.push('%');
    Some(pattern)
}

/// `column LIKE pattern` ignoring case, the one way every search of the console does it:
/// `lower()` on both sides in SQL, so the needle is folded exactly like the stored text. (Folding
/// the needle in Rust would fold `Ö` on SQLite, whose `lower()` folds ASCII only, and a name
/// typed exactly as stored would not be found.) `pattern` comes from [`contains_pattern`].
pub fn contains_ignoring_case<C: Expression<SqlType = Text>>(
    column: C,
    pattern: String,
) -> diesel::dsl::Escape<diesel::dsl::Like<lower<C>, lower<String>>> {
    lower(column).like(lower(pattern)).escape('\\')
}

/// Checks that the database answers; used by `/health`.
///
/// # Errors
/// When the query fails.
pub fn ping(conn: &mut DbConn) -> Result<(), DbError> {
    diesel::sql_query("SELECT 1").execute(conn)?;
    Ok(())
}

/// A fresh UUIDv7 as text: sortable by creation time and not guessable from a neighbour.
pub fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}

#[cfg(test)]
mod tests {
    use diesel::RunQueryDsl;

    use super::contains_pattern;

    #[test]
    fn wildcards_in_a_search_match_only_themselves() {
        assert_eq!(contains_pattern(" 50%_a\\b ").as_deref(), Some("%50\\%\\_a\\\\b%"));
        assert_eq!(contains_pattern("Özdemir").as_deref(), Some("%Özdemir%"), "never folded in Rust");
        assert_eq!(contains_pattern("  "), None);
    }

    /// `.cargo/config.toml` builds the bundled SQLite with the query planner stability guarantee,
    /// so cached statements are not compiled again whenever a new LIMIT or key is bound, and
    /// without memory statistics, whose one mutex every allocation would take.
    #[test]
    #[allow(clippy::unwrap_used)]
    fn the_bundled_sqlite_keeps_the_plan_of_a_cached_statement() {
        #[derive(diesel::QueryableByName)]
        struct Used {
            #[diesel(sql_type = diesel::sql_types::Integer)]
            used: i32,
        }
        let mut conn = super::establish(":memory:").unwrap();
        for option in ["ENABLE_QPSG", "DEFAULT_MEMSTATUS=0"] {
            let used: Used = diesel::sql_query(format!("SELECT sqlite_compileoption_used('{option}') AS used"))
                .get_result(&mut conn)
                .unwrap();
            assert_eq!(used.used, 1, "SQLite was built without SQLITE_{option}");
        }
    }
}
