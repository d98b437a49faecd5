"""The watch form's messages: shown beside their field on Save, gone as soon as the field is
right (while another field's stays), and the dialog keeps its size as they come and go."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from tracker_desktop.services.inventory.watch_service import InventoryService
from tracker_desktop.ui.watches.watch_dialog import WatchDialog


def test_a_message_goes_once_its_field_is_right(
    qtbot: QtBot, inventory: InventoryService, profile_id: int
) -> None:
    dialog = WatchDialog(inventory, profile_id, "en_US", "USD")
    qtbot.addWidget(dialog)
    dialog.show()
    size = dialog.size()
    qtbot.keyClicks(dialog.year, "19")
    qtbot.keyClicks(dialog.asking_price, "12,5,00")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    errors = dialog.errors
    for name in ("brand", "model", "serial", "year", "asking_price"):
        assert errors[name].isVisible(), name
    assert dialog.size() == size  # each message had its line kept for it

    qtbot.keyClicks(dialog.brand, "Rolex")
    assert not errors["brand"].isVisible()
    assert errors["model"].isVisible()  # not its field: it stays
    qtbot.keyClicks(dialog.year, "81")  # 1981: right now
    assert not errors["year"].isVisible()
    assert errors["asking_price"].isVisible()
    dialog.asking_price.clear()
    qtbot.keyClicks(dialog.asking_price, "12,500")
    assert not errors["asking_price"].isVisible()
    qtbot.keyClicks(dialog.model, "Datejust")
    qtbot.keyClicks(dialog.serial, "R81")
    assert not any(e.isVisible() for e in errors.values())
    assert dialog.size() == size
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.saved is not None
