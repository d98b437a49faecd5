"""What `--self-test` does once the database is ready, and what makes it fail, never hang.

Every page is opened as a click in the navigation opens it, then a PDF is shown in the PDF
viewer: each page and the viewer load their own Qt modules (QtCharts, QtPdf, QtPrintSupport)
and their own Python packages, so a bundle that lacks one fails here rather than on the
dealer's first click. The self-test runs offscreen, where nobody can press OK: a dialog
that opens (a warning, a question, an error) is a failure with its text, closed at once.
"""

from __future__ import annotations

import asyncio
import logging
import sys
import traceback
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox

from tracker_desktop.ui.main_window import MainWindow

log = logging.getLogger("tracker.app")

SENTRY_INTERVAL_MS = 100
SETTLE_SECONDS = 0.05  # each page's own first loads get the event loop for a moment


async def tour_then_quit(window: MainWindow, scratch: Path, fail: Callable[[str], None]) -> None:
    """The self-test's last step: the tour, what it opened on stderr (stdout keeps the one
    verdict line), then quit; a fault goes to `fail`."""
    try:
        opened = await visit_everything(window, scratch)
        print(f"self-test opened: {', '.join(opened)}", file=sys.stderr)
    except Exception as exc:
        log.error("self-test tour failed", exc_info=exc)
        frames = traceback.extract_tb(exc.__traceback__)
        where = f" (at {frames[-1].filename}:{frames[-1].lineno})" if frames else ""
        fail(f"{type(exc).__name__}{where}: {exc}")
    QTimer.singleShot(0, QApplication.quit)


async def visit_everything(window: MainWindow, scratch: Path) -> list[str]:
    """Opens each page, then the PDF viewer on a PDF made in `scratch`; raises on a fault.
    Returns what it opened, in order."""
    opened = []
    for row in range(window.nav.count()):
        window.nav.setCurrentRow(row)
        await asyncio.sleep(SETTLE_SECONDS)
        title = window.nav.item(row).text()
        # A page whose factory raised is never put in the stack (the error hook has the why).
        if window.stack.currentIndex() != row:
            raise RuntimeError(f"the {title} page did not open")
        opened.append(title)
    await _show_a_pdf(window, scratch / "self-test.pdf")
    return [*opened, "the PDF viewer"]


async def _show_a_pdf(window: MainWindow, path: Path) -> None:
    from fpdf import FPDF

    from tracker_desktop.ui.pdf_viewer.viewer import PdfViewer

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=14)
    pdf.cell(text="Tracker Desktop self-test")
    pdf.output(str(path))
    viewer = PdfViewer(str(path), "Self-test", window)
    viewer.show()
    await asyncio.sleep(SETTLE_SECONDS)
    pages = viewer.document.pageCount()
    viewer.close()
    if not viewer.loaded or pages != 1:
        raise RuntimeError(f"the PDF viewer could not show a one-page PDF ({pages} pages read)")


class DialogSentry(QObject):
    """Calls `fail` with the text of any dialog that opens, and closes it.

    A timer, so it also runs inside a dialog's own event loop (exec()), which is where a
    modal dialog would otherwise keep the self-test waiting for a click forever.
    """

    def __init__(self, fail: Callable[[str], None]) -> None:
        super().__init__()
        self._fail = fail
        self._timer = QTimer(self)
        self._timer.setInterval(SENTRY_INTERVAL_MS)
        self._timer.timeout.connect(self._look)
        self._timer.start()

    def _look(self) -> None:
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, QDialog) and widget.isVisible():
                text = widget.text() if isinstance(widget, QMessageBox) else ""
                title = widget.windowTitle() or type(widget).__name__
                widget.reject()
                self._fail(f'a dialog opened, "{title}"' + (f": {text}" if text else ""))
