"""The Invoices window on real widgets: Open PDF opens the file kept on this computer (or
says why it cannot), and Export CSV… saves what the filters show."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest
from invoice_window import show_invoice
from modal_dialogs import save_as
from PySide6.QtCore import QObject, Qt, QUrl, Slot
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from tracker_desktop.domain.money import Money
from tracker_desktop.services.invoicing.invoice_service import DraftInput, DraftLineInput
from tracker_desktop.ui.invoices.detail import NO_PDF_YET, PDF_NEXT_SYNC

from .conftest import Desk
from .test_export import read


@pytest.fixture
def opened_files(qapp: object) -> Iterator[list[str]]:
    """file:// URLs the app asked the system to open (a PDF viewer), instead of opening."""
    opened: list[str] = []

    class Catcher(QObject):
        @Slot(QUrl)
        def open(self, url: QUrl) -> None:
            opened.append(url.toString())

    catcher = Catcher()
    QDesktopServices.setUrlHandler("file", catcher, "open")
    try:
        yield opened
    finally:
        QDesktopServices.unsetUrlHandler("file")


def sale(name: str, email: str, price: int, currency: str = "USD") -> DraftInput:
    return DraftInput(
        currency=currency,
        lines=[DraftLineInput("Patek Philippe Nautilus 5711/1A", 1, Money(price, currency))],
        customer_name=name,
        customer_email=email,
    )


def pushed(qtbot: QtBot, desk: Desk, draft: DraftInput) -> int:
    """Saved and sent to Stripe as the composer does; waits for its PDF to be kept."""
    service = desk.services.invoices
    invoice_id = service.save_draft(desk.profile_id, draft)
    task = asyncio.ensure_future(service.push(desk.profile_id, invoice_id))
    qtbot.waitUntil(task.done, timeout=15000)
    assert task.exception() is None
    qtbot.waitUntil(lambda: service.get(desk.profile_id, invoice_id).pdf_on_disk, timeout=15000)
    return invoice_id


def test_open_pdf_opens_the_kept_file(
    qtbot: QtBot, desk: Desk, opened_files: list[str], tracker_home: Path
) -> None:
    invoice_id = pushed(qtbot, desk, sale("Amelia Hart", "amelia@example.com", 12_885_000))
    page, panel = desk.invoices, desk.invoices.detail
    show_invoice(qtbot, page, invoice_id)
    qtbot.waitUntil(panel.pdf_button.isEnabled)
    assert panel.pdf_button.toolTip() == "Open the invoice PDF kept on this computer (Ctrl+P)"
    detail = panel.detail
    assert detail is not None
    assert detail.pdf_path is not None
    assert Path(detail.pdf_path).is_relative_to(tracker_home)

    qtbot.mouseClick(panel.pdf_button, Qt.MouseButton.LeftButton)
    viewer = page.actions_.pdf_viewer  # the app's own viewer first
    assert viewer is not None
    assert viewer.isVisible()
    assert viewer.loaded
    assert page.banner.text() == f"Opened the PDF of {detail.number}."
    assert opened_files == []
    qtbot.mouseClick(viewer.system_button, Qt.MouseButton.LeftButton)
    assert opened_files == [QUrl.fromLocalFile(detail.pdf_path).toString()]
    assert opened_files[0].startswith("file:///")
    assert opened_files[0].endswith(f"/{detail.number}-open.pdf")
    assert page.banner.text() == f"Opened the PDF of {detail.number} in the system viewer."
    viewer.close()


def test_open_pdf_says_why_it_is_not_there(
    qtbot: QtBot, desk: Desk, opened_files: list[str]
) -> None:
    service = desk.services.invoices
    invoice_id = pushed(qtbot, desk, sale("Amelia Hart", "amelia@example.com", 1_425_000))
    draft_id = service.save_draft(desk.profile_id, sale("Kenji Watanabe", "k@example.jp", 9_900))
    page, panel = desk.invoices, desk.invoices.detail

    show_invoice(qtbot, page, draft_id)
    assert not panel.pdf_button.isEnabled()
    assert panel.pdf_button.toolTip() == NO_PDF_YET

    # The kept file went missing (moved away by hand): disabled until the next sync.
    kept = service.get(desk.profile_id, invoice_id).pdf_path
    assert kept is not None
    Path(kept).unlink()
    page.reload()
    show_invoice(qtbot, page, invoice_id)
    assert not panel.pdf_button.isEnabled()
    assert panel.pdf_button.toolTip() == PDF_NEXT_SYNC
    qtbot.keyClick(page, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    assert opened_files == []


def test_when_no_viewer_opens_the_file_its_place_is_shown(qtbot: QtBot, desk: Desk) -> None:
    # Offscreen, with no handler for file:// installed, Qt cannot open any viewer.
    invoice_id = pushed(qtbot, desk, sale("Amelia Hart", "amelia@example.com", 1_425_000))
    panel = desk.invoices.detail
    show_invoice(qtbot, desk.invoices, invoice_id)
    qtbot.waitUntil(panel.pdf_button.isEnabled)
    assert panel.detail is not None
    qtbot.mouseClick(panel.pdf_button, Qt.MouseButton.LeftButton)
    viewer = desk.invoices.actions_.pdf_viewer
    assert viewer is not None
    qtbot.mouseClick(viewer.system_button, Qt.MouseButton.LeftButton)
    box = viewer.findChild(QMessageBox, "viewerFallback")
    assert isinstance(box, QMessageBox)
    assert box.informativeText() == panel.detail.pdf_path
    assert desk.invoices.banner.property("tone") == "warning"
    assert panel.detail.pdf_path in desk.invoices.banner.text()
    next(b for b in box.buttons() if b.text() == "Copy path").click()
    clipboard = QGuiApplication.clipboard()
    assert clipboard is not None
    assert clipboard.text() == panel.detail.pdf_path


def test_export_csv_saves_what_the_filters_show(qtbot: QtBot, desk: Desk, tmp_path: Path) -> None:
    service = desk.services.invoices
    pushed(qtbot, desk, sale("Amelia Hart", "amelia@example.com", 12_885_000))
    service.save_draft(desk.profile_id, sale("Kenji Watanabe", "kenji@example.jp", 128_850, "JPY"))
    page = desk.invoices
    qtbot.keyClicks(page.filters.text, "kenji")
    qtbot.waitUntil(lambda: page.model.rowCount() == 1)
    qtbot.mouseClick(page.export_button, Qt.MouseButton.LeftButton)
    offered = save_as(qtbot, str(tmp_path / "for the accountant"))

    saved = tmp_path / "for the accountant.csv"
    qtbot.waitUntil(lambda: "Exported" in page.banner.text(), timeout=10000)
    assert page.banner.text() == f"Exported 1 invoice to {saved}."
    assert offered.endswith(".csv")
    rows = read(saved)
    assert [(r["Client"], r["Currency"], r["Total"], r["Status"]) for r in rows] == [
        ("Kenji Watanabe", "JPY", "128850", "Draft")
    ]


def test_export_to_a_missing_folder_says_so(qtbot: QtBot, desk: Desk, tmp_path: Path) -> None:
    target = tmp_path / "gone" / "invoices.csv"
    page = desk.invoices
    qtbot.mouseClick(page.export_button, Qt.MouseButton.LeftButton)
    save_as(qtbot, str(target))
    qtbot.waitUntil(lambda: "could not be written" in page.message.text(), timeout=10000)
    assert str(target) in page.message.text()
    assert not target.exists()
