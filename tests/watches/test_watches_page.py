"""The Watches window driven like a dealer: real widgets, a real SQLite file."""

from __future__ import annotations

from modal_dialogs import answer_question, shown_dialog
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QMessageBox
from pytestqt.qtbot import QtBot
from sqlalchemy.orm import Session, sessionmaker

from tracker_desktop.db.engine import session_scope
from tracker_desktop.db.repositories.invoices import InvoiceDraft, LineDraft, create_draft
from tracker_desktop.services.inventory.watch_service import InventoryService, WatchForm
from tracker_desktop.services.invoicing.state_moves import sync_watches
from tracker_desktop.ui.watches.page import WatchesPage
from tracker_desktop.ui.watches.table_model import (
    COL_ASKING,
    COL_INVOICE,
    COL_SERIAL,
    COL_STATUS,
)
from tracker_desktop.ui.watches.watch_dialog import WatchDialog


def make_page(qtbot: QtBot, inventory: InventoryService, profile_id: int) -> WatchesPage:
    page = WatchesPage(inventory, lambda: profile_id, "en_US")
    qtbot.addWidget(page)
    page.resize(1100, 500)
    page.show()
    return page


def cell(page: WatchesPage, row: int, col: int) -> str:
    return str(page.model.index(row, col).data())


def open_dialog(qtbot: QtBot, page: WatchesPage, trigger: object) -> WatchDialog:
    with qtbot.waitSignal(page.dialog_opened) as opened:
        trigger()  # type: ignore[operator]
    dialog = opened.args[0]
    assert isinstance(dialog, WatchDialog)
    return dialog


def test_add_a_watch_through_the_dialog(
    qtbot: QtBot, inventory: InventoryService, profile_id: int
) -> None:
    page = make_page(qtbot, inventory, profile_id)
    dialog = open_dialog(
        qtbot, page, lambda: qtbot.mouseClick(page.add_button, Qt.MouseButton.LeftButton)
    )
    qtbot.keyClicks(dialog.brand, "Patek Philippe")
    qtbot.keyClicks(dialog.model, "Nautilus")
    qtbot.keyClicks(dialog.reference, "5711/1A-010")
    qtbot.keyClicks(dialog.serial, "5711x42")
    qtbot.keyClicks(dialog.year, "2019")
    dialog.has_papers.setChecked(True)
    qtbot.keyClicks(dialog.asking_price, "128,500")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert page.model.rowCount() == 1
    assert cell(page, 0, COL_SERIAL) == "5711X42"
    assert cell(page, 0, COL_ASKING) == "$128,500.00"
    assert cell(page, 0, COL_STATUS) == "In stock"
    assert page.selected() is not None
    assert "Patek Philippe Nautilus 5711/1A-010, serial 5711X42" in page.detail_label.text()


def test_edit_with_enter_changes_the_price(
    qtbot: QtBot, inventory: InventoryService, profile_id: int
) -> None:
    inventory.add(
        profile_id,
        WatchForm(brand="Omega", model="Speedmaster", serial="OM1", asking_price="6,900"),
    )
    page = make_page(qtbot, inventory, profile_id)
    page.table.selectRow(0)
    page.table.setFocus()
    dialog = open_dialog(qtbot, page, lambda: qtbot.keyClick(page.table, Qt.Key.Key_Return))
    assert dialog.asking_price.text() == "6,900.00"
    dialog.asking_price.clear()
    qtbot.keyClicks(dialog.asking_price, "6,450.00")
    qtbot.keyClick(dialog.asking_price, Qt.Key.Key_Return)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert cell(page, 0, COL_ASKING) == "$6,450.00"


def test_duplicate_serial_is_refused_beside_the_serial_field(
    qtbot: QtBot, inventory: InventoryService, profile_id: int
) -> None:
    inventory.add(
        profile_id,
        WatchForm(brand="Rolex", model="Submariner", reference="126610LN", serial="7S2A9"),
    )
    page = make_page(qtbot, inventory, profile_id)
    dialog = open_dialog(qtbot, page, page.add_watch)
    qtbot.keyClicks(dialog.brand, "Rolex")
    qtbot.keyClicks(dialog.model, "GMT-Master II")
    qtbot.keyClicks(dialog.serial, "7s2a9")
    error = dialog.errors["serial"]
    assert error.isVisible()
    assert error.text() == "Serial 7S2A9 is already on Rolex Submariner 126610LN (in stock)"
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible()
    assert error.text().startswith("Serial 7S2A9 is already on")
    assert page.model.rowCount() == 1


