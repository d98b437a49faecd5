"""The Invoices window: filtered history, the selected invoice's detail, and its actions.

The actions themselves (void, send, wire, PDF, CSV export…) live in page_actions, the base class.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from tracker_desktop.domain.errors import TrackerError
from tracker_desktop.domain.invoice_state import Action, DisplayStatus
from tracker_desktop.services.inventory import InventoryService
from tracker_desktop.services.invoice_export import InvoiceExporter
from tracker_desktop.services.invoices import InvoiceDetail, InvoiceService
from tracker_desktop.ui.invoices.composer import ComposerDialog
from tracker_desktop.ui.invoices.copy_link import InvoiceLinks
from tracker_desktop.ui.invoices.detail import InvoiceDetailPanel
from tracker_desktop.ui.invoices.filters import InvoiceFilterBar
from tracker_desktop.ui.invoices.page_actions import InvoiceActions
from tracker_desktop.ui.invoices.status_pill import StatusPillDelegate, status_sentence, status_tone
from tracker_desktop.ui.invoices.table_model import COL_CLIENT, COL_STATUS, InvoiceTableModel
from tracker_desktop.ui.tasks import TaskRunner, describe_error
from tracker_desktop.ui.theme import Tone, note_style
from tracker_desktop.ui.watches.common import FieldError, shortcut
from tracker_desktop.ui.widgets.banner import Banner

PAGE_SIZE = 200


class InvoicesPage(InvoiceActions):
    composer_opened = Signal(object)  # the ComposerDialog

    def __init__(
        self,
        invoices: InvoiceService,
        inventory: InventoryService,
        profile_id: Callable[[], int | None],
        locale: str,
        go_fast: Callable[[], None] = lambda: None,
        parent: QWidget | None = None,
        *,
        exporter: InvoiceExporter | None = None,
    ) -> None:
        super().__init__(parent)
        self._invoices = invoices
        self._inventory = inventory
        self._profile_id = profile_id
        self._locale = locale
        self._go_fast = go_fast
        self._exporter = exporter
        self._limit = PAGE_SIZE
        self.runner = TaskRunner(self)
        self.composer: ComposerDialog | None = None

        self.new_button = QPushButton("New invoice")
        self.new_button.setToolTip("Compose a new invoice (Ctrl+N)")
        self.new_button.setStyleSheet("font-weight: bold;")
        self.export_button = QPushButton("Export CSV…")
        self.export_button.setObjectName("exportCsv")
        self.export_button.setToolTip("Save the invoices these filters show as CSV (Ctrl+E)")
        self.filters = InvoiceFilterBar()
        top = QHBoxLayout()
        top.addWidget(QLabel("<h2>Invoices</h2>"))
        top.addStretch(1)
        top.addWidget(self.export_button)
        top.addWidget(self.new_button)
        if exporter is None:  # (showing a widget before it has a parent makes it a window)
            self.export_button.hide()

        self.model = InvoiceTableModel(locale)
        self.table = QTableView()
        self.table.setObjectName("invoiceTable")
        self.table.setAccessibleName("Invoices")
        self.table.setItemDelegateForColumn(COL_STATUS, StatusPillDelegate(self.table))
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        self.table.setWordWrap(False)  # one line per invoice; long names end in "…"
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(COL_CLIENT, QHeaderView.ResizeMode.Stretch)
        self.count_label = QLabel()
        self.count_label.setStyleSheet(note_style())
        self.more_button = QPushButton("Show more")
        self.more_button.setVisible(False)
        left = QWidget()
        left_box = QVBoxLayout(left)
        left_box.setContentsMargins(0, 0, 0, 0)
        left_box.addWidget(self.table, 1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.count_label)
        bottom.addStretch(1)
        bottom.addWidget(self.more_button)
        left_box.addLayout(bottom)

        self.detail = InvoiceDetailPanel(locale)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(self.detail)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        # The list gets the larger share at first, so client names stay readable at 1280 px.
        splitter.setSizes([680, 420])
        self.splitter = splitter

        self._watched: tuple[int, str] | None = None  # (invoice, status) the banner is about
        self.banner = Banner("invoiceBanner")
        self.message = FieldError("page")

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.filters)
        layout.addWidget(self.banner)
        layout.addWidget(self.message)
        layout.addWidget(splitter, 1)

        self.new_button.clicked.connect(self.new_invoice)
        self.export_button.clicked.connect(self.export_csv)
        self.detail.open_pdf_requested.connect(self.open_pdf)
        self.filters.changed.connect(self._filters_changed)
        self.more_button.clicked.connect(self._show_more)
        self.table.selectionModel().selectionChanged.connect(self._show_selected)
        self.table.activated.connect(lambda _index: self._activate())
        self.detail.action_requested.connect(self.run_action)
        self.runner.busy_changed.connect(self.detail.set_busy)
        shortcut("Ctrl+N", self, self.new_invoice)
        shortcut("Ctrl+F", self, self.filters.focus_text)
        shortcut("Ctrl+P", self, self.open_pdf)
        shortcut("Ctrl+E", self, self.export_csv)
        self.links = InvoiceLinks(self)
        self.reload()

    # --- loading -------------------------------------------------------------------------
    def on_data_changed(self, kind: str) -> None:
        if kind in ("invoices", "contacts", ""):
            self.reload()

    def on_profile_changed(self, _profile_id: object) -> None:
        self.reload()

    def reload(self) -> None:
        profile_id = self._profile_id()
        self.new_button.setEnabled(profile_id is not None)
        self.export_button.setEnabled(profile_id is not None)
        if profile_id is None:
            self.model.set_rows([])
            self.detail.show_invoice(None)
            self.message.show_message("Choose or create a profile in Settings to invoice.")
            return
        self.message.clear_message()
        selected = self.selected_id()
        try:
            self.filters.set_clients(self._inventory.clients(profile_id, limit=500))
            page = self._invoices.list(profile_id, self.filters.filters(), limit=self._limit)
        except TrackerError as exc:
            self.message.show_message(describe_error(exc))
            return
        self.model.set_rows(page.rows)
        shown = len(page.rows)
        self.count_label.setText(
            f"{page.total} invoice{'s' if page.total != 1 else ''}"
            + (f", showing the newest {shown}" if page.has_more else "")
        )
        self.more_button.setVisible(page.has_more)
        row = self.model.row_of(selected) if selected is not None else -1
        if row >= 0:
            self.table.selectRow(row)
            self._show_selected()
        elif self.model.rowCount():
            self.table.selectRow(0)
        else:
            self.detail.show_invoice(None)

    def _filters_changed(self) -> None:
        self._limit = PAGE_SIZE
        self.reload()

    def _show_more(self) -> None:
        self._limit += PAGE_SIZE
        self.reload()

    def selected_id(self) -> int | None:
        indexes = self.table.selectionModel().selectedRows()
        return self.model.row_at(indexes[0].row()).id if indexes else None

    def select_invoice(self, invoice_id: int) -> None:
        row = self.model.row_of(invoice_id)
        if row < 0:  # hidden by a filter: clear them so the dealer sees what they just made
            self.filters.blockSignals(True)
            self.filters.select_status(None)
            self.filters.text.clear()
            self.filters.serial.clear()
            self.filters.blockSignals(False)
            self.reload()
            row = self.model.row_of(invoice_id)
        if row >= 0:
            self.table.selectRow(row)
            self._show_selected()

    def _show_selected(self, *_args: object) -> None:
        invoice_id, profile_id = self.selected_id(), self._profile_id()
        if invoice_id is None or profile_id is None:
            self.detail.show_invoice(None)
            return
        try:
            detail = self._invoices.get(profile_id, invoice_id)
            self.detail.show_invoice(detail)
            self._announce_change(detail.id, detail.number, detail.status)
        except TrackerError as exc:
            self.detail.show_invoice(None)
            self.message.show_message(describe_error(exc))
        if self.runner.busy:
            self.detail.set_busy(True)

    def _activate(self) -> None:
        """Enter on a row: edit a draft, else open its payment page if it has one."""
        detail = self.detail.detail
        if detail is None:
            return
        for action in (Action.EDIT_DRAFT, Action.OPEN_PAYMENT_PAGE):
            if self.detail.buttons[action].isEnabled():
                self.run_action(action)
                return

    # --- composing -------------------------------------------------------------------------
    def new_invoice(self) -> None:
        self.open_composer(None)

    def open_composer(self, invoice_id: int | None) -> None:
        profile_id = self._profile_id()
        if profile_id is None or (self.composer is not None and self.composer.isVisible()):
            return
        composer = ComposerDialog(
            self._invoices,
            self._inventory,
            profile_id,
            self._locale,
            invoice_id=invoice_id,
            parent=self,
        )
        composer.saved.connect(self._composer_saved)
        composer.pushed.connect(self._composer_pushed)
        self.composer = composer
        composer.open()
        self.composer_opened.emit(composer)

    def _composer_saved(self, invoice_id: int) -> None:
        self.reload()
        self.select_invoice(invoice_id)
        self._say(f"Draft saved on this computer ({self._name(invoice_id)}).")

    def _composer_pushed(self, invoice_id: int) -> None:
        self.reload()
        self.select_invoice(invoice_id)
        detail = self.detail.detail
        if detail is not None and detail.id == invoice_id:
            self.links.open_page(detail, just_sent=True)

    def _name(self, invoice_id: int) -> str:
        detail = self.detail.detail
        if detail is not None and detail.id == invoice_id and detail.number:
            return detail.number
        return f"Draft #{invoice_id}"

    def _say(self, text: str, tone: Tone = "success") -> None:
        self.banner.say(text, tone)
        self._watched = None

    def _watch(self, detail: InvoiceDetail) -> None:
        self._watched = (detail.id, detail.status.label)

    def _announce_change(self, invoice_id: int, number: str | None, status: DisplayStatus) -> None:
        """The banner about a just-sent invoice follows it: "... is now Paid." when the
        poller learns that, instead of a message that has gone stale; a failed payment in
        the warning tone, with Stripe's reason."""
        watched = self._watched
        if watched is None or watched[0] != invoice_id or watched[1] == status.label:
            return
        name = number or f"Draft #{invoice_id}"
        self._say(status_sentence(name, status), status_tone(status.kind))
        self._watched = (invoice_id, status.label)
