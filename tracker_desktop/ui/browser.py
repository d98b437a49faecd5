"""Opens a link in the system browser, with the real answer, and offers the link to copy
when the system could not open it.

A payment link must never be lost because no browser opened. On Linux Qt's
QDesktopServices.openUrl says True once xdg-open has *started*, whatever it then does, so
there the launcher (xdg-open, else gio open) is run here, in a worker thread, and its exit
status is the answer. A launcher still running after LAUNCHER_PATIENCE_S is taken as a
browser that opened in the foreground (it is left running). Elsewhere QDesktopServices'
own answer is used: Windows and macOS report whether the link was handed over.

`set_launcher` is the seam: None means QDesktopServices (tests install a URL handler
there), a command list means that program with the link as its last argument.
"""

from __future__ import annotations

import logging
import shutil
import subprocess
import sys
import threading
from collections.abc import Callable, Sequence

from PySide6.QtCore import QObject, Qt, QUrl, Signal, Slot
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import QMessageBox, QWidget

log = logging.getLogger(__name__)

LAUNCHER_PATIENCE_S = 20.0

Done = Callable[[bool], None]


def default_launcher() -> list[str] | None:
    """The command that opens links on this system, or None to ask Qt."""
    if sys.platform in ("win32", "darwin"):
        return None
    for command in (["xdg-open"], ["gio", "open"]):
        if shutil.which(command[0]):
            return command
    return ["xdg-open"]  # not installed: it fails to start, and the link is offered to copy


_launcher: list[str] | None = default_launcher()


def set_launcher(command: Sequence[str] | None) -> None:
    global _launcher
    _launcher = list(command) if command is not None else None


def launcher() -> list[str] | None:
    return None if _launcher is None else list(_launcher)


class _Answer(QObject):
    """Carries the launcher's answer from its thread back to the GUI thread."""

    answered = Signal(bool)

    def __init__(self, done: Done) -> None:
        super().__init__()
        self._done = done
        self.answered.connect(self._deliver)

    @Slot(bool)
    def _deliver(self, ok: bool) -> None:
        _waiting.discard(self)
        self._done(ok)


_waiting: set[_Answer] = set()  # kept alive until their launcher answers


def open_url(url: str, done: Done) -> None:
    """Hand `url` to the system; `done(opened)` runs on the GUI thread with the real answer."""
    command = launcher()
    if command is None:
        done(QDesktopServices.openUrl(QUrl(url)))
        return
    answer = _Answer(done)
    _waiting.add(answer)
    threading.Thread(
        target=_run_launcher, args=([*command, url], answer), name="browser-launcher", daemon=True
    ).start()


def _run_launcher(argv: list[str], answer: _Answer) -> None:
    try:
        process = subprocess.Popen(  # noqa: S603 - the system's own launcher and a link
            argv,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,  # the browser outlives the app if it must
        )
    except OSError as exc:
        log.info("the browser launcher %s did not start (%s)", argv[0], exc.strerror)
        answer.answered.emit(False)
        return
    try:
        status = process.wait(timeout=LAUNCHER_PATIENCE_S)
    except subprocess.TimeoutExpired:
        answer.answered.emit(True)  # still running: a browser in the foreground
        return
    if status != 0:
        log.info("the browser launcher %s exited with status %s", argv[0], status)
    answer.answered.emit(status == 0)


def open_in_browser(
    url: str, parent: QWidget | None = None, *, what: str = "page", done: Done | None = None
) -> None:
    """Open `url`; when the system does not, offer the link to copy. `done(opened)` after."""

    def answered(opened: bool) -> None:
        if not opened:
            offer_copy(url, parent, what)
        if done is not None:
            done(opened)

    open_url(url, answered)


def offer_copy(url: str, parent: QWidget | None, what: str) -> QMessageBox:
    """The link, selectable, with Copy link; opened without a nested event loop."""
    box = QMessageBox(parent)
    box.setObjectName("browserFallback")
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle("Could not open the browser")
    box.setText(
        f"The system did not open a browser for this {what}. Copy the link and open it "
        "yourself, or send it to the buyer."
    )
    box.setInformativeText(url)
    box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    copy = box.addButton("Copy link", QMessageBox.ButtonRole.AcceptRole)
    copy.setObjectName("copyLinkFallback")
    close = box.addButton(QMessageBox.StandardButton.Close)
    box.setDefaultButton(copy)
    box.setEscapeButton(close)

    def finished() -> None:
        if box.clickedButton() is copy:
            copy_link(url)
        box.deleteLater()

    box.finished.connect(finished)
    box.open()
    return box


def copy_link(url: str) -> None:
    clipboard = QGuiApplication.clipboard()
    if clipboard is not None:
        clipboard.setText(url)
