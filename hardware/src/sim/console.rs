//! The operator's side of `regiohub-bridge simulate`: prints every change of a lock relay and
//! a door on stdout (so a grant is seen as "relay ON … OFF, door open … closed"), and reads
//! commands from stdin to set presence, press exit buttons, push doors and silence devices.

use std::time::Duration;

use tokio::sync::mpsc;

use super::SimHandle;
use crate::config::BridgeConfig;

/// How often relays and doors are looked at for the printed log.
const WATCH_EVERY: Duration = Duration::from_millis(50);

/// The commands understood on stdin, printed by `help`.
pub const HELP: &str = "commands: presence SPACE on|off · exit DOOR on|off · door DOOR open|closed · \
silent DEVICE on|off · relay DEVICE CHANNEL · help";

/// Runs the stdin console and the change printer until the returned future is dropped.
pub async fn run(config: &BridgeConfig, handle: SimHandle) {
    let lines = stdin_lines();
    tokio::join!(print_changes(config, handle.clone()), answer(lines, handle));
}

/// Reads stdin on its own thread: a blocking read must not hold up the runtime's shutdown.
fn stdin_lines() -> mpsc::Receiver<String> {
    let (sender, lines) = mpsc::channel(8);
    let spawned = std::thread::Builder::new().name("sim-console".into()).spawn(move || {
        for line in std::io::stdin().lines() {
            let Ok(line) = line else { break };
            if sender.blocking_send(line).is_err() {
                break;
            }
        }
    });
    if let Err(error) = spawned {
        tracing::warn!(%error, "no console: cannot read stdin");
    }
    lines
}

async fn answer(mut lines: mpsc::Receiver<String>, handle: SimHandle) {
    while let Some(line) = lines.recv().await {
        if line.trim().is_empty() {
            continue;
        }
        println!("{}", execute(&handle, &line));
    }
    // Stdin closed (e.g. started in the background): keep simulating without a console.
    std::future::pending::<()>().await;
}

/// Carries out one console line and says what happened.
pub fn execute(handle: &SimHandle, line: &str) -> String {
    let words: Vec<&str> = line.split_whitespace().collect();
    let switch = |word: &str| match word {
        "on" | "open" | "1" | "true" => Some(true),
        "off" | "closed" | "0" | "false" => Some(false),
        _ => None,
    };
    let result = match words.as_slice() {
        ["presence", space, state] => switch(state).map(|on| handle.set_presence(space, on)),
        ["exit", door, state] => switch(state).map(|on| handle.press_exit(door, on)),
        ["door", door, state] => switch(state).map(|open| handle.set_door_open(door, open)),
        ["silent", device, state] => switch(state).map(|on| handle.set_silent(device, on)),
        ["relay", device, channel] => {
            return match channel.parse::<u16>().map(|channel| handle.relay(device, channel)) {
                Ok(Ok(on)) => format!("relay {device}/{channel} {}", on_off(on)),
                Ok(Err(error)) => format!("error: {error}"),
                Err(_) => format!("error: channel \"{channel}\" is not a number"),
            };
        }
        _ => None,
    };
    match result {
        Some(Ok(())) => format!("ok: {}", words.join(" ")),
        Some(Err(error)) => format!("error: {error}"),
        None => format!("unknown command; {HELP}"),
    }
}

async fn print_changes(config: &BridgeConfig, handle: SimHandle) {
    let relays: Vec<(String, u16)> = config
        .doors
        .iter()
        .filter_map(|door| door.lock.as_ref())
        .filter_map(|lock| config.devices.get(lock.device).map(|device| (device.name.clone(), lock.channel)))
        .collect();
    let doors: Vec<String> = config.doors.iter().map(|door| door.id.clone()).collect();
    let mut relay_states = vec![None; relays.len()];
    let mut door_states = vec![None; doors.len()];
    let mut interval = tokio::time::interval(WATCH_EVERY);
    loop {
        interval.tick().await;
        for ((device, channel), shown) in relays.iter().zip(relay_states.iter_mut()) {
            let now = handle.relay(device, *channel).ok();
            if now.is_some() && now != *shown {
                *shown = now;
                println!("relay {device}/{channel} {}", on_off(now == Some(true)));
            }
        }
        for (door, shown) in doors.iter().zip(door_states.iter_mut()) {
            let now = handle.door_open(door).ok();
            if now.is_some() && now != *shown {
                *shown = now;
                println!("door {door} {}", if now == Some(true) { "open" } else { "closed" });
            }
        }
    }
}

fn on_off(on: bool) -> &'static str {
    if on { "ON" } else { "OFF" }
}
