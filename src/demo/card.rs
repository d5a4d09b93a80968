//! Service level: the demo member's door card at Polch, so the demo's keypad page can hold a card
//! to the reader. The UID is public by design (the keypad page offers it); like every card, only its
//! keyed verifier is stored. Never seed it into a real system.

use chrono::{DateTime, Utc};
use regiohub_hardware::protocol::{card_uid_bytes, card_verifier};

use super::door_bridge::DEMO_DOOR_HUB;
use super::logins::DEMO_LOGINS;
use crate::db::cards::{self as rows, Card};
use crate::db::{self, DbConn, catalog, users};
use crate::service::ErrorCode;
use crate::service::cards::uid_hint;
use crate::service::{ServiceContext, ServiceError, to_db_time};

/// The UID of the demo member's card, as a reader shows it.
pub const DEMO_CARD_UID: &str = "04:DE:30:C4:7A:51:80";

/// Registers [`DEMO_CARD_UID`] for the demo member at the demo's door hub, unless a card with
/// it is active there already. Returns whether it registered one.
///
/// # Errors
/// On a database failure.
pub fn seed_demo_card(conn: &mut DbConn, ctx: &ServiceContext, now: DateTime<Utc>) -> Result<bool, ServiceError> {
    let (Some(hub), Some(member)) =
        (catalog::find_hub(conn, DEMO_DOOR_HUB)?, users::find_user_by_email(conn, DEMO_LOGINS[0].email)?)
    else {
        return Ok(false);
    };
    let uid = card_uid_bytes(DEMO_CARD_UID).map_err(|e| ServiceError::Invalid {
        field: "uid",
        code: ErrorCode::InvalidCardUid,
        message: e.to_string(),
    })?;
    let card = Card {
        id: db::new_id(),
        hub_id: hub.id.clone(),
        user_id: member.id,
        verifier: card_verifier(&ctx.secret.hub_pin_key(&hub.id), &uid),
        label: "Demo-Karte".to_owned(),
        uid_hint: uid_hint(&uid),
        created_by: None,
        created_at: to_db_time(now),
        revoked_at: None,
    };
    db::write_transaction(conn, |conn| {
        if rows::active_verifier_taken(conn, &hub.id, &card.verifier)? {
            return Ok(false);
        }
        Ok(rows::insert_card(conn, &card)?)
    })
}
