//! The unit of work a use case runs in: the database connection together with the effects the
//! work has to announce once it is committed (a hub whose door access changed, a mail queued, a
//! hub's live dashboard to update). Use cases record an effect where the change happens
//! ([`UnitOfWork::access_changed`], …); `AppState::db` announces them after the work returned
//! `Ok`. Announcing from inside the transaction would be too early: a bridge or the mail job
//! woken then looks before the commit and finds nothing.
//!
//! On SQLite the unit of work also carries the database's one writer (`db::writer`): its write
//! transactions run on that connection, in the order the writers asked, while its reads stay on
//! the pooled connection.
//!
//! Who gets woken and how (signals, the mail job) is not decided here.

use std::collections::BTreeSet;
use std::ops::{Deref, DerefMut};

use crate::db::writer::SqliteWriter;
use crate::db::{self, DbConn, DbError};
use crate::domain::ids::HubId;

/// A connection and the effects recorded on it. Derefs to [`DbConn`], so storage functions take
/// `&mut DbConn` and a `&mut UnitOfWork` is passed to them as it is.
pub struct UnitOfWork<'c> {
    conn: &'c mut DbConn,
    /// The SQLite writer its write transactions run on; `None` on PostgreSQL, in the CLI and
    /// inside a write transaction (which already runs on the writer, so nested calls nest there).
    writer: Option<&'c SqliteWriter>,
    effects: Effects,
}

/// What a unit of work changed that others wait for.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Effects {
    /// Hubs whose door access changed; `None` when the work does not know which (all are told).
    access_changed: BTreeSet<Option<HubId>>,
    mail_queued: bool,
    /// Hubs whose live dashboard shows something new (presence, door states, alarms).
    dashboards_changed: BTreeSet<HubId>,
}

impl<'c> UnitOfWork<'c> {
    /// Starts a unit of work on `conn` with nothing recorded yet.
    pub fn new(conn: &'c mut DbConn) -> Self {
        UnitOfWork { conn, writer: None, effects: Effects::default() }
    }

    /// Starts a unit of work that reads on `conn` and, when `writer` is given (SQLite), writes
    /// through it, so that concurrent writers queue in order instead of racing for SQLite's lock.
    pub fn with_writer(conn: &'c mut DbConn, writer: Option<&'c SqliteWriter>) -> Self {
        UnitOfWork { conn, writer, effects: Effects::default() }
    }

    /// Records that who may open a door at the hub changed: its bridges fetch a new snapshot.
    pub fn access_changed(&mut self, hub_id: &HubId) {
        self.effects.access_changed.insert(Some(hub_id.clone()));
    }

    /// Records that access changed at a hub the work does not know (every hub's bridges are told).
    pub fn access_changed_somewhere(&mut self) {
        self.effects.access_changed.insert(None);
    }

    /// Records that a mail is waiting in the outbox (or will be made by the mail job).
    pub fn mail_queued(&mut self) {
        self.effects.mail_queued = true;
    }

    /// Records that the hub's live dashboard has something new to show.
    pub fn dashboard_changed(&mut self, hub_id: &HubId) {
        self.effects.dashboards_changed.insert(hub_id.clone());
    }

