//! `regiohub-bridge`: the per-hub Modbus bridge's command line. Parsing arguments, logging
//! and exit codes live here; the work is in `regiohub_hardware::app` (run), `sim` (simulate)
//! and `bridge::sim_controller` (controller). Exit codes: 0 done, 1 failed while running,
//! 2 wrong arguments or a configuration to fix (always one line on stderr).

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{ArgGroup, Parser, Subcommand};
use regiohub_hardware::app::{self, RunOptions};
use regiohub_hardware::bridge::registers::RequestResult;
use regiohub_hardware::bridge::sim_controller::{CredentialOutcome, SimController};
use regiohub_hardware::config::BridgeConfig;
use regiohub_hardware::protocol::{DenyReason, card_uid_bytes, card_verifier, pin_verifier};
use regiohub_hardware::sim;

/// The RegioHub bridge: answers door controllers over Modbus TCP and drives lock relays,
/// door contacts and presence sensors.
#[derive(Debug, Parser)]
#[command(name = "regiohub-bridge", version)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run the bridge for one hub.
    Run {
        /// The bridge configuration (TOML).
        #[arg(long, value_name = "FILE")]
        config: PathBuf,
        /// Keep the access snapshot in this JSON file instead of `bridge.snapshot_path`.
        #[arg(long, value_name = "FILE")]
        snapshot: Option<PathBuf>,
    },
    /// Serve the configured field devices as simulated Modbus devices on loopback.
    Simulate {
        /// The bridge configuration (TOML) whose hubs and devices to simulate.
        #[arg(long, value_name = "FILE")]
        config: PathBuf,
    },
    /// Check a configuration file and exit.
    CheckConfig {
        #[arg(long, value_name = "FILE")]
        config: PathBuf,
    },
    /// Play a door controller: enter a PIN or present an NFC card through the handshake and
    /// print the answer.
    #[command(group(ArgGroup::new("credential").required(true).args(["pin", "card"])))]
    Controller {
        /// The bridge's door-controller address.
        #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:1502")]
        connect: SocketAddr,
        /// The door's unit id.
        #[arg(long, value_name = "ID")]
        unit: u8,
        /// The PIN typed at the keypad.
        #[arg(long)]
        pin: Option<String>,
        /// The UID of the card held to the reader, in hex (04A2FF10 or 04:A2:FF:10).
        #[arg(long, value_name = "UID")]
        card: Option<String>,
    },
    /// Write an access snapshot with one booking for PIN (and CARD), valid from now for 30
    /// days, to the configured snapshot path (or --out).
    DemoSnapshot {
        #[arg(long, value_name = "FILE")]
        config: PathBuf,
        /// The booking's PIN (4–16 digits).
        #[arg(long)]
        pin: String,
        /// A card registered for the booking's member, in hex (04A2FF10 or 04:A2:FF:10).
        #[arg(long, value_name = "UID")]
        card: Option<String>,
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// Print the verifier a snapshot stores for a PIN under a hub's PIN key file.
    PinVerifier {
        #[arg(long, value_name = "FILE")]
        key_file: PathBuf,
        #[arg(long)]
        pin: String,
    },
    /// Print the verifier a snapshot stores for an NFC card under a hub's PIN key file.
    CardVerifier {
        #[arg(long, value_name = "FILE")]
        key_file: PathBuf,
        /// The card's UID in hex (04A2FF10 or 04:A2:FF:10).
        #[arg(long, value_name = "UID")]
        card: String,
    },
}

/// What `controller` presents, checked before it connects.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Presented {
    Pin(String),
    Card(Vec<u8>),
}

impl Presented {
    /// Exactly one of `--pin` and `--card` (clap enforces it; a card must read as a UID).
    fn from_args(pin: Option<String>, card: Option<&str>) -> Result<Self, Failure> {
        match (pin, card) {
            (Some(pin), None) => Ok(Self::Pin(pin)),
            (None, Some(card)) => parse_card(card).map(Self::Card),
            _ => Err(Failure::usage("give either --pin or --card")),
        }
    }
}

fn parse_card(text: &str) -> Result<Vec<u8>, Failure> {
    card_uid_bytes(text).map_err(|error| Failure::usage(format!("--card: {error}")))
}

