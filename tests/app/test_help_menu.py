"""Help menu: About names the version, database and log folder; the data folder and the log
open through the system (QDesktopServices, caught here); a path that cannot be opened is
named in a dialog instead."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QObject, QUrl, Slot
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QMainWindow, QMenu, QMessageBox
from pytestqt.qtbot import QtBot

from tests.modal_dialogs import shown_dialog
from tracker_desktop import app_version
from tracker_desktop.app.about import about_facts
from tracker_desktop.app.composition import Application
from tracker_desktop.config.paths import app_paths
from tracker_desktop.ui.help_menu import AboutFacts, HelpMenu


@pytest.fixture
def opened(qapp: object) -> Iterator[list[str]]:
    """Local files and folders the app asked the system to open."""
    urls: list[str] = []

    class Catcher(QObject):
        @Slot(QUrl)
        def open(self, url: QUrl) -> None:
            urls.append(url.toLocalFile())

    catcher = Catcher()
    QDesktopServices.setUrlHandler("file", catcher, "open")
    try:
        yield urls
    finally:
        QDesktopServices.unsetUrlHandler("file")


def _menu(qtbot: QtBot, tmp_path: Path) -> tuple[HelpMenu, AboutFacts]:
    window = QMainWindow()
    qtbot.addWidget(window)
    facts = about_facts(app_paths(tmp_path).ensure())
    return HelpMenu(window, lambda: facts), facts


def test_about_names_version_database_and_log_folder(qtbot: QtBot, tmp_path: Path) -> None:
    menu, facts = _menu(qtbot, tmp_path)
    menu.about_action.trigger()
    box = shown_dialog(qtbot, QMessageBox)
    text = box.text()
    box.accept()
    assert app_version() in text
    assert str(tmp_path / "data" / "tracker.sqlite3") in text
    assert str(tmp_path / "logs") in text
    assert facts.log_folder == tmp_path / "logs"


def test_data_folder_and_log_open_through_the_system(
    qtbot: QtBot, tmp_path: Path, opened: list[str]
) -> None:
    menu, facts = _menu(qtbot, tmp_path)
    menu.data_action.trigger()
    menu.log_action.trigger()  # no log written yet: its folder
    facts.log_file.write_text("a line\n")
    menu.log_action.trigger()
    assert opened == [str(tmp_path / "data"), str(tmp_path / "logs"), str(facts.log_file)]


def test_a_folder_nothing_can_open_is_named_in_a_dialog(qtbot: QtBot, tmp_path: Path) -> None:
    menu, _facts = _menu(qtbot, tmp_path)
    menu.data_action.trigger()  # offscreen and no handler: the system opens nothing
    box = shown_dialog(qtbot, QMessageBox)
    text = box.text()
    box.accept()
    assert "could not open the data folder" in text
    assert str(tmp_path / "data") in text


def test_the_app_window_has_the_help_menu(qtbot: QtBot, tmp_path: Path) -> None:
    app = Application(app_paths(tmp_path).ensure(), practice=False, quit_after_ready=True,
                      self_test=True, startup_problem=None)  # fmt: skip
    qtbot.addWidget(app.window)
    menus = [a.menu() for a in app.window.menuBar().actions()]
    help_menu = next(m for m in menus if isinstance(m, QMenu) and m.objectName() == "helpMenu")
    titles = [a.text().replace("&", "") for a in help_menu.actions()]
    assert titles == ["About Tracker Desktop", "Open data folder", "Open log"]
