//! Turns the raw TOML shapes into checked runtime types: defaults, ranges, names and every
//! cross-reference (a door's lock names a known relay device, unit ids are unique, …). The
//! first problem found is returned as one line naming its key.

use std::collections::{BTreeMap, BTreeSet};
use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::time::Duration;

use super::raw::{
    RawAddress, RawBridge, RawConfig, RawController, RawDevice, RawDoor, RawHub, RawInput, RawLock, RawMaintenance,
    RawPinLockout, RawPoint, RawPort, RawPresence,
};
use super::{
    BinaryInput, BridgeConfig, BridgeSettings, ClockSource, ConfigError, Controller, ControllerProtocol,
    DEFAULT_DOOR_SCAN, DEFAULT_PRESENCE_SCAN, Device, Door, Hub, InputType, Lock, MAX_PULSE, MIN_PULSE, Maintenance,
    Parity, PinLockout, Point, PresenceSensor, Profile, PulseMode, SerialSettings, Transport,
};

const DEFAULT_LISTEN: &str = "127.0.0.1:1502";
const DEFAULT_TIMEOUT: Duration = Duration::from_millis(1000);
const DEFAULT_SERIAL_WAIT: Duration = Duration::from_millis(30);
const MAX_TIMEOUT: Duration = Duration::from_secs(30);
const MIN_SCAN: Duration = Duration::from_millis(20);

pub(super) fn parse(source: &Path, text: &str) -> Result<BridgeConfig, ConfigError> {
    let raw = deserialize(source, text)?;
    Checker { file: source }.config(raw)
}

/// Runs serde over the TOML, reducing toml's multi-line reports to the key and line.
fn deserialize(source: &Path, text: &str) -> Result<RawConfig, ConfigError> {
    let deserializer = toml::Deserializer::parse(text).map_err(|e| {
        let at = e.span().map_or_else(|| "(syntax)".to_owned(), |s| line_col(text, s.start));
        ConfigError::new(source, at, e.message())
    })?;
    serde_path_to_error::deserialize(deserializer).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        let at = inner.span().map(|s| line_col(text, s.start));
        let key = match (path.as_str(), at) {
            (".", Some(at)) => at,
            (".", None) => "(top level)".to_owned(),
            (_, Some(at)) => format!("{path} ({at})"),
            (_, None) => path,
        };
        ConfigError::new(source, key, inner.message())
    })
}

fn line_col(text: &str, offset: usize) -> String {
    let before = text.get(..offset).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    format!("line {line}, column {column}")
}

struct Checker<'a> {
    file: &'a Path,
}

type Checked<T> = Result<T, ConfigError>;

