//! The event writer: every access event the bridge state emits goes into the durable queue
//! (`uplink::queue`, `<state_dir>/events.jsonl`) in batches, each synced to disk before the
//! next is taken. Without a central service the queue is simply the event log; with one, the
//! uploader drains it. Events carry no PIN, verifier or e-mail address.

use tokio::sync::{mpsc, watch};

use crate::protocol::AccessEvent;
use crate::uplink::EventQueue;

/// Writes events as they come until `stop` turns true, then writes what is still queued.
pub(super) async fn write_events(
    queue: EventQueue,
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
        write_batch(&queue, batch).await;
    }
    let mut rest = Vec::new();
    while let Ok(event) = events.try_recv() {
        rest.push(event);
    }
    if !rest.is_empty() {
        write_batch(&queue, rest).await;
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
