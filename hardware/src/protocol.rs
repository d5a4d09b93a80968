//! Types shared by the web service and the bridge: the access snapshot the bridge pulls, the
//! request and decision of the door rule, the events the bridge pushes back, and the one
//! function that turns a PIN into the verifier both sides store and compare.
//!
//! Only plain serde types and pure functions belong here; nothing that needs tokio or Modbus.

use std::fmt;
use std::time::Duration;

use chrono::{DateTime, Utc};
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;
use subtle::ConstantTimeEq;

pub use crate::vocabulary::{BookingId, BookingStatus, DoorId, HubId, SpaceId};

/// Everything the bridge needs to decide at the door without asking the central service,
/// so that booked members still get in while the uplink is down.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessSnapshot {
    pub hub_id: HubId,
    /// Increases with every snapshot the central service builds; lets the bridge ignore older ones.
    pub version: u64,
    /// When the central service built it; the bridge refuses to decide on a snapshot that is too old.
    pub generated_at: DateTime<Utc>,
    /// How long before a booking starts its credential already opens the door.
    pub grace_period_s: u32,
    /// The hub is in lockdown: every door refuses everything but the bridge's maintenance
    /// credentials. Absent in snapshots of older services, hence the default.
    #[serde(default)]
    pub lockdown: bool,
    pub doors: Vec<SnapshotDoor>,
    pub grants: Vec<SnapshotGrant>,
}

impl AccessSnapshot {
    /// The door with this id, if the snapshot knows it.
    pub fn door(&self, id: &DoorId) -> Option<&SnapshotDoor> {
        self.doors.iter().find(|door| &door.id == id)
    }
}

/// A door and the spaces behind it: a room door opens only for that room's bookings, an
/// entrance door for every booking at the hub.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SnapshotDoor {
    pub id: DoorId,
    pub entrance: bool,
    pub space_ids: Vec<SpaceId>,
    /// A manager disabled the door: it refuses every credential and remote unlock.
    #[serde(default)]
    pub disabled: bool,
}

impl SnapshotDoor {
    /// Whether a booking of `space` may pass this door.
    pub fn leads_to(&self, space: &SpaceId) -> bool {
        self.entrance || self.space_ids.iter().any(|id| id == space)
    }
}

/// One booking's right to open doors, as the bridge needs it: never the PIN itself, only its
/// verifier (see [`pin_verifier`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SnapshotGrant {
    pub booking_id: BookingId,
    pub space_id: SpaceId,
    /// Hex HMAC-SHA256 of the credential under the hub key; compared in constant time.
    pub credential_verifier: String,
    /// Booking start (UTC); the door opens from `valid_from - grace_period_s`.
    pub valid_from: DateTime<Utc>,
    /// Booking end (UTC), exclusive: the door no longer opens at this instant.
    pub valid_until: DateTime<Utc>,
    pub status: BookingStatus,
    pub user_active: bool,
    pub revoked: bool,
}

/// What was presented at the door.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CredentialKind {
    /// Digits typed at a keypad.
    Pin,
    /// A booking token, e.g. from a QR code.
    BookingToken,
    /// The UID of an NFC card.
    NfcUid,
    /// An unlock from the booking page by a signed-in member; the web service authenticated them.
    Remote,
}

/// The credential in the form the decision compares: a verifier, or for a remote unlock the
/// booking the authenticated member asked for.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "type", content = "value")]
pub enum Credential {
    Verifier(String),
    Booking(BookingId),
}

impl fmt::Debug for Credential {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Verifier(_) => f.write_str("Verifier(<redacted>)"),
            Self::Booking(id) => f.debug_tuple("Booking").field(id).finish(),
        }
    }
}

/// A request to open one door.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessRequest {
    pub door: DoorId,
    pub credential: Credential,
    pub kind: CredentialKind,
}

/// The answer of the door rule. A grant carries its own expiry so that it can never be
/// carried out late.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "decision")]
pub enum Decision {
    Grant {
        /// How long to energise the lock.
        pulse: Duration,
        /// The last instant at which the unlock may still be started.
        deadline: DateTime<Utc>,
        booking_id: BookingId,
    },
    Deny {
        reason: DenyReason,
    },
}

