//! The gate in front of argon2: every password hash and check runs on a small fixed pool of
//! dedicated threads (one per core by default) behind a bounded queue. Each argon2 call takes
//! 19 MiB; on a fixed set of threads the allocator reuses the same memory, where a pool that grows
//! under load (the blocking pool) kept every extra thread's memory. When the queue is full a
//! request is refused at once ([`GateError::Busy`], answered 503 with `Retry-After`) instead of
//! waiting, so a flood of logins costs neither memory nor the async executor that serves every
//! other page. A caller that has database work to do before the hash (the login's throttle)
//! first takes a place with [`PasswordGate::reserve`]: in a storm, the attempts that would be
//! refused anyway are refused before they cost the database anything, so the other pages' queries
//! do not wait behind them. Which attempts may reach the gate at all is the throttles' business
//! (`service::accounts`), not this module's.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{Receiver, SyncSender, TrySendError, sync_channel};
use std::sync::{Arc, Mutex};

use tokio::sync::oneshot;

use super::accounts::{hash_password, verify_password};

/// Checked against when the e-mail address is unknown, so an unknown address costs the same
/// argon2 work as a known one and the answer time does not tell them apart. Same parameters as
/// [`hash_password`]; the password it hashes is not used anywhere.
const DUMMY_HASH: &str =
    "$argon2id$v=19$m=19456,t=2,p=1$yt3MJKpNXIY+D0xju2VaQw$u0YNpDFG5Xwat/OMnFfAcLjtxYIqYbhKdWP0C8XyP8U";

/// Queued jobs per worker when no queue length is configured: a short burst waits, a storm is
/// refused within a few seconds' worth of work.
const QUEUE_PER_WORKER: usize = 8;

/// How long a refused client should wait before trying again (seconds).
pub const BUSY_RETRY_AFTER_SECS: u64 = 2;

/// Why a password could not be hashed or checked now.
#[derive(Debug, thiserror::Error)]
pub enum GateError {
    /// The queue is full; the caller answers 503 with `Retry-After`.
    #[error("too many password checks at once")]
    Busy,
    #[error("password hashing failed: {0}")]
    Failed(String),
}

type Job = Box<dyn FnOnce() + Send + 'static>;

/// The pool's shared parts; the workers end when the last gate handle is dropped.
#[derive(Debug)]
struct Shared {
    jobs: SyncSender<Job>,
    workers: usize,
    queue: usize,
    /// Places taken (reserved, queued or running); never more than `workers + queue`.
    taken: AtomicUsize,
    running: AtomicUsize,
    peak: AtomicUsize,
}

/// One place in the gate, held from [`PasswordGate::reserve`] until its job is done (or the
/// reservation is dropped unused): a job with a place is never refused.
#[derive(Debug)]
pub struct Reservation {
    shared: Arc<Shared>,
}

impl Drop for Reservation {
    fn drop(&mut self) {
        self.shared.taken.fetch_sub(1, Ordering::SeqCst);
    }
}

/// Runs argon2 on the fixed pool; cheap to clone, shared through `AppState`.
#[derive(Debug, Clone)]
pub struct PasswordGate {
    shared: Arc<Shared>,
}

impl PasswordGate {
    /// Starts `workers` threads (at least one; 0 means one per core) behind a queue of `queue`
    /// waiting jobs (0 means eight per worker).
    ///
    /// # Errors
    /// When a thread cannot be started.
    pub fn start(workers: usize, queue: usize) -> std::io::Result<PasswordGate> {
        let workers = if workers == 0 { num_cpus::get().max(1) } else { workers };
        let queue = if queue == 0 { workers * QUEUE_PER_WORKER } else { queue };
        // Every queued job holds a place, so the channel never holds more than all places.
        let (jobs, receiver) = sync_channel::<Job>(workers + queue);
        let receiver = Arc::new(Mutex::new(receiver));
        for n in 0..workers {
            let receiver = receiver.clone();
            std::thread::Builder::new().name(format!("argon2-{n}")).spawn(move || work(&receiver))?;
        }
        tracing::info!(password.workers = workers, password.queue = queue, "password pool started");
        Ok(PasswordGate {
            shared: Arc::new(Shared {
                jobs,
                workers,
                queue,
                taken: AtomicUsize::new(0),
                running: AtomicUsize::new(0),
                peak: AtomicUsize::new(0),
            }),
        })
    }

