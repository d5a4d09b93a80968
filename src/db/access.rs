//! Rows and queries of the bridge link: bridges and their token hashes, the bookings an access
//! snapshot is built from, the access log, presence readings, door states, alarms and
//! remote-unlock commands. Which event means what is decided in `service::bridge_link`, not here.

use crate::domain::ids::{BookingId, DoorId, HubId, SpaceId, UserId};
use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::bookings::{Booking, ending_after, overlapping, pin_holding};
use super::schema::{
    access_events, alarms, bookings, bridges, door_commands, door_states, hubs, presence_readings, spaces, user_roles,
    users,
};
use super::stored::{AlarmsKind, BookingsStatus, DoorCommandsStatus, PresenceReadingsPresence, UsersStatusIfAny};
use super::users::User;
use super::{DbConn, DbError};
use crate::domain::vocabulary::{AlarmKind, BookingStatus, CommandStatus, SensedPresence, UserStatus};

/// A hub's bridge. Only the SHA-256 of its bearer token is stored; the token is shown once.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = bridges)]
pub struct Bridge {
    pub id: String,
    pub hub_id: HubId,
    pub name: String,
    pub token_hash: String,
    pub created_at: NaiveDateTime,
    pub rotated_at: Option<NaiveDateTime>,
    pub last_seen_at: Option<NaiveDateTime>,
}

/// One booking as an access snapshot needs it. The verifier is a keyed hash, never the PIN.
#[derive(Debug, Clone, Queryable)]
pub struct GrantRow {
    pub booking_id: BookingId,
    pub space_id: SpaceId,
    pub start_at: NaiveDateTime,
    pub end_at: NaiveDateTime,
    #[diesel(deserialize_as = BookingsStatus)]
    pub status: BookingStatus,
    pub pin_verifier: Option<String>,
    /// `None` when the booker deleted their account.
    #[diesel(deserialize_as = UsersStatusIfAny)]
    pub user_status: Option<UserStatus>,
}

/// One entry of the access log as stored.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = access_events)]
pub struct AccessEventRow {
    pub id: String,
    pub hub_id: HubId,
    pub door_id: Option<DoorId>,
    pub booking_id: Option<BookingId>,
    pub kind: String,
    pub reason: Option<String>,
    pub offline: bool,
    pub occurred_at: NaiveDateTime,
    pub received_at: NaiveDateTime,
}

/// One raw presence reading; kept at most 7 days.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = presence_readings)]
pub struct PresenceReadingRow {
    pub id: String,
    pub hub_id: HubId,
    pub sensor_id: Option<String>,
    pub space_id: Option<SpaceId>,
    #[diesel(deserialize_as = PresenceReadingsPresence, serialize_as = String)]
    pub presence: SensedPresence,
    pub observed_at: NaiveDateTime,
    pub received_at: NaiveDateTime,
}

/// An alarm raised by a bridge.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = alarms)]
pub struct AlarmRow {
    pub id: String,
    pub hub_id: HubId,
    pub door_id: Option<DoorId>,
    #[diesel(deserialize_as = AlarmsKind, serialize_as = String)]
    pub kind: AlarmKind,
    pub raised_at: NaiveDateTime,
    pub cleared_at: Option<NaiveDateTime>,
    pub acknowledged_by: Option<UserId>,
    pub acknowledged_at: Option<NaiveDateTime>,
    pub last_notified_at: Option<NaiveDateTime>,
}

/// A remote unlock on its way to a door.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = door_commands)]
pub struct DoorCommand {
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
}

/// Stores a new bridge.
///
/// # Errors
/// On a database error.
pub fn insert_bridge(conn: &mut DbConn, bridge: &Bridge) -> Result<(), DbError> {
    diesel::insert_into(bridges::table).values(bridge).execute(conn)?;
    Ok(())
}

/// The bridge with this id, if any.
///
/// # Errors
/// On a database error.
pub fn find_bridge(conn: &mut DbConn, bridge_id: &str) -> Result<Option<Bridge>, DbError> {
    Ok(bridges::table.find(bridge_id).select(Bridge::as_select()).first(conn).optional()?)
}