impl Decision {
    /// Whether the door may open.
    pub fn is_grant(&self) -> bool {
        matches!(self, Self::Grant { .. })
    }
}

/// Why a door stayed shut. The numeric codes appear in Modbus register 8 (`req_reason`) and
/// the string codes in JSON; both are a contract with third parties and never change meaning.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DenyReason {
    NoBooking,
    TooEarly,
    TooLate,
    WrongDoor,
    Revoked,
    LockedOut,
    ClockNotSynced,
    SnapshotTooOld,
    BadRequest,
    UserInactive,
    BookingNotActive,
    UnknownDoor,
    DoorDisabled,
    Lockdown,
    NoSnapshot,
    RemoteUnlockOffline,
}

impl DenyReason {
    /// Every reason, in code order; for documentation and tests.
    pub const ALL: [DenyReason; 16] = [
        Self::NoBooking,
        Self::TooEarly,
        Self::TooLate,
        Self::WrongDoor,
        Self::Revoked,
        Self::LockedOut,
        Self::ClockNotSynced,
        Self::SnapshotTooOld,
        Self::BadRequest,
        Self::UserInactive,
        Self::BookingNotActive,
        Self::UnknownDoor,
        Self::DoorDisabled,
        Self::Lockdown,
        Self::NoSnapshot,
        Self::RemoteUnlockOffline,
    ];

    /// The stable number a door controller reads in `req_reason` (0 means no reason: granted).
    pub fn code(self) -> u16 {
        match self {
            Self::NoBooking => 1,
            Self::TooEarly => 2,
            Self::TooLate => 3,
            Self::WrongDoor => 4,
            Self::Revoked => 5,
            Self::LockedOut => 6,
            Self::ClockNotSynced => 7,
            Self::SnapshotTooOld => 8,
            Self::BadRequest => 9,
            Self::UserInactive => 10,
            Self::BookingNotActive => 11,
            Self::UnknownDoor => 12,
            Self::DoorDisabled => 13,
            Self::Lockdown => 14,
            Self::NoSnapshot => 15,
            Self::RemoteUnlockOffline => 16,
        }
    }

    /// The reason for a numeric code, for tools that read registers.
    pub fn from_code(code: u16) -> Option<Self> {
        Self::ALL.into_iter().find(|reason| reason.code() == code)
    }

    /// The stable string code used in JSON and logs.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::NoBooking => "no_booking",
            Self::TooEarly => "too_early",
            Self::TooLate => "too_late",
            Self::WrongDoor => "wrong_door",
            Self::Revoked => "revoked",
            Self::LockedOut => "locked_out",
            Self::ClockNotSynced => "clock_not_synced",
            Self::SnapshotTooOld => "snapshot_too_old",
            Self::BadRequest => "bad_request",
            Self::UserInactive => "user_inactive",
            Self::BookingNotActive => "booking_not_active",
            Self::UnknownDoor => "unknown_door",
            Self::DoorDisabled => "door_disabled",
            Self::Lockdown => "lockdown",
            Self::NoSnapshot => "no_snapshot",
            Self::RemoteUnlockOffline => "remote_unlock_offline",
        }
    }
}

impl fmt::Display for DenyReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Something that happened at a door, for the audit trail the central service keeps. Never
/// carries a PIN or a verifier.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessEvent {
    /// Random 128-bit id in hex, so the central service can drop duplicates after a retry.
    pub id: String,
    pub at: DateTime<Utc>,
    pub door: DoorId,
    pub kind: AccessEventKind,
    pub booking_id: Option<BookingId>,
    /// True when the bridge decided from its cached snapshot without the central service.
    pub offline: bool,
}