    /// How many threads hash at most at once.
    pub fn workers(&self) -> usize {
        self.shared.workers
    }

    /// How many jobs may wait before new ones are refused.
    pub fn queue(&self) -> usize {
        self.shared.queue
    }

    /// The most jobs that ever ran at once; never more than [`PasswordGate::workers`].
    pub fn peak_running(&self) -> usize {
        self.shared.peak.load(Ordering::SeqCst)
    }

    /// Takes a place for one hash or check, without waiting.
    ///
    /// # Errors
    /// `Busy` when every place is taken (the workers are busy and the queue is full).
    pub fn reserve(&self) -> Result<Reservation, GateError> {
        let places = self.shared.workers + self.shared.queue;
        self.shared
            .taken
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |taken| (taken < places).then_some(taken + 1))
            .map_err(|_| GateError::Busy)?;
        Ok(Reservation { shared: self.shared.clone() })
    }

    /// The argon2id PHC string of `password`.
    ///
    /// # Errors
    /// `Busy` when the queue is full.
    pub async fn hash(&self, password: String) -> Result<String, GateError> {
        self.reserve()?.hash(password).await
    }

    /// Whether `password` matches `stored` — the user's hash, or `None` for an unknown address or
    /// an account without a password, which is checked against a dummy hash and never matches.
    ///
    /// # Errors
    /// `Busy` when the queue is full.
    pub async fn verify(&self, stored: Option<String>, password: String) -> Result<bool, GateError> {
        self.reserve()?.verify(stored, password).await
    }
}

impl Reservation {
    /// [`PasswordGate::hash`] in the place taken.
    ///
    /// # Errors
    /// Only when hashing itself fails.
    pub async fn hash(self, password: String) -> Result<String, GateError> {
        self.run(move || hash_password(&password).map_err(|e| GateError::Failed(e.to_string()))).await?
    }

    /// [`PasswordGate::verify`] in the place taken.
    ///
    /// # Errors
    /// Only when the worker is gone.
    pub async fn verify(self, stored: Option<String>, password: String) -> Result<bool, GateError> {
        self.run(move || match stored {
            Some(hash) => verify_password(&hash, &password),
            None => {
                let _ = verify_password(DUMMY_HASH, &password);
                false
            }
        })
        .await
    }

    async fn run<T: Send + 'static>(self, work: impl FnOnce() -> T + Send + 'static) -> Result<T, GateError> {
        self.submit(work)?.await.map_err(|_| GateError::Failed("password worker dropped the job".to_owned()))
    }

    /// Queues `work` in this place; the place is given back once the work is done or skipped.
    fn submit<T: Send + 'static>(
        self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Result<oneshot::Receiver<T>, GateError> {
        let (answer, result) = oneshot::channel();
        let span = tracing::Span::current();
        let shared = self.shared.clone();
        let jobs = self.shared.jobs.clone();
        let place = self;
        let job: Job = Box::new(move || {
            let _place = place;
            // The request was given up (the client went away): its work is not worth doing.
            if answer.is_closed() {
                return;
            }
            let _entered = span.enter();
            let now = shared.running.fetch_add(1, Ordering::SeqCst) + 1;
            shared.peak.fetch_max(now, Ordering::SeqCst);
            let value = work();
            shared.running.fetch_sub(1, Ordering::SeqCst);
            let _ = answer.send(value);
        });
        match jobs.try_send(job) {
            Ok(()) => Ok(result),
            Err(TrySendError::Full(_)) => Err(GateError::Busy),
            Err(TrySendError::Disconnected(_)) => Err(GateError::Failed("password workers stopped".to_owned())),
        }
    }
}

