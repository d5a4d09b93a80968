//! Periodic work beside the web server: sending the outbox, writing reminders, releasing no-shows
//! and folding old presence readings. Each job is a Tokio task started with the application and
//! stopped with it. Each pass is also a public function, so tests can run it once and see its effect.

pub mod mail_sender;
pub mod presence;
pub mod reminders;
pub mod retention;

use std::time::Duration;

use tokio::sync::watch;
use tokio::task::JoinHandle;

pub use mail_sender::{SendReport, send_due_mail};
pub use presence::{fold_presence, release_no_shows};
pub use reminders::send_reminders;

use crate::state::AppState;

/// How often the mail job looks for due retries when nothing wakes it.
const MAIL_INTERVAL: Duration = Duration::from_secs(30);
/// How often the reminder job looks for bookings to remind of.
const REMINDER_INTERVAL: Duration = Duration::from_secs(60);
/// How often no-shows are looked for: the no-show window is counted in minutes.
const NO_SHOW_INTERVAL: Duration = Duration::from_secs(60);
/// How often week-old presence readings are folded into aggregates.
const PRESENCE_FOLD_INTERVAL: Duration = Duration::from_secs(3600);

/// The running jobs; [`Jobs::stop`] ends them, dropping the handle aborts them.
pub struct Jobs {
    stop: watch::Sender<bool>,
    tasks: Vec<JoinHandle<()>>,
}

impl Jobs {
    /// Starts every job on the current Tokio runtime.
    pub fn start(state: &AppState) -> Jobs {
        let (stop, stopped) = watch::channel(false);
        let tasks = vec![
            tokio::spawn(mail_loop(state.clone(), stopped.clone())),
            tokio::spawn(reminder_loop(state.clone(), stopped.clone())),
            tokio::spawn(no_show_loop(state.clone(), stopped.clone())),
            tokio::spawn(presence_fold_loop(state.clone(), stopped.clone())),
            tokio::spawn(retention::retention_loop(state.clone(), stopped)),
        ];
        Jobs { stop, tasks }
    }

    /// Asks the jobs to stop after the pass they are in, and waits for them.
    pub async fn stop(mut self) {
        let _ = self.stop.send(true);
        for task in self.tasks.drain(..) {
            let _ = task.await;
        }
    }
}

impl Drop for Jobs {
    fn drop(&mut self) {
        for task in &self.tasks {
            task.abort();
        }
    }
}

async fn mail_loop(state: AppState, mut stopped: watch::Receiver<bool>) {
    let mut ticks = tokio::time::interval(MAIL_INTERVAL);
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tokio::select! {
            _ = ticks.tick() => {}
            () = state.mailer.woken() => {}
            _ = stopped.changed() => return,
        }
        if let Err(error) = send_due_mail(&state).await {
            tracing::warn!(error = %error, "mail job pass failed; trying again later");
        }
    }
}

async fn reminder_loop(state: AppState, mut stopped: watch::Receiver<bool>) {
    let mut ticks = tokio::time::interval(REMINDER_INTERVAL);
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tokio::select! {
            _ = ticks.tick() => {}
            _ = stopped.changed() => return,
        }
        if let Err(error) = send_reminders(&state).await {
            tracing::warn!(error = %error, "reminder job pass failed; trying again later");
        }
    }
}

async fn no_show_loop(state: AppState, mut stopped: watch::Receiver<bool>) {
    let mut ticks = tokio::time::interval(NO_SHOW_INTERVAL);
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tokio::select! {
            _ = ticks.tick() => {}
            _ = stopped.changed() => return,
        }
        if let Err(error) = release_no_shows(&state).await {
            tracing::warn!(error = %error, "no-show job pass failed; trying again later");
        }
    }
}

async fn presence_fold_loop(state: AppState, mut stopped: watch::Receiver<bool>) {
    let mut ticks = tokio::time::interval(PRESENCE_FOLD_INTERVAL);
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tokio::select! {
            _ = ticks.tick() => {}
            _ = stopped.changed() => return,
        }
        if let Err(error) = fold_presence(&state).await {
            tracing::warn!(error = %error, "presence fold failed; trying again later");
        }
    }
}
