//! Whether the bridge's clock may be trusted (status b2, `bridge.clock`): `assume_synced`
//! trusts it from the start; `systemd` follows systemd-timesyncd, which creates
//! `/run/systemd/timesync/synchronized` once the clock was synchronised since boot. Without
//! a synced clock the door rule denies every booking credential (`clock_not_synced`).

use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::bridge::SharedBridgeState;
use crate::config::{ClockSource, SYSTEMD_SYNCED_FLAG};

/// How often the flag file is looked at.
const CHECK_EVERY: Duration = Duration::from_secs(5);

/// Sets the clock bit once, before the bridge serves; returns the flag file to follow and
/// what it said, if any.
pub(super) async fn initial(source: ClockSource, state: &SharedBridgeState) -> Option<(PathBuf, bool)> {
    match source {
        ClockSource::AssumeSynced => {
            state.set_clock_synced(true);
            None
        }
        ClockSource::Systemd => {
            let flag = PathBuf::from(SYSTEMD_SYNCED_FLAG);
            let synced = flag_present(&flag).await;
            state.set_clock_synced(synced);
            if !synced {
                tracing::warn!(flag = %flag.display(), "clock not synced yet; booking credentials are denied until it is");
            }
            Some((flag, synced))
        }
    }
}

/// Follows the flag file until the task is aborted.
pub(super) async fn follow_flag(flag: PathBuf, state: SharedBridgeState, synced: bool) {
    follow_flag_every(flag, state, synced, CHECK_EVERY).await;
}

async fn follow_flag_every(flag: PathBuf, state: SharedBridgeState, mut synced: bool, every: Duration) {
    loop {
        tokio::time::sleep(every).await;
        let now = flag_present(&flag).await;
        if now != synced {
            synced = now;
            state.set_clock_synced(now);
            if now {
                tracing::info!("clock synced");
            } else {
                tracing::warn!("clock no longer synced; booking credentials are denied");
            }
        }
    }
}

async fn flag_present(flag: &Path) -> bool {
    tokio::fs::try_exists(flag).await.unwrap_or(false)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use crate::bridge::BridgeSettings;

    #[tokio::test]
    async fn the_clock_bit_follows_the_flag_file() {
        let dir = tempfile::tempdir().unwrap();
        let flag = dir.path().join("synchronized");
        let state = SharedBridgeState::new(BridgeSettings::default());
        state.set_clock_synced(true);
        let follower = tokio::spawn(follow_flag_every(flag.clone(), state.clone(), true, Duration::from_millis(10)));
        let wait_for = |wanted: bool| {
            let state = state.clone();
            async move {
                tokio::time::timeout(Duration::from_secs(30), async {
                    while state.is_clock_synced() != wanted {
                        tokio::time::sleep(Duration::from_millis(10)).await;
                    }
                })
                .await
                .unwrap();
            }
        };
        wait_for(false).await;
        std::fs::write(&flag, b"").unwrap();
        wait_for(true).await;
        std::fs::remove_file(&flag).unwrap();
        wait_for(false).await;
        follower.abort();
    }
}
