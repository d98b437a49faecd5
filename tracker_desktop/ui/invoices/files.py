"""Files the Invoices window hands to the system: the kept PDF, and the CSV export's name.

Opening a local file must never fail silently: when the system has no PDF viewer, the
dealer is told where the file is and can copy its path.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from tracker_desktop.ui.browser import copy_link, open_url
from tracker_desktop.ui.widgets.questions import ask_save_path


def open_local_file(
    path: str,
    parent: QWidget | None = None,
    *,
    what: str = "file",
    done: Callable[[bool], None] | None = None,
) -> None:
    """Open `path` with the system's viewer; if it does not, say where the file is.
    `done(opened)` runs with the real answer (ui.browser.open_url)."""

    def answered(opened: bool) -> None:
        if not opened:
            _offer_path(path, parent, what)
        if done is not None:
            done(opened)

    open_url(QUrl.fromLocalFile(path).toString(), answered)


def _offer_path(path: str, parent: QWidget | None, what: str) -> QMessageBox:
    box = QMessageBox(parent)
    box.setObjectName("viewerFallback")
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle("Could not open the file")
    box.setText(
        f"The system did not open a viewer for this {what}. It is kept on this computer at:"
    )
    box.setInformativeText(path)
    box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    copy = box.addButton("Copy path", QMessageBox.ButtonRole.AcceptRole)
    box.addButton(QMessageBox.StandardButton.Close)

    def finished() -> None:
        if box.clickedButton() is copy:
            copy_link(path)
        box.deleteLater()

    box.finished.connect(finished)
    box.open()
    return box


def ask_csv_path(
    parent: QWidget | None, on_path: Callable[[str], object], folder: Path | None = None
) -> QFileDialog:
    """Ask where the export goes; `on_path(path)`, a name ending in .csv, runs once the dealer
    picked it (not when cancelled)."""
    name = f"invoices-{dt.date.today().isoformat()}.csv"
    start = str((folder or Path.home()) / name)
    return ask_save_path(
        parent, "Export invoices to CSV", start, "CSV files (*.csv)", on_path, suffix=".csv"
    )
