"""Pick a watch for a line; reserved, sold, on-memo and in-service watches are listed but
cannot be chosen."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from tracker_desktop.services.inventory.watch_service import InventoryService, WatchRow
from tracker_desktop.ui.theme import note_style
from tracker_desktop.ui.widgets.accessibility import tab_in_layout_order
from tracker_desktop.ui.widgets.locale_and_fields import money_text


class WatchPicker(QDialog):
    def __init__(
        self,
        inventory: InventoryService,
        profile_id: int,
        locale: str,
        already_on_invoice: set[int],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Add a watch")
        self.resize(620, 460)
        self._inventory = inventory
        self._profile_id = profile_id
        self._locale = locale
        self._taken = already_on_invoice
        self.chosen: WatchRow | None = None

        self.search = QLineEdit()
        self.search.setPlaceholderText("Serial, brand, model or reference")
        self.list = QListWidget()
        self.list.setObjectName("watchPickerList")
        self.search.setAccessibleName("Search watches")
        self.list.setAccessibleName("Watches")
        self.why = QLabel()
        self.why.setStyleSheet(note_style())
        self.why.setWordWrap(True)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("Add to invoice")
        layout = QVBoxLayout(self)
        layout.addWidget(self.search)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.why)
        layout.addWidget(buttons)

        buttons.accepted.connect(self.choose)
        buttons.rejected.connect(self.reject)
        self.search.textChanged.connect(self.reload)
        self.search.returnPressed.connect(self.choose)
        self.list.currentItemChanged.connect(self._explain)
        self.list.itemActivated.connect(lambda _item: self.choose())
        self.reload()
        tab_in_layout_order(self)

    def reload(self) -> None:
        self.list.clear()
        first_free = -1
        for watch in self._inventory.search(self._profile_id, self.search.text()):
            price = money_text(watch.asking_price, self._locale) or "no asking price"
            item = QListWidgetItem(f"{watch.line_description}  —  {price}")
            item.setData(Qt.ItemDataRole.UserRole, watch)
            why = self.why_not(watch)
            if why:
                # Listed, so the dealer sees it exists, but not selectable, with the reason.
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEnabled)
                item.setText(f"{item.text()}  ({why})")
                item.setToolTip(why)
            elif first_free < 0:
                first_free = self.list.count()
            self.list.addItem(item)
        if first_free >= 0:
            self.list.setCurrentRow(first_free)
        self._explain()

    def why_not(self, watch: WatchRow) -> str:
        if watch.id in self._taken:
            return "already on this invoice"
        return watch.why_not_invoiceable

    def item_for_serial(self, serial: str) -> QListWidgetItem | None:
        for row in range(self.list.count()):
            item = self.list.item(row)
            watch = item.data(Qt.ItemDataRole.UserRole)
            if isinstance(watch, WatchRow) and watch.serial == serial:
                return item
        return None

    def _explain(self, *_args: object) -> None:
        item = self.list.currentItem()
        self.ok_button.setEnabled(item is not None)
        disabled = sum(
            1
            for row in range(self.list.count())
            if not self.list.item(row).flags() & Qt.ItemFlag.ItemIsEnabled
        )
        if self.list.count() == 0:
            self.why.setText(
                f"No watch matches “{self.search.text().strip()}”."
                if self.search.text().strip()
                else "No watches in inventory yet. Add them in the Watches window (Ctrl+4), "
                "or use a free-text line for this sale."
            )
            return
        self.why.setText(
            f"{disabled} watch{'es' if disabled != 1 else ''} shown greyed out cannot be "
            "invoiced now (reserved, sold, on memo or in service); each line says why."
            if disabled
            else ""
        )

    def choose(self) -> None:
        item = self.list.currentItem()
        watch = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        if isinstance(watch, WatchRow) and not self.why_not(watch):
            self.chosen = watch
            self.accept()
