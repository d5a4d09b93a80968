//! A simulated door controller: the Modbus master a PLC at the door would be. It beats its
//! heartbeat, enters a credential (a PIN or an NFC card's UID) through the mailbox handshake, waits for the answer, and
//! acknowledges the unlock command it carried out. Tests, the demo and `simulate` use it so
//! nothing needs a real PLC.

use std::net::SocketAddr;
use std::time::Duration;

use tokio::time::{Instant, sleep, timeout};
use tokio_modbus::client::{Context, Reader, Writer, tcp};
use tokio_modbus::{ExceptionCode, Slave};

use super::registers::{
    HR_CMD_ACK_SEQ, HR_CTRL_HEARTBEAT, HR_DOOR_STATE_BITS, HR_REQ_SEQ, INPUT_BLOCK_LEN, InputBlock, RequestResult,
    req_type,
};

/// Why a controller step failed; after any of these the caller should reconnect.
#[derive(Debug, thiserror::Error)]
pub enum SimControllerError {
    #[error("could not connect to the bridge: {0}")]
    Connect(#[source] std::io::Error),
    #[error("the bridge did not answer in time")]
    Timeout,
    #[error("modbus transport failed: {0}")]
    Transport(#[from] tokio_modbus::Error),
    #[error("the bridge answered with exception {0:?}")]
    Exception(ExceptionCode),
    #[error("the bridge sent a short input block")]
    ShortBlock,
    #[error("credential longer than 32 bytes")]
    CredentialTooLong,
    #[error("no answer to request {0} before the deadline")]
    NoAnswer(u16),
}

/// What the bridge answered to one credential, and what the controller did about it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CredentialOutcome {
    pub req_seq: u16,
    pub result: Option<RequestResult>,
    pub reason_code: u16,
    /// The input block read together with the answer.
    pub block: InputBlock,
    /// Whether the controller found a fresh command, "pulsed" and acknowledged it.
    pub unlocked: bool,
}

/// One simulated controller on one unit id.
pub struct SimController {
    ctx: Context,
    call_timeout: Duration,
    heartbeat: u16,
    req_seq: u16,
    last_acked_cmd: Option<u16>,
}

impl std::fmt::Debug for SimController {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SimController")
            .field("heartbeat", &self.heartbeat)
            .field("req_seq", &self.req_seq)
            .field("last_acked_cmd", &self.last_acked_cmd)
            .finish_non_exhaustive()
    }
}

impl SimController {
    /// Connects to the bridge as the controller of `unit_id`.
    pub async fn connect(bridge: SocketAddr, unit_id: u8) -> Result<Self, SimControllerError> {
        let call_timeout = Duration::from_secs(3);
        let ctx = timeout(call_timeout, tcp::connect_slave(bridge, Slave(unit_id)))
            .await
            .map_err(|_| SimControllerError::Timeout)?
            .map_err(SimControllerError::Connect)?;
        Ok(Self { ctx, call_timeout, heartbeat: 0, req_seq: 0, last_acked_cmd: None })
    }

    /// Increments and writes the controller heartbeat (holding register 100).
    pub async fn beat(&mut self) -> Result<(), SimControllerError> {
        self.heartbeat = self.heartbeat.wrapping_add(1);
        let heartbeat = self.heartbeat;
        self.guarded(|ctx| ctx.write_single_register(HR_CTRL_HEARTBEAT, heartbeat)).await
    }

    /// Writes `door_state_bits` (holding register 101).
    pub async fn report_door_state(&mut self, bits: u16) -> Result<(), SimControllerError> {
        self.guarded(|ctx| ctx.write_single_register(HR_DOOR_STATE_BITS, bits)).await
    }

    /// Reads input registers 0–15 in one request.
    pub async fn read_block(&mut self) -> Result<InputBlock, SimControllerError> {
        let registers = self.guarded(|ctx| ctx.read_input_registers(0, INPUT_BLOCK_LEN)).await?;
        InputBlock::from_registers(&registers).ok_or(SimControllerError::ShortBlock)
    }

    /// Continues the request sequence after the last one the bridge answered for this door,
    /// as a controller should after a restart, so its first request is never mistaken for a
    /// repeat of an earlier one.
    pub async fn continue_sequence(&mut self) -> Result<(), SimControllerError> {
        self.req_seq = self.read_block().await?.req_seq_echo;
        Ok(())
    }

