"""The Watches window: search (serial first), add, edit, delete; status follows invoices."""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from tracker_desktop.domain.errors import TrackerError
from tracker_desktop.domain.validation import normalize_serial
from tracker_desktop.domain.watch_status import WatchStatus
from tracker_desktop.services.front_desk import HIDDEN
from tracker_desktop.services.inventory.watch_service import InventoryService, WatchRow
from tracker_desktop.ui.bridge import Changes
from tracker_desktop.ui.theme import error_style, muted, note_style
from tracker_desktop.ui.watches.csv_actions import InventoryCsvActions
from tracker_desktop.ui.watches.table_model import (
    COL_COST,
    COL_INVOICE,
    COL_MODEL,
    WatchTableModel,
)
from tracker_desktop.ui.watches.watch_dialog import WatchDialog
from tracker_desktop.ui.widgets.locale_and_fields import FieldError, shortcut
from tracker_desktop.ui.widgets.questions import ask_yes_no

log = logging.getLogger(__name__)

STATUS_FILTERS: tuple[tuple[str, tuple[WatchStatus, ...]], ...] = (
    ("All watches", ()),
    *((status.label, (status,)) for status in WatchStatus),
)


class WatchesPage(QWidget):
    """Takes only what it uses: the inventory service, the active profile and its defaults."""

    dialog_opened = Signal(object)  # the WatchDialog, so tests and callers can drive it

    def __init__(
        self,
        inventory: InventoryService,
        profile_id: Callable[[], int | None],
        locale: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._inventory = inventory
        self._profile_id = profile_id
        self._locale = locale
        self.dialog: WatchDialog | None = None
        self.cost_hidden = False  # this computer is the profile's front desk (Settings)

        self.search = QLineEdit()
        self.search.setObjectName("watchSearch")
        self.search.setAccessibleName("Search watches")
        self.search.setPlaceholderText("Search serial, brand, model, reference, year…  (Ctrl+F)")
        self.search.setClearButtonEnabled(True)
        self.status_filter = QComboBox()
        for label, _ in STATUS_FILTERS:
            self.status_filter.addItem(label)
        self.status_filter.setAccessibleName("Show")
        self.add_button = QPushButton("Add watch")
        self.add_button.setToolTip("Add a watch to inventory (Ctrl+N)")
        self.edit_button = QPushButton("Edit")
        self.edit_button.setToolTip("Edit the selected watch (Enter)")
        self.delete_button = QPushButton("Delete")
        self.import_button = QPushButton("Import CSV…")
        self.export_button = QPushButton("Export CSV…")
        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        top.addWidget(self.status_filter)
        top.addWidget(self.add_button)
        top.addWidget(self.edit_button)
        top.addWidget(self.delete_button)
        top.addWidget(self.import_button)
        top.addWidget(self.export_button)

        self.model = WatchTableModel(locale)
        self.table = QTableView()
        self.table.setObjectName("watchTable")
        self.table.setAccessibleName("Watches")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(COL_MODEL, QHeaderView.ResizeMode.Stretch)
        header.setStretchLastSection(False)
        self.table.setColumnWidth(COL_INVOICE, 110)

        self.count_label = QLabel()
        self.count_label.setStyleSheet(note_style())
        self.detail_label = QLabel()
        self.detail_label.setObjectName("watchDetail")
        self.detail_label.setWordWrap(True)
        self.message = FieldError("page")
        self.message.setStyleSheet(error_style())
        self.notice = QLabel()
        self.notice.setObjectName("watchNotice")
        self.notice.setStyleSheet(note_style())

        layout = QVBoxLayout(self)
        heading = QLabel("<h2>Watches</h2>")
        layout.addWidget(heading)
        layout.addLayout(top)
        layout.addWidget(self.message)
        layout.addWidget(self.notice)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.detail_label)
        layout.addWidget(self.count_label)

        self.search.textChanged.connect(self.reload)
        self.status_filter.currentIndexChanged.connect(self.reload)
        self.add_button.clicked.connect(self.add_watch)
        self.edit_button.clicked.connect(self.edit_selected)
        self.delete_button.clicked.connect(self.delete_selected)
        notice, reload = self.notice, self.reload
        self.csv = InventoryCsvActions(self, inventory, profile_id, notice, self.message, reload)
        self.import_button.clicked.connect(self.csv.ask_import)
        self.export_button.clicked.connect(self.csv.ask_export)
        # Enter and double click both "activate" a row in Qt's item views.
        self.table.activated.connect(lambda _index: self.edit_selected())
        self.table.selectionModel().selectionChanged.connect(self._show_selection)
        shortcut("Ctrl+F", self, self.focus_search)
        shortcut("Ctrl+N", self, self.add_watch)
        self.search.returnPressed.connect(self._open_first_match)
        self.reload()

    # --- loading ---------------------------------------------------------------------------
    def on_data_changed(self, changes: Changes) -> None:
        # An invoice's number or draft shows beside each watch it holds.
        profile_id = self._profile_id()
        if profile_id in changes.watches or profile_id in changes.invoices:
            self.reload()

    def on_profile_changed(self, _profile_id: object) -> None:
        self.search.clear()
        self.reload()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._inventory.hides_cost(self._profile_id()) != self.cost_hidden:
            self.reload()  # the front desk was switched in Settings meanwhile

    def reload(self) -> None:
        profile_id = self._profile_id()
        has_profile = profile_id is not None
        for widget in (self.add_button, self.search, self.status_filter, self.import_button):
            widget.setEnabled(has_profile)
        if profile_id is None:
            self.model.set_rows([])
            self.message.show_message("Choose or create a profile in Settings to keep inventory.")
            self._show_selection()
            return
        self.message.clear_message()
        selected = self.selected()
        statuses = STATUS_FILTERS[max(self.status_filter.currentIndex(), 0)][1]
        try:
            rows = self._inventory.search(profile_id, self.search.text(), statuses=statuses)
        except TrackerError as exc:
            self.message.show_message(str(exc))
            return
        self.cost_hidden = self._inventory.hides_cost(profile_id)
        self.table.setColumnHidden(COL_COST, self.cost_hidden)
        self.model.set_rows(rows)
        count = f"{len(rows)} watch{'es' if len(rows) != 1 else ''}"
        hidden = f" · purchase cost {HIDDEN}" if self.cost_hidden else ""
        self.count_label.setText(count + hidden)
        self._reselect(rows, selected)

    def _reselect(self, rows: list[WatchRow], previous: WatchRow | None) -> None:
        term = normalize_serial(self.search.text())
        target = 0 if rows and term and rows[0].serial == term else -1
        if target < 0 and previous is not None:
            target = self.model.row_of(previous.id)
        if target >= 0:
            self.table.selectRow(target)
        self._show_selection()

    def selected(self) -> WatchRow | None:
        indexes = self.table.selectionModel().selectedRows()
        return self.model.row_at(indexes[0].row()) if indexes else None

    def _show_selection(self, *_args: object) -> None:
        watch = self.selected()
        self.edit_button.setEnabled(watch is not None)
        self.delete_button.setEnabled(watch is not None and watch.invoice_id is None)
        self.delete_button.setToolTip(
            "A watch that was on an invoice keeps its history; it cannot be deleted"
            if watch is not None and watch.invoice_id is not None
            else "Delete the selected watch"
        )
        if watch is None:
            self.detail_label.setText("")
            return
        where = _escape(watch.away_words) or watch.status_label
        text = f"<b>{_escape(watch.line_description)}</b> — {where}"
        if watch.held_by:
            text += f" · on invoice {watch.held_by}"
        if watch.notes:
            grey = muted().name()
            text += f"<br><span style='color: {grey};'>{_escape(watch.notes)}</span>"
        self.detail_label.setText(text)

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def _open_first_match(self) -> None:
        if self.model.rowCount() and self.selected() is None:
            self.table.selectRow(0)
        self.edit_selected()

    # --- actions -------------------------------------------------------------------------
    def add_watch(self) -> None:
        self._open_dialog(None)

    def edit_selected(self) -> None:
        watch = self.selected()
        if watch is not None:
            self._open_dialog(watch)

    def _open_dialog(self, watch: WatchRow | None) -> None:
        profile_id = self._profile_id()
        if profile_id is None:
            return
        try:
            currency = self._inventory.profile_defaults(profile_id).currency
        except TrackerError:
            currency = "USD"
        dialog = WatchDialog(self._inventory, profile_id, self._locale, currency, watch, self)
        dialog.accepted.connect(lambda: self._after_save(dialog))
        self.dialog = dialog
        dialog.open()
        self.dialog_opened.emit(dialog)

    def _after_save(self, dialog: WatchDialog) -> None:
        self.reload()
        if dialog.saved is not None:
            log.info("watch %s saved", dialog.saved.id)
            row = self.model.row_of(dialog.saved.id)
            if row >= 0:
                self.table.selectRow(row)

    def delete_selected(self) -> None:
        watch, profile_id = self.selected(), self._profile_id()
        if watch is None or profile_id is None:
            return
        ask_yes_no(
            self,
            "Delete watch",
            f"Delete {watch.line_description} from inventory?",
            lambda: self._delete(profile_id, watch),
        )

    def _delete(self, profile_id: int, watch: WatchRow) -> None:
        try:
            self._inventory.delete(profile_id, watch.id)
        except TrackerError as exc:
            self.message.show_message(str(exc))
            return
        log.info("watch %s deleted", watch.id)
        self.reload()


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
