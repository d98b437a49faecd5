"""Opening a link gives the system's real answer, and the link is offered to copy when no
browser opened: through Qt (a URL handler, or none offscreen) and through the Linux
launcher, run for real as a script that exits with the status a launcher would."""

from __future__ import annotations

import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from tracker_desktop.ui import browser
from tracker_desktop.ui.browser import open_in_browser

URL = "http://127.0.0.1:9/i/in_test_page"


def fallback_box() -> QMessageBox | None:
    for widget in QApplication.topLevelWidgets():
        name = widget.objectName()
        if isinstance(widget, QMessageBox) and name == "browserFallback" and widget.isVisible():
            return widget
    return None


@pytest.fixture
def answers() -> list[bool]:
    return []


@pytest.fixture
def no_fallback_left() -> Iterator[None]:
    yield
    box = fallback_box()
    if box is not None:
        box.done(0)


def script(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "launcher.sh"
    path.write_text(f"#!/bin/sh\n{body}\n")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return path


def test_handled_link_opens_without_a_dialog(
    qtbot: QtBot, browser_urls: list[str], answers: list[bool]
) -> None:
    open_in_browser(URL, done=answers.append)
    assert answers == [True]
    assert browser_urls == [URL]
    assert fallback_box() is None


def test_when_qt_opens_no_browser_the_link_is_offered_to_copy(
    qtbot: QtBot, answers: list[bool], no_fallback_left: None
) -> None:
    # Offscreen, with no handler installed, Qt cannot open any browser.
    parent = QWidget()
    qtbot.addWidget(parent)
    open_in_browser(URL, parent, what="payment page", done=answers.append)
    assert answers == [False]
    box = fallback_box()
    assert box is not None
    assert box.informativeText() == URL
    assert "payment page" in box.text()
    copy = next(b for b in box.buttons() if b.text() == "Copy link")
    copy.click()
    qtbot.waitUntil(lambda: fallback_box() is None)
    clipboard = QGuiApplication.clipboard()
    assert clipboard is not None
    assert clipboard.text() == URL


def test_a_launcher_that_fails_gives_false_and_the_copy_fallback(
    qtbot: QtBot, tmp_path: Path, answers: list[bool], no_fallback_left: None
) -> None:
    """xdg-open exits non-zero when no browser is configured; Qt would have said True."""
    browser.set_launcher([str(script(tmp_path, "exit 4"))])
    open_in_browser(URL, what="payment page", done=answers.append)
    qtbot.waitUntil(lambda: answers == [False])
    box = fallback_box()
    assert box is not None
    assert box.informativeText() == URL


def test_a_launcher_that_succeeds_gives_true_and_gets_the_link(
    qtbot: QtBot, tmp_path: Path, answers: list[bool]
) -> None:
    seen = tmp_path / "seen.txt"
    browser.set_launcher([str(script(tmp_path, f'printf %s "$1" > "{seen}"'))])
    open_in_browser(URL, done=answers.append)
    qtbot.waitUntil(lambda: answers == [True])
    assert seen.read_text() == URL
    assert fallback_box() is None


def test_a_missing_launcher_gives_false(
    qtbot: QtBot, tmp_path: Path, answers: list[bool], no_fallback_left: None
) -> None:
    browser.set_launcher([str(tmp_path / "no-such-launcher")])
    open_in_browser(URL, done=answers.append)
    qtbot.waitUntil(lambda: answers == [False])
    assert fallback_box() is not None


def test_linux_uses_a_launcher_and_the_others_ask_qt(monkeypatch: pytest.MonkeyPatch) -> None:
    for platform in ("win32", "darwin"):
        monkeypatch.setattr(browser.sys, "platform", platform)
        assert browser.default_launcher() is None
    monkeypatch.setattr(browser.sys, "platform", "linux")
    command = browser.default_launcher()
    assert command is not None
    assert command[0] in ("xdg-open", "gio")
