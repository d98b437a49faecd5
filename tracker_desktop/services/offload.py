"""Where a service runs its blocking database work: off the GUI thread, since the asyncio
loop the services await on is Qt's own (qasync), so a statement run inline freezes the window.

The app hands the services its one database worker (ui/tasks), so the poller's writes and
the windows' reads run one at a time in order; elsewhere (tests, the benchmarks) one
thread of this module's does, also one call at a time.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Protocol, TypeVar

T = TypeVar("T")
_pool = ThreadPoolExecutor(1, thread_name_prefix="tracker-offload")


class Offload(Protocol):
    def __call__(self, call: Callable[[], T], /) -> Awaitable[T]: ...


# How long a thread may hold the GIL before another may take it. Python's 5 ms lets a worker
# busy with ORM work (a poll applying 50 paid invoices) keep the GUI thread waiting for
# hundreds of milliseconds in a row (`make bench`: gui_block_max_ms_poll 200-400 ms in one
# poll of three; 24-42 ms with 1 ms). The worker's own work takes a little longer instead.
GUI_FRIENDLY_SWITCH_INTERVAL_S = 0.001


def favour_the_gui_thread() -> None:
    """Called once the window is up (app.launch), and by the benchmarks that measure it."""
    sys.setswitchinterval(GUI_FRIENDLY_SWITCH_INTERVAL_S)


def in_thread(call: Callable[[], T], /) -> Awaitable[T]:
    return asyncio.get_running_loop().run_in_executor(_pool, call)
