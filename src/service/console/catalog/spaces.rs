//! A hub's spaces: adding and editing one with its booking rules and check-in modes, and taking
//! one out of use.
//! Disabling asks what becomes of the bookings that have not started yet: kept, or cancelled
//! with notice (PIN revoked, cancellation mail with the reason, or the declined mail for a
//! request waiting for approval; bridges woken).

use std::cmp::Ordering;

use chrono::{DateTime, Utc};

use super::rules::{SpaceInput, SpaceSettings, space_settings};
use super::{CatalogError, Staff, changed_fields, record};
use crate::db::catalog::{self, Hub, Space};
use crate::db::catalog_admin::{self, SpaceChanges};
use crate::db::guests as guest_rows;
use crate::db::house_rules as house_rule_rows;
use crate::db::users;
use crate::db::{self, DbConn};
use crate::db::{access, bookings};
use crate::domain::check_in::CheckInModes;
use crate::domain::ids::SpaceId;
use crate::domain::vocabulary::{BookingStatus, SpaceKind};
use crate::service::UnitOfWork;
use crate::service::house_rules;
use crate::service::{ServiceContext, ServiceError, booking_mail, check_in, pin, to_db_time};

/// The catalogue entry of the reason a cancellation mail gives when a space is disabled.
pub const SPACE_DISABLED_REASON: &str = "console-catalog-mail-reason-space-disabled";

/// What becomes of a disabled space's bookings that have not started yet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FutureBookings {
    Keep,
    /// Cancelled, each member told by e-mail.
    CancelWithNotice,
}

impl FutureBookings {
    /// The form's choice: `keep` or `cancel`.
    pub fn parse(value: &str) -> Option<FutureBookings> {
        match value {
            "keep" => Some(FutureBookings::Keep),
            "cancel" => Some(FutureBookings::CancelWithNotice),
            _ => None,
        }
    }
}

/// The form of a space as stored, with its check-in modes.
pub fn input_of(space: &Space, check_in_modes: CheckInModes) -> SpaceInput {
    SpaceInput {
        name: space.name.clone(),
        kind: space.kind.as_str().to_owned(),
        capacity: space.capacity.to_string(),
        booking_unit: space.booking_unit.as_str().to_owned(),
        slot_minutes: space.slot_minutes.to_string(),
        min_minutes: space.min_minutes.to_string(),
        max_minutes: space.max_minutes.to_string(),
        max_days_ahead: space.max_days_ahead.to_string(),
        approval_required: space.approval_required,
        asks_purpose: false,
        check_in_modes,
        position: space.position.to_string(),
        // Read apart from the row, like the check-in modes (see `edit_input`).
        guests_allowed: true,
    }
}

/// The form of a new space: an hourly desk on a 30-minute grid, without check-in (see
/// [`new_input`] for the hub's default).
pub fn blank_input() -> SpaceInput {
    SpaceInput {
        kind: "desk".into(),
        capacity: "1".into(),
        booking_unit: "hour".into(),
        slot_minutes: "30".into(),
        min_minutes: "60".into(),
        max_minutes: "480".into(),
        max_days_ahead: "30".into(),
        position: "0".into(),
        guests_allowed: true,
        ..SpaceInput::default()
    }
}

/// The hub and its spaces in [`display_order`], each with its check-in modes.
///
/// # Errors
/// `NotFound` outside the caller's scope; `Invalid` for stored check-in modes that cannot be read.
pub fn list(conn: &mut DbConn, staff: Staff<'_>, hub: &str) -> Result<(Hub, Vec<(Space, CheckInModes)>), ServiceError> {
    let hub = staff.scope.hub(conn, hub)?;
    let mut listed = catalog::list_spaces(conn, &hub.id)?;
    listed.sort_by(display_order);
    let mut spaces = Vec::new();
    for space in listed {
        let modes = check_in::space_modes(conn, &space.id)?;
        spaces.push((space, modes));
    }
    Ok((hub, spaces))
}

/// The hub and the form of a new space there, its check-in modes those the hub's devices make
/// possible (door where a bridge-attached entrance leads in; none otherwise).
///
/// # Errors
/// `NotFound` outside the caller's scope.
pub fn new_input(conn: &mut DbConn, staff: Staff<'_>, hub: &str) -> Result<(Hub, SpaceInput), ServiceError> {
    let hub = staff.scope.hub(conn, hub)?;
    let check_in_modes = check_in::default_modes_for_new_space(conn, &hub.id)?;
    Ok((hub, SpaceInput { check_in_modes, ..blank_input() }))
}

