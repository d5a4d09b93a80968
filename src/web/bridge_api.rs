//! The bridge API (`/api/bridge/v1`): a hub's bridge pulls its access snapshot and remote-unlock
//! commands (both long-polled) and pushes its events. Authenticated per bridge with a bearer
//! token; a bridge only ever sees its own hub. The rules live in `service::bridge_link`.

use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

use actix_web::http::{StatusCode, header};
use actix_web::{FromRequest, HttpRequest, HttpResponse, dev::Payload, web};
use serde::Deserialize;

use crate::db::access::Bridge;
use crate::service::bridge_link::wire::{EventBatch, RemoteUnlockBatch};
use crate::service::bridge_link::{self, MAX_EVENTS_PER_BATCH};
use crate::state::AppState;
use crate::web::api::auth::bearer_token;
use crate::web::api::error::ApiError;

/// The longest a long-poll may wait.
const MAX_WAIT: Duration = Duration::from_secs(30);
/// Even without a signal, a waiting poll looks again this often: a booking entering the
/// snapshot's horizon changes it without anyone writing, and a lost announcement (another
/// instance's, through PostgreSQL) costs no more than this.
const SAFETY_RECHECK: Duration = Duration::from_secs(30);
/// A waiting commands poll looks again this often without a signal: a remote unlock is good for
/// 10 s, so a lost announcement must not cost it the whole wait.
const COMMANDS_RECHECK: Duration = Duration::from_secs(5);

/// The bridge routes, relative to `/api/bridge/v1`.
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.app_data(
        web::JsonConfig::default()
            .limit(4 * 1024 * 1024)
            .error_handler(|err, _req| ApiError::malformed_json(&err).into()),
    )
    .app_data(web::QueryConfig::default().error_handler(|err, _req| ApiError::bad_query(&err).into()))
    .service(web::resource("/snapshot").route(web::get().to(snapshot)))
    .service(web::resource("/commands").route(web::get().to(commands)))
    .service(web::resource("/events").route(web::post().to(events)));
}

/// The calling bridge, identified by its bearer token.
#[derive(Debug, Clone)]
pub struct BridgeCaller(pub Bridge);

impl FromRequest for BridgeCaller {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<BridgeCaller, ApiError>>>>;

    fn from_request(req: &HttpRequest, _payload: &mut Payload) -> Self::Future {
        let state = req.app_data::<web::Data<AppState>>().cloned();
        let token = bearer_token(req);
        Box::pin(async move {
            let (Some(state), Some(token)) = (state, token) else {
                return Err(ApiError::unauthorized());
            };
            let now = state.clock.now();
            state
                .db(move |conn| bridge_link::authenticate_bridge(conn, &token, now))
                .await?
                .map(BridgeCaller)
                .ok_or_else(ApiError::unauthorized)
        })
    }
}

/// `?after=<version>&wait=<seconds>`
#[derive(Debug, Deserialize)]
pub struct SnapshotQuery {
    pub after: Option<u64>,
    pub wait: Option<u64>,
}

/// `?wait=<seconds>`
#[derive(Debug, Deserialize)]
pub struct WaitQuery {
    pub wait: Option<u64>,
}

fn wait_of(seconds: Option<u64>) -> Duration {
    Duration::from_secs(seconds.unwrap_or(0)).min(MAX_WAIT)
}

