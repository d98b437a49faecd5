"""Reports the moment the main window first paints, for `make bench` (cold start)."""

from __future__ import annotations

import os
import sys
import time

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QWidget

ENV_VAR = "TRACKER_REPORT_FIRST_PAINT"  # "1": print the time; "quit": print it and quit
MARKER = "tracker-first-paint"


class FirstPaintReporter(QObject):
    def __init__(self, widget: QWidget, quit_after: bool) -> None:
        super().__init__(widget)
        self._quit_after = quit_after
        self._done = False
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if not self._done and event.type() == QEvent.Type.Paint:
            self._done = True
            # Print after this paint completes, not before it.
            QTimer.singleShot(0, self._report)
        return False

    def _report(self) -> None:
        print(f"{MARKER} {time.time():.6f}", flush=True, file=sys.stdout)
        if self._quit_after:
            QApplication.quit()


def watch_first_paint(widget: QWidget) -> FirstPaintReporter | None:
    mode = os.environ.get(ENV_VAR, "")
    if not mode:
        return None
    return FirstPaintReporter(widget, quit_after=(mode == "quit"))