/// The hub's bridge with this name, if any (the oldest, should there be several).
///
/// # Errors
/// On a database error.
pub fn find_bridge_named(conn: &mut DbConn, hub_id: &HubId, name: &str) -> Result<Option<Bridge>, DbError> {
    Ok(bridges::table
        .filter(bridges::hub_id.eq(hub_id).and(bridges::name.eq(name)))
        .order((bridges::created_at.asc(), bridges::id.asc()))
        .select(Bridge::as_select())
        .first(conn)
        .optional()?)
}

/// The bridge whose token hashes to `token_hash`, if any.
///
/// # Errors
/// On a database error.
pub fn find_bridge_by_token_hash(conn: &mut DbConn, token_hash: &str) -> Result<Option<Bridge>, DbError> {
    Ok(bridges::table.filter(bridges::token_hash.eq(token_hash)).select(Bridge::as_select()).first(conn).optional()?)
}

/// Replaces a bridge's token hash; the old token stops working at once.
///
/// # Errors
/// On a database error.
pub fn set_bridge_token(
    conn: &mut DbConn,
    bridge_id: &str,
    token_hash: &str,
    at: NaiveDateTime,
) -> Result<usize, DbError> {
    Ok(diesel::update(bridges::table.find(bridge_id))
        .set((bridges::token_hash.eq(token_hash), bridges::rotated_at.eq(Some(at))))
        .execute(conn)?)
}

/// Records that the bridge called in.
///
/// # Errors
/// On a database error.
pub fn touch_bridge(conn: &mut DbConn, bridge_id: &str, at: NaiveDateTime) -> Result<(), DbError> {
    diesel::update(bridges::table.find(bridge_id)).set(bridges::last_seen_at.eq(Some(at))).execute(conn)?;
    Ok(())
}

/// Each hub's latest call from any of its bridges, by hub slug (hubs whose bridges never called
/// are left out): the bridges' last contact for the metrics.
///
/// # Errors
/// On a database error.
pub fn last_bridge_contact_by_hub(conn: &mut DbConn) -> Result<Vec<(String, NaiveDateTime)>, DbError> {
    let rows: Vec<(String, Option<NaiveDateTime>)> = bridges::table
        .inner_join(hubs::table)
        .group_by(hubs::slug)
        .select((hubs::slug, diesel::dsl::max(bridges::last_seen_at)))
        .order(hubs::slug.asc())
        .load(conn)?;
    Ok(rows.into_iter().filter_map(|(slug, seen)| seen.map(|at| (slug, at))).collect())
}

/// The hub's bookings holding a PIN whose window `[start - grace, end)` meets `[from, until)`.
///
/// # Errors
/// On a database error.
pub fn grant_rows(
    conn: &mut DbConn,
    hub_id: &HubId,
    grace: chrono::Duration,
    from: NaiveDateTime,
    until: NaiveDateTime,
) -> Result<Vec<GrantRow>, DbError> {
    Ok(bookings::table
        .inner_join(spaces::table)
        .left_join(users::table.on(users::id.nullable().eq(bookings::user_id)))
        .filter(spaces::hub_id.eq(hub_id))
        .filter(pin_holding())
        .filter(bookings::pin_verifier.is_not_null())
        .filter(overlapping(from, until + grace))
        .order(bookings::id.asc())
        .select((
            bookings::id,
            bookings::space_id,
            bookings::start_at,
            bookings::end_at,
            bookings::status,
            bookings::pin_verifier,
            users::status.nullable(),
        ))
        .load(conn)?)
}

/// Stores an access-log entry unless one with its id is already stored; returns whether it was new.
///
/// # Errors
/// On a database error.
pub fn insert_access_event(conn: &mut DbConn, row: &AccessEventRow) -> Result<bool, DbError> {
    let inserted = match conn {
        DbConn::Sqlite(c) => {
            diesel::insert_into(access_events::table).values(row).on_conflict_do_nothing().execute(c)?
        }
        DbConn::Postgres(c) => {
            diesel::insert_into(access_events::table).values(row).on_conflict_do_nothing().execute(c)?
        }
    };
    Ok(inserted > 0)
}

/// The hub's access log, oldest first.
///
/// # Errors
/// On a database error.
pub fn list_access_events(conn: &mut DbConn, hub_id: &HubId) -> Result<Vec<AccessEventRow>, DbError> {
    Ok(access_events::table
        .filter(access_events::hub_id.eq(hub_id))
        .order((access_events::occurred_at.asc(), access_events::id.asc()))
        .select(AccessEventRow::as_select())
        .load(conn)?)
}

