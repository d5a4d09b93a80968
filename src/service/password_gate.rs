//! The gate in front of argon2: every password hash and check runs on a blocking thread, and at
//! most one per core at a time, so a flood of logins queues here instead of exhausting memory
//! (19 MiB each) or stalling the async executor that serves every other page.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::Semaphore;

use super::accounts::{hash_password, verify_password};

/// Checked against when the e-mail address is unknown, so an unknown address costs the same
/// argon2 work as a known one and the answer time does not tell them apart. Same parameters as
/// [`hash_password`]; the password it hashes is not used anywhere.
const DUMMY_HASH: &str =
    "$argon2id$v=19$m=19456,t=2,p=1$yt3MJKpNXIY+D0xju2VaQw$u0YNpDFG5Xwat/OMnFfAcLjtxYIqYbhKdWP0C8XyP8U";

/// How long a request waits for its turn before it is answered "busy, try again".
const QUEUE_TIMEOUT: Duration = Duration::from_secs(20);

/// Why a password could not be hashed or checked now.
#[derive(Debug, thiserror::Error)]
pub enum GateError {
    /// Too many password operations are waiting; the caller answers 503.
    #[error("too many password checks at once")]
    Busy,
    #[error("password hashing failed: {0}")]
    Failed(String),
}

/// Runs argon2 off the executor behind a semaphore; cheap to clone, shared through `AppState`.
#[derive(Debug, Clone)]
pub struct PasswordGate {
    permits: Arc<Semaphore>,
}

impl PasswordGate {
    /// A gate letting `parallel` hashes run at once (at least one).
    pub fn new(parallel: usize) -> PasswordGate {
        PasswordGate { permits: Arc::new(Semaphore::new(parallel.max(1))) }
    }

    /// One hash per core: more would only make each slower and use more memory.
    pub fn sized_to_cores() -> PasswordGate {
        PasswordGate::new(num_cpus::get())
    }

    /// The argon2id PHC string of `password`.
    ///
    /// # Errors
    /// `Busy` when the queue does not move in time.
    pub async fn hash(&self, password: String) -> Result<String, GateError> {
        self.run(move || hash_password(&password).map_err(|e| GateError::Failed(e.to_string()))).await?
    }

    /// Whether `password` matches `stored` — the user's hash, or `None` for an unknown address or
    /// an account without a password, which is checked against a dummy hash and never matches.
    ///
    /// # Errors
    /// `Busy` when the queue does not move in time.
    pub async fn verify(&self, stored: Option<String>, password: String) -> Result<bool, GateError> {
        self.run(move || match stored {
            Some(hash) => verify_password(&hash, &password),
            None => {
                let _ = verify_password(DUMMY_HASH, &password);
                false
            }
        })
        .await
    }

    async fn run<T: Send + 'static>(&self, work: impl FnOnce() -> T + Send + 'static) -> Result<T, GateError> {
        let permit = tokio::time::timeout(QUEUE_TIMEOUT, self.permits.clone().acquire_owned())
            .await
            .map_err(|_| GateError::Busy)?
            .map_err(|_| GateError::Busy)?;
        let span = tracing::Span::current();
        tokio::task::spawn_blocking(move || {
            let _entered = span.enter();
            let result = work();
            drop(permit);
            result
        })
        .await
        .map_err(|e| GateError::Failed(e.to_string()))
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
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
        let gate = PasswordGate::new(1);
        let hash = gate.hash("a long test password".to_owned()).await.unwrap();
        assert!(gate.verify(Some(hash.clone()), "a long test password".to_owned()).await.unwrap());
        assert!(!gate.verify(Some(hash), "a wrong password!".to_owned()).await.unwrap());
        assert!(!gate.verify(None, "regiohub dummy password, never used".to_owned()).await.unwrap());
    }

    #[tokio::test]
    async fn at_most_the_permitted_number_run_at_once() {
        let gate = PasswordGate::new(2);
        let running = Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let peak = Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let mut tasks = Vec::new();
        for _ in 0..6 {
            let (gate, running, peak) = (gate.clone(), running.clone(), peak.clone());
            tasks.push(tokio::spawn(async move {
                gate.run(move || {
                    use std::sync::atomic::Ordering::SeqCst;
                    let now = running.fetch_add(1, SeqCst) + 1;
                    peak.fetch_max(now, SeqCst);
                    std::thread::sleep(Duration::from_millis(30));
                    running.fetch_sub(1, SeqCst);
                })
                .await
                .unwrap();
            }));
        }
        for task in tasks {
            task.await.unwrap();
        }
        let peak = peak.load(std::sync::atomic::Ordering::SeqCst);
        assert!((1..=2).contains(&peak), "{peak} ran at once");
    }
}
