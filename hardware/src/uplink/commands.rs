//! Remote unlock commands from the central service: a long-poll loop that hands each command
//! to the door state, which carries it out through the door rule or refuses it (deadline
//! passed, bridge offline, unknown door, no valid booking) and records the outcome as a
//! `remote_unlock_result` event. A command is never retried: the central service delivers it
//! once, and a late unlock is worse than none.

use std::time::Duration;

use super::LONG_POLL;
use super::backoff::Backoff;
use super::client::CentralClient;
use super::link::{Link, Part};
use crate::bridge::SharedBridgeState;

/// Follows the central service's commands until the task is aborted.
pub(super) async fn follow(client: CentralClient, state: SharedBridgeState, link: Link) {
    let mut backoff = Backoff::default();
    loop {
        let wait = if link.is_up(Part::Commands) { LONG_POLL } else { Duration::ZERO };
        match client.commands(wait).await {
            Ok(commands) => {
                link.up(Part::Commands);
                backoff.reset();
                for command in &commands {
                    // The state refuses it while offline or past its deadline.
                    state.remote_unlock_command(command);
                }
            }
            Err(error) => {
                link.down(Part::Commands, &error);
                backoff.wait().await;
            }
        }
    }
}
