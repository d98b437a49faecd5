"""Runs service coroutines on the qasync loop from widgets, keeping a reference to each task,
and blocking database calls on the one database worker thread.

Every GUI action that talks to Stripe goes through `TaskRunner.run`, with a success and a
failure handler (Anki's "operations" idea): the failure handler gets the project error,
whose message is written for a dealer and never holds a secret. Database reads and writes a
window asks for go through `database_worker()`, one call at a time in the order asked (as
Anki serialises its collection), so the GUI thread never waits on SQLite: not on a slow
query, and not on another program holding the write lock. `LatestCall` is for reads that a
newer request makes stale (a filter being typed): only the newest one's answer is shown.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import threading
from collections.abc import Callable, Coroutine
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QObject, QTimer, Signal
from shiboken6 import isValid

from tracker_desktop.domain.errors import TrackerError

log = logging.getLogger(__name__)

T = TypeVar("T")


class TaskRunner(QObject):
    busy_changed = Signal(bool)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._tasks: set[asyncio.Task[Any]] = set()

    @property
    def busy(self) -> bool:
        return bool(self._tasks)

    def run(
        self,
        coro: Coroutine[Any, Any, T],
        on_success: Callable[[T], None] | None = None,
        on_error: Callable[[Exception], None] | None = None,
    ) -> asyncio.Task[T]:
        task = asyncio.ensure_future(coro)
        was_busy = self.busy
        self._tasks.add(task)
        if not was_busy:
            self.busy_changed.emit(True)

        def done(finished: asyncio.Task[T]) -> None:
            if not isValid(self):
                return  # the window that asked was closed meanwhile
            self._tasks.discard(finished)
            if not self._tasks:
                self.busy_changed.emit(False)
            if finished.cancelled():
                return
            exc = finished.exception()
            if exc is None:
                if on_success is not None:
                    on_success(finished.result())
                return
            if not isinstance(exc, TrackerError):
                log.error("unexpected failure", exc_info=exc)
            if on_error is not None and isinstance(exc, Exception):
                on_error(exc)

        task.add_done_callback(done)
        return task


class DatabaseWorker:
    """One thread that runs the windows' blocking service calls, one at a time, in order."""

    def __init__(self, name: str = "database") -> None:
        self._executor = ThreadPoolExecutor(1, thread_name_prefix=f"tracker-{name}")

    async def run(self, call: Callable[..., T], *args: Any) -> T:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, functools.partial(call, *args))


_workers: dict[str, DatabaseWorker] = {}
_workers_lock = threading.Lock()


def database_worker() -> DatabaseWorker:
    """The process's database worker, started on first use: every read and write a window
    asks for, one at a time."""
    return _named_worker("database")


def counting_worker() -> DatabaseWorker:
    """A second thread for counting every match of a long history (up to ~0.2 s at 100,000
    invoices): read-only, so under SQLite's WAL it runs beside the database worker, and a
    count never delays the next page of rows."""
    return _named_worker("counting")


def _named_worker(name: str) -> DatabaseWorker:
    with _workers_lock:
        if name not in _workers:
            _workers[name] = DatabaseWorker(name)
        return _workers[name]


@dataclass(frozen=True, slots=True)
class _Call(Generic[T]):
    number: int
    call: Callable[[], T]
    on_success: Callable[[T], None]
    on_error: Callable[[Exception], None] | None


class LatestCall(QObject):
    """A read whose newest request wins: one call runs at a time on the database worker;
    asking again while it runs replaces any request still waiting, and the answer of a
    request overtaken by a newer one is dropped. `slow` is emitted (True) when a call has
    run longer than `slow_after_ms`, and (False) when it ends: a window says what it is
    waiting for instead of looking frozen."""

    slow = Signal(bool)

    def __init__(
        self,
        parent: QObject | None = None,
        *,
        worker: DatabaseWorker | None = None,
        slow_after_ms: int = 400,
    ) -> None:
        super().__init__(parent)
        self._worker = worker or database_worker()
        self._runner = TaskRunner(self)  # its own: a read must not make Stripe buttons busy
        self._asked = 0
        self._running: _Call[Any] | None = None
        self._waiting: _Call[Any] | None = None
        self._slow_timer = QTimer(self)
        self._slow_timer.setSingleShot(True)
        self._slow_timer.setInterval(slow_after_ms)
        self._slow_timer.timeout.connect(lambda: self._set_slow(True))
        self._is_slow = False

    @property
    def busy(self) -> bool:
        return self._running is not None

    @property
    def is_slow(self) -> bool:
        return self._is_slow

    def ask(
        self,
        call: Callable[[], T],
        on_success: Callable[[T], None],
        on_error: Callable[[Exception], None] | None = None,
    ) -> None:
        self._asked += 1
        request = _Call(self._asked, call, on_success, on_error)
        if self._running is None:
            self._start(request)
        else:
            self._waiting = request

    def forget(self) -> None:
        """Drop the answer of whatever was asked so far (the window shows something else)."""
        self._asked += 1
        self._waiting = None

    def _start(self, request: _Call[Any]) -> None:
        self._running = request
        self._slow_timer.start()
        self._runner.run(
            self._worker.run(request.call),
            lambda result: self._finished(request, result, None),
            lambda exc: self._finished(request, None, exc),
        )

    def _set_slow(self, slow: bool) -> None:
        if slow != self._is_slow:
            self._is_slow = slow
            self.slow.emit(slow)

    def _finished(self, request: _Call[Any], result: Any, exc: Exception | None) -> None:
        self._running = None
        waiting, self._waiting = self._waiting, None
        if waiting is not None:
            self._start(waiting)  # newer: this answer is stale, and is dropped
            return
        self._slow_timer.stop()
        self._set_slow(False)
        if request.number != self._asked:
            return
        if exc is None:
            request.on_success(result)
        elif request.on_error is not None:
            request.on_error(exc)


def describe_error(exc: BaseException) -> str:
    """What a dealer reads. Unexpected errors say so, without internals."""
    if isinstance(exc, TrackerError):
        return str(exc)
    return (
        f"Something unexpected went wrong ({type(exc).__name__}). Nothing was lost; the "
        "details are in the log file."
    )
