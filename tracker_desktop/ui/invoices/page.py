"""The Invoices window: filtered history, the selected invoice's detail, and its actions.

The GUI thread never waits on the database: the rows, their count, the selected invoice and
the client list are read on the database worker (ui/tasks), newest request first, and the
window says "Loading…" meanwhile (and what it waits for, when that takes long). Typing in
the search waits for a pause of TYPING_PAUSE_MS; a header click sorts in the database; the
next PAGE_SIZE rows are read as the table is scrolled to its end.
The actions themselves (void, send, wire, PDF, CSV export…) live in page_actions, the base class.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

from PySide6.QtCore import QLocale, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent
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

from tracker_desktop.domain.invoice_state import Action, DisplayStatus
from tracker_desktop.services.inventory.watch_service import ClientChoice, InventoryService
from tracker_desktop.services.invoicing.csv_export import InvoiceExporter
from tracker_desktop.services.invoicing.invoice_service import (
    InvoiceDetail,
    InvoiceFilters,
    InvoicePage,
    InvoiceService,
)
from tracker_desktop.services.invoicing.views import SortKey
from tracker_desktop.ui.invoices.composer import ComposerDialog
from tracker_desktop.ui.invoices.copy_link import InvoiceLinks
from tracker_desktop.ui.invoices.detail import InvoiceDetailPanel
from tracker_desktop.ui.invoices.filters import InvoiceFilterBar
from tracker_desktop.ui.invoices.page_actions import InvoiceActions
from tracker_desktop.ui.invoices.status_pill import StatusPillDelegate, status_sentence, status_tone
from tracker_desktop.ui.invoices.table_model import (
    COL_CLIENT,
    COL_CREATED,
    COL_STATUS,
    InvoiceTableModel,
    column_samples,
)
from tracker_desktop.ui.tasks import LatestCall, TaskRunner, counting_worker, describe_error
from tracker_desktop.ui.theme import Tone, note_style
from tracker_desktop.ui.widgets.banner import Banner
from tracker_desktop.ui.widgets.geometry import FITS_OWN_COLUMNS
from tracker_desktop.ui.widgets.locale_and_fields import FieldError, shortcut

PAGE_SIZE = 60  # a few screens; scrolling to the end reads the next page
TYPING_PAUSE_MS = 150
COUNT_PAUSE_MS = 400
LOADING = "Loading…"
WAITING = "Still loading: waiting for the database (another program may be using it)…"

Shown = tuple[int, InvoiceFilters]  # (profile id, filters and order) the table holds


class InvoicesPage(InvoiceActions):
    composer_opened = Signal(object)  # the ComposerDialog
    rows_loaded = Signal(int)  # the table now holds this many rows of the current filters
    detail_loaded = Signal(object)  # the InvoiceDetail just shown

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
        self.runner = TaskRunner(self)
        self.composer: ComposerDialog | None = None
        self._sort: tuple[SortKey, bool] = (SortKey.CREATED, True)
        self._shown: Shown | None = None
        self._total: int | None = None  # every match of the shown filters, once counted
        self._wanted: int | None = None  # an invoice to select once the rows are here
        self._then: dict[int, Callable[[InvoiceDetail], None]] = {}  # after its detail shows
        self._cleared_for: int | None = None  # filters were cleared to show this invoice
        self._clients_for: int | None = None  # the profile whose clients the filter lists
        self.rows_reader = LatestCall(self)
        self.more_reader = LatestCall(self)
        self.counter = LatestCall(self, worker=counting_worker())
        self.detail_reader = LatestCall(self)
        self.clients_reader = LatestCall(self)
        self.typing_pause = QTimer(self)
        self.typing_pause.setSingleShot(True)
        self.typing_pause.setInterval(TYPING_PAUSE_MS)
        self._reload_soon = QTimer(self)  # a burst of change notices reads once
        self._reload_soon.setSingleShot(True)
        self._reload_soon.setInterval(0)
        self._settle_soon = QTimer(self)  # runs after the repaint the new rows asked for
        self._settle_soon.setSingleShot(True)
        self._settle_soon.setInterval(0)
        self._settle_soon.timeout.connect(self._settle)
        self._after_paint: tuple[Shown | None, int | None] = (None, None)
        # Counting every match of a common word reads the whole history (~0.2 s): not for
        # each word typed on the way to the one searched for.
        self._count_soon = QTimer(self)
        self._count_soon.setSingleShot(True)
        self._count_soon.setInterval(COUNT_PAUSE_MS)
        self._count_soon.timeout.connect(self._count_shown)

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
        # Columns sized once from the header and a sample of rows, not from every row read.
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(COL_CLIENT, QHeaderView.ResizeMode.Stretch)
        header.setResizeContentsPrecision(40)  # sized from the first rows, not all of them
        header.setSortIndicator(COL_CREATED, Qt.SortOrder.DescendingOrder)
        self.table.setSortingEnabled(True)  # the model sorts in the database
        self.table.setProperty(FITS_OWN_COLUMNS, True)  # see _size_columns
        self._sized = False
        self.count_label = QLabel(LOADING)
        self.count_label.setObjectName("invoiceCount")
        self.count_label.setStyleSheet(note_style())
        left = QWidget()
        left_box = QVBoxLayout(left)
        left_box.setContentsMargins(0, 0, 0, 0)
        left_box.addWidget(self.table, 1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.count_label)
        bottom.addStretch(1)
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
        self.filters.changed.connect(self.reload)
        self.filters.typed.connect(self.typing_pause.start)
        self.typing_pause.timeout.connect(self.reload)
        self._reload_soon.timeout.connect(self.reload)
        self.model.sort_requested.connect(self._sort_requested)
        self.model.more_wanted.connect(self._read_more)
        self.rows_reader.slow.connect(self._show_count)
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

    def closeEvent(self, event: QCloseEvent) -> None:
        # Nothing more is read for a closed window (its timers would fire into nothing).
        for timer in (self.typing_pause, self._reload_soon, self._settle_soon, self._count_soon):
            timer.stop()
        for reader in (self.rows_reader, self.more_reader, self.counter, self.detail_reader):
            reader.forget()
        super().closeEvent(event)

    # --- loading -------------------------------------------------------------------------
    def on_data_changed(self, kind: str) -> None:
        if kind in ("contacts", ""):
            self._clients_for = None
        if kind in ("invoices", "contacts", ""):
            self._reload_soon.start()

    def on_profile_changed(self, _profile_id: object) -> None:
        self._clients_for = None
        self.reload()

    @property
    def loading(self) -> bool:
        """True while the rows for the current filters are being (or about to be) read."""
        return (
            self.rows_reader.busy
            or self.typing_pause.isActive()
            or self._reload_soon.isActive()
            or self._settle_soon.isActive()
        )

    @property
    def counting(self) -> bool:
        """True while the matches of the shown filters are being (or about to be) counted."""
        return self.counter.busy or self._count_soon.isActive()

    def current_filters(self) -> InvoiceFilters:
        """The filters on screen and the table's order."""
        key, descending = self._sort
        return dataclasses.replace(self.filters.filters(), sort=key, descending=descending)

    def reload(self) -> None:
        """Read the rows again for the filters on screen; they arrive from the worker."""
        self.typing_pause.stop()
        self._reload_soon.stop()
        profile_id = self._profile_id()
        self.new_button.setEnabled(profile_id is not None)
        self.export_button.setEnabled(profile_id is not None)
        if profile_id is None:
            self.rows_reader.forget()
            self._shown, self._total = None, None
            self.model.has_more = False
            self.model.set_rows([])
            self.detail.show_invoice(None)
            self.count_label.setText("")
            self.message.show_message("Choose or create a profile in Settings to invoice.")
            return
        self.message.clear_message()
        if self._clients_for != profile_id:
            self._read_clients(profile_id)
        if self._shown is not None and self._shown[0] != profile_id:
            self._shown, self._total = None, None
            self.model.set_rows([])  # never another profile's invoices while this one loads
        shown: Shown = (profile_id, self.current_filters())
        # A refresh keeps as many rows as were scrolled into view; new filters start over.
        limit = max(PAGE_SIZE, self.model.rowCount()) if shown == self._shown else PAGE_SIZE
        self.more_reader.forget()
        self.counter.forget()
        self._count_soon.stop()
        read = self._reader(shown, 0, limit)
        self.rows_reader.ask(read, lambda page: self._rows_ready(shown, page), self._read_failed)
        self._show_count()

    def _reader(self, shown: Shown, offset: int, limit: int) -> Callable[[], InvoicePage]:
        service = self._invoices
        return lambda: service.list(
            shown[0], shown[1], offset=offset, limit=limit, with_total=False
        )

    def _rows_ready(self, shown: Shown, page: InvoicePage) -> None:
        if shown[0] != self._profile_id():
            return  # read for a profile since switched away from; its own read follows
        same = shown == self._shown
        selected = self.selected_id()
        self._shown = shown
        if not page.has_more:
            self._total = len(page.rows)
        elif not same:
            self._total = None  # counted next; a refresh keeps the old count meanwhile
        self.model.has_more, self.model.fetching = page.has_more, False
        self.model.update_rows(page.rows)
        self._size_columns()
        self._show_count()
        # The count and the selected invoice's detail are read once the table has painted:
        # the worker's Python would otherwise compete with the repaint for the interpreter.
        self._after_paint = (shown if page.has_more else None, selected)
        self._settle_soon.start()
        self.rows_loaded.emit(len(page.rows))

    def _settle(self) -> None:
        count_for, selected = self._after_paint
        if count_for is not None and count_for == self._shown:
            self._count_soon.start()  # once the typing has stopped a while
        self._restore_selection(selected)

    def _read_more(self) -> None:
        if self._shown is None or self.rows_reader.busy:
            self.model.fetching = False
            return
        shown, offset = self._shown, self.model.rowCount()
        self.more_reader.ask(
            self._reader(shown, offset, PAGE_SIZE),
            lambda page: self._more_ready(shown, offset, page),
            self._read_failed,
        )

    def _more_ready(self, shown: Shown, offset: int, page: InvoicePage) -> None:
        if shown != self._shown or offset != self.model.rowCount():
            return  # the table was read again meanwhile
        self.model.append_rows(page.rows)
        self.model.has_more, self.model.fetching = page.has_more, False
        if not page.has_more:
            self._total = self.model.rowCount()
        self._show_count()
        self.rows_loaded.emit(self.model.rowCount())

    def _count_shown(self) -> None:
        if self._shown is not None and self.model.has_more:
            self._count(self._shown)

    def _count(self, shown: Shown) -> None:
        service = self._invoices
        self.counter.ask(
            lambda: service.count(shown[0], shown[1]),
            lambda total: self._counted(shown, total),
        )

    def _counted(self, shown: Shown, total: int) -> None:
        if shown == self._shown:
            self._total = total
            self._show_count()

    def _read_failed(self, exc: Exception) -> None:
        self.model.fetching = False
        self.message.show_message(f"Could not read the invoices: {describe_error(exc)}")
        self._show_count()

    def _read_clients(self, profile_id: int) -> None:
        self._clients_for = profile_id
        inventory = self._inventory
        self.clients_reader.ask(
            lambda: inventory.clients(profile_id, limit=500),
            lambda clients: self._clients_ready(profile_id, clients),
        )

    def _clients_ready(self, profile_id: int, clients: list[ClientChoice]) -> None:
        if profile_id == self._profile_id():
            self.filters.set_clients(clients)

    def _show_count(self, *_args: object) -> None:
        if self.rows_reader.busy:
            self.count_label.setText(WAITING if self.rows_reader.is_slow else LOADING)
            return
        shown, total = self.model.rowCount(), self._total
        number = QLocale(self._locale).toString
        if total is None:
            text = f"{number(shown)} shown, counting…"
        elif total == shown:
            text = f"{number(total)} invoice{'s' if total != 1 else ''}"
        else:
            text = f"{number(shown)} of {number(total)} invoices (scroll down for more)"
        self.count_label.setText(text)

    def _size_columns(self) -> None:
        # Sized once, to the first rows and to what any row may hold (the first rows may
        # all be drafts, with no number or due date yet): measuring every row read, as
        # ResizeToContents does, would cost each keystroke a few milliseconds.
        if self._sized or not self.model.rowCount():
            return
        self._sized = True
        if self.table.property("columnsRestored"):
            return  # the widths the dealer dragged last time, given back by LayoutMemory
        self.table.resizeColumnsToContents()
        header, metrics = self.table.horizontalHeader(), self.table.fontMetrics()
        margin = 3 * metrics.averageCharWidth() // 2  # the cell's own padding, a little air
        for column, samples in column_samples(self._locale).items():
            room = 3 * margin if column == COL_STATUS else margin  # a status is a pill
            wanted = max(metrics.horizontalAdvance(text) for text in samples) + room
            header.resizeSection(column, max(header.sectionSize(column), wanted))
        header.setSectionResizeMode(COL_CLIENT, QHeaderView.ResizeMode.Stretch)

    def _sort_requested(self, key: SortKey, descending: bool) -> None:
        if (key, descending) != self._sort:
            self._sort = (key, descending)
            self.reload()

    # --- selection -------------------------------------------------------------------------
    def selected_id(self) -> int | None:
        indexes = self.table.selectionModel().selectedRows()
        return self.model.row_at(indexes[0].row()).id if indexes else None

    def select_invoice(
        self, invoice_id: int, then: Callable[[InvoiceDetail], None] | None = None
    ) -> None:
        """Select an invoice (once the rows are read), clearing the filters if they hide it;
        `then` runs with its detail once that is shown."""
        if then is not None:
            self._then[invoice_id] = then
        row = self.model.row_of(invoice_id)
        if row >= 0 and not self.loading:
            self._wanted = None
            if self.selected_id() == invoice_id:
                self._show_selected()
            else:
                self.table.selectRow(row)
            return
        self._wanted = invoice_id
        if not self.loading:
            self.reload()

    def _restore_selection(self, previous: int | None) -> None:
        wanted = self._wanted if self._wanted is not None else previous
        row = self.model.row_of(wanted) if wanted is not None else -1
        if row >= 0:
            self._wanted = None
            if self.selected_id() == wanted:
                self._show_selected()  # the same row: its detail may have changed
            else:
                self.table.selectRow(row)
            self.table.scrollTo(self.model.index(row, 0))
            return
        if self._wanted is not None:
            wanted_id = self._wanted
            if self.filters.active() and self._cleared_for != wanted_id:
                # Hidden by a filter: clear them so the dealer sees what they just made.
                self._cleared_for = wanted_id
                self.filters.clear()
                self.reload()
                return
            self._wanted = None
            self._read_detail(wanted_id)  # beyond the rows read: show it all the same
            return
        if self.model.rowCount():
            self.table.selectRow(0)
        else:
            self.detail.show_invoice(None)

    def _show_selected(self, *_args: object) -> None:
        invoice_id = self.selected_id()
        if invoice_id is None:
            self.detail_reader.forget()
            if self._profile_id() is None or not self.model.rowCount():
                self.detail.show_invoice(None)
            return
        self._read_detail(invoice_id)

    def _read_detail(self, invoice_id: int) -> None:
        profile_id, service = self._profile_id(), self._invoices
        if profile_id is None:
            return
        self.detail_reader.ask(
            lambda: service.get(profile_id, invoice_id),
            self._detail_ready,
            self._detail_failed,
        )

    def _detail_ready(self, detail: InvoiceDetail) -> None:
        selected = self.selected_id()
        if selected is not None and selected != detail.id and detail.id not in self._then:
            return  # the selection moved on
        self.detail.show_invoice(detail)
        self._announce_change(detail.id, detail.number, detail.status)
        if self.runner.busy:
            self.detail.set_busy(True)
        then = self._then.pop(detail.id, None)
        if then is not None:
            then(detail)
        self.detail_loaded.emit(detail)

    def _detail_failed(self, exc: Exception) -> None:
        self.detail.show_invoice(None)
        self.message.show_message(describe_error(exc))

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
        def say(detail: InvoiceDetail) -> None:
            self._say(f"Draft saved on this computer ({_name(detail)}).")

        self.reload()
        self.select_invoice(invoice_id, then=say)

    def _composer_pushed(self, invoice_id: int) -> None:
        def open_page(detail: InvoiceDetail) -> None:
            self.links.open_page(detail, just_sent=True)

        self.reload()
        self.select_invoice(invoice_id, then=open_page)

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


def _name(detail: InvoiceDetail) -> str:
    return detail.number or f"Draft #{detail.id}"
