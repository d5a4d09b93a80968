//! The event writer: every access event the bridge state emits goes into the durable queue
//! (`uplink::queue`, `<state_dir>/events.jsonl`) in batches, each synced to disk before the
//! next is taken. Without a central service the queue is simply the event log; with one, the
//! uploader drains it. Events carry no PIN, verifier or e-mail address. Every door decision
//! passes here, so this is also where the metrics count them.

use tokio::sync::{mpsc, watch};

use crate::metrics::BridgeMetrics;
use crate::protocol::AccessEvent;
use crate::uplink::EventQueue;

/// Writes events as they come until `stop` turns true, then writes what is still queued.
pub(super) async fn write_events(
    queue: EventQueue,
    metrics: BridgeMetrics,
    mut events: mpsc::UnboundedReceiver<AccessEvent>,
    mut stop: watch::Receiver<bool>,
) {
    loop {
        let first = tokio::select! {
            event = events.recv() => event,
            _ = stop.wait_for(|stopped| *stopped) => None,
        };
        let Some(first) = first else {
            break;
        };
        let mut batch = vec![first];
        while let Ok(event) = events.try_recv() {
            batch.push(event);
        }
        count_decisions(&metrics, &batch);
        write_batch(&queue, batch).await;
    }
    let mut rest = Vec::new();
    while let Ok(event) = events.try_recv() {
        rest.push(event);
    }
    if !rest.is_empty() {
        count_decisions(&metrics, &rest);
        write_batch(&queue, rest).await;
    }
}

fn count_decisions(metrics: &BridgeMetrics, batch: &[AccessEvent]) {
    for event in batch {
        metrics.observe_event(&event.kind, event.booking_id.is_some());
    }
}

async fn write_batch(queue: &EventQueue, batch: Vec<AccessEvent>) {
    let count = batch.len();
    let target = queue.clone();
    let written = tokio::task::spawn_blocking(move || target.append(&batch)).await;
    let error = match written {
        Ok(Ok(())) => return,
        Ok(Err(error)) => error.to_string(),
        Err(error) => error.to_string(),
    };
    tracing::error!(path = %queue.path().display(), %error, lost = count, "cannot write access events");
}