/// The hub and the form of one of its spaces as stored.
///
/// # Errors
/// `NotFound` outside the caller's scope or for a space of another hub; `Invalid` for stored
/// check-in modes that cannot be read.
pub fn edit_input(
    conn: &mut DbConn,
    staff: Staff<'_>,
    hub: &str,
    space_id: &SpaceId,
) -> Result<(Hub, SpaceInput), ServiceError> {
    let (hub, space) = find(conn, staff, hub, space_id)?;
    let modes = check_in::space_modes(conn, &space.id)?;
    let guests_allowed = guest_rows::space_guests_allowed(conn, &space.id)?.unwrap_or(true);
    let asks_purpose = house_rules::asks_purpose(conn, &space.id)?;
    Ok((hub, SpaceInput { guests_allowed, asks_purpose, ..input_of(&space, modes) }))
}

/// What a space's printed QR sheet shows: the hub, the space, its check-in modes and the
/// absolute address the code encodes.
#[derive(Debug, Clone)]
pub struct QrSheet {
    pub hub: Hub,
    pub space: Space,
    pub modes: CheckInModes,
    pub url: String,
}

/// The QR sheet of one of the hub's spaces.
///
/// # Errors
/// `NotFound` outside the caller's scope or for a space of another hub; `Invalid` for stored
/// check-in modes that cannot be read.
pub fn qr_sheet(
    conn: &mut DbConn,
    ctx: &ServiceContext,
    staff: Staff<'_>,
    hub: &str,
    space_id: &SpaceId,
) -> Result<QrSheet, ServiceError> {
    let (hub, space) = find(conn, staff, hub, space_id)?;
    let modes = check_in::space_modes(conn, &space.id)?;
    let url = check_in::qr_url(ctx, &space.id);
    Ok(QrSheet { hub, space, modes, url })
}

/// The hub and one of its spaces.
///
/// # Errors
/// `NotFound` outside the caller's scope or for a space of another hub.
pub fn find(conn: &mut DbConn, staff: Staff<'_>, hub: &str, space_id: &SpaceId) -> Result<(Hub, Space), ServiceError> {
    let hub = staff.scope.hub(conn, hub)?;
    let space = catalog::find_space(conn, space_id)?.ok_or(ServiceError::NotFound)?;
    staff.scope.require_in(&space.hub_id, &hub)?;
    Ok((hub, space))
}

fn read(input: &SpaceInput) -> Result<SpaceSettings, CatalogError> {
    space_settings(input).map_err(CatalogError::refused)
}

/// Adds a space to the hub, bookable at once.
///
/// # Errors
/// `NotFound` outside the caller's scope; `Invalid` with the form's problems.
pub fn create(
    tx: &mut UnitOfWork<'_>,
    staff: Staff<'_>,
    hub: &str,
    input: &SpaceInput,
    now: DateTime<Utc>,
) -> Result<Space, CatalogError> {
    let hub = staff.scope.hub(tx, hub)?;
    let settings = read(input)?;
    let space = Space {
        id: SpaceId::from(db::new_id()),
        hub_id: hub.id.clone(),
        name: settings.name,
        kind: settings.kind,
        capacity: settings.capacity,
        enabled: true,
        booking_unit: settings.unit,
        slot_minutes: settings.slot_minutes,
        min_minutes: settings.min_minutes,
        max_minutes: settings.max_minutes,
        max_days_ahead: settings.max_days_ahead,
        approval_required: settings.approval_required,
        created_at: to_db_time(now),
        position: settings.position,
    };
    tx.write_transaction(|tx| {
        catalog::insert_space(tx, &space)?;
        check_in::set_space_modes(tx, &space.id, input.check_in_modes)?;
        guest_rows::set_space_guests_allowed(tx, &space.id, input.guests_allowed)?;
        house_rule_rows::set_asks_purpose(tx, &space.id, input.asks_purpose)?;
        let mut details = format!(
            "{}; check-in: {}; guests: {}",
            rules_text(&space),
            modes_text(input.check_in_modes),
            input.guests_allowed
        );
        if input.asks_purpose {
            details.push_str("; asks purpose and head count");
        }
        Ok::<_, CatalogError>(record(tx, staff, &hub, &space.name, "space_created", details, now)?)
    })?;
    Ok(space)
}

