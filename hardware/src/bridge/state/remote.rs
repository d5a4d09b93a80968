//! Remote unlocks at the bridge: a member's unlock forwarded by the central service and the
//! central service's unlock commands (a member's or a staff-ordered opening without a
//! booking). Each asks the same hub-wide refusals and door rule as the keypad
//! (`decision::decide_at_hub`), then is carried out as a grant or recorded as refused.

use std::time::Duration;

use crate::decision::{decide_at_hub, decide_staff_opening_at_hub};
use crate::protocol::{
    AccessEventKind, AccessRequest, BookingId, Credential, CredentialKind, Decision, DenyReason, DoorId, RemoteUnlock,
};

use super::grant::{Holder, RemoteLimits};
use super::{SharedBridgeState, UnknownDoorError};

/// What became of a remote unlock command from the central service.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RemoteUnlockOutcome {
    /// The door rule granted it: command `cmd_seq` waits for the controller or relay, whose
    /// confirmation becomes the `remote_unlock_result` event.
    Issued { cmd_seq: u16 },
    /// Its deadline had passed when it arrived; never carried out.
    Expired,
    /// Refused (offline, unknown door, or the door rule said no).
    Denied(DenyReason),
}

impl SharedBridgeState {
    /// A remote unlock the central service forwarded for a signed-in member. Refused while the
    /// bridge decides offline: remote unlocks must never work without the central service.
    pub fn remote_unlock(&self, door: &DoorId, booking: BookingId) -> Result<Decision, UnknownDoorError> {
        let now = self.clock.now_instant();
        let now_utc = self.clock.now_utc();
        let mut state = self.lock();
        let index = state.door_index_by_id(door).ok_or_else(|| UnknownDoorError(door.clone()))?;
        let request = AccessRequest {
            door: state.doors[index].config.id.clone(),
            credential: Credential::Booking(booking.clone()),
            kind: CredentialKind::Remote,
        };
        let decision = decide_at_hub(&state.conditions(index), &request, now_utc, &state.policy(index));
        let mut events = Vec::new();
        match &decision {
            Decision::Grant { booking_id, .. } => {
                state.grant(index, Holder::Booking(booking_id.clone()), None, now, now_utc, &mut events);
            }
            Decision::Deny { reason } => {
                events.push((AccessEventKind::Denied { reason: *reason }, Some(booking)));
            }
        }
        state.emit(index, events, now_utc);
        Ok(decision)
    }

    /// Carries out a remote unlock command from the central service through the door rule
    /// (a staff-ordered opening without a booking through every check but the booking),
    /// within the command's deadline and pulse. Every refusal is recorded as a
    /// `remote_unlock_result` event with `executed: false`; an issued command reports its
    /// result once the controller or relay confirmed it (or it expired).
    pub fn remote_unlock_command(&self, command: &RemoteUnlock) -> RemoteUnlockOutcome {
        let now = self.clock.now_instant();
        let now_utc = self.clock.now_utc();
        let mut state = self.lock();
        let booking = command.booking_id.clone();
        let not_executed = AccessEventKind::RemoteUnlockResult { command_id: command.id.clone(), executed: false };
        let Some(index) = state.door_index_by_id(&command.door_id) else {
            let events = vec![
                (AccessEventKind::Denied { reason: DenyReason::UnknownDoor }, booking.clone()),
                (not_executed, booking),
            ];
            state.emit_as(&command.door_id, events, now_utc);
            return RemoteUnlockOutcome::Denied(DenyReason::UnknownDoor);
        };
        let (hub, policy, door) = (state.conditions(index), state.policy(index), &command.door_id);
        let verdict = match &command.booking_id {
            Some(booking) => {
                let credential = Credential::Booking(booking.clone());
                let request = AccessRequest { door: door.clone(), credential, kind: CredentialKind::Remote };
                match decide_at_hub(&hub, &request, now_utc, &policy) {
                    Decision::Grant { booking_id, .. } => Ok(Holder::Booking(booking_id)),
                    Decision::Deny { reason } => Err(reason),
                }
            }
            None => decide_staff_opening_at_hub(&hub, door, now_utc, &policy).map(|()| Holder::Staff),
        };
        let mut events = Vec::new();
        let outcome = match verdict {
            // Without the link the command is refused as offline, even when it also came late;
            // otherwise a late command expires whatever the rule would have said.
            Err(DenyReason::RemoteUnlockOffline) => RemoteUnlockOutcome::Denied(DenyReason::RemoteUnlockOffline),
            _ if now_utc >= command.deadline => RemoteUnlockOutcome::Expired,
            Ok(holder) => {
                let limits = RemoteLimits {
                    command_id: command.id.clone(),
                    pulse: Duration::from_millis(u64::from(command.pulse_ms)),
                    deadline: command.deadline,
                };
                let cmd_seq = state.grant(index, holder, Some(limits), now, now_utc, &mut events);
                RemoteUnlockOutcome::Issued { cmd_seq }
            }
            Err(reason) => RemoteUnlockOutcome::Denied(reason),
        };
        match outcome {
            RemoteUnlockOutcome::Issued { .. } => {}
            RemoteUnlockOutcome::Expired => events.push((not_executed, booking)),
            RemoteUnlockOutcome::Denied(reason) => {
                events.push((AccessEventKind::Denied { reason }, booking.clone()));
                events.push((not_executed, booking));
            }
        }
        tracing::info!(
            door.id = %command.door_id,
            booking.id = command.booking_id.as_ref().map_or("", BookingId::as_str),
            staff = command.booking_id.is_none(),
            command.id = %command.id,
            outcome = ?outcome,
            "remote unlock"
        );
        state.emit(index, events, now_utc);
        outcome
    }
}