/// How many access-log entries of this kind the door has from `since` on (bounded by time, so
/// its cost does not grow with the log).
///
/// # Errors
/// On a database error.
pub fn count_door_events_since(
    conn: &mut DbConn,
    door_id: &DoorId,
    kind: &str,
    since: NaiveDateTime,
) -> Result<i64, DbError> {
    Ok(access_events::table
        .filter(access_events::door_id.eq(door_id))
        .filter(access_events::kind.eq(kind))
        .filter(access_events::occurred_at.ge(since))
        .count()
        .get_result(conn)?)
}

/// Stores a presence reading unless its id is already stored; returns whether it was new.
///
/// # Errors
/// On a database error.
pub fn insert_presence_reading(conn: &mut DbConn, row: &PresenceReadingRow) -> Result<bool, DbError> {
    let inserted = match conn {
        DbConn::Sqlite(c) => {
            diesel::insert_into(presence_readings::table).values(row.clone()).on_conflict_do_nothing().execute(c)?
        }
        DbConn::Postgres(c) => {
            diesel::insert_into(presence_readings::table).values(row.clone()).on_conflict_do_nothing().execute(c)?
        }
    };
    Ok(inserted > 0)
}

/// Sets the door's latest state unless a newer one is stored.
///
/// # Errors
/// On a database error.
pub fn upsert_door_state(conn: &mut DbConn, door_id: &DoorId, state: &str, at: NaiveDateTime) -> Result<(), DbError> {
    let updated = diesel::update(door_states::table.find(door_id))
        .filter(door_states::updated_at.le(at))
        .set((door_states::state.eq(state), door_states::updated_at.eq(at)))
        .execute(conn)?;
    if updated == 0 {
        // A newer state stored meanwhile wins; only a missing row is inserted.
        let exists = door_states::table.find(door_id).select(door_states::door_id).first::<String>(conn).optional()?;
        if exists.is_none() {
            diesel::insert_into(door_states::table)
                .values((
                    door_states::door_id.eq(door_id),
                    door_states::state.eq(state),
                    door_states::updated_at.eq(at),
                ))
                .execute(conn)?;
        }
    }
    Ok(())
}

/// The door's latest known state, if any.
///
/// # Errors
/// On a database error.
pub fn door_state(conn: &mut DbConn, door_id: &DoorId) -> Result<Option<String>, DbError> {
    Ok(door_states::table.find(door_id).select(door_states::state).first(conn).optional()?)
}

/// The open (not cleared) alarm of this kind at this door, if any.
///
/// # Errors
/// On a database error.
pub fn open_alarm(conn: &mut DbConn, door_id: &DoorId, kind: AlarmKind) -> Result<Option<AlarmRow>, DbError> {
    Ok(alarms::table
        .filter(alarms::door_id.eq(door_id))
        .filter(alarms::kind.eq(kind.as_str()))
        .filter(alarms::cleared_at.is_null())
        .select(AlarmRow::as_select())
        .first(conn)
        .optional()?)
}

/// Stores a newly raised alarm.
///
/// # Errors
/// On a database error.
pub fn insert_alarm(conn: &mut DbConn, row: &AlarmRow) -> Result<(), DbError> {
    diesel::insert_into(alarms::table).values(row.clone()).execute(conn)?;
    Ok(())
}

/// Clears the open alarms of this kind at this door.
///
/// # Errors
/// On a database error.
pub fn clear_alarms(conn: &mut DbConn, door_id: &DoorId, kind: AlarmKind, at: NaiveDateTime) -> Result<usize, DbError> {
    Ok(diesel::update(
        alarms::table
            .filter(alarms::door_id.eq(door_id))
            .filter(alarms::kind.eq(kind.as_str()))
            .filter(alarms::cleared_at.is_null()),
    )
    .set(alarms::cleared_at.eq(Some(at)))
    .execute(conn)?)
}

/// The hub's alarms, newest first.
///
/// # Errors
/// On a database error.
pub fn list_alarms(conn: &mut DbConn, hub_id: &HubId) -> Result<Vec<AlarmRow>, DbError> {
    Ok(alarms::table
        .filter(alarms::hub_id.eq(hub_id))
        .order((alarms::raised_at.desc(), alarms::id.desc()))
        .select(AlarmRow::as_select())
        .load(conn)?)
}

