"""The invoice history table: number, client, total, status, due date, last sync."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import Qt

from tracker_desktop.domain.money_format import format_money
from tracker_desktop.services.invoices import InvoiceRow
from tracker_desktop.ui.invoices.dates import local_date, local_datetime, since
from tracker_desktop.ui.theme import pill_colours
from tracker_desktop.ui.widgets.row_table_model import ROW_ROLE, Index, RowTableModel

COL_NUMBER, COL_CLIENT, COL_TOTAL, COL_STATUS, COL_DUE, COL_CREATED, COL_SYNCED = range(7)
HEADERS = ("Number", "Client", "Total", "Status", "Due", "Created", "Last sync")


def number_text(row: InvoiceRow) -> str:
    return row.number or f"Draft #{row.id}"


class InvoiceTableModel(RowTableModel[InvoiceRow]):
    def __init__(self, locale: str = "en_US") -> None:
        super().__init__(HEADERS)
        self._locale = locale
        self._now = dt.datetime.now(dt.UTC)

    def _rows_changed(self) -> None:
        self._now = dt.datetime.now(dt.UTC)  # "Overdue" and "last sync" as of this reload

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(row, col)
        if role == ROW_ROLE:
            return row
        if role == Qt.ItemDataRole.ForegroundRole and col == COL_STATUS:
            return pill_colours(row.status.kind)[0]  # the same tone as its pill
        if role == Qt.ItemDataRole.FontRole and col == COL_STATUS:
            return None
        if role == Qt.ItemDataRole.TextAlignmentRole and col == COL_TOTAL:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole:
            if col == COL_STATUS and row.status.detail:
                return row.status.detail
            if col == COL_SYNCED and row.last_synced_at is not None:
                return local_datetime(row.last_synced_at, self._locale)
            if row.serials:
                return "Serials: " + ", ".join(row.serials)
        return None

    def _text(self, row: InvoiceRow, col: int) -> str:
        if col == COL_NUMBER:
            return number_text(row)
        if col == COL_CLIENT:
            return row.customer_name
        if col == COL_TOTAL:
            return format_money(row.total, self._locale)
        if col == COL_STATUS:
            return row.status.label
        if col == COL_DUE:
            return local_date(row.due_at, self._locale)
        if col == COL_CREATED:
            return local_date(row.created_at, self._locale)
        if row.number is None:
            return ""  # a local draft has nothing to sync
        return since(row.last_synced_at, self._now)
