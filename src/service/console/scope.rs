//! Which hubs a member of staff may run. Admins run all; a hub manager runs only the hubs
//! assigned to them. Everything the console touches is looked up through here, and anything
//! outside the scope is `NotFound`, never "forbidden", so another hub's ids reveal nothing.

use crate::db::catalog::{self, Hub};
use crate::db::users;
use crate::db::{DbConn, DbError};
use crate::domain::ids::{HubId, UserId};
use crate::domain::vocabulary::RoleKind;
use crate::service::ServiceError;

/// The hubs a member of staff may run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StaffScope {
    /// Every hub, the operators and every user.
    Admin,
    /// Only these hubs (ids), never operators or users outside them.
    Manager(Vec<HubId>),
}

impl StaffScope {
    /// The scope of a user from their roles, or `None` for members, who never see the console.
    ///
    /// # Errors
    /// On a database error.
    pub fn of_user(conn: &mut DbConn, user_id: &UserId) -> Result<Option<StaffScope>, DbError> {
        let roles = users::list_roles(conn, user_id)?;
        if roles.iter().any(|r| r.role == RoleKind::Admin) {
            return Ok(Some(StaffScope::Admin));
        }
        let hubs: Vec<HubId> =
            roles.into_iter().filter(|r| r.role == RoleKind::HubManager).filter_map(|r| r.hub_id).collect();
        Ok(if hubs.is_empty() { None } else { Some(StaffScope::Manager(hubs)) })
    }

    /// Whether this scope may run the hub with this id.
    pub fn covers(&self, hub_id: &HubId) -> bool {
        match self {
            StaffScope::Admin => true,
            StaffScope::Manager(hubs) => hubs.iter().any(|h| h == hub_id),
        }
    }

    pub fn is_admin(&self) -> bool {
        matches!(self, StaffScope::Admin)
    }

    /// The hub ids to filter by: `None` for admins (no filter).
    pub fn hub_filter(&self) -> Option<&[HubId]> {
        match self {
            StaffScope::Admin => None,
            StaffScope::Manager(hubs) => Some(hubs),
        }
    }

    /// `Ok` for admins; `NotFound` for everyone else (operator and user administration).
    ///
    /// # Errors
    /// `NotFound` when this scope is not an admin's.
    pub fn require_admin(&self) -> Result<(), ServiceError> {
        if self.is_admin() { Ok(()) } else { Err(ServiceError::NotFound) }
    }

    /// The hub with this slug or id if this scope runs it.
    ///
    /// # Errors
    /// `NotFound` when it does not exist or is outside the scope.
    pub fn hub(&self, conn: &mut DbConn, id_or_slug: &str) -> Result<Hub, ServiceError> {
        match catalog::find_hub(conn, id_or_slug)? {
            Some(hub) if self.covers(&hub.id) => Ok(hub),
            _ => Err(ServiceError::NotFound),
        }
    }

    /// The hubs this scope runs, by name.
    ///
    /// # Errors
    /// On a database error.
    pub fn hubs(&self, conn: &mut DbConn) -> Result<Vec<Hub>, ServiceError> {
        let mut hubs: Vec<Hub> = catalog::list_hubs(conn)?.into_iter().filter(|h| self.covers(&h.id)).collect();
        hubs.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(hubs)
    }

    /// `Ok` when a thing that belongs to `owner_hub_id` is inside the scope and (when given) in
    /// the hub the URL names; the check every console route makes for an id it is given.
    ///
    /// # Errors
    /// `NotFound` otherwise.
    pub fn require_in(&self, owner_hub_id: &HubId, url_hub: &Hub) -> Result<(), ServiceError> {
        if *owner_hub_id == url_hub.id && self.covers(owner_hub_id) { Ok(()) } else { Err(ServiceError::NotFound) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn managers_cover_only_their_hubs_and_admins_all() {
        let manager = StaffScope::Manager(vec![HubId::new("a")]);
        assert!(manager.covers(&HubId::new("a")));
        assert!(!manager.covers(&HubId::new("b")));
        assert!(StaffScope::Admin.covers(&HubId::new("b")));
        assert!(manager.require_admin().is_err());
        assert!(StaffScope::Admin.require_admin().is_ok());
        assert_eq!(manager.hub_filter(), Some(&[HubId::new("a")][..]));
        assert_eq!(StaffScope::Admin.hub_filter(), None);
    }
}