/// Changes a space's name, kind, booking rules and check-in modes; bookings already made stay as
/// they are (the no-show job reads the modes when it runs).
///
/// # Errors
/// `NotFound` outside the caller's scope or for another hub's space; `Invalid` with the form's
/// problems.
pub fn update(
    tx: &mut UnitOfWork<'_>,
    staff: Staff<'_>,
    hub: &str,
    space_id: &SpaceId,
    input: &SpaceInput,
    now: DateTime<Utc>,
) -> Result<Space, CatalogError> {
    let (hub, before) = find(tx, staff, hub, space_id)?;
    let settings = read(input)?;
    let after = Space {
        name: settings.name,
        kind: settings.kind,
        capacity: settings.capacity,
        booking_unit: settings.unit,
        slot_minutes: settings.slot_minutes,
        min_minutes: settings.min_minutes,
        max_minutes: settings.max_minutes,
        max_days_ahead: settings.max_days_ahead,
        approval_required: settings.approval_required,
        position: settings.position,
        ..before.clone()
    };
    tx.write_transaction(|tx| {
        let changes = SpaceChanges {
            name: &after.name,
            kind: after.kind.as_str(),
            capacity: after.capacity,
            booking_unit: after.booking_unit.as_str(),
            slot_minutes: after.slot_minutes,
            min_minutes: after.min_minutes,
            max_minutes: after.max_minutes,
            max_days_ahead: after.max_days_ahead,
            approval_required: after.approval_required,
            position: after.position,
        };
        catalog_admin::update_space(tx, &after.id, &changes)?;
        let modes_before = check_in::space_modes(tx, &after.id)?;
        check_in::set_space_modes(tx, &after.id, input.check_in_modes)?;
        let guests_before = guest_rows::space_guests_allowed(tx, &after.id)?.unwrap_or(true);
        guest_rows::set_space_guests_allowed(tx, &after.id, input.guests_allowed)?;
        let asks_before = house_rule_rows::asks_purpose(tx, &after.id)?;
        house_rule_rows::set_asks_purpose(tx, &after.id, input.asks_purpose)?;
        let details = changed_fields(&[
            ("name", before.name.clone(), after.name.clone()),
            ("kind", before.kind.to_string(), after.kind.to_string()),
            ("capacity", before.capacity.to_string(), after.capacity.to_string()),
            ("booking_unit", before.booking_unit.to_string(), after.booking_unit.to_string()),
            ("slot_minutes", before.slot_minutes.to_string(), after.slot_minutes.to_string()),
            ("min_minutes", before.min_minutes.to_string(), after.min_minutes.to_string()),
            ("max_minutes", before.max_minutes.to_string(), after.max_minutes.to_string()),
            ("max_days_ahead", before.max_days_ahead.to_string(), after.max_days_ahead.to_string()),
            ("approval_required", before.approval_required.to_string(), after.approval_required.to_string()),
            ("position", before.position.to_string(), after.position.to_string()),
            ("check_in_modes", modes_text(modes_before), modes_text(input.check_in_modes)),
            ("guests_allowed", guests_before.to_string(), input.guests_allowed.to_string()),
            ("asks_purpose", asks_before.to_string(), input.asks_purpose.to_string()),
        ]);
        Ok::<_, CatalogError>(record(tx, staff, &hub, &after.name, "space_updated", details, now)?)
    })?;
    Ok(after)
}

/// The hub, the space and how many of its bookings have not started yet (what disabling would
/// ask about).
///
/// # Errors
/// `NotFound` outside the caller's scope or for another hub's space.
pub fn disable_preview(
    conn: &mut DbConn,
    staff: Staff<'_>,
    hub: &str,
    space_id: &SpaceId,
    now: DateTime<Utc>,
) -> Result<(Hub, Space, usize), ServiceError> {
    let (hub, space) = find(conn, staff, hub, space_id)?;
    let upcoming = catalog_admin::upcoming_space_bookings(conn, &space.id, to_db_time(now))?.len();
    Ok((hub, space, upcoming))
}

