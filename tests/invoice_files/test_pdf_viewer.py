"""The in-app PDF viewer on a kept invoice PDF with the network off: the simulator that
served it is stopped before the viewer opens. Pages are counted from the file itself and
the rendering is looked at; page moves, zoom, a printed copy and a saved copy are real."""

from __future__ import annotations

import re
import socket
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from invoice_window import show_invoice
from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QImage
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from pytestqt.qtbot import QtBot

from tracker_desktop.domain.money import Money
from tracker_desktop.sandbox import Sandbox
from tracker_desktop.services.invoicing.invoice_service import DraftInput, DraftLineInput
from tracker_desktop.ui.pdf_viewer.printing import page_image

from .conftest import Desk
from .test_invoices_window_files import pushed


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Sandbox]:
    """This module's own simulator: its test stops it to take the network away."""
    sb = Sandbox(port=0, account_name="Geneva Fine Watches")
    sb.start()
    try:
        yield sb
    finally:
        sb.stop()


def long_sale() -> DraftInput:
    """Forty lines: the simulator's PDF runs onto a second page."""
    lines = [
        DraftLineInput(f"Service part {n:02d}, Calibre 3235", 1, Money(12_500, "USD"))
        for n in range(1, 41)
    ]
    return DraftInput(
        currency="USD", lines=lines, customer_name="Amelia Hart", customer_email="a@example.com"
    )


def pages_in_file(path: Path) -> int:
    """Page objects written in the PDF, counted without QtPdf."""
    return len(re.findall(rb"/Type\s*/Page(?!s)", path.read_bytes()))


def dark_pixels(image: QImage) -> int:
    small = image.scaled(200, 280).convertToFormat(QImage.Format.Format_RGB32)
    return sum(
        1
        for x in range(small.width())
        for y in range(small.height())
        if small.pixelColor(x, y).lightness() < 128
    )


def test_the_viewer_reads_a_kept_pdf_with_the_network_off(
    qtbot: QtBot, desk: Desk, sandbox: Sandbox, tmp_path: Path
) -> None:
    invoice_id = pushed(qtbot, desk, long_sale())
    kept = desk.services.invoices.get(desk.profile_id, invoice_id)
    assert kept.pdf_path is not None
    pdf = Path(kept.pdf_path)
    expected_pages = pages_in_file(pdf)
    assert expected_pages == 2

    where = urlsplit(sandbox.base_url)
    sandbox.stop()
    with pytest.raises(ConnectionRefusedError):  # nothing answers where Stripe was
        socket.create_connection((where.hostname, where.port), timeout=2).close()

    page, panel = desk.invoices, desk.invoices.detail
    show_invoice(qtbot, page, invoice_id)
    qtbot.waitUntil(panel.pdf_button.isEnabled)
    qtbot.keyClick(page, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    viewer = page.actions_.pdf_viewer
    assert viewer is not None
    qtbot.waitUntil(viewer.isVisible)
    assert viewer.loaded
    assert viewer.document.pageCount() == expected_pages
    assert viewer.page_count.text() == "of 2"
    assert viewer.windowTitle() == f"{kept.number} — PDF"

    # What QtPdf draws has the invoice's text on it, and the view shows it once painted.
    assert dark_pixels(page_image(viewer.document, 0, QSize(595, 842))) > 200
    qtbot.waitUntil(lambda: dark_pixels(viewer.view.grab().toImage()) > 100, timeout=10000)

    qtbot.mouseClick(viewer.next_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: viewer.current_page() == 1)
    assert viewer.page.value() == 2
    viewer.go_to_page(9)  # past the end: the last page
    assert viewer.current_page() == 1
    qtbot.keyClick(viewer, Qt.Key.Key_PageUp)
    qtbot.waitUntil(lambda: viewer.current_page() == 0)

    before = viewer.view.zoomFactor()
    qtbot.mouseClick(viewer.zoom_in_button, Qt.MouseButton.LeftButton)
    assert viewer.view.zoomFactor() == pytest.approx(before * 1.25)
    assert viewer.zoom_label.text().endswith("%")
    qtbot.mouseClick(viewer.fit_button, Qt.MouseButton.LeftButton)
    assert viewer.zoom_label.text() == "Fit width"

    copy = tmp_path / "copy for the accountant.pdf"
    assert viewer.save_copy(str(copy))
    assert copy.read_bytes() == pdf.read_bytes()
    assert viewer.message.text() == f"A copy is saved at {copy}."

    # Print: the dialog opens without a loop of its own; the pages go to a PDF "printer".
    qtbot.mouseClick(viewer.print_button, Qt.MouseButton.LeftButton)
    dialog = viewer.print_dialog
    assert isinstance(dialog, QPrintDialog)
    qtbot.waitUntil(dialog.isVisible)
    dialog.reject()
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    assert viewer.print_to(printer) == 2
    printed = QPdfDocument()
    assert printed.load(str(tmp_path / "printed.pdf")) == QPdfDocument.Error.None_
    assert printed.pageCount() == 2
    assert dark_pixels(page_image(printed, 1, QSize(595, 842))) > 20
    viewer.close()


def test_a_damaged_file_says_so_and_offers_the_system_viewer(qtbot: QtBot, tmp_path: Path) -> None:
    from tracker_desktop.ui.pdf_viewer.viewer import PdfViewer

    broken = tmp_path / "GFW-0042-open.pdf"
    broken.write_bytes(b"%PDF-1.4 cut short by a full disk")
    viewer = PdfViewer(str(broken), "GFW-0042 — PDF")
    qtbot.addWidget(viewer)
    viewer.show()
    assert not viewer.loaded
    assert "could not be read here" in viewer.message.text()
    assert not viewer.print_button.isEnabled()
    assert viewer.system_button.isEnabled()
