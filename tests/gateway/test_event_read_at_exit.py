"""A poll still waiting on the network when the dealer closes the app does not hold the
process open: the event list is read in a thread the interpreter does not wait for.

A real process, a real socket that accepts the connection and never answers, and a read
timeout of ten minutes: the process must end on its own long before that.
"""

from __future__ import annotations

import asyncio
import subprocess
import sys

import pytest

from tracker_desktop.stripe_gateway.events import in_reading_thread

STALLED_POLL = """
import asyncio, socket, sys
from tracker_desktop.stripe_gateway import StripeGateway

server = socket.socket()
server.bind(("127.0.0.1", 0))
server.listen()
port = server.getsockname()[1]
held = []  # the server's end stays open: the answer is never sent, never refused

async def main():
    gateway = StripeGateway("sk_test_StalledReadAtExit0000", api_base=f"http://127.0.0.1:{port}",
                            timeout=600.0, max_network_retries=0)
    read = asyncio.ensure_future(gateway.list_events())
    held.append(await asyncio.get_running_loop().run_in_executor(None, server.accept))
    await asyncio.sleep(0.2)  # the request is sent; its answer never comes
    print("read in flight:", not read.done(), flush=True)
    read.cancel()  # as the app's shutdown cancels its poll

asyncio.run(main())
print("leaving", flush=True)
"""


def test_a_read_waiting_on_the_network_does_not_hold_the_closing_app() -> None:
    done = subprocess.run(
        [sys.executable, "-c", STALLED_POLL],
        capture_output=True,
        text=True,
        timeout=120,  # far below the read's own 600 s: reaching it means the exit waited
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert "read in flight: True" in done.stdout
    assert "leaving" in done.stdout


def test_the_read_gives_its_result_and_its_failure_to_the_caller() -> None:
    def refuse(_arg: object) -> None:
        raise ValueError("refused")

    async def both() -> None:
        assert await in_reading_thread(lambda n: n * 2, 21) == 42
        with pytest.raises(ValueError, match="refused"):
            await in_reading_thread(refuse, None)

    asyncio.run(both())
