//! Rows and queries of the managers' door controls: a hub's lockdown, disabled doors and doors
//! opened by staff (a `door_commands` row without a booking, with the reason given). What may be
//! switched by whom is decided in `service::door_controls`, not here.

use crate::domain::ids::{BookingId, DoorId, HubId, UserId};
use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::{door_commands, doors, hubs, users};
use super::stored::DoorCommandsStatus;
use super::{DbConn, DbError};
use crate::domain::vocabulary::CommandStatus;

/// A door opening ordered by a member of staff, on its way to the hub's bridge like a remote
/// unlock, but with no booking and with the reason they gave.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = door_commands)]
pub struct StaffCommand {
    pub id: String,
    pub hub_id: HubId,
    pub door_id: DoorId,
    pub booking_id: Option<BookingId>,
    pub requested_by: Option<UserId>,
    #[diesel(deserialize_as = DoorCommandsStatus, serialize_as = String)]
    pub status: CommandStatus,
    pub requested_at: NaiveDateTime,
    pub deadline: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub reason: Option<String>,
}

/// A staff opening with the name of the one who ordered it (`None` for a deleted account).
pub type StaffCommandWithActor = (StaffCommand, Option<String>);

/// Since when the hub is in lockdown; `None` when it is not (or the hub does not exist).
///
/// # Errors
/// On a database error.
pub fn lockdown_since(conn: &mut DbConn, hub_id: &HubId) -> Result<Option<NaiveDateTime>, DbError> {
    Ok(hubs::table.find(hub_id).select(hubs::lockdown_since).first(conn).optional()?.flatten())
}

/// Puts the hub in lockdown from `at` (`lockdown`), or lifts it at `at`, noting the lift in
/// `lockdown_lifted_at` (the no-show window starts no earlier); returns whether anything changed
/// (a lockdown already on keeps its start, lifting none keeps the last lift).
///
/// # Errors
/// On a database error.
pub fn set_lockdown(conn: &mut DbConn, hub_id: &HubId, lockdown: bool, at: NaiveDateTime) -> Result<bool, DbError> {
    let changed = if lockdown {
        diesel::update(hubs::table.find(hub_id).filter(hubs::lockdown_since.is_null()))
            .set(hubs::lockdown_since.eq(Some(at)))
            .execute(conn)?
    } else {
        diesel::update(hubs::table.find(hub_id).filter(hubs::lockdown_since.is_not_null()))
            .set((hubs::lockdown_since.eq(None::<NaiveDateTime>), hubs::lockdown_lifted_at.eq(Some(at))))
            .execute(conn)?
    };
    Ok(changed > 0)
}

/// The ids of the hub's disabled doors.
///
/// # Errors
/// On a database error.
pub fn disabled_doors(conn: &mut DbConn, hub_id: &HubId) -> Result<Vec<DoorId>, DbError> {
    Ok(doors::table
        .filter(doors::hub_id.eq(hub_id))
        .filter(doors::disabled.eq(true))
        .order(doors::id.asc())
        .select(doors::id)
        .load(conn)?)
}

/// Disables or enables a door; returns whether it changed.
///
/// # Errors
/// On a database error.
pub fn set_door_disabled(conn: &mut DbConn, door_id: &DoorId, disabled: bool) -> Result<bool, DbError> {
    Ok(diesel::update(doors::table.find(door_id).filter(doors::disabled.ne(disabled)))
        .set(doors::disabled.eq(disabled))
        .execute(conn)?
        > 0)
}

/// Stores a staff opening.
///
/// # Errors
/// On a database error.
pub fn insert_staff_command(conn: &mut DbConn, command: &StaffCommand) -> Result<(), DbError> {
    diesel::insert_into(door_commands::table).values(command.clone()).execute(conn)?;
    Ok(())
}

/// The hub's latest staff openings (commands without a booking), newest first.
///
/// # Errors
/// On a database error.
pub fn recent_staff_commands(
    conn: &mut DbConn,
    hub_id: &HubId,
    limit: i64,
) -> Result<Vec<StaffCommandWithActor>, DbError> {
    Ok(door_commands::table
        .left_join(users::table.on(users::id.nullable().eq(door_commands::requested_by)))
        .filter(door_commands::hub_id.eq(hub_id))
        .filter(door_commands::booking_id.is_null())
        .order((door_commands::requested_at.desc(), door_commands::id.desc()))
        .limit(limit)
        .select((StaffCommand::as_select(), users::name.nullable()))
        .load(conn)?)
}
