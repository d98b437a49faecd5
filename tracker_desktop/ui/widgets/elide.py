"""A table cell too narrow for its text ends in "…"; pointing at it shows the whole text.

Installed on a table's viewport, it answers tooltip events for cut-off cells with the full
text (and the model's own tooltip, if it has one, under it); other cells keep the model's.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QHelpEvent
from PySide6.QtWidgets import QTableView, QToolTip

_PADDING = 12  # the cell's own margins: text this close to the edge is already cut


class ElidedTips(QObject):
    def __init__(self, table: QTableView) -> None:
        super().__init__(table)
        self._table = table
        table.setTextElideMode(Qt.TextElideMode.ElideRight)
        table.viewport().installEventFilter(self)

    def full_text(self, row: int, column: int) -> str | None:
        """The tooltip for a cell: its whole text when cut off, else None (the model's)."""
        model = self._table.model()
        if model is None:
            return None
        index = model.index(row, column)
        text = index.data(Qt.ItemDataRole.DisplayRole)
        if not isinstance(text, str) or not text:
            return None
        needed = self._table.fontMetrics().horizontalAdvance(text) + _PADDING
        if needed <= self._table.visualRect(index).width():
            return None
        own = index.data(Qt.ItemDataRole.ToolTipRole)
        return f"{text}\n{own}" if isinstance(own, str) and own and own != text else text

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            index = self._table.indexAt(event.pos())
            if index.isValid():
                tip = self.full_text(index.row(), index.column())
                if tip is not None:
                    QToolTip.showText(event.globalPos(), tip, self._table.viewport())
                    return True
        return False
