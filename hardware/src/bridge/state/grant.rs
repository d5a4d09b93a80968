//! Carrying out a grant, whoever it is for: the door's unlock command (a remote unlock
//! brings its own deadline and a shorter pulse), the event naming the holder, and the order
//! to the bridge's own relay.

use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};

use crate::protocol::{AccessEventKind, BookingId};

use super::BridgeState;
use crate::bridge::door::{CommandSpec, DoorEvent};
use crate::bridge::runtime::UnlockOrder;

/// Who a grant is for.
pub(super) enum Holder {
    Booking(BookingId),
    /// A maintenance credential, by name.
    Maintenance(String),
    /// A hub manager's opening "for someone at the door": no booking.
    Staff,
}

/// The limits a remote unlock brings along.
pub(super) struct RemoteLimits {
    pub(super) command_id: String,
    pub(super) pulse: Duration,
    pub(super) deadline: DateTime<Utc>,
}

impl BridgeState {
    /// Issues the unlock command for a grant, records it and tells the relay hook; returns
    /// the command's sequence number.
    pub(super) fn grant(
        &mut self,
        index: usize,
        holder: Holder,
        remote: Option<RemoteLimits>,
        now: Instant,
        now_utc: DateTime<Utc>,
        events: &mut Vec<DoorEvent>,
    ) -> u16 {
        let booking = match &holder {
            Holder::Booking(id) => Some(id.clone()),
            Holder::Maintenance(_) | Holder::Staff => None,
        };
        let booking_end = booking.as_ref().and_then(|booking| {
            self.snapshot.as_ref().and_then(|snapshot| {
                snapshot.grants.iter().find(|grant| &grant.booking_id == booking).map(|grant| grant.valid_until)
            })
        });
        let door_pulse = self.doors[index].config.pulse;
        let mut spec = CommandSpec {
            pulse: door_pulse,
            valid_for: self.settings.command_validity,
            booking: booking.clone(),
            remote_id: None,
        };
        if let Some(remote) = remote {
            // The door's configured pulse stays the hard maximum; 0 means "the door's pulse".
            if !remote.pulse.is_zero() {
                spec.pulse = remote.pulse.min(door_pulse);
            }
            let left = remote.deadline.signed_duration_since(now_utc).to_std().unwrap_or_default();
            spec.valid_for = spec.valid_for.min(left);
            spec.remote_id = Some(remote.command_id);
        }
        let valid_for = spec.valid_for;
        let door = &mut self.doors[index];
        door.booking_end = booking_end;
        let issued = door.issue_command(now, &self.settings, spec, events);
        match holder {
            Holder::Booking(id) => events.push((AccessEventKind::Granted { cmd_seq: issued.seq }, Some(id))),
            Holder::Staff => events.push((AccessEventKind::Granted { cmd_seq: issued.seq }, None)),
            Holder::Maintenance(name) => {
                events.push((AccessEventKind::MaintenanceGranted { name, cmd_seq: issued.seq }, None));
            }
        }
        let deadline = chrono::TimeDelta::from_std(valid_for)
            .ok()
            .and_then(|validity| now_utc.checked_add_signed(validity))
            .unwrap_or(now_utc);
        if let Some(orders) = &self.unlock_orders {
            let order = UnlockOrder {
                door: door.config.id.clone(),
                cmd_seq: issued.seq,
                pulse: issued.pulse,
                deadline,
                booking_id: booking,
            };
            if orders.try_send(order).is_err() {
                tracing::warn!(door.id = %door.config.id, "relay order dropped: relay task busy or gone");
            }
        }
        issued.seq
    }
}
