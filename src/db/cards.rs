//! Rows and queries of door cards: an NFC card registered for a member at one hub, stored as the
//! keyed verifier of its UID (never the UID) with the UID's last characters to tell cards apart;
//! and the bookings a card opens the door for. Who may register or revoke is decided in
//! `service::cards`.

use crate::domain::ids::{HubId, UserId};
use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::access::GrantRow;
use super::bookings::{overlapping, pin_holding};
use super::schema::{bookings, cards, hubs, spaces, users};
use super::{DbConn, DbError};

/// A card registered for a member at a hub. `revoked_at` set means it opens nothing any more.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = cards)]
pub struct Card {
    pub id: String,
    pub hub_id: HubId,
    pub user_id: UserId,
    pub verifier: String,
    pub label: String,
    /// The last 4 hex characters of the UID, to tell the member's cards apart.
    pub uid_hint: String,
    pub created_by: Option<UserId>,
    pub created_at: NaiveDateTime,
    pub revoked_at: Option<NaiveDateTime>,
}

/// A hub's active card with its holder's name and e-mail address.
pub type CardWithHolder = (Card, String, String);

/// A member's active card with the name of its hub.
pub type CardWithHub = (Card, String);

/// Stores a card; `false` when the hub already has an active card with this verifier (the
/// unique index decides, so two registrations at once cannot both win).
///
/// # Errors
/// On any other database error.
pub fn insert_card(conn: &mut DbConn, card: &Card) -> Result<bool, DbError> {
    match diesel::insert_into(cards::table).values(card).execute(conn) {
        Ok(_) => Ok(true),
        Err(diesel::result::Error::DatabaseError(diesel::result::DatabaseErrorKind::UniqueViolation, _)) => Ok(false),
        Err(error) => Err(error.into()),
    }
}

/// Whether the hub has an active card with this verifier.
///
/// # Errors
/// On a database error.
pub fn active_verifier_taken(conn: &mut DbConn, hub_id: &HubId, verifier: &str) -> Result<bool, DbError> {
    let found: i64 = cards::table
        .filter(cards::hub_id.eq(hub_id))
        .filter(cards::verifier.eq(verifier))
        .filter(cards::revoked_at.is_null())
        .count()
        .get_result(conn)?;
    Ok(found > 0)
}

/// The card with this id, if any.
///
/// # Errors
/// On a database error.
pub fn find_card(conn: &mut DbConn, card_id: &str) -> Result<Option<Card>, DbError> {
    Ok(cards::table.find(card_id).select(Card::as_select()).first(conn).optional()?)
}

/// The hub's active cards with their holders, by holder's name.
///
/// # Errors
/// On a database error.
pub fn hub_cards(conn: &mut DbConn, hub_id: &HubId) -> Result<Vec<CardWithHolder>, DbError> {
    Ok(cards::table
        .inner_join(users::table.on(users::id.eq(cards::user_id)))
        .filter(cards::hub_id.eq(hub_id))
        .filter(cards::revoked_at.is_null())
        .order((users::name.asc(), cards::created_at.asc(), cards::id.asc()))
        .select((Card::as_select(), users::name, users::email))
        .load(conn)?)
}

/// The member's active cards with their hubs' names, by hub.
///
/// # Errors
/// On a database error.
pub fn user_cards(conn: &mut DbConn, user_id: &UserId) -> Result<Vec<CardWithHub>, DbError> {
    Ok(cards::table
        .inner_join(hubs::table)
        .filter(cards::user_id.eq(user_id))
        .filter(cards::revoked_at.is_null())
        .order((hubs::name.asc(), cards::created_at.asc(), cards::id.asc()))
        .select((Card::as_select(), hubs::name))
        .load(conn)?)
}

/// Revokes an active card; returns whether it was active.
///
/// # Errors
/// On a database error.
pub fn revoke_card(conn: &mut DbConn, card_id: &str, at: NaiveDateTime) -> Result<bool, DbError> {
    Ok(diesel::update(cards::table.find(card_id).filter(cards::revoked_at.is_null()))
        .set(cards::revoked_at.eq(Some(at)))
        .execute(conn)?
        > 0)
}

/// For every active card at the hub, its holder's bookings holding a PIN whose window
/// `[start - grace, end)` meets `[from, until)` — the same bookings as
/// [`grant_rows`](super::access::grant_rows) — with the card's verifier in place of the PIN's.
///
/// # Errors
/// On a database error.
pub fn card_grant_rows(
    conn: &mut DbConn,
    hub_id: &HubId,
    grace: chrono::Duration,
    from: NaiveDateTime,
    until: NaiveDateTime,
) -> Result<Vec<GrantRow>, DbError> {
    Ok(bookings::table
        .inner_join(spaces::table)
        .inner_join(
            cards::table.on(cards::user_id.nullable().eq(bookings::user_id).and(cards::hub_id.eq(spaces::hub_id))),
        )
        .inner_join(users::table.on(users::id.eq(cards::user_id)))
        .filter(spaces::hub_id.eq(hub_id))
        .filter(cards::revoked_at.is_null())
        .filter(pin_holding())
        .filter(bookings::pin_verifier.is_not_null())
        .filter(overlapping(from, until + grace))
        .order((bookings::id.asc(), cards::verifier.asc()))
        .select((
            bookings::id,
            bookings::space_id,
            bookings::start_at,
            bookings::end_at,
            bookings::status,
            cards::verifier.nullable(),
            users::status.nullable(),
        ))
        .load(conn)?)
}
