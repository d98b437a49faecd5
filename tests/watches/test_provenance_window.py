"""The watch dialog's Provenance tab and status, and the composer's provenance warning,
driven like a dealer on real widgets and a real SQLite file. Files are picked in Qt's own
file dialog and opened in the app's PDF viewer."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from modal_dialogs import answer_question, shown_dialog
from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QPageSize, QPainter, QPdfWriter
from PySide6.QtWidgets import QFileDialog, QLabel
from pytestqt.qtbot import QtBot

from tracker_desktop.domain.watch_status import WatchStatus
from tracker_desktop.services.inventory.provenance import CheckForm
from tracker_desktop.services.inventory.watch_service import InventoryService, WatchForm
from tracker_desktop.services.invoicing.invoice_service import InvoiceService
from tracker_desktop.ui.invoices.composer import ComposerDialog
from tracker_desktop.ui.pdf_viewer.viewer import PdfViewer
from tracker_desktop.ui.watches.watch_dialog import WatchDialog

from .test_memo_and_service import NoStripe
from .test_watches_page import make_page, open_dialog


def certificate_pdf(path: Path) -> Path:
    """A real one-page PDF, as a register's certificate is."""
    writer = QPdfWriter(str(path))
    writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    painter = QPainter(writer)
    painter.drawText(400, 800, "The Watch Register - certificate TWR-2026-118842")
    painter.end()
    return path


def edit_first(qtbot: QtBot, inventory: InventoryService, profile_id: int) -> WatchDialog:
    page = make_page(qtbot, inventory, profile_id)
    page.table.selectRow(0)
    return open_dialog(qtbot, page, page.edit_selected)


def nautilus(inventory: InventoryService, profile_id: int, **extra: Any) -> int:
    base = {"brand": "Patek Philippe", "model": "Nautilus", "serial": "5711-4419"}
    return inventory.add(profile_id, WatchForm(**{**base, **extra})).id


def test_a_check_is_added_with_its_certificate_and_opened(
    qtbot: QtBot, inventory: InventoryService, profile_id: int, tmp_path: Path
) -> None:
    watch_id = nautilus(inventory, profile_id)
    dialog = edit_first(qtbot, inventory, profile_id)
    panel = dialog.provenance
    assert panel is not None
    dialog.tabs.setCurrentWidget(panel)
    assert panel.checks.item(0).text() == "No check on record yet."

    # Nothing typed: the message is beside the register field, nothing kept.
    qtbot.mouseClick(panel.add_check_button, Qt.MouseButton.LeftButton)
    assert panel.errors["register"].isVisible()
    assert panel.errors["register"].text().startswith("Enter the register you checked")
    assert inventory.provenance.checks(profile_id, watch_id) == []

    panel.register.setCurrentText("The Watch Register")
    panel.checked_on.setDate(QDate(2026, 11, 20))
    qtbot.keyClicks(panel.certificate_number, "TWR-2026-118842")
    qtbot.mouseClick(panel.choose_button, Qt.MouseButton.LeftButton)
    chooser = shown_dialog(qtbot, QFileDialog)
    chooser.selectFile(str(certificate_pdf(tmp_path / "certificate.pdf")))
    chooser.accept()
    assert panel.certificate_file.text() == str(tmp_path / "certificate.pdf")
    qtbot.mouseClick(panel.add_check_button, Qt.MouseButton.LeftButton)
    assert not panel.errors["register"].isVisible()
    assert panel.checks.item(0).text() == (
        "2026-11-20 · The Watch Register · certificate TWR-2026-118842 · file: certificate.pdf"
    )
    [check] = inventory.provenance.checks(profile_id, watch_id)
    assert check.certificate_path is not None
    assert check.certificate_path != tmp_path / "certificate.pdf"  # a copy, in the data folder

    panel.checks.setCurrentRow(0)
    qtbot.mouseClick(panel.open_certificate_button, Qt.MouseButton.LeftButton)
    viewer = panel.opened
    assert isinstance(viewer, PdfViewer)
    assert viewer.loaded
    assert viewer.document.pageCount() == 1
    assert viewer.path == str(check.certificate_path)
    viewer.close()


