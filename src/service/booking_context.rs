//! Where a booking is: its space and hub, read once by the use case that makes or changes the
//! booking and handed down to the steps that speak of it (the confirmation and request mails).
//! The hub's calendar stays with the rules that check against it.

use super::ServiceError;
use crate::db::DbConn;
use crate::db::catalog::{self, Hub, Space};
use crate::domain::ids::SpaceId;

/// A booking's space and the hub it belongs to.
#[derive(Debug, Clone)]
pub struct BookingContext {
    pub space: Space,
    pub hub: Hub,
}

impl BookingContext {
    /// The space with this id and its hub.
    ///
    /// # Errors
    /// `NotFound` for an unknown space (or a space whose hub is gone); on a database failure.
    pub fn load(conn: &mut DbConn, space_id: &SpaceId) -> Result<BookingContext, ServiceError> {
        let space = catalog::find_space(conn, space_id)?.ok_or(ServiceError::NotFound)?;
        let hub = catalog::find_hub_by_id(conn, &space.hub_id)?.ok_or(ServiceError::NotFound)?;
        Ok(BookingContext { space, hub })
    }
}
