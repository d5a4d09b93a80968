//! The durable event queue: every access event is appended as one JSON line to
//! `<state_dir>/events.jsonl` and synced to disk before it counts as recorded; the uploader
//! takes events from the front in order and removes them only after the central service
//! confirmed them. The id of the last confirmed event is kept in `events.sent` (written
//! atomically), so a restart resends nothing that was confirmed before the cursor was
//! written, and at worst resends a batch whose confirmation was not yet on disk (the central
//! service drops duplicates by id). A torn last line (a crash in the middle of a write) is cut
//! off at start, never fatal. Once everything is confirmed the file is truncated; a long
//! confirmed prefix is compacted away.
//!
//! Blocking file I/O under a mutex: call the methods from `spawn_blocking` in async code.

use std::collections::VecDeque;
use std::fs::{File, OpenOptions};
use std::io::{ErrorKind, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use tokio::sync::Notify;

use super::atomic_file::{sync_dir, write_atomically};
use crate::protocol::AccessEvent;

/// The queue file inside `state_dir`.
pub const EVENTS_FILE: &str = "events.jsonl";
/// The id of the last event the central service confirmed.
pub const CURSOR_FILE: &str = "events.sent";
/// Confirmed lines kept in the file before it is rewritten without them.
const COMPACT_AFTER: usize = 2000;

/// What opening the queue found on disk.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Recovered {
    /// Events still waiting for the central service.
    pub pending: usize,
    /// Lines that were not events (damaged); skipped.
    pub skipped_lines: usize,
    /// Bytes of an unfinished last line that were cut off.
    pub torn_bytes: u64,
}

/// Handle to the queue; cheap to clone.
#[derive(Clone)]
pub struct EventQueue {
    inner: Arc<Mutex<QueueFile>>,
    added: Arc<Notify>,
}

impl std::fmt::Debug for EventQueue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EventQueue").field("path", &self.lock().path).finish_non_exhaustive()
    }
}

struct QueueFile {
    dir: PathBuf,
    path: PathBuf,
    cursor: PathBuf,
    file: File,
    /// Bytes of whole lines in the file; a failed append is cut back to this.
    len: u64,
    pending: VecDeque<AccessEvent>,
    /// Lines in the file before the first pending event (already confirmed).
    confirmed_lines: usize,
}

impl EventQueue {
    /// Opens (or creates) the queue in `state_dir`, cutting off a torn last line and skipping
    /// damaged ones.
    ///
    /// # Errors
    /// The directory or file cannot be created, read or written.
    pub fn open(state_dir: &Path) -> std::io::Result<(Self, Recovered)> {
        std::fs::create_dir_all(state_dir)?;
        let path = state_dir.join(EVENTS_FILE);
        let cursor = state_dir.join(CURSOR_FILE);
        let mut file = OpenOptions::new().read(true).append(true).create(true).open(&path)?;
        sync_dir(state_dir)?;
        let mut bytes = Vec::new();
        file.read_to_end(&mut bytes)?;

        let whole = bytes.iter().rposition(|b| *b == b'\n').map_or(0, |last| last + 1);
        let torn_bytes = u64::try_from(bytes.len() - whole).unwrap_or(u64::MAX);
        if torn_bytes > 0 {
            file.set_len(u64::try_from(whole).unwrap_or(u64::MAX))?;
            file.sync_all()?;
            bytes.truncate(whole);
        }

        let mut skipped_lines = 0;
        let mut events = Vec::new();
        for line in bytes.split(|b| *b == b'\n').filter(|line| !line.is_empty()) {
            match serde_json::from_slice::<AccessEvent>(line) {
                Ok(event) => events.push(event),
                Err(_) => skipped_lines += 1,
            }
        }
        let confirmed_id = match std::fs::read_to_string(&cursor) {
            Ok(text) => Some(text.trim().to_owned()),
            Err(error) if error.kind() == ErrorKind::NotFound => None,
            Err(error) => return Err(error),
        };
        // Events up to and including the cursor's were confirmed; if the cursor names an
        // event no longer in the file (compacted), everything in the file is pending.
        let first_pending =
            confirmed_id.and_then(|id| events.iter().position(|event| event.id == id)).map_or(0, |index| index + 1);
        let confirmed = first_pending;
        let pending: VecDeque<AccessEvent> = events.into_iter().skip(first_pending).collect();

        let mut queue = QueueFile {
            dir: state_dir.to_path_buf(),
            path,
            cursor,
            file,
            len: u64::try_from(whole).unwrap_or(u64::MAX),
            pending,
            confirmed_lines: confirmed,
        };
        if confirmed > 0 || skipped_lines > 0 {
            queue.compact()?;
        }
        let recovered = Recovered { pending: queue.pending.len(), skipped_lines, torn_bytes };
        let added = Arc::new(Notify::new());
        if !queue.pending.is_empty() {
            added.notify_one();
        }
        Ok((Self { inner: Arc::new(Mutex::new(queue)), added }, recovered))
    }

