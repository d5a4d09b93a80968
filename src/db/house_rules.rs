//! Rows and queries for operators' house rules (one row per published version, never edited),
//! members' acceptances of a version, and a booking's purpose and head count with the spaces
//! that ask for them. No rules here: which version counts and what is valid is the service's.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::{booking_purposes, house_rule_acceptances, house_rules, spaces_asking_purpose};
use super::{DbConn, DbError};
use crate::domain::ids::{BookingId, OperatorId, SpaceId, UserId};

/// One published version of an operator's house rules.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = house_rules)]
pub struct HouseRulesRow {
    pub operator_id: OperatorId,
    pub version: i32,
    pub body: String,
    pub published_at: NaiveDateTime,
    pub published_by: Option<UserId>,
}

/// A member's acceptance of one version.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = house_rule_acceptances)]
pub struct AcceptanceRow {
    pub user_id: UserId,
    pub operator_id: OperatorId,
    pub version: i32,
    pub accepted_at: NaiveDateTime,
}

/// What a booking is for and how many people come.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = booking_purposes)]
pub struct BookingPurposeRow {
    pub booking_id: BookingId,
    pub purpose: String,
    pub head_count: i32,
}

/// The operator's newest version, if any was published.
///
/// # Errors
/// On a database error.
pub fn current(conn: &mut DbConn, operator_id: &OperatorId) -> Result<Option<HouseRulesRow>, DbError> {
    Ok(house_rules::table
        .filter(house_rules::operator_id.eq(operator_id))
        .order(house_rules::version.desc())
        .select(HouseRulesRow::as_select())
        .first(conn)
        .optional()?)
}

/// Every version of the operator's house rules, newest first.
///
/// # Errors
/// On a database error.
pub fn history(conn: &mut DbConn, operator_id: &OperatorId) -> Result<Vec<HouseRulesRow>, DbError> {
    Ok(house_rules::table
        .filter(house_rules::operator_id.eq(operator_id))
        .order(house_rules::version.desc())
        .select(HouseRulesRow::as_select())
        .load(conn)?)
}

/// # Errors
/// On a database error (a version taken meanwhile is a primary-key violation).
pub fn insert_version(conn: &mut DbConn, row: &HouseRulesRow) -> Result<(), DbError> {
    diesel::insert_into(house_rules::table).values(row).execute(conn)?;
    Ok(())
}

/// Whether the user accepted this version of the operator's house rules.
///
/// # Errors
/// On a database error.
pub fn has_accepted(
    conn: &mut DbConn,
    user_id: &UserId,
    operator_id: &OperatorId,
    version: i32,
) -> Result<bool, DbError> {
    let found: i64 = house_rule_acceptances::table
        .filter(house_rule_acceptances::user_id.eq(user_id))
        .filter(house_rule_acceptances::operator_id.eq(operator_id))
        .filter(house_rule_acceptances::version.eq(version))
        .count()
        .get_result(conn)?;
    Ok(found > 0)
}

/// # Errors
/// On a database error.
pub fn insert_acceptance(conn: &mut DbConn, row: &AcceptanceRow) -> Result<(), DbError> {
    diesel::insert_into(house_rule_acceptances::table).values(row).execute(conn)?;
    Ok(())
}

/// Whether the space asks for a purpose and a head count.
///
/// # Errors
/// On a database error.
pub fn asks_purpose(conn: &mut DbConn, space_id: &SpaceId) -> Result<bool, DbError> {
    let found: i64 =
        spaces_asking_purpose::table.filter(spaces_asking_purpose::space_id.eq(space_id)).count().get_result(conn)?;
    Ok(found > 0)
}

/// Switches the space's question for a purpose on or off.
///
/// # Errors
/// On a database error.
pub fn set_asks_purpose(conn: &mut DbConn, space_id: &SpaceId, asks: bool) -> Result<(), DbError> {
    diesel::delete(spaces_asking_purpose::table.filter(spaces_asking_purpose::space_id.eq(space_id))).execute(conn)?;
    if asks {
        diesel::insert_into(spaces_asking_purpose::table)
            .values(spaces_asking_purpose::space_id.eq(space_id))
            .execute(conn)?;
    }
    Ok(())
}

/// # Errors
/// On a database error.
pub fn insert_purpose(conn: &mut DbConn, row: &BookingPurposeRow) -> Result<(), DbError> {
    diesel::insert_into(booking_purposes::table).values(row).execute(conn)?;
    Ok(())
}

/// The purposes of these bookings (those that have one).
///
/// # Errors
/// On a database error.
pub fn purposes_of(conn: &mut DbConn, booking_ids: &[BookingId]) -> Result<Vec<BookingPurposeRow>, DbError> {
    if booking_ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(booking_purposes::table
        .filter(booking_purposes::booking_id.eq_any(booking_ids.to_vec()))
        .select(BookingPurposeRow::as_select())
        .load(conn)?)
}
