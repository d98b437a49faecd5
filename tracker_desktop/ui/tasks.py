"""Runs service coroutines on the qasync loop from widgets, keeping a reference to each task.

Every GUI action that talks to Stripe goes through `TaskRunner.run`, with a success and a
failure handler (Anki's "operations" idea): the failure handler gets the project error,
whose message is written for a dealer and never holds a secret.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

from PySide6.QtCore import QObject, Signal

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


def describe_error(exc: BaseException) -> str:
    """What a dealer reads. Unexpected errors say so, without internals."""
    if isinstance(exc, TrackerError):
        return str(exc)
    return (
        f"Something unexpected went wrong ({type(exc).__name__}). Nothing was lost; the "
        "details are in the log file."
    )
