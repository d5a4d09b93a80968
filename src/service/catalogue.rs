//! The catalogue kept in memory: operators, hubs with their opening hours and closures, spaces
//! and doors change a few times a year but are read by every page and booking. Each instance
//! keeps one copy and asks the database for one number per use, the catalogue's version
//! (raised by triggers on every change, by any instance or tool), and reloads only when it
//! moved; so a manager's change shows on the next request everywhere, and several instances on
//! one database agree. Availability and counts are never kept: they are read live.

use std::collections::HashMap;
use std::sync::{Arc, PoisonError, RwLock};

use crate::db::catalog::{self, Door, HubWithCalendar, Operator, Space};
use crate::db::{self, DbConn, DbError};
use crate::domain::ids::{HubId, OperatorId, SpaceId};

/// One consistent-enough copy of the catalogue, tagged with the version read before it was
/// loaded (a change that lands while it loads raises the version, so the next use reloads).
#[derive(Debug)]
pub struct Catalogue {
    version: i64,
    /// By town and name.
    hubs: Vec<HubWithCalendar>,
    /// By name.
    spaces: Vec<Space>,
    operators: Vec<Operator>,
    /// By name, each with the spaces it leads to.
    doors: Vec<(Door, Vec<SpaceId>)>,
    hub_index: HashMap<HubId, usize>,
    space_index: HashMap<SpaceId, usize>,
}

impl Catalogue {
    /// Reads the catalogue after its version was read as `version`: seven statements, however
    /// many hubs there are.
    fn load_at(conn: &mut DbConn, version: i64) -> Result<Catalogue, DbError> {
        let hubs = catalog::list_hubs_with_calendars(conn)?;
        let spaces = catalog::list_all_spaces(conn)?;
        let operators = catalog::list_operators(conn)?;
        let doors = catalog::list_all_doors(conn)?;
        let hub_index = hubs.iter().enumerate().map(|(i, h)| (h.hub.id.clone(), i)).collect();
        let space_index = spaces.iter().enumerate().map(|(i, s)| (s.id.clone(), i)).collect();
        Ok(Catalogue { version, hubs, spaces, operators, doors, hub_index, space_index })
    }

    /// The version this copy was loaded at.
    pub fn version(&self) -> i64 {
        self.version
    }

    /// Every hub with its calendar, by town and name.
    pub fn hubs(&self) -> &[HubWithCalendar] {
        &self.hubs
    }

    /// The hub with this id.
    pub fn hub(&self, hub_id: &HubId) -> Option<&HubWithCalendar> {
        self.hub_index.get(hub_id).and_then(|&i| self.hubs.get(i))
    }

    /// The hub with this id or slug (what a URL or the CLI names).
    pub fn hub_named(&self, id_or_slug: &str) -> Option<&HubWithCalendar> {
        self.hubs.iter().find(|h| h.hub.id.as_str() == id_or_slug || h.hub.slug == id_or_slug)
    }

    /// Every space of every hub, by name.
    pub fn spaces(&self) -> &[Space] {
        &self.spaces
    }

    /// The spaces of a hub, by name.
    pub fn spaces_of<'a>(&'a self, hub_id: &'a HubId) -> impl Iterator<Item = &'a Space> + 'a {
        self.spaces.iter().filter(move |s| &s.hub_id == hub_id)
    }

    /// The space with this id.
    pub fn space(&self, space_id: &SpaceId) -> Option<&Space> {
        self.space_index.get(space_id).and_then(|&i| self.spaces.get(i))
    }

    /// The operator with this id.
    pub fn operator(&self, operator_id: &OperatorId) -> Option<&Operator> {
        self.operators.iter().find(|o| &o.id == operator_id)
    }

    /// The doors of a hub, by name, each with the spaces it leads to.
    pub fn doors_of<'a>(&'a self, hub_id: &'a HubId) -> impl Iterator<Item = &'a (Door, Vec<SpaceId>)> + 'a {
        self.doors.iter().filter(move |(door, _)| &door.hub_id == hub_id)
    }
}

/// The catalogue an instance keeps, shared by its requests and jobs. Cheap to clone.
#[derive(Debug, Clone, Default)]
pub struct CatalogueCache {
    kept: Arc<RwLock<Option<Arc<Catalogue>>>>,
}

impl CatalogueCache {
    /// The catalogue as the database holds it now: the kept copy when the database's version is
    /// still the one it was loaded at (one small read), else a fresh copy (the version read and
    /// seven more statements), which is kept.
    ///
    /// A copy read inside a write transaction may hold that transaction's own uncommitted change
    /// (and its raised version); it is handed out but not kept, so a rollback cannot leave it
    /// behind for other requests.
    ///
    /// # Errors
    /// On a database error.
    pub fn current(&self, conn: &mut DbConn) -> Result<Arc<Catalogue>, DbError> {
        let version = catalog::current_catalogue_version(conn)?;
        if let Some(kept) = self.kept().filter(|kept| kept.version == version) {
            return Ok(kept);
        }
        let fresh = Arc::new(Catalogue::load_at(conn, version)?);
        if !db::in_transaction(conn)? {
            // Whatever the database says now replaces what was kept, newer or not (a restored
            // database may count lower); two requests loading at once only cost a reload.
            *self.kept.write().unwrap_or_else(PoisonError::into_inner) = Some(fresh.clone());
        }
        Ok(fresh)
    }

    fn kept(&self) -> Option<Arc<Catalogue>> {
        self.kept.read().unwrap_or_else(PoisonError::into_inner).clone()
    }
}
