//! The link status: the snapshot and command loops report each call's outcome here, and the
//! bridge counts as online (status b0 set, b5 clear) only while both last succeeded. Going
//! offline is logged once with its cause, coming back once.

use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use super::client::UplinkError;
use crate::bridge::SharedBridgeState;

/// A loop whose calls decide the link status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Part {
    Snapshot,
    Commands,
}

/// Shared by the loops; cheap to clone.
#[derive(Clone)]
pub(super) struct Link {
    state: SharedBridgeState,
    parts: Arc<Mutex<Parts>>,
}

#[derive(Default)]
struct Parts {
    snapshot: bool,
    commands: bool,
    /// The status last set; `None` until the first call ended.
    online: Option<bool>,
}

impl Link {
    /// Starts offline: the bridge decides from its cached snapshot until the central service
    /// has answered both loops.
    pub(super) fn new(state: SharedBridgeState) -> Self {
        state.set_central_reachable(false);
        state.set_deciding_offline(true);
        Self { state, parts: Arc::new(Mutex::new(Parts::default())) }
    }

    fn lock(&self) -> MutexGuard<'_, Parts> {
        self.parts.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Whether the last call of `part` succeeded (then it may long-poll; otherwise it probes).
    pub(super) fn is_up(&self, part: Part) -> bool {
        let parts = self.lock();
        match part {
            Part::Snapshot => parts.snapshot,
            Part::Commands => parts.commands,
        }
    }

    pub(super) fn up(&self, part: Part) {
        self.report(part, None);
    }

    pub(super) fn down(&self, part: Part, error: &UplinkError) {
        self.report(part, Some(error));
    }

    fn report(&self, part: Part, error: Option<&UplinkError>) {
        let mut parts = self.lock();
        let ok = error.is_none();
        match part {
            Part::Snapshot => parts.snapshot = ok,
            Part::Commands => parts.commands = ok,
        }
        let online = parts.snapshot && parts.commands;
        if parts.online == Some(online) {
            if let Some(error) = error {
                tracing::debug!(part = ?part, %error, "central service call failed");
            }
            return;
        }
        parts.online = Some(online);
        // Status changes under the link's lock, so two loops cannot interleave them.
        self.state.set_central_reachable(online);
        self.state.set_deciding_offline(!online);
        match error {
            None => tracing::info!("central service reachable; deciding online"),
            Some(error) => tracing::warn!(part = ?part, %error, "central service unreachable; deciding offline"),
        }
    }
}