/// The kinds of door events.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "type")]
pub enum AccessEventKind {
    /// A credential or remote unlock was accepted and an unlock command issued. The event's
    /// `booking_id` names the booking (check-in needs it), except for a staff-ordered opening
    /// ([`RemoteUnlock::booking_id`] `None`), where it is `None`; its `offline` flag says
    /// whether the bridge decided from its cached snapshot.
    Granted { cmd_seq: u16 },
    /// A configured maintenance credential opened the door because the bridge could not decide
    /// from bookings (no snapshot, snapshot too old, clock not synced) or bookings may not open
    /// it (lockdown, door disabled). For service staff only;
    /// `name` is the credential's name from the bridge configuration, never the PIN.
    MaintenanceGranted { name: String, cmd_seq: u16 },
    /// A credential was refused.
    Denied { reason: DenyReason },
    /// The controller acknowledged carrying out the unlock command.
    Executed { cmd_seq: u16 },
    /// The unlock command expired or was dropped without an acknowledgement.
    NotExecuted { cmd_seq: u16 },
    /// The door stayed open longer than allowed.
    HeldOpen,
    /// The door opened without a grant and without a request to exit.
    ForcedOpen,
    /// The door controller's heartbeat stopped changing.
    ControllerSilent,
    /// The door controller's heartbeat moves again.
    ControllerBack,
    /// The bridge's own field devices for this door stopped answering.
    FieldIoFault,
    /// Too many wrong PINs: the keypad is locked for this many seconds.
    LockedOut { seconds: u32 },
    /// A latched alarm ended and the central service had seen it.
    AlarmCleared { alarm: Alarm },
    /// A presence sensor's reading of a space changed. The event's `door` is a door that leads
    /// to the space; `space_id` is what counts.
    Presence { space_id: SpaceId, presence: PresenceState },
    /// The door's supervised state changed (from its contact or its controller).
    DoorState { state: DoorStateKind },
    /// What became of a remote unlock command: `executed` only once the controller or the
    /// relay confirmed the pulse; false when it was refused, expired or arrived offline.
    RemoteUnlockResult { command_id: String, executed: bool },
}

/// Occupancy of one space as a sensor reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PresenceState {
    Present,
    Empty,
    Unknown,
}

/// A door's state as the bridge supervises it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DoorStateKind {
    Closed,
    Open,
    /// Open longer than the door's held-open limit.
    HeldOpen,
    /// No contact reading (not fitted, unreadable or not yet read).
    Unknown,
}

/// An unlock forwarded to the hub's bridge: a signed-in member's from the booking page, or a
/// hub manager's opening "for someone at the door". The bridge carries it out never after
/// `deadline`, never while it decides offline, never in lockdown or at a disabled door, and
/// reports a [`AccessEventKind::RemoteUnlockResult`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RemoteUnlock {
    /// The central service's command id, echoed in the result event.
    pub id: String,
    pub door_id: DoorId,
    /// The member's booking, checked by the same door rule as a keypad credential. `None`: a
    /// staff-ordered opening; the central service checked the manager's right to the door, so
    /// no booking is checked, but the hub-wide vetoes (lockdown, disabled door, snapshot age,
    /// clock) still apply. Absent in commands of older services, hence the default.
    #[serde(default)]
    pub booking_id: Option<BookingId>,
    /// The last instant the unlock may start; a command that arrives later is dropped.
    pub deadline: DateTime<Utc>,
    /// How long to energise the lock; the door's configured pulse is the upper bound.
    pub pulse_ms: u32,
}

/// Body of `GET /api/bridge/v1/commands`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct RemoteUnlockBatch {
    pub commands: Vec<RemoteUnlock>,
}

/// Body of `POST /api/bridge/v1/events`: at most [`MAX_EVENTS_PER_UPLOAD`] events in the order
/// they happened.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct EventUpload {
    pub events: Vec<AccessEvent>,
}

/// Answer to an [`EventUpload`]: the bridge drops the events from its queue only when
/// `accepted + duplicates` equals the number it sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct EventReceipt {
    pub accepted: u64,
    pub duplicates: u64,
}

/// Most events one upload may carry.
pub const MAX_EVENTS_PER_UPLOAD: usize = 500;

