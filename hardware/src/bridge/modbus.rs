//! The Modbus adapter between the server and the bridge state: routes a request by unit id
//! (broadcasts get no answer, unknown or foreign units exception 0x0B), checks function codes
//! and address ranges against the register map, hands the door's registers to the state
//! (`SharedBridgeState::with_unit`) and turns every refusal into its exception code. Register
//! semantics and decisions live in `state`.

use std::net::IpAddr;
use std::ops::RangeInclusive;

use tokio_modbus::{ExceptionCode, Request, Response};

use super::registers::{
    DI_BRIDGE_HEALTHY, DI_COUNT, DI_UNLOCK_WINDOW, HR_CMD_ACK_SEQ, HR_CTRL_HEARTBEAT, HR_FIRST, HR_LAST, HR_REQ_SEQ,
    INPUT_BLOCK_LEN,
};
use super::state::{MailboxRefused, SharedBridgeState, UnitAccess, Unrouted};

/// Modbus allows at most 125 registers or 2000 bits in one read.
const MAX_READ_REGISTERS: u16 = 125;
const MAX_READ_BITS: u16 = 2000;

/// Answers one Modbus request from `peer` for unit `unit`; `None` where Modbus forbids an
/// answer.
pub(crate) fn handle(
    state: &SharedBridgeState,
    peer: IpAddr,
    unit: u8,
    request: &Request<'_>,
) -> Result<Option<Response>, ExceptionCode> {
    if unit == 0 {
        // Broadcast: no door listens on it and Modbus forbids answering.
        return Ok(None);
    }
    match state.with_unit(peer, unit, |door| answer(door, request)) {
        Ok(answer) => answer.map(Some),
        Err(Unrouted::NoDoor) => Err(ExceptionCode::GatewayTargetDevice),
        Err(Unrouted::PeerNotAllowed(door)) => {
            tracing::warn!(door.id = %door, peer = %peer, "peer not on this door's allow-list");
            Err(ExceptionCode::GatewayTargetDevice)
        }
    }
}

/// One request to one door: the function code and address range decide which registers are
/// touched, or the exception.
fn answer(door: &mut UnitAccess<'_>, request: &Request<'_>) -> Result<Response, ExceptionCode> {
    match request {
        Request::ReadInputRegisters(address, count) => {
            let range = checked_range(*address, *count, MAX_READ_REGISTERS, 0, INPUT_BLOCK_LEN - 1)?;
            let block = door.input_registers();
            Ok(Response::ReadInputRegisters(range.map(|a| block[usize::from(a)]).collect()))
        }
        Request::ReadHoldingRegisters(address, count) => {
            let range = checked_range(*address, *count, MAX_READ_REGISTERS, HR_FIRST, HR_LAST)?;
            Ok(Response::ReadHoldingRegisters(range.map(|a| door.holding_register(a)).collect()))
        }
        Request::ReadDiscreteInputs(address, count) => {
            let range = checked_range(*address, *count, MAX_READ_BITS, 0, DI_COUNT - 1)?;
            let window = door.unlock_window();
            let healthy = door.bridge_healthy();
            Ok(Response::ReadDiscreteInputs(
                range
                    .map(|a| match a {
                        DI_UNLOCK_WINDOW => window,
                        DI_BRIDGE_HEALTHY => healthy,
                        _ => false,
                    })
                    .collect(),
            ))
        }
        Request::WriteSingleRegister(address, value) => {
            match *address {
                HR_CTRL_HEARTBEAT..=HR_CMD_ACK_SEQ => door.write_controller_register(*address, *value),
                HR_REQ_SEQ..=HR_LAST => return Err(ExceptionCode::IllegalDataValue),
                _ => return Err(ExceptionCode::IllegalDataAddress),
            }
            Ok(Response::WriteSingleRegister(*address, *value))
        }
        Request::WriteMultipleRegisters(address, words) => {
            let count = u16::try_from(words.len()).map_err(|_| ExceptionCode::IllegalDataValue)?;
            if count == 0 {
                return Err(ExceptionCode::IllegalDataValue);
            }
            let last = address.checked_add(count - 1).ok_or(ExceptionCode::IllegalDataAddress)?;
            if (HR_CTRL_HEARTBEAT..=HR_CMD_ACK_SEQ).contains(address) && last <= HR_CMD_ACK_SEQ {
                for (register, value) in (*address..=last).zip(words.iter()) {
                    door.write_controller_register(register, *value);
                }
            } else if *address == HR_REQ_SEQ && last <= HR_LAST {
                door.write_mailbox(words).map_err(mailbox_exception)?;
            } else if *address > HR_REQ_SEQ && *address <= HR_LAST && last <= HR_LAST {
                // Part of the mailbox without req_seq: it must be written whole.
                return Err(ExceptionCode::IllegalDataValue);
            } else {
                return Err(ExceptionCode::IllegalDataAddress);
            }
            Ok(Response::WriteMultipleRegisters(*address, count))
        }
        _ => Err(ExceptionCode::IllegalFunction),
    }
}

fn mailbox_exception(refused: MailboxRefused) -> ExceptionCode {
    match refused {
        MailboxRefused::Malformed => ExceptionCode::IllegalDataValue,
        MailboxRefused::OverRate => ExceptionCode::ServerDeviceBusy,
    }
}

/// Addresses `address .. address+count` if all lie in `first..=last`.
fn checked_range(
    address: u16,
    count: u16,
    max_count: u16,
    first: u16,
    last: u16,
) -> Result<RangeInclusive<u16>, ExceptionCode> {
    if count == 0 || count > max_count {
        return Err(ExceptionCode::IllegalDataValue);
    }
    let end = address.checked_add(count - 1).ok_or(ExceptionCode::IllegalDataAddress)?;
    if address < first || end > last {
        return Err(ExceptionCode::IllegalDataAddress);
    }
    Ok(address..=end)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_range_must_be_non_empty_short_enough_and_inside_the_map() {
        assert_eq!(checked_range(0, 16, MAX_READ_REGISTERS, 0, 15), Ok(0..=15));
        assert_eq!(checked_range(110, 19, MAX_READ_REGISTERS, HR_FIRST, HR_LAST), Ok(110..=128));
        assert_eq!(checked_range(0, 0, MAX_READ_REGISTERS, 0, 15), Err(ExceptionCode::IllegalDataValue));
        assert_eq!(checked_range(0, 126, MAX_READ_REGISTERS, 0, 200), Err(ExceptionCode::IllegalDataValue));
        assert_eq!(checked_range(15, 2, MAX_READ_REGISTERS, 0, 15), Err(ExceptionCode::IllegalDataAddress));
        assert_eq!(checked_range(99, 1, MAX_READ_REGISTERS, HR_FIRST, HR_LAST), Err(ExceptionCode::IllegalDataAddress));
        assert_eq!(checked_range(u16::MAX, 2, MAX_READ_REGISTERS, 0, u16::MAX), Err(ExceptionCode::IllegalDataAddress));
    }
}
