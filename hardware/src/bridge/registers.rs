//! The register map for door controllers (issue 5, point 2) as constants, and the decoded
//! view of the input block a controller reads. This map is a contract with third-party PLC
//! programs: change nothing here without changing `hardware/README.md` and `map_version`.

/// Value of input register 0; a controller refuses to run on an unknown major version.
pub const MAP_VERSION: u16 = 0x0100;

/// Input registers 0..=15, read-only, read as one block with FC04.
pub const INPUT_BLOCK_LEN: u16 = 16;

pub const IR_MAP_VERSION: usize = 0;
pub const IR_BRIDGE_HEARTBEAT: usize = 1;
pub const IR_STATUS_BITS: usize = 2;
pub const IR_CMD_SEQ: usize = 3;
pub const IR_CMD_REMAINING_100MS: usize = 4;
pub const IR_CMD_PULSE_100MS: usize = 5;
pub const IR_REQ_SEQ_ECHO: usize = 6;
pub const IR_REQ_RESULT: usize = 7;
pub const IR_REQ_REASON: usize = 8;
pub const IR_LOCKOUT_REMAINING_S: usize = 9;
pub const IR_BOOKING_END_S_HI: usize = 10;
pub const IR_BOOKING_END_S_LO: usize = 11;
pub const IR_PRESENCE: usize = 12;
pub const IR_ALARMS_LATCHED: usize = 13;
pub const IR_UNIX_TIME_HI: usize = 14;
pub const IR_UNIX_TIME_LO: usize = 15;

/// Bits of `status_bits` (input register 2).
pub mod status {
    pub const CENTRAL_REACHABLE: u16 = 1 << 0;
    pub const SNAPSHOT_VALID: u16 = 1 << 1;
    pub const CLOCK_SYNCED: u16 = 1 << 2;
    pub const DOOR_ENABLED: u16 = 1 << 3;
    pub const LOCKDOWN: u16 = 1 << 4;
    pub const DECIDING_OFFLINE: u16 = 1 << 5;
    pub const FIELD_IO_HEALTHY: u16 = 1 << 6;
}

/// Holding registers written by the controller and read back.
pub const HR_CTRL_HEARTBEAT: u16 = 100;
pub const HR_DOOR_STATE_BITS: u16 = 101;
pub const HR_CMD_ACK_SEQ: u16 = 102;
pub const HR_REQ_SEQ: u16 = 110;
pub const HR_REQ_TYPE: u16 = 111;
pub const HR_REQ_LEN: u16 = 112;
pub const HR_REQ_DATA: u16 = 113;
/// Last holding register of the map (end of `req_data`).
pub const HR_LAST: u16 = 128;
/// First holding register of the map.
pub const HR_FIRST: u16 = HR_CTRL_HEARTBEAT;
/// Most credential bytes a mailbox holds (16 registers, two bytes each).
pub const REQ_DATA_MAX_BYTES: u16 = 32;

/// Bits of `door_state_bits` (holding register 101).
pub mod door_state {
    pub const CLOSED: u16 = 1 << 0;
    pub const LOCK_ENERGISED: u16 = 1 << 1;
    pub const REQUEST_TO_EXIT: u16 = 1 << 2;
    pub const TAMPER: u16 = 1 << 3;
}

/// Discrete inputs of simple mode (FC02).
pub const DI_UNLOCK_WINDOW: u16 = 0;
pub const DI_BRIDGE_HEALTHY: u16 = 1;
pub const DI_COUNT: u16 = 2;

/// Values of `req_type` (holding register 111).
pub mod req_type {
    pub const PIN: u16 = 1;
    pub const BOOKING_TOKEN: u16 = 2;
    pub const NFC_UID: u16 = 3;
}

/// Values of `req_result` (input register 7).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RequestResult {
    Pending,
    Granted,
    Denied,
    LockedOut,
    DeniedOffline,
    BadRequest,
}

impl RequestResult {
    /// The register value.
    pub fn code(self) -> u16 {
        match self {
            Self::Pending => 0,
            Self::Granted => 1,
            Self::Denied => 2,
            Self::LockedOut => 3,
            Self::DeniedOffline => 4,
            Self::BadRequest => 5,
        }
    }

    /// The result for a register value, for controllers written in Rust (tests, simulator).
    pub fn from_code(code: u16) -> Option<Self> {
        [Self::Pending, Self::Granted, Self::Denied, Self::LockedOut, Self::DeniedOffline, Self::BadRequest]
            .into_iter()
            .find(|result| result.code() == code)
    }
}

/// The input block 0..=15 decoded, as a controller sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InputBlock {
    pub map_version: u16,
    pub bridge_heartbeat: u16,
    pub status_bits: u16,
    pub cmd_seq: u16,
    pub cmd_remaining_100ms: u16,
    pub cmd_pulse_100ms: u16,
    pub req_seq_echo: u16,
    pub req_result: u16,
    pub req_reason: u16,
    pub lockout_remaining_s: u16,
    pub booking_end_s: u32,
    pub presence: u16,
    pub alarms_latched: u16,
    pub unix_time: u32,
}

impl InputBlock {
    /// Decodes a read of the whole block; `None` if fewer than 16 registers were read.
    pub fn from_registers(regs: &[u16]) -> Option<Self> {
        let reg = |i: usize| regs.get(i).copied();
        let pair = |hi: usize, lo: usize| Some((u32::from(reg(hi)?) << 16) | u32::from(reg(lo)?));
        Some(Self {
            map_version: reg(IR_MAP_VERSION)?,
            bridge_heartbeat: reg(IR_BRIDGE_HEARTBEAT)?,
            status_bits: reg(IR_STATUS_BITS)?,
            cmd_seq: reg(IR_CMD_SEQ)?,
            cmd_remaining_100ms: reg(IR_CMD_REMAINING_100MS)?,
            cmd_pulse_100ms: reg(IR_CMD_PULSE_100MS)?,
            req_seq_echo: reg(IR_REQ_SEQ_ECHO)?,
            req_result: reg(IR_REQ_RESULT)?,
            req_reason: reg(IR_REQ_REASON)?,
            lockout_remaining_s: reg(IR_LOCKOUT_REMAINING_S)?,
            booking_end_s: pair(IR_BOOKING_END_S_HI, IR_BOOKING_END_S_LO)?,
            presence: reg(IR_PRESENCE)?,
            alarms_latched: reg(IR_ALARMS_LATCHED)?,
            unix_time: pair(IR_UNIX_TIME_HI, IR_UNIX_TIME_LO)?,
        })
    }

    /// The decoded `req_result`.
    pub fn result(&self) -> Option<RequestResult> {
        RequestResult::from_code(self.req_result)
    }
}