/// The hub's snapshot as soon as its version differs from `after`; 304 when it did not change
/// within `wait`.
async fn snapshot(
    state: web::Data<AppState>,
    caller: BridgeCaller,
    query: web::Query<SnapshotQuery>,
) -> Result<HttpResponse, ApiError> {
    let hub_id = caller.0.hub_id.clone();
    let give_up = tokio::time::Instant::now() + wait_of(query.wait);
    let horizon = chrono::Duration::hours(i64::from(state.settings.bridge_snapshot_horizon_hours));
    let signal = state.hub_signals.of(&hub_id);
    loop {
        // Registered before looking, so a change committed while we build is not missed.
        let notified = signal.notified();
        tokio::pin!(notified);
        notified.as_mut().enable();
        let now = state.clock.now();
        let hub = hub_id.clone();
        let catalogue = state.context.catalogue.clone();
        let snapshot = state.db(move |tx| bridge_link::numbered_snapshot(tx, &catalogue, &hub, now, horizon)).await?;
        let now_instant = tokio::time::Instant::now();
        if query.after != Some(snapshot.version) {
            if let Some(rest) = state.snapshot_pacing.hold_back(&caller.0.id, query.after, now_instant) {
                // Build again after the pause: whatever is newest then is answered.
                tokio::time::sleep(rest).await;
                continue;
            }
            state.snapshot_pacing.answered(&caller.0.id, snapshot.version, now_instant);
            tracing::debug!(hub.id = %hub_id, snapshot.version = snapshot.version, "access snapshot sent");
            return Ok(HttpResponse::Ok()
                .insert_header((header::ETAG, format!("\"{}\"", snapshot.version)))
                .insert_header((header::CACHE_CONTROL, "no-store"))
                .json(snapshot));
        }
        if now_instant >= give_up {
            return Ok(not_modified(snapshot.version));
        }
        let until = (now_instant + SAFETY_RECHECK).min(give_up);
        let _ = tokio::time::timeout_at(until, notified).await;
    }
}

fn not_modified(version: u64) -> HttpResponse {
    HttpResponse::build(StatusCode::NOT_MODIFIED).insert_header((header::ETAG, format!("\"{version}\""))).finish()
}

/// The hub's pending remote unlocks, each handed out once; an empty list after `wait`.
async fn commands(
    state: web::Data<AppState>,
    caller: BridgeCaller,
    query: web::Query<WaitQuery>,
) -> Result<HttpResponse, ApiError> {
    let hub_id = caller.0.hub_id.clone();
    let give_up = tokio::time::Instant::now() + wait_of(query.wait);
    let signal = state.hub_signals.of(&hub_id);
    loop {
        let notified = signal.notified();
        tokio::pin!(notified);
        notified.as_mut().enable();
        let now = state.clock.now();
        let hub = hub_id.clone();
        let commands = state.db(move |conn| bridge_link::take_commands(conn, &hub, now)).await?;
        let now_instant = tokio::time::Instant::now();
        if !commands.is_empty() || now_instant >= give_up {
            return Ok(HttpResponse::Ok()
                .insert_header((header::CACHE_CONTROL, "no-store"))
                .json(RemoteUnlockBatch { commands }));
        }
        let until = (now_instant + COMMANDS_RECHECK).min(give_up);
        let _ = tokio::time::timeout_at(until, notified).await;
    }
}

/// Stores a batch of the bridge's events, each at most once.
async fn events(
    state: web::Data<AppState>,
    caller: BridgeCaller,
    body: web::Json<EventBatch>,
) -> Result<HttpResponse, ApiError> {
    let batch = body.into_inner();
    if batch.events.len() > MAX_EVENTS_PER_BATCH {
        return Err(ApiError::invalid(
            "events",
            "too_many_events",
            format!("At most {MAX_EVENTS_PER_BATCH} events per request."),
        ));
    }
    let hub_id = caller.0.hub_id.clone();
    let now = state.clock.now();
    let count = batch.events.len();
    let hub = hub_id.clone();
    let ingested = state.db(move |tx| bridge_link::ingest_events(tx, &hub, &batch.events, now)).await?;
    for decision in ingested.decisions {
        state.metrics.door_decision(decision);
    }
    let receipt = ingested.receipt;
    tracing::info!(
        bridge.id = %caller.0.id,
        events = count,
        accepted = receipt.accepted,
        duplicates = receipt.duplicates,
        "bridge events stored"
    );
    Ok(HttpResponse::Ok().json(receipt))
}