    fn lock(&self) -> MutexGuard<'_, QueueFile> {
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The queue file.
    #[must_use]
    pub fn path(&self) -> PathBuf {
        self.lock().path.clone()
    }

    /// Appends `events` and returns once they are on disk; only then may anything rely on
    /// them (the uploader sees them from here on).
    ///
    /// # Errors
    /// The write or the sync failed; the file is cut back so no half line remains.
    pub fn append(&self, events: &[AccessEvent]) -> std::io::Result<()> {
        if events.is_empty() {
            return Ok(());
        }
        let mut lines = Vec::new();
        for event in events {
            serde_json::to_writer(&mut lines, event)?;
            lines.push(b'\n');
        }
        let mut queue = self.lock();
        let written = queue.file.write_all(&lines).and_then(|()| queue.file.sync_data());
        if let Err(error) = written {
            let len = queue.len;
            let _ = queue.file.set_len(len);
            return Err(error);
        }
        queue.len += u64::try_from(lines.len()).unwrap_or(u64::MAX);
        queue.pending.extend(events.iter().cloned());
        drop(queue);
        self.added.notify_one();
        Ok(())
    }

    /// Up to `max` events from the front, oldest first, without removing them.
    #[must_use]
    pub fn peek(&self, max: usize) -> Vec<AccessEvent> {
        self.lock().pending.iter().take(max).cloned().collect()
    }

    /// Events waiting for the central service.
    #[must_use]
    pub fn len(&self) -> usize {
        self.lock().pending.len()
    }

    /// Whether nothing waits for the central service.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The central service confirmed the first `count` events: remove them for good.
    ///
    /// # Errors
    /// The cursor or the compacted file cannot be written; the events then stay queued and
    /// are sent again (the central service drops them as duplicates).
    pub fn confirm(&self, count: usize) -> std::io::Result<()> {
        let mut queue = self.lock();
        let count = count.min(queue.pending.len());
        let Some(last) = count.checked_sub(1).and_then(|index| queue.pending.get(index)) else {
            return Ok(());
        };
        let last_id = last.id.clone();
        if count < queue.pending.len() {
            write_atomically(&queue.cursor, last_id.as_bytes())?;
        }
        queue.pending.drain(..count);
        queue.confirmed_lines += count;
        if queue.pending.is_empty() || queue.confirmed_lines >= COMPACT_AFTER {
            queue.compact()?;
        }
        Ok(())
    }

    /// Completes when events may be waiting (at once if some were added since the last call).
    pub async fn wait_for_events(&self) {
        self.added.notified().await;
    }
}

