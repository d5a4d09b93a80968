//! Door cards: a hub manager registers a member's NFC card at their hub, and the card then opens
//! the doors that member's PIN opens, for the same bookings and windows (the snapshot carries a
//! second grant per booking with the card's verifier). The UID is read by the one function the
//! bridge uses (`protocol::card_uid_bytes`) and stored only as its keyed verifier under the
//! hub's PIN key (`protocol::card_verifier`), with the UID's last 4 hex characters to tell cards
//! apart; it is never logged. The member sees and can revoke their cards on their account page,
//! the hub's managers in the console. Every change bumps the hub's snapshot.

use chrono::{DateTime, Utc};
use regiohub_hardware::protocol::{CardUidError, card_uid_bytes, card_verifier};

use super::console::audit::{self, Change};
use super::console::catalog::{CatalogError, Problems, Staff};
use super::{ServiceError, to_db_time};
use crate::db::cards::{self as rows, Card, CardWithHolder, CardWithHub};
use crate::db::catalog::Hub;
use crate::db::users as user_rows;
use crate::db::{self, DbConn};
use crate::domain::email::EmailAddress;
use crate::domain::ids::UserId;
use crate::secrets::SecretKey;
use crate::service::UnitOfWork;

/// The longest label of a card.
pub const MAX_LABEL_CHARS: usize = 60;

/// The card form as typed.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct CardInput {
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub uid: String,
    #[serde(default)]
    pub label: String,
}

/// The hub's active cards, for the console.
#[derive(Debug, Clone)]
pub struct CardsOfHub {
    pub hub: Hub,
    pub cards: Vec<CardWithHolder>,
}

/// The hub's active cards with their holders.
///
/// # Errors
/// `NotFound` outside the caller's scope; on a database error.
pub fn list(conn: &mut DbConn, staff: Staff<'_>, hub: &str) -> Result<CardsOfHub, ServiceError> {
    let hub = staff.scope.hub(conn, hub)?;
    let cards = rows::hub_cards(conn, &hub.id)?;
    Ok(CardsOfHub { hub, cards })
}

/// The last 4 hex characters of the UID, upper case: enough to tell a member's cards apart,
/// far too little to rebuild the UID.
pub(crate) fn uid_hint(uid: &[u8]) -> String {
    let hex = hex::encode_upper(uid);
    hex[hex.len().saturating_sub(4)..].to_owned()
}

/// The code of the form problem for an unreadable UID.
fn uid_problem(error: CardUidError) -> &'static str {
    match error {
        CardUidError::Empty => "uid-required",
        CardUidError::NotHex => "uid-not-hex",
        CardUidError::WrongLength(_) => "uid-length",
    }
}

/// Registers a card for the person with the form's e-mail address at the hub.
///
/// # Errors
/// `NotFound` outside the scope; `Invalid` with the form's problems: `email` (unreadable, no
/// such account, blocked), `uid` (unreadable, already an active card at the hub), `label` (too
/// long).
pub fn register(
    tx: &mut UnitOfWork<'_>,
    secret: &SecretKey,
    staff: Staff<'_>,
    hub: &str,
    input: &CardInput,
    now: DateTime<Utc>,
) -> Result<Card, CatalogError> {
    tx.write_transaction(|tx| {
        let hub = staff.scope.hub(tx, hub)?;
        let mut problems = Problems::default();
        let holder = match EmailAddress::parse(&input.email) {
            Err(_) => {
                problems.add("email", "email-invalid");
                None
            }
            Ok(email) => match user_rows::find_user_by_email(tx, email.as_str())? {
                None => {
                    problems.add("email", "email-unknown");
                    None
                }
                Some(user) if !user.status.opens_doors() => {
                    problems.add("email", "person-blocked");
                    None
                }
                Some(user) => Some(user),
            },
        };
        let verifier = match card_uid_bytes(&input.uid) {
            Err(error) => {
                problems.add("uid", uid_problem(error));
                None
            }
            Ok(uid) => {
                let verifier = card_verifier(&secret.hub_pin_key(&hub.id), &uid);
                if rows::active_verifier_taken(tx, &hub.id, &verifier)? {
                    problems.add("uid", "uid-taken");
                }
                Some((verifier, uid_hint(&uid)))
            }
        };
        let label = input.label.trim();
        if label.chars().count() > MAX_LABEL_CHARS {
            problems.add("label", "label-too-long");
        }
        problems.finish()?;
        let (Some(holder), Some((verifier, uid_hint))) = (holder, verifier) else {
            return Err(CatalogError::field("uid", "uid-required"));
        };
        let card = Card {
            id: db::new_id(),
            hub_id: hub.id.clone(),
            user_id: holder.id.clone(),
            verifier,
            label: label.to_owned(),
            uid_hint,
            created_by: Some(staff.user_id.clone()),
            created_at: to_db_time(now),
            revoked_at: None,
        };
        if !rows::insert_card(tx, &card)? {
            // Another registration of the same card won the race.
            return Err(CatalogError::field("uid", "uid-taken"));
        }
        let change = Change {
            actor_id: staff.user_id,
            hub_id: Some(&hub.id),
            action: "card_registered",
            subject: &holder.name,
            details: format!("card …{}; label: {:?}", card.uid_hint, card.label),
        };
        audit::record(tx, change, now)?;
        tx.access_changed(&hub.id);
        tracing::info!(card.id = %card.id, hub.id = %hub.id, "door card registered");
        Ok(card)
    })
}

