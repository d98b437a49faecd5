"""The clients table: every client held as a light row, filtered and sorted in memory.

With 10,000 clients a keystroke in the search box must update the table within 50 ms, so
the search text is matched against one pre-lowered string per row (no Python call per row
through a proxy model), and a longer search only filters what the shorter one kept.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from tracker_desktop.services.clients import LINKED, NEEDS_SYNC, REFUSED, ClientRow

COL_NAME, COL_COMPANY, COL_EMAIL, COL_PHONE, COL_PLACE, COL_STRIPE = range(6)
HEADERS = ("Name", "Company", "Email", "Phone", "City / country", "Stripe")
ID_ROLE = Qt.ItemDataRole.UserRole + 1

_STATE_COLOURS = {
    LINKED: QColor("#027a48"),
    NEEDS_SYNC: QColor("#b54708"),
    REFUSED: QColor("#b42318"),
}

_Index = QModelIndex | QPersistentModelIndex


def stripe_text(row: ClientRow) -> str:
    state = row.stripe_state
    if state == LINKED and row.payment_method:
        return f"{LINKED} · {row.payment_method}"
    return state


# What each column sorts by: its text, compared without case.
_SORT_TEXT: dict[int, Callable[[ClientRow], str]] = {
    COL_NAME: lambda r: r.name,
    COL_COMPANY: lambda r: r.company,
    COL_EMAIL: lambda r: r.email,
    COL_PHONE: lambda r: r.phone,
    COL_PLACE: lambda r: r.place,
    COL_STRIPE: stripe_text,
}


class ClientsTableModel(QAbstractTableModel):
    def __init__(self) -> None:
        super().__init__()
        self._rows: list[ClientRow] = []
        self._haystacks: list[str] = []
        self._order: list[int] = []  # all rows, sorted
        self._visible: list[int] = []  # the rows the search keeps, sorted
        self._search = ""
        self._sort_column = COL_NAME
        self._sort_order = Qt.SortOrder.AscendingOrder

    # -- feeding ----------------------------------------------------------------------------

    def set_rows(self, rows: Sequence[ClientRow]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self._haystacks = []  # built at the first search: opening stays fast
        self._order = self._sorted()
        self._visible = self._filtered(self._order, self._search)
        self.endResetModel()

    def set_search(self, text: str) -> None:
        term = " ".join(text.split()).casefold()
        if term == self._search:
            return
        # A longer search keeps a subset of what the shorter one kept.
        base = self._visible if self._search and term.startswith(self._search) else self._order
        self.beginResetModel()
        self._search = term
        self._visible = self._filtered(base, term)
        self.endResetModel()

    @property
    def search(self) -> str:
        return self._search

    def total_count(self) -> int:
        return len(self._rows)

    # -- reading ----------------------------------------------------------------------------

    def row_at(self, row: int) -> ClientRow:
        return self._rows[self._visible[row]]

    def row_of(self, client_id: int) -> int | None:
        for position, index in enumerate(self._visible):
            if self._rows[index].id == client_id:
                return position
        return None

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._visible)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return HEADERS[section]
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self._rows[self._visible[index.row()]]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(row, column)
        if role == ID_ROLE:
            return row.id
        if column == COL_STRIPE:
            if role == Qt.ItemDataRole.ForegroundRole:
                return _STATE_COLOURS.get(row.stripe_state)
            if role == Qt.ItemDataRole.ToolTipRole:
                return row.sync_error or row.stripe_customer_id
        return None

    @staticmethod
    def _text(row: ClientRow, column: int) -> str:
        if column == COL_NAME:
            return row.name
        if column == COL_COMPANY:
            return row.company
        if column == COL_EMAIL:
            return row.email
        if column == COL_PHONE:
            return row.phone
        if column == COL_PLACE:
            return row.place
        return stripe_text(row)

    # -- sorting ----------------------------------------------------------------------------

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self.layoutAboutToBeChanged.emit()
        self._sort_column, self._sort_order = column, order
        self._order = self._sorted()
        self._visible = self._filtered(self._order, self._search)
        self.layoutChanged.emit()

    def _sorted(self) -> list[int]:
        text = _SORT_TEXT[self._sort_column]
        folded = [text(r).casefold() for r in self._rows]
        filled = [i for i, v in enumerate(folded) if v]
        empty = [i for i, v in enumerate(folded) if not v]
        filled.sort(
            key=folded.__getitem__, reverse=self._sort_order == Qt.SortOrder.DescendingOrder
        )
        return filled + empty  # empty values last, whichever way, as a dealer expects

    def _filtered(self, base: list[int], term: str) -> list[int]:
        if not term:
            return list(base)
        if len(self._haystacks) != len(self._rows):
            self._haystacks = [
                "\x1f".join((r.name, r.company, r.email, r.phone, r.city, r.country)).casefold()
                for r in self._rows
            ]
        hay = self._haystacks
        return [i for i in base if term in hay[i]]
