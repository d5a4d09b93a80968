//! User administration (admins only: blocking and roles act across every hub): search, one
//! person's status and roles, granting and removing roles, blocking and unblocking.

use std::collections::HashMap;

use chrono::{DateTime, Utc};

use crate::db::catalog::{self, Hub};
use crate::db::console_people as rows;
use crate::db::users::{self as user_rows, User, UserRole};
use crate::db::{self, DbConn};
use crate::domain::ids::{HubId, UserId};
use crate::domain::role::Role;
use crate::domain::vocabulary::RoleKind;
use crate::domain::vocabulary::UserStatus;
use crate::service::ErrorCode;
use crate::service::UnitOfWork;
use crate::service::console::StaffScope;
use crate::service::console::audit::{self, Change};
use crate::service::{ServiceError, accounts, pin, to_db_time};

/// How many people a page of the search shows.
pub const USERS_PER_PAGE: i64 = 25;

/// One role as the console shows it; `hub` is set for hub managers.
#[derive(Debug, Clone)]
pub struct RoleView {
    pub id: String,
    pub role: RoleKind,
    pub hub: Option<Hub>,
}

/// A person in the search results.
#[derive(Debug, Clone)]
pub struct UserSummary {
    pub user: User,
    pub roles: Vec<RoleView>,
}

/// One page of search results.
#[derive(Debug, Clone)]
pub struct UserSearch {
    pub users: Vec<UserSummary>,
    /// How many people match in all.
    pub total: i64,
    /// The page shown, counted from 1.
    pub page: i64,
}

/// One person's account as the user page shows it, with every hub for the role form.
#[derive(Debug, Clone)]
pub struct UserDetail {
    pub user: User,
    pub roles: Vec<RoleView>,
    pub hubs: Vec<Hub>,
}

/// People whose name or e-mail address contains `query` (any case), a page at a time.
///
/// # Errors
/// `NotFound` for managers; on a database error.
pub fn search_users(conn: &mut DbConn, scope: &StaffScope, query: &str, page: i64) -> Result<UserSearch, ServiceError> {
    scope.require_admin()?;
    let page = page.max(1);
    let (found, total) = rows::search_users(conn, query, (page - 1).saturating_mul(USERS_PER_PAGE), USERS_PER_PAGE)?;
    let hubs = catalog::list_hubs(conn)?;
    let ids: Vec<UserId> = found.iter().map(|user| user.id.clone()).collect();
    let mut roles_of: HashMap<UserId, Vec<UserRole>> = HashMap::new();
    for role in user_rows::list_roles_of(conn, &ids)? {
        roles_of.entry(role.user_id.clone()).or_default().push(role);
    }
    let users = found
        .into_iter()
        .map(|user| {
            let roles = role_views(roles_of.remove(&user.id).unwrap_or_default(), &hubs);
            UserSummary { user, roles }
        })
        .collect();
    Ok(UserSearch { users, total, page })
}

/// One person's account.
///
/// # Errors
/// `NotFound` for managers and unknown ids; on a database error.
pub fn user_detail(conn: &mut DbConn, scope: &StaffScope, user_id: &UserId) -> Result<UserDetail, ServiceError> {
    scope.require_admin()?;
    let user = user_rows::find_user(conn, user_id)?.ok_or(ServiceError::NotFound)?;
    let mut hubs = catalog::list_hubs(conn)?;
    hubs.sort_by(|a, b| a.name.cmp(&b.name));
    let roles = role_views(user_rows::list_roles(conn, &user.id)?, &hubs);
    Ok(UserDetail { user, roles, hubs })
}

/// Gives a person a role: `member`, `admin` or `manager:<hub id>`.
///
/// # Errors
/// `NotFound` for managers and unknown users; `Invalid` on the `role` field (`unknown_role`,
/// `unknown_hub`, `role_held`); on a database error.
pub fn add_role(
    tx: &mut UnitOfWork<'_>,
    scope: &StaffScope,
    actor_id: &UserId,
    user_id: &UserId,
    role_text: &str,
    now: DateTime<Utc>,
) -> Result<(), ServiceError> {
    scope.require_admin()?;
    let invalid = |code| ServiceError::Invalid { field: "role", code, message: "the role cannot be given".into() };
    let role = Role::parse(role_text).map_err(|_| invalid(ErrorCode::UnknownRole))?;
    tx.write_transaction(|tx| {
        let user = user_rows::find_user(tx, user_id)?.ok_or(ServiceError::NotFound)?;
        let (name, hub) = match &role {
            Role::Member => (RoleKind::Member, None),
            Role::Admin => (RoleKind::Admin, None),
            Role::HubManager(hub) => (
                RoleKind::HubManager,
                Some(catalog::find_hub(tx, hub.as_str())?.ok_or_else(|| invalid(ErrorCode::UnknownHub))?),
            ),
        };
        let hub_id = hub.as_ref().map(|h| h.id.clone());
        if user_rows::list_roles(tx, user_id)?.iter().any(|r| r.role == name && r.hub_id == hub_id) {
            return Err(invalid(ErrorCode::RoleHeld));
        }
        user_rows::grant_role(
            tx,
            &UserRole { id: db::new_id(), user_id: user.id.clone(), role: name, hub_id: hub_id.clone() },
        )?;
        record(tx, actor_id, hub_id.as_ref(), "role_granted", &user, role_words(name, hub.as_ref()), now)
    })
}