    /// Runs `work` in a write transaction (see [`db::write_transaction`]; nested, a savepoint).
    /// With a writer (SQLite) it first waits for the writer's turn and runs on the writer's
    /// connection, which `work` then reads and writes through; the turn ends with the commit.
    /// The effects `work` records are kept only when it commits: a rolled-back change announces
    /// nothing.
    ///
    /// # Errors
    /// Whatever `work` returns, or a database error beginning or committing; `Busy` when the
    /// writer's turn did not come in time.
    pub fn write_transaction<T, E>(&mut self, work: impl FnOnce(&mut UnitOfWork<'_>) -> Result<T, E>) -> Result<T, E>
    where
        E: From<diesel::result::Error> + From<DbError>,
    {
        let mut recorded = Effects::default();
        let in_transaction = |conn: &mut DbConn| {
            let mut inner = UnitOfWork::new(conn);
            let outcome = work(&mut inner);
            recorded = inner.effects;
            outcome
        };
        let result = match self.writer {
            Some(writer) => {
                let mut writer_conn = writer.lock()?;
                db::write_transaction(&mut writer_conn, in_transaction)
            }
            None => db::write_transaction(self.conn, in_transaction),
        };
        if result.is_ok() {
            self.effects.absorb(recorded);
        }
        result
    }

    /// What the work recorded, to announce once it is committed.
    pub fn into_effects(self) -> Effects {
        self.effects
    }
}

impl Deref for UnitOfWork<'_> {
    type Target = DbConn;

    fn deref(&self) -> &DbConn {
        self.conn
    }
}

impl DerefMut for UnitOfWork<'_> {
    fn deref_mut(&mut self) -> &mut DbConn {
        self.conn
    }
}

impl Effects {
    /// The hubs whose bridges must be told about an access change; `None` stands for all hubs.
    pub fn access_changed(&self) -> impl Iterator<Item = Option<&HubId>> {
        self.access_changed.iter().map(Option::as_ref)
    }

    /// Whether the mail job has something new to send.
    pub fn mail_queued(&self) -> bool {
        self.mail_queued
    }

    /// The hubs whose live dashboards must update.
    pub fn dashboards_changed(&self) -> impl Iterator<Item = &HubId> {
        self.dashboards_changed.iter()
    }

    /// Whether the work recorded nothing to announce.
    pub fn is_empty(&self) -> bool {
        self == &Effects::default()
    }

