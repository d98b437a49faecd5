"""The clients table: every client held as a light row, filtered and sorted in memory.

With 10,000 clients a keystroke in the search box must update the table within 50 ms, so
the search text is matched against one pre-lowered string per row (no Python call per row
through a proxy model), and a longer search only filters what the shorter one kept. Rows are
held as plain tuples (RowTuple: see why in services/clients/client_service.py); `row_at` names them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Final

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from tracker_desktop.services.clients.client_service import (
    LINKED,
    NEEDS_SYNC,
    REFUSED,
    ClientRow,
    RowTuple,
    stripe_state,
)
from tracker_desktop.ui.theme import Tone, tone

COL_NAME, COL_COMPANY, COL_EMAIL, COL_PHONE, COL_PLACE, COL_STRIPE = range(6)
HEADERS = ("Name", "Company", "Email", "Phone", "City / country", "Stripe")
ID_ROLE = Qt.ItemDataRole.UserRole + 1

# Tones, not colours: the shade follows the desktop's light or dark palette.
_STATE_TONES: dict[str, Tone] = {LINKED: "success", NEEDS_SYNC: "warning", REFUSED: "error"}

_Index = QModelIndex | QPersistentModelIndex
# Where each field sits in a RowTuple, as in ClientRow (Final literals: mypy then knows
# each field's type; tests/clients/test_table_model.py checks the positions).
_ID: Final = 0
_NAME: Final = 1
_COMPANY: Final = 2
_EMAIL: Final = 3
_PHONE: Final = 4
_CITY: Final = 5
_COUNTRY: Final = 6
_CUSTOMER: Final = 7
_NEEDS: Final = 8
_ERROR: Final = 9
_CARD: Final = 10


def state_of(row: RowTuple) -> str:
    return stripe_state(row[_CUSTOMER], row[_NEEDS], row[_ERROR])


def stripe_text(row: RowTuple) -> str:
    state = state_of(row)
    if state == LINKED and row[_CARD]:
        return f"{LINKED} · {row[_CARD]}"
    return state


def place_text(row: RowTuple) -> str:
    return ", ".join(p for p in (row[_CITY], row[_COUNTRY]) if p)


# The text of each column, which is also what it sorts by (without case).
_TEXT: dict[int, Callable[[RowTuple], str]] = {
    COL_NAME: lambda r: r[_NAME],
    COL_COMPANY: lambda r: r[_COMPANY],
    COL_EMAIL: lambda r: r[_EMAIL],
    COL_PHONE: lambda r: r[_PHONE],
    COL_PLACE: place_text,
    COL_STRIPE: stripe_text,
}


class ClientsTableModel(QAbstractTableModel):
    def __init__(self) -> None:
        super().__init__()
        self._rows: list[RowTuple] = []
        self._haystacks: list[str] = []
        self._order: list[int] = []  # all rows, sorted
        self._visible: list[int] = []  # the rows the search keeps, sorted
        self._search = ""
        self._sort_column = COL_NAME
        self._sort_order = Qt.SortOrder.AscendingOrder

    # -- feeding ----------------------------------------------------------------------------

    def set_rows(self, rows: Sequence[RowTuple]) -> None:
        """Plain tuples from ClientService.load_rows (ClientRows work too, at a GC cost)."""
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
        return ClientRow._make(self._rows[self._visible[row]])

    def row_of(self, client_id: int) -> int | None:
        for position, index in enumerate(self._visible):
            if self._rows[index][_ID] == client_id:
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
            return _TEXT[column](row)
        if role == ID_ROLE:
            return row[_ID]
        if column == COL_STRIPE:
            if role == Qt.ItemDataRole.ForegroundRole:
                found = _STATE_TONES.get(state_of(row))
                return tone(found) if found else None
            if role == Qt.ItemDataRole.ToolTipRole:
                return row[_ERROR] or row[_CUSTOMER]
        return None

    # -- sorting ----------------------------------------------------------------------------

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self.layoutAboutToBeChanged.emit()
        self._sort_column, self._sort_order = column, order
        self._order = self._sorted()
        self._visible = self._filtered(self._order, self._search)
        self.layoutChanged.emit()

    def _sorted(self) -> list[int]:
        text = _TEXT[self._sort_column]
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
                "\x1f".join(
                    (r[_NAME], r[_COMPANY], r[_EMAIL], r[_PHONE], r[_CITY], r[_COUNTRY])
                ).casefold()
                for r in self._rows
            ]
        hay = self._haystacks
        return [i for i in base if term in hay[i]]
