"""Field devices played by pymodbus 3.16.1 for the bridge's Modbus client (interop test).

Serves on 127.0.0.1 (ports chosen by the OS):
  * a Modbus TCP "gateway" with
      unit 1: a relay board (coils 0-7, relay 1 starts ON so the bridge must force it OFF;
              discrete input 0 = door contact, 1 = closed)
      unit 2: a presence radar like the MTDX62-MB (input register 0 = presence)
  * an RTU-over-TCP "transparent gateway" with
      unit 3: a second presence radar (input register 0 = presence)

Prints one line "PORTS <tcp> <rtu>" once both accept connections, then reads commands on
stdin, one per line:
  presence <unit> <0|1>   set the presence register of unit 2 or 3
  quit                    stop
Exits when stdin closes, so a crashed test leaves nothing running.
"""

import asyncio
import socket
import sys
import threading
from functools import partial

from pymodbus import FramerType
from pymodbus.server import ModbusTcpServer
from pymodbus.simulator import DataType, SimData, SimDevice

PRESENCE = {2: 0, 3: 0}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


async def presence_action(unit, function_code, start_address, address, count, registers, set_values):
    """Mirror the externally set presence into input register 0 on every access."""
    if function_code == 4 and start_address <= 0 < start_address + len(registers):
        registers[0 - start_address] = PRESENCE[unit]
    return None


def relay_board(unit: int) -> SimDevice:
    return SimDevice(
        id=unit,
        simdata=(
            [SimData(0, values=[True] + [False] * 7, datatype=DataType.BITS)],
            [SimData(0, values=[True] + [False] * 7, datatype=DataType.BITS)],
            [SimData(0, count=4, values=0, datatype=DataType.REGISTERS)],
            [SimData(0, count=4, values=0, datatype=DataType.REGISTERS)],
        ),
    )


def radar(unit: int) -> SimDevice:
    return SimDevice(
        id=unit,
        simdata=(
            [SimData(0, values=[False], datatype=DataType.BITS)],
            [SimData(0, values=[False], datatype=DataType.BITS)],
            [SimData(0, count=13, values=0, datatype=DataType.REGISTERS)],
            [SimData(0, values=[0, 0, 0, 1], datatype=DataType.REGISTERS)],
        ),
        action=partial(presence_action, unit),
    )


async def wait_listening(port: int) -> None:
    for _ in range(200):
        try:
            _reader, writer = await asyncio.open_connection("127.0.0.1", port)
            writer.close()
            return
        except OSError:
            await asyncio.sleep(0.05)
    raise RuntimeError(f"port {port} never opened")


def read_commands(loop: asyncio.AbstractEventLoop, done: asyncio.Event) -> None:
    for line in sys.stdin:
        words = line.split()
        if words[:1] == ["presence"] and len(words) == 3:
            PRESENCE[int(words[1])] = int(words[2])
            print(f"OK {line.strip()}", flush=True)
        elif words[:1] == ["quit"]:
            break
    loop.call_soon_threadsafe(done.set)


async def main() -> None:
    tcp_port, rtu_port = free_port(), free_port()
    tcp = ModbusTcpServer(
        [relay_board(1), radar(2)], framer=FramerType.SOCKET, address=("127.0.0.1", tcp_port)
    )
    rtu = ModbusTcpServer([radar(3)], framer=FramerType.RTU, address=("127.0.0.1", rtu_port))
    tasks = [asyncio.create_task(tcp.serve_forever()), asyncio.create_task(rtu.serve_forever())]
    await wait_listening(tcp_port)
    await wait_listening(rtu_port)
    print(f"PORTS {tcp_port} {rtu_port}", flush=True)
    done = asyncio.Event()
    threading.Thread(
        target=read_commands, args=(asyncio.get_running_loop(), done), daemon=True
    ).start()
    await done.wait()
    await tcp.shutdown()
    await rtu.shutdown()
    for task in tasks:
        task.cancel()


if __name__ == "__main__":
    asyncio.run(main())
