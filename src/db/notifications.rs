//! PostgreSQL's `LISTEN`/`NOTIFY` on RegioHub's one channel: sending announcements to every
//! instance on the database, and a connection that listens for them. What an announcement
//! means is decided in `service::announcements`; SQLite has no such thing (one instance only).

use diesel::sql_types::Text;
use diesel::{Connection, PgConnection, RunQueryDsl};

use super::{DbConn, DbError};

/// The channel every instance listens on.
pub const CHANNEL: &str = "regiohub";

/// Sends each payload on [`CHANNEL`]; inside a transaction they are delivered at its commit,
/// outside at once. Does nothing on SQLite.
///
/// # Errors
/// On a database failure.
pub fn notify(conn: &mut DbConn, payloads: &[String]) -> Result<(), DbError> {
    let DbConn::Postgres(pg) = conn else {
        return Ok(());
    };
    for payload in payloads {
        diesel::sql_query("SELECT pg_notify($1, $2)").bind::<Text, _>(CHANNEL).bind::<Text, _>(payload).execute(pg)?;
    }
    Ok(())
}

/// A connection of its own that listens on [`CHANNEL`]. Not from the pool: it sits in `LISTEN`
/// for the life of the process.
pub struct ListeningConnection {
    conn: PgConnection,
}

impl ListeningConnection {
    /// Connects to the PostgreSQL database at `url` and starts listening.
    ///
    /// # Errors
    /// When the database cannot be reached.
    pub fn open(url: &str) -> Result<ListeningConnection, DbError> {
        let mut conn = PgConnection::establish(&with_timeouts(url))?;
        diesel::sql_query(format!("LISTEN {CHANNEL}")).execute(&mut conn)?;
        Ok(ListeningConnection { conn })
    }

    /// The payloads that arrived since the last call, without waiting (libpq reads what the
    /// socket holds).
    ///
    /// # Errors
    /// When the connection broke: announcements may have been lost.
    pub fn arrived(&mut self) -> Result<Vec<String>, DbError> {
        let mut payloads = Vec::new();
        for notification in self.conn.notifications_iter() {
            let notification = notification?;
            if notification.channel == CHANNEL {
                payloads.push(notification.payload);
            }
        }
        Ok(payloads)
    }

    /// Asks the server something, so a connection that died without a word (a dropped network
    /// path) is noticed.
    ///
    /// # Errors
    /// When the connection broke.
    pub fn ping(&mut self) -> Result<(), DbError> {
        diesel::sql_query("SELECT 1").execute(&mut self.conn)?;
        Ok(())
    }
}

/// `url` with libpq's timeouts for a connection that mostly waits: connecting gives up after
/// 10 s, and a peer gone silent (a half-open link after a failover) is noticed within about
/// 30 s by TCP keepalives and the user timeout, instead of the kernel's quarter of an hour.
/// Settings the URL names itself are kept.
fn with_timeouts(url: &str) -> String {
    const TIMEOUTS: [(&str, &str); 6] = [
        ("connect_timeout", "10"),
        ("keepalives", "1"),
        ("keepalives_idle", "10"),
        ("keepalives_interval", "5"),
        ("keepalives_count", "3"),
        ("tcp_user_timeout", "30000"),
    ];
    let mut with = url.to_owned();
    for (key, value) in TIMEOUTS {
        if !url.contains(&format!("{key}=")) {
            with.push(if with.contains('?') { '&' } else { '?' });
            with.push_str(&format!("{key}={value}"));
        }
    }
    with
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_listeners_url_gets_timeouts_and_keeps_its_own() {
        let plain = with_timeouts("postgres://db/regiohub");
        assert!(plain.starts_with("postgres://db/regiohub?connect_timeout=10&keepalives=1&"), "{plain}");
        assert!(plain.ends_with("&tcp_user_timeout=30000"), "{plain}");
        let own = with_timeouts("postgres://db/regiohub?sslmode=require&connect_timeout=3");
        assert!(own.starts_with("postgres://db/regiohub?sslmode=require&connect_timeout=3&keepalives=1"), "{own}");
        assert_eq!(own.matches("connect_timeout").count(), 1, "{own}");
    }
}