/// A failure and the exit code it ends with; the message is one line.
struct Failure {
    code: u8,
    message: String,
}

impl Failure {
    fn usage(message: impl ToString) -> Self {
        Self { code: 2, message: message.to_string() }
    }

    fn running(message: impl ToString) -> Self {
        Self { code: 1, message: message.to_string() }
    }
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) if !error.use_stderr() => {
            // --help, --version: clap's full text on stdout.
            let _ = error.print();
            return ExitCode::SUCCESS;
        }
        Err(error) if error.kind() == clap::error::ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            return fail(&Failure::usage(
                "a command is required: run, simulate, controller, demo-snapshot, check-config, pin-verifier or card-verifier; see --help",
            ));
        }
        Err(error) => return fail(&Failure::usage(first_line(&error.to_string()))),
    };
    match execute(cli.command) {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => fail(&failure),
    }
}

fn fail(failure: &Failure) -> ExitCode {
    eprintln!("regiohub-bridge: {}", failure.message);
    ExitCode::from(failure.code)
}

/// Clap's message up to its first blank line (before the usage), joined onto one line.
fn first_line(text: &str) -> String {
    let message: Vec<&str> = text
        .lines()
        .skip_while(|line| line.trim().is_empty())
        .take_while(|line| !line.trim().is_empty())
        .map(str::trim)
        .collect();
    let message = message.join(" ");
    let message = message.strip_prefix("error: ").unwrap_or(&message);
    if message.is_empty() { "invalid arguments; see --help".to_owned() } else { format!("{message}; see --help") }
}

fn execute(command: Command) -> Result<(), Failure> {
    match command {
        Command::Run { config, snapshot } => {
            let config = load(&config)?;
            let prepared =
                app::prepare(config, RunOptions { snapshot, ..RunOptions::default() }).map_err(Failure::usage)?;
            init_logging();
            runtime()?
                .block_on(prepared.run(app::shutdown_signal()))
                .map_err(|error| Failure { code: error.exit_code(), message: error.to_string() })
        }
        Command::Simulate { config } => {
            let config = load(&config)?;
            init_logging();
            runtime()?.block_on(sim::simulate(&config, app::shutdown_signal())).map_err(Failure::running)
        }
        Command::CheckConfig { config } => {
            let loaded = load(&config)?;
            println!(
                "{}: ok ({} hubs, {} devices, {} doors, {} presence sensors)",
                config.display(),
                loaded.hubs.len(),
                loaded.devices.len(),
                loaded.doors.len(),
                loaded.presence.len()
            );
            Ok(())
        }
        Command::Controller { connect, unit, pin, card } => {
            let presented = Presented::from_args(pin, card.as_deref())?;
            let outcome = runtime()?.block_on(present(connect, unit, &presented)).map_err(Failure::running)?;
            println!("{}", describe(&outcome));
            Ok(())
        }
        Command::DemoSnapshot { config, pin, card, out } => {
            let config = load(&config)?;
            if !app::demo::is_valid_pin(&pin) {
                return Err(Failure::usage("--pin: a PIN is 4 to 16 digits"));
            }
            let card = card.as_deref().map(parse_card).transpose()?;
            let key = app::pin_key(&config).map_err(Failure::usage)?;
            let snapshot = app::demo::demo_snapshot(&config, &key, &pin, card.as_deref(), chrono::Utc::now());
            let path = out.unwrap_or_else(|| app::snapshot_path(&config));
            app::demo::write_snapshot(&path, &snapshot)
                .map_err(|error| Failure::running(format!("cannot write {}: {error}", path.display())))?;
            let doors: Vec<&str> = snapshot.doors.iter().map(|door| door.id.as_str()).collect();
            let until = snapshot.grants.iter().map(|grant| grant.valid_until).max().unwrap_or(snapshot.generated_at);
            println!(
                "wrote {}: booking {} opens {} until {} (the bridge accepts this snapshot for {} h)",
                path.display(),
                app::demo::DEMO_BOOKING,
                doors.join(", "),
                until.format("%Y-%m-%d %H:%M UTC"),
                config.bridge.offline_limit.as_secs() / 3600
            );
            Ok(())
        }
        Command::PinVerifier { key_file, pin } => {
            let key = read_key_file(&key_file)?;
            println!("{}", pin_verifier(&key, &pin));
            Ok(())
        }
        Command::CardVerifier { key_file, card } => {
            let uid = parse_card(&card)?;
            let key = read_key_file(&key_file)?;
            println!("{}", card_verifier(&key, &uid));
            Ok(())
        }
    }
}