/// Revokes one of the hub's cards.
///
/// # Errors
/// `NotFound` outside the scope, for another hub's card or one already revoked.
pub fn revoke_by_staff(
    tx: &mut UnitOfWork<'_>,
    staff: Staff<'_>,
    hub: &str,
    card_id: &str,
    now: DateTime<Utc>,
) -> Result<Card, ServiceError> {
    tx.write_transaction(|tx| {
        let hub = staff.scope.hub(tx, hub)?;
        let card = rows::find_card(tx, card_id)?.ok_or(ServiceError::NotFound)?;
        staff.scope.require_in(&card.hub_id, &hub)?;
        revoke(tx, &card, staff.user_id, now)?;
        Ok(card)
    })
}

/// The member's active cards with their hubs, for the account page.
///
/// # Errors
/// On a database error.
pub fn member_cards(conn: &mut DbConn, user_id: &UserId) -> Result<Vec<CardWithHub>, ServiceError> {
    Ok(rows::user_cards(conn, user_id)?)
}

/// The member revokes one of their own cards (a lost card).
///
/// # Errors
/// `NotFound` for someone else's card or one already revoked.
pub fn revoke_own(
    tx: &mut UnitOfWork<'_>,
    user_id: &UserId,
    card_id: &str,
    now: DateTime<Utc>,
) -> Result<Card, ServiceError> {
    tx.write_transaction(|tx| {
        let card = rows::find_card(tx, card_id)?.filter(|c| c.user_id == *user_id).ok_or(ServiceError::NotFound)?;
        revoke(tx, &card, user_id, now)?;
        Ok(card)
    })
}

/// Revokes an active card with its audit entry, and tells the hub's bridges.
fn revoke(tx: &mut UnitOfWork<'_>, card: &Card, actor_id: &UserId, now: DateTime<Utc>) -> Result<(), ServiceError> {
    if !rows::revoke_card(tx, &card.id, to_db_time(now))? {
        return Err(ServiceError::NotFound);
    }
    let holder = user_rows::find_user(tx, &card.user_id)?.map(|u| u.name).unwrap_or_default();
    let change = Change {
        actor_id,
        hub_id: Some(&card.hub_id),
        action: "card_revoked",
        subject: &holder,
        details: format!("card …{}; label: {:?}", card.uid_hint, card.label),
    };
    audit::record(tx, change, now)?;
    tx.access_changed(&card.hub_id);
    tracing::info!(card.id = %card.id, hub.id = %card.hub_id, "door card revoked");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_hint_is_the_last_four_hex_characters() {
        assert_eq!(uid_hint(&[0x04, 0xa2, 0xff, 0x10]), "FF10");
        assert_eq!(uid_hint(&[0x01]), "01");
    }
}
