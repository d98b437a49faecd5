"""What the GUI benchmarks share: the app's loop arrangement (asyncio on qasync inside Qt's
loop), a GUI-stall meter, waiting on the Qt loop, resident memory, and a process that holds
SQLite's write lock."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any


class StallMeter:
    """Ticks every 5 ms on the GUI thread; the largest gap between ticks is the worst stall."""

    def __init__(self) -> None:
        from PySide6.QtCore import Qt, QTimer

        self.timer = QTimer()
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.setInterval(5)
        self.timer.timeout.connect(self._tick)
        self.last = 0.0
        self.worst = 0.0
        self.ticks = 0

    def start(self) -> None:
        self.last, self.worst, self.ticks = time.perf_counter(), 0.0, 0
        self.timer.start()

    def _tick(self) -> None:
        now = time.perf_counter()
        self.worst = max(self.worst, now - self.last)
        self.last = now
        self.ticks += 1

    def stop(self) -> float:
        """The worst gap in seconds (the stretch since the last tick counts too)."""
        self._tick()
        self.timer.stop()
        return self.worst


@contextmanager
def qt_loop() -> Iterator[Any]:
    """A QApplication with asyncio running on it, as the app runs (qasync)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    import qasync

    from tracker_desktop.services.offload import favour_the_gui_thread

    favour_the_gui_thread()  # as the app does once its window is up
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([])
    loop = qasync.QEventLoop(app, already_running=True)
    asyncio.set_event_loop(loop)
    try:
        yield app
    finally:
        pending = asyncio.all_tasks(loop)
        for task in pending:
            task.cancel()
        wait_until(app, lambda: all(task.done() for task in pending), timeout=10)
        asyncio.events._set_running_loop(None)
        asyncio.set_event_loop(None)


class NextPaint:
    """Notes when a widget's next paint after `arm()` has finished: the paint the app asks
    for itself, not one the benchmark forces (a forced paint would come on top of it)."""

    def __init__(self, widget: Any) -> None:
        from PySide6.QtCore import QEvent, QObject, QTimer

        outer = self
        self.done: float | None = None
        self._armed = False

        class Filter(QObject):
            def eventFilter(self, _watched: QObject, event: QEvent) -> bool:
                if outer._armed and event.type() == QEvent.Type.Paint:
                    outer._armed = False
                    QTimer.singleShot(0, outer._finished)  # runs once this paint is over
                return False

        self._widget = widget
        self._filter = Filter()
        widget.installEventFilter(self._filter)

    def arm(self, *_args: object) -> None:
        self.done, self._armed = None, True

    def _finished(self) -> None:
        self.done = time.perf_counter()

    def remove(self) -> None:
        self._widget.removeEventFilter(self._filter)


def wait_until(app: Any, done: Callable[[], bool], timeout: float = 60.0) -> None:
    """Run the Qt loop (and asyncio on it) until `done()`, checked every millisecond.

    One nested event loop per wait rather than processEvents() in a busy loop, so the
    waiting costs nothing the measured code would not pay in the app.
    """
    from PySide6.QtCore import QEventLoop, Qt, QTimer

    if done():
        return
    loop = QEventLoop()
    end = time.monotonic() + timeout
    expired: list[bool] = []

    def check() -> None:
        if done():
            loop.quit()
        elif time.monotonic() > end:
            expired.append(True)
            loop.quit()

    timer = QTimer()
    timer.setTimerType(Qt.TimerType.PreciseTimer)
    timer.setInterval(1)
    timer.timeout.connect(check)
    timer.start()
    loop.exec()
    timer.stop()
    if expired:
        raise TimeoutError("the window did not get there in time")
    _ = app


def resident_mb() -> float:
    """This process's resident memory (Linux /proc; elsewhere the peak from resource)."""
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    import resource

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


_HOLD_LOCK = """
import sqlite3, sys
db = sqlite3.connect(sys.argv[1], isolation_level=None, timeout=30)
db.execute("BEGIN IMMEDIATE")
db.execute("UPDATE profiles SET name = name")
print("locked", flush=True)
sys.stdin.readline()
db.execute("ROLLBACK")
"""


@contextmanager
def write_lock_held(db_file: Path) -> Iterator[None]:
    """Another process holds the database's write lock (a writer mid-transaction)."""
    holder = subprocess.Popen(  # noqa: S603 - our own interpreter and script
        [sys.executable, "-c", _HOLD_LOCK, str(db_file)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None
        if holder.stdout.readline().strip() != "locked":
            raise RuntimeError("the lock holder did not take the lock")
        yield
    finally:
        if holder.stdin is not None:
            holder.stdin.close()
        holder.wait(timeout=30)
