//! Service level: a guest invited to the demo member's room booking at Polch (issue 16), so the
//! demo shows the guests page with an invitation and the guest's mail with its own PIN. The
//! guest's address is a placeholder; the invitation goes through the same use case as any.

use chrono::{DateTime, Utc};

use super::door_bridge::DEMO_DOOR_HUB;
use super::logins::DEMO_LOGINS;
use crate::db::{DbConn, bookings, catalog, guests as guest_rows, users};
use crate::service::console::catalog::CatalogError;
use crate::service::guests::{self, GuestInput};
use crate::service::pin::OsRngPins;
use crate::service::{ServiceContext, ServiceError, UnitOfWork};

/// The room at Polch the demo member booked (see `seed::seed_bookings`).
pub const DEMO_GUEST_ROOM: &str = "Besprechungsraum Maifeld";

/// Invites a demo guest to the demo member's confirmed booking of [`DEMO_GUEST_ROOM`], unless it
/// has guests already. Returns whether it invited one.
///
/// # Errors
/// On a database failure.
pub fn seed_demo_guest(conn: &mut DbConn, ctx: &ServiceContext, now: DateTime<Utc>) -> Result<bool, ServiceError> {
    let (Some(hub), Some(member)) =
        (catalog::find_hub(conn, DEMO_DOOR_HUB)?, users::find_user_by_email(conn, DEMO_LOGINS[0].email)?)
    else {
        return Ok(false);
    };
    let Some(room) = catalog::list_spaces(conn, &hub.id)?.into_iter().find(|s| s.name == DEMO_GUEST_ROOM) else {
        return Ok(false);
    };
    let Some(booking) = bookings::list_user_bookings(conn, &member.id)?
        .into_iter()
        .find(|b| b.space_id == room.id && b.status.opens_doors())
    else {
        return Ok(false);
    };
    if !guest_rows::booking_guests(conn, &booking.id)?.is_empty() {
        return Ok(false);
    }
    let input = GuestInput {
        name: "Gerda Gast".to_owned(),
        email: "gerda.gast@example.org".to_owned(),
        language: "de".to_owned(),
    };
    // Seeding runs before anyone waits on a bridge or the mail job: nothing to announce.
    match guests::invite(&mut UnitOfWork::new(conn), ctx, &member, &booking.id, &input, now, &mut OsRngPins) {
        Ok(_) => Ok(true),
        Err(CatalogError::Invalid(_)) => Ok(false),
        Err(CatalogError::Service(error)) => Err(error),
    }
}
