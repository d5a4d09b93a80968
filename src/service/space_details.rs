//! What members see of a space beyond its booking rules: its details page (description,
//! equipment, accessibility facts, photos), the photo files themselves, and the day view's filter
//! over the hub's spaces. Staff change these in `console::catalog::space_details`.

use std::collections::HashSet;

use crate::db::DbConn;
use crate::db::catalog::{self, Hub, Space};
use crate::db::space_details::{self as rows, PhotoInfo, SpaceFacts};
use crate::domain::ids::{HubId, SpaceId};
use crate::domain::space_details::SpaceFilter;
use crate::service::ServiceError;
use crate::service::availability::SpaceDay;
use crate::service::console::catalog::spaces;

/// A space's details page.
#[derive(Debug, Clone)]
pub struct SpaceDetails {
    pub hub: Hub,
    pub space: Space,
    pub facts: SpaceFacts,
    pub photos: Vec<PhotoInfo>,
}

/// The details of a space: everyone may see them, as everyone may see the hub's day view.
///
/// # Errors
/// `NotFound` for an unknown space.
pub fn details(conn: &mut DbConn, space_id: &SpaceId) -> Result<SpaceDetails, ServiceError> {
    let space = catalog::find_space(conn, space_id)?.ok_or(ServiceError::NotFound)?;
    let hub = catalog::find_hub_by_id(conn, &space.hub_id)?.ok_or(ServiceError::NotFound)?;
    let facts = rows::space_facts(conn, space_id)?.ok_or(ServiceError::NotFound)?;
    let photos = rows::photos_of(conn, space_id)?;
    Ok(SpaceDetails { hub, space, facts, photos })
}

/// A hub's spaces in display order with their details, for the hub's overview page.
///
/// # Errors
/// `NotFound` for an unknown hub.
pub fn hub_spaces(conn: &mut DbConn, slug: &str) -> Result<(Hub, Vec<(Space, SpaceFacts)>), ServiceError> {
    let hub = catalog::find_hub(conn, slug)?.ok_or(ServiceError::NotFound)?;
    let mut spaces = catalog::list_spaces(conn, &hub.id)?;
    spaces.sort_by(spaces::display_order);
    let mut facts = rows::hub_space_facts(conn, &hub.id)?;
    let listed = spaces
        .into_iter()
        .map(|space| {
            let at = facts.iter().position(|(id, _)| id == &space.id);
            let details = at.map(|i| facts.swap_remove(i).1).unwrap_or_default();
            (space, details)
        })
        .collect();
    Ok((hub, listed))
}

/// The stored JPEG at a photo's address (its id and content hash).
///
/// # Errors
/// `NotFound` for an unknown photo or a hash that is not its content's.
pub fn photo_image(conn: &mut DbConn, photo_id: &str, content_hash: &str) -> Result<Vec<u8>, ServiceError> {
    rows::photo_image(conn, photo_id, content_hash)?.ok_or(ServiceError::NotFound)
}

/// Whether the photo at this address is still stored (a browser's cached copy is then current).
///
/// # Errors
/// `NotFound` for an unknown photo or a hash that is not its content's.
pub fn photo_is_current(conn: &mut DbConn, photo_id: &str, content_hash: &str) -> Result<(), ServiceError> {
    if rows::photo_exists(conn, photo_id, content_hash)? { Ok(()) } else { Err(ServiceError::NotFound) }
}

/// Keeps the spaces of a hub's day that the filter admits; one statement for the whole hub, and
/// none when the filter asks for nothing.
///
/// # Errors
/// On a database error, or stored details that cannot be read.
pub fn retain_admitted(
    conn: &mut DbConn,
    hub_id: &HubId,
    filter: &SpaceFilter,
    spaces: &mut Vec<SpaceDay>,
) -> Result<(), ServiceError> {
    if !filter.is_active() {
        return Ok(());
    }
    let facts = rows::hub_space_facts(conn, hub_id)?;
    let kinds: Vec<(SpaceId, _)> = spaces.iter().map(|s| (s.space.id.clone(), s.space.kind)).collect();
    let admitted: HashSet<SpaceId> = facts
        .into_iter()
        .filter(|(id, facts)| {
            kinds
                .iter()
                .find(|(space_id, _)| space_id == id)
                .is_some_and(|(_, kind)| filter.admits(*kind, &facts.equipment, &facts.accessibility))
        })
        .map(|(id, _)| id)
        .collect();
    spaces.retain(|s| admitted.contains(&s.space.id));
    Ok(())
}
