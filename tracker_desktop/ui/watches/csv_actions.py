"""The Watches window's CSV buttons: export every watch, and import a file through its
preview (nothing is written until the dealer confirms a file with no problems)."""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtWidgets import QLabel, QWidget

from tracker_desktop.domain.errors import TrackerError
from tracker_desktop.services.inventory.watch_service import InventoryService
from tracker_desktop.ui.watches.files import ask_inventory_csv_path, ask_open_path
from tracker_desktop.ui.watches.import_preview import ImportPreviewDialog
from tracker_desktop.ui.widgets.locale_and_fields import FieldError

log = logging.getLogger(__name__)


class InventoryCsvActions:
    def __init__(
        self,
        page: QWidget,
        inventory: InventoryService,
        profile_id: Callable[[], int | None],
        notice: QLabel,
        error: FieldError,
        reload: Callable[[], None],
    ) -> None:
        self._page = page
        self._inventory = inventory
        self._profile_id = profile_id
        self._notice = notice
        self._error = error
        self._reload = reload
        self.preview_dialog: ImportPreviewDialog | None = None

    def ask_export(self) -> None:
        if self._profile_id() is not None:
            ask_inventory_csv_path(self._page, self.export_to)

    def export_to(self, path: str) -> None:
        profile_id = self._profile_id()
        if profile_id is None:
            return
        self._say("", "")
        try:
            count = self._inventory.csv.export(profile_id, path)
        except TrackerError as exc:
            self._say("", str(exc))
            return
        log.info("inventory exported (%d watches)", count)
        self._say(f"Exported {count} watch{'es' if count != 1 else ''} to {path}.", "")

    def ask_import(self) -> None:
        if self._profile_id() is not None:
            ask_open_path(self._page, "Import watches from CSV", "CSV files (*.csv)", self.preview)

    def preview(self, path: str) -> ImportPreviewDialog | None:
        profile_id = self._profile_id()
        if profile_id is None:
            return None
        found = self._inventory.csv.preview(profile_id, path)
        dialog = ImportPreviewDialog(found, self._page)
        dialog.accepted.connect(lambda: self._commit(profile_id, dialog))
        dialog.finished.connect(dialog.deleteLater)
        self.preview_dialog = dialog
        dialog.open()
        return dialog

    def _commit(self, profile_id: int, dialog: ImportPreviewDialog) -> None:
        try:
            count = self._inventory.csv.commit(profile_id, dialog.preview)
        except TrackerError as exc:
            self._say("", str(exc))
            return
        log.info("inventory imported (%d watches)", count)
        self._reload()
        self._say(f"Imported {count} watch{'es' if count != 1 else ''}.", "")

    def _say(self, note: str, error: str) -> None:
        self._notice.setText(note)
        self._error.show_message(error)