def test_photos_are_added_and_removed_after_a_question(
    qtbot: QtBot, inventory: InventoryService, profile_id: int, tmp_path: Path
) -> None:
    watch_id = nautilus(inventory, profile_id)
    panel = edit_first(qtbot, inventory, profile_id).provenance
    assert panel is not None
    photo = tmp_path / "dial.jpg"
    photo.write_bytes(b"\xff\xd8\xff dial")
    assert panel.add_document("photo", str(photo))
    assert not panel.add_document("photo", str(tmp_path / "gone.jpg"))
    assert panel.message.text().startswith("Could not read gone.jpg")
    assert panel.documents.item(0).text() == "Photo: dial.jpg"
    [kept] = inventory.provenance.documents(profile_id, watch_id)

    panel.documents.setCurrentRow(0)
    qtbot.mouseClick(panel.remove_document_button, Qt.MouseButton.LeftButton)
    assert "Remove dial.jpg from this watch?" in answer_question(qtbot)
    assert inventory.provenance.documents(profile_id, watch_id) == []
    assert not kept.path.exists()
    assert photo.exists()
    assert panel.documents.item(0).text() == "No documents or photos yet."


def test_on_memo_in_the_dialog_asks_with_whom_beside_the_field(
    qtbot: QtBot, inventory: InventoryService, profile_id: int
) -> None:
    watch_id = nautilus(inventory, profile_id)
    dialog = edit_first(qtbot, inventory, profile_id)
    status = dialog.status
    status.combo.setCurrentIndex(status.combo.findData(WatchStatus.ON_MEMO.value))
    assert status.away_with.isEnabled()
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible()
    assert dialog.errors["away_with"].isVisible()
    assert dialog.errors["away_with"].text() == "Enter who has the watch on memo"
    assert inventory.get(profile_id, watch_id).status is WatchStatus.IN_STOCK

    qtbot.keyClicks(status.away_with, "Galerie Koch")
    assert not dialog.errors["away_with"].isVisible()  # cleared once right
    status.since.setDate(QDate(2026, 11, 3))
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    saved = inventory.get(profile_id, watch_id)
    assert saved.away_words == "On memo with Galerie Koch since 2026-11-03"


def composer(qtbot: QtBot, factory: Any, inventory: InventoryService, pid: int) -> ComposerDialog:
    invoices = InvoiceService(factory, lambda _profile_id: NoStripe())
    dialog = ComposerDialog(invoices, inventory, pid, "en_US")
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def pick(qtbot: QtBot, dialog: ComposerDialog, serial: str) -> None:
    qtbot.mouseClick(dialog.add_watch_button, Qt.MouseButton.LeftButton)
    picker = dialog.picker
    assert picker is not None
    item = picker.item_for_serial(serial)
    assert item is not None
    picker.list.setCurrentItem(item)
    picker.choose()


def warnings(dialog: ComposerDialog) -> list[str]:
    return [
        label.text()
        for row in dialog.lines.rows
        for label in row.findChildren(QLabel, "provenanceWarning")
        if label.isVisible()
    ]


def test_the_composer_warns_of_a_watch_with_no_check(
    qtbot: QtBot, factory: Any, inventory: InventoryService, profile_id: int
) -> None:
    unchecked = nautilus(inventory, profile_id, asking_price="128,500")
    checked = nautilus(inventory, profile_id, serial="AP-15500", model="Royal Oak")
    recent = dt.date.today() - dt.timedelta(days=10)
    inventory.provenance.add_check(profile_id, checked, CheckForm("The Watch Register", recent))
    nautilus(
        inventory,
        profile_id,
        serial="MEMO-1",
        status=WatchStatus.ON_MEMO,
        away_with="Galerie Koch",
        away_since=recent,
    )
    dialog = composer(qtbot, factory, inventory, profile_id)
    pick(qtbot, dialog, "5711-4419")
    assert warnings(dialog) == [
        "No stolen-register check is on record for Patek Philippe Nautilus, serial "
        "5711-4419. Add one in its Provenance tab (Watches window) before it leaves the shop."
    ]
    pick(qtbot, dialog, "AP-15500")  # checked ten days ago: nothing to say
    assert len(dialog.lines.rows) == 2
    assert len(warnings(dialog)) == 1
    assert dialog.lines.rows[0].watch_id == unchecked

    # A watch on memo is listed but cannot be chosen, with the reason.
    qtbot.mouseClick(dialog.add_watch_button, Qt.MouseButton.LeftButton)
    picker = dialog.picker
    assert picker is not None
    item = picker.item_for_serial("MEMO-1")
    assert item is not None
    assert not item.flags() & Qt.ItemFlag.ItemIsEnabled
    assert "On memo with Galerie Koch" in item.toolTip()
    picker.reject()