def test_bad_fields_show_their_messages_and_nothing_is_saved(
    qtbot: QtBot, inventory: InventoryService, profile_id: int
) -> None:
    page = make_page(qtbot, inventory, profile_id)
    dialog = open_dialog(qtbot, page, page.add_watch)
    dialog.currency.setCurrentText("JPY")
    qtbot.keyClicks(dialog.serial, "GS-1")
    qtbot.keyClicks(dialog.asking_price, "1500000.5")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible()
    assert dialog.errors["brand"].text() == "Enter the brand"
    assert dialog.errors["asking_price"].text() == "JPY has no decimals: enter whole yen"
    assert inventory.search(profile_id) == []


def test_typing_a_serial_finds_it_first_and_status_shows_the_invoice(
    qtbot: QtBot, inventory: InventoryService, profile_id: int, factory: sessionmaker[Session]
) -> None:
    inventory.add(
        profile_id, WatchForm(brand="Omega", model="Seamaster for 7S2A9 trade", serial="AA1")
    )
    sub = inventory.add(profile_id, WatchForm(brand="Rolex", model="Submariner", serial="7S2A9"))
    inventory.add(profile_id, WatchForm(brand="A. Lange & Söhne", model="Lange 1", serial="L191"))
    with session_scope(factory, write=True) as session:
        invoice = create_draft(
            session,
            profile_id,
            InvoiceDraft(currency="USD", customer_name="J. Doe"),
            [LineDraft(sub.line_description, 1_400_000, watch_id=sub.id)],
        )
        invoice.state, invoice.number = "open", "INV-0007"
        sync_watches(session, invoice)  # as an open invoice holds it
    page = make_page(qtbot, inventory, profile_id)
    assert page.model.rowCount() == 3
    qtbot.keyClicks(page.search, "7s2a9")
    assert page.model.rowCount() == 2
    assert cell(page, 0, COL_SERIAL) == "7S2A9"
    assert page.selected() is not None
    assert page.selected().serial == "7S2A9"  # type: ignore[union-attr]
    assert cell(page, 0, COL_STATUS) == "Reserved"
    assert cell(page, 0, COL_INVOICE) == "INV-0007"
    assert "on invoice INV-0007" in page.detail_label.text()
    assert not page.delete_button.isEnabled()
    page.search.clear()
    qtbot.keyClicks(page.search, "lange 1")
    assert [cell(page, r, COL_SERIAL) for r in range(page.model.rowCount())] == ["L191"]


def test_delete_asks_first_and_only_yes_deletes(
    qtbot: QtBot, inventory: InventoryService, profile_id: int
) -> None:
    inventory.add(profile_id, WatchForm(brand="Tudor", model="Black Bay 58", serial="M79030"))
    page = make_page(qtbot, inventory, profile_id)
    page.table.selectRow(0)
    no = QMessageBox.StandardButton.No
    for key in (Qt.Key.Key_Escape, Qt.Key.Key_Return):  # No is the default and Escape's
        qtbot.mouseClick(page.delete_button, Qt.MouseButton.LeftButton)
        box = shown_dialog(qtbot, QMessageBox)
        assert box.windowTitle() == "Delete watch"
        assert box.defaultButton() is box.button(no)
        qtbot.keyClick(box, key)
        qtbot.waitUntil(lambda: not box.isVisible())  # noqa: B023
        assert [w.serial for w in inventory.search(profile_id)] == ["M79030"]

    qtbot.mouseClick(page.delete_button, Qt.MouseButton.LeftButton)
    asked = answer_question(qtbot)
    assert asked == "Delete Tudor Black Bay 58, serial M79030 from inventory?"
    assert inventory.search(profile_id) == []
    assert page.model.rowCount() == 0