    /// Enters a PIN typed at the keypad and follows the handshake to the end.
    pub async fn enter_pin(&mut self, pin: &str) -> Result<CredentialOutcome, SimControllerError> {
        self.present(req_type::PIN, pin.as_bytes()).await
    }

    /// Holds an NFC card to the reader: its UID bytes (from `protocol::card_uid_bytes`) go
    /// into the mailbox as `req_type` 3, as a PLC with a card reader sends them.
    pub async fn present_card(&mut self, uid: &[u8]) -> Result<CredentialOutcome, SimControllerError> {
        self.present(req_type::NFC_UID, uid).await
    }

    /// Presents any credential: writes the mailbox in one FC16 request, polls the input block
    /// (beating the heartbeat) until `req_seq_echo` matches, and if a fresh unlock command is
    /// there, "pulses" the lock and writes `cmd_ack_seq`.
    pub async fn present(&mut self, kind: u16, data: &[u8]) -> Result<CredentialOutcome, SimControllerError> {
        let words = mailbox_words(self.next_seq(), kind, data)?;
        let seq = self.req_seq;
        self.guarded(|ctx| ctx.write_multiple_registers(HR_REQ_SEQ, &words)).await?;
        let give_up = Instant::now() + Duration::from_secs(5);
        let block = loop {
            let block = self.read_block().await?;
            if block.req_seq_echo == seq && block.result() != Some(RequestResult::Pending) {
                break block;
            }
            if Instant::now() >= give_up {
                return Err(SimControllerError::NoAnswer(seq));
            }
            self.beat().await?;
            sleep(Duration::from_millis(20)).await;
        };
        let unlocked = self.carry_out(&block).await?;
        Ok(CredentialOutcome { req_seq: seq, result: block.result(), reason_code: block.req_reason, block, unlocked })
    }

    /// Acts on an unlock command the way a correct PLC program must: only if `cmd_seq` is new
    /// and `cmd_remaining_100ms` is above zero, then acknowledge it.
    pub async fn carry_out(&mut self, block: &InputBlock) -> Result<bool, SimControllerError> {
        let fresh = block.cmd_seq != 0 && self.last_acked_cmd != Some(block.cmd_seq);
        if !fresh || block.cmd_remaining_100ms == 0 {
            return Ok(false);
        }
        let seq = block.cmd_seq;
        self.guarded(|ctx| ctx.write_single_register(HR_CMD_ACK_SEQ, seq)).await?;
        self.last_acked_cmd = Some(seq);
        Ok(true)
    }

    fn next_seq(&mut self) -> u16 {
        self.req_seq = match self.req_seq.wrapping_add(1) {
            0 => 1,
            seq => seq,
        };
        self.req_seq
    }

    /// Runs one Modbus call under the timeout and flattens both error layers.
    async fn guarded<'a, T, F, Fut>(&'a mut self, call: F) -> Result<T, SimControllerError>
    where
        F: FnOnce(&'a mut Context) -> Fut,
        Fut: std::future::Future<Output = tokio_modbus::Result<T>> + 'a,
    {
        match timeout(self.call_timeout, call(&mut self.ctx)).await {
            Err(_) => Err(SimControllerError::Timeout),
            Ok(Err(error)) => Err(SimControllerError::Transport(error)),
            Ok(Ok(Err(exception))) => Err(SimControllerError::Exception(exception)),
            Ok(Ok(Ok(value))) => Ok(value),
        }
    }
}

/// Registers 110.. for one request: seq, type, len, data two bytes per register, high first.
pub fn mailbox_words(seq: u16, kind: u16, data: &[u8]) -> Result<Vec<u16>, SimControllerError> {
    let len = u16::try_from(data.len()).map_err(|_| SimControllerError::CredentialTooLong)?;
    if len > 32 {
        return Err(SimControllerError::CredentialTooLong);
    }
    let mut words = vec![seq, kind, len];
    words.extend(
        data.chunks(2)
            .map(|pair| u16::from_be_bytes([pair.first().copied().unwrap_or(0), pair.get(1).copied().unwrap_or(0)])),
    );
    Ok(words)
}
