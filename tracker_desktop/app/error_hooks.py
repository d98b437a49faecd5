"""Unhandled exceptions are logged and shown, never lost.

The bundle has no console and Qt swallows what a slot raises after printing it to stderr,
so without these hooks a bug would vanish. `sys.excepthook` sees what a Qt slot raises;
the asyncio loop's exception handler sees what a task or callback raises. Both log with
the traceback (the log filter masks key-shaped text) and show one dialog, opened with
`open()` so no nested event loop runs inside qasync. In the self-test nobody is there to
close a dialog: `fatal` gets the reason instead, and the self-test fails with it.
"""

from __future__ import annotations

import logging
import sys
import traceback
from collections.abc import Callable
from types import TracebackType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # imported only after the first paint (app/launch), or when first shown
    import asyncio

    from PySide6.QtWidgets import QMessageBox, QWidget

log = logging.getLogger("tracker.errors")

SHOWN_TEXT = (
    "Something went wrong inside Tracker Desktop. Your data is safe: nothing half-done was "
    "saved. The details are in the log file; please send it to support if this happens again."
)


class ErrorReporter:
    """Logs and shows unhandled exceptions. `parent` gives the window to show them over."""

    def __init__(
        self,
        parent: Callable[[], QWidget | None],
        fatal: Callable[[str], None] | None = None,
    ) -> None:
        self._parent = parent
        self._fatal = fatal
        self._box: QMessageBox | None = None
        self.reported: list[str] = []  # one line per exception, newest last
        self._previous_hook = sys.excepthook

    def install_hook(self) -> None:
        """The Qt side alone, before the event loop exists."""
        sys.excepthook = self._excepthook

    def install(self, loop: asyncio.AbstractEventLoop) -> None:
        self.install_hook()
        loop.set_exception_handler(self._loop_handler)

    def uninstall(self, loop: asyncio.AbstractEventLoop) -> None:
        sys.excepthook = self._previous_hook
        loop.set_exception_handler(None)

    def report(self, exc: BaseException, where: str) -> None:
        details = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
        log.error("unhandled exception in %s:\n%s", where, details)
        self.reported.append(f"{where}: {type(exc).__name__}")
        if self._fatal is not None:
            self._fatal(f"unexpected {type(exc).__name__} in {where}{_origin(exc)}: {exc}")
            return
        self._show(type(exc).__name__)

    def _excepthook(
        self, kind: type[BaseException], exc: BaseException, tb: TracebackType | None
    ) -> None:
        if issubclass(kind, KeyboardInterrupt):
            self._previous_hook(kind, exc, tb)
            return
        self.report(exc.with_traceback(tb), "a window action")

    def _loop_handler(self, loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
        exc = context.get("exception")
        if isinstance(exc, BaseException):
            self.report(exc, "background work")
        else:
            log.error("event loop: %s", context.get("message", "unknown problem"))

    def _show(self, kind: str) -> None:
        if self._box is not None and self._box.isVisible():
            return  # one dialog at a time: a burst of the same failure is one message
        from PySide6.QtWidgets import QMessageBox

        box = QMessageBox(self._parent())
        box.setIcon(QMessageBox.Icon.Critical)
        box.setWindowTitle("Tracker Desktop: unexpected problem")
        box.setText(SHOWN_TEXT)
        box.setInformativeText(f"({kind})")
        box.setAccessibleName("Unexpected problem")
        self._box = box
        box.open()


def _origin(exc: BaseException) -> str:
    """ " (at file:line)" of the innermost frame, or nothing."""
    frames = traceback.extract_tb(exc.__traceback__)
    return f" (at {frames[-1].filename}:{frames[-1].lineno})" if frames else ""
