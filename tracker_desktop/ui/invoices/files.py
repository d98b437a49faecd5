"""Files the Invoices window hands to the system: the kept PDF, and the CSV export's name.

Opening a local file must never fail silently: when the system has no PDF viewer, the
dealer is told where the file is and can copy its path.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from tracker_desktop.ui.browser import copy_link


def open_local_file(path: str, parent: QWidget | None = None, *, what: str = "file") -> bool:
    """Open `path` with the system's viewer; if it cannot, say where the file is."""
    if QDesktopServices.openUrl(QUrl.fromLocalFile(path)):
        return True
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle("Could not open the file")
    box.setText(
        f"The system did not open a viewer for this {what}. It is kept on this computer at:"
    )
    box.setInformativeText(path)
    copy = box.addButton("Copy path", QMessageBox.ButtonRole.AcceptRole)
    box.addButton(QMessageBox.StandardButton.Close)
    box.exec()
    if box.clickedButton() is copy:
        copy_link(path)
    return False


def ask_csv_path(parent: QWidget | None, folder: Path | None = None) -> str:
    """The file the dealer picks for the export ("" when cancelled), ending in .csv."""
    name = f"invoices-{dt.date.today().isoformat()}.csv"
    start = str((folder or Path.home()) / name)
    path, _ = QFileDialog.getSaveFileName(
        parent, "Export invoices to CSV", start, "CSV files (*.csv)"
    )
    if path and not path.lower().endswith(".csv"):
        path += ".csv"
    return path