/// Longest long-poll `wait` (seconds) the central service honours.
pub const MAX_LONG_POLL_S: u32 = 30;

/// The latched alarms of register 13, one bit each.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Alarm {
    HeldOpen,
    ForcedOpen,
    ControllerSilent,
    FieldIoFault,
}

impl Alarm {
    /// Every alarm in bit order.
    pub const ALL: [Alarm; 4] = [Self::HeldOpen, Self::ForcedOpen, Self::ControllerSilent, Self::FieldIoFault];

    /// The bit in `alarms_latched` (register 13).
    pub fn bit(self) -> u16 {
        match self {
            Self::HeldOpen => 1 << 0,
            Self::ForcedOpen => 1 << 1,
            Self::ControllerSilent => 1 << 2,
            Self::FieldIoFault => 1 << 3,
        }
    }
}

type HmacSha256 = Hmac<Sha256>;

/// The verifier the web service stores for a booking's PIN and the bridge computes for a PIN
/// typed at a keypad: hex HMAC-SHA256 of the PIN's digits under the per-hub secret. Both sides
/// must use this one function, or no PIN would ever match.
pub fn pin_verifier(hub_key: &[u8], pin: &str) -> String {
    keyed_verifier(hub_key, pin.as_bytes())
}

/// The verifier for any credential kind. PINs are exactly [`pin_verifier`]; tokens and NFC
/// UIDs are prefixed with their kind so that a card UID can never collide with a PIN.
pub fn credential_verifier(hub_key: &[u8], kind: CredentialKind, data: &[u8]) -> String {
    let prefix: &[u8] = match kind {
        CredentialKind::Pin => return keyed_verifier(hub_key, data),
        CredentialKind::BookingToken => b"token:",
        CredentialKind::NfcUid => b"nfc:",
        CredentialKind::Remote => b"remote:",
    };
    let mut input = Vec::with_capacity(prefix.len() + data.len());
    input.extend_from_slice(prefix);
    input.extend_from_slice(data);
    keyed_verifier(hub_key, &input)
}

fn keyed_verifier(hub_key: &[u8], data: &[u8]) -> String {
    // HMAC accepts keys of any length, so this cannot fail; the empty-key fallback keeps the
    // function total without a panic path.
    let mut mac = match HmacSha256::new_from_slice(hub_key) {
        Ok(mac) => mac,
        Err(_) => return String::new(),
    };
    mac.update(data);
    hex::encode(mac.finalize().into_bytes())
}

/// How many bytes an NFC card UID has (ISO/IEC 14443-3: single, double, triple size).
pub const CARD_UID_LENGTHS: [usize; 3] = [4, 7, 10];

/// Why a card UID as typed or read cannot be used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum CardUidError {
    #[error("a card UID is empty")]
    Empty,
    #[error("a card UID is hex digits, optionally in pairs separated by ':' (e.g. 04:A2:FF:10)")]
    NotHex,
    #[error("a card UID has 4, 7 or 10 bytes, not {0}")]
    WrongLength(usize),
}

/// The bytes of a card UID as a member types it in the browser, a hub manager copies it from
/// a reader's display, or the CLI takes it: hex digits, upper or lower case, optionally in
/// pairs separated by ':' ("04A2FF10", "04:a2:ff:10"), surrounding whitespace ignored. The
/// web service, the bridge and the simulator all read UIDs through this one function, so a
/// card registered in the browser matches the bytes the reader puts in the mailbox.
///
/// # Errors
/// Anything but 4, 7 or 10 bytes written that way.
pub fn card_uid_bytes(text: &str) -> Result<Vec<u8>, CardUidError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(CardUidError::Empty);
    }
    let digits: String = if text.contains(':') {
        // With separators every group is one byte: "4:A2" would be ambiguous.
        if text.split(':').any(|pair| pair.len() != 2) {
            return Err(CardUidError::NotHex);
        }
        text.split(':').collect()
    } else {
        text.to_owned()
    };
    if !digits.len().is_multiple_of(2) || !digits.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(CardUidError::NotHex);
    }
    let bytes = hex::decode(&digits).map_err(|_| CardUidError::NotHex)?;
    if !CARD_UID_LENGTHS.contains(&bytes.len()) {
        return Err(CardUidError::WrongLength(bytes.len()));
    }
    Ok(bytes)
}