impl Checker<'_> {
    fn err<T>(&self, key: impl Into<String>, problem: impl Into<String>) -> Checked<T> {
        Err(ConfigError::new(self.file, key, problem))
    }

    fn config(&self, raw: RawConfig) -> Checked<BridgeConfig> {
        let bridge = self.bridge(raw.bridge)?;
        let hubs = self.hubs(raw.hub)?;
        let devices = self.devices(raw.device, &hubs)?;
        let doors = self.doors(raw.door, &devices)?;
        let presence = self.presence(raw.presence, &devices)?;
        let maintenance = self.maintenance(raw.maintenance, &doors)?;
        Ok(BridgeConfig { source: self.file.to_path_buf(), bridge, hubs, devices, doors, presence, maintenance })
    }

    fn bridge(&self, raw: RawBridge) -> Checked<BridgeSettings> {
        let hub_id = self.name("bridge.hub_id", raw.hub_id)?;
        let listen_text = raw.modbus_listen.unwrap_or_else(|| DEFAULT_LISTEN.to_owned());
        let Ok(modbus_listen) = listen_text.parse::<SocketAddr>() else {
            return self.err(
                "bridge.modbus_listen",
                format!("\"{listen_text}\" is not an IP address with port, e.g. \"127.0.0.1:1502\""),
            );
        };
        let silent_s = raw.controller_silent_after_s.unwrap_or(10);
        if !(1..=3600).contains(&silent_s) {
            return self.err("bridge.controller_silent_after_s", "must be 1–3600 seconds");
        }
        let Some(state_dir) = raw.state_dir.filter(|s| !s.trim().is_empty()) else {
            return self.err("bridge.state_dir", "required: the directory for the snapshot and the event queue");
        };
        let state_dir = PathBuf::from(state_dir);
        let snapshot_path = raw.snapshot_path.map_or_else(|| state_dir.join("snapshot.json"), PathBuf::from);
        let offline_h = raw.offline_limit_h.unwrap_or(48);
        if !(1..=24 * 31).contains(&offline_h) {
            return self.err("bridge.offline_limit_h", "must be 1–744 hours");
        }
        if let Some(url) = &raw.central_url {
            self.central_url(url)?;
        }
        if raw.token_file.as_deref().is_some_and(|file| file.trim().is_empty()) {
            return self.err("bridge.token_file", "must name a file");
        }
        let clock = match raw.clock.as_deref() {
            None | Some("systemd") => ClockSource::Systemd,
            Some("assume_synced") => ClockSource::AssumeSynced,
            Some(other) => return self.err("bridge.clock", format!("\"{other}\" is not systemd or assume_synced")),
        };
        let max_connections = raw.max_connections.unwrap_or(64);
        if !(1..=1024).contains(&max_connections) {
            return self.err("bridge.max_connections", "must be 1–1024");
        }
        let max_connections_per_peer = raw.max_connections_per_peer.unwrap_or(8);
        if !(1..=max_connections).contains(&max_connections_per_peer) {
            return self.err(
                "bridge.max_connections_per_peer",
                format!("must be 1–{max_connections} (at most bridge.max_connections)"),
            );
        }
        let idle_s = raw.idle_timeout_s.unwrap_or(60);
        if !(5..=3600).contains(&idle_s) {
            return self.err("bridge.idle_timeout_s", "must be 5–3600 seconds");
        }
        let metrics_listen = match raw.metrics_listen.as_deref().map(str::parse::<SocketAddr>) {
            None => None,
            Some(Ok(addr)) => Some(addr),
            Some(Err(_)) => {
                return self.err(
                    "bridge.metrics_listen",
                    "is not an IP address with port, e.g. \"127.0.0.1:9464\" (leave it out to serve no metrics)",
                );
            }
        };
        Ok(BridgeSettings {
            hub_id,
            modbus_listen,
            controller_silent_after: Duration::from_secs(silent_s),
            state_dir,
            snapshot_path,
            offline_limit: Duration::from_secs(offline_h * 3600),
            central_url: raw.central_url,
            token_file: raw.token_file.map(PathBuf::from),
            pin_key_file: raw.pin_key_file.map(PathBuf::from),
            clock,
            max_connections,
            max_connections_per_peer,
            idle_timeout: Duration::from_secs(idle_s),
            metrics_listen,
        })
    }

    /// `https://host[:port][/prefix]`, or `http://` on a test bench; no query, no credentials.
    fn central_url(&self, url: &str) -> Checked<()> {
        const KEY: &str = "bridge.central_url";
        let Ok(parsed) = reqwest::Url::parse(url) else {
            return self.err(KEY, format!("\"{url}\" is not a URL, e.g. \"https://buchen.regiohub.example\""));
        };
        if !matches!(parsed.scheme(), "https" | "http") {
            return self.err(KEY, format!("\"{url}\" must start with https:// (or http:// on a test bench)"));
        }
        if parsed.host_str().is_none_or(str::is_empty) {
            return self.err(KEY, format!("\"{url}\" names no host"));
        }
        if !parsed.username().is_empty() || parsed.password().is_some() {
            return self.err(KEY, "must not contain credentials; put the token in bridge.token_file");
        }
        if parsed.query().is_some() || parsed.fragment().is_some() {
            return self.err(KEY, format!("\"{url}\" must not have a query or fragment"));
        }
        Ok(())
    }

    fn maintenance(&self, raw: Vec<RawMaintenance>, doors: &[Door]) -> Checked<Vec<Maintenance>> {
        let mut names = BTreeSet::new();
        let mut credentials = Vec::with_capacity(raw.len());
        for (i, entry) in raw.into_iter().enumerate() {
            let key = format!("maintenance[{i}]");
            let name = self.name(&format!("{key}.name"), entry.name)?;
            if !names.insert(name.clone()) {
                return self.err(format!("{key}.name"), format!("maintenance credential \"{name}\" is defined twice"));
            }
            let Some(verifier) = entry.pin_verifier.map(|v| v.trim().to_ascii_lowercase()) else {
                return self.err(
                    format!("{key}.pin_verifier"),
                    "required: the output of `regiohub-bridge pin-verifier --key-file <pin key> --pin <PIN>`",
                );
            };
            if verifier.len() != 64 || !verifier.bytes().all(|b| b.is_ascii_hexdigit()) {
                return self.err(
                    format!("{key}.pin_verifier"),
                    "must be 64 hex digits, as printed by `regiohub-bridge pin-verifier`",
                );
            }
            if entry.doors.is_empty() {
                return self.err(format!("{key}.doors"), "required: the doors this credential opens");
            }
            let mut seen = BTreeSet::new();
            for (j, door) in entry.doors.iter().enumerate() {
                if !doors.iter().any(|d| &d.id == door) {
                    return self.err(format!("{key}.doors[{j}]"), format!("no door with id \"{door}\""));
                }
                if !seen.insert(door.clone()) {
                    return self.err(format!("{key}.doors[{j}]"), format!("door \"{door}\" is listed twice"));
                }
            }
            credentials.push(Maintenance { name, pin_verifier: verifier, doors: entry.doors });
        }
        Ok(credentials)
    }

    /// A required identifier: non-empty, letters, digits, `_`, `-`, `.`.
    fn name(&self, key: &str, value: Option<String>) -> Checked<String> {
        let Some(value) = value else {
            return self.err(key, "required");
        };
        let ok = !value.is_empty()
            && value.len() <= 64
            && value.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'));
        if !ok {
            return self.err(key, format!("\"{value}\" must be 1–64 characters of a-z, A-Z, 0-9, _, -, ."));
        }
        Ok(value)
    }

    fn hubs(&self, raw: Vec<RawHub>) -> Checked<Vec<Hub>> {
        let mut seen = BTreeSet::new();
        let mut hubs = Vec::with_capacity(raw.len());
        for (i, hub) in raw.into_iter().enumerate() {
            let key = format!("hub[{i}]");
            let name = self.name(&format!("{key}.name"), hub.name.clone())?;
            if !seen.insert(name.clone()) {
                return self.err(format!("{key}.name"), format!("hub \"{name}\" is defined twice"));
            }
            hubs.push(self.hub(&key, name, hub)?);
        }
        Ok(hubs)
    }

    fn hub(&self, key: &str, name: String, raw: RawHub) -> Checked<Hub> {
        let Some(kind) = raw.kind.clone() else {
            return self.err(format!("{key}.type"), "required: tcp, rtuovertcp or serial");
        };
        let serial = kind == "serial";
        let transport = match kind.as_str() {
            "tcp" | "rtuovertcp" => {
                let (host, port) = self.network_target(key, &raw)?;
                if kind == "tcp" { Transport::Tcp { host, port } } else { Transport::RtuOverTcp { host, port } }
            }
            "serial" => Transport::Serial(self.serial(key, &raw)?),
            other => {
                return self.err(
                    format!("{key}.type"),
                    format!("\"{other}\" is not a hub type; use tcp, rtuovertcp or serial"),
                );
            }
        };
        let timeout = raw.timeout_ms.map_or(DEFAULT_TIMEOUT, Duration::from_millis);
        if timeout < Duration::from_millis(50) || timeout > MAX_TIMEOUT {
            return self.err(format!("{key}.timeout_ms"), "must be 50–30000 ms");
        }
        let default_wait = if serial { DEFAULT_SERIAL_WAIT } else { Duration::ZERO };
        let message_wait = raw.message_wait_milliseconds.map_or(default_wait, Duration::from_millis);
        if message_wait > Duration::from_secs(5) {
            return self.err(format!("{key}.message_wait_milliseconds"), "must be at most 5000 ms");
        }
        Ok(Hub { name, transport, timeout, message_wait })
    }

    fn network_target(&self, key: &str, raw: &RawHub) -> Checked<(String, u16)> {
        let Some(host) = raw.host.clone().filter(|h| !h.trim().is_empty()) else {
            return self.err(format!("{key}.host"), "required for a tcp or rtuovertcp hub");
        };
        for unused in [
            ("baudrate", raw.baudrate.is_some()),
            ("parity", raw.parity.is_some()),
            ("stopbits", raw.stopbits.is_some()),
            ("bytesize", raw.bytesize.is_some()),
        ] {
            if unused.1 {
                return self.err(format!("{key}.{}", unused.0), "only valid on a serial hub");
            }
        }
        let port = match &raw.port {
            None => 502,
            Some(RawPort::Number(n)) => match u16::try_from(*n) {
                Ok(p) if p > 0 => p,
                _ => {
                    return self.err(format!("{key}.port"), format!("{n} is not a TCP port (1–65535)"));
                }
            },
            Some(RawPort::Path(p)) => {
                return self.err(
                    format!("{key}.port"),
                    format!("\"{p}\" is a path; a tcp or rtuovertcp hub needs a port number"),
                );
            }
        };
        Ok((host, port))
    }

    fn serial(&self, key: &str, raw: &RawHub) -> Checked<SerialSettings> {
        if raw.host.is_some() {
            return self.err(format!("{key}.host"), "a serial hub has no host; set port = \"/dev/ttyUSB0\"");
        }
        let port = match &raw.port {
            Some(RawPort::Path(p)) if !p.trim().is_empty() => p.clone(),
            Some(RawPort::Number(n)) => {
                return self.err(
                    format!("{key}.port"),
                    format!("{n} is a number; a serial hub needs a device path such as \"/dev/ttyUSB0\""),
                );
            }
            _ => {
                return self
                    .err(format!("{key}.port"), "required for a serial hub: the device path, e.g. \"/dev/ttyUSB0\"");
            }
        };
        let Some(baudrate) = raw.baudrate else {
            return self.err(format!("{key}.baudrate"), "required for a serial hub, e.g. 9600");
        };
        if !(1200..=921_600).contains(&baudrate) {
            return self.err(format!("{key}.baudrate"), format!("{baudrate} is not 1200–921600"));
        }
        let parity = match raw.parity.as_deref().unwrap_or("N") {
            "N" => Parity::None,
            "E" => Parity::Even,
            "O" => Parity::Odd,
            other => {
                return self.err(format!("{key}.parity"), format!("\"{other}\" is not N, E or O"));
            }
        };
        let stopbits = raw.stopbits.unwrap_or(1);
        if !matches!(stopbits, 1 | 2) {
            return self.err(format!("{key}.stopbits"), "must be 1 or 2");
        }
        let bytesize = raw.bytesize.unwrap_or(8);
        if !(5..=8).contains(&bytesize) {
            return self.err(format!("{key}.bytesize"), "must be 5–8");
        }
        Ok(SerialSettings { port, baudrate, parity, stopbits, bytesize })
    }

    fn devices(&self, raw: Vec<RawDevice>, hubs: &[Hub]) -> Checked<Vec<Device>> {
        let mut names = BTreeSet::new();
        let mut addresses: BTreeMap<(usize, u8), String> = BTreeMap::new();
        let mut devices = Vec::with_capacity(raw.len());
        for (i, device) in raw.into_iter().enumerate() {
            let key = format!("device[{i}]");
            let name = self.name(&format!("{key}.name"), device.name.clone())?;
            if !names.insert(name.clone()) {
                return self.err(format!("{key}.name"), format!("device \"{name}\" is defined twice"));
            }
            let device = self.device(&key, name, device, hubs)?;
            if let Some(other) = addresses.insert((device.hub, device.device_address), device.name.clone()) {
                return self.err(
                    format!("{key}.device_address"),
                    format!(
                        "{} is already used by device \"{other}\" on hub \"{}\"",
                        device.device_address,
                        hubs.get(device.hub).map_or("", |h| h.name.as_str())
                    ),
                );
            }
            devices.push(device);
        }
        Ok(devices)
    }

    fn device(&self, key: &str, name: String, raw: RawDevice, hubs: &[Hub]) -> Checked<Device> {
        let Some(hub_name) = raw.hub.clone() else {
            return self.err(format!("{key}.hub"), "required: the name of a [[hub]]");
        };
        let Some(hub) = hubs.iter().position(|h| h.name == hub_name) else {
            return self.err(format!("{key}.hub"), format!("no hub named \"{hub_name}\""));
        };
        let Some(address) = raw.device_address else {
            return self.err(
                format!("{key}.device_address"),
                "required: the device's Modbus unit id (1–247); there is no default",
            );
        };
        let device_address = match u8::try_from(address) {
            Ok(a) if (1..=247).contains(&a) => a,
            _ => {
                return self.err(format!("{key}.device_address"), format!("{address} is not a unit id (1–247)"));
            }
        };
        let profile = self.profile(key, &raw)?;
        let mut points = Vec::with_capacity(raw.points.len());
        let mut point_names: BTreeSet<String> = profile.builtin_points().iter().map(|p| p.name.to_owned()).collect();
        for (j, point) in raw.points.into_iter().enumerate() {
            let point_key = format!("{key}.points[{j}]");
            let point = self.point(&point_key, point)?;
            if !point_names.insert(point.name.clone()) {
                return self.err(
                    format!("{point_key}.name"),
                    format!("point \"{}\" is defined twice on this device", point.name),
                );
            }
            points.push(point);
        }
        Ok(Device { name, hub, device_address, profile, points })
    }

    fn profile(&self, key: &str, raw: &RawDevice) -> Checked<Profile> {
        let Some(name) = raw.profile.as_deref() else {
            return self.err(format!("{key}.profile"), format!("required: one of {}", Profile::NAMES));
        };
        let channels = |default: u16| -> Checked<u16> {
            let channels = raw.channels.unwrap_or(default);
            if (1..=64).contains(&channels) {
                Ok(channels)
            } else {
                self.err(format!("{key}.channels"), "must be 1–64")
            }
        };
        let profile = match name {
            "generic_relay" => Profile::GenericRelay { channels: channels(8)? },
            "waveshare_relay" => Profile::WaveshareRelay { channels: channels(8)? },
            "eletechsup_ryn404e" => Profile::EletechsupRyn404e,
            "eletechsup_ryn408f" => Profile::EletechsupRyn408f,
            "wb_mr6c" => {
                if let Some(0 | 256..) = raw.safety_timeout_s {
                    return self.err(format!("{key}.safety_timeout_s"), "must be 1–255 seconds");
                }
                Profile::WbMr6c { safety_timeout_s: raw.safety_timeout_s }
            }
            "wb_msw_v3" => Profile::WbMswV3 { motion_threshold: raw.motion_threshold.unwrap_or(50) },
            "mtdx62_mb" => Profile::Mtdx62Mb,
            "generic" => Profile::Generic,
            other => {
                return self.err(
                    format!("{key}.profile"),
                    format!("\"{other}\" is not a profile; use one of {}", Profile::NAMES),
                );
            }
        };
        let misplaced = [
            (
                "channels",
                raw.channels.is_some()
                    && !matches!(profile, Profile::GenericRelay { .. } | Profile::WaveshareRelay { .. }),
            ),
            ("motion_threshold", raw.motion_threshold.is_some() && !matches!(profile, Profile::WbMswV3 { .. })),
            ("safety_timeout_s", raw.safety_timeout_s.is_some() && !matches!(profile, Profile::WbMr6c { .. })),
        ];
        if let Some((field, _)) = misplaced.iter().find(|(_, bad)| *bad) {
            return self.err(format!("{key}.{field}"), format!("not a setting of profile {}", profile.name()));
        }
        Ok(profile)
    }

    fn point(&self, key: &str, raw: RawPoint) -> Checked<Point> {
        let name = self.name(&format!("{key}.name"), raw.name)?;
        let input_type = self.input_type(key, raw.input_type.as_deref())?;
        let address = self.address(key, raw.address.as_ref())?;
        let scan_interval = self.scan(key, raw.scan_interval_ms, DEFAULT_PRESENCE_SCAN)?;
        Ok(Point { name, input_type, address, scan_interval })
    }

    fn input_type(&self, key: &str, raw: Option<&str>) -> Checked<InputType> {
        match raw {
            Some("coil") => Ok(InputType::Coil),
            Some("discrete_input") => Ok(InputType::DiscreteInput),
            Some("holding") => Ok(InputType::Holding),
            Some("input") => Ok(InputType::Input),
            Some(other) => self
                .err(format!("{key}.input_type"), format!("\"{other}\" is not coil, discrete_input, holding or input")),
            None => self.err(format!("{key}.input_type"), "required: coil, discrete_input, holding or input"),
        }
    }

    fn address(&self, key: &str, raw: Option<&RawAddress>) -> Checked<u16> {
        let key = format!("{key}.address");
        let value = match raw {
            None => return self.err(key, "required: the 0-based register address"),
            Some(RawAddress::Number(n)) => *n,
            Some(RawAddress::Text(text)) => {
                let digits = text.strip_prefix("0x").or_else(|| text.strip_prefix("0X"));
                match digits.map(|d| i64::from_str_radix(&d.replace('_', ""), 16)) {
                    Some(Ok(n)) => n,
                    _ => {
                        return self.err(key, format!("\"{text}\" is not an address; write 16 or \"0x10\""));
                    }
                }
            }
        };
        match u16::try_from(value) {
            Ok(a) => Ok(a),
            Err(_) => self.err(key, format!("{value} is outside 0–65535 (addresses are 0-based)")),
        }
    }

    fn scan(&self, key: &str, raw: Option<u64>, default: Duration) -> Checked<Duration> {
        let scan = raw.map_or(default, Duration::from_millis);
        if scan < MIN_SCAN || scan > Duration::from_secs(3600) {
            return self.err(format!("{key}.scan_interval_ms"), "must be 20 ms – 1 hour");
        }
        Ok(scan)
    }

    fn device_ref(&self, key: &str, raw: Option<&str>, devices: &[Device]) -> Checked<usize> {
        let Some(name) = raw else {
            return self.err(key, "required: the name of a [[device]]");
        };
        match devices.iter().position(|d| d.name == name) {
            Some(i) => Ok(i),
            None => self.err(key, format!("no device named \"{name}\"")),
        }
    }

    fn doors(&self, raw: Vec<RawDoor>, devices: &[Device]) -> Checked<Vec<Door>> {
        let mut ids = BTreeSet::new();
        let mut unit_ids: BTreeMap<u8, String> = BTreeMap::new();
        let mut channels: BTreeMap<(usize, u16), String> = BTreeMap::new();
        let mut doors = Vec::with_capacity(raw.len());
        for (i, door) in raw.into_iter().enumerate() {
            let key = format!("door[{i}]");
            let door = self.door(&key, door, devices)?;
            if !ids.insert(door.id.clone()) {
                return self.err(format!("{key}.id"), format!("door \"{}\" is defined twice", door.id));
            }
            if let Some(controller) = &door.controller
                && let Some(other) = unit_ids.insert(controller.unit_id, door.id.clone())
            {
                return self.err(
                    format!("{key}.controller.unit_id"),
                    format!("{} is already the unit id of door \"{other}\"", controller.unit_id),
                );
            }
            if let Some(lock) = &door.lock
                && let Some(other) = channels.insert((lock.device, lock.channel), door.id.clone())
            {
                return self.err(
                    format!("{key}.lock.channel"),
                    format!("channel {} already drives the lock of door \"{other}\"", lock.channel),
                );
            }
            doors.push(door);
        }
        Ok(doors)
    }

    fn door(&self, key: &str, raw: RawDoor, devices: &[Device]) -> Checked<Door> {
        let id = self.name(&format!("{key}.id"), raw.id)?;
        let controller = raw.controller.map(|c| self.controller(&format!("{key}.controller"), c)).transpose()?;
        let lock = raw.lock.map(|l| self.lock(&format!("{key}.lock"), l, devices)).transpose()?;
        if controller.is_none() && lock.is_none() {
            return self.err(key, format!("door \"{id}\" needs a controller, a lock or both"));
        }
        let contact =
            raw.contact.map(|c| self.binary_input(&format!("{key}.contact"), c, devices, true)).transpose()?;
        let exit_button =
            raw.exit_button.map(|c| self.binary_input(&format!("{key}.exit_button"), c, devices, false)).transpose()?;
        let held_open_s = raw.held_open_s.unwrap_or(30);
        if !(1..=3600).contains(&held_open_s) {
            return self.err(format!("{key}.held_open_s"), "must be 1–3600 seconds");
        }
        let pin_lockout = self.pin_lockout(&format!("{key}.pin_lockout"), raw.pin_lockout)?;
        Ok(Door {
            id,
            controller,
            lock,
            contact,
            exit_button,
            held_open: Duration::from_secs(held_open_s),
            pin_lockout,
        })
    }

    fn controller(&self, key: &str, raw: RawController) -> Checked<Controller> {
        let Some(unit_id) = raw.unit_id else {
            return self.err(format!("{key}.unit_id"), "required: this door's unit id (1–247)");
        };
        let unit_id = match u8::try_from(unit_id) {
            Ok(u) if (1..=247).contains(&u) => u,
            _ => return self.err(format!("{key}.unit_id"), format!("{unit_id} is not 1–247")),
        };
        let mut allowed_peers = Vec::with_capacity(raw.allowed_peers.len());
        for (j, peer) in raw.allowed_peers.iter().enumerate() {
            let Ok(ip) = peer.parse::<IpAddr>() else {
                return self.err(format!("{key}.allowed_peers[{j}]"), format!("\"{peer}\" is not an IP address"));
            };
            allowed_peers.push(ip);
        }
        match (raw.allow_any_peer.unwrap_or(false), allowed_peers.is_empty()) {
            (false, true) => {
                return self.err(
                    format!("{key}.allowed_peers"),
                    "required: the controller's IP address(es); set allow_any_peer = true to let every peer in",
                );
            }
            (true, false) => {
                return self.err(format!("{key}.allow_any_peer"), "contradicts allowed_peers; use one or the other");
            }
            _ => {}
        }
        let mode = match raw.mode.as_deref() {
            None | Some("handshake") => ControllerProtocol::Handshake,
            Some("simple") => ControllerProtocol::Simple,
            Some(other) => {
                return self.err(format!("{key}.mode"), format!("\"{other}\" is not handshake or simple"));
            }
        };
        Ok(Controller { unit_id, allowed_peers, mode })
    }

    fn lock(&self, key: &str, raw: RawLock, devices: &[Device]) -> Checked<Lock> {
        let device = self.device_ref(&format!("{key}.device"), raw.device.as_deref(), devices)?;
        let Some(spec) = devices.get(device) else {
            return self.err(format!("{key}.device"), "no such device");
        };
        let available = spec.profile.relay_channels();
        if available == 0 {
            return self.err(
                format!("{key}.device"),
                format!("device \"{}\" (profile {}) has no relay outputs", spec.name, spec.profile.name()),
            );
        }
        let Some(channel) = raw.channel else {
            return self.err(format!("{key}.channel"), format!("required: relay channel 1–{available}"));
        };
        let channel = match u16::try_from(channel) {
            Ok(c) if (1..=available).contains(&c) => c,
            _ => {
                return self.err(
                    format!("{key}.channel"),
                    format!("device \"{}\" has relay channels 1–{available}, not {channel}", spec.name),
                );
            }
        };
        let pulse = raw.pulse_ms.map_or(Duration::from_secs(5), Duration::from_millis);
        if pulse < MIN_PULSE || pulse > MAX_PULSE {
            return self.err(
                format!("{key}.pulse_ms"),
                format!("{} ms is outside {}–{} ms", pulse.as_millis(), MIN_PULSE.as_millis(), MAX_PULSE.as_millis()),
            );
        }
        let device_timed = spec.profile.supports_device_timed();
        let mode = match raw.mode.as_deref() {
            None if device_timed => PulseMode::DeviceTimed,
            None | Some("bridge_timed") => PulseMode::BridgeTimed,
            Some("device_timed") if device_timed => PulseMode::DeviceTimed,
            Some("device_timed") => {
                return self.err(
                    format!("{key}.mode"),
                    format!("profile {} cannot time a pulse itself; use bridge_timed", spec.profile.name()),
                );
            }
            Some(other) => {
                return self.err(format!("{key}.mode"), format!("\"{other}\" is not device_timed or bridge_timed"));
            }
        };
        Ok(Lock { device, channel, pulse, mode })
    }

    fn binary_input(&self, key: &str, raw: RawInput, devices: &[Device], is_contact: bool) -> Checked<BinaryInput> {
        let device = self.device_ref(&format!("{key}.device"), raw.device.as_deref(), devices)?;
        let input_type = self.input_type(key, raw.input_type.as_deref())?;
        let address = self.address(key, raw.address.as_ref())?;
        let (wanted, other, other_value) = if is_contact {
            ("closed_when", "pressed_when", raw.pressed_when)
        } else {
            ("pressed_when", "closed_when", raw.closed_when)
        };
        if other_value.is_some() {
            return self.err(format!("{key}.{other}"), format!("not valid here; use {wanted}"));
        }
        let active_when = if is_contact {
            match raw.closed_when {
                Some(v) => v,
                None => {
                    return self.err(
                        format!("{key}.closed_when"),
                        "required: the reading (true or false) that means the door is closed",
                    );
                }
            }
        } else {
            raw.pressed_when.unwrap_or(true)
        };
        let scan_interval = self.scan(key, raw.scan_interval_ms, DEFAULT_DOOR_SCAN)?;
        Ok(BinaryInput { device, input_type, address, active_when, scan_interval })
    }

    fn pin_lockout(&self, key: &str, raw: Option<RawPinLockout>) -> Checked<PinLockout> {
        let raw = raw.unwrap_or(RawPinLockout { attempts: None, lock_s: None, escalated_lock_s: None });
        let attempts = raw.attempts.unwrap_or(5);
        if !(1..=20).contains(&attempts) {
            return self.err(format!("{key}.attempts"), "must be 1–20");
        }
        let lock_s = raw.lock_s.unwrap_or(60);
        if !(1..=86_400).contains(&lock_s) {
            return self.err(format!("{key}.lock_s"), "must be 1–86400 seconds");
        }
        let escalated_s = raw.escalated_lock_s.unwrap_or(4 * 3600);
        if escalated_s < lock_s || escalated_s > 86_400 {
            return self.err(
                format!("{key}.escalated_lock_s"),
                format!("must be at least lock_s ({lock_s}) and at most 86400 seconds"),
            );
        }
        Ok(PinLockout { attempts, lock: Duration::from_secs(lock_s), escalated_lock: Duration::from_secs(escalated_s) })
    }

    fn presence(&self, raw: Vec<RawPresence>, devices: &[Device]) -> Checked<Vec<PresenceSensor>> {
        let mut spaces = BTreeSet::new();
        let mut sensors = Vec::with_capacity(raw.len());
        for (i, sensor) in raw.into_iter().enumerate() {
            let key = format!("presence[{i}]");
            let space = self.name(&format!("{key}.space"), sensor.space)?;
            if !spaces.insert(space.clone()) {
                return self.err(format!("{key}.space"), format!("space \"{space}\" already has a presence sensor"));
            }
            let device = self.device_ref(&format!("{key}.device"), sensor.device.as_deref(), devices)?;
            let Some(spec) = devices.get(device) else {
                return self.err(format!("{key}.device"), "no such device");
            };
            let Some(point_name) =
                sensor.point.clone().or_else(|| spec.profile.default_presence_point().map(str::to_owned))
            else {
                return self.err(
                    format!("{key}.point"),
                    format!("required: device \"{}\" has no default presence point; name one of its points", spec.name),
                );
            };
            let builtin = spec
                .profile
                .builtin_points()
                .iter()
                .find(|p| p.name == point_name)
                .map(|p| (p.input_type, p.address, DEFAULT_PRESENCE_SCAN));
            let named =
                spec.points.iter().find(|p| p.name == point_name).map(|p| (p.input_type, p.address, p.scan_interval));
            let Some((input_type, address, point_scan)) = builtin.or(named) else {
                return self.err(
                    format!("{key}.point"),
                    format!("device \"{}\" has no point named \"{point_name}\"", spec.name),
                );
            };
            let scan_interval = self.scan(&key, sensor.scan_interval_ms, point_scan)?;
            sensors.push(PresenceSensor {
                space,
                device,
                input_type,
                address,
                threshold: spec.profile.presence_threshold(),
                scan_interval,
            });
        }
        Ok(sensors)
    }
}
