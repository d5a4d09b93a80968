"""A door controller played by pymodbus (an independent Modbus implementation) against the
RegioHub bridge: enters a wrong PIN and a right PIN through the mailbox handshake, acknowledges
the unlock command, and probes two exceptions. Prints one JSON object with what it saw.

Usage: controller.py --port PORT --unit UNIT --pin PIN --wrong-pin PIN
"""

import argparse
import asyncio
import json
import sys

from pymodbus.client import AsyncModbusTcpClient

HR_CTRL_HEARTBEAT = 100
HR_CMD_ACK_SEQ = 102
HR_REQ_SEQ = 110
REQ_TYPE_PIN = 1


def mailbox(seq, data):
    raw = data.encode("ascii")
    padded = raw + (b"\0" if len(raw) % 2 else b"")
    words = [int.from_bytes(padded[i:i + 2], "big") for i in range(0, len(padded), 2)]
    return [seq, REQ_TYPE_PIN, len(raw)] + words


async def read_block(client, unit):
    rr = await client.read_input_registers(0, count=16, device_id=unit)
    if rr.isError():
        raise RuntimeError(f"reading the input block failed: {rr}")
    return rr.registers


async def enter_pin(client, unit, seq, pin, heartbeat):
    before = await read_block(client, unit)
    wr = await client.write_registers(HR_REQ_SEQ, mailbox(seq, pin), device_id=unit)
    if wr.isError():
        raise RuntimeError(f"mailbox write refused: {wr}")
    for _ in range(200):
        block = await read_block(client, unit)
        if block[6] == seq and block[7] != 0:
            break
        heartbeat += 1
        await client.write_register(HR_CTRL_HEARTBEAT, heartbeat, device_id=unit)
        await asyncio.sleep(0.02)
    else:
        raise RuntimeError(f"no answer to request {seq}")
    acked = False
    if block[7] == 1 and block[3] != before[3] and block[4] > 0:
        ack = await client.write_register(HR_CMD_ACK_SEQ, block[3], device_id=unit)
        acked = not ack.isError()
    readback = await client.read_holding_registers(HR_REQ_SEQ, count=3, device_id=unit)
    return {
        "result": block[7],
        "reason": block[8],
        "cmd_seq_before": before[3],
        "cmd_seq_after": block[3],
        "remaining_100ms": block[4],
        "pulse_100ms": block[5],
        "map_version": block[0],
        "acked": acked,
        "readback": readback.registers if not readback.isError() else None,
    }, heartbeat


async def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--unit", type=int, required=True)
    parser.add_argument("--pin", required=True)
    parser.add_argument("--wrong-pin", required=True)
    args = parser.parse_args()

    client = AsyncModbusTcpClient("127.0.0.1", port=args.port, timeout=3, retries=0)
    if not await client.connect():
        print("could not connect to the bridge", file=sys.stderr)
        sys.exit(1)
    try:
        heartbeat = 1
        await client.write_register(HR_CTRL_HEARTBEAT, heartbeat, device_id=args.unit)
        wrong, heartbeat = await enter_pin(client, args.unit, 1, args.wrong_pin, heartbeat)
        right, heartbeat = await enter_pin(client, args.unit, 2, args.pin, heartbeat)
        malformed = await client.write_registers(
            HR_REQ_SEQ, [3, REQ_TYPE_PIN, 33] + [0x3131] * 16, device_id=args.unit
        )
        unknown_unit = await client.read_input_registers(0, count=16, device_id=200)
        outside = await client.read_input_registers(0, count=17, device_id=args.unit)
        report = {
            "wrong": wrong,
            "right": right,
            "malformed_exception": malformed.exception_code if malformed.isError() else None,
            "unknown_unit_exception": unknown_unit.exception_code if unknown_unit.isError() else None,
            "outside_exception": outside.exception_code if outside.isError() else None,
        }
        print(json.dumps(report))
    finally:
        client.close()


if __name__ == "__main__":
    asyncio.run(main())