/// Stores a new remote-unlock command.
///
/// # Errors
/// On a database error.
pub fn insert_command(conn: &mut DbConn, command: &DoorCommand) -> Result<(), DbError> {
    diesel::insert_into(door_commands::table).values(command.clone()).execute(conn)?;
    Ok(())
}

/// Marks the hub's undelivered commands past their deadline `expired`.
///
/// # Errors
/// On a database error.
pub fn expire_commands(conn: &mut DbConn, hub_id: &HubId, now: NaiveDateTime) -> Result<usize, DbError> {
    Ok(diesel::update(
        door_commands::table
            .filter(door_commands::hub_id.eq(hub_id))
            .filter(door_commands::status.eq(CommandStatus::Requested.as_str()))
            .filter(door_commands::deadline.le(now)),
    )
    .set((door_commands::status.eq(CommandStatus::Expired.as_str()), door_commands::updated_at.eq(now)))
    .execute(conn)?)
}

/// The hub's undelivered commands still inside their deadline, oldest first.
///
/// # Errors
/// On a database error.
pub fn pending_commands(conn: &mut DbConn, hub_id: &HubId, now: NaiveDateTime) -> Result<Vec<DoorCommand>, DbError> {
    Ok(door_commands::table
        .filter(door_commands::hub_id.eq(hub_id))
        .filter(door_commands::status.eq(CommandStatus::Requested.as_str()))
        .filter(door_commands::deadline.gt(now))
        .order((door_commands::requested_at.asc(), door_commands::id.asc()))
        .select(DoorCommand::as_select())
        .load(conn)?)
}

/// Moves a command from `from` to `to`; returns whether it was in `from`.
///
/// # Errors
/// On a database error.
pub fn move_command(
    conn: &mut DbConn,
    id: &str,
    from: &[CommandStatus],
    to: CommandStatus,
    at: NaiveDateTime,
) -> Result<bool, DbError> {
    let from: Vec<&str> = from.iter().map(CommandStatus::as_str).collect();
    Ok(diesel::update(door_commands::table.find(id).filter(door_commands::status.eq_any(from)))
        .set((door_commands::status.eq(to.as_str()), door_commands::updated_at.eq(at)))
        .execute(conn)?
        > 0)
}

/// The command with this id, if any.
///
/// # Errors
/// On a database error.
pub fn find_command(conn: &mut DbConn, id: &str) -> Result<Option<DoorCommand>, DbError> {
    Ok(door_commands::table.find(id).select(DoorCommand::as_select()).first(conn).optional()?)
}

/// The booking's latest command for each door, newest first.
///
/// # Errors
/// On a database error.
pub fn booking_commands(conn: &mut DbConn, booking_id: &BookingId) -> Result<Vec<DoorCommand>, DbError> {
    Ok(door_commands::table
        .filter(door_commands::booking_id.eq(booking_id))
        .order((door_commands::requested_at.desc(), door_commands::id.desc()))
        .select(DoorCommand::as_select())
        .load(conn)?)
}

/// Sets a booking's status (check-in, no-show) if it is in one of `from`; returns whether it was.
///
/// # Errors
/// On a database error.
pub fn move_booking(
    conn: &mut DbConn,
    booking_id: &BookingId,
    from: &[BookingStatus],
    to: BookingStatus,
    at: NaiveDateTime,
) -> Result<bool, DbError> {
    let from: Vec<&str> = from.iter().map(BookingStatus::as_str).collect();
    Ok(diesel::update(bookings::table.find(booking_id).filter(bookings::status.eq_any(from)))
        .set((bookings::status.eq(to.as_str()), bookings::updated_at.eq(at)))
        .execute(conn)?
        > 0)
}

/// The booking with this id if its space belongs to the hub.
///
/// # Errors
/// On a database error.
pub fn booking_in_hub(conn: &mut DbConn, hub_id: &HubId, booking_id: &BookingId) -> Result<Option<Booking>, DbError> {
    Ok(bookings::table
        .inner_join(spaces::table)
        .filter(bookings::id.eq(booking_id))
        .filter(spaces::hub_id.eq(hub_id))
        .select(Booking::as_select())
        .first(conn)
        .optional()?)
}

