//! The check value of the service's secret that the database keeps (`secret_check`), so that
//! every instance can tell at start whether it holds the secret the hubs' PINs were made with.
//! What to do about a mismatch is decided at start-up (`startup::check_shared_secret`).

use diesel::prelude::*;

use super::schema::secret_check;
use super::{DbConn, DbError};

/// The kept check value; the first one offered is kept (two instances starting at once on a
/// new database both get the winner's back).
///
/// # Errors
/// On a database failure.
pub fn keep_first(conn: &mut DbConn, offered: &str) -> Result<String, DbError> {
    let insert = diesel::insert_into(secret_check::table)
        .values((secret_check::id.eq(1), secret_check::check_value.eq(offered)));
    match conn {
        DbConn::Sqlite(c) => insert.on_conflict_do_nothing().execute(c)?,
        DbConn::Postgres(c) => insert.on_conflict_do_nothing().execute(c)?,
    };
    Ok(secret_check::table.find(1).select(secret_check::check_value).first(conn)?)
}