/// Takes a space out of use: nobody can book it any more. Bookings that have not started yet
/// are kept, or cancelled with notice: each is cancelled, its PIN revoked and its member mailed
/// the reason in their language; the hub's bridges are woken. Bookings already running are
/// never touched. Returns how many were cancelled.
///
/// # Errors
/// `NotFound` outside the caller's scope or for another hub's space.
pub fn disable(
    tx: &mut UnitOfWork<'_>,
    ctx: &ServiceContext,
    staff: Staff<'_>,
    hub: &str,
    space_id: &SpaceId,
    future: FutureBookings,
    now: DateTime<Utc>,
) -> Result<usize, ServiceError> {
    let (hub, space) = find(tx, staff, hub, space_id)?;
    tx.write_transaction(|tx| {
        catalog::set_space_enabled(tx, &space.id, false)?;
        let upcoming = catalog_admin::upcoming_space_bookings(tx, &space.id, to_db_time(now))?;
        let details = match future {
            FutureBookings::Keep => format!("{} upcoming booking(s) kept", upcoming.len()),
            FutureBookings::CancelWithNotice => {
                // Each cancellation revokes its PIN, which wakes the bridges.
                for booking in &upcoming {
                    cancel_with_notice(tx, ctx, booking, now)?;
                }
                format!("{} upcoming booking(s) cancelled with notice", upcoming.len())
            }
        };
        record(tx, staff, &hub, &space.name, "space_disabled", details, now)?;
        Ok(if future == FutureBookings::CancelWithNotice { upcoming.len() } else { 0 })
    })
}

/// Cancels one booking for the hub, revokes its PIN and tells its member why: a request waiting
/// for approval is declined, a confirmed booking cancelled (a booking whose member deleted their
/// account has nobody to tell).
fn cancel_with_notice(
    tx: &mut UnitOfWork<'_>,
    ctx: &ServiceContext,
    booking: &bookings::Booking,
    now: DateTime<Utc>,
) -> Result<(), ServiceError> {
    bookings::cancel_booking(tx, &booking.id, to_db_time(now))?;
    pin::revoke_pin(tx, &booking.id)?;
    let cancelled = access::find_booking(tx, &booking.id)?.ok_or(ServiceError::NotFound)?;
    if let Some(user_id) = &cancelled.user_id
        && let Some(user) = users::find_user(tx, user_id)?
    {
        let was_pending = booking.status == BookingStatus::Pending;
        let why = booking_mail::CancelReason::Catalogue(SPACE_DISABLED_REASON);
        booking_mail::enqueue_ended_by_hub(tx, ctx, &user, &cancelled, was_pending, why, now)?;
    }
    tracing::info!(booking.id = %booking.id, "booking cancelled: space disabled");
    Ok(())
}

/// Makes a disabled space bookable again.
///
/// # Errors
/// `NotFound` outside the caller's scope or for another hub's space.
pub fn enable(
    tx: &mut UnitOfWork<'_>,
    staff: Staff<'_>,
    hub: &str,
    space_id: &SpaceId,
    now: DateTime<Utc>,
) -> Result<Space, ServiceError> {
    let (hub, space) = find(tx, staff, hub, space_id)?;
    tx.write_transaction(|tx| {
        catalog::set_space_enabled(tx, &space.id, true)?;
        record(tx, staff, &hub, &space.name, "space_enabled", "enabled".to_owned(), now)
    })?;
    Ok(Space { enabled: true, ..space })
}

/// The rules of a new space in one line, for the audit trail.
fn rules_text(space: &Space) -> String {
    format!(
        "kind: {}; capacity: {}; unit: {}; slot/min/max minutes: {}/{}/{}; days ahead: {}; approval: {}; position: {}",
        space.kind,
        space.capacity,
        space.booking_unit,
        space.slot_minutes,
        space.min_minutes,
        space.max_minutes,
        space.max_days_ahead,
        space.approval_required,
        space.position
    )
}

/// Check-in modes for the audit trail: as stored, `none` for none.
fn modes_text(modes: CheckInModes) -> String {
    if modes.is_empty() { "none".to_owned() } else { modes.as_stored() }
}

