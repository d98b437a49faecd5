"""The Invoices window's questions, answered on the real dialogs: the safe answer is the
default and Escape's, so Enter or Escape never voids, records or overwrites anything."""

from __future__ import annotations

from pathlib import Path

from invoice_window import show_invoice
from modal_dialogs import answer_question, answer_text, save_as, shown_dialog
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QInputDialog, QMessageBox
from pytestqt.qtbot import QtBot

from tracker_desktop.domain.invoice_state import Action, InvoiceState

from .conftest import Desk
from .test_invoices_window_files import pushed, sale

No = QMessageBox.StandardButton.No


def test_void_asks_and_enter_or_escape_keeps_the_invoice_open(qtbot: QtBot, desk: Desk) -> None:
    service = desk.services.invoices
    invoice_id = pushed(qtbot, desk, sale("Amelia Hart", "amelia@example.com", 1_425_000))
    page = desk.invoices
    show_invoice(qtbot, page, invoice_id)
    number = service.get(desk.profile_id, invoice_id).number
    void = page.detail.buttons[Action.VOID]

    for key in (Qt.Key.Key_Escape, Qt.Key.Key_Return):
        qtbot.mouseClick(void, Qt.MouseButton.LeftButton)
        box = shown_dialog(qtbot, QMessageBox)
        assert box.windowTitle() == "Void invoice"
        assert box.text().startswith(f"Void {number}? The buyer can no longer pay it")
        assert box.defaultButton() is box.button(No)
        assert box.escapeButton() is box.button(No)
        qtbot.keyClick(box, key)
        qtbot.waitUntil(lambda: not box.isVisible())  # noqa: B023
        assert service.get(desk.profile_id, invoice_id).state is InvoiceState.OPEN

    qtbot.mouseClick(void, Qt.MouseButton.LeftButton)
    answer_question(qtbot)
    qtbot.waitUntil(
        lambda: service.get(desk.profile_id, invoice_id).state is InvoiceState.VOID,
        timeout=15000,
    )


def test_record_wire_takes_the_note_typed_in_its_dialog(qtbot: QtBot, desk: Desk) -> None:
    service = desk.services.invoices
    invoice_id = pushed(qtbot, desk, sale("Amelia Hart", "amelia@example.com", 1_425_000))
    page = desk.invoices
    show_invoice(qtbot, page, invoice_id)
    number = service.get(desk.profile_id, invoice_id).number
    record = page.detail.buttons[Action.RECORD_WIRE]

    qtbot.mouseClick(record, Qt.MouseButton.LeftButton)
    dialog = shown_dialog(qtbot, QInputDialog)
    assert dialog.windowTitle() == "Record wire payment"
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert service.get(desk.profile_id, invoice_id).state is InvoiceState.OPEN

    qtbot.mouseClick(record, Qt.MouseButton.LeftButton)
    label = answer_text(qtbot, "  UBS ref 4471-A ")
    assert label.startswith(f"Payment for {number} received outside Stripe.")
    qtbot.waitUntil(lambda: page.banner.text() == f"{number} is paid.", timeout=15000)
    detail = service.get(desk.profile_id, invoice_id)
    assert detail.state is InvoiceState.PAID
    assert "UBS ref 4471-A" in [entry.detail for entry in detail.timeline]


def test_export_over_an_existing_file_asks_first(qtbot: QtBot, desk: Desk, tmp_path: Path) -> None:
    service = desk.services.invoices
    service.save_draft(desk.profile_id, sale("Kenji Watanabe", "kenji@example.jp", 128_850, "JPY"))
    target = tmp_path / "invoices.csv"
    target.write_text("the accountant's own notes", encoding="utf-8")
    page = desk.invoices

    qtbot.mouseClick(page.export_button, Qt.MouseButton.LeftButton)
    save_as(qtbot, str(tmp_path / "invoices"))  # .csv is added, then the name is checked
    box = shown_dialog(qtbot, QMessageBox)
    assert box.text() == "invoices.csv already exists.\nDo you want to replace it?"
    assert box.defaultButton() is box.button(No)
    qtbot.keyClick(box, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not box.isVisible())
    assert target.read_text(encoding="utf-8") == "the accountant's own notes"
    assert "Exported" not in page.banner.text()

    qtbot.mouseClick(page.export_button, Qt.MouseButton.LeftButton)
    save_as(qtbot, str(target))
    answer_question(qtbot)
    qtbot.waitUntil(lambda: page.banner.text() == f"Exported 1 invoice to {target}.")
    assert "Kenji Watanabe" in target.read_text(encoding="utf-8-sig")