/// Takes a role from a person. An admin cannot take their own admin role: the county would be
/// one admin short without anyone deciding it, and they could lock themselves out.
///
/// # Errors
/// `NotFound` for managers, unknown users and roles that are not the user's; `Invalid`
/// (`own_admin_role`) on the `role` field; on a database error.
pub fn remove_role(
    tx: &mut UnitOfWork<'_>,
    scope: &StaffScope,
    actor_id: &UserId,
    user_id: &UserId,
    role_id: &str,
    now: DateTime<Utc>,
) -> Result<(), ServiceError> {
    scope.require_admin()?;
    tx.write_transaction(|tx| {
        let user = user_rows::find_user(tx, user_id)?.ok_or(ServiceError::NotFound)?;
        let role =
            user_rows::list_roles(tx, user_id)?.into_iter().find(|r| r.id == role_id).ok_or(ServiceError::NotFound)?;
        if role.role == RoleKind::Admin && user.id == *actor_id {
            return Err(ServiceError::Invalid {
                field: "role",
                code: ErrorCode::OwnAdminRole,
                message: "admins cannot remove their own admin role".into(),
            });
        }
        rows::delete_role(tx, user_id, role_id)?;
        let hub = match &role.hub_id {
            Some(id) => catalog::find_hub_by_id(tx, id)?,
            None => None,
        };
        record(tx, actor_id, role.hub_id.as_ref(), "role_removed", &user, role_words(role.role, hub.as_ref()), now)
    })
}

/// Blocks a person: they can no longer log in or book, every session ends, and the PINs of their
/// bookings stop working at once (the hubs' bridges are woken). Nothing is cancelled: the
/// bookings stay, so unblocking does not lose them. Blocking oneself is refused.
///
/// # Errors
/// `NotFound` for managers and unknown users; `Invalid` (`block_self`) on the `status` field; on
/// a database error.
pub fn block_user(
    tx: &mut UnitOfWork<'_>,
    scope: &StaffScope,
    actor_id: &UserId,
    user_id: &UserId,
    now: DateTime<Utc>,
) -> Result<(), ServiceError> {
    scope.require_admin()?;
    if user_id == actor_id {
        return Err(ServiceError::Invalid {
            field: "status",
            code: ErrorCode::BlockSelf,
            message: "nobody can block their own account".into(),
        });
    }
    tx.write_transaction(|tx| {
        let user = user_rows::find_user(tx, user_id)?.ok_or(ServiceError::NotFound)?;
        if user.status == UserStatus::Blocked {
            return Ok(());
        }
        accounts::block_user(tx, user_id, now)?;
        let with_pins = rows::user_bookings_with_pins(tx, user_id)?;
        // Each revocation wakes the bridges itself.
        for booking_id in &with_pins {
            pin::revoke_pin(tx, booking_id)?;
        }
        tracing::info!(user.id = %user_id, pins.revoked = with_pins.len(), "account blocked in the console");
        record(
            tx,
            actor_id,
            None,
            "user_blocked",
            &user,
            format!("sessions ended, {} door PIN(s) revoked, no booking cancelled", with_pins.len()),
            now,
        )
    })
}

/// Unblocks a person: the account only. Revoked PINs stay revoked; the person gets new ones
/// from the booking page ("new PIN") or from staff. An account that never had a password goes
/// back to `pending`, so it still has to be claimed.
///
/// # Errors
/// `NotFound` for managers and unknown users; on a database error.
pub fn unblock_user(
    tx: &mut UnitOfWork<'_>,
    scope: &StaffScope,
    actor_id: &UserId,
    user_id: &UserId,
    now: DateTime<Utc>,
) -> Result<(), ServiceError> {
    scope.require_admin()?;
    tx.write_transaction(|tx| {
        let user = user_rows::find_user(tx, user_id)?.ok_or(ServiceError::NotFound)?;
        if user.status != UserStatus::Blocked {
            return Ok(());
        }
        let status = if user.password_hash.is_some() { UserStatus::Active } else { UserStatus::Pending };
        user_rows::update_user_status(tx, user_id, status, to_db_time(now))?;
        record(tx, actor_id, None, "user_unblocked", &user, format!("status {}", status.as_str()), now)
    })
}

fn role_views(roles: Vec<UserRole>, hubs: &[Hub]) -> Vec<RoleView> {
    let mut views: Vec<RoleView> = roles
        .into_iter()
        .map(|r| RoleView {
            hub: r.hub_id.as_ref().and_then(|id| hubs.iter().find(|h| h.id == *id).cloned()),
            id: r.id,
            role: r.role,
        })
        .collect();
    // By the role's stable text (admin, hub_manager, member), then the hub's name.
    views.sort_by(|a, b| {
        (a.role.as_str(), a.hub.as_ref().map(|h| &h.name)).cmp(&(b.role.as_str(), b.hub.as_ref().map(|h| &h.name)))
    });
    views
}

/// Records a change to a person's account; the audit trail names them by name and address.
fn record(
    conn: &mut DbConn,
    actor_id: &UserId,
    hub_id: Option<&HubId>,
    action: &'static str,
    user: &User,
    details: String,
    now: DateTime<Utc>,
) -> Result<(), ServiceError> {
    let subject = format!("{} <{}>", user.name, user.email);
    audit::record(conn, Change { actor_id, hub_id, action, subject: &subject, details }, now)
}

/// How the audit trail names a role.
fn role_words(role: RoleKind, hub: Option<&Hub>) -> String {
    match hub {
        Some(hub) => format!("{role} of {}", hub.name),
        None => role.as_str().to_owned(),
    }
}
