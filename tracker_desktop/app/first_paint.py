"""Knows when the main window first paints: start-up work waits for it, and `make bench`
reads the moment to time a cold start."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QWidget

ENV_VAR = "TRACKER_REPORT_FIRST_PAINT"  # "1": print the time; "quit": print it and quit
MARKER = "tracker-first-paint"


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


def on_first_paint(widget: QWidget, callback: Callable[[], None]) -> FirstPaintWatcher:
    mode = os.environ.get(ENV_VAR, "")

    def then() -> None:
        if mode:
            print(f"{MARKER} {time.time():.6f}", flush=True, file=sys.stdout)
        if mode == "quit":
            QApplication.quit()
            return
        callback()

    return FirstPaintWatcher(widget, then)
