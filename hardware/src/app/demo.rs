//! `regiohub-bridge demo-snapshot`: writes an access snapshot holding one booking for a PIN
//! (and, if given, a registered NFC card), so the bridge can be tried on one machine without
//! the central service. The first door of
//! the configuration becomes the hub's entrance; every other door leads to the space of the
//! same name, and the booking is for the second door's space (or a desk behind the entrance).

use std::path::Path;

use chrono::{DateTime, TimeDelta, Utc};

use crate::config::BridgeConfig;
use crate::protocol::{
    AccessSnapshot, BookingId, BookingStatus, DoorId, HubId, SnapshotDoor, SnapshotGrant, SpaceId, card_verifier,
    pin_verifier,
};

/// The demo booking's id, as it appears in events.
pub const DEMO_BOOKING: &str = "demo-booking";

/// How long the demo booking runs from now; the snapshot's age limit may end it earlier.
const DEMO_LENGTH: TimeDelta = TimeDelta::days(30);

/// A PIN the door controllers' mailbox accepts: 4–16 ASCII digits.
#[must_use]
pub fn is_valid_pin(pin: &str) -> bool {
    (4..=16).contains(&pin.len()) && pin.bytes().all(|b| b.is_ascii_digit())
}

/// The one-booking snapshot for `config`'s doors, built at `now`. With `card` (UID bytes from
/// `protocol::card_uid_bytes`) the booking gets a second grant for that card, as the central
/// service adds one for a member's registered card.
#[must_use]
pub fn demo_snapshot(
    config: &BridgeConfig,
    hub_key: &[u8],
    pin: &str,
    card: Option<&[u8]>,
    now: DateTime<Utc>,
) -> AccessSnapshot {
    let doors: Vec<SnapshotDoor> = config
        .doors
        .iter()
        .enumerate()
        .map(|(index, door)| SnapshotDoor {
            disabled: false,
            id: DoorId::new(door.id.clone()),
            entrance: index == 0,
            space_ids: if index == 0 { Vec::new() } else { vec![SpaceId::new(door.id.clone())] },
        })
        .collect();
    let space = doors.get(1).and_then(|door| door.space_ids.first().cloned()).unwrap_or_else(|| SpaceId::new("desk"));
    AccessSnapshot {
        lockdown: false,
        hub_id: HubId::new(config.bridge.hub_id.clone()),
        version: u64::try_from(now.timestamp()).unwrap_or(0),
        generated_at: now,
        grace_period_s: 900,
        doors,
        grants: std::iter::once(pin_verifier(hub_key, pin))
            .chain(card.map(|uid| card_verifier(hub_key, uid)))
            .map(|credential_verifier| SnapshotGrant {
                booking_id: BookingId::new(DEMO_BOOKING),
                space_id: space.clone(),
                credential_verifier,
                valid_from: now - TimeDelta::hours(1),
                valid_until: now + DEMO_LENGTH,
                status: BookingStatus::Confirmed,
                user_active: true,
                revoked: false,
            })
            .collect(),
    }
}

/// Writes `snapshot` to `path` atomically (temporary file, sync, rename), so the running
/// bridge never reads half of it.
///
/// # Errors
/// The directory cannot be created or the file cannot be written.
pub fn write_snapshot(path: &Path, snapshot: &AccessSnapshot) -> std::io::Result<()> {
    let text = serde_json::to_vec_pretty(snapshot)?;
    crate::uplink::write_atomically(path, &text)
}