    fn absorb(&mut self, other: Effects) {
        self.access_changed.extend(other.access_changed);
        self.mail_queued |= other.mail_queued;
        self.dashboards_changed.extend(other.dashboards_changed);
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;
    use crate::service::ServiceError;

    fn refused() -> ServiceError {
        ServiceError::Conflict {
            code: crate::service::ErrorCode::SlotTaken,
            message: "a later step refused".to_owned(),
        }
    }

    #[test]
    fn effects_of_a_committed_transaction_are_kept() {
        let mut conn = db::establish(":memory:").unwrap();
        let mut tx = UnitOfWork::new(&mut conn);
        tx.dashboard_changed(&HubId::new("hub-a"));
        tx.write_transaction(|tx| {
            tx.access_changed(&HubId::new("hub-b"));
            tx.mail_queued();
            Ok::<_, ServiceError>(())
        })
        .unwrap();
        let effects = tx.into_effects();
        assert_eq!(effects.access_changed().collect::<Vec<_>>(), vec![Some(&HubId::new("hub-b"))]);
        assert!(effects.mail_queued());
        assert_eq!(effects.dashboards_changed().collect::<Vec<_>>(), vec![&HubId::new("hub-a")]);
    }

    #[test]
    fn effects_of_a_rolled_back_transaction_are_dropped() {
        let mut conn = db::establish(":memory:").unwrap();
        let mut tx = UnitOfWork::new(&mut conn);
        let outcome = tx.write_transaction(|tx| {
            tx.access_changed(&HubId::new("hub-a"));
            tx.access_changed_somewhere();
            tx.mail_queued();
            tx.dashboard_changed(&HubId::new("hub-a"));
            Err::<(), _>(refused())
        });
        assert!(outcome.is_err());
        assert!(tx.into_effects().is_empty(), "nothing of the rolled-back work is announced");
    }

    /// A unit of work reading on a connection that may not write (as the service's SQLite pool)
    /// and writing through a writer on the same database file.
    fn on_a_reader_and_a_writer(test: impl FnOnce(&mut UnitOfWork<'_>)) {
        use diesel::RunQueryDsl;
        let dir = tempfile::tempdir().unwrap();
        let url = dir.path().join("unit.db").to_string_lossy().into_owned();
        let writer = SqliteWriter::open(&url, crate::db::writer::WRITER_WAIT).unwrap();
        diesel::sql_query("CREATE TABLE marks (n INTEGER NOT NULL)").execute(&mut *writer.lock().unwrap()).unwrap();
        let mut reader = db::establish(&url).unwrap();
        diesel::sql_query("PRAGMA query_only = 1").execute(&mut reader).unwrap();
        test(&mut UnitOfWork::with_writer(&mut reader, Some(&writer)));
    }

    fn marks(conn: &mut DbConn) -> i64 {
        use diesel::RunQueryDsl;
        #[derive(diesel::QueryableByName)]
        struct Count {
            #[diesel(sql_type = diesel::sql_types::BigInt)]
            n: i64,
        }
        diesel::sql_query("SELECT COUNT(*) AS n FROM marks").get_result::<Count>(conn).unwrap().n
    }

    #[test]
    fn with_a_writer_a_write_transaction_writes_on_the_writer_and_reads_see_it() {
        use diesel::RunQueryDsl;
        on_a_reader_and_a_writer(|tx| {
            let direct = diesel::sql_query("INSERT INTO marks (n) VALUES (0)").execute(&mut **tx);
            assert!(direct.is_err(), "the reader itself refuses to write");
            tx.write_transaction(|tx| {
                diesel::sql_query("INSERT INTO marks (n) VALUES (1)").execute(&mut **tx)?;
                tx.access_changed(&HubId::new("hub-a"));
                let inner = tx.write_transaction(|tx| {
                    diesel::sql_query("INSERT INTO marks (n) VALUES (2)").execute(&mut **tx)?;
                    tx.mail_queued();
                    Err::<(), _>(refused())
                });
                assert!(inner.is_err());
                assert_eq!(marks(tx), 1, "the rolled-back savepoint's row is gone inside the transaction");
                Ok::<_, ServiceError>(())
            })
            .unwrap();
            assert_eq!(marks(tx), 1, "the reader sees the writer's commit");
            let effects = std::mem::take(&mut tx.effects);
            assert_eq!(effects.access_changed().collect::<Vec<_>>(), vec![Some(&HubId::new("hub-a"))]);
            assert!(!effects.mail_queued(), "the rolled-back savepoint's effect is dropped");
        });
    }

    #[test]
    fn with_a_writer_a_rolled_back_transaction_leaves_the_writer_usable() {
        use diesel::RunQueryDsl;
        on_a_reader_and_a_writer(|tx| {
            let failed = tx.write_transaction(|tx| {
                diesel::sql_query("INSERT INTO marks (n) VALUES (1)").execute(&mut **tx)?;
                tx.access_changed_somewhere();
                Err::<(), _>(refused())
            });
            assert!(failed.is_err());
            tx.write_transaction(|tx| {
                Ok::<_, ServiceError>(diesel::sql_query("INSERT INTO marks (n) VALUES (2)").execute(&mut **tx)?)
            })
            .unwrap();
            assert_eq!(marks(tx), 1, "only the committed row is stored");
            assert!(std::mem::take(&mut tx.effects).is_empty(), "nothing of the rolled-back work is announced");
        });
    }

    #[test]
    fn a_rolled_back_savepoint_drops_only_its_own_effects() {
        let mut conn = db::establish(":memory:").unwrap();
        let mut tx = UnitOfWork::new(&mut conn);
        tx.write_transaction(|tx| {
            tx.access_changed(&HubId::new("kept"));
            let inner = tx.write_transaction(|tx| {
                tx.access_changed(&HubId::new("dropped"));
                tx.mail_queued();
                Err::<(), _>(refused())
            });
            assert!(inner.is_err());
            Ok::<_, ServiceError>(())
        })
        .unwrap();
        let effects = tx.into_effects();
        assert_eq!(effects.access_changed().collect::<Vec<_>>(), vec![Some(&HubId::new("kept"))]);
        assert!(!effects.mail_queued());
    }
}
