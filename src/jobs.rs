//! Periodic work beside the web server: sending the outbox, writing reminders, releasing no-shows,
//! declining requests not decided by their start, completing ended bookings, offering freed slots
//! to their waitlists and folding old presence readings. Each job is a Tokio task started with
//! the application and stopped with it. Each pass is also a public function, so tests can run it once and see its effect.

pub mod approvals;
pub mod mail_sender;
pub mod presence;
pub mod reminders;
pub mod retention;
pub mod waitlist;

use std::time::Duration;

use tokio::sync::watch;
use tokio::task::JoinHandle;

pub use approvals::{LifeCycleReport, run_life_cycle};
pub use mail_sender::{SendReport, send_due_mail};
pub use presence::{fold_presence, release_no_shows};
pub use reminders::send_reminders;

use crate::metrics::Job;
use crate::service::ServiceError;
use crate::state::AppState;

/// How often the mail job looks for due retries when nothing wakes it.
const MAIL_INTERVAL: Duration = Duration::from_secs(30);
/// How often the reminder job looks for bookings to remind of.
const REMINDER_INTERVAL: Duration = Duration::from_secs(60);
/// How often no-shows are looked for: the no-show window is counted in minutes.
const NO_SHOW_INTERVAL: Duration = Duration::from_secs(60);
/// How often requests not decided by their start are declined and ended bookings completed.
const LIFE_CYCLE_INTERVAL: Duration = Duration::from_secs(60);
/// How often freed slots are offered to their waitlists and run-out offers passed on.
const WAITLIST_INTERVAL: Duration = Duration::from_secs(60);
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
            tokio::spawn(life_cycle_loop(state.clone(), stopped.clone())),
            tokio::spawn(waitlist_loop(state.clone(), stopped.clone())),
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

/// Runs `pass` every `every`, the first time `first_after` from now (at once for zero), and also
/// whenever `woken` fires, until the jobs stop. A failed pass is logged as `what` failed and
/// tried again at the next tick; ticks missed during a long pass are not made up for, so a slow
/// database never gets a burst of passes. The one loop every job runs.
async fn run_every<T, Pass, Passing, Woken, Waking>(
    what: &'static str,
    every: Duration,
    first_after: Duration,
    mut stopped: watch::Receiver<bool>,
    mut woken: Woken,
    mut pass: Pass,
) where
    Pass: FnMut() -> Passing,
    Passing: Future<Output = Result<T, ServiceError>>,
    Woken: FnMut() -> Waking,
    Waking: Future<Output = ()>,
{
    let mut ticks = tokio::time::interval_at(tokio::time::Instant::now() + first_after, every);
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tokio::select! {
            _ = ticks.tick() => {}
            () = woken() => {}
            _ = stopped.changed() => return,
        }
        if let Err(error) = pass().await {
            tracing::warn!(error = %error, "{what} failed; trying again later");
        }
    }
}

/// For jobs that only run on their ticks.
fn never() -> std::future::Pending<()> {
    std::future::pending()
}

/// Runs one pass of `job` and counts it, with its result, in the app's metrics.
async fn counted<T>(
    state: &AppState,
    job: Job,
    pass: impl Future<Output = Result<T, ServiceError>>,
) -> Result<T, ServiceError> {
    let result = pass.await;
    state.metrics.job_run(job, result.is_ok());
    result
}

async fn mail_loop(state: AppState, stopped: watch::Receiver<bool>) {
    // Woken as soon as a mail is queued, so a confirmation does not wait for the next tick.
    let woken = || state.mailer.woken();
    let pass = || counted(&state, Job::Mail, send_due_mail(&state));
    run_every("mail job pass", MAIL_INTERVAL, Duration::ZERO, stopped, woken, pass).await;
}

async fn reminder_loop(state: AppState, stopped: watch::Receiver<bool>) {
    let pass = || counted(&state, Job::Reminders, send_reminders(&state));
    run_every("reminder job pass", REMINDER_INTERVAL, Duration::ZERO, stopped, never, pass).await;
}

async fn no_show_loop(state: AppState, stopped: watch::Receiver<bool>) {
    let pass = || counted(&state, Job::NoShows, release_no_shows(&state));
    run_every("no-show job pass", NO_SHOW_INTERVAL, Duration::ZERO, stopped, never, pass).await;
}

async fn life_cycle_loop(state: AppState, stopped: watch::Receiver<bool>) {
    let pass = || counted(&state, Job::LifeCycle, run_life_cycle(&state));
    run_every("booking life-cycle pass", LIFE_CYCLE_INTERVAL, Duration::ZERO, stopped, never, pass).await;
}

async fn waitlist_loop(state: AppState, stopped: watch::Receiver<bool>) {
    let pass = || counted(&state, Job::Waitlist, waitlist::offer_freed_slots(&state));
    run_every("waitlist pass", WAITLIST_INTERVAL, Duration::ZERO, stopped, never, pass).await;
}

async fn presence_fold_loop(state: AppState, stopped: watch::Receiver<bool>) {
    let pass = || counted(&state, Job::PresenceFold, fold_presence(&state));
    run_every("presence fold", PRESENCE_FOLD_INTERVAL, Duration::ZERO, stopped, never, pass).await;
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use std::sync::Arc;

    use tokio::sync::{Notify, mpsc};

    use super::*;

    #[tokio::test]
    async fn a_job_runs_at_once_again_when_woken_after_a_failure_and_stops_when_asked() {
        let (stop, stopped) = watch::channel(false);
        let wake = Arc::new(Notify::new());
        let (done, mut passes) = mpsc::unbounded_channel();
        let job = tokio::spawn({
            let wake = wake.clone();
            async move {
                let mut n = 0;
                let pass = || {
                    n += 1;
                    done.send(n).unwrap();
                    std::future::ready(if n == 1 { Err(ServiceError::NotFound) } else { Ok(()) })
                };
                run_every("test pass", Duration::from_secs(3600), Duration::ZERO, stopped, || wake.notified(), pass)
                    .await;
            }
        });
        assert_eq!(passes.recv().await, Some(1), "the first tick comes at once");
        wake.notify_one();
        assert_eq!(passes.recv().await, Some(2), "woken long before the next tick; the failure did not end the loop");
        stop.send(true).unwrap();
        tokio::time::timeout(Duration::from_secs(10), job).await.unwrap().unwrap();
        assert_eq!(passes.recv().await, None, "no pass after the stop");
    }
}
