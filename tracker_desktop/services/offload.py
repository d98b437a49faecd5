"""Where a service runs its blocking database work: off the GUI thread, since the asyncio
loop the services await on is Qt's own (qasync), so a statement run inline freezes the window.

The app hands the services its one database worker (ui/tasks), so the poller's writes and
the windows' reads run one at a time in order; elsewhere (tests, the benchmarks) one
thread of this module's does, also one call at a time.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Protocol, TypeVar

T = TypeVar("T")
_pool = ThreadPoolExecutor(1, thread_name_prefix="tracker-offload")


class Offload(Protocol):
    def __call__(self, call: Callable[[], T], /) -> Awaitable[T]: ...


def in_thread(call: Callable[[], T], /) -> Awaitable[T]:
    return asyncio.get_running_loop().run_in_executor(_pool, call)
