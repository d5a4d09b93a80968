//! The HTTP client of the bridge API (`<central_url>/api/bridge/v1/…`): one method per call
//! of the contract in `hardware/README.md`, each under a timeout, with the bridge token as a
//! bearer token. No retries and no state here; the loops decide what to do with a failure.

use std::time::Duration;

use reqwest::StatusCode;

use super::BridgeToken;
use crate::protocol::{AccessEvent, AccessSnapshot, EventReceipt, EventUpload, RemoteUnlock, RemoteUnlockBatch};

/// Added to a long-poll's `wait` for the whole call: the answer may be on its way when the
/// wait ends.
const LONG_POLL_SLACK: Duration = Duration::from_secs(15);
/// Bound on a call that does not wait on purpose (event upload) and on every connect.
const CALL_TIMEOUT: Duration = Duration::from_secs(20);

/// Why a call to the central service failed. Messages never contain the token.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UplinkError {
    #[error("the central service refused the bridge token (401)")]
    Unauthorized,
    #[error("the central service answered HTTP {0}")]
    Status(u16),
    #[error("the central service cannot be reached: {0}")]
    Transport(String),
    #[error("the central service sent an unreadable answer: {0}")]
    Body(String),
    #[error("the central service sent hub \"{found}\"'s snapshot; this bridge is hub \"{expected}\"")]
    WrongHub { found: String, expected: String },
    #[error("the central service confirmed {confirmed} of {sent} events")]
    Unconfirmed { sent: usize, confirmed: u64 },
}

/// The answer to a snapshot long-poll.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SnapshotPoll {
    /// A snapshot whose version differs from the one the bridge holds.
    Changed(Box<AccessSnapshot>),
    /// `304`: what the bridge holds is still current.
    Unchanged,
}

/// A client for one bridge's API.
#[derive(Clone)]
pub struct CentralClient {
    http: reqwest::Client,
    base: String,
    token: BridgeToken,
}

impl std::fmt::Debug for CentralClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CentralClient").field("base", &self.base).finish_non_exhaustive()
    }
}

impl CentralClient {
    /// A client for `central_url` (`https://…`, or `http://…` on a test bench).
    ///
    /// # Errors
    /// The TLS stack cannot be set up.
    pub fn new(central_url: &str, token: BridgeToken) -> Result<Self, UplinkError> {
        let http = reqwest::Client::builder()
            .connect_timeout(CALL_TIMEOUT)
            .user_agent(concat!("regiohub-bridge/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|error| UplinkError::Transport(error.to_string()))?;
        let base = format!("{}/api/bridge/v1", central_url.trim_end_matches('/'));
        Ok(Self { http, base, token })
    }

    /// `GET /snapshot?after=<version>&wait=<s>`.
    ///
    /// # Errors
    /// Unreachable, a refused token, any status but 200/304, or an unreadable body.
    pub async fn snapshot(&self, after: Option<u64>, wait: Duration) -> Result<SnapshotPoll, UplinkError> {
        let mut query = vec![("wait", wait.as_secs().to_string())];
        if let Some(version) = after {
            query.push(("after", version.to_string()));
        }
        let response = self
            .http
            .get(format!("{}/snapshot", self.base))
            .query(&query)
            .bearer_auth(self.token.secret())
            .timeout(wait + LONG_POLL_SLACK)
            .send()
            .await
            .map_err(transport)?;
        match response.status() {
            StatusCode::NOT_MODIFIED => Ok(SnapshotPoll::Unchanged),
            StatusCode::OK => {
                let snapshot = response.json::<AccessSnapshot>().await.map_err(body)?;
                Ok(SnapshotPoll::Changed(Box::new(snapshot)))
            }
            status => Err(status_error(status)),
        }
    }

    /// `GET /commands?wait=<s>`: the remote unlocks waiting for this hub (each returned once).
    ///
    /// # Errors
    /// Unreachable, a refused token, any status but 200, or an unreadable body.
    pub async fn commands(&self, wait: Duration) -> Result<Vec<RemoteUnlock>, UplinkError> {
        let response = self
            .http
            .get(format!("{}/commands", self.base))
            .query(&[("wait", wait.as_secs().to_string())])
            .bearer_auth(self.token.secret())
            .timeout(wait + LONG_POLL_SLACK)
            .send()
            .await
            .map_err(transport)?;
        match response.status() {
            StatusCode::OK => Ok(response.json::<RemoteUnlockBatch>().await.map_err(body)?.commands),
            status => Err(status_error(status)),
        }
    }

    /// `POST /events`: `events` in the order they happened (at most 500).
    ///
    /// # Errors
    /// Unreachable, a refused token, any status but 200, or an unreadable body.
    pub async fn post_events(&self, events: &[AccessEvent]) -> Result<EventReceipt, UplinkError> {
        let upload = EventUpload { events: events.to_vec() };
        let response = self
            .http
            .post(format!("{}/events", self.base))
            .bearer_auth(self.token.secret())
            .json(&upload)
            .timeout(CALL_TIMEOUT)
            .send()
            .await
            .map_err(transport)?;
        match response.status() {
            StatusCode::OK => response.json::<EventReceipt>().await.map_err(body),
            status => Err(status_error(status)),
        }
    }
}

fn status_error(status: StatusCode) -> UplinkError {
    if status == StatusCode::UNAUTHORIZED { UplinkError::Unauthorized } else { UplinkError::Status(status.as_u16()) }
}

fn transport(error: reqwest::Error) -> UplinkError {
    UplinkError::Transport(describe(&error))
}

fn body(error: reqwest::Error) -> UplinkError {
    if error.is_decode() { UplinkError::Body(describe(&error)) } else { transport(error) }
}

/// The error with its causes on one line ("error sending request: connection refused").
fn describe(error: &reqwest::Error) -> String {
    let mut text = if error.is_timeout() { "timed out".to_owned() } else { error.to_string() };
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}