fn read_key_file(key_file: &Path) -> Result<Vec<u8>, Failure> {
    let text = std::fs::read_to_string(key_file)
        .map_err(|error| Failure::usage(format!("{}: cannot read: {error}", key_file.display())))?;
    hex::decode(text.trim()).map_err(|_| Failure::usage(format!("{}: does not hold a hex key", key_file.display())))
}

fn load(path: &Path) -> Result<BridgeConfig, Failure> {
    BridgeConfig::load(path).map_err(Failure::usage)
}

fn runtime() -> Result<tokio::runtime::Runtime, Failure> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|error| Failure::running(format!("cannot start the async runtime: {error}")))
}

/// Logs to stderr; `RUST_LOG` overrides the default `info`.
fn init_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr).init();
}

/// Beats the heartbeat once (so the bridge sees a live controller), continues the request
/// sequence where the last controller left it, then follows the handshake for one PIN or card.
async fn present(
    bridge: SocketAddr,
    unit: u8,
    presented: &Presented,
) -> Result<CredentialOutcome, regiohub_hardware::bridge::sim_controller::SimControllerError> {
    let mut controller = SimController::connect(bridge, unit).await?;
    controller.beat().await?;
    controller.continue_sequence().await?;
    match presented {
        Presented::Pin(pin) => controller.enter_pin(pin).await,
        Presented::Card(uid) => controller.present_card(uid).await,
    }
}

fn describe(outcome: &CredentialOutcome) -> String {
    let block = &outcome.block;
    let reason = DenyReason::from_code(outcome.reason_code).map_or("", DenyReason::as_str);
    match outcome.result {
        Some(RequestResult::Granted) => format!(
            "granted: cmd_seq {}, pulse {:.1} s, {}",
            block.cmd_seq,
            f64::from(block.cmd_pulse_100ms) / 10.0,
            if outcome.unlocked { "carried out and acknowledged" } else { "not carried out (command expired)" }
        ),
        Some(RequestResult::LockedOut) => {
            format!("locked out: keypad locked for {} s (reason {reason})", block.lockout_remaining_s)
        }
        Some(RequestResult::Denied) => format!("denied: {reason} (code {})", outcome.reason_code),
        Some(RequestResult::DeniedOffline) => format!("denied offline: {reason} (code {})", outcome.reason_code),
        Some(RequestResult::BadRequest) => format!("bad request: {reason} (code {})", outcome.reason_code),
        Some(RequestResult::Pending) | None => format!("no answer (req_result {})", block.req_result),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    fn controller_args(extra: &[&str]) -> Result<Command, clap::Error> {
        let args = ["regiohub-bridge", "controller", "--unit", "1"].into_iter().chain(extra.iter().copied());
        Cli::try_parse_from(args).map(|cli| cli.command)
    }

    fn presented(extra: &[&str]) -> Result<Presented, String> {
        match controller_args(extra).map_err(|error| error.to_string())? {
            Command::Controller { pin, card, .. } => {
                Presented::from_args(pin, card.as_deref()).map_err(|failure| failure.message)
            }
            other => panic!("not the controller command: {other:?}"),
        }
    }

    #[test]
    fn controller_presents_a_pin_or_a_card_but_not_both_or_neither() {
        assert_eq!(presented(&["--pin", "123456"]), Ok(Presented::Pin("123456".into())));
        assert_eq!(presented(&["--card", "04:a2:FF:10"]), Ok(Presented::Card(vec![0x04, 0xA2, 0xFF, 0x10])));
        assert!(presented(&["--pin", "123456", "--card", "04A2FF10"]).is_err());
        assert!(presented(&[]).is_err());
        let bad = presented(&["--card", "04A2FF"]).unwrap_err();
        assert!(bad.starts_with("--card: ") && bad.contains("4, 7 or 10 bytes"), "{bad}");
    }
}