/// The verifier the web service stores in a card's snapshot grant and the bridge computes for
/// a UID in the mailbox: [`credential_verifier`] of kind [`CredentialKind::NfcUid`] over the
/// UID bytes (from [`card_uid_bytes`]). Kind-prefixed, so a card never matches a PIN grant
/// and a PIN never matches a card grant.
pub fn card_verifier(hub_key: &[u8], uid: &[u8]) -> String {
    credential_verifier(hub_key, CredentialKind::NfcUid, uid)
}

/// Compares two verifiers without leaking through timing how many leading characters match.
pub fn verifiers_match(a: &str, b: &str) -> bool {
    !a.is_empty() && bool::from(a.as_bytes().ct_eq(b.as_bytes()))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use serde_json::json;

    #[test]
    fn pin_verifier_matches_rfc4231_style_hmac() {
        // HMAC-SHA256 with key "key" over "The quick brown fox jumps over the lazy dog"
        // is a widely published test vector.
        assert_eq!(
            pin_verifier(b"key", "The quick brown fox jumps over the lazy dog"),
            "f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8"
        );
    }

    #[test]
    fn pin_verifier_depends_on_key_and_pin() {
        let a = pin_verifier(b"hub-a", "123456");
        assert_ne!(a, pin_verifier(b"hub-b", "123456"));
        assert_ne!(a, pin_verifier(b"hub-a", "123457"));
        assert_eq!(a, credential_verifier(b"hub-a", CredentialKind::Pin, b"123456"));
        assert_ne!(a, credential_verifier(b"hub-a", CredentialKind::NfcUid, b"123456"));
    }

    #[test]
    fn card_uids_read_as_hex_with_or_without_separators() {
        let uid = vec![0x04, 0xA2, 0xFF, 0x10];
        for text in ["04A2FF10", "04a2ff10", "04:A2:FF:10", "04:a2:Ff:10", "  04A2FF10\n"] {
            assert_eq!(card_uid_bytes(text), Ok(uid.clone()), "{text:?}");
        }
        assert_eq!(card_uid_bytes("04:A2:FF:10:11:12:13").unwrap().len(), 7);
        assert_eq!(card_uid_bytes("00112233445566778899").unwrap().len(), 10);
        assert_eq!(card_uid_bytes(""), Err(CardUidError::Empty));
        assert_eq!(card_uid_bytes("  "), Err(CardUidError::Empty));
        assert_eq!(card_uid_bytes("04A2FF1"), Err(CardUidError::NotHex));
        assert_eq!(card_uid_bytes("04A2FFG0"), Err(CardUidError::NotHex));
        assert_eq!(card_uid_bytes("4:A2:FF:10"), Err(CardUidError::NotHex));
        assert_eq!(card_uid_bytes("04:A2FF:10"), Err(CardUidError::NotHex));
        assert_eq!(card_uid_bytes("04:A2:FF:10:"), Err(CardUidError::NotHex));
        assert_eq!(card_uid_bytes("04 A2 FF 10"), Err(CardUidError::NotHex));
        assert_eq!(card_uid_bytes("+4A2FF10"), Err(CardUidError::NotHex));
        assert_eq!(card_uid_bytes("04A2FF"), Err(CardUidError::WrongLength(3)));
        assert_eq!(card_uid_bytes("04A2FF1011"), Err(CardUidError::WrongLength(5)));
    }

    #[test]
    fn a_card_verifier_is_the_nfc_credential_verifier_and_never_a_pin_verifier() {
        let uid = card_uid_bytes("31:32:33:34").unwrap();
        let card = card_verifier(b"hub", &uid);
        assert_eq!(card, credential_verifier(b"hub", CredentialKind::NfcUid, b"1234"));
        // The UID's bytes are the ASCII of "1234", yet the PIN 1234 verifies differently.
        assert_ne!(card, pin_verifier(b"hub", "1234"));
        assert_ne!(card, card_verifier(b"other-hub", &uid));
        assert_eq!(card, card_verifier(b"hub", &card_uid_bytes("31323334").unwrap()));
    }

    #[test]
    fn a_staff_opening_has_no_booking_and_older_commands_read_the_same() {
        let staff: RemoteUnlock = serde_json::from_value(json!({
            "id": "cmd-2", "door_id": "entrance", "booking_id": null,
            "deadline": "2025-03-10T10:00:05Z", "pulse_ms": 3000
        }))
        .unwrap();
        assert_eq!(staff.booking_id, None);
        let absent: RemoteUnlock = serde_json::from_value(json!({
            "id": "cmd-3", "door_id": "entrance", "deadline": "2025-03-10T10:00:05Z", "pulse_ms": 3000
        }))
        .unwrap();
        assert_eq!(absent.booking_id, None);
    }

    #[test]
    fn verifiers_match_only_equal_non_empty_strings() {
        assert!(verifiers_match("abcd", "abcd"));
        assert!(!verifiers_match("abcd", "abce"));
        assert!(!verifiers_match("abcd", "abc"));
        assert!(!verifiers_match("", ""));
    }

    #[test]
    fn reason_codes_are_unique_and_round_trip() {
        for reason in DenyReason::ALL {
            assert_eq!(DenyReason::from_code(reason.code()), Some(reason));
            let json = serde_json::to_string(&reason).unwrap();
            assert_eq!(json, format!("\"{}\"", reason.as_str()));
        }
        assert_eq!(DenyReason::from_code(0), None);
    }

    #[test]
    fn event_kinds_have_the_documented_json_shape() {
        let cases = [
            (AccessEventKind::Granted { cmd_seq: 3 }, json!({"type": "granted", "cmd_seq": 3})),
            (
                AccessEventKind::Presence { space_id: SpaceId::new("room-a"), presence: PresenceState::Present },
                json!({"type": "presence", "space_id": "room-a", "presence": "present"}),
            ),
            (
                AccessEventKind::DoorState { state: DoorStateKind::HeldOpen },
                json!({"type": "door_state", "state": "held_open"}),
            ),
            (
                AccessEventKind::RemoteUnlockResult { command_id: "c1".into(), executed: false },
                json!({"type": "remote_unlock_result", "command_id": "c1", "executed": false}),
            ),
            (
                AccessEventKind::MaintenanceGranted { name: "service".into(), cmd_seq: 2 },
                json!({"type": "maintenance_granted", "name": "service", "cmd_seq": 2}),
            ),
        ];
        for (kind, expected) in cases {
            assert_eq!(serde_json::to_value(&kind).unwrap(), expected);
            assert_eq!(serde_json::from_value::<AccessEventKind>(expected).unwrap(), kind);
        }
    }

    #[test]
    fn a_command_batch_reads_the_contract_json() {
        let batch: RemoteUnlockBatch = serde_json::from_value(json!({"commands": [{
            "id": "cmd-1", "door_id": "entrance", "booking_id": "b1",
            "deadline": "2025-03-10T10:00:05Z", "pulse_ms": 3000
        }]}))
        .unwrap();
        assert_eq!(batch.commands[0].door_id, DoorId::new("entrance"));
        assert_eq!(batch.commands[0].pulse_ms, 3000);
        assert_eq!(batch.commands[0].booking_id, Some(BookingId::new("b1")));
        let receipt: EventReceipt = serde_json::from_value(json!({"accepted": 2, "duplicates": 1})).unwrap();
        assert_eq!(receipt, EventReceipt { accepted: 2, duplicates: 1 });
    }

    #[test]
    fn debug_of_a_credential_hides_the_verifier() {
        let shown = format!("{:?}", Credential::Verifier("secretverifier".into()));
        assert!(!shown.contains("secretverifier"));
    }
}
