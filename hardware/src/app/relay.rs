//! The bridge's own lock relays: every unlock order the state issues for a door with a
//! bridge-driven lock is handed to the field client as a pulse, and what the relay did comes
//! back to the state, which records it as an executed or not-executed event. An order whose
//! deadline has passed is never started.

use chrono::Utc;
use tokio::sync::mpsc;
use tokio::task::JoinSet;

use crate::bridge::{SharedBridgeState, UnlockOrder};
use crate::field::FieldHandle;

/// Room for orders waiting for their pulse; the state drops (never delays) orders beyond it.
pub(super) const ORDER_QUEUE: usize = 16;

/// Carries out orders until the state's sender is gone. Each pulse runs in its own task so a
/// slow device on one hub never holds up a door on another.
pub(super) async fn carry_out_orders(
    mut orders: mpsc::Receiver<UnlockOrder>,
    field: FieldHandle,
    state: SharedBridgeState,
) {
    let mut pulses = JoinSet::new();
    while let Some(order) = orders.recv().await {
        while pulses.try_join_next().is_some() {}
        if field.has_lock(order.door.as_str()) {
            pulses.spawn(pulse(order, field.clone(), state.clone()));
        }
    }
}

async fn pulse(order: UnlockOrder, field: FieldHandle, state: SharedBridgeState) {
    let door = order.door.as_str();
    let switched = if Utc::now() > order.deadline {
        tracing::warn!(door.id = %door, cmd.seq = order.cmd_seq, "unlock order past its deadline; not started");
        false
    } else {
        match field.pulse_lock(door, order.pulse).await {
            Ok(outcome) if outcome.switched => {
                tracing::info!(
                    door.id = %door,
                    cmd.seq = order.cmd_seq,
                    pulse_ms = u64::try_from(outcome.length.as_millis()).unwrap_or(u64::MAX),
                    mode = ?outcome.mode,
                    "lock relay pulsed"
                );
                true
            }
            Ok(outcome) => {
                tracing::warn!(door.id = %door, cmd.seq = order.cmd_seq, exception = ?outcome.exception, "relay refused the pulse");
                false
            }
            Err(error) => {
                tracing::warn!(door.id = %door, cmd.seq = order.cmd_seq, %error, "lock relay not pulsed");
                false
            }
        }
    };
    if let Err(error) = state.report_relay_outcome(&order.door, order.cmd_seq, switched) {
        tracing::error!(%error, "relay outcome for an unknown door");
    }
}
