"""The Watches window's CSV buttons: Export CSV… writes the file picked in the save dialog;
Import CSV… shows the preview, refuses a bad file row by row and imports a good one."""

from __future__ import annotations

from pathlib import Path

from modal_dialogs import save_as, shown_dialog
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog
from pytestqt.qtbot import QtBot

from tracker_desktop.services.inventory.watch_service import InventoryService, WatchForm
from tracker_desktop.ui.watches.import_preview import ImportPreviewDialog

from .test_watches_page import make_page


def choose(qtbot: QtBot, path: Path) -> None:
    chooser = shown_dialog(qtbot, QFileDialog)
    chooser.selectFile(str(path))
    chooser.accept()


def test_export_then_import_through_the_window(
    qtbot: QtBot, inventory: InventoryService, profile_id: int, tmp_path: Path
) -> None:
    inventory.add(profile_id, WatchForm(brand="Rolex", model="GMT", serial="GMT-1"))
    page = make_page(qtbot, inventory, profile_id)
    qtbot.mouseClick(page.export_button, Qt.MouseButton.LeftButton)
    out = tmp_path / "stock.csv"
    save_as(qtbot, str(out))
    assert out.is_file()
    assert page.notice.text() == f"Exported 1 watch to {out}."

    bad = tmp_path / "bad.csv"
    bad.write_text("brand,model,serial,currency\nOmega,,SP-1,USD\n", encoding="utf-8")
    qtbot.mouseClick(page.import_button, Qt.MouseButton.LeftButton)
    choose(qtbot, bad)
    preview = shown_dialog(qtbot, ImportPreviewDialog)
    assert not preview.import_button.isEnabled()
    assert preview.table.item(0, 3).text() == "model: Enter the model"
    assert preview.summary.text().startswith("1 of 1 rows have problems")
    preview.reject()

    good = tmp_path / "good.csv"
    good.write_text(
        "brand,model,serial,currency,status,away_since\n"
        "Omega,Speedmaster,SP-1,USD,in_service,2026-11-02\n",
        encoding="utf-8",
    )
    qtbot.mouseClick(page.import_button, Qt.MouseButton.LeftButton)
    choose(qtbot, good)
    preview = shown_dialog(qtbot, ImportPreviewDialog)
    assert preview.import_button.isEnabled()
    qtbot.mouseClick(preview.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.model.rowCount() == 2)
    assert page.notice.text() == "Imported 1 watch."
    assert [w.status_label for w in inventory.search(profile_id, "SP-1")] == ["In service"]
