"""Knows when the main window first paints: start-up work waits for it, and `make bench`
reads the moment to time a cold start.

`show_until_painted` runs Qt's own loop, alone, until the window has painted once: asyncio
and qasync are imported only after that, so their tenth of a second is not spent on a
blank screen. It is the only loop running then, not one nested in another.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QWidget

ENV_VAR = "TRACKER_REPORT_FIRST_PAINT"  # "1": print the time; "quit": print it and quit;
# "modules": print the modules loaded by then, and quit (tests/app/test_first_paint_imports)
MARKER = "tracker-first-paint"
MODULES_MARKER = "tracker-first-paint-modules"


class FirstPaintWatcher(QObject):
    """Calls back once, right after the watched widget's first paint has completed."""

    def __init__(self, widget: QWidget, callback: Callable[[], None]) -> None:
        super().__init__(widget)
        self._callback = callback
        self._done = False
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if not self._done and event.type() == QEvent.Type.Paint:
            self._done = True
            # After this paint completes, not before it.
            QTimer.singleShot(0, self._callback)
        return False


def show_until_painted(window: QWidget) -> bool:
    """Shows `window` and runs Qt's loop until its first paint has completed.

    True once it has painted; False when the application quit first (the dealer closed the
    window at once, or a report mode above asked to quit).
    """
    mode = os.environ.get(ENV_VAR, "")
    painted = False

    def then() -> None:
        nonlocal painted
        if mode:
            print(f"{MARKER} {time.time():.6f}", flush=True, file=sys.stdout)
        if mode == "modules":
            # `Qt` is made on first use, not on import: it counts as loaded once it is made.
            made = ["PySide6.QtCore.Qt"] if "Qt" in vars(sys.modules["PySide6.QtCore"]) else []
            loaded = " ".join(sorted([*sys.modules, *made]))
            print(MODULES_MARKER, loaded, flush=True, file=sys.stdout)
        if mode in ("quit", "modules"):
            QApplication.quit()
            return
        painted = True
        QApplication.exit(0)

    watcher = FirstPaintWatcher(window, then)
    window.show()
    QApplication.exec()
    watcher.setParent(None)
    window.removeEventFilter(watcher)
    return painted