/// The order spaces are listed in, to members (the day view) and staff (the console) alike: by
/// the position staff set, lower first; then desks, rooms, equipment; within
/// a kind by name in natural order.
pub fn display_order(a: &Space, b: &Space) -> Ordering {
    let rank = |kind: SpaceKind| match kind {
        SpaceKind::Desk => 0,
        SpaceKind::Room => 1,
        SpaceKind::Equipment => 2,
    };
    a.position
        .cmp(&b.position)
        .then_with(|| rank(a.kind).cmp(&rank(b.kind)))
        .then_with(|| natural_key(&a.name).cmp(&natural_key(&b.name)))
        .then_with(|| a.name.cmp(&b.name))
}

/// A piece of a name: digits compare as numbers, so "Arbeitsplatz 2" comes before
/// "Arbeitsplatz 10". Numbers sort before text, as people expect from "1a" and "A".
#[derive(Debug, PartialEq, Eq, PartialOrd, Ord)]
enum NamePart {
    /// Without leading zeros, compared by length first: no overflow on long digit runs.
    Number(usize, String),
    Text(String),
}

fn natural_key(name: &str) -> Vec<NamePart> {
    let mut parts = Vec::new();
    let mut chars = name.chars().peekable();
    while let Some(&first) = chars.peek() {
        let digit = first.is_ascii_digit();
        let mut piece = String::new();
        while let Some(&c) = chars.peek() {
            if c.is_ascii_digit() != digit {
                break;
            }
            piece.push(c);
            chars.next();
        }
        if digit {
            let trimmed = piece.trim_start_matches('0').to_owned();
            parts.push(NamePart::Number(trimmed.len(), trimmed));
        } else {
            parts.push(NamePart::Text(piece.to_lowercase()));
        }
    }
    parts
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::ids::{HubId, SpaceId};
    use crate::domain::vocabulary::BookingUnit;

    fn sorted(names: &[&str]) -> Vec<String> {
        let mut names: Vec<String> = names.iter().map(|n| (*n).to_owned()).collect();
        names.sort_by(|a, b| natural_key(a).cmp(&natural_key(b)).then_with(|| a.cmp(b)));
        names
    }

    #[test]
    fn numbers_in_names_sort_by_value() {
        assert_eq!(
            sorted(&["Arbeitsplatz 10", "Arbeitsplatz 2", "Arbeitsplatz 1", "Arbeitsplatz 9"]),
            ["Arbeitsplatz 1", "Arbeitsplatz 2", "Arbeitsplatz 9", "Arbeitsplatz 10"]
        );
    }

    #[test]
    fn text_ignores_case_and_leading_zeros_do_not_matter() {
        assert_eq!(sorted(&["raum B", "Raum a", "Platz 010", "Platz 9"]), ["Platz 9", "Platz 010", "Raum a", "raum B"]);
        assert_eq!(sorted(&["Tisch 2b", "Tisch 2a", "Tisch 12"]), ["Tisch 2a", "Tisch 2b", "Tisch 12"]);
    }

    #[test]
    fn long_digit_runs_do_not_overflow() {
        assert_eq!(
            sorted(&["Nr 123456789012345678901234567890", "Nr 5"]),
            ["Nr 5", "Nr 123456789012345678901234567890"]
        );
    }

    #[test]
    fn the_position_staff_set_comes_before_kind_and_name() {
        let at = chrono::NaiveDateTime::default();
        let space = |name: &str, kind: SpaceKind, position: i32| Space {
            id: SpaceId::new(name),
            hub_id: HubId::new("h"),
            name: name.into(),
            kind,
            capacity: 1,
            enabled: true,
            booking_unit: BookingUnit::Hourly,
            slot_minutes: 30,
            min_minutes: 60,
            max_minutes: 240,
            max_days_ahead: 30,
            approval_required: false,
            created_at: at,
            position,
        };
        let mut listed = [
            space("Platz 10", SpaceKind::Desk, 0),
            space("Beamer", SpaceKind::Equipment, 0),
            space("Platz 2", SpaceKind::Desk, 0),
            space("Raum", SpaceKind::Room, 5),
        ];
        listed.sort_by(display_order);
        let names: Vec<&str> = listed.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["Platz 2", "Platz 10", "Beamer", "Raum"]);
        listed[3].position = -1;
        listed.sort_by(display_order);
        assert_eq!(listed[0].name, "Raum");
    }
}
