//! Service level: Polch's operator publishes house rules (version 1, by Polch's manager) and
//! Polch's Besprechungsraum asks for a purpose and head count, so the demo shows both. Seeded
//! after the demo's bookings, as if the rules came later: the demo member is asked to accept
//! them with their next booking in Polch.

use chrono::{DateTime, Utc};

use super::door_bridge::DEMO_DOOR_HUB;
use super::logins::DEMO_LOGINS;
use crate::db::house_rules::{self as rows, HouseRulesRow};
use crate::db::{self, DbConn, catalog, users};
use crate::service::{ServiceError, to_db_time};

/// The house rules of the Verbandsgemeinde Maifeld's hub, in German as operators write them.
const POLCH_HOUSE_RULES: &str = "Willkommen im RegioHub Polch! Damit sich alle wohlfühlen, gelten diese Regeln.\n\n\
1. Bitte verlassen Sie Ihren Platz so, wie Sie ihn vorgefunden haben.\n\
2. Telefonate und Videokonferenzen bitte im Besprechungsraum.\n\
3. Die Tür schließt von selbst: Bitte keine Personen ohne Buchung einlassen.\n\n\
Bei Fragen: Verbandsgemeinde Maifeld, Tel. 02654 4004-0.";

/// Publishes Polch's house rules and lets its meeting room ask for a purpose; does nothing when
/// Polch or its room is missing.
///
/// # Errors
/// On a database error.
pub fn seed_demo_house_rules(conn: &mut DbConn, now: DateTime<Utc>) -> Result<(), ServiceError> {
    let Some(hub) = catalog::find_hub(conn, DEMO_DOOR_HUB)? else { return Ok(()) };
    let manager = users::find_user_by_email(conn, DEMO_LOGINS[1].email)?.map(|u| u.id);
    let room = catalog::list_spaces(conn, &hub.id)?.into_iter().find(|s| s.name == "Besprechungsraum Maifeld");
    db::write_transaction(conn, |conn| {
        rows::insert_version(
            conn,
            &HouseRulesRow {
                operator_id: hub.operator_id.clone(),
                version: 1,
                body: POLCH_HOUSE_RULES.to_owned(),
                published_at: to_db_time(now),
                published_by: manager,
            },
        )?;
        if let Some(room) = &room {
            rows::set_asks_purpose(conn, &room.id, true)?;
        }
        Ok::<(), ServiceError>(())
    })
}
