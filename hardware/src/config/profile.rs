//! Device profiles: the register maps of the field devices the bridge knows (hardware.md §3),
//! so a configuration only names a profile and a channel. Both the Modbus client and the
//! simulator read the maps from here, so they cannot disagree. No I/O here.

use super::InputType;

/// Eletechsup RYN4xx channel command: switch on (high byte 0x01).
const RYN_ON: u16 = 0x0100;
/// Eletechsup RYN4xx channel command: switch off (high byte 0x02).
const RYN_OFF: u16 = 0x0200;
/// Eletechsup RYN4xx channel command: on for the low byte's seconds, then off by itself.
const RYN_ON_FOR: u16 = 0x0600;

/// WB-MSW v3 input register "Current Motion".
pub const WB_MSW_CURRENT_MOTION: u16 = 283;
/// WB-MSW v3 input register "Max Motion" over the low-pass window.
pub const WB_MSW_MAX_MOTION: u16 = 280;
/// WB-MR6C holding register "safety poll timeout" in seconds (the comms watchdog).
pub const WB_MR6C_SAFETY_TIMEOUT: u16 = 8;
/// MTDX62-MB input register "presence" (0/1).
pub const MTDX62_PRESENCE: u16 = 0;
/// Eletechsup RYN4xx holding register with the bitmap of all relays.
pub const RYN_RELAY_BITMAP: u16 = 0x0080;

/// A supported device and its variant settings. Chosen with `profile = "..."` on a
/// `[[device]]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Profile {
    /// Any relay board whose relays are coils 0.. (channel 1 = coil 0), switched with FC05.
    GenericRelay { channels: u16 },
    /// Waveshare Modbus RTU / PoE ETH relay: coils 0.. (FC01/FC05). Its flash (device-timed)
    /// command cannot be sent with standard codecs, so pulses are bridge-timed.
    WaveshareRelay { channels: u16 },
    /// Eletechsup / 485io RYN404E (4 relays): FC06 channel commands, device-timed pulses.
    EletechsupRyn404e,
    /// Eletechsup / 485io RYN408F (8 relays): FC06 channel commands, device-timed pulses.
    EletechsupRyn408f,
    /// Wiren Board WB-MR6C: coils 0–5; optional comms watchdog that drops outputs when the
    /// bridge stops talking.
    WbMr6c { safety_timeout_s: Option<u16> },
    /// Wiren Board WB-MSW v3 multisensor: input register 283 "Current Motion"; above the
    /// threshold counts as present.
    WbMswV3 { motion_threshold: u16 },
    /// Saifuli MTDX62-MB mmWave presence radar: input register 0 = presence.
    Mtdx62Mb,
    /// Anything else: the user names every point (`points = [...]`).
    Generic,
}

/// How one relay write is carried on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RelayWrite {
    /// FC05 write single coil.
    Coil { address: u16, on: bool },
    /// FC06 write single register.
    Register { address: u16, value: u16 },
}

/// What the bridge wants a relay channel to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RelayCommand {
    On,
    Off,
    /// On now, off by the device itself after this many whole seconds (1–255).
    OnForSeconds(u8),
}

/// Where a relay's present state can be read back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RelayReadback {
    pub input_type: InputType,
    pub address: u16,
}

/// A point that the profile itself defines (the user need not list it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BuiltinPoint {
    pub name: &'static str,
    pub input_type: InputType,
    pub address: u16,
}

impl Profile {
    /// The names accepted for `profile = "..."`, for error messages.
    pub const NAMES: &'static str = "generic_relay, waveshare_relay, eletechsup_ryn404e, eletechsup_ryn408f, wb_mr6c, wb_msw_v3, mtdx62_mb, generic";

