"""The Invoices window's history rows for the filters on screen: read on the database worker
(the newest request wins), the next page as the table is scrolled to its end, every match
counted after a pause, and the clients the filter offers. The count line under the table
says how far it got. The page (page.py) holds one and passes itself in.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QLocale, QTimer
from PySide6.QtWidgets import QHeaderView

from tracker_desktop.services.inventory.watch_service import ClientChoice, InventoryService
from tracker_desktop.services.invoicing.invoice_service import (
    InvoiceFilters,
    InvoicePage,
    InvoiceService,
)
from tracker_desktop.services.invoicing.views import SortKey
from tracker_desktop.ui.invoices.page_layout import LOADING
from tracker_desktop.ui.invoices.table_model import COL_CLIENT, COL_STATUS, column_samples
from tracker_desktop.ui.tasks import LatestCall, counting_worker, describe_error

if TYPE_CHECKING:
    from tracker_desktop.ui.invoices.page import InvoicesPage

PAGE_SIZE = 60  # a few screens; scrolling to the end reads the next page
TYPING_PAUSE_MS = 150
COUNT_PAUSE_MS = 400
WAITING = "Still loading: waiting for the database (another program may be using it)…"

Shown = tuple[int, InvoiceFilters]  # (profile id, filters and order) the table holds


class HistoryRows:
    def __init__(
        self,
        page: InvoicesPage,
        invoices: InvoiceService,
        inventory: InventoryService,
        profile_id: Callable[[], int | None],
        locale: str,
    ) -> None:
        self._page = page
        self._invoices = invoices
        self._inventory = inventory
        self._profile_id = profile_id
        self._locale = locale
        self._sort: tuple[SortKey, bool] = (SortKey.CREATED, True)
        self._shown: Shown | None = None
        self._total: int | None = None  # every match of the shown filters, once counted
        self.clients_for: int | None = None  # the profile whose clients the filter lists
        self.rows_reader = LatestCall(page)
        self.more_reader = LatestCall(page)
        self.counter = LatestCall(page, worker=counting_worker())
        self.clients_reader = LatestCall(page)
        self.typing_pause = QTimer(page)
        self.typing_pause.setSingleShot(True)
        self.typing_pause.setInterval(TYPING_PAUSE_MS)
        self.reload_soon = QTimer(page)  # a burst of change notices reads once
        self.reload_soon.setSingleShot(True)
        self.reload_soon.setInterval(0)
        self._settle_soon = QTimer(page)  # runs after the repaint the new rows asked for
        self._settle_soon.setSingleShot(True)
        self._settle_soon.setInterval(0)
        self._settle_soon.timeout.connect(self._settle)
        self._after_paint: tuple[Shown | None, int | None] = (None, None)
        # Counting every match of a common word reads the whole history (~0.2 s): not for
        # each word typed on the way to the one searched for.
        self._count_soon = QTimer(page)
        self._count_soon.setSingleShot(True)
        self._count_soon.setInterval(COUNT_PAUSE_MS)
        self._count_soon.timeout.connect(self._count_shown)
        self._sized = False

    def stop(self) -> None:
        """Nothing more is read for a closed window (its timers would fire into nothing)."""
        for timer in (self.typing_pause, self.reload_soon, self._settle_soon, self._count_soon):
            timer.stop()
        for reader in (self.rows_reader, self.more_reader, self.counter):
            reader.forget()

    @property
    def loading(self) -> bool:
        """True while the rows for the current filters are being (or about to be) read."""
        return (
            self.rows_reader.busy
            or self.typing_pause.isActive()
            or self.reload_soon.isActive()
            or self._settle_soon.isActive()
        )

    @property
    def counting(self) -> bool:
        """True while the matches of the shown filters are being (or about to be) counted."""
        return self.counter.busy or self._count_soon.isActive()

    def current_filters(self) -> InvoiceFilters:
        """The filters on screen and the table's order."""
        key, descending = self._sort
        return dataclasses.replace(self._page.filters.filters(), sort=key, descending=descending)

    def reload(self) -> None:
        """Read the rows again for the filters on screen; they arrive from the worker."""
        self.typing_pause.stop()
        self.reload_soon.stop()
        profile_id = self._profile_id()
        self._page.new_button.setEnabled(profile_id is not None)
        self._page.export_button.setEnabled(profile_id is not None)
        if profile_id is None:
            self.rows_reader.forget()
            self._shown, self._total = None, None
            self._page.model.has_more = False
            self._page.model.set_rows([])
            self._page.detail.show_invoice(None)
            self._page.count_label.setText("")
            self._page.message.show_message("Choose or create a profile in Settings to invoice.")
            return
        self._page.message.clear_message()
        if self.clients_for != profile_id:
            self._read_clients(profile_id)
        if self._shown is not None and self._shown[0] != profile_id:
            self._shown, self._total = None, None
            self._page.model.set_rows([])  # never another profile's invoices while this one loads
        shown: Shown = (profile_id, self.current_filters())
        # A refresh keeps as many rows as were scrolled into view; new filters start over.
        limit = max(PAGE_SIZE, self._page.model.rowCount()) if shown == self._shown else PAGE_SIZE
        self.more_reader.forget()
        self.counter.forget()
        self._count_soon.stop()
        read = self._reader(shown, 0, limit)
        self.rows_reader.ask(read, lambda page: self._rows_ready(shown, page), self._read_failed)
        self.show_count()

    def _reader(self, shown: Shown, offset: int, limit: int) -> Callable[[], InvoicePage]:
        service = self._invoices
        return lambda: service.list(
            shown[0], shown[1], offset=offset, limit=limit, with_total=False
        )

    def _rows_ready(self, shown: Shown, page: InvoicePage) -> None:
        if shown[0] != self._profile_id():
            return  # read for a profile since switched away from; its own read follows
        same = shown == self._shown
        selected = self._page.selected_id()
        self._shown = shown
        if not page.has_more:
            self._total = len(page.rows)
        elif not same:
            self._total = None  # counted next; a refresh keeps the old count meanwhile
        self._page.model.has_more, self._page.model.fetching = page.has_more, False
        self._page.model.update_rows(page.rows)
        self._size_columns()
        self.show_count()
        # The count and the selected invoice's detail are read once the table has painted:
        # the worker's Python would otherwise compete with the repaint for the interpreter.
        self._after_paint = (shown if page.has_more else None, selected)
        self._settle_soon.start()
        self._page.rows_loaded.emit(len(page.rows))

    def _settle(self) -> None:
        count_for, selected = self._after_paint
        if count_for is not None and count_for == self._shown:
            self._count_soon.start()  # once the typing has stopped a while
        self._page._restore_selection(selected)

    def read_more(self) -> None:
        if self._shown is None or self.rows_reader.busy:
            self._page.model.fetching = False
            return
        shown, offset = self._shown, self._page.model.rowCount()
        self.more_reader.ask(
            self._reader(shown, offset, PAGE_SIZE),
            lambda page: self._more_ready(shown, offset, page),
            self._read_failed,
        )

    def _more_ready(self, shown: Shown, offset: int, page: InvoicePage) -> None:
        if shown != self._shown or offset != self._page.model.rowCount():
            return  # the table was read again meanwhile
        self._page.model.append_rows(page.rows)
        self._page.model.has_more, self._page.model.fetching = page.has_more, False
        if not page.has_more:
            self._total = self._page.model.rowCount()
        self.show_count()
        self._page.rows_loaded.emit(self._page.model.rowCount())

    def _count_shown(self) -> None:
        if self._shown is not None and self._page.model.has_more:
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
            self.show_count()

    def _read_failed(self, exc: Exception) -> None:
        self._page.model.fetching = False
        self._page.message.show_message(f"Could not read the invoices: {describe_error(exc)}")
        self.show_count()

    def _read_clients(self, profile_id: int) -> None:
        self.clients_for = profile_id
        inventory = self._inventory
        self.clients_reader.ask(
            lambda: inventory.clients(profile_id, limit=500),
            lambda clients: self._clients_ready(profile_id, clients),
        )

    def _clients_ready(self, profile_id: int, clients: list[ClientChoice]) -> None:
        if profile_id == self._profile_id():
            self._page.filters.set_clients(clients)

    def show_count(self, *_args: object) -> None:
        if self.rows_reader.busy:
            self._page.count_label.setText(WAITING if self.rows_reader.is_slow else LOADING)
            return
        shown, total = self._page.model.rowCount(), self._total
        number = QLocale(self._locale).toString
        if total is None:
            text = f"{number(shown)} shown, counting…"
        elif total == shown:
            text = f"{number(total)} invoice{'s' if total != 1 else ''}"
        else:
            text = f"{number(shown)} of {number(total)} invoices (scroll down for more)"
        self._page.count_label.setText(text)

    def _size_columns(self) -> None:
        # Sized once, to the first rows and to what any row may hold (the first rows may
        # all be drafts, with no number or due date yet): measuring every row read, as
        # ResizeToContents does, would cost each keystroke a few milliseconds.
        if self._sized or not self._page.model.rowCount():
            return
        self._sized = True
        if self._page.table.property("columnsRestored"):
            return  # the widths the dealer dragged last time, given back by LayoutMemory
        self._page.table.resizeColumnsToContents()
        header, metrics = self._page.table.horizontalHeader(), self._page.table.fontMetrics()
        margin = 3 * metrics.averageCharWidth() // 2  # the cell's own padding, a little air
        for column, samples in column_samples(self._locale).items():
            room = 3 * margin if column == COL_STATUS else margin  # a status is a pill
            wanted = max(metrics.horizontalAdvance(text) for text in samples) + room
            header.resizeSection(column, max(header.sectionSize(column), wanted))
        header.setSectionResizeMode(COL_CLIENT, QHeaderView.ResizeMode.Stretch)

    def sort_by(self, key: SortKey, descending: bool) -> None:
        if (key, descending) != self._sort:
            self._sort = (key, descending)
            self.reload()
