"""An exception nobody caught, in a Qt slot or in background work, is logged and shown."""

from __future__ import annotations

import asyncio
import logging

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from tracker_desktop.app.error_hooks import SHOWN_TEXT, ErrorReporter


@pytest.fixture
def reporter(qtbot: QtBot, qasync_loop: asyncio.AbstractEventLoop):  # type: ignore[no-untyped-def]
    window = QWidget()
    qtbot.addWidget(window)
    found = ErrorReporter(lambda: window)
    found.install(qasync_loop)
    yield found
    found.uninstall(qasync_loop)
    for box in QApplication.topLevelWidgets():
        if isinstance(box, QMessageBox):
            box.close()


def _shown_boxes() -> list[QMessageBox]:
    return [
        w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()
    ]


@pytest.mark.qt_no_exception_capture  # the app's hook, not pytest-qt's, must see it
def test_an_exception_in_a_slot_is_logged_and_shown(
    qtbot: QtBot, reporter: ErrorReporter, caplog: pytest.LogCaptureFixture
) -> None:
    def broken_slot() -> None:
        raise RuntimeError("a bug in a button handler")

    with caplog.at_level(logging.ERROR, logger="tracker.errors"):
        QTimer.singleShot(0, broken_slot)
        qtbot.waitUntil(lambda: bool(reporter.reported))
    assert reporter.reported == ["a window action: RuntimeError"]
    assert "a bug in a button handler" in caplog.text
    assert "Traceback" in caplog.text
    qtbot.waitUntil(lambda: bool(_shown_boxes()))
    assert _shown_boxes()[0].text() == SHOWN_TEXT


def test_an_exception_in_background_work_is_logged_and_shown(
    qtbot: QtBot,
    reporter: ErrorReporter,
    qasync_loop: asyncio.AbstractEventLoop,
    caplog: pytest.LogCaptureFixture,
) -> None:
    def broken_callback() -> None:
        raise ValueError("a bug in a callback")

    with caplog.at_level(logging.ERROR, logger="tracker.errors"):
        qasync_loop.call_soon(broken_callback)
        qtbot.waitUntil(lambda: bool(reporter.reported))
    assert reporter.reported == ["background work: ValueError"]
    assert "a bug in a callback" in caplog.text
    qtbot.waitUntil(lambda: bool(_shown_boxes()))


def test_a_burst_of_failures_shows_one_dialog(qtbot: QtBot, reporter: ErrorReporter) -> None:
    for n in range(3):
        reporter.report(RuntimeError(f"failure {n}"), "a window action")
    qtbot.waitUntil(lambda: bool(_shown_boxes()))
    assert len(_shown_boxes()) == 1
    assert len(reporter.reported) == 3
