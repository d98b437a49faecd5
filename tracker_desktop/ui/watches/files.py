"""Files the Watches window asks for and opens: a file to attach (copied in by the service),
a CSV to import or export, and a kept attachment shown in the app's PDF viewer when it is a
PDF, else handed to the system's viewer."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QWidget

from tracker_desktop.ui.invoices.files import open_local_file
from tracker_desktop.ui.pdf_viewer.viewer import PdfViewer
from tracker_desktop.ui.widgets.questions import ask_save_path

ATTACHMENT_FILTER = (
    "Documents and photos (*.pdf *.jpg *.jpeg *.png *.heic *.tif *.tiff);;All files (*)"
)


def ask_open_path(
    parent: QWidget, title: str, name_filter: str, on_path: Callable[[str], object]
) -> QFileDialog:
    """Which existing file; `on_path(path)` runs once chosen (not on Cancel). open(), so no
    second event loop runs inside qasync's."""
    dialog = QFileDialog(parent, title, str(Path.home()), name_filter)
    dialog.setObjectName("openFileDialog")
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptOpen)
    dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
    dialog.fileSelected.connect(lambda path: on_path(path) if path else None)
    dialog.finished.connect(dialog.deleteLater)
    dialog.open()
    return dialog


def ask_inventory_csv_path(parent: QWidget, on_path: Callable[[str], object]) -> QFileDialog:
    start = str(Path.home() / f"inventory-{dt.date.today().isoformat()}.csv")
    return ask_save_path(
        parent, "Export inventory to CSV", start, "CSV files (*.csv)", on_path, suffix=".csv"
    )


def open_attachment(path: Path, title: str, parent: QWidget) -> QWidget | None:
    """A PDF in the app's viewer (returned); anything else in the system's viewer."""
    if path.suffix.lower() == ".pdf":
        viewer = PdfViewer(str(path), title, parent)
        viewer.show()
        return viewer
    open_local_file(str(path), parent, what="file")
    return None
