//! PIN-guessing benchmark for issue 11, item 4 (a measurement, not a test; CI does not run it).
//!
//! Drives the bridge's real state machine — `SharedBridgeState` behind a `DoorServer` on
//! loopback, spoken to by the simulated door controller over Modbus, exactly as the door
//! tests do — on a `ManualClock`, so 30 days of keypad guessing take seconds. The attacker
//! types a wrong PIN whenever the keypad is not locked (one every 6 s, the fastest the request
//! limit allows), reads `lockout_remaining_s` like anyone standing at the door can, and tries
//! several pause strategies: none, waiting out the 24 h forgiveness after k lockouts, and
//! interleaving a valid PIN of their own. The snapshot is refreshed every 12 virtual hours so
//! it never grows too old. Prints guesses per door per day for each strategy and, for the
//! best one, the expected days to guess one of N valid 6-digit PINs at D doors.
//!
//! Run: `cargo run --release -p regiohub-hardware --example pin_guessing`

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context as _, anyhow, bail};
use chrono::{DateTime, TimeDelta, TimeZone, Utc};
use regiohub_hardware::bridge::registers::RequestResult;
use regiohub_hardware::bridge::sim_controller::SimController;
use regiohub_hardware::bridge::{BridgeSettings, DoorRuntimeConfig, DoorServer, ManualClock, SharedBridgeState};
use regiohub_hardware::protocol::{
    AccessEvent, AccessEventKind, AccessSnapshot, BookingId, BookingStatus, DoorId, HubId, SnapshotDoor, SnapshotGrant,
    SpaceId, pin_verifier,
};
use tokio::net::TcpListener;
use tokio::sync::{mpsc, oneshot};

const HUB_KEY: &[u8] = b"benchmark-hub-key";
const DAYS: u64 = 30;
const DAY: Duration = Duration::from_secs(24 * 3600);
/// The request limit is 10 per sliding minute and door; one guess every 6 s never hits it.
const TYPING: Duration = Duration::from_secs(6);
const SNAPSHOT_REFRESH: Duration = Duration::from_secs(12 * 3600);
const UNIT: u8 = 1;
/// The attacker's own booking's PIN, valid for the whole run.
const OWN_PIN: &str = "999999";
/// Ten members' valid PINs, one of them too early and one for another room, so the run also
/// shows that the keypad answers all refusals alike. The attacker's sequence (000000 upwards)
/// does not reach them within 30 days at these rates; a hit would be counted and printed.
const VALID_PINS: [&str; 10] =
    ["314159", "271828", "161803", "141421", "173205", "223606", "264575", "302775", "331662", "360555"];
const SPACE_SIZE: f64 = 1_000_000.0;

#[derive(Debug, Clone, Copy)]
enum Strategy {
    /// Type whenever the keypad is not locked.
    NoPause,
    /// After this many lockouts in a row, wait until the last one has ended plus the 24 h
    /// of quiet that forgives everything, then start again from the 60 s lockout.
    ForgiveAfter(u32),
    /// Type the attacker's own valid PIN between guesses (a grant resets nothing now).
    InterleaveOwnPin,
}

impl Strategy {
    fn describe(self) -> String {
        match self {
            Self::NoPause => "no pause".to_owned(),
            Self::ForgiveAfter(k) => format!("wait 24 h after {k} lockout(s)"),
            Self::InterleaveOwnPin => "own valid PIN between guesses".to_owned(),
        }
    }
}

#[derive(Debug, Default)]
struct Outcome {
    guesses: u64,
    hits: u64,
    lockouts: u64,
    longest_lockout_s: u64,
    own_grants: u64,
    keypad_answers: BTreeMap<(u16, u16), u64>,
    logged_reasons: BTreeMap<String, u64>,
}

fn start_time() -> anyhow::Result<DateTime<Utc>> {
    Utc.with_ymd_and_hms(2026, 1, 5, 8, 0, 0).single().ok_or_else(|| anyhow!("start time"))
}

fn grant(id: &str, space: &str, pin: &str, from: DateTime<Utc>, until: DateTime<Utc>) -> SnapshotGrant {
    SnapshotGrant {
        booking_id: BookingId::new(id),
        space_id: SpaceId::new(space),
        credential_verifier: pin_verifier(HUB_KEY, pin),
        valid_from: from,
        valid_until: until,
        status: BookingStatus::Confirmed,
        user_active: true,
        revoked: false,
    }
}

