"""The invoice history table: number, client, total, status, due date, last sync.

Sorting is the database's: a click on a header asks for `sort_requested` (the page reads
the history again in that order), and the rows hold one page at a time; scrolling to the
end asks for the next (`more_wanted`, through Qt's canFetchMore/fetchMore).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from PySide6.QtCore import QModelIndex, Qt, Signal

from tracker_desktop.domain.invoice_state import LABELS, DisplayKind
from tracker_desktop.domain.money_format import format_money
from tracker_desktop.services.invoicing.invoice_service import InvoiceRow
from tracker_desktop.services.invoicing.views import SortKey
from tracker_desktop.ui.invoices.dates import local_date, local_datetime, since
from tracker_desktop.ui.theme import pill_colours
from tracker_desktop.ui.widgets.row_table_model import ROW_ROLE, Index, RowTableModel

COL_NUMBER, COL_CLIENT, COL_TOTAL, COL_STATUS, COL_DUE, COL_CREATED, COL_SYNCED = range(7)
HEADERS = ("Number", "Client", "Total", "Status", "Due", "Created", "Last sync")
SORT_KEYS = (SortKey.NUMBER, SortKey.CLIENT, SortKey.TOTAL, SortKey.STATUS, SortKey.DUE,
             SortKey.CREATED, SortKey.SYNCED)  # fmt: skip


def number_text(row: InvoiceRow) -> str:
    return row.number or f"Draft #{row.id}"


Texts = dict[int, tuple[str, ...]]  # invoice id -> the text of each column


def texts_of(rows: Sequence[InvoiceRow], locale: str, now: dt.datetime) -> Texts:
    """What each row shows, column by column: money and dates in the dealer's locale."""
    return {row.id: tuple(_text(row, col, locale, now) for col in range(len(HEADERS)))
            for row in rows}  # fmt: skip


def _text(row: InvoiceRow, col: int, locale: str, now: dt.datetime) -> str:
    if col == COL_NUMBER:
        return number_text(row)
    if col == COL_CLIENT:
        return row.customer_name
    if col == COL_TOTAL:
        return _money(row.total, locale)
    if col == COL_STATUS:
        return row.status.label
    if col == COL_DUE:
        return local_date(row.due_at, locale)
    if col == COL_CREATED:
        return local_date(row.created_at, locale)
    if row.number is None:
        return ""  # a local draft has nothing to sync
    return since(row.last_synced_at, now)


def column_samples(locale: str) -> dict[int, list[str]]:
    """Texts as wide as a column's get, for sizing it before such rows are seen (the
    newest invoices may all be drafts, with no number or due date yet)."""
    days = [local_date(dt.datetime(2026, month, 28, 12, tzinfo=dt.UTC), locale)
            for month in range(1, 13)]  # fmt: skip
    return {
        COL_NUMBER: ["ABCD1234-0001", "Draft #00000"],
        COL_STATUS: list(LABELS.values()),
        COL_DUE: days,
        COL_CREATED: days,
        COL_SYNCED: ["just now", "59 min ago", "never"],
    }


_SEEN_MAX = 20_000  # rows whose texts are kept across reads
_money = lru_cache(maxsize=4096)(format_money)  # prices repeat; babel is slow per call

# Roles a repaint asks for that this table leaves to the style: answered first, and fast.
_UNUSED_ROLES = frozenset(
    int(r)
    for r in (
        Qt.ItemDataRole.DecorationRole,
        Qt.ItemDataRole.FontRole,
        Qt.ItemDataRole.BackgroundRole,
        Qt.ItemDataRole.CheckStateRole,
        Qt.ItemDataRole.SizeHintRole,
    )
)


class InvoiceTableModel(RowTableModel[InvoiceRow]):
    sort_requested = Signal(object, bool)  # (SortKey, descending)
    more_wanted = Signal()  # the view reached the last row and more exist

    def __init__(self, locale: str = "en_US") -> None:
        super().__init__(HEADERS)
        self._locale = locale
        self._now = dt.datetime.now(dt.UTC)
        self.has_more = False  # more rows match than the model holds
        self.fetching = False  # the next page has been asked for
        # Each row's texts, made on its first paint (only the rows in view are): formatting
        # money and dates for the locale is slow next to a repaint, which asks for every
        # visible cell again. By id for this set of rows; by the row's whole value across
        # reads, since a new filter or order mostly shows rows seen before.
        self._texts: Texts = {}
        self._seen: dict[InvoiceRow, tuple[str, ...]] = {}
        # The same tone as each status's pill, made once rather than at every paint.
        self._colours = {kind: pill_colours(kind)[0] for kind in DisplayKind}

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if 0 <= column < len(SORT_KEYS):
            self.sort_requested.emit(SORT_KEYS[column], order == Qt.SortOrder.DescendingOrder)

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008 - Qt's
        return not parent.isValid() and self.has_more and not self.fetching

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008
        if self.canFetchMore(parent):
            self.fetching = True
            self.more_wanted.emit()

    def _rows_changed(self) -> None:
        self._now = dt.datetime.now(dt.UTC)  # "Overdue" and "last sync" as of this reload
        self._texts.clear()

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role in _UNUSED_ROLES or not index.isValid():
            return None
        row = self._rows[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if col == COL_SYNCED:  # relative to now: never kept
                return _text(row, col, self._locale, self._now)
            texts = self._texts.get(row.id)
            if texts is None:
                texts = self._seen.get(row)
                if texts is None:
                    if len(self._seen) > _SEEN_MAX:
                        self._seen.clear()
                    texts = self._seen[row] = texts_of([row], self._locale, self._now)[row.id]
                self._texts[row.id] = texts
            return texts[col]
        if role == ROW_ROLE:
            return row
        if role == Qt.ItemDataRole.ForegroundRole:
            if col != COL_STATUS:
                return None
            return self._colours[row.status.kind]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if col != COL_TOTAL:
                return None
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole:
            if col == COL_STATUS and row.status.detail:
                return row.status.detail
            if col == COL_SYNCED and row.last_synced_at is not None:
                return local_datetime(row.last_synced_at, self._locale)
            if row.serials:
                return "Serials: " + ", ".join(row.serials)
        return None
