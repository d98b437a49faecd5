"""The Invoices window: filtered history, the selected invoice's detail, and its actions.

The GUI thread never waits on the database: the rows, their count, the selected invoice and
the client list are read on the database worker (ui/tasks), newest request first, and the
window says "Loading…" meanwhile (and what it waits for, when that takes long). Typing in
the search waits for a pause of TYPING_PAUSE_MS; a header click sorts in the database; the
next PAGE_SIZE rows are read as the table is scrolled to its end (history_rows).
The widgets are made in page_layout; the page holds the HistoryRows that read the table's
rows and the InvoiceActions (page_actions) that run void, send, wire, PDF, CSV export…
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QWidget,
)

from tracker_desktop.domain.invoice_state import Action, DisplayStatus
from tracker_desktop.services.credit.credit_note_service import CreditNoteService
from tracker_desktop.services.inventory.watch_service import InventoryService
from tracker_desktop.services.invoicing.csv_export import InvoiceExporter
from tracker_desktop.services.invoicing.invoice_service import (
    InvoiceDetail,
    InvoiceFilters,
    InvoiceService,
)
from tracker_desktop.services.invoicing.sales import SaleService
from tracker_desktop.ui.bridge import Changes
from tracker_desktop.ui.invoices.composer import ComposerDialog
from tracker_desktop.ui.invoices.copy_link import InvoiceLinks
from tracker_desktop.ui.invoices.credit_actions import CreditNoteActions
from tracker_desktop.ui.invoices.history_rows import HistoryRows
from tracker_desktop.ui.invoices.page_actions import InvoiceActions
from tracker_desktop.ui.invoices.page_layout import InvoicesPageLayout
from tracker_desktop.ui.invoices.sale_panel import SalePanel
from tracker_desktop.ui.invoices.status_pill import status_sentence, status_tone
from tracker_desktop.ui.tasks import LatestCall, TaskRunner, describe_error
from tracker_desktop.ui.theme import Tone
from tracker_desktop.ui.widgets.locale_and_fields import shortcut


class InvoicesPage(InvoicesPageLayout):
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
        credit_notes: CreditNoteService | None = None,
        sales: SaleService | None = None,
    ) -> None:
        super().__init__(locale, parent)
        self._invoices = invoices
        self._inventory = inventory
        self._profile_id = profile_id
        self._locale = locale
        self._go_fast = go_fast
        self.runner = TaskRunner(self)
        self.composer: ComposerDialog | None = None
        self._wanted: int | None = None  # an invoice to select once the rows are here
        self._then: dict[int, Callable[[InvoiceDetail], None]] = {}  # after its detail shows
        self._cleared_for: int | None = None  # filters were cleared to show this invoice
        self.detail_reader = LatestCall(self)
        self.history = HistoryRows(self, invoices, inventory, profile_id, locale)
        # The readers and the typing pause, where the tests and the bench look for them.
        self.rows_reader, self.more_reader = self.history.rows_reader, self.history.more_reader
        self.counter, self.typing_pause = self.history.counter, self.history.typing_pause
        self._watched: tuple[int, str] | None = None  # (invoice, status) the banner is about
        if exporter is None:
            self.export_button.hide()
        self.actions_ = InvoiceActions(self, invoices, profile_id, exporter)

        self.new_button.clicked.connect(self.new_invoice)
        self.export_button.clicked.connect(self.actions_.export_csv)
        self.detail.open_pdf_requested.connect(self.actions_.open_pdf)
        self.filters.changed.connect(self.reload)
        self.filters.typed.connect(self.typing_pause.start)
        self.typing_pause.timeout.connect(self.reload)
        self.history.reload_soon.timeout.connect(self.reload)
        self.model.sort_requested.connect(self.history.sort_by)
        self.model.more_wanted.connect(self.history.read_more)
        self.rows_reader.slow.connect(self.history.show_count)
        self.table.selectionModel().selectionChanged.connect(self._show_selected)
        self.table.activated.connect(lambda _index: self._activate())
        self.detail.action_requested.connect(self.actions_.run_action)
        self.runner.busy_changed.connect(self.detail.set_busy)
        shortcut("Ctrl+N", self, self.new_invoice)
        shortcut("Ctrl+F", self, self.filters.focus_text)
        shortcut("Ctrl+P", self, self.actions_.open_pdf)
        shortcut("Ctrl+E", self, self.actions_.export_csv)
        self.links = InvoiceLinks(self)
        self.credits = CreditNoteActions(self, credit_notes, profile_id, locale)
        self._sales, self.sale_panel = sales, SalePanel.beside(self, sales, profile_id, locale)
        self.reload()

    def closeEvent(self, event: QCloseEvent) -> None:
        # Nothing more is read for a closed window (its timers would fire into nothing).
        self.history.stop()
        self.detail_reader.forget()
        super().closeEvent(event)

    # --- loading -------------------------------------------------------------------------
    def on_data_changed(self, changes: Changes) -> None:
        profile_id = self._profile_id()
        if profile_id in changes.clients:
            self.history.clients_for = None  # the client filter's list is read with the rows
        if profile_id in changes.invoices or profile_id in changes.clients:
            self.history.reload_soon.start()
        elif self.selected_id() in changes.pdfs:
            self._show_selected()  # "Open PDF" works now; no row shows the PDF

    def on_profile_changed(self, _profile_id: object) -> None:
        self.history.clients_for = None
        self.reload()

    @property
    def loading(self) -> bool:
        """True while the rows for the current filters are being (or about to be) read."""
        return self.history.loading

    @property
    def counting(self) -> bool:
        """True while the matches of the shown filters are being (or about to be) counted."""
        return self.history.counting

    def current_filters(self) -> InvoiceFilters:
        """The filters on screen and the table's order."""
        return self.history.current_filters()

    def reload(self) -> None:
        """Read the rows again for the filters on screen; they arrive from the worker."""
        self.history.reload()

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
                self.actions_.run_action(action)
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
            sales=self._sales,
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