fn snapshot(version: u64, generated_at: DateTime<Utc>, start: DateTime<Utc>) -> AccessSnapshot {
    let end = start + TimeDelta::days(40);
    let mut grants = vec![grant("attacker", "room-a", OWN_PIN, start, end)];
    for (i, pin) in VALID_PINS.iter().enumerate() {
        let (space, from) = match i {
            0 => ("room-a", start + TimeDelta::days(35)),
            1 => ("room-b", start),
            _ => ("room-a", start),
        };
        grants.push(grant(&format!("member-{i}"), space, pin, from, end));
    }
    AccessSnapshot {
        hub_id: HubId::new("polch"),
        version,
        generated_at,
        grace_period_s: 300,
        lockdown: false,
        doors: vec![
            SnapshotDoor {
                id: DoorId::new("room-a"),
                entrance: false,
                space_ids: vec![SpaceId::new("room-a")],
                disabled: false,
            },
            SnapshotDoor {
                id: DoorId::new("room-b"),
                entrance: false,
                space_ids: vec![SpaceId::new("room-b")],
                disabled: false,
            },
        ],
        grants,
    }
}

struct Bench {
    addr: SocketAddr,
    state: SharedBridgeState,
    clock: ManualClock,
    events: mpsc::UnboundedReceiver<AccessEvent>,
    shutdown: oneshot::Sender<()>,
    server: tokio::task::JoinHandle<()>,
    start: DateTime<Utc>,
    version: u64,
    refreshed_at: DateTime<Utc>,
}

impl Bench {
    async fn start() -> anyhow::Result<Self> {
        let start = start_time()?;
        let clock = ManualClock::new(start);
        let settings =
            BridgeSettings { hub_key: HUB_KEY.to_vec(), tick: Duration::from_millis(20), ..BridgeSettings::default() };
        let state = SharedBridgeState::with_clock(settings, Arc::new(clock.clone()));
        let (event_tx, events) = mpsc::unbounded_channel();
        state.set_event_sink(event_tx);
        state.set_clock_synced(true);
        state.set_central_reachable(true);
        if !state.set_snapshot(snapshot(1, start, start)) {
            bail!("snapshot refused");
        }
        let doors = vec![DoorRuntimeConfig::new(DoorId::new("room-a"), UNIT)];
        let server = DoorServer::new(doors, state.clone()).context("door setup")?;
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let addr = listener.local_addr()?;
        let (shutdown, shutdown_rx) = oneshot::channel::<()>();
        let server = tokio::spawn(server.serve(listener, async move {
            let _ = shutdown_rx.await;
        }));
        Ok(Self { addr, state, clock, events, shutdown, server, start, version: 1, refreshed_at: start })
    }

    fn elapsed(&self) -> Duration {
        (self.state.now_utc() - self.start).to_std().unwrap_or_default()
    }

    /// Moves virtual time on, refreshing the snapshot as the uplink would.
    fn advance(&mut self, by: Duration) -> anyhow::Result<()> {
        self.clock.advance(by);
        let now = self.state.now_utc();
        if (now - self.refreshed_at).to_std().unwrap_or_default() >= SNAPSHOT_REFRESH {
            self.version += 1;
            if !self.state.set_snapshot(snapshot(self.version, now, self.start)) {
                bail!("snapshot refresh refused");
            }
            self.refreshed_at = now;
        }
        Ok(())
    }

    async fn stop(self) {
        let _ = self.shutdown.send(());
        let _ = tokio::time::timeout(Duration::from_secs(5), self.server).await;
    }
}

async fn attack(strategy: Strategy) -> anyhow::Result<Outcome> {
    let mut bench = Bench::start().await?;
    let mut controller = SimController::connect(bench.addr, UNIT).await?;
    let mut outcome = Outcome::default();
    let mut next_guess: u32 = 0;
    let mut lockouts_in_cycle: u32 = 0;
    let end = DAY * u32::try_from(DAYS)?;
    // Bounded: at most one iteration per 6 virtual seconds.
    let max_steps = end.as_secs() / TYPING.as_secs() + 10;
    for _ in 0..max_steps {
        if bench.elapsed() >= end {
            break;
        }
        let block = controller.read_block().await?;
        if block.lockout_remaining_s > 0 {
            let wait = Duration::from_secs(u64::from(block.lockout_remaining_s));
            let wait = match strategy {
                Strategy::ForgiveAfter(k) if lockouts_in_cycle >= k => {
                    lockouts_in_cycle = 0;
                    wait + DAY + Duration::from_secs(1)
                }
                _ => wait,
            };
            bench.advance(wait)?;
            continue;
        }
        if matches!(strategy, Strategy::InterleaveOwnPin) {
            let answer = controller.enter_pin(OWN_PIN).await?;
            if answer.result == Some(RequestResult::Granted) {
                outcome.own_grants += 1;
            }
            bench.advance(TYPING)?;
        }
        // Never the attacker's own PIN; the valid ones count as hits when reached.
        let mut guess = format!("{next_guess:06}");
        if guess == OWN_PIN {
            next_guess += 1;
            guess = format!("{next_guess:06}");
        }
        next_guess += 1;
        let answer = controller.enter_pin(&guess).await?;
        outcome.guesses += 1;
        let result = answer.result.map_or(0, RequestResult::code);
        *outcome.keypad_answers.entry((result, answer.reason_code)).or_default() += 1;
        if answer.result == Some(RequestResult::Granted) {
            outcome.hits += 1;
        }
        bench.advance(TYPING)?;
        while let Ok(event) = bench.events.try_recv() {
            match event.kind {
                AccessEventKind::LockedOut { seconds } => {
                    outcome.lockouts += 1;
                    lockouts_in_cycle += 1;
                    outcome.longest_lockout_s = outcome.longest_lockout_s.max(u64::from(seconds));
                }
                AccessEventKind::Denied { reason } => {
                    *outcome.logged_reasons.entry(reason.as_str().to_owned()).or_default() += 1;
                }
                _ => {}
            }
        }
    }
    bench.stop().await;
    Ok(outcome)
}