/// A worker: takes the next job until every gate handle is gone. A job that panicked loses
/// only its own answer.
fn work(receiver: &Mutex<Receiver<Job>>) {
    loop {
        let job = match receiver.lock() {
            Ok(jobs) => jobs.recv(),
            Err(poisoned) => poisoned.into_inner().recv(),
        };
        let Ok(job) = job else {
            return;
        };
        let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(job));
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use std::time::Duration;

    use super::*;

    #[test]
    fn the_dummy_hash_costs_what_a_real_one_costs() {
        let real = hash_password("any password at all").unwrap();
        let params = |h: &str| h.split('$').nth(3).unwrap().to_owned();
        assert_eq!(params(DUMMY_HASH), params(&real));
        assert!(DUMMY_HASH.starts_with("$argon2id$v=19$"));
    }

    #[tokio::test]
    async fn hashes_verify_and_unknown_users_never_match() {
        let gate = PasswordGate::start(1, 4).unwrap();
        let hash = gate.hash("a long test password".to_owned()).await.unwrap();
        assert!(gate.verify(Some(hash.clone()), "a long test password".to_owned()).await.unwrap());
        assert!(!gate.verify(Some(hash), "a wrong password!".to_owned()).await.unwrap());
        assert!(!gate.verify(None, "regiohub dummy password, never used".to_owned()).await.unwrap());
    }

    #[tokio::test]
    async fn at_most_the_pool_size_run_at_once() {
        let gate = PasswordGate::start(2, 16).unwrap();
        let running = Arc::new(AtomicUsize::new(0));
        let peak = Arc::new(AtomicUsize::new(0));
        let mut tasks = Vec::new();
        for _ in 0..6 {
            let (gate, running, peak) = (gate.clone(), running.clone(), peak.clone());
            tasks.push(tokio::spawn(async move {
                gate.reserve()
                    .unwrap()
                    .run(move || {
                        let now = running.fetch_add(1, Ordering::SeqCst) + 1;
                        peak.fetch_max(now, Ordering::SeqCst);
                        std::thread::sleep(Duration::from_millis(30));
                        running.fetch_sub(1, Ordering::SeqCst);
                    })
                    .await
                    .unwrap();
            }));
        }
        for task in tasks {
            task.await.unwrap();
        }
        let peak = peak.load(Ordering::SeqCst);
        assert!((1..=2).contains(&peak), "{peak} ran at once");
        assert!(gate.peak_running() <= 2);
    }

    #[tokio::test]
    async fn a_full_queue_refuses_at_once() {
        let gate = PasswordGate::start(1, 1).unwrap();
        // Hold the only worker until the test lets go, then fill the one queue place.
        let (release, held) = std::sync::mpsc::channel::<()>();
        let (started_tx, started) = oneshot::channel::<()>();
        let busy = gate
            .reserve()
            .unwrap()
            .submit(move || {
                let _ = started_tx.send(());
                let _ = held.recv();
            })
            .unwrap();
        started.await.unwrap();
        let queued = gate.reserve().unwrap().submit(|| 1).unwrap();
        assert!(matches!(gate.reserve(), Err(GateError::Busy)), "refused without waiting for the worker");
        release.send(()).unwrap();
        busy.await.unwrap();
        assert_eq!(queued.await.unwrap(), 1);
        assert_eq!(gate.peak_running(), 1);
        assert!(gate.reserve().is_ok(), "places come back once the work is done");
    }

    #[tokio::test]
    async fn an_unused_reservation_gives_its_place_back() {
        let gate = PasswordGate::start(1, 1).unwrap();
        let first = gate.reserve().unwrap();
        let second = gate.reserve().unwrap();
        assert!(matches!(gate.reserve(), Err(GateError::Busy)), "worker and queue place taken");
        drop(first);
        let third = gate.reserve().expect("the dropped place is free again");
        drop((second, third));
    }
}
