"""Reads the clients table's rows off the GUI thread, so the window opens at once.

Reading 10,000 clients takes longer than the GUI thread may stall (~50 ms), so the read runs
in a worker thread (ClientService.load_rows) and only the model fill happens on the GUI
thread. One read at a time: a reload asked for while a read runs is read again once that
read lands, so a burst of changes neither starves the table nor fills it out of order.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from PySide6.QtCore import QObject, Signal

from tracker_desktop.services.clients.client_service import RowTuple
from tracker_desktop.ui.tasks import TaskRunner

LoadRows = Callable[[int], Coroutine[Any, Any, list[RowTuple]]]


class RowLoader(QObject):
    # (profile id or None, list[RowTuple]): the rows of that profile as just read.
    rows_ready = Signal(object, object)
    # (profile id, Exception): the read failed; what was shown stays.
    failed = Signal(object, object)

    def __init__(
        self, load: LoadRows, profile_id: Callable[[], int | None], parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._load = load
        self._profile_id = profile_id
        self._runner = TaskRunner(self)  # its own: a read must not make Stripe buttons busy
        self._running = False
        self._again = False

    @property
    def loading(self) -> bool:
        return self._running

    def request(self) -> None:
        """Read the active profile's rows; rows_ready follows (at once when no profile)."""
        if self._running:
            self._again = True
            return
        pid = self._profile_id()
        if pid is None:
            self.rows_ready.emit(None, [])
            return
        self._running = True
        self._runner.run(
            self._load(pid),
            lambda rows: self._landed(pid, rows, None),
            lambda exc: self._landed(pid, None, exc),
        )

    def _landed(self, pid: int, rows: list[RowTuple] | None, exc: Exception | None) -> None:
        self._running = False
        again, self._again = self._again, False
        if again:
            self.request()  # something changed during the read: these rows may be stale
        if exc is not None:
            self.failed.emit(pid, exc)
        else:
            self.rows_ready.emit(pid, rows)  # still newer than what the table shows
