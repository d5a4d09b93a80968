//! A hub's bridges: creating one and rotating its token. The token is returned to be shown
//! once; only its hash is stored, and neither the audit trail nor the logs ever see it.

use chrono::{DateTime, Utc};

use super::rules::required_text;
use super::{CatalogError, Problems, Staff, record};
use crate::db::DbConn;
use crate::db::access::Bridge;
use crate::db::catalog::Hub;
use crate::db::catalog_admin;
use crate::service::ServiceError;
use crate::service::UnitOfWork;
use crate::service::bridge_link;

/// A bridge token, shown once. Its `Debug` hides it so that it cannot reach a log.
pub struct BridgeToken(pub String);

impl std::fmt::Debug for BridgeToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("BridgeToken(…)")
    }
}

/// The hub and its bridges.
///
/// # Errors
/// `NotFound` outside the caller's scope.
pub fn list(conn: &mut DbConn, staff: Staff<'_>, hub: &str) -> Result<(Hub, Vec<Bridge>), ServiceError> {
    let hub = staff.scope.hub(conn, hub)?;
    let bridges = catalog_admin::list_bridges(conn, &hub.id)?;
    Ok((hub, bridges))
}

/// The hub and one of its bridges.
///
/// # Errors
/// `NotFound` outside the caller's scope or for another hub's bridge.
pub fn find(conn: &mut DbConn, staff: Staff<'_>, hub: &str, bridge_id: &str) -> Result<(Hub, Bridge), ServiceError> {
    let hub = staff.scope.hub(conn, hub)?;
    let bridge = super::chosen_bridge(conn, staff, &hub, bridge_id)?.ok_or(ServiceError::NotFound)?;
    Ok((hub, bridge))
}

/// Creates a bridge for the hub and returns it with its token.
///
/// # Errors
/// `NotFound` outside the caller's scope; `Invalid` for a missing or too long name.
pub fn create(
    tx: &mut UnitOfWork<'_>,
    staff: Staff<'_>,
    hub: &str,
    name: &str,
    now: DateTime<Utc>,
) -> Result<(Hub, Bridge, BridgeToken), CatalogError> {
    let hub = staff.scope.hub(tx, hub)?;
    let mut problems = Problems::default();
    let name = problems.take("name", required_text(name, 100));
    problems.finish()?;
    let name = name.unwrap_or_default();
    let (bridge, token) = tx.write_transaction(|tx| {
        let (bridge, token) = bridge_link::create_bridge(tx, &hub.id, &name, now)?;
        record(tx, staff, &hub, &bridge.name, "bridge_created", format!("bridge id: {}", bridge.id), now)?;
        Ok::<_, CatalogError>((bridge, token))
    })?;
    Ok((hub, bridge, BridgeToken(token)))
}

/// Gives a bridge a new token; the old one stops working at once and the bridge's waiting
/// requests are ended.
///
/// # Errors
/// `NotFound` outside the caller's scope or for another hub's bridge.
pub fn rotate(
    tx: &mut UnitOfWork<'_>,
    staff: Staff<'_>,
    hub: &str,
    bridge_id: &str,
    now: DateTime<Utc>,
) -> Result<(Hub, Bridge, BridgeToken), ServiceError> {
    let (hub, bridge) = find(tx, staff, hub, bridge_id)?;
    let token = tx.write_transaction(|tx| {
        let token = bridge_link::rotate_bridge_token(tx, &bridge.id, now)?;
        tx.access_changed(&hub.id);
        record(tx, staff, &hub, &bridge.name, "bridge_token_rotated", "old token revoked".to_owned(), now)?;
        Ok::<_, ServiceError>(token)
    })?;
    // The page after a rotation shows the hub, the bridge's name and the new token: nothing to re-read.
    Ok((hub, bridge, BridgeToken(token)))
}