    /// The configuration name of this profile.
    #[must_use]
    pub fn name(&self) -> &'static str {
        match self {
            Self::GenericRelay { .. } => "generic_relay",
            Self::WaveshareRelay { .. } => "waveshare_relay",
            Self::EletechsupRyn404e => "eletechsup_ryn404e",
            Self::EletechsupRyn408f => "eletechsup_ryn408f",
            Self::WbMr6c { .. } => "wb_mr6c",
            Self::WbMswV3 { .. } => "wb_msw_v3",
            Self::Mtdx62Mb => "mtdx62_mb",
            Self::Generic => "generic",
        }
    }

    /// Number of relay channels (numbered from 1); 0 for devices without relays.
    #[must_use]
    pub fn relay_channels(&self) -> u16 {
        match self {
            Self::GenericRelay { channels } | Self::WaveshareRelay { channels } => *channels,
            Self::EletechsupRyn404e => 4,
            Self::EletechsupRyn408f => 8,
            Self::WbMr6c { .. } => 6,
            Self::WbMswV3 { .. } | Self::Mtdx62Mb | Self::Generic => 0,
        }
    }

    /// Whether the device can end a pulse by itself, so a bridge crash mid-pulse cannot leave
    /// a door unlocked.
    #[must_use]
    pub fn supports_device_timed(&self) -> bool {
        matches!(self, Self::EletechsupRyn404e | Self::EletechsupRyn408f)
    }

    fn is_ryn(&self) -> bool {
        self.supports_device_timed()
    }

    /// The wire write for a command on a 1-based channel; `None` if the channel does not
    /// exist or the device cannot do the command.
    #[must_use]
    pub fn relay_write(&self, channel: u16, command: RelayCommand) -> Option<RelayWrite> {
        if channel == 0 || channel > self.relay_channels() {
            return None;
        }
        if self.is_ryn() {
            let value = match command {
                RelayCommand::On => RYN_ON,
                RelayCommand::Off => RYN_OFF,
                RelayCommand::OnForSeconds(secs) => RYN_ON_FOR | u16::from(secs),
            };
            return Some(RelayWrite::Register { address: channel, value });
        }
        let on = match command {
            RelayCommand::On => true,
            RelayCommand::Off => false,
            RelayCommand::OnForSeconds(_) => return None,
        };
        Some(RelayWrite::Coil { address: channel - 1, on })
    }

    /// Where the state of a 1-based channel is read back. RYN4xx report 1/0 in holding
    /// registers 1..8 (a different encoding than their write commands); the others in coils.
    #[must_use]
    pub fn relay_readback(&self, channel: u16) -> Option<RelayReadback> {
        if channel == 0 || channel > self.relay_channels() {
            return None;
        }
        Some(if self.is_ryn() {
            RelayReadback { input_type: InputType::Holding, address: channel }
        } else {
            RelayReadback { input_type: InputType::Coil, address: channel - 1 }
        })
    }

    /// Points the profile defines by itself, usable by name from `[[presence]]`.
    #[must_use]
    pub fn builtin_points(&self) -> &'static [BuiltinPoint] {
        match self {
            Self::WbMswV3 { .. } => &[
                BuiltinPoint { name: "motion", input_type: InputType::Input, address: WB_MSW_CURRENT_MOTION },
                BuiltinPoint { name: "max_motion", input_type: InputType::Input, address: WB_MSW_MAX_MOTION },
            ],
            Self::Mtdx62Mb => {
                &[BuiltinPoint { name: "presence", input_type: InputType::Input, address: MTDX62_PRESENCE }]
            }
            _ => &[],
        }
    }

    /// The point `[[presence]]` uses when it names none.
    #[must_use]
    pub fn default_presence_point(&self) -> Option<&'static str> {
        match self {
            Self::WbMswV3 { .. } => Some("motion"),
            Self::Mtdx62Mb => Some("presence"),
            _ => None,
        }
    }

    /// Register values above this mean "present" (0 for plain 0/1 points).
    #[must_use]
    pub fn presence_threshold(&self) -> u16 {
        match self {
            Self::WbMswV3 { motion_threshold } => *motion_threshold,
            _ => 0,
        }
    }

    /// The comms watchdog to program after each connect, if the profile has one configured.
    #[must_use]
    pub fn watchdog_setup(&self) -> Option<RelayWrite> {
        match self {
            Self::WbMr6c { safety_timeout_s: Some(secs) } => {
                Some(RelayWrite::Register { address: WB_MR6C_SAFETY_TIMEOUT, value: *secs })
            }
            _ => None,
        }
    }
}

/// Decodes an Eletechsup RYN4xx FC06 channel command into the relay command it carries;
/// used by the simulator to behave like the board.
#[must_use]
pub fn decode_ryn_command(value: u16) -> Option<RelayCommand> {
    let [high, low] = value.to_be_bytes();
    match high {
        0x01 => Some(RelayCommand::On),
        0x02 => Some(RelayCommand::Off),
        0x06 => Some(RelayCommand::OnForSeconds(low)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[test]
    fn ryn_device_timed_pulse_is_fc06_0x06xx_on_the_channel_register() {
        let write = Profile::EletechsupRyn408f.relay_write(3, RelayCommand::OnForSeconds(5));
        assert_eq!(write, Some(RelayWrite::Register { address: 3, value: 0x0605 }));
        assert_eq!(decode_ryn_command(0x0605), Some(RelayCommand::OnForSeconds(5)));
    }

    #[test]
    fn coil_boards_map_channel_one_to_coil_zero_and_refuse_missing_channels() {
        let board = Profile::WaveshareRelay { channels: 8 };
        assert_eq!(board.relay_write(1, RelayCommand::Off), Some(RelayWrite::Coil { address: 0, on: false }));
        assert_eq!(board.relay_write(9, RelayCommand::On), None);
        assert_eq!(board.relay_write(0, RelayCommand::On), None);
        assert_eq!(board.relay_write(1, RelayCommand::OnForSeconds(3)), None);
    }
}