impl QueueFile {
    /// Rewrites the file with only the pending events, then forgets the cursor.
    fn compact(&mut self) -> std::io::Result<()> {
        if self.pending.is_empty() {
            self.file.set_len(0)?;
            self.file.sync_all()?;
            self.len = 0;
        } else {
            let mut lines = Vec::new();
            for event in &self.pending {
                serde_json::to_writer(&mut lines, event)?;
                lines.push(b'\n');
            }
            write_atomically(&self.path, &lines)?;
            self.file = OpenOptions::new().read(true).append(true).open(&self.path)?;
            self.len = u64::try_from(lines.len()).unwrap_or(u64::MAX);
        }
        self.confirmed_lines = 0;
        match std::fs::remove_file(&self.cursor) {
            Ok(()) => sync_dir(&self.dir),
            Err(error) if error.kind() == ErrorKind::NotFound => Ok(()),
            Err(error) => Err(error),
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use crate::protocol::{AccessEventKind, DoorId};
    use chrono::Utc;

    fn event(n: u32) -> AccessEvent {
        AccessEvent {
            id: format!("{n:032x}"),
            at: Utc::now(),
            door: DoorId::new("entrance"),
            kind: AccessEventKind::Granted { cmd_seq: 1 },
            booking_id: None,
            offline: false,
        }
    }

    fn ids(events: &[AccessEvent]) -> Vec<String> {
        events.iter().map(|e| e.id.clone()).collect()
    }

    #[test]
    fn events_survive_a_reopen_in_order_until_confirmed() {
        let dir = tempfile::tempdir().unwrap();
        let (queue, _) = EventQueue::open(dir.path()).unwrap();
        queue.append(&[event(1), event(2)]).unwrap();
        queue.append(&[event(3)]).unwrap();
        drop(queue);

        let (queue, recovered) = EventQueue::open(dir.path()).unwrap();
        assert_eq!(recovered, Recovered { pending: 3, skipped_lines: 0, torn_bytes: 0 });
        assert_eq!(ids(&queue.peek(2)), ids(&[event(1), event(2)]));
        queue.confirm(2).unwrap();
        drop(queue);

        let (queue, _) = EventQueue::open(dir.path()).unwrap();
        assert_eq!(ids(&queue.peek(10)), ids(&[event(3)]));
        queue.confirm(1).unwrap();
        assert!(queue.is_empty());
        assert_eq!(std::fs::metadata(dir.path().join(EVENTS_FILE)).unwrap().len(), 0);
        assert!(!dir.path().join(CURSOR_FILE).exists());
        drop(queue);
        let (queue, recovered) = EventQueue::open(dir.path()).unwrap();
        assert_eq!(recovered.pending, 0);
        assert!(queue.peek(10).is_empty());
    }

    #[test]
    fn a_torn_last_line_is_cut_off_and_later_appends_stay_readable() {
        let dir = tempfile::tempdir().unwrap();
        let (queue, _) = EventQueue::open(dir.path()).unwrap();
        queue.append(&[event(1)]).unwrap();
        drop(queue);
        let path = dir.path().join(EVENTS_FILE);
        let mut file = OpenOptions::new().append(true).open(&path).unwrap();
        file.write_all(br#"{"id":"0000","at":"2025-"#).unwrap();
        drop(file);

        let (queue, recovered) = EventQueue::open(dir.path()).unwrap();
        assert_eq!(recovered.pending, 1);
        assert_eq!(recovered.torn_bytes, 24);
        queue.append(&[event(2)]).unwrap();
        drop(queue);
        let (queue, recovered) = EventQueue::open(dir.path()).unwrap();
        assert_eq!(recovered.torn_bytes, 0);
        assert_eq!(ids(&queue.peek(10)), ids(&[event(1), event(2)]));
    }

    #[test]
    fn a_damaged_line_is_skipped_not_fatal() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(EVENTS_FILE);
        let good = serde_json::to_string(&event(1)).unwrap();
        std::fs::write(&path, format!("not json\n{good}\n")).unwrap();
        let (queue, recovered) = EventQueue::open(dir.path()).unwrap();
        assert_eq!(recovered.skipped_lines, 1);
        assert_eq!(ids(&queue.peek(10)), ids(&[event(1)]));
    }

    #[test]
    fn a_long_confirmed_prefix_is_compacted_away() {
        let dir = tempfile::tempdir().unwrap();
        let (queue, _) = EventQueue::open(dir.path()).unwrap();
        let events: Vec<AccessEvent> = (0..COMPACT_AFTER as u32 + 1).map(event).collect();
        queue.append(&events).unwrap();
        queue.confirm(COMPACT_AFTER).unwrap();
        let text = std::fs::read_to_string(dir.path().join(EVENTS_FILE)).unwrap();
        assert_eq!(text.lines().count(), 1);
        drop(queue);
        let (queue, _) = EventQueue::open(dir.path()).unwrap();
        assert_eq!(ids(&queue.peek(10)), ids(&[event(COMPACT_AFTER as u32)]));
    }
}
