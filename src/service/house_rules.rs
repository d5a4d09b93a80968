//! House rules and a booking's purpose, as the member meets them: which version of an operator's
//! house rules a member still has to accept, and the check every member booking passes (made in
//! `booking::create_booking`'s transaction, so no way of booking can skip it). Publishing a
//! version is the console's (`console::catalog::house_rules`).

use chrono::{DateTime, Utc};

use super::{ErrorCode, ServiceError, to_db_time};
use crate::db::DbConn;
use crate::db::catalog::{Hub, Space};
use crate::db::house_rules::{self as rows, AcceptanceRow, BookingPurposeRow, HouseRulesRow};
use crate::domain::booking_purpose::{PurposeRefusal, check_purpose};
use crate::domain::ids::{BookingId, OperatorId, SpaceId, UserId};

/// What a member says along with a booking besides the time: the house-rules version they
/// accept and, for rooms that ask, the purpose and head count. Empty for bookings made before
/// these existed (and for staff booking on behalf, who are exempt).
#[derive(Debug, Clone, Default)]
pub struct BookingTerms {
    /// The version of the operator's house rules the member accepts with this booking.
    pub accept_house_rules_version: Option<i32>,
    pub purpose: Option<String>,
    pub head_count: Option<i64>,
}

/// The operator's current house rules, if any were published.
///
/// # Errors
/// On a database error.
pub fn current(conn: &mut DbConn, operator_id: &OperatorId) -> Result<Option<HouseRulesRow>, ServiceError> {
    Ok(rows::current(conn, operator_id)?)
}

/// The current version when the member has not accepted it yet; `None` when there is nothing
/// to accept (no house rules, or accepted).
///
/// # Errors
/// On a database error.
pub fn to_accept(
    conn: &mut DbConn,
    user_id: &UserId,
    operator_id: &OperatorId,
) -> Result<Option<HouseRulesRow>, ServiceError> {
    match rows::current(conn, operator_id)? {
        Some(rules) if !rows::has_accepted(conn, user_id, operator_id, rules.version)? => Ok(Some(rules)),
        _ => Ok(None),
    }
}

/// Whether the space asks for a purpose and a head count.
///
/// # Errors
/// On a database error.
pub fn asks_purpose(conn: &mut DbConn, space_id: &SpaceId) -> Result<bool, ServiceError> {
    Ok(rows::asks_purpose(conn, space_id)?)
}

/// A booking's purpose as the hub's staff see it.
#[derive(Debug, Clone)]
pub struct Purpose {
    pub purpose: String,
    pub head_count: i32,
}

/// The purposes of these bookings (only those that have one), for staff pages.
///
/// # Errors
/// On a database error.
pub fn purposes_of(conn: &mut DbConn, booking_ids: &[BookingId]) -> Result<Vec<(BookingId, Purpose)>, ServiceError> {
    Ok(rows::purposes_of(conn, booking_ids)?
        .into_iter()
        .map(|row| (row.booking_id, Purpose { purpose: row.purpose, head_count: row.head_count }))
        .collect())
}

/// A member's booking terms, checked inside the booking's transaction before the booking is
/// written: the current house rules must be accepted before or now (an acceptance is stored
/// here, so it stays only if the booking does), and a space that asks must get a usable purpose
/// and head count. Returns the purpose to store with the booking ([`store_purpose`]).
///
/// # Errors
/// `Invalid` with `house_rules_not_accepted` (naming the current version) or a purpose code;
/// `Db`.
pub fn check_terms(
    conn: &mut DbConn,
    user_id: &UserId,
    space: &Space,
    hub: &Hub,
    terms: &BookingTerms,
    now: DateTime<Utc>,
) -> Result<Option<Purpose>, ServiceError> {
    if let Some(rules) = to_accept(conn, user_id, &hub.operator_id)? {
        if terms.accept_house_rules_version != Some(rules.version) {
            return Err(ServiceError::Invalid {
                field: "accept_house_rules_version",
                code: ErrorCode::HouseRulesNotAccepted,
                message: format!(
                    "Accept version {} of the operator's house rules (accept_house_rules_version: {}) to book here.",
                    rules.version, rules.version
                ),
            });
        }
        rows::insert_acceptance(
            conn,
            &AcceptanceRow {
                user_id: user_id.clone(),
                operator_id: hub.operator_id.clone(),
                version: rules.version,
                accepted_at: to_db_time(now),
            },
        )?;
    }
    if !rows::asks_purpose(conn, &space.id)? {
        return Ok(None);
    }
    match check_purpose(terms.purpose.as_deref().unwrap_or(""), terms.head_count, space.capacity) {
        Ok((purpose, head_count)) => Ok(Some(Purpose { purpose, head_count })),
        Err(refusal) => Err(purpose_refused(refusal, space.capacity)),
    }
}

/// Stores the purpose checked by [`check_terms`] with the booking just written.
///
/// # Errors
/// On a database error.
pub fn store_purpose(conn: &mut DbConn, booking_id: &BookingId, purpose: &Purpose) -> Result<(), ServiceError> {
    let row = BookingPurposeRow {
        booking_id: booking_id.clone(),
        purpose: purpose.purpose.clone(),
        head_count: purpose.head_count,
    };
    Ok(rows::insert_purpose(conn, &row)?)
}

fn purpose_refused(refusal: PurposeRefusal, capacity: i32) -> ServiceError {
    let (code, message) = match refusal {
        PurposeRefusal::Missing => (ErrorCode::PurposeMissing, "This room asks what the booking is for.".to_owned()),
        PurposeRefusal::TooLong => (ErrorCode::PurposeTooLong, "The purpose may be at most 200 characters.".to_owned()),
        PurposeRefusal::ControlCharacters => {
            (ErrorCode::PurposeControlCharacters, "The purpose must not contain control characters.".to_owned())
        }
        PurposeRefusal::HeadCount => {
            (ErrorCode::HeadCountOutOfRange, format!("The head count must be from 1 to {}.", capacity.max(1)))
        }
    };
    ServiceError::Invalid { field: refusal.field(), code, message }
}
