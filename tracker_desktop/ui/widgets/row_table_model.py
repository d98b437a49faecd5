"""A table model over a list of plain rows, each with an `id`: the part every list window
shares. Subclasses give the headers and `data()`."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Generic, Protocol, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

Index = QModelIndex | QPersistentModelIndex
ROW_ROLE = Qt.ItemDataRole.UserRole + 1  # data(index, ROW_ROLE) gives the whole row


class HasId(Protocol):
    @property
    def id(self) -> int: ...


R = TypeVar("R", bound=HasId)


class RowTableModel(QAbstractTableModel, Generic[R]):
    def __init__(self, headers: Sequence[str]) -> None:
        super().__init__()
        self._headers = tuple(headers)
        self._rows: list[R] = []

    def set_rows(self, rows: Sequence[R]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self._rows_changed()
        self.endResetModel()

    def update_rows(self, rows: Sequence[R]) -> None:
        """Like set_rows, but when the rows are the same ones in the same order (a refresh
        after a sync, say) only their contents change: the view keeps its selection,
        current row and scroll position."""
        if [r.id for r in rows] != [r.id for r in self._rows]:
            self.set_rows(rows)
            return
        self._rows = list(rows)
        self._rows_changed()
        if self._rows:
            last = self.index(len(self._rows) - 1, len(self._headers) - 1)
            self.dataChanged.emit(self.index(0, 0), last)

    def append_rows(self, rows: Sequence[R]) -> None:
        """Add rows at the end (the next page of a long list)."""
        if not rows:
            return
        first = len(self._rows)
        self.beginInsertRows(QModelIndex(), first, first + len(rows) - 1)
        self._rows.extend(rows)
        self.endInsertRows()

    def _rows_changed(self) -> None:
        """Hook for state that is worked out once per new set of rows."""

    def row_at(self, row: int) -> R:
        return self._rows[row]

    def rows(self) -> list[R]:
        return list(self._rows)

    def row_of(self, row_id: int) -> int:
        for i, row in enumerate(self._rows):
            if row.id == row_id:
                return i
        return -1

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._headers)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self._headers[section]
        return None
