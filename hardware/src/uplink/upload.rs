//! Uploads the durable event queue: the oldest events first, at most 500 per request, and
//! removes them only when the central service confirmed every one (`accepted + duplicates`
//! equals the batch size). Retries back off and resend the same events with the same ids, so
//! the central service stores each once. Confirmed alarm events tell the door state that the
//! central service has seen the alarm, so the latch can clear once its condition ended.

use super::backoff::Backoff;
use super::client::{CentralClient, UplinkError};
use super::queue::EventQueue;
use crate::bridge::SharedBridgeState;
use crate::protocol::{AccessEvent, AccessEventKind, Alarm, MAX_EVENTS_PER_UPLOAD};

/// Uploads until the task is aborted.
pub(super) async fn drain(client: CentralClient, queue: EventQueue, state: SharedBridgeState) {
    let mut backoff = Backoff::default();
    let mut failing = false;
    loop {
        queue.wait_for_events().await;
        loop {
            let batch = queue.peek(MAX_EVENTS_PER_UPLOAD);
            if batch.is_empty() {
                break;
            }
            match upload(&client, &queue, &batch).await {
                Ok(()) => {
                    if failing {
                        tracing::info!(queued = queue.len(), "event upload works again");
                        failing = false;
                    }
                    backoff.reset();
                    mark_alarms_seen(&state, &batch);
                }
                Err(error) => {
                    if !failing {
                        tracing::warn!(%error, queued = queue.len(), "event upload failed; keeping the events queued");
                        failing = true;
                    }
                    backoff.wait().await;
                }
            }
        }
    }
}

async fn upload(client: &CentralClient, queue: &EventQueue, batch: &[AccessEvent]) -> Result<(), UplinkError> {
    let receipt = client.post_events(batch).await?;
    let confirmed = receipt.accepted.saturating_add(receipt.duplicates);
    if usize::try_from(confirmed).ok() != Some(batch.len()) {
        return Err(UplinkError::Unconfirmed { sent: batch.len(), confirmed });
    }
    let queue = queue.clone();
    let count = batch.len();
    let removed = tokio::task::spawn_blocking(move || queue.confirm(count)).await;
    match removed {
        Ok(Ok(())) => {}
        // The events stay queued and go again; the central service drops them as duplicates.
        Ok(Err(error)) => tracing::error!(%error, "cannot remove confirmed events from the queue"),
        Err(error) => tracing::error!(%error, "queue update ended abnormally"),
    }
    Ok(())
}

fn mark_alarms_seen(state: &SharedBridgeState, batch: &[AccessEvent]) {
    for event in batch {
        let alarm = match event.kind {
            AccessEventKind::HeldOpen => Alarm::HeldOpen,
            AccessEventKind::ForcedOpen => Alarm::ForcedOpen,
            AccessEventKind::ControllerSilent => Alarm::ControllerSilent,
            AccessEventKind::FieldIoFault => Alarm::FieldIoFault,
            _ => continue,
        };
        // An alarm of a door this bridge no longer serves has nothing to clear.
        let _ = state.mark_alarm_seen(&event.door, alarm);
    }
}