/// The keypad's answer to a PIN of another room and to one that is valid only in 35 days: both
/// must look like any wrong PIN, while the access log keeps the detailed reason.
async fn uniform_answer_check() -> anyhow::Result<()> {
    let mut bench = Bench::start().await?;
    let mut controller = SimController::connect(bench.addr, UNIT).await?;
    for (label, pin) in [("never booked", "000001"), ("another room's", VALID_PINS[1]), ("too early", VALID_PINS[0])] {
        let answer = controller.enter_pin(pin).await?;
        bench.advance(TYPING)?;
        let logged: Vec<String> = std::iter::from_fn(|| bench.events.try_recv().ok())
            .filter_map(|event| match event.kind {
                AccessEventKind::Denied { reason } => Some(reason.as_str().to_owned()),
                _ => None,
            })
            .collect();
        println!(
            "  {label:>15} PIN: keypad req_result {} req_reason {}; access log: {}",
            answer.result.map_or(0, RequestResult::code),
            answer.reason_code,
            logged.join(", ")
        );
    }
    bench.stop().await;
    Ok(())
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let policy = BridgeSettings::default().lockout;
    println!(
        "lockout policy: {} refused credentials, then {} s doubling to {} s, forgiven after {} h quiet",
        policy.threshold,
        policy.first.as_secs(),
        policy.max.as_secs(),
        policy.forgive_after.as_secs() / 3600
    );
    println!("one door, {DAYS} virtual days, one guess every {} s while the keypad is not locked", TYPING.as_secs());
    println!("keypad answers to refused PINs:");
    uniform_answer_check().await?;

    let mut strategies = vec![Strategy::NoPause, Strategy::InterleaveOwnPin];
    strategies.extend((1..=12).map(Strategy::ForgiveAfter));
    let mut best: Option<(Strategy, f64)> = None;
    println!(
        "\n{:<34} {:>8} {:>9} {:>9} {:>12} {:>5}",
        "strategy", "guesses", "per day", "lockouts", "longest (s)", "hits"
    );
    for strategy in strategies {
        let started = std::time::Instant::now();
        let outcome = attack(strategy).await?;
        let per_day = outcome.guesses as f64 / DAYS as f64;
        println!(
            "{:<34} {:>8} {:>9.1} {:>9} {:>12} {:>5}   keypad {:?} log {:?}{} ({:.1} s real)",
            strategy.describe(),
            outcome.guesses,
            per_day,
            outcome.lockouts,
            outcome.longest_lockout_s,
            outcome.hits,
            outcome.keypad_answers,
            outcome.logged_reasons,
            if outcome.own_grants > 0 { format!(" own grants {}", outcome.own_grants) } else { String::new() },
            started.elapsed().as_secs_f64()
        );
        if best.is_none_or(|(_, rate)| per_day > rate) {
            best = Some((strategy, per_day));
        }
    }
    let (strategy, rate) = best.ok_or_else(|| anyhow!("no strategy ran"))?;
    println!("\nbest strategy: {} = {rate:.1} guesses per door per day", strategy.describe());
    println!("expected guesses to the first hit among N valid PINs (no repeats): (10^6 + 1) / (N + 1)");
    println!("(pessimistic: every valid PIN counted as opening every door tried, at any time)");
    println!("{:>4} {:>4} {:>10} {:>14}", "N", "D", "guesses", "expected days");
    for (n, d) in [(10u32, 1u32), (10, 10), (10, 26), (50, 10)] {
        let guesses = (SPACE_SIZE + 1.0) / (f64::from(n) + 1.0);
        let days = guesses / (rate * f64::from(d));
        println!("{n:>4} {d:>4} {guesses:>10.0} {days:>14.0}");
    }
    let doors_for_goal = ((SPACE_SIZE + 1.0) / 11.0 / (100.0 * rate)).floor();
    let days_10 = (SPACE_SIZE + 1.0) / 11.0 / (rate * 10.0);
    println!(
        "goal >= 100 days for N = 10 with all doors tried: {} at D = 10 ({days_10:.0} days); holds up to D = {doors_for_goal:.0}",
        if days_10 >= 100.0 { "met" } else { "NOT met" }
    );
    Ok(())
}