/// The booking with this id, if any.
///
/// # Errors
/// On a database error.
pub fn find_booking(conn: &mut DbConn, booking_id: &BookingId) -> Result<Option<Booking>, DbError> {
    Ok(bookings::table.find(booking_id).select(Booking::as_select()).first(conn).optional()?)
}

/// The space's confirmed bookings whose window `[start - grace, end)` holds `at`.
///
/// # Errors
/// On a database error.
pub fn confirmed_bookings_at(
    conn: &mut DbConn,
    space_id: &SpaceId,
    at: NaiveDateTime,
    grace: chrono::Duration,
) -> Result<Vec<Booking>, DbError> {
    Ok(bookings::table
        .filter(bookings::space_id.eq(space_id))
        .filter(bookings::status.eq("confirmed"))
        .filter(bookings::start_at.le(at + grace))
        .filter(ending_after(at))
        .select(Booking::as_select())
        .load(conn)?)
}

/// Who hears of the hub's alarms: active admins and the hub's active managers, once each.
///
/// # Errors
/// On a database error.
pub fn alarm_recipients(conn: &mut DbConn, hub_id: &HubId) -> Result<Vec<User>, DbError> {
    let mut found: Vec<User> = users::table
        .inner_join(user_roles::table)
        .filter(users::status.eq("active"))
        .filter(user_roles::role.eq("admin").or(user_roles::role.eq("hub_manager").and(user_roles::hub_id.eq(hub_id))))
        .order(users::id.asc())
        .select(User::as_select())
        .load(conn)?;
    found.dedup_by(|a, b| a.id == b.id);
    Ok(found)
}

/// When people were last told of an alarm of this kind at this door, if ever.
///
/// # Errors
/// On a database error.
pub fn last_alarm_notice(
    conn: &mut DbConn,
    door_id: &DoorId,
    kind: AlarmKind,
) -> Result<Option<NaiveDateTime>, DbError> {
    Ok(alarms::table
        .filter(alarms::door_id.eq(door_id))
        .filter(alarms::kind.eq(kind.as_str()))
        .select(diesel::dsl::max(alarms::last_notified_at))
        .first(conn)?)
}

/// Records that people were told of this alarm.
///
/// # Errors
/// On a database error.
pub fn set_alarm_notified(conn: &mut DbConn, alarm_id: &str, at: NaiveDateTime) -> Result<(), DbError> {
    diesel::update(alarms::table.find(alarm_id)).set(alarms::last_notified_at.eq(Some(at))).execute(conn)?;
    Ok(())
}

/// On PostgreSQL, takes a transaction lock of its own for the booking's remote unlocks, so that
/// two unlocks of one booking are counted one after the other. It is not the booking row's lock:
/// nothing else waits for it, so it cannot deadlock with a change of the booking or its hub's
/// PIN draw. On SQLite the `BEGIN IMMEDIATE` of [`super::write_transaction`] already serialises
/// writers.
///
/// # Errors
/// On a database error.
pub fn lock_booking_commands(conn: &mut DbConn, booking_id: &BookingId) -> Result<(), DbError> {
    if let DbConn::Postgres(pg) = conn {
        diesel::sql_query("SELECT pg_advisory_xact_lock($1, hashtext($2))")
            .bind::<diesel::sql_types::Integer, _>(REMOTE_UNLOCK_LOCK_SPACE)
            .bind::<diesel::sql_types::Text, _>(booking_id)
            .execute(pg)?;
    }
    Ok(())
}

/// The first key of the advisory locks of [`lock_booking_commands`] (any fixed number that no
/// other advisory lock uses).
const REMOTE_UNLOCK_LOCK_SPACE: i32 = 5_545_001;

/// How many remote unlocks were requested for the booking at or after `since`.
///
/// # Errors
/// On a database error.
pub fn count_booking_commands_since(
    conn: &mut DbConn,
    booking_id: &BookingId,
    since: NaiveDateTime,
) -> Result<i64, DbError> {
    Ok(door_commands::table
        .filter(door_commands::booking_id.eq(booking_id))
        .filter(door_commands::requested_at.ge(since))
        .count()
        .get_result(conn)?)
}
