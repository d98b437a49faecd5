"""A kept invoice PDF read inside the app, offline: pages, zoom, print, save a copy, and the
system's own viewer one click away. A window of its own (not modal), so the dealer can keep
it beside the Invoices window; the print and save dialogs open with open(), never exec()."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from tracker_desktop.ui.invoices.files import open_local_file
from tracker_desktop.ui.pdf_viewer.printing import print_document
from tracker_desktop.ui.theme import error_style, note_style
from tracker_desktop.ui.widgets.accessibility import tab_in_layout_order
from tracker_desktop.ui.widgets.questions import ask_save_path

ZOOM_STEP = 1.25
ZOOM_MIN, ZOOM_MAX = 0.25, 6.0


class PdfViewerLayout(QWidget):
    def __init__(self, parent: QWidget | None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("pdfViewer")
        self.resize(900, 1000)
        self.document = QPdfDocument(self)
        self.view = QPdfView(self)
        self.view.setObjectName("pdfView")
        self.view.setAccessibleName("Invoice PDF")
        self.view.setDocument(self.document)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.previous_button = QPushButton("◀ Previous")
        self.previous_button.setToolTip("Previous page (Page Up)")
        self.page = QSpinBox()
        self.page.setAccessibleName("Page")
        self.page_count = QLabel()
        self.next_button = QPushButton("Next ▶")
        self.next_button.setToolTip("Next page (Page Down)")
        self.zoom_out_button = QPushButton("−")
        self.zoom_out_button.setAccessibleName("Zoom out")
        self.zoom_out_button.setToolTip("Zoom out (Ctrl+-)")
        self.zoom_label = QLabel("Fit width")
        self.zoom_in_button = QPushButton("+")
        self.zoom_in_button.setAccessibleName("Zoom in")
        self.zoom_in_button.setToolTip("Zoom in (Ctrl++)")
        self.fit_button = QPushButton("Fit width")
        self.print_button = QPushButton("Print…")
        self.print_button.setToolTip("Print this PDF (Ctrl+P)")
        self.save_button = QPushButton("Save a copy…")
        self.save_button.setToolTip("Save a copy of this PDF elsewhere (Ctrl+S)")
        self.system_button = QPushButton("Open in system viewer")
        self.message = QLabel()
        self.message.setObjectName("pdfViewerMessage")
        self.message.setWordWrap(True)
        self.message.setStyleSheet(note_style())

        bar = QHBoxLayout()
        for widget in (self.previous_button, QLabel("Page"), self.page, self.page_count):
            bar.addWidget(widget)
        bar.addWidget(self.next_button)
        bar.addSpacing(16)
        for widget in (self.zoom_out_button, self.zoom_label, self.zoom_in_button):
            bar.addWidget(widget)
        bar.addWidget(self.fit_button)
        bar.addStretch(1)
        for widget in (self.print_button, self.save_button, self.system_button):
            bar.addWidget(widget)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.message)
        layout.addWidget(self.view, 1)


class PdfViewer(PdfViewerLayout):
    """Opens `path` at once; `loaded` says whether QtPdf could read it (else `message` why)."""

    def __init__(
        self,
        path: str,
        title: str,
        parent: QWidget | None = None,
        *,
        system_answered: Callable[[bool], None] | None = None,
    ) -> None:
        super().__init__(parent)
        self.path = path
        self._system_answered = system_answered  # whether the system's viewer opened
        self.setWindowTitle(title)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.print_dialog: QPrintDialog | None = None
        self.printer: QPrinter | None = None
        error = self.document.load(path)
        self.loaded = error == QPdfDocument.Error.None_
        count = self.document.pageCount() if self.loaded else 0
        self.page.setRange(1, max(count, 1))
        self.page_count.setText(f"of {count}")
        for widget in (self.previous_button, self.next_button, self.page, self.print_button):
            widget.setEnabled(count > 0)
        if not self.loaded:
            self._say(
                f"This PDF could not be read here ({error.name}). "
                "Open it in the system viewer, or save a copy.",
                error=True,
            )
        navigator = self.view.pageNavigator()
        navigator.currentPageChanged.connect(lambda page: self.page.setValue(page + 1))
        self.page.valueChanged.connect(self.go_to_page)
        self.previous_button.clicked.connect(lambda: self.go_to_page(self.current_page()))
        self.next_button.clicked.connect(lambda: self.go_to_page(self.current_page() + 2))
        self.zoom_in_button.clicked.connect(lambda: self.zoom_by(ZOOM_STEP))
        self.zoom_out_button.clicked.connect(lambda: self.zoom_by(1 / ZOOM_STEP))
        self.fit_button.clicked.connect(self.fit_width)
        self.print_button.clicked.connect(self.ask_print)
        self.save_button.clicked.connect(self.ask_save_copy)
        self.system_button.clicked.connect(self.open_in_system_viewer)
        keys = (
            (QKeySequence.StandardKey.ZoomIn, lambda: self.zoom_by(ZOOM_STEP)),
            (QKeySequence.StandardKey.ZoomOut, lambda: self.zoom_by(1 / ZOOM_STEP)),
            (QKeySequence.StandardKey.Print, self.ask_print),
            (QKeySequence.StandardKey.Save, self.ask_save_copy),
            (QKeySequence.StandardKey.Close, self.close),
            (QKeySequence(Qt.Key.Key_Escape), self.close),
            (QKeySequence(Qt.Key.Key_PageDown), self.next_button.click),
            (QKeySequence(Qt.Key.Key_PageUp), self.previous_button.click),
        )
        for key, slot in keys:
            QShortcut(key, self, slot)
        tab_in_layout_order(self)

    # --- pages and zoom ------------------------------------------------------------------
    def current_page(self) -> int:
        """The page shown, counted from 0."""
        return self.view.pageNavigator().currentPage()

    def go_to_page(self, number: int) -> None:
        """Show page `number` (counted from 1, as the box shows it)."""
        count = self.document.pageCount()
        if count == 0:
            return
        page = min(max(number, 1), count) - 1
        navigator = self.view.pageNavigator()
        if page != navigator.currentPage():
            navigator.jump(page, QPointF(), navigator.currentZoom())
        self.page.setValue(page + 1)

    def zoom_by(self, factor: float) -> None:
        zoom = min(max(self.view.zoomFactor() * factor, ZOOM_MIN), ZOOM_MAX)
        self.view.setZoomMode(QPdfView.ZoomMode.Custom)
        self.view.setZoomFactor(zoom)
        self.zoom_label.setText(f"{zoom:.0%}")

    def fit_width(self) -> None:
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.zoom_label.setText("Fit width")

    # --- print, save a copy, the system's viewer -----------------------------------------
    def ask_print(self) -> None:
        if not self.print_button.isEnabled():
            return
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(self.windowTitle())
        dialog = QPrintDialog(printer, self)
        dialog.setObjectName("printDialog")
        dialog.setMinMax(1, self.document.pageCount())
        dialog.accepted.connect(lambda: self.print_to(printer))
        dialog.finished.connect(dialog.deleteLater)
        self.printer, self.print_dialog = printer, dialog
        QDialog.open(dialog)  # window-modal, no nested loop (QPrintDialog's own open needs a slot)

    def print_to(self, printer: QPrinter) -> int:
        printed = print_document(self.document, printer)
        if printed:
            self._say(f"Sent {printed} page{'s' if printed != 1 else ''} to the printer.")
        else:
            self._say("Nothing was printed: the printer could not be started.", error=True)
        return printed

    def ask_save_copy(self) -> None:
        start = str(Path.home() / Path(self.path).name)
        ask_save_path(
            self,
            "Save a copy of the PDF",
            start,
            "PDF files (*.pdf)",
            self.save_copy,
            suffix=".pdf",
        )

    def save_copy(self, target: str) -> bool:
        try:
            shutil.copyfile(self.path, target)
        except OSError as exc:
            self._say(f"The copy could not be saved to {target}: {exc.strerror or exc}", error=True)
            return False
        self._say(f"A copy is saved at {target}.")
        return True

    def open_in_system_viewer(self) -> None:
        open_local_file(self.path, self, what="invoice PDF", done=self._system_answered)

    def _say(self, text: str, *, error: bool = False) -> None:
        self.message.setStyleSheet(error_style() if error else note_style())
        self.message.setText(text)
