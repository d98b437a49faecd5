"""Help menu: About (version, database, log folder), open the data folder, open the log.

Folders and the log open through QDesktopServices (the system's file manager or text
viewer); when nothing opens, a dialog names the path instead, so it can be found by hand.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QMainWindow

from tracker_desktop import APP_NAME


@dataclass(frozen=True, slots=True)
class AboutFacts:
    version: str
    database: str  # the database file, or which server
    data_folder: Path
    log_folder: Path
    log_file: Path


class HelpMenu(QObject):
    def __init__(self, window: QMainWindow, facts: Callable[[], AboutFacts]) -> None:
        """`facts` is read when the dealer asks, not at start-up (the version costs time)."""
        super().__init__(window)
        self._window = window
        self._facts = facts
        menu = window.menuBar().addMenu("&Help")
        menu.setObjectName("helpMenu")
        self.about_action = menu.addAction(f"&About {APP_NAME}")
        self.about_action.triggered.connect(self.show_about)
        self.data_action = menu.addAction("Open &data folder")
        self.data_action.triggered.connect(self.open_data_folder)
        self.log_action = menu.addAction("Open &log")
        self.log_action.triggered.connect(self.open_log)

    def about_text(self) -> str:
        f = self._facts()
        return (
            f"{APP_NAME} {f.version}\n\n"
            f"Database: {f.database}\n"
            f"Data folder: {f.data_folder}\n"
            f"Log folder: {f.log_folder}"
        )

    def show_about(self) -> None:
        self._tell("aboutDialog", f"About {APP_NAME}", self.about_text())

    def open_data_folder(self) -> None:
        self._open(self._facts().data_folder, "the data folder")

    def open_log(self) -> None:
        facts = self._facts()
        if facts.log_file.exists():
            self._open(facts.log_file, "the log")
        else:  # nothing logged yet (or logging to the file failed): its folder, then
            self._open(facts.log_folder, "the log folder")

    def _open(self, path: Path, what: str) -> None:
        # Loaded when asked: their classes' enums would otherwise be made before the paint.
        from PySide6.QtCore import QUrl
        from PySide6.QtGui import QDesktopServices

        if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))):
            text = f"This computer could not open {what}. It is:\n{path}"
            self._tell("openFailed", APP_NAME, text)

    def _tell(self, name: str, title: str, text: str) -> None:
        from PySide6.QtWidgets import QMessageBox

        box = QMessageBox(QMessageBox.Icon.Information, title, text, QMessageBox.StandardButton.Ok,
                          self._window)  # fmt: skip
        box.setObjectName(name)
        from PySide6.QtCore import Qt  # the namespace costs start-up time: made on first use

        box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)  # to copy
        box.open()  # no nested event loop
